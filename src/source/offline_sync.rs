//! Keeping offline copies, shared by `rounds sync` (`cli/sync.rs`) and the screen's
//! background sync (`worker/`): which patients to keep (named ones, the pinned, those
//! opened in the last `offline_hours`, today's booked when asked), and keeping them one
//! after another, each revalidated against its own kept answers (an unchanged answer costs
//! a 304), then the copies pruned. Which of them the size cap did not leave is said.
//!
//! One chart at a time, and nothing of a patient stays in the client's memory after its
//! copy is sealed (`forget`). It prints nothing: the caller words the outcome.

use std::collections::HashSet;

use chrono::Utc;
use serde::Serialize;

use super::SourceError;
use crate::fhir::{FhirClient, Section};
use crate::frontdesk::day::ClinicZone;
use crate::offline::{OfflineStore, Pruned};

/// What a profile keeps besides the patients named: its settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeepSettings {
    /// Patients opened in the last this many hours are kept.
    pub hours: u32,
    /// The clinic's time zone (the profile's `timezone`), for today's booked patients.
    pub timezone: Option<String>,
    /// Whose and where today's schedule is (the profile's `practitioner`, `location`).
    pub practitioner: Option<String>,
    pub location: Option<String>,
}

/// One patient's outcome (`rounds sync --json`: `patients[]`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct KeepOutcome {
    pub id: String,
    pub kept: bool,
    /// Size of the sealed copy on disk.
    pub bytes: u64,
    pub error: Option<String>,
    /// Pinned by the user (kept by every sync).
    pub pinned: bool,
}

/// Words for a copy the size cap did not leave.
pub const OVER_SIZE: &str = "not kept: the offline copies are over their size cap (offline_max_mb); \
the oldest unpinned copies go first";

/// The patients to keep, each once: `named`, then the pinned, then those opened within
/// the profile's hours, then (with `today`) those booked on the clinic's day.
pub async fn patients_to_keep(
    client: &FhirClient,
    store: &OfflineStore,
    settings: &KeepSettings,
    named: &[String],
    today: bool,
) -> Result<Vec<String>, SourceError> {
    let mut ids: Vec<String> = named.to_vec();
    ids.extend(store.pins().unwrap_or_default());
    ids.extend(store.opened_within(settings.hours, Utc::now()));
    if today {
        // The day's list as the schedule shows it (the clinic's local day, the profile's
        // practitioner and location): visits that will not happen left out.
        let request = todays_schedule(settings)?;
        ids.extend(super::schedule::patients_of_day(client, &request).await?);
    }
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// Today's schedule as `rounds schedule` asks for it with no arguments.
fn todays_schedule(
    settings: &KeepSettings,
) -> Result<super::schedule::ScheduleRequest, SourceError> {
    use crate::frontdesk::schedule::{ScheduleQuery, check_id};
    let zone = ClinicZone::parse(settings.timezone.as_deref()).map_err(SourceError::Invalid)?;
    let window = zone.day(zone.today()).map_err(SourceError::Invalid)?;
    let practitioner = settings
        .practitioner
        .as_deref()
        .map(|p| check_id(p, "a practitioner", "Practitioner"))
        .transpose()
        .map_err(SourceError::Invalid)?;
    let location = settings
        .location
        .as_deref()
        .map(|l| check_id(l, "a location", "Location"))
        .transpose()
        .map_err(SourceError::Invalid)?;
    Ok(super::schedule::ScheduleRequest {
        query: ScheduleQuery {
            window,
            practitioner,
            location,
        },
        zone,
        options: crate::chart::ChartOptions::default(),
        today: crate::config::today(),
    })
}

/// Fetch and keep each patient's chart, one after another, waiting between two while
/// `hold()` says so (the user's own requests go first). Then prune; a patient kept and
/// then dropped by the size cap is marked not kept (`OVER_SIZE`).
pub async fn keep_each(
    client: &FhirClient,
    store: &OfflineStore,
    ids: &[String],
    hold: &(dyn Fn() -> bool + Send + Sync),
) -> (Vec<KeepOutcome>, Pruned) {
    let pins: HashSet<String> = store.pins().unwrap_or_default().into_iter().collect();
    let mut outcomes = Vec::new();
    for id in ids {
        while hold() {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        client.forget();
        client.revalidation_import(store.answers(id));
        let mut outcome = match client.fetch_record(id, &Section::ALL).await {
            Ok(record) => {
                let answers = client.revalidation_export();
                match store.put(id, &record, answers, Utc::now()) {
                    Ok(bytes) => KeepOutcome {
                        id: id.clone(),
                        kept: true,
                        bytes,
                        error: None,
                        pinned: false,
                    },
                    Err(e) => failed(id, &e.to_string()),
                }
            }
            Err(e) => failed(id, &e.to_string()),
        };
        outcome.pinned = pins.contains(id);
        outcomes.push(outcome);
    }
    // Nothing of the last patient stays in memory.
    client.forget();
    let pruned = store.prune(Utc::now()).unwrap_or_default();
    let still: HashSet<String> = store
        .patients(Utc::now())
        .unwrap_or_default()
        .into_iter()
        .map(|k| k.id)
        .collect();
    for o in outcomes
        .iter_mut()
        .filter(|o| o.kept && !still.contains(&o.id))
    {
        o.kept = false;
        o.bytes = 0;
        o.error = Some(OVER_SIZE.into());
    }
    (outcomes, pruned)
}

fn failed(id: &str, message: &str) -> KeepOutcome {
    KeepOutcome {
        id: id.to_owned(),
        kept: false,
        bytes: 0,
        error: Some(crate::text::clean_line(message)),
        pinned: false,
    }
}

/// What a background sync did, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncSummary {
    /// When it ended.
    pub at: chrono::DateTime<Utc>,
    /// Patients whose copy was kept (made or found unchanged).
    pub kept: usize,
    /// Patients that could not be kept (the server failed, or over the size cap).
    pub failed: usize,
}

impl SyncSummary {
    pub fn of(outcomes: &[KeepOutcome]) -> SyncSummary {
        let kept = outcomes.iter().filter(|o| o.kept).count();
        SyncSummary {
            at: Utc::now(),
            kept,
            failed: outcomes.len() - kept,
        }
    }
}

/// The screen's background sync: today's list (when the server has one), the pinned and the
/// recently opened, kept one at a time while `hold()` lets it, on a client of its own. Not
/// one kept while some were asked for is an error (the status line must not say "synced").
pub async fn sync_in_background(
    client: &FhirClient,
    offline: &super::offline::OfflineSource,
    hold: &(dyn Fn() -> bool + Send + Sync),
) -> Result<SyncSummary, SourceError> {
    let store = offline.access().store(true).await?;
    // A client of its own: the screen's revalidation cache (the chart on screen) is
    // neither used nor forgotten by the sync.
    let client = client.sibling()?;
    let keep = offline.access().keep();
    // Today's list when the server has one; without it, the others are still kept.
    let ids = match patients_to_keep(&client, &store, keep, &[], true).await {
        Ok(ids) => ids,
        Err(_) => patients_to_keep(&client, &store, keep, &[], false).await?,
    };
    let (outcomes, _) = keep_each(&client, &store, &ids, hold).await;
    let summary = SyncSummary::of(&outcomes);
    // Not one of them kept: the server could not be reached (or refused them all), which
    // the status line must not call "synced".
    if summary.kept == 0 && summary.failed > 0 {
        return Err(SourceError::Offline(format!(
            "none of {} patient(s) could be kept offline",
            summary.failed
        )));
    }
    Ok(summary)
}
