//! Requests `update` hands to the worker, and the answers it gets back.

use crate::common::{Failure, RequestId};
use crate::fhir::model::Patient;
use crate::fhir::{PatientQuery, PatientRecord};
use crate::outbox::{Item, Outcome, Which};
use crate::source::{OutboxView, SearchResults, Submitted};

/// Work for the network worker. `update` returns these instead of doing I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Search for patients.
    Search {
        req: RequestId,
        query: PatientQuery,
        limit: usize,
    },
    /// Load a patient's chart: the first screen, then (same request id) the rest.
    LoadChart { req: RequestId, patient_id: String },
    /// Ask the server again for a chart shown from its offline copy; answered
    /// (`Refreshed`) only when the server itself answered.
    RefreshOffline { req: RequestId, patient_id: String },
    /// Keep this chart (loaded whole from the server) as the patient's offline copy.
    KeepOffline { record: Box<PatientRecord> },
    /// Drop patient data the source keeps for reuse (the chart closed).
    Forget,
    /// Keep today's, the pinned and the lately opened patients' charts offline, in the
    /// background, one at a time (`app/offline_sync.rs`); answered `OfflineSynced`.
    SyncOffline { req: RequestId },
    /// Stop the background sync running (the screen locked, the session ended).
    StopSyncOffline,
    /// Pin the patient to keep offline, or unpin them; answered `Pinned`.
    TogglePin { req: RequestId, patient_id: String },
    /// Authenticate again to end the idle lock.
    Unlock { req: RequestId },
    /// Sign in again after the server ended the session (a 401).
    SignIn { req: RequestId },
    /// The redirect address the user pasted, for the sign-in in progress.
    PasteRedirect { text: String },
    /// Stop the sign-in in progress.
    CancelSignIn,
    /// Open the user's editor on `text` (the terminal is handed over and taken back);
    /// the answer is `Msg::Edited` with the same request id. Not the worker's: the event
    /// loop runs it.
    EditNote { req: RequestId, text: String },
    /// Keep `item` in the outbox and send it (a draft is only kept).
    Submit { req: RequestId, item: Box<Item> },
    /// List the outbox.
    LoadOutbox { req: RequestId },
    /// Fetch a day's schedule (`known`: the validators of the list on screen).
    LoadSchedule {
        req: RequestId,
        request: Box<crate::source::schedule::ScheduleRequest>,
        known: Option<crate::fhir::client::Validators>,
    },
    /// Check appointment `id` in (from its row).
    CheckIn {
        req: RequestId,
        id: String,
        known: Box<crate::source::schedule::KnownAppointment>,
        /// Also create the visit's Encounter (the profile's `checkin_encounter`).
        encounter: bool,
    },
    /// Look for the person of a registration before creating them (the duplicate check of
    /// `rounds patient new`); `resource` is the Patient to create, for `$match`.
    CheckRegistration {
        req: RequestId,
        registration: Box<crate::frontdesk::patient_new::Registration>,
        resource: Box<serde_json::Value>,
        options: crate::chart::ChartOptions,
        today: chrono::NaiveDate,
    },
    /// Keep and send a registration's create (conditional on its client identifier).
    Register { req: RequestId, item: Box<Item> },
    /// Read a Patient as the server has it now (the demographics form's current values).
    ReadPatient { req: RequestId, patient_id: String },
    /// Change a patient's contact details (version-aware, nothing overwritten).
    UpdateDemographics {
        req: RequestId,
        patient_id: String,
        label: String,
        change: Box<crate::frontdesk::demographics::Change>,
        today: chrono::NaiveDate,
        author: crate::outbox::Author,
    },
    /// Fetch a clinician's list (`:ward`, `:mine`).
    LoadList {
        req: RequestId,
        request: Box<crate::source::lists::ListRequest>,
    },
    /// The glances (allergies, latest vital signs) of the patients of a list's visible
    /// rows, in one batch (`today`: for ages and dates).
    LoadGlances {
        req: RequestId,
        patient_ids: Vec<String>,
        today: chrono::NaiveDate,
    },
    /// Send the outbox's items `which` names.
    SendOutbox { req: RequestId, which: Which },
    /// Remove an item from the outbox without sending it.
    Discard { req: RequestId, id: String },
}

/// The worker's answer to a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub req: RequestId,
    pub result: ResponseResult,
}

/// What came back. Errors are typed `Failure`s: their kind says what to do (a failure of
/// kind `AuthExpired` means the server no longer accepts this session and no silent
/// refresh helped: the user must sign in again, and the screen stays as it is).
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseResult {
    Search(Result<SearchResults, Failure>),
    /// The chart, or its first screen (sections still coming are marked pending).
    Chart(Result<Box<PatientRecord>, Failure>),
    /// The Patient of a chart whose first screen is on its way (for the banner).
    Patient(Box<Patient>),
    /// The rest of a chart whose first screen came earlier under the same request id.
    ChartRest(Result<Box<PatientRecord>, Failure>),
    /// The server's chart again, for a chart shown from its offline copy (the link is back).
    Refreshed(Box<PatientRecord>),
    /// Whether the source authenticated again (the idle lock may end).
    Unlocked(Result<(), Failure>),
    /// Whether signing in again after a 401 worked.
    SignedIn(Result<(), Failure>),
    /// What the user must do to sign in: the address to open, the `ssh -L` hint.
    SignInPrompt(Vec<String>),
    /// A short note from the sign-in in progress.
    SignInNote(String),
    /// How a submission ended (kept, sent, or not).
    Submitted(Result<Box<Submitted>, Failure>),
    /// The outbox's items.
    Outbox(Result<Box<OutboxView>, Failure>),
    /// A day's schedule (or "not modified").
    Schedule(Result<Box<crate::source::schedule::ScheduleFetch>, Failure>),
    /// How a check-in ended.
    CheckedIn(Result<Box<crate::source::schedule::CheckInOutcome>, Failure>),
    /// A clinician's list's rows.
    List(Result<Vec<crate::frontdesk::lists::ListRow>, Failure>),
    /// The glances of a batch of patients.
    Glances(Result<Vec<crate::frontdesk::glance::Glance>, Failure>),
    /// What sending the outbox's items did.
    OutboxSent(Result<Vec<(Item, Outcome)>, Failure>),
    /// Whether an item was discarded.
    Discarded(Result<bool, Failure>),
    /// The duplicate check of a registration: the candidates, and searches left out.
    RegistrationChecked(Result<Box<RegistrationCheck>, Failure>),
    /// How a registration's create ended.
    Registered(Result<Box<Submitted>, Failure>),
    /// A Patient as the server has it now (JSON; its id is checked by the caller).
    PatientRead(Result<Box<serde_json::Value>, Failure>),
    /// How a demographics change ended.
    DemographicsUpdated(Result<Box<crate::source::desk::DemographicsOutcome>, Failure>),
    /// What a background sync of the offline copies did.
    OfflineSynced(Result<crate::source::offline_sync::SyncSummary, Failure>),
    /// Whether `patient_id` is pinned to keep offline now.
    Pinned {
        patient_id: String,
        result: Result<bool, Failure>,
    },
}

impl ResponseResult {
    /// The failure of a data request (search, chart), if it failed.
    pub fn data_failure(&self) -> Option<&Failure> {
        match self {
            ResponseResult::Search(Err(f))
            | ResponseResult::Chart(Err(f))
            | ResponseResult::ChartRest(Err(f)) => Some(f),
            _ => None,
        }
    }
}

/// What the duplicate check of a registration found.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationCheck {
    pub candidates: Vec<crate::frontdesk::patient_new::Candidate>,
    /// Searches the server could not run, in words.
    pub warnings: Vec<String>,
}
