//! Names, sex and identifiers of patients and practitioners, displayed the way the NHS
//! patient banner guidance sets out: `FAMILY, Given Middle (Title)`; and the name behind a
//! reference to a clinician or organisation (`who`), for encounters and notes.

use crate::fhir::model::{HumanName, Identifier, Patient, Practitioner, Reference, non_empty};
use crate::fhir::record::PatientRecord;

/// The name to show: `official`, else `usual`, else the first that is not old or a maiden
/// name, else the first at all.
pub fn preferred_name(names: &[HumanName]) -> Option<&HumanName> {
    let by_use = |u: &str| names.iter().find(|n| n.use_.as_deref() == Some(u));
    by_use("official")
        .or_else(|| by_use("usual"))
        .or_else(|| {
            names
                .iter()
                .find(|n| !matches!(n.use_.as_deref(), Some("old" | "maiden")))
        })
        .or_else(|| names.first())
}

/// `TRANTOW, Kermit (Mr)`: family name in capitals, given names, title without its dot.
/// Falls back to the name's `text`; `None` when the name says nothing.
pub fn banner_name(name: &HumanName) -> Option<String> {
    let family = non_empty(name.family.as_deref()).map(|f| f.trim().to_uppercase());
    let given: Vec<&str> = name
        .given
        .iter()
        .map(|g| g.trim())
        .filter(|g| !g.is_empty())
        .collect();
    let title = name
        .prefix
        .iter()
        .map(|p| p.trim().trim_end_matches('.'))
        .find(|p| !p.is_empty());
    let core = match (family, given.is_empty()) {
        (Some(f), false) => format!("{f}, {}", given.join(" ")),
        (Some(f), true) => f,
        (None, false) => given.join(" "),
        (None, true) => return non_empty(name.text.as_deref()).map(|t| t.trim().to_owned()),
    };
    Some(match title {
        Some(t) => format!("{core} ({t})"),
        None => core,
    })
}

/// `Kermit Trantow` (given names then family), for prose and practitioner names.
pub fn plain_name(name: &HumanName) -> Option<String> {
    if let Some(text) = non_empty(name.text.as_deref()) {
        return Some(text.trim().to_owned());
    }
    let parts: Vec<&str> = name
        .prefix
        .iter()
        .chain(name.given.iter())
        .map(|s| s.trim())
        .chain(name.family.as_deref().map(str::trim))
        .chain(name.suffix.iter().map(|s| s.trim()))
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// A practitioner's name, e.g. `Dr. Levi Reichert`.
pub fn practitioner_name(p: &Practitioner) -> Option<String> {
    preferred_name(&p.name).and_then(plain_name)
}

/// The name behind a reference: its display, else the included Practitioner's name, else
/// the Organization's name.
pub fn who(record: &PatientRecord, r: Option<&Reference>) -> Option<String> {
    let r = r?;
    if let Some(d) = non_empty(r.display.as_deref()) {
        return Some(d.trim().to_owned());
    }
    let key = r.local_key()?;
    record
        .practitioners
        .get(&key)
        .and_then(practitioner_name)
        .or_else(|| record.organizations.get(&key)?.display().map(str::to_owned))
}

/// The patient's banner name, or `None` when no name is recorded.
pub fn patient_name(p: &Patient) -> Option<String> {
    preferred_name(&p.name).and_then(banner_name)
}

/// `Male`, `Female`, `Other`, `Unknown` for FHIR administrative gender; `None` if absent.
/// A code outside the value set is shown as sent, but sanitized here: this label is drawn
/// as if it were one of the four words (not as server text).
pub fn sex(gender: Option<&str>) -> Option<String> {
    let g = non_empty(gender)?.trim();
    Some(match g {
        "male" => "Male".to_owned(),
        "female" => "Female".to_owned(),
        "other" => "Other".to_owned(),
        "unknown" => "Unknown".to_owned(),
        other => {
            let shown = crate::text::clean_line(other);
            if shown.is_empty() {
                return None;
            }
            shown
        }
    })
}

/// Identifier systems that must not be shown as an MRN (national and personal numbers).
const PRIVATE_SYSTEMS: [&str; 3] = [
    "http://hl7.org/fhir/sid/us-ssn",
    "http://hl7.org/fhir/sid/passport",
    "urn:oid:2.16.840.1.113883.4.1",
];

/// Identifier type codes (v2-0203) that are not a medical record number.
const NOT_MRN_TYPES: [&str; 6] = ["SS", "SB", "DL", "PPN", "TAX", "NI"];

/// The medical record number: an identifier typed `MR`, else the `usual`/`official` one
/// that is not a national or personal number. Never a social security or passport number.
pub fn mrn(ids: &[Identifier]) -> Option<String> {
    let usable = |i: &&Identifier| {
        non_empty(i.value.as_deref()).is_some()
            && !i
                .system
                .as_deref()
                .is_some_and(|s| PRIVATE_SYSTEMS.contains(&s))
            && i.use_.as_deref() != Some("old")
    };
    let typed_mr = ids.iter().filter(usable).find(|i| {
        i.type_
            .as_ref()
            .is_some_and(|t| t.has_code("MR") || t.has_code("MRN"))
    });
    let untyped_usual = || {
        ids.iter().filter(usable).find(|i| {
            matches!(i.use_.as_deref(), Some("usual" | "official"))
                && !i
                    .type_
                    .as_ref()
                    .is_some_and(|t| NOT_MRN_TYPES.iter().any(|c| t.has_code(c)))
        })
    };
    typed_mr
        .or_else(untyped_usual)
        .and_then(|i| i.value.as_deref())
        .map(|v| v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gender_outside_the_value_set_is_shown_cleaned() {
        assert_eq!(sex(Some(" female ")).as_deref(), Some("Female"));
        assert_eq!(
            sex(Some("x\u{1b}]52;c;ZXZpbA==\u{7}y\u{202e}")).as_deref(),
            Some("xy")
        );
        assert_eq!(sex(Some("\u{1b}[2J")), None);
    }

    fn name(json: &str) -> HumanName {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn banner_names_follow_the_nhs_style() {
        let n =
            name(r#"{"use":"official","family":"Trantow","given":["Kermit"],"prefix":["Mr."]}"#);
        assert_eq!(banner_name(&n).unwrap(), "TRANTOW, Kermit (Mr)");
        assert_eq!(plain_name(&n).unwrap(), "Mr. Kermit Trantow");
        let text_only = name(r#"{"text":"Dee Sparse"}"#);
        assert_eq!(banner_name(&text_only).unwrap(), "Dee Sparse");
        assert_eq!(banner_name(&name("{}")), None);
        let names = vec![
            name(r#"{"use":"maiden","family":"Old"}"#),
            name(r#"{"use":"usual","family":"New","given":["Ann","Marie"]}"#),
        ];
        assert_eq!(
            banner_name(preferred_name(&names).unwrap()).unwrap(),
            "NEW, Ann Marie"
        );
    }

    #[test]
    fn mrn_is_the_mr_identifier_never_the_ssn() {
        let ids: Vec<Identifier> = serde_json::from_str(
            r#"[{"system":"https://github.com/synthetichealth/synthea","value":"abc"},
                {"type":{"coding":[{"code":"SS"}]},"system":"http://hl7.org/fhir/sid/us-ssn","value":"999-64-9098"},
                {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},
                 "system":"http://hospital.example","value":" MRN-1 "}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&ids).unwrap(), "MRN-1");
        assert_eq!(mrn(&ids[..2]), None);
        let usual: Vec<Identifier> = serde_json::from_str(
            r#"[{"use":"usual","system":"http://hl7.org/fhir/sid/us-ssn","value":"999-00-0000"},
                {"use":"usual","system":"urn:oid:1.2.3","value":"42"}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&usual).unwrap(), "42");
    }
}
