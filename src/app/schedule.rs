//! The schedule layer's state (`:today`, `:schedule DATE`): the day asked for, the rows as
//! last fetched (kept when a refresh answers 304; "as of" when last confirmed), the
//! selected row (kept on the same appointment across a refresh), the validators for
//! the next refresh, and what the last check-in said (a conflict shown plainly).

use crate::common::RequestId;
use crate::fhir::client::Validators;
use crate::frontdesk::schedule::{Schedule, ScheduleRow};
use crate::source::schedule::ScheduleRequest;

/// A sign-in profile's front-desk settings, for `:today` (none: the system's zone, every
/// practitioner and location).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeskDefaults {
    pub timezone: Option<String>,
    pub practitioner: Option<String>,
    pub location: Option<String>,
    /// A check-in also creates the visit's Encounter.
    pub checkin_encounter: bool,
    /// Seconds between background refreshes of a list on screen (`None`: 60; 0: off).
    pub list_refresh_seconds: Option<u32>,
}

/// The schedule on screen.
#[derive(Debug, Clone)]
pub struct ScheduleList {
    pub request: ScheduleRequest,
    /// The fetch in flight, if any.
    pub loading: Option<RequestId>,
    pub schedule: Option<Schedule>,
    pub error: Option<String>,
    pub selected: usize,
    pub validators: Option<Validators>,
    /// The check-in in flight, if any.
    pub checking: Option<RequestId>,
    /// The last check-in's answer: (text, whether it is a conflict or failure).
    pub notice: Option<(String, bool)>,
    /// When the day was last confirmed (`HH:MM`, the clinic's time).
    pub as_of: Option<String>,
    /// When the last fetch was answered (for the background refresh).
    pub fetched_at: Option<std::time::Instant>,
}

impl PartialEq for ScheduleList {
    fn eq(&self, other: &ScheduleList) -> bool {
        self.loading == other.loading
            && self.schedule == other.schedule
            && self.selected == other.selected
            && self.notice == other.notice
            && self.error == other.error
            && self.as_of == other.as_of
    }
}

impl ScheduleList {
    pub fn new(request: ScheduleRequest) -> ScheduleList {
        ScheduleList {
            request,
            loading: None,
            schedule: None,
            error: None,
            selected: 0,
            validators: None,
            checking: None,
            notice: None,
            as_of: None,
            fetched_at: None,
        }
    }

    /// The selected row.
    pub fn row(&self) -> Option<&ScheduleRow> {
        self.schedule.as_ref()?.rows.get(self.selected)
    }

    /// Move the selection by `by` rows, within the list.
    pub fn step(&mut self, by: isize) {
        let n = self.schedule.as_ref().map_or(0, |s| s.rows.len());
        if n == 0 {
            return;
        }
        self.selected = self.selected.saturating_add_signed(by).min(n - 1);
    }
}
