//! "No known allergies" as an AllergyIntolerance: SNOMED CT 716186003 (No known
//! allergy), clinical status active, verification confirmed, with the recorder and the
//! time. Only where the chart says allergies are not known: an NKA over recorded allergies
//! (or over an NKA already recorded) is refused.

use serde_json::{Value, json};

use super::{Context, SNOMED, coding, date_time, identifiers};
use crate::chart::AllergyFlag;
use crate::fhir::ClientId;

/// Whether NKA may be recorded on a chart whose banner flag is `flag`; the reason if not.
pub fn may_record(flag: &AllergyFlag) -> Result<(), String> {
    match flag {
        AllergyFlag::NoInformation { .. } => Ok(()),
        AllergyFlag::Allergies { count, .. } => Err(format!(
            "the chart records {count} allerg{}: \"no known allergies\" would contradict it",
            if *count == 1 { "y" } else { "ies" }
        )),
        AllergyFlag::NoKnownAllergies { label, .. } => {
            Err(format!("the chart already records {label}"))
        }
        AllergyFlag::NotLoaded { .. } => {
            Err("the allergy list could not be loaded: nothing is recorded blind".into())
        }
    }
}

/// The AllergyIntolerance recording NKA, with identifier `id`.
pub fn no_known_allergies(ctx: &Context, id: &ClientId) -> Value {
    let mut a = json!({
        "resourceType": "AllergyIntolerance",
        "identifier": identifiers(id),
        "clinicalStatus": {"coding": [coding(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
            "active",
            "Active",
        )]},
        "verificationStatus": {"coding": [coding(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
            "confirmed",
            "Confirmed",
        )]},
        "code": {"coding": [coding(SNOMED, "716186003", "No known allergy (situation)")], "text": "No known allergies"},
        "patient": ctx.subject(),
        "recordedDate": date_time(&ctx.now),
    });
    if let Some(who) = &ctx.author {
        a["recorder"] = json!({"reference": who});
    }
    if let Some(enc) = ctx.encounter_ref() {
        a["encounter"] = enc;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nka_only_where_allergies_are_not_known() {
        assert!(may_record(&AllergyFlag::NoInformation { ids: vec![] }).is_ok());
        // An IPS "no information about allergies" is not known either.
        let stated = AllergyFlag::NoInformation {
            ids: vec!["AllergyIntolerance/no-info".into()],
        };
        assert!(may_record(&stated).is_ok());
        let some = AllergyFlag::Allergies {
            count: 2,
            highest_criticality: None,
            substances: vec![],
            also_recorded: vec![],
            statements: vec![],
        };
        assert!(may_record(&some).unwrap_err().contains("2 allergies"));
        let nka = AllergyFlag::NoKnownAllergies {
            label: "NKA".into(),
            ids: vec![],
        };
        assert!(may_record(&nka).is_err());
        let ctx = Context {
            patient_id: "p".into(),
            author: Some("Practitioner/x".into()),
            encounter: None,
            now: chrono::Utc::now().fixed_offset(),
        };
        let a = no_known_allergies(&ctx, &ClientId::new_uuid());
        assert_eq!(a["code"]["coding"][0]["code"], "716186003");
        assert_eq!(a["verificationStatus"]["coding"][0]["code"], "confirmed");
        assert_eq!(a["recorder"]["reference"], "Practitioner/x");
        assert_eq!(a["patient"]["reference"], "Patient/p");
    }
}
