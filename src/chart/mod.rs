//! The clinical view model: what a chart shows, derived from a `PatientRecord` by pure
//! functions. Banner, allergies, problems, medications (orders and statements) with sig,
//! labs with flags and series, vitals, encounters, immunizations, notes, procedures and
//! implants, flags and the postings made of them and of advance directives, and the
//! cover sheet that summarises them. Both the CLI and the TUI render this model; neither re-derives anything, and both
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
mod drug;
mod encounters;
mod flags;
pub mod format;
mod immunizations;
mod labs;
mod med_statements;
mod meds;
mod notes;
mod obs;
pub mod offline;
mod person;
pub mod postings;
mod problems;
mod procedures;
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
pub use flags::FlagRow;
pub use immunizations::ImmunizationRow;
pub use labs::{LabResult, Labs, NO_RANGE};
pub use meds::{MedKind, MedRow, MedicationsStated, NoMedications};
pub use notes::{AttachmentInfo, NoteRow, NoteSource};
pub use obs::{Flag, FlagSource, Place, observation_section, place};
pub use person::{mrn, patient_name, patient_sex, sex};
pub use problems::{ProblemRow, Problems};
pub use procedures::{DeviceRow, ProcedureRow, Procedures};
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
    /// Orders and statements, one list (a server without MedicationStatement leaves the
    /// orders, with a warning).
    pub medications: Part<Vec<MedRow>>,
    /// What the record says when it lists no medicine on purpose (IPS "no information
    /// about medications"): the medication list is then not known, not empty.
    pub no_medications: Option<NoMedications>,
    pub labs: Part<Labs>,
    pub vitals: Part<Vitals>,
    pub encounters: Part<Vec<EncounterRow>>,
    pub immunizations: Part<Vec<ImmunizationRow>>,
    pub notes: Part<Vec<NoteRow>>,
    /// Procedures and implanted devices (the Procedures tab).
    pub procedures: Part<Procedures>,
    /// Every flag, posted or not (inactive, expired).
    pub flags: Part<Vec<FlagRow>>,
    /// Active flags and advance directives, for the banner and the cover sheet.
    pub postings: Vec<postings::Posting>,
    /// Problems with the data itself (unreadable or misattributed resources, resources no
    /// part of the chart shows, observations that could not be placed).
    pub warnings: Vec<String>,
    /// Resources of the record the chart does not show, and why (entered in error, or no
    /// section shows them); never silently left out.
    pub not_shown: Vec<NotShown>,
    /// When the chart is an offline copy kept on this device: when it was fetched (see
    /// `offline::offline_line`, shown on every screen and output).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offline_as_of: Option<chrono::DateTime<chrono::Utc>>,
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
        let flag_rows = flags::flags(record, today);
        let mut chart = Chart {
            schema: CHART_SCHEMA,
            banner: Banner::new(&record.patient, progress.allergy_flag(flag), today, options),
            allergies: progress.part(Section::Allergies, || allergy_rows),
            problems: progress.part(Section::Problems, || problems::problems(record)),
            medications: progress.merged(
                Section::Medications,
                Section::MedicationStatements,
                || meds::medications(record),
            ),
            no_medications: (record.has(Section::MedicationStatements)
                || record.has(Section::Medications))
            .then(|| med_statements::no_medications(record))
            .flatten(),
            labs: progress
                .with_others(progress.part(Section::Labs, || labs::labs(&record.observations))),
            vitals: progress.with_others(
                progress.part(Section::Vitals, || vitals::vitals(&record.observations)),
            ),
            encounters: progress.part(Section::Encounters, || encounters::encounters(record)),
            immunizations: progress.part(Section::Immunizations, || {
                immunizations::immunizations(record)
            }),
            notes: progress.part(Section::Notes, || notes::notes(record)),
            procedures: progress.part(Section::Procedures, || procedures::procedures(record)),
            postings: postings::postings(record, &flag_rows),
            flags: progress.part(Section::Postings, || flag_rows),
            warnings: record
                .problems
                .iter()
                .map(|p| p.message.clone())
                .chain(progress.failures_shown_elsewhere())
                .collect(),
            not_shown: Vec::new(),
            offline_as_of: record.offline_as_of,
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

    /// A list made of two sections (orders and statements): failed when the first failed
    /// (or the second did and there are no rows), loading while either is, otherwise
    /// loaded (cut short, or loading more, when either is). The second's failure is then
    /// a warning (`failures_shown_elsewhere`): the list is shown, said to be partial.
    fn merged<R>(
        &self,
        first: Section,
        second: Section,
        build: impl FnOnce() -> Vec<R>,
    ) -> Part<Vec<R>> {
        if self.loading(first) || self.loading(second) {
            return Part::Loading;
        }
        let (a, b) = (self.state(first), self.state(second));
        if let Some(Err(message)) = a {
            return Part::Failed { message };
        }
        if a.is_none() && b.is_none() {
            return Part::NotLoaded;
        }
        let data = build();
        let (mut truncated, mut loading_more) = (false, false);
        for state in [a, b].into_iter().flatten() {
            match state {
                Ok((t, l)) => {
                    truncated |= t;
                    loading_more |= l;
                }
                Err(message) if data.is_empty() => {
                    return Part::Failed {
                        message: format!("{}: {message}", second.name()),
                    };
                }
                Err(_) => {}
            }
        }
        Part::Loaded {
            data,
            truncated,
            loading_more,
        }
    }

    /// Labs or vital signs, still loading more while the observations of no lab or vital
    /// category are (the chart places those by their code, in either).
    fn with_others<T>(&self, part: Part<T>) -> Part<T> {
        match part {
            Part::Loaded {
                data,
                truncated,
                loading_more,
            } => Part::Loaded {
                data,
                truncated,
                loading_more: loading_more || self.0.pending.contains(&Section::OtherObservations),
            },
            other => other,
        }
    }

    /// Warnings for sections whose failure would otherwise go unseen: medication
    /// statements (the list shows orders only) and flags and advance directives (the
    /// banner cannot post them).
    fn failures_shown_elsewhere(&self) -> impl Iterator<Item = String> + '_ {
        let failed = |s: Section| self.0.failed.get(&s).map(|m| (s, m));
        [
            failed(Section::MedicationStatements).map(|(s, m)| {
                format!(
                    "The {} could not be loaded ({m}): the medication list shows orders only",
                    s.name()
                )
            }),
            failed(Section::Postings).map(|(s, m)| {
                format!(
                    "The {} could not be loaded ({m}): the banner cannot show them",
                    s.name()
                )
            }),
            failed(Section::OtherObservations).map(|(s, m)| {
                format!(
                    "The {} (no laboratory or vital-sign category) could not be loaded \
                     ({m}): results and readings filed without those categories are not \
                     shown; check in the EHR",
                    s.name()
                )
            }),
        ]
        .into_iter()
        .flatten()
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
