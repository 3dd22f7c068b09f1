//! Names, sex and identifiers of patients and practitioners, displayed the way the NHS
//! patient banner guidance sets out: `FAMILY, Given Middle Suffix (Title)`; and the name
//! behind a reference to a clinician or organisation (`who`), for encounters and notes.
//!
//! The MRN is only ever an identifier that says it is one (typed MR, typed "MRN" in text,
//! or in the system a sign-in profile names): never "the first identifier", because a
//! wrong number on the banner defeats the two-identifier check.

use crate::fhir::model::{HumanName, Identifier, Patient, Practitioner, Reference, non_empty};
use crate::fhir::record::PatientRecord;

/// The name to show: among the names still in use (no `period.end`: a name given an end
/// is a former name, whatever its `use` says), `official`, else `usual`, else the first
/// that is not old or a maiden name; only when every name has ended, the same choice among
/// them all; else the first at all.
pub fn preferred_name(names: &[HumanName]) -> Option<&HumanName> {
    let current: Vec<&HumanName> = names.iter().filter(|n| !ended(n)).collect();
    let all: Vec<&HumanName> = names.iter().collect();
    choose_name(&current)
        .or_else(|| choose_name(&all))
        .or_else(|| names.first())
}

/// `official`, else `usual`, else the first that is not old or a maiden name.
fn choose_name<'a>(names: &[&'a HumanName]) -> Option<&'a HumanName> {
    let by_use = |u: &str| names.iter().copied().find(|n| n.use_.as_deref() == Some(u));
    by_use("official").or_else(|| by_use("usual")).or_else(|| {
        names
            .iter()
            .copied()
            .find(|n| !matches!(n.use_.as_deref(), Some("old" | "maiden")))
    })
}

/// Whether the name was given an end (`period.end`): no longer the person's name.
fn ended(name: &HumanName) -> bool {
    name.period
        .as_ref()
        .and_then(|p| non_empty(p.end.as_deref()))
        .is_some()
}

/// `TRANTOW, Kermit (Mr)`: family name in capitals, given names, suffixes (`Jr.`), title
/// without its dot. Falls back to the name's `text`; `None` when the name says nothing.
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
    let suffix: Vec<&str> = name
        .suffix
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    let given = given
        .into_iter()
        .chain(suffix.iter().copied())
        .collect::<Vec<_>>();
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

/// Extensions that carry sex when `gender` is absent, best first, with what each is.
const SEX_EXTENSIONS: [(&str, &str); 4] = [
    (
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex",
        "sex for clinical use",
    ),
    (
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-individual-sex",
        "sex for clinical use",
    ),
    (
        "http://open.epic.com/FHIR/StructureDefinition/extension/legal-sex",
        "legal sex",
    ),
    (
        "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex",
        "sex at birth",
    ),
];

/// The patient's sex for the banner: administrative `gender` when sent, else the first
/// sex extension that says something, named for what it is (`Female (sex for clinical
/// use)`), so a US Core 6+ record does not read "Sex not known".
pub fn patient_sex(p: &Patient) -> Option<String> {
    if let Some(s) = sex(p.gender.as_deref()) {
        return Some(s);
    }
    SEX_EXTENSIONS.iter().find_map(|(url, what)| {
        let e = p
            .extension
            .iter()
            .find(|e| e.url.as_deref() == Some(*url))?;
        let code = e
            .value_code
            .as_deref()
            .or_else(|| e.value_coding.as_ref()?.code.as_deref())
            .or_else(|| e.value_codeable_concept.as_ref()?.first_code());
        let word = match code.map(str::trim) {
            Some("248152002" | "F" | "female") => "Female",
            Some("248153007" | "M" | "male") => "Male",
            _ => return None,
        };
        Some(format!("{word} ({what})"))
    })
}

/// Identifier systems that must not be shown as an MRN (national and personal numbers).
const PRIVATE_SYSTEMS: [&str; 3] = [
    "http://hl7.org/fhir/sid/us-ssn",
    "http://hl7.org/fhir/sid/passport",
    "urn:oid:2.16.840.1.113883.4.1",
];

/// The v2 identifier type system.
const V2_0203: &str = "http://terminology.hl7.org/CodeSystem/v2-0203";

/// Whether an identifier says it is a medical record number: typed `MR` (v2-0203, or a
/// coding with no system), or typed in text only as "MRN" (Epic), or in `mrn_system`.
fn says_mrn(i: &Identifier, mrn_system: Option<&str>) -> bool {
    if let (Some(want), Some(system)) = (mrn_system, i.system.as_deref()) {
        if want.trim() == system.trim() {
            return true;
        }
    }
    let Some(t) = &i.type_ else { return false };
    let typed_mr = t.coding.iter().any(|c| {
        c.code.as_deref().map(str::trim) == Some("MR")
            && c.system.as_deref().is_none_or(|s| s == V2_0203)
    });
    let text = t.text.as_deref().map(|x| x.trim().to_ascii_lowercase());
    typed_mr || matches!(text.as_deref(), Some("mrn" | "medical record number"))
}

/// The medical record number: an identifier that says it is one (`says_mrn`), the one in
/// the profile's `mrn_system` first, current before old (`use: old`, or given a
/// `period.end`: an old one, the only MRN of a replaced record, is marked `(old)`). Never
/// a social security or passport number, and never a guess: `None` when no identifier
/// says it is an MRN.
pub fn mrn(ids: &[Identifier], mrn_system: Option<&str>) -> Option<String> {
    let mut candidates: Vec<&Identifier> = ids
        .iter()
        .filter(|i| {
            non_empty(i.value.as_deref()).is_some()
                && !i
                    .system
                    .as_deref()
                    .is_some_and(|s| PRIVATE_SYSTEMS.contains(&s))
                && says_mrn(i, mrn_system)
        })
        .collect();
    // The profile's system first (a stable sort keeps the server's order otherwise).
    let in_profile_system = |i: &Identifier| {
        mrn_system.is_some_and(|want| i.system.as_deref().map(str::trim) == Some(want.trim()))
    };
    candidates.sort_by_key(|i| !in_profile_system(i));
    let value = |i: &&Identifier| i.value.as_deref().map(|v| v.trim().to_owned());
    let current = candidates.iter().find(|i| !retired(i)).and_then(value);
    current.or_else(|| {
        candidates
            .first()
            .and_then(value)
            .map(|v| format!("{v} (old)"))
    })
}

/// Whether an identifier is no longer in use: `use: old`, or given an end (`period.end`).
fn retired(i: &Identifier) -> bool {
    i.use_.as_deref() == Some("old")
        || i.period
            .as_ref()
            .and_then(|p| non_empty(p.end.as_deref()))
            .is_some()
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
        let jr = name(r#"{"family":"Testpatient","given":["Theodore"],"suffix":["Jr."]}"#);
        assert_eq!(banner_name(&jr).unwrap(), "TESTPATIENT, Theodore Jr.");
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
        assert_eq!(mrn(&ids, None).unwrap(), "MRN-1");
        assert_eq!(mrn(&ids[..2], None), None);
        // An untyped usual identifier is not taken for an MRN, unless the profile names
        // its system.
        let usual: Vec<Identifier> = serde_json::from_str(
            r#"[{"use":"usual","system":"http://hl7.org/fhir/sid/us-ssn","value":"999-00-0000"},
                {"use":"usual","system":"urn:oid:1.2.3","value":"42"}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&usual, None), None);
        assert_eq!(mrn(&usual, Some("urn:oid:1.2.3")).unwrap(), "42");
        assert_eq!(mrn(&usual, Some("http://hl7.org/fhir/sid/us-ssn")), None);
    }

    #[test]
    fn epic_types_its_identifiers_in_text_only() {
        let ids: Vec<Identifier> = serde_json::from_str(
            r#"[{"use":"usual","type":{"text":"CEID"},"system":"urn:oid:1.2.840.114350.1.13.0.1.7.3.688884.100","value":"ZZDCE8M4Q2T9X1K"},
                {"use":"usual","type":{"text":"EPI"},"system":"urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.0","value":"E990017"},
                {"use":"usual","type":{"text":" mrn "},"system":"urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14","value":"990017314"}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&ids, None).unwrap(), "990017314");
        assert_eq!(mrn(&ids[..2], None), None);
        let old: Vec<Identifier> = serde_json::from_str(
            r#"[{"use":"old","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"MR"}]},"value":"MR-1"}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&old, None).unwrap(), "MR-1 (old)");
    }

    #[test]
    fn sex_from_us_core_extensions_says_which() {
        let p: Patient = serde_json::from_str(
            r#"{"extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"},
                {"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-sex","valueCode":"248152002"}]}"#,
        )
        .unwrap();
        assert_eq!(patient_sex(&p).unwrap(), "Female (sex for clinical use)");
        let birth_only: Patient = serde_json::from_str(
            r#"{"extension":[{"url":"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"M"},
                {"url":"http://x","valueCode":1}]}"#,
        )
        .unwrap();
        assert_eq!(patient_sex(&birth_only).unwrap(), "Male (sex at birth)");
        assert_eq!(patient_sex(&Patient::default()), None);
    }

    #[test]
    fn a_name_given_an_end_is_not_the_name_shown() {
        let names: Vec<HumanName> = serde_json::from_str(
            r#"[{"use":"nickname","given":["Bobby"]},
                {"use":"official","family":"Roberts","given":["Robert"],"period":{"end":"2001-01-01"}},
                {"use":"usual","family":"Roberts-Smith","given":["Robert"]}]"#,
        )
        .unwrap();
        assert_eq!(
            banner_name(preferred_name(&names).unwrap()).unwrap(),
            "ROBERTS-SMITH, Robert"
        );
        // Every name ended: still a name, chosen the same way.
        let ended: Vec<HumanName> = serde_json::from_str(
            r#"[{"use":"usual","family":"Old","given":["A"],"period":{"end":"2001-01-01"}},
                {"use":"official","family":"Older","given":["A"],"period":{"end":"1999-01-01"}}]"#,
        )
        .unwrap();
        assert_eq!(
            banner_name(preferred_name(&ended).unwrap()).unwrap(),
            "OLDER, A"
        );
    }

    #[test]
    fn an_mrn_given_an_end_is_old_and_the_profiles_system_comes_first() {
        let ids: Vec<Identifier> = serde_json::from_str(
            r#"[{"type":{"coding":[{"code":"MR"}]},"system":"urn:oid:1","value":"RETIRED","period":{"end":"2020-01-01"}},
                {"type":{"coding":[{"code":"MR"}]},"system":"urn:oid:2","value":"OTHER-SITE"},
                {"type":{"coding":[{"code":"MR"}]},"system":"urn:oid:3","value":"OURS"}]"#,
        )
        .unwrap();
        assert_eq!(mrn(&ids, None).as_deref(), Some("OTHER-SITE"));
        assert_eq!(mrn(&ids, Some("urn:oid:3")).as_deref(), Some("OURS"));
        assert_eq!(mrn(&ids[..1], None).as_deref(), Some("RETIRED (old)"));
    }
}
