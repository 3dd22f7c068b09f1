//! The searches rounds sends: patient search criteria and the per-section chart queries.
//!
//! This module only builds requests; it sends nothing. Keeping the query plan here lets the
//! remote client, the benchmarks and the tests agree on exactly what a chart costs.

mod patient;
mod postings;

use serde::{Deserialize, Serialize};
use url::form_urlencoded;

pub use patient::{EARLIEST_BIRTH_YEAR, PERSON_TERMS, PatientQuery, check_birth_date};
pub use postings::{ADI_DOCUMENT_CATEGORY, DIRECTIVE_OBSERVATION_CODES, found_by_postings_search};

/// A part of the chart that needs its own search. The Patient itself is always read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// AllergyIntolerance: needed by the banner's allergy flag.
    Allergies,
    /// Condition: the problem list.
    Problems,
    /// MedicationRequest with its Medication and prescriber.
    Medications,
    /// Observation, category laboratory.
    Labs,
    /// Observation, category vital-signs.
    Vitals,
    /// Encounter with its practitioners and organisation.
    Encounters,
    /// Immunization.
    Immunizations,
    /// DocumentReference and DiagnosticReport.
    Notes,
    /// MedicationStatement (with its Medication): what the patient or a record says is
    /// taken. Its own section, so a server without it leaves the orders shown.
    MedicationStatements,
    /// Flag, advance-directive DocumentReferences and code-status Observations: the
    /// banner's postings.
    Postings,
    /// Procedure and Device: surgical history and implants.
    Procedures,
    /// Observation in neither the laboratory nor the vital-signs category: no category at
    /// all (a point-of-care glucose, a pregnancy status), a vendor's own, social history,
    /// surveys, exams, imaging. The chart places each by its code and value (issue 11), so
    /// none is left on the server unseen. Its own section, so a server that refuses the
    /// search (`category:not`) leaves labs and vital signs shown, with a warning.
    OtherObservations,
}

impl Section {
    /// Every section, in chart order.
    pub const ALL: [Section; 12] = [
        Section::Allergies,
        Section::Problems,
        Section::Medications,
        Section::Labs,
        Section::Vitals,
        Section::Encounters,
        Section::Immunizations,
        Section::Notes,
        Section::MedicationStatements,
        Section::Postings,
        Section::Procedures,
        Section::OtherObservations,
    ];

    /// A short name for messages ("labs", "medications").
    pub fn name(self) -> &'static str {
        match self {
            Section::Allergies => "allergies",
            Section::Problems => "problems",
            Section::Medications => "medications",
            Section::Labs => "labs",
            Section::Vitals => "vitals",
            Section::Encounters => "encounters",
            Section::Immunizations => "immunizations",
            Section::Notes => "notes",
            Section::MedicationStatements => "medication statements",
            Section::Postings => "flags and advance directives",
            Section::Procedures => "procedures",
            Section::OtherObservations => "other observations",
        }
    }
}

/// One search on one resource type, e.g. `Observation?patient=1&category=laboratory`, or
/// a type-level operation that answers with a searchset (`Observation/$lastn?...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub section: Option<Section>,
    pub resource_type: &'static str,
    /// `Some("$lastn")` for an operation; `None` for a plain search.
    pub operation: Option<&'static str>,
    pub params: Vec<(String, String)>,
}

impl SearchRequest {
    /// The request as a URL relative to the server base, parameters form-encoded.
    pub fn relative_url(&self) -> String {
        match self.operation {
            Some(op) => format!(
                "{}/{op}?{}",
                self.resource_type,
                encode_params(&self.params)
            ),
            None => format!("{}?{}", self.resource_type, encode_params(&self.params)),
        }
    }

    /// A name for `--verbose` and the benchmark's request lists ("Observation search").
    pub fn label(&self) -> String {
        match self.operation {
            Some(op) => format!("{} {op}", self.resource_type),
            None => format!("{} search", self.resource_type),
        }
    }
}

/// `k=v&k2=v2`, form-encoded.
pub fn encode_params(params: &[(String, String)]) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        ser.append_pair(k, v);
    }
    ser.finish()
}

/// How much of each section to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSize {
    /// `_count` for observation searches (labs, vitals), which are the largest.
    pub observations: u32,
    /// `_count` for every other search.
    pub other: u32,
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize {
            observations: 200,
            other: 100,
        }
    }
}

/// The sections the banner and cover sheet need: loaded first, in one round trip.
pub const FIRST_SCREEN: [Section; 8] = [
    Section::Allergies,
    Section::Problems,
    Section::Medications,
    Section::Labs,
    Section::Vitals,
    Section::Encounters,
    Section::MedicationStatements,
    Section::Postings,
];

/// Page sizes for the first screen: enough for the cover sheet (recent results, the
/// latest vitals, the last visits) without fetching years of history before anything shows.
pub fn first_screen_page(section: Section) -> PageSize {
    match section {
        Section::Labs => PageSize {
            observations: 50,
            other: 50,
        },
        Section::Vitals => PageSize {
            observations: 40,
            other: 40,
        },
        Section::Encounters => PageSize {
            observations: 10,
            other: 10,
        },
        _ => PageSize::default(),
    }
}

/// How many results per test the first screen asks `Observation/$lastn` for: labs enough
/// for the cover sheet's latest abnormal results and a short trend, vital signs the latest.
pub const LASTN_LABS: u32 = 3;
pub const LASTN_VITALS: u32 = 1;

/// The searches for the first screen (`FIRST_SCREEN`, small pages). With `lastn` (the
/// server declares `Observation/$lastn`), labs and vital signs come as the latest few of
/// each test, however old, instead of the newest page of all tests: those two sections
/// are then loaded again whole with the rest of the chart.
pub fn first_screen_searches(patient_id: &str, lastn: bool) -> Vec<SearchRequest> {
    FIRST_SCREEN
        .iter()
        .flat_map(|s| match (*s, lastn) {
            (Section::Labs, true) => vec![lastn_search(*s, patient_id, "laboratory", LASTN_LABS)],
            (Section::Vitals, true) => {
                vec![lastn_search(*s, patient_id, "vital-signs", LASTN_VITALS)]
            }
            _ => section_searches(*s, patient_id, first_screen_page(*s)),
        })
        .collect()
}

/// `Observation/$lastn?patient=ID&category=CATEGORY&max=N`.
pub(crate) fn lastn_search(of: Section, id: &str, category: &str, max: u32) -> SearchRequest {
    SearchRequest {
        section: Some(of),
        resource_type: "Observation",
        operation: Some("$lastn"),
        params: vec![
            ("patient".into(), id.into()),
            ("category".into(), category.into()),
            ("max".into(), max.to_string()),
        ],
    }
}

/// The searches that load `section` for the patient with server id `patient_id`.
pub fn section_searches(section: Section, patient_id: &str, page: PageSize) -> Vec<SearchRequest> {
    let p = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let obs = page.observations.to_string();
    let other = page.other.to_string();
    let req = |ty: &'static str, params: Vec<(String, String)>| SearchRequest {
        section: Some(section),
        resource_type: ty,
        operation: None,
        params,
    };
    match section {
        Section::Allergies => vec![req(
            "AllergyIntolerance",
            p(&[("patient", patient_id), ("_count", &other)]),
        )],
        Section::Problems => vec![req(
            "Condition",
            p(&[("patient", patient_id), ("_count", &other)]),
        )],
        Section::Medications => vec![req(
            "MedicationRequest",
            p(&[
                ("patient", patient_id),
                ("_include", "MedicationRequest:medication"),
                ("_include", "MedicationRequest:requester"),
                ("_count", &other),
            ]),
        )],
        Section::Labs => vec![req(
            "Observation",
            p(&[
                ("patient", patient_id),
                ("category", "laboratory"),
                ("_sort", "-date"),
                ("_count", &obs),
            ]),
        )],
        Section::Vitals => vec![req(
            "Observation",
            p(&[
                ("patient", patient_id),
                ("category", "vital-signs"),
                ("_sort", "-date"),
                ("_count", &obs),
            ]),
        )],
        Section::Encounters => vec![req(
            "Encounter",
            p(&[
                ("patient", patient_id),
                ("_sort", "-date"),
                ("_include", "Encounter:participant"),
                ("_include", "Encounter:service-provider"),
                ("_count", &other),
            ]),
        )],
        Section::Immunizations => vec![req(
            "Immunization",
            p(&[
                ("patient", patient_id),
                ("_sort", "-date"),
                ("_count", &other),
            ]),
        )],
        Section::Notes => vec![
            req(
                "DocumentReference",
                p(&[
                    ("patient", patient_id),
                    ("_sort", "-date"),
                    ("_count", &other),
                ]),
            ),
            req(
                "DiagnosticReport",
                p(&[
                    ("patient", patient_id),
                    ("_sort", "-date"),
                    ("_count", &other),
                ]),
            ),
        ],
        Section::MedicationStatements => vec![req(
            "MedicationStatement",
            p(&[
                ("patient", patient_id),
                ("_include", "MedicationStatement:medication"),
                ("_count", &other),
            ]),
        )],
        Section::Postings => postings::searches(patient_id, page),
        // A long history has hundreds of procedures (every screening and assessment):
        // they come in pages as large as the observations'.
        Section::Procedures => vec![
            req(
                "Procedure",
                p(&[
                    ("patient", patient_id),
                    ("_sort", "-date"),
                    ("_count", &obs),
                ]),
            ),
            req("Device", p(&[("patient", patient_id), ("_count", &other)])),
        ],
        // `:not` matches resources with no category too (R4 search, token modifiers), which
        // is the point: both test servers honour it (docs/servers.md).
        Section::OtherObservations => vec![req(
            "Observation",
            p(&[
                ("patient", patient_id),
                ("category:not", "laboratory"),
                ("category:not", "vital-signs"),
                ("_sort", "-date"),
                ("_count", &obs),
            ]),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medication_search_includes_medication_and_prescriber() {
        let page = PageSize::default();
        let reqs = section_searches(Section::Medications, "p 1", page);
        assert_eq!(
            reqs[0].relative_url(),
            "MedicationRequest?patient=p+1&_include=MedicationRequest%3Amedication\
             &_include=MedicationRequest%3Arequester&_count=100"
        );
        let labs = section_searches(Section::Labs, "7", page);
        assert_eq!(
            labs[0].relative_url(),
            "Observation?patient=7&category=laboratory&_sort=-date&_count=200"
        );
        assert_eq!(section_searches(Section::Notes, "7", page).len(), 2);
        let statements = section_searches(Section::MedicationStatements, "7", page);
        assert_eq!(
            statements[0].relative_url(),
            "MedicationStatement?patient=7&_include=MedicationStatement%3Amedication&_count=100"
        );
        let procedures: Vec<String> = section_searches(Section::Procedures, "7", page)
            .iter()
            .map(SearchRequest::relative_url)
            .collect();
        assert_eq!(
            procedures,
            [
                "Procedure?patient=7&_sort=-date&_count=200",
                "Device?patient=7&_count=100"
            ]
        );
    }

    #[test]
    fn the_first_screen_uses_lastn_for_labs_and_vitals_only_when_told() {
        let plain = first_screen_searches("7", false);
        assert!(plain.iter().all(|s| s.operation.is_none()));
        let with = first_screen_searches("7", true);
        assert_eq!(with.len(), plain.len());
        let urls: Vec<String> = with
            .iter()
            .filter(|s| s.operation.is_some())
            .map(SearchRequest::relative_url)
            .collect();
        assert_eq!(
            urls,
            [
                "Observation/$lastn?patient=7&category=laboratory&max=3",
                "Observation/$lastn?patient=7&category=vital-signs&max=1"
            ]
        );
        assert_eq!(with[3].label(), "Observation $lastn");
        assert_eq!(plain[3].label(), "Observation search");
    }
}
