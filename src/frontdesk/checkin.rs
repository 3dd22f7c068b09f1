//! Check-in: an appointment `booked` → `arrived`, as an outbox item (saved before it is
//! sent, sent once). Version-aware either way: a JSON Patch with `If-Match` and a `test` of
//! the old status where the server declares PATCH, else the whole appointment sent back
//! (read-merge-PUT) with `If-Match`. Another desk's change first is a conflict (412, or 422
//! for a failed `test`), never overwritten. An appointment already arrived is said so and
//! nothing is written.
//!
//! Optionally (a profile's `checkin_encounter`), the visit's `Encounter` is created with it
//! (status `arrived`, linked to the appointment), sent after the appointment's change and
//! only if that was taken. Its client identifier is made from the appointment's id, so the
//! conditional create (`If-None-Exist`) finds the one another desk or an earlier try made:
//! one Encounter per check-in, however often it is sent.

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use crate::fhir::{ClientId, WriteOp};
use crate::outbox::{Author, Item, Write};

/// How the appointment is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// JSON Patch (`test` the old status, `replace` it).
    Patch,
    /// The whole appointment sent back (it must be the full resource as read).
    Put,
}

/// What a check-in comes to.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckIn {
    /// Already arrived (or checked in): nothing to do.
    Already { status: String },
    /// Not from this status (cancelled, no-show, fulfilled…): nothing is written.
    Refused { status: String },
    /// The writes to send, in order.
    Writes(Vec<Write>),
}

/// The outbox item's kind.
pub const KIND: &str = "checkin";

/// The statuses that mean the patient is here.
pub fn is_arrived(status: &str) -> bool {
    matches!(status, "arrived" | "checked-in")
}

/// What checking `appointment` (at `version`) in takes. `encounter_at`: also create the
/// visit's Encounter, started then.
pub fn plan(
    appointment: &Value,
    version: Option<String>,
    method: Method,
    encounter_at: Option<DateTime<FixedOffset>>,
) -> CheckIn {
    let status = appointment["status"].as_str().unwrap_or("").to_owned();
    if is_arrived(&status) {
        return CheckIn::Already { status };
    }
    if status != "booked" {
        return CheckIn::Refused { status };
    }
    let Some(id) = appointment["id"].as_str().map(str::to_owned) else {
        return CheckIn::Refused { status };
    };
    let op = match method {
        Method::Patch => WriteOp::Patch {
            resource_type: "Appointment".into(),
            id: id.clone(),
            if_match: version,
            patch: json!([
                {"op": "test", "path": "/status", "value": "booked"},
                {"op": "replace", "path": "/status", "value": "arrived"}
            ]),
        },
        Method::Put => {
            let mut resource = appointment.clone();
            resource["status"] = json!("arrived");
            if let Some(m) = resource.as_object_mut() {
                m.remove("meta");
                m.remove("text");
            }
            WriteOp::Update {
                resource_type: "Appointment".into(),
                id: id.clone(),
                if_match: version,
                resource,
            }
        }
    };
    let mut first = Write::new(op);
    first.base = Some(appointment.clone());
    let mut writes = vec![first];
    if let (Some(at), Some(patient)) = (encounter_at, super::schedule::patient_of(appointment)) {
        writes.push(Write::new(encounter(appointment, &id, &patient, at)));
    }
    CheckIn::Writes(writes)
}

/// The client identifier of the Encounter a check-in of appointment `id` creates: the
/// same for every try and every desk.
pub fn encounter_identifier(appointment_id: &str) -> ClientId {
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        format!("rounds check-in of Appointment/{appointment_id}").as_bytes(),
    );
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest.as_ref()[..16]);
    // A name-based UUID (version 8: custom).
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    ClientId {
        system: crate::fhir::write::URI_SYSTEM.to_owned(),
        value: format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ),
    }
}

/// The visit's Encounter: arrived, ambulatory, the appointment's patient and location.
fn encounter(a: &Value, id: &str, patient: &str, at: DateTime<FixedOffset>) -> WriteOp {
    let identifier = encounter_identifier(id);
    let locations: Vec<Value> = a["participant"]
        .as_array()
        .into_iter()
        .flatten()
        .take(50)
        .filter_map(|p| p["actor"]["reference"].as_str())
        .filter(|r| r.starts_with("Location/"))
        .take(1)
        .map(|r| json!({"location": {"reference": r}}))
        .collect();
    let mut resource = json!({
        "resourceType": "Encounter",
        "identifier": [identifier.to_json()],
        "status": "arrived",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory"
        },
        "subject": {"reference": format!("Patient/{patient}")},
        "appointment": [{"reference": format!("Appointment/{id}")}],
        "period": {"start": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)}
    });
    if !locations.is_empty() {
        resource["location"] = json!(locations);
    }
    WriteOp::Create {
        resource_type: "Encounter".into(),
        identifier,
        resource,
    }
}

/// The outbox item of a check-in.
pub fn item(
    writes: Vec<Write>,
    patient_id: &str,
    patient_label: &str,
    summary: &str,
    server: &str,
    author: Author,
) -> Item {
    let mut item = Item::new(KIND, patient_id, server, author, writes);
    item.patient_label = crate::text::clean_line(patient_label);
    item.summary = crate::text::clean_line(summary);
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appointment(status: &str) -> Value {
        json!({"resourceType": "Appointment", "id": "a1", "status": status,
               "meta": {"versionId": "2"},
               "participant": [{"actor": {"reference": "Patient/p1"}},
                               {"actor": {"reference": "Location/desk"}}]})
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-10T09:05:00-06:00").unwrap()
    }

    #[test]
    fn a_booked_visit_is_patched_with_a_test_of_its_status() {
        let CheckIn::Writes(w) = plan(
            &appointment("booked"),
            Some("2".into()),
            Method::Patch,
            None,
        ) else {
            panic!("no writes");
        };
        assert_eq!(w.len(), 1);
        let WriteOp::Patch {
            if_match, patch, ..
        } = &w[0].op
        else {
            panic!("not a patch");
        };
        assert_eq!(if_match.as_deref(), Some("2"));
        assert_eq!(patch[0]["op"], "test");
        assert_eq!(patch[0]["value"], "booked");
        assert_eq!(patch[1]["value"], "arrived");
    }

    #[test]
    fn without_patch_the_whole_appointment_goes_back_with_if_match() {
        let CheckIn::Writes(w) = plan(
            &appointment("booked"),
            Some("2".into()),
            Method::Put,
            Some(now()),
        ) else {
            panic!("no writes");
        };
        let WriteOp::Update {
            resource, if_match, ..
        } = &w[0].op
        else {
            panic!("not an update");
        };
        assert_eq!(resource["status"], "arrived");
        assert!(resource.get("meta").is_none());
        assert_eq!(if_match.as_deref(), Some("2"));
        let WriteOp::Create {
            resource,
            identifier,
            ..
        } = &w[1].op
        else {
            panic!("no encounter");
        };
        assert_eq!(resource["status"], "arrived");
        assert_eq!(resource["appointment"][0]["reference"], "Appointment/a1");
        assert_eq!(resource["subject"]["reference"], "Patient/p1");
        assert_eq!(
            resource["location"][0]["location"]["reference"],
            "Location/desk"
        );
        assert_eq!(identifier, &encounter_identifier("a1"));
        assert_ne!(encounter_identifier("a1"), encounter_identifier("a2"));
    }

    #[test]
    fn arrived_and_cancelled_visits_write_nothing() {
        for s in ["arrived", "checked-in"] {
            assert!(matches!(
                plan(&appointment(s), None, Method::Patch, None),
                CheckIn::Already { .. }
            ));
        }
        for s in ["cancelled", "noshow", "fulfilled", ""] {
            assert!(matches!(
                plan(&appointment(s), None, Method::Patch, None),
                CheckIn::Refused { .. }
            ));
        }
    }
}
