//! The clinical view model: what a chart shows, derived from a `PatientRecord` by pure
//! functions. Banner, allergies, problems, medications with sig, labs with flags and
//! series, vitals, encounters, immunizations, notes, and the cover sheet that summarises
//! them. Both the CLI and the TUI render this model; neither re-derives anything, and both
//! list a section's rows with the same column definitions (`columns`).
//!
//! Strings here are as the server sent them (trimmed): renderers pass them through
//! `crate::text::clean_line` before they reach a terminal. No I/O, no terminal types.
//!
//! Nothing is silently dropped: every row names the resources it was built from (`ids`),
//! and `build` ends with an accounting pass (`accounting`) that lists in `not_shown` any
//! resource of the record no part of the chart shows.

mod absent;
mod accounting;
mod allergies;
mod banner;
mod codes;
pub mod columns;
mod cover;
pub mod date;
mod encounters;
pub mod format;
mod immunizations;
mod labs;
mod meds;
mod notes;
mod obs;
mod person;
pub mod postings;
mod problems;
mod series;
mod sig;
mod summary;
mod vitals;

use chrono::NaiveDate;
use serde::Serialize;

pub use absent::{Absence, Statement};
pub use accounting::{NOT_PLACED, NotShown, Sourced};
pub use allergies::{AllergyFlag, AllergyRow};
pub use banner::{Banner, Deceased, posting_words};
pub use cover::CoverSheet;
pub use encounters::EncounterRow;
pub use immunizations::ImmunizationRow;
pub use labs::{LabResult, Labs, NO_RANGE};
pub use meds::MedRow;
pub use notes::{AttachmentInfo, NoteRow, NoteSource};
pub use obs::{Flag, FlagSource, Place, observation_section, place};
pub use person::{mrn, patient_name, patient_sex, sex};
pub use problems::{ProblemRow, Problems};
pub use series::{Point, Series};
pub use summary::PatientSummary;
pub use vitals::{LatestVital, VitalKind, VitalReading, Vitals};

use crate::fhir::{PatientRecord, Section};

/// The JSON schema name and version of `Chart`.
pub const CHART_SCHEMA: &str = "rounds.chart/1";

/// A section of the chart: loaded (possibly cut short), failed, or not asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Part<T> {
    Loaded {
        data: T,
        /// Whether the server had more than rounds fetched (the oldest are missing).
        truncated: bool,
        /// Whether older entries are still being fetched (only the first screen is here).
        #[serde(default)]
        loading_more: bool,
    },
    Failed {
        message: String,
    },
    /// Being fetched now (after the first screen).
    Loading,
    NotLoaded,
}

impl<T> Part<T> {
    /// The data, when loaded.
    pub fn data(&self) -> Option<&T> {
        match self {
            Part::Loaded { data, .. } => Some(data),
            _ => None,
        }
    }
}

/// A patient's chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub schema: &'static str,
    pub banner: Banner,
    pub allergies: Part<Vec<AllergyRow>>,
    pub problems: Part<Problems>,
    pub medications: Part<Vec<MedRow>>,
    pub labs: Part<Labs>,
    pub vitals: Part<Vitals>,
    pub encounters: Part<Vec<EncounterRow>>,
    pub immunizations: Part<Vec<ImmunizationRow>>,
    pub notes: Part<Vec<NoteRow>>,
    /// Flags and advance directives, for the banner and the cover sheet.
    pub postings: Vec<postings::Posting>,
    /// Problems with the data itself (unreadable or misattributed resources, resources no
    /// part of the chart shows, observations that could not be placed).
    pub warnings: Vec<String>,
    /// Resources of the record the chart does not show, and why (entered in error, or no
    /// section shows them); never silently left out.
    pub not_shown: Vec<NotShown>,
}

/// What the chart needs to know beyond the record: settings of the sign-in profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartOptions {
    /// The identifier system that holds the MRN at this site (`urn:oid:…`), for servers
    /// that do not type their identifiers.
    pub mrn_system: Option<String>,
}

impl Chart {
    /// Build the chart from a record with the default options; ages are computed as of
    /// `today`.
    pub fn build(record: &PatientRecord, today: NaiveDate) -> Chart {
        Chart::build_with(record, today, &ChartOptions::default())
    }

    /// Build the chart from a record; ages are computed as of `today`.
    pub fn build_with(record: &PatientRecord, today: NaiveDate, options: &ChartOptions) -> Chart {
        let progress = Progress(record);
        let (allergy_rows, flag) = allergies::allergies(&record.allergies);
        let mut chart = Chart {
            schema: CHART_SCHEMA,
            banner: Banner::new(&record.patient, progress.allergy_flag(flag), today, options),
            allergies: progress.part(Section::Allergies, || allergy_rows),
            problems: progress.part(Section::Problems, || problems::problems(record)),
            medications: progress.part(Section::Medications, || meds::medications(record)),
            labs: progress.part(Section::Labs, || labs::labs(&record.observations)),
            vitals: progress.part(Section::Vitals, || vitals::vitals(&record.observations)),
            encounters: progress.part(Section::Encounters, || encounters::encounters(record)),
            immunizations: progress.part(Section::Immunizations, || {
                immunizations::immunizations(record)
            }),
            notes: progress.part(Section::Notes, || notes::notes(record)),
            postings: postings::postings(record),
            warnings: record.problems.iter().map(|p| p.message.clone()).collect(),
            not_shown: Vec::new(),
        };
        chart.warnings.extend(labs::unplaced_warning(&chart.labs));
        let (not_shown, warnings) = accounting::account(&chart, record);
        chart.not_shown = not_shown;
        chart.warnings.extend(warnings);
        chart
    }

    /// The one-screen summary.
    pub fn cover_sheet(&self) -> CoverSheet {
        CoverSheet::from_chart(self)
    }
}

/// How far each section of a record has come (loaded, cut short, still loading, failed,
/// not asked for), to wrap the section's rows in a `Part`.
struct Progress<'a>(&'a PatientRecord);

impl Progress<'_> {
    /// `Ok((truncated, loading_more))` for a section with data, `Err` for one that failed,
    /// `None` for one not asked for.
    fn state(&self, section: Section) -> Option<Result<(bool, bool), String>> {
        let record = self.0;
        if let Some(message) = record.failed.get(&section) {
            return Some(Err(message.clone()));
        }
        if self.loading(section) {
            return Some(Ok((false, true)));
        }
        record.loaded.contains(&section).then(|| {
            Ok((
                record.truncated.contains(&section),
                record.pending.contains(&section),
            ))
        })
    }

    /// Whether the section is being fetched and none of it is here yet.
    fn loading(&self, section: Section) -> bool {
        !self.0.loaded.contains(&section) && self.0.pending.contains(&section)
    }

    /// The section's rows (made by `build` only when it has data), or why there are none.
    fn part<T>(&self, section: Section, build: impl FnOnce() -> T) -> Part<T> {
        match self.state(section) {
            _ if self.loading(section) => Part::Loading,
            Some(Ok((truncated, loading_more))) => Part::Loaded {
                data: build(),
                truncated,
                loading_more,
            },
            Some(Err(message)) => Part::Failed { message },
            None => Part::NotLoaded,
        }
    }

    /// The banner's allergy flag: as the allergies say when they loaded, else not loaded
    /// (with why, when they failed).
    fn allergy_flag(&self, loaded: AllergyFlag) -> AllergyFlag {
        match self.state(Section::Allergies) {
            _ if self.loading(Section::Allergies) => AllergyFlag::NotLoaded { message: None },
            Some(Ok(_)) => loaded,
            Some(Err(message)) => AllergyFlag::NotLoaded {
                message: Some(message),
            },
            None => AllergyFlag::NotLoaded { message: None },
        }
    }
}
