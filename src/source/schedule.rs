//! The front desk through a data source: a day's schedule (`ScheduleRequest` →
//! `ScheduleFetch`, revalidated with the list's `ETag`) and a check-in
//! (`check_in`: read the appointment where needed, plan the change for what the source
//! supports, keep it in the outbox and send it, and say how it ended). The server's side
//! (`remote_*`) is here too, so `remote.rs` only forwards.

use chrono::NaiveDate;
use serde_json::Value;

use super::{DataSource, SourceCapabilities, SourceError, Submitted, WriteMode};
use crate::chart::ChartOptions;
use crate::common::FailureKind;
use crate::fhir::client::Validators;
use crate::fhir::client::schedule::Appointments;
use crate::fhir::{FhirClient, PatchSupport, WriteOp};
use crate::frontdesk::checkin::{self, CheckIn, Method};
use crate::frontdesk::day::ClinicZone;
use crate::frontdesk::schedule::{PAGE_SIZE, ROW_ELEMENTS, Schedule, ScheduleQuery};
use crate::outbox::State;

/// Which schedule to fetch and how to build its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleRequest {
    pub query: ScheduleQuery,
    pub zone: ClinicZone,
    pub options: ChartOptions,
    /// For ages.
    pub today: NaiveDate,
}

/// A schedule as fetched.
#[derive(Debug, Clone, PartialEq)]
pub enum ScheduleFetch {
    /// The list the caller has is still current (304).
    NotModified,
    Fresh {
        schedule: Schedule,
        /// For the next refresh (`If-None-Match`).
        validators: Validators,
        /// Whether the server took `_elements` (rows from trimmed resources).
        trimmed: bool,
    },
}

/// An appointment as read for a check-in: the resource, its version, and its patient
/// (when the source sent it).
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentRead {
    pub appointment: Value,
    pub version: Option<String>,
    pub patient: Option<Value>,
}

/// What the caller already knows of the appointment (a schedule row): enough to send a
/// JSON Patch without reading it first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAppointment {
    pub status: String,
    pub version: Option<String>,
    pub patient_id: String,
    pub patient_label: String,
    pub summary: String,
}

/// How a check-in ended.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckInOutcome {
    /// Already arrived: nothing was changed.
    Already { status: String },
    /// Not from this status: nothing was changed.
    Refused { status: String },
    /// Submitted: sent, kept, or a conflict (`status_now`: the appointment's status as the
    /// server has it now, read after a conflict).
    Submitted {
        submitted: Box<Submitted>,
        status_now: Option<String>,
    },
}

impl CheckInOutcome {
    /// Whether another desk checked the patient in first (a conflict, and the appointment
    /// is now arrived).
    pub fn arrived_elsewhere(&self) -> bool {
        matches!(self, CheckInOutcome::Submitted { submitted, status_now: Some(s) }
            if submitted.item.state == State::Conflict && checkin::is_arrived(s))
    }
}

/// Check appointment `id` in. `known`: the row's status and version, used as they are
/// where the source takes a JSON Patch (one round trip); otherwise the appointment is read
/// first. `encounter`: also create the visit's Encounter.
///
/// A JSON Patch is sent where the server declares it, and also where it declares `patch`
/// with no `patchFormat` (hfs): if such a server refuses the patch as it is (a 4xx that is
/// not a conflict), nothing was changed; the refused item is dropped, the refusal is
/// remembered for the server (`note_json_patch_refused`), and the check-in is done again by
/// read-merge-PUT with `If-Match`.
pub async fn check_in(
    source: &dyn DataSource,
    id: &str,
    known: Option<&KnownAppointment>,
    encounter: bool,
) -> Result<(CheckInOutcome, String), SourceError> {
    if let WriteMode::ReadOnly { why } = &source.writer().mode {
        return Err(SourceError::Invalid(why.clone()));
    }
    let patch = match source.capabilities().await? {
        SourceCapabilities::Server { capabilities, .. } => capabilities.json_patch("Appointment"),
        SourceCapabilities::Local { .. } => PatchSupport::No,
    };
    let (outcome, label) = attempt(source, id, known, encounter, patch != PatchSupport::No).await?;
    if patch == PatchSupport::Untried && patch_refused(&outcome) {
        if let CheckInOutcome::Submitted { submitted, .. } = &outcome {
            if submitted.kept {
                source.discard(&submitted.item.id).await?;
            }
        }
        source.note_json_patch_refused();
        return attempt(source, id, known, encounter, false).await;
    }
    Ok((outcome, label))
}

/// Whether a check-in's JSON Patch was refused as it is (not a conflict, not the link):
/// the patch was not applied, and read-merge-PUT may do what it could not.
fn patch_refused(outcome: &CheckInOutcome) -> bool {
    let CheckInOutcome::Submitted { submitted, .. } = outcome else {
        return false;
    };
    let first_was_patch = submitted
        .item
        .writes
        .first()
        .is_some_and(|w| matches!(w.op, WriteOp::Patch { .. }) && w.answer.is_none());
    let refused = submitted
        .outcome
        .as_ref()
        .and_then(|o| o.failure.as_ref())
        .is_some_and(|f| f.kind == FailureKind::ServerRefused);
    submitted.item.state == State::Rejected && first_was_patch && refused
}

/// One try at a check-in: by JSON Patch (`patch`) or by read-merge-PUT.
async fn attempt(
    source: &dyn DataSource,
    id: &str,
    known: Option<&KnownAppointment>,
    encounter: bool,
    patch: bool,
) -> Result<(CheckInOutcome, String), SourceError> {
    let writer = source.writer();
    let (appointment, version, patient_id, label, summary) = match known {
        Some(k) if patch => (
            serde_json::json!({"resourceType": "Appointment", "id": id, "status": k.status}),
            k.version.clone(),
            k.patient_id.clone(),
            k.patient_label.clone(),
            k.summary.clone(),
        ),
        _ => {
            let read = source.appointment(id).await?;
            let patient_id =
                crate::frontdesk::schedule::patient_of(&read.appointment).ok_or_else(|| {
                    SourceError::Invalid(format!(
                        "appointment '{}' names no patient: nothing was changed",
                        crate::text::clean_line(id)
                    ))
                })?;
            let label = known
                .map(|k| k.patient_label.clone())
                .or_else(|| read.patient.as_ref().map(patient_label))
                .unwrap_or_else(|| format!("Patient/{patient_id}"));
            let summary = known
                .map(|k| k.summary.clone())
                .unwrap_or_else(|| format!("Check-in of appointment {id}"));
            let version = match read.version {
                Some(v) => Some(v),
                None => source.read_current("Appointment", id).await?.1,
            };
            if version.is_none() && !patch {
                return Err(SourceError::Invalid(format!(
                    "the source gives appointment '{}' no version, so it cannot be changed safely: nothing was changed",
                    crate::text::clean_line(id)
                )));
            }
            (read.appointment, version, patient_id, label, summary)
        }
    };
    let method = if patch { Method::Patch } else { Method::Put };
    let at = encounter.then(|| chrono::Local::now().fixed_offset());
    let appointment = with_patient(appointment, &patient_id);
    let writes = match checkin::plan(&appointment, version, method, at) {
        CheckIn::Already { status } => return Ok((CheckInOutcome::Already { status }, label)),
        CheckIn::Refused { status } => return Ok((CheckInOutcome::Refused { status }, label)),
        CheckIn::Writes(w) => w,
    };
    let item = checkin::item(
        writes,
        &patient_id,
        &label,
        &summary,
        &source.info().label,
        writer.author.clone(),
    );
    let submitted = source.submit(item).await?;
    let status_now = if submitted.item.state == State::Conflict {
        source
            .read_current("Appointment", id)
            .await
            .ok()
            .and_then(|(v, _)| v["status"].as_str().map(str::to_owned))
    } else {
        None
    };
    Ok((
        CheckInOutcome::Submitted {
            submitted: Box::new(submitted),
            status_now,
        },
        label,
    ))
}

/// The appointment with its patient as a participant (a row's bare status stands in
/// for the resource when patching: the Encounter still needs the patient).
fn with_patient(mut a: Value, patient_id: &str) -> Value {
    if crate::frontdesk::schedule::patient_of(&a).is_none() {
        a["participant"] =
            serde_json::json!([{"actor": {"reference": format!("Patient/{patient_id}")}}]);
    }
    a
}

/// A patient in words for the outbox (name, born, MRN).
fn patient_label(p: &Value) -> String {
    let Ok(patient) = serde_json::from_value::<crate::fhir::model::Patient>(p.clone()) else {
        return "Patient not readable".into();
    };
    let s = crate::chart::PatientSummary::new(
        &patient,
        crate::config::today(),
        &ChartOptions::default(),
    );
    format!("{}, born {}, MRN {}", s.name, s.born, s.mrn)
}

/// A day's schedule from a server.
pub async fn remote_schedule(
    client: &FhirClient,
    request: &ScheduleRequest,
    known: Option<&Validators>,
) -> Result<ScheduleFetch, SourceError> {
    let found = client
        .search_appointments(
            &request.query.params(),
            PAGE_SIZE,
            Some(ROW_ELEMENTS),
            known,
        )
        .await?;
    Ok(match found {
        Appointments::NotModified => ScheduleFetch::NotModified,
        Appointments::Found {
            mut resources,
            validators,
            more,
            trimmed,
        } => {
            let missing = patients_not_sent(&resources);
            let fill = if missing.is_empty() {
                None
            } else {
                // A server that ignored `_include` (some vendors do not take it on
                // Appointment): the rows' patients in one more search, or rows that say
                // the patient was not sent.
                Some(client.patients_by_id(&missing).await)
            };
            if let Some(Ok(found)) = fill {
                resources.extend(found);
            }
            let mut schedule = Schedule::build(
                &request.query,
                &request.zone,
                &resources,
                request.today,
                &request.options,
            );
            schedule.cut_short |= more;
            ScheduleFetch::Fresh {
                schedule,
                validators,
                trimmed,
            }
        }
    })
}

/// The patients of a day's visits that will happen (cancelled, no-show and entered-in-error
/// visits left out), each once, in time order: the same search and the same rows as the
/// schedule's, so `sync --today` keeps the charts of the list the desk sees.
pub async fn patients_of_day(
    client: &FhirClient,
    request: &ScheduleRequest,
) -> Result<Vec<String>, SourceError> {
    let ScheduleFetch::Fresh { schedule, .. } = remote_schedule(client, request, None).await?
    else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<String> = Vec::new();
    for id in schedule
        .rows
        .iter()
        .filter(|r| !r.is_off())
        .filter_map(|r| r.patient_id.clone())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The patients the appointments name that the answer did not include (each once, in
/// order).
fn patients_not_sent(resources: &[Value]) -> Vec<String> {
    let sent: std::collections::HashSet<&str> = resources
        .iter()
        .filter(|r| r["resourceType"] == "Patient")
        .filter_map(|r| r["id"].as_str())
        .collect();
    let mut missing: Vec<String> = Vec::new();
    for a in resources
        .iter()
        .filter(|r| r["resourceType"] == "Appointment")
    {
        if let Some(p) = crate::frontdesk::schedule::patient_of(a) {
            if !sent.contains(p.as_str()) && !missing.contains(&p) {
                missing.push(p);
            }
        }
    }
    missing
}

/// An appointment and its patient from a server, in one round trip
/// (`Appointment?_id=ID&_include=Appointment:patient`; the full resources).
pub async fn remote_appointment(
    client: &FhirClient,
    id: &str,
) -> Result<AppointmentRead, SourceError> {
    let id = crate::frontdesk::schedule::check_id(id, "an appointment", "Appointment")
        .map_err(SourceError::Invalid)?;
    let params = vec![
        ("_id".to_owned(), id.clone()),
        ("_include".to_owned(), "Appointment:patient".to_owned()),
    ];
    let found = client.search_appointments(&params, 10, None, None).await?;
    let Appointments::Found { resources, .. } = found else {
        return Err(SourceError::Invalid(
            "the server answered 304 to a read".into(),
        ));
    };
    let appointment = resources
        .iter()
        .find(|r| r["resourceType"] == "Appointment" && r["id"] == id.as_str())
        .cloned()
        .ok_or_else(|| SourceError::NotFound {
            what: format!("appointment '{id}'"),
            source_label: client.base_url().to_owned(),
        })?;
    let patient = crate::frontdesk::schedule::patient_of(&appointment).and_then(|p| {
        resources
            .iter()
            .find(|r| r["resourceType"] == "Patient" && r["id"] == p.as_str())
            .cloned()
    });
    let version = appointment["meta"]["versionId"].as_str().map(str::to_owned);
    Ok(AppointmentRead {
        appointment,
        version,
        patient,
    })
}
