//! Vital signs as US Core vital-sign Observations: category `vital-signs`, the LOINC code
//! of each, UCUM units, `effectiveDateTime` with its offset, the performer, the visit, and
//! the abnormal flag as `interpretation`. Blood pressure is one panel (85354-9) with its
//! systolic (8480-6) and diastolic (8462-4) components; SpO2 is the pulse-oximetry
//! Observation (59408-5 with 2708-6) with the inhaled oxygen flow (3151-8) as a component
//! when given. Each Observation carries its own client identifier.

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use super::check::Findings;
use super::vitals::VitalsEntry;
use super::{Context, LOINC, UCUM, coding, date_time, identifiers};
use crate::chart::Flag;
use crate::fhir::ClientId;

/// `valueQuantity` in UCUM.
fn quantity(value: f64, ucum: &str) -> Value {
    json!({"value": value, "unit": ucum, "system": UCUM, "code": ucum})
}

/// The HL7 interpretation of a flag.
fn interpretation(flag: Flag) -> Value {
    let (code, display) = match flag {
        Flag::Low => ("L", "Low"),
        Flag::High => ("H", "High"),
        Flag::CriticalLow => ("LL", "Critical low"),
        Flag::CriticalHigh => ("HH", "Critical high"),
        Flag::Normal => ("N", "Normal"),
        Flag::Abnormal | Flag::CriticalAbnormal => ("A", "Abnormal"),
    };
    json!([{"coding": [coding(
        "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
        code,
        display,
    )]}])
}

/// The frame every vital sign shares.
fn vital(
    ctx: &Context,
    at: &DateTime<FixedOffset>,
    id: &ClientId,
    codes: &[(&str, &str)],
    text: &str,
) -> Value {
    let codings: Vec<Value> = codes.iter().map(|(c, d)| coding(LOINC, c, d)).collect();
    let mut obs = json!({
        "resourceType": "Observation",
        "identifier": identifiers(id),
        "status": "final",
        "category": [{"coding": [coding(
            "http://terminology.hl7.org/CodeSystem/observation-category",
            "vital-signs",
            "Vital Signs",
        )]}],
        "code": {"coding": codings, "text": text},
        "subject": ctx.subject(),
        "effectiveDateTime": date_time(at),
    });
    let performers = ctx.author_refs();
    if !performers.is_empty() {
        obs["performer"] = Value::Array(performers);
    }
    if let Some(enc) = ctx.encounter_ref() {
        obs["encounter"] = enc;
    }
    obs
}

/// One simple vital sign (a value with a unit), flagged when abnormal.
fn simple(
    ctx: &Context,
    at: &DateTime<FixedOffset>,
    findings: &Findings,
    label: &str,
    codes: &[(&str, &str)],
    value: Value,
) -> (ClientId, Value) {
    let id = ClientId::new_uuid();
    let mut obs = vital(ctx, at, &id, codes, codes[0].1);
    obs["valueQuantity"] = value;
    if let Some(f) = findings.flag(label) {
        obs["interpretation"] = interpretation(f);
    }
    (id, obs)
}

/// The Observations for `entry`, taken at `at`, each with its identifier.
pub fn observations(
    entry: &VitalsEntry,
    at: &DateTime<FixedOffset>,
    ctx: &Context,
    findings: &Findings,
) -> Vec<(ClientId, Value)> {
    let mut out = Vec::new();
    if let Some((s, d)) = entry.bp {
        let id = ClientId::new_uuid();
        let mut obs = vital(
            ctx,
            at,
            &id,
            &[("85354-9", "Blood pressure panel with all children optional")],
            "Blood pressure",
        );
        let flag = findings.flag("BP");
        let part = |code: &str, display: &str, v: f64| {
            let mut c = json!({"code": {"coding": [coding(LOINC, code, display)]}, "valueQuantity": quantity(v, "mm[Hg]")});
            if let Some(f) = flag {
                c["interpretation"] = interpretation(f);
            }
            c
        };
        obs["component"] = json!([
            part("8480-6", "Systolic blood pressure", s),
            part("8462-4", "Diastolic blood pressure", d),
        ]);
        out.push((id, obs));
    }
    if let Some(v) = entry.hr {
        out.push(simple(
            ctx,
            at,
            findings,
            "HR",
            &[("8867-4", "Heart rate")],
            quantity(v, "/min"),
        ));
    }
    if let Some(v) = entry.rr {
        out.push(simple(
            ctx,
            at,
            findings,
            "RR",
            &[("9279-1", "Respiratory rate")],
            quantity(v, "/min"),
        ));
    }
    if let Some(t) = entry.temp {
        out.push(simple(
            ctx,
            at,
            findings,
            "Temp",
            &[("8310-5", "Body temperature")],
            quantity(t.value, t.ucum()),
        ));
    }
    if let Some(v) = entry.spo2 {
        let codes = [
            (
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
            ),
            ("2708-6", "Oxygen saturation in Arterial blood"),
        ];
        let (id, mut obs) = simple(ctx, at, findings, "SpO2", &codes, quantity(v, "%"));
        if let Some(flow) = entry.o2_flow {
            obs["component"] = json!([{
                "code": {"coding": [coding(LOINC, "3151-8", "Inhaled oxygen flow rate")]},
                "valueQuantity": quantity(flow, "L/min"),
            }]);
        }
        out.push((id, obs));
    }
    if let Some(w) = entry.weight {
        out.push(simple(
            ctx,
            at,
            findings,
            "Wt",
            &[("29463-7", "Body weight")],
            quantity(w.value, w.ucum()),
        ));
    }
    if let Some(h) = entry.height {
        out.push(simple(
            ctx,
            at,
            findings,
            "Ht",
            &[("8302-2", "Body height")],
            quantity(h.value, h.ucum()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charting::check::{LastValues, check};
    use crate::charting::vitals::parse_temp;
    use chrono::TimeZone;

    #[test]
    fn vital_signs_are_us_core_observations_flagged_like_the_chart() {
        let now = FixedOffset::west_opt(5 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
            .unwrap();
        let ctx = Context {
            patient_id: "p".into(),
            author: Some("Practitioner/n1".into()),
            encounter: None,
            now,
        };
        let entry = VitalsEntry {
            bp: Some((150.0, 92.0)),
            hr: Some(72.0),
            temp: Some(parse_temp("99.0F").unwrap()),
            spo2: Some(93.0),
            o2_flow: Some(2.0),
            ..VitalsEntry::default()
        };
        let findings = check(&entry, &now, &now, None, &LastValues::default());
        let list = observations(&entry, &now, &ctx, &findings);
        assert_eq!(list.len(), 4);
        let bp = &list[0].1;
        assert_eq!(bp["code"]["coding"][0]["code"], "85354-9");
        assert_eq!(bp["component"][0]["valueQuantity"]["code"], "mm[Hg]");
        assert_eq!(
            bp["component"][0]["interpretation"][0]["coding"][0]["code"],
            "H"
        );
        assert_eq!(bp["effectiveDateTime"], "2026-11-22T09:00:00-05:00");
        assert_eq!(bp["performer"][0]["reference"], "Practitioner/n1");
        assert_eq!(bp["category"][0]["coding"][0]["code"], "vital-signs");
        assert!(list[1].1.get("interpretation").is_none());
        assert_eq!(list[2].1["valueQuantity"]["code"], "[degF]");
        let spo2 = &list[3].1;
        assert_eq!(spo2["component"][0]["code"]["coding"][0]["code"], "3151-8");
        assert_eq!(spo2["interpretation"][0]["coding"][0]["code"], "L");
        assert_ne!(list[0].0, list[1].0);
        assert_eq!(bp["identifier"][0]["value"], list[0].0.value);
    }
}
