//! The Procedures tab (CPRS "Surgery"): surgical and other procedures, newest first, with
//! when, status, body site and outcome; then implanted devices (US Core Implantable
//! Device) with their UDI. Entered-in-error records are left out; procedures not done
//! stay listed, marked so (a planned operation that did not happen is history too).

use serde::Serialize;

use super::codes::{label_or, labels, words};
use super::date::{show_date, show_date_time, sort_key};
use super::format::{NOT_KNOWN, quantity, range};
use super::person::who;
use crate::fhir::model::{Device, Procedure, non_empty};
use crate::fhir::record::PatientRecord;

/// The procedures and implants of a chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Procedures {
    /// Newest first.
    pub procedures: Vec<ProcedureRow>,
    /// Active devices first.
    pub devices: Vec<DeviceRow>,
}

/// One procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureRow {
    pub name: String,
    /// `18-Jun-2012 08:10`, `1958`, `at age 45 a`, or "Not known".
    pub date: String,
    pub date_iso: Option<String>,
    /// When a performed period ended.
    pub end: Option<String>,
    /// `Completed`, `Not done`, `In progress`, `Stopped`...
    pub status: String,
    /// Whether it was done (or is being done): not `not-done`.
    pub done: bool,
    /// Why it was not done, when it was not.
    pub status_reason: Option<String>,
    pub category: Option<String>,
    pub body_site: Option<String>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub performer: Option<String>,
    pub complications: Option<String>,
    /// Devices it implanted, removed or changed (their names when loaded).
    pub devices: Vec<String>,
    pub ids: Vec<String>,
}

/// One device in or on the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceRow {
    /// What it is (its type): `Cardiac pacemaker`.
    pub name: String,
    /// Its product name: `Zz dual-chamber pacemaker`.
    pub device_name: Option<String>,
    /// The UDI as printed on the label (`carrierHRF`), else the device identifier.
    pub udi: Option<String>,
    /// `Active`, `Inactive`, `Unknown`.
    pub status: String,
    pub active: bool,
    /// When a procedure put it in (from the procedure that names it), e.g. `03-Nov-2021`.
    pub implanted: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub expires: Option<String>,
    pub ids: Vec<String>,
}

/// Build the Procedures tab from a record.
pub fn procedures(record: &PatientRecord) -> Procedures {
    let mut procedures: Vec<ProcedureRow> = record
        .procedures
        .iter()
        .filter(|p| p.status.as_deref().map(str::trim) != Some("entered-in-error"))
        .map(|p| procedure(record, p))
        .collect();
    procedures.sort_by(|a, b| {
        b.done
            .cmp(&a.done)
            .then(sort_key(b.date_iso.as_deref()).cmp(&sort_key(a.date_iso.as_deref())))
            .then_with(|| a.name.cmp(&b.name))
    });
    let mut devices: Vec<DeviceRow> = record
        .devices
        .iter()
        .filter(|d| d.status.as_deref().map(str::trim) != Some("entered-in-error"))
        .map(|d| device(record, d))
        .collect();
    devices.sort_by(|a, b| b.active.cmp(&a.active).then_with(|| a.name.cmp(&b.name)));
    Procedures {
        procedures,
        devices,
    }
}

fn procedure(record: &PatientRecord, p: &Procedure) -> ProcedureRow {
    let date_iso = p
        .performed_date_time
        .clone()
        .or_else(|| p.performed_period.as_ref().and_then(|x| x.start.clone()));
    let date = show_date_time(date_iso.as_deref())
        .or_else(|| non_empty(p.performed_string.as_deref()).map(|s| s.trim().to_owned()))
        .or_else(|| {
            p.performed_age
                .as_ref()
                .map(|a| format!("at age {}", quantity(a)))
        })
        .or_else(|| {
            p.performed_range
                .as_ref()
                .and_then(range)
                .map(|r| format!("at age {r}"))
        })
        .unwrap_or_else(|| NOT_KNOWN.to_owned());
    let status = p.status.as_deref().map(str::trim).unwrap_or("unknown");
    let devices = p
        .focal_device
        .iter()
        .filter_map(|f| f.manipulated.as_ref())
        .filter_map(|r| {
            let id = r.local_key()?.strip_prefix("Device/")?.to_owned();
            let d = record.devices.iter().find(|d| d.id.as_ref() == Some(&id));
            d.map(device_type)
                .or_else(|| non_empty(r.display.as_deref()).map(|s| s.trim().to_owned()))
        })
        .collect();
    ProcedureRow {
        name: label_or(p.code.as_ref(), "Procedure not named"),
        date,
        date_iso,
        end: p
            .performed_period
            .as_ref()
            .and_then(|x| show_date_time(x.end.as_deref())),
        status: words(status),
        done: status != "not-done",
        status_reason: p
            .status_reason
            .as_ref()
            .and_then(|c| c.label())
            .map(|s| s.trim().to_owned()),
        category: p
            .category
            .as_ref()
            .and_then(|c| c.label())
            .map(|s| s.trim().to_owned()),
        body_site: labels(&p.body_site),
        outcome: p
            .outcome
            .as_ref()
            .and_then(|c| c.label())
            .map(|s| s.trim().to_owned()),
        reason: labels(&p.reason_code),
        performer: p
            .performer
            .iter()
            .find_map(|x| who(record, x.actor.as_ref())),
        complications: labels(&p.complication),
        devices,
        ids: p.id.iter().map(|id| format!("Procedure/{id}")).collect(),
    }
}

/// What a device is: its type's text, unless that says no more than "implant" or
/// "device" (then the coded name), else its product name.
fn device_type(d: &Device) -> String {
    let generic = |s: &str| {
        matches!(
            s.trim().to_lowercase().as_str(),
            "implant" | "device" | "implantable device"
        )
    };
    let t = d.type_.as_ref();
    t.and_then(|t| non_empty(t.text.as_deref()).filter(|s| !generic(s)))
        .or_else(|| {
            t?.coding
                .iter()
                .find_map(|c| non_empty(c.display.as_deref()))
        })
        .or_else(|| t.and_then(|t| t.label()))
        .or_else(|| product_name(d))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "Device".to_owned())
}

/// The device's name for people (`user-friendly-name`), else its first name.
fn product_name(d: &Device) -> Option<&str> {
    let named = |kind: &str| {
        d.device_name
            .iter()
            .find(|n| n.type_.as_deref() == Some(kind))
            .and_then(|n| non_empty(n.name.as_deref()))
    };
    named("user-friendly-name").or_else(|| {
        d.device_name
            .iter()
            .find_map(|n| non_empty(n.name.as_deref()))
    })
}

fn device(record: &PatientRecord, d: &Device) -> DeviceRow {
    let status = d.status.as_deref().map(str::trim).unwrap_or("unknown");
    let udi = d.udi_carrier.iter().find_map(|u| {
        non_empty(u.carrier_hrf.as_deref()).or_else(|| non_empty(u.device_identifier.as_deref()))
    });
    let key = d.id.as_ref().map(|id| format!("Device/{id}"));
    let implanted = record
        .procedures
        .iter()
        .filter(|p| p.status.as_deref() == Some("completed"))
        .find(|p| {
            p.focal_device
                .iter()
                .filter_map(|f| f.manipulated.as_ref()?.local_key())
                .any(|k| Some(&k) == key.as_ref())
        })
        .and_then(|p| {
            let when = p
                .performed_date_time
                .as_deref()
                .or_else(|| p.performed_period.as_ref()?.start.as_deref());
            show_date(when)
        });
    let text = |s: &Option<String>| non_empty(s.as_deref()).map(|s| s.trim().to_owned());
    DeviceRow {
        name: device_type(d),
        device_name: product_name(d).map(|s| s.trim().to_owned()),
        udi: udi.map(|s| s.trim().to_owned()),
        status: words(status),
        active: status == "active",
        implanted,
        manufacturer: text(&d.manufacturer),
        model: text(&d.model_number),
        lot: text(&d.lot_number),
        serial: text(&d.serial_number),
        expires: show_date(d.expiration_date.as_deref()),
        ids: key.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::record::RecordBuilder;
    use serde_json::json;

    #[test]
    fn procedures_newest_first_not_done_last_and_implants_with_udi() {
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        let s = json!({"reference":"Patient/p"});
        b.add(
            json!({"resourceType":"Procedure","id":"appy","status":"completed","subject":s,
            "code":{"text":"Appendectomy"},"performedDateTime":"1958"}),
        );
        b.add(
            json!({"resourceType":"Procedure","id":"pacer","status":"completed","subject":s,
            "code":{"text":"Pacemaker insertion"},"performedDateTime":"2021-11-03",
            "bodySite":[{"text":"Chest"}],"outcome":{"text":"Successful"},
            "focalDevice":[{"manipulated":{"reference":"Device/d1"}}]}),
        );
        b.add(json!({"resourceType":"Procedure","id":"knee","status":"not-done","subject":s,
            "code":{"text":"Knee replacement"},"statusReason":{"text":"Patient declined"},
            "performedPeriod":{"start":"2024-02-01T08:00:00-05:00","end":"2024-02-01T10:00:00-05:00"}}));
        b.add(
            json!({"resourceType":"Procedure","id":"eie","status":"entered-in-error","subject":s,
            "code":{"text":"Wrong"}}),
        );
        b.add(
            json!({"resourceType":"Device","id":"d1","status":"active","patient":s,
            "type":{"coding":[{"display":"Cardiac pacemaker"}],"text":"Implant"},
            "udiCarrier":[{"deviceIdentifier":"00999","carrierHRF":"(01)00999(21)SN1"}],
            "deviceName":[{"name":"Zz pacer","type":"user-friendly-name"}]}),
        );
        let p = procedures(&b.finish());
        let names: Vec<(&str, &str, &str)> = p
            .procedures
            .iter()
            .map(|r| (r.name.as_str(), r.date.as_str(), r.status.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Pacemaker insertion", "03-Nov-2021", "Completed"),
                ("Appendectomy", "1958", "Completed"),
                ("Knee replacement", "01-Feb-2024 08:00", "Not done"),
            ]
        );
        assert_eq!(p.procedures[0].devices, ["Cardiac pacemaker"]);
        assert_eq!(p.procedures[0].body_site.as_deref(), Some("Chest"));
        assert_eq!(
            p.procedures[2].status_reason.as_deref(),
            Some("Patient declined")
        );
        assert_eq!(p.procedures[2].end.as_deref(), Some("01-Feb-2024 10:00"));
        let d = &p.devices[0];
        assert_eq!(d.name, "Cardiac pacemaker");
        assert_eq!(d.udi.as_deref(), Some("(01)00999(21)SN1"));
        assert_eq!(d.device_name.as_deref(), Some("Zz pacer"));
        assert_eq!(d.implanted.as_deref(), Some("03-Nov-2021"));
        assert_eq!(d.ids, ["Device/d1"]);
    }
}
