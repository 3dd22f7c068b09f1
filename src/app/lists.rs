//! The clinician's lists on screen (`:ward LOCATION`, `:mine`): the list asked for, its
//! rows as last fetched, the selection (kept on the same row id across a refresh), when
//! it was fetched ("as of HH:MM") and when it is due again. And the glances at the
//! visible rows of any list (this one or the schedule): each patient's allergy flag and
//! latest vital signs, cached per patient for the session (dropped on lock), asked for in
//! one batch for the rows in view, a short while after the view stops moving; an answer is
//! taken only for the patients its own request asked for and still waits for.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::common::RequestId;
use crate::frontdesk::glance::{Glance, MAX_BATCH};
use crate::frontdesk::lists::ListRow;
use crate::source::lists::ListRequest;

/// How often a list on screen is fetched again in the background, unless the profile says
/// (`list_refresh_seconds`).
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// The shortest background refresh a profile may ask for.
pub const REFRESH_AT_LEAST: Duration = Duration::from_secs(15);

/// The background refresh's period for the profile's setting (`None`: off).
pub fn refresh_every(setting: Option<u32>) -> Option<Duration> {
    match setting {
        None => Some(REFRESH_EVERY),
        Some(0) => None,
        Some(s) => Some(Duration::from_secs(u64::from(s)).max(REFRESH_AT_LEAST)),
    }
}

/// How long the view must stay still before its glances are asked for.
pub const GLANCE_DEBOUNCE: Duration = Duration::from_millis(300);

/// A `:ward` or `:mine` list.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientList {
    pub request: ListRequest,
    /// The fetch in flight, if any.
    pub loading: Option<RequestId>,
    pub rows: Option<Vec<ListRow>>,
    /// Why the last fetch failed (the rows, if any, are the earlier ones).
    pub error: Option<String>,
    pub selected: usize,
    /// When the rows were last confirmed (`HH:MM`, the clinic's time).
    pub as_of: Option<String>,
    /// When the last fetch was answered (for the background refresh).
    pub fetched_at: Option<Instant>,
}

impl PatientList {
    pub fn new(request: ListRequest) -> PatientList {
        PatientList {
            request,
            loading: None,
            rows: None,
            error: None,
            selected: 0,
            as_of: None,
            fetched_at: None,
        }
    }

    /// The list's title (`Inpatients at ward-4b`).
    pub fn title(&self) -> String {
        self.request.query.title()
    }

    /// What the list says when it is empty.
    pub fn empty_text(&self) -> String {
        self.request.query.empty_text()
    }

    /// Whether it is a ward's census (else appointments).
    pub fn is_ward(&self) -> bool {
        matches!(
            self.request.query,
            crate::source::lists::ListQuery::Ward { .. }
        )
    }

    /// The selected row.
    pub fn row(&self) -> Option<&ListRow> {
        self.rows.as_ref()?.get(self.selected)
    }

    /// Move the selection by `by` rows, within the list.
    pub fn step(&mut self, by: isize) {
        let n = self.rows.as_ref().map_or(0, Vec::len);
        if n == 0 {
            return;
        }
        self.selected = self.selected.saturating_add_signed(by).min(n - 1);
    }

    /// Take fresh rows, keeping the selection on the row with the same id where it is
    /// still listed.
    pub fn take_rows(&mut self, rows: Vec<ListRow>) {
        let was = self.row().map(|r| r.id.clone());
        self.selected = was
            .and_then(|id| rows.iter().position(|r| r.id == id))
            .unwrap_or(self.selected)
            .min(rows.len().saturating_sub(1));
        self.rows = Some(rows);
    }
}

/// The rows in view of a list of `len` rows with `selected` kept in view, `room` rows
/// fitting: the same window the screen draws.
pub fn visible(selected: usize, len: usize, room: usize) -> std::ops::Range<usize> {
    let room = room.max(1);
    let first = selected.saturating_sub(room - 1);
    first..len.min(first + room)
}

/// A row's glance, as far as it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlanceState {
    /// Asked for by this request.
    Loading(RequestId),
    Loaded(Glance),
    /// The batch failed: why.
    Failed(String),
}

/// The glances of the session, by patient id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Glances {
    pub by_patient: HashMap<String, GlanceState>,
    /// The patients in view still without a glance, and when to ask (debounced).
    pub wanted: Vec<String>,
    pub due: Option<Instant>,
}

impl Glances {
    /// The rows in view are `ids`: those not known yet are wanted a short while from
    /// `now`. Patients still loading for an earlier view that left it are let go (their
    /// answer will be ignored, and they are asked again when back in view).
    pub fn view(&mut self, ids: &[String], now: Instant) {
        self.by_patient
            .retain(|id, s| !matches!(s, GlanceState::Loading(_)) || ids.iter().any(|i| i == id));
        let mut wanted: Vec<String> = ids
            .iter()
            .filter(|id| !self.by_patient.contains_key(*id))
            .cloned()
            .collect();
        wanted.dedup();
        wanted.truncate(MAX_BATCH);
        if wanted != self.wanted || (self.due.is_none() && !wanted.is_empty()) {
            self.due = (!wanted.is_empty()).then(|| now + GLANCE_DEBOUNCE);
        }
        self.wanted = wanted;
    }

    /// The patients to ask for now, marked loading by `req`; none before the debounce.
    pub fn take_due(&mut self, now: Instant, req: RequestId) -> Vec<String> {
        if self.due.is_none_or(|d| now < d) || self.wanted.is_empty() {
            return vec![];
        }
        self.due = None;
        let ids = std::mem::take(&mut self.wanted);
        for id in &ids {
            self.by_patient
                .insert(id.clone(), GlanceState::Loading(req));
        }
        ids
    }

    /// The batch `req` answered: each glance goes to the patient it was built for, only if
    /// that patient still waits for this request. A failure marks every patient still
    /// waiting for it.
    pub fn answer(&mut self, req: RequestId, result: Result<Vec<Glance>, String>) {
        let waiting = |s: Option<&GlanceState>| s == Some(&GlanceState::Loading(req));
        match result {
            Ok(glances) => {
                for g in glances {
                    if waiting(self.by_patient.get(&g.patient_id)) {
                        self.by_patient
                            .insert(g.patient_id.clone(), GlanceState::Loaded(g));
                    }
                }
                // Asked for and not answered: said, not left loading.
                for s in self.by_patient.values_mut() {
                    if *s == GlanceState::Loading(req) {
                        *s = GlanceState::Failed("not in the server's answer".into());
                    }
                }
            }
            Err(why) => {
                for s in self.by_patient.values_mut() {
                    if *s == GlanceState::Loading(req) {
                        *s = GlanceState::Failed(why.clone());
                    }
                }
            }
        }
    }

    /// The glance of patient `id`, as far as it got (`None`: not asked for yet).
    pub fn of(&self, id: &str) -> Option<&GlanceState> {
        self.by_patient.get(id)
    }

    /// Let failed glances be asked for again (a list was fetched again: the link may be
    /// back). Not on every view change: a failure that persists is not asked in a loop.
    pub fn retry_failed(&mut self) {
        self.by_patient
            .retain(|_, s| !matches!(s, GlanceState::Failed(_)));
    }

    /// Drop everything (the lock: no patient data kept).
    pub fn clear(&mut self) {
        *self = Glances::default();
    }
}

/// Rows (of two lines: the row and its glance) that fit in a list screen `height` rows tall.
pub fn rows_room(height: u16) -> usize {
    usize::from(height.saturating_sub(7) / 2).max(1)
}

/// When the list on top is next due, or the glances: for the event loop's timer.
pub fn deadline(app: &crate::app::App) -> Option<Instant> {
    let list = match app.layers.top() {
        Some(crate::app::Layer::List(l)) if l.loading.is_none() => l.fetched_at,
        Some(crate::app::Layer::Schedule(l)) if l.loading.is_none() && l.checking.is_none() => {
            l.fetched_at
        }
        _ => None,
    }
    .zip(refresh_every(app.desk.list_refresh_seconds))
    .map(|(t, every)| t + every);
    match (list, app.glances.due) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glance(id: &str) -> Glance {
        Glance {
            patient_id: id.into(),
            allergies: "Allergies: NKA".into(),
            mark: crate::frontdesk::glance::AllergyMark::None,
            vitals: "Vitals: Not known".into(),
            vitals_abnormal: false,
            vitals_failed: false,
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn asked_after_the_debounce_and_stale_answers_ignored() {
        let t0 = Instant::now();
        let mut g = Glances::default();
        g.view(&ids(&["a", "b"]), t0);
        assert!(g.take_due(t0, RequestId(1)).is_empty(), "debounced");
        let asked = g.take_due(t0 + GLANCE_DEBOUNCE, RequestId(1));
        assert_eq!(asked, ids(&["a", "b"]));
        // The view moves on before the answer: b and c are in view, a is let go.
        g.view(&ids(&["b", "c"]), t0 + GLANCE_DEBOUNCE);
        assert!(g.of("a").is_none());
        // The old answer lands: b still waits for it and takes it; a is ignored.
        g.answer(RequestId(1), Ok(vec![glance("a"), glance("b")]));
        assert!(g.of("a").is_none());
        assert!(matches!(g.of("b"), Some(GlanceState::Loaded(_))));
        let asked = g.take_due(t0 + GLANCE_DEBOUNCE * 3, RequestId(2));
        assert_eq!(asked, ids(&["c"]));
    }

    #[test]
    fn an_answer_for_another_patient_is_never_taken() {
        let t0 = Instant::now();
        let mut g = Glances::default();
        g.view(&ids(&["a"]), t0);
        g.take_due(t0 + GLANCE_DEBOUNCE, RequestId(1));
        // The answer carries z's glance only: a never shows it, and says it is missing.
        g.answer(RequestId(1), Ok(vec![glance("z")]));
        assert!(g.of("z").is_none());
        assert!(matches!(g.of("a"), Some(GlanceState::Failed(_))));
        // A failure is said, per patient waiting.
        g.by_patient.clear();
        g.view(&ids(&["a"]), t0);
        g.take_due(t0 + GLANCE_DEBOUNCE, RequestId(2));
        g.answer(RequestId(2), Err("timed out".into()));
        assert_eq!(g.of("a"), Some(&GlanceState::Failed("timed out".into())));
    }

    #[test]
    fn the_profile_sets_the_refresh_within_bounds() {
        assert_eq!(refresh_every(None), Some(REFRESH_EVERY));
        assert_eq!(refresh_every(Some(0)), None);
        assert_eq!(refresh_every(Some(5)), Some(REFRESH_AT_LEAST));
        assert_eq!(refresh_every(Some(120)), Some(Duration::from_secs(120)));
    }

    #[test]
    fn the_window_keeps_the_selection_in_view() {
        assert_eq!(visible(0, 10, 4), 0..4);
        assert_eq!(visible(6, 10, 4), 3..7);
        assert_eq!(visible(0, 2, 4), 0..2);
    }
}
