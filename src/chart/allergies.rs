//! Allergies and the banner's allergy flag, which must tell three states apart: allergies
//! recorded, "no known allergies" recorded (NKA), and nothing recorded at all, which is
//! not the same as NKA and must never be shown as if it were.

use serde::Serialize;

use super::codes::{label_or, labels, notes, source_ids, status_code, withdrawn, words};
use super::date::{show_date, sort_key};
use super::format::NOT_KNOWN;
use crate::fhir::model::AllergyIntolerance;

/// One allergy or intolerance, as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllergyRow {
    pub id: Option<String>,
    /// `Type/id` of the resource it was built from.
    pub ids: Vec<String>,
    pub substance: String,
    /// `Medication`, `Food`, `Environment`, `Biologic`, or "Not known".
    pub category: String,
    /// `High`, `Low`, `Unable to assess`, or "Not known".
    pub criticality: String,
    pub reactions: String,
    /// `Active`, `Inactive`, `Resolved`.
    pub status: String,
    /// `Confirmed`, `Unconfirmed`, `Presumed`...; "Not known" when not given.
    pub verification: String,
    /// When it was recorded (`recordedDate`), or "Not known".
    pub recorded: String,
    pub recorded_iso: Option<String>,
    /// When it began (`onsetDateTime`), or "Not known": not the same as recorded.
    pub onset: String,
    pub onset_iso: Option<String>,
    pub active: bool,
    /// The allergy's `note`s, joined.
    pub note: Option<String>,
}

impl AllergyRow {
    /// When it was recorded, else when it began: for ordering newest first.
    fn when(&self) -> Option<&str> {
        self.recorded_iso.as_deref().or(self.onset_iso.as_deref())
    }
}

/// The allergy flag of the banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AllergyFlag {
    /// Active allergies are recorded.
    Allergies {
        count: usize,
        /// `high`, `low` or `unable-to-assess`, the most severe recorded; `None` if none says.
        highest_criticality: Option<String>,
        substances: Vec<String>,
        /// "No known … allergy" statements recorded beside them (a "no known food allergy"
        /// next to a drug allergy), in words, shown under the allergy list.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        also_recorded: Vec<String>,
        /// `Type/id` of those statements (and of any "no information" ones).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        statements: Vec<String>,
    },
    /// A "no known allergy" statement is recorded: `NKA`, or narrower such as `NKDA`.
    NoKnownAllergies {
        label: String,
        /// `Type/id` of the statements.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        ids: Vec<String>,
    },
    /// Nothing is recorded: allergies are not known, which is not the same as none. `ids`
    /// names resources that said so ("no information about allergies").
    NoInformation {
        #[serde(skip_serializing_if = "Vec::is_empty")]
        ids: Vec<String>,
    },
    /// The allergy list was not loaded or failed to load.
    NotLoaded { message: Option<String> },
}

impl AllergyFlag {
    /// `Type/id` of the statements behind an NKA or "not known" flag (none for allergies,
    /// whose rows name them).
    pub fn ids(&self) -> &[String] {
        match self {
            AllergyFlag::NoKnownAllergies { ids, .. }
            | AllergyFlag::NoInformation { ids }
            | AllergyFlag::Allergies {
                statements: ids, ..
            } => ids,
            _ => &[],
        }
    }

    /// The flag in a few words for the banner.
    pub fn summary(&self) -> String {
        match self {
            AllergyFlag::Allergies {
                count,
                highest_criticality,
                ..
            } => {
                let noun = if *count == 1 { "allergy" } else { "allergies" };
                match highest_criticality.as_deref() {
                    Some("high") => format!("{count} {noun} (high criticality)"),
                    Some("low") => format!("{count} {noun} (low criticality)"),
                    _ => format!("{count} {noun}"),
                }
            }
            AllergyFlag::NoKnownAllergies { label, .. } => label.clone(),
            AllergyFlag::NoInformation { .. } => "Allergies not known".to_owned(),
            AllergyFlag::NotLoaded { .. } => "Allergies not loaded".to_owned(),
        }
    }
}

/// SNOMED CT and IPS codes that record an absence of allergies, with the banner label.
const NO_KNOWN: [(&str, &str); 9] = [
    ("716186003", "NKA"),
    ("409137002", "NKDA"),
    ("428607008", "No known environmental allergy"),
    ("429625007", "No known food allergy"),
    ("428197003", "No known insect allergy"),
    ("no-known-allergies", "NKA"),
    ("no-known-medication-allergies", "NKDA"),
    (
        "no-known-environmental-allergies",
        "No known environmental allergy",
    ),
    ("no-known-food-allergies", "No known food allergy"),
];

/// Codes that say allergy information is not available (IPS): the same as no record.
const NO_INFO: [&str; 2] = ["no-allergy-info", "1150002"];

/// The allergy rows (active first, then newest) and the banner flag.
pub fn allergies(list: &[AllergyIntolerance]) -> (Vec<AllergyRow>, AllergyFlag) {
    let mut rows = Vec::new();
    let mut no_known: Vec<(&str, Vec<String>)> = Vec::new();
    let mut no_info: Vec<String> = Vec::new();
    for a in list {
        let verification = status_code(a.verification_status.as_ref());
        if withdrawn(a.verification_status.as_ref()) {
            continue;
        }
        let ids = source_ids("AllergyIntolerance", a.id.as_ref());
        let clinical = status_code(a.clinical_status.as_ref());
        let active = matches!(clinical, None | Some("active"));
        let code = a.code.as_ref();
        if let Some(label) = NO_KNOWN
            .iter()
            .find(|(c, _)| code.is_some_and(|cc| cc.has_code(c)))
            .map(|(_, l)| *l)
        {
            if active {
                no_known.push((label, ids));
            } else {
                // An NKA statement no longer active says nothing now: not known.
                no_info.extend(ids);
            }
            continue;
        }
        if NO_INFO
            .iter()
            .any(|c| code.is_some_and(|cc| cc.has_code(c)))
        {
            no_info.extend(ids);
            continue;
        }
        rows.push(row(a, ids, clinical, verification, active));
    }
    // Active first; among them the most dangerous first (high criticality), then newest.
    rows.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then(rank(&b.criticality).cmp(&rank(&a.criticality)))
            .then(sort_key(b.when()).cmp(&sort_key(a.when())))
            .then_with(|| a.substance.cmp(&b.substance))
    });
    let flag = flag(&rows, no_known, no_info);
    (rows, flag)
}

/// How dangerous a criticality is: high, unable to assess, low, then not known.
fn rank(criticality: &str) -> u8 {
    match criticality {
        "High" => 3,
        "Unable to assess" => 2,
        "Low" => 1,
        _ => 0,
    }
}

/// One allergy as listed, with its clinical and verification status codes.
fn row(
    a: &AllergyIntolerance,
    ids: Vec<String>,
    clinical: Option<&str>,
    verification: Option<&str>,
    active: bool,
) -> AllergyRow {
    let reactions: Vec<String> = a
        .reaction
        .iter()
        .filter_map(|r| {
            labels(&r.manifestation).map(|m| match r.severity.as_deref() {
                Some(s) if !s.trim().is_empty() => format!("{m} ({})", s.trim()),
                _ => m,
            })
        })
        .collect();
    AllergyRow {
        id: a.id.clone(),
        ids,
        substance: substance(a),
        category: a
            .category
            .first()
            .map(|c| words(c))
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        criticality: a
            .criticality
            .as_deref()
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        reactions: if reactions.is_empty() {
            NOT_KNOWN.to_owned()
        } else {
            reactions.join("; ")
        },
        // No clinical status sent: listed as active (the safe side) but not said to be.
        status: clinical.map(words).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        verification: verification
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        recorded: show_date(a.recorded_date.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        recorded_iso: a.recorded_date.clone(),
        onset: show_date(a.onset_date_time.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        onset_iso: a.onset_date_time.clone(),
        active,
        note: notes(&a.note),
    }
}

/// The banner flag: the active allergies, else a recorded "no known allergy" (NKA before
/// narrower ones), else nothing recorded. The statements' ids go with the flag that shows
/// them; beside real allergies they are named by the allergy flag too.
fn flag(
    rows: &[AllergyRow],
    no_known: Vec<(&str, Vec<String>)>,
    no_info: Vec<String>,
) -> AllergyFlag {
    let statement_ids: Vec<String> = no_known
        .iter()
        .flat_map(|(_, ids)| ids.iter().cloned())
        .chain(no_info.iter().cloned())
        .collect();
    let active: Vec<&AllergyRow> = rows.iter().filter(|r| r.active).collect();
    if !active.is_empty() {
        let highest = active
            .iter()
            .map(|r| r.criticality.as_str())
            .max_by_key(|c| rank(c))
            .filter(|c| rank(c) > 0)
            .map(|c| c.to_lowercase().replace(' ', "-"));
        AllergyFlag::Allergies {
            count: active.len(),
            highest_criticality: highest,
            substances: active.iter().map(|r| r.substance.clone()).collect(),
            also_recorded: no_known.iter().map(|(l, _)| (*l).to_owned()).collect(),
            statements: statement_ids,
        }
    } else if let Some((label, _)) = no_known
        .iter()
        .find(|(l, _)| *l == "NKA")
        .or(no_known.first())
    {
        AllergyFlag::NoKnownAllergies {
            label: (*label).to_owned(),
            ids: statement_ids,
        }
    } else {
        AllergyFlag::NoInformation { ids: statement_ids }
    }
}

/// What the allergy is to: its code, else the substance its reactions name (some systems
/// send the allergen only there), else "Substance not recorded".
fn substance(a: &AllergyIntolerance) -> String {
    let from_reaction = a.reaction.iter().find_map(|r| r.substance.as_ref());
    label_or(
        a.code
            .as_ref()
            .filter(|c| c.label().is_some())
            .or(from_reaction),
        "Substance not recorded",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Vec<AllergyIntolerance> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn counts_active_confirmed_allergies_with_highest_criticality() {
        let list = parse(
            r#"[{"code":{"text":"Latex"},"criticality":"low","recordedDate":"2020-01-01"},
                {"code":{"text":"Penicillin"},"criticality":"high","recordedDate":"2019-01-01",
                 "reaction":[{"manifestation":[{"text":"Anaphylaxis"}],"severity":"severe"}]},
                {"code":{"text":"Sulfa"},"verificationStatus":{"coding":[{"code":"entered-in-error"}]}},
                {"code":{"text":"Codeine"},"clinicalStatus":{"coding":[{"code":"inactive"}]}}]"#,
        );
        let (rows, flag) = allergies(&list);
        assert_eq!(rows.len(), 3);
        // The high-criticality allergy comes first, though recorded earlier.
        assert_eq!(rows[0].substance, "Penicillin");
        assert_eq!(rows[0].reactions, "Anaphylaxis (severe)");
        assert_eq!(rows[1].substance, "Latex");
        assert!(!rows[2].active);
        assert_eq!(flag.summary(), "2 allergies (high criticality)");
    }

    #[test]
    fn nka_is_not_the_same_as_nothing_recorded() {
        let nka = parse(
            r#"[{"code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003"}]},
            "clinicalStatus":{"coding":[{"code":"active"}]}}]"#,
        );
        let (rows, flag) = allergies(&nka);
        assert!(rows.is_empty());
        assert_eq!(
            flag,
            AllergyFlag::NoKnownAllergies {
                label: "NKA".into(),
                ids: vec![]
            }
        );
        let (_, none) = allergies(&[]);
        assert_eq!(none, AllergyFlag::NoInformation { ids: vec![] });
        assert_eq!(none.summary(), "Allergies not known");
        let refuted_only = parse(
            r#"[{"code":{"text":"Egg"},"verificationStatus":{"coding":[{"code":"refuted"}]}}]"#,
        );
        assert_eq!(
            allergies(&refuted_only).1,
            AllergyFlag::NoInformation { ids: vec![] }
        );
    }

    #[test]
    fn a_bare_allergy_shows_not_known_fields() {
        let (rows, flag) = allergies(&parse(r#"[{"code":{"text":"Shellfish"}}]"#));
        assert_eq!(rows[0].criticality, "Not known");
        assert_eq!(rows[0].reactions, "Not known");
        assert_eq!(rows[0].recorded, "Not known");
        // No clinical status sent: counted as active (the safe side), not said to be.
        assert_eq!(rows[0].status, "Not known");
        assert!(rows[0].active);
        assert_eq!(rows[0].verification, "Not known");
        assert_eq!(flag.summary(), "1 allergy");
    }

    #[test]
    fn onset_is_not_recorded_and_notes_are_kept() {
        let (rows, _) = allergies(&parse(
            r#"[{"id":"a1","code":{"text":"Peanut"},"onsetDateTime":"1990-05-01",
                 "note":[{"text":"Carries an epinephrine pen"}]}]"#,
        ));
        assert_eq!(rows[0].onset, "01-May-1990");
        assert_eq!(rows[0].recorded, "Not known");
        assert_eq!(rows[0].note.as_deref(), Some("Carries an epinephrine pen"));
        assert_eq!(rows[0].ids, ["AllergyIntolerance/a1"]);
    }
}
