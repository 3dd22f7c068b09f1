//! The idle lock (ONC 170.315(d)(5), HIPAA 164.312(a)(2)(iii)): after a period without input
//! the TUI warns with a countdown, then hides all patient data and drops it from memory;
//! resuming needs the data source to authenticate again.
//!
//! It owns the timing rules only. Time comes in as state (`App::now`, set by `Msg::Clock`),
//! so the rules are pure and tested without sleeping. It does not clear the data itself:
//! `update` does that (it owns the state), and the worker does the re-authentication.

use std::time::{Duration, Instant};

use crate::common::{RequestId, Tab};

/// The default period without input before the screen locks (VistA's DTIME default, and
/// the usual clinical benchmark).
pub const DEFAULT_IDLE_LIMIT: Duration = Duration::from_secs(5 * 60);

/// The longest warning shown before the lock (CPRS shows a countdown dialog).
const MAX_WARNING: Duration = Duration::from_secs(60);

/// Why the screen locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// No input for the idle limit.
    Idle,
    /// The user asked (`:lock`, Ctrl-L).
    Asked,
}

/// Where the user was, to return there after unlocking. Only a server's opaque patient id
/// and a tab: no name, no clinical data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    pub patient_id: String,
    pub tab: Tab,
}

/// Where the lock stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockPhase {
    /// Unlocked; the timer runs from the last input.
    Active,
    /// The countdown is shown; any key cancels it.
    Warning { locks_at: Instant },
    /// Locked: no patient data on screen or in memory.
    Locked {
        reason: LockReason,
        resume: Option<Resume>,
        /// Why the last unlock failed.
        problem: Option<String>,
    },
    /// Locked, waiting for the source to authenticate again.
    Unlocking {
        req: RequestId,
        reason: LockReason,
        resume: Option<Resume>,
    },
}

/// The idle lock's settings and state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleLock {
    /// The period without input before the lock; `None` turns the idle lock off (`:lock`
    /// still works).
    pub limit: Option<Duration>,
    pub last_input: Instant,
    pub phase: LockPhase,
}

/// What a clock reading asks `update` to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEffect {
    None,
    /// The countdown has begun (draw it).
    Warn,
    /// Lock now.
    Lock,
}

impl IdleLock {
    pub fn new(limit: Option<Duration>, now: Instant) -> IdleLock {
        IdleLock {
            limit: limit.filter(|l| !l.is_zero()),
            last_input: now,
            phase: LockPhase::Active,
        }
    }

    /// How long the countdown lasts: a minute, or a fifth of a short limit.
    pub fn warning(&self) -> Duration {
        self.limit
            .map_or(Duration::ZERO, |l| (l / 5).min(MAX_WARNING))
    }

    pub fn is_locked(&self) -> bool {
        matches!(
            self.phase,
            LockPhase::Locked { .. } | LockPhase::Unlocking { .. }
        )
    }

    /// The next moment the clock matters: the start of the countdown, each second of it
    /// (to redraw the seconds left), or the lock. `None` while locked or with no limit:
    /// an idle unlocked screen is then never woken.
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let limit = self.limit?;
        match &self.phase {
            LockPhase::Active => Some(self.last_input + limit - self.warning()),
            LockPhase::Warning { locks_at } => {
                let left = self.seconds_left(*locks_at, now);
                let next_second = locks_at.checked_sub(Duration::from_secs(left.saturating_sub(1)));
                Some(next_second.unwrap_or(*locks_at))
            }
            _ => None,
        }
    }

    /// Whole seconds left before `locks_at`, rounded up (what the countdown shows).
    pub fn seconds_left(&self, locks_at: Instant, now: Instant) -> u64 {
        let left = locks_at.saturating_duration_since(now);
        left.as_secs() + u64::from(left.subsec_nanos() > 0)
    }

    /// The clock says `now`: start the countdown or ask for the lock when their time has
    /// come. A reading long after the limit (a suspended laptop) locks at once.
    pub fn on_clock(&mut self, now: Instant) -> ClockEffect {
        let Some(limit) = self.limit else {
            return ClockEffect::None;
        };
        let locks_at = self.last_input + limit;
        match self.phase {
            LockPhase::Active if now >= locks_at => ClockEffect::Lock,
            LockPhase::Active if now >= locks_at - self.warning() => {
                self.phase = LockPhase::Warning { locks_at };
                ClockEffect::Warn
            }
            LockPhase::Warning { locks_at } if now >= locks_at => ClockEffect::Lock,
            _ => ClockEffect::None,
        }
    }

    /// Input arrived at `now`. Returns true when it cancelled the countdown (the key is
    /// then used up: it only says "I am still here").
    pub fn on_input(&mut self, now: Instant) -> bool {
        match self.phase {
            LockPhase::Active => {
                self.last_input = now;
                false
            }
            LockPhase::Warning { .. } => {
                self.last_input = now;
                self.phase = LockPhase::Active;
                true
            }
            _ => false,
        }
    }

    /// Lock, remembering where the user was.
    pub fn lock(&mut self, reason: LockReason, resume: Option<Resume>) {
        self.phase = LockPhase::Locked {
            reason,
            resume,
            problem: None,
        };
    }

    /// Ask to unlock with request `req`; returns false when not locked or already asking.
    pub fn begin_unlock(&mut self, req: RequestId) -> bool {
        let LockPhase::Locked { reason, resume, .. } = &self.phase else {
            return false;
        };
        self.phase = LockPhase::Unlocking {
            req,
            reason: *reason,
            resume: resume.clone(),
        };
        true
    }

    /// The user stopped the sign-in: back to the lock screen, saying so.
    pub fn cancel_unlock(&mut self, problem: &str) {
        if let LockPhase::Unlocking { reason, resume, .. } = &self.phase {
            self.phase = LockPhase::Locked {
                reason: *reason,
                resume: resume.clone(),
                problem: Some(problem.to_owned()),
            };
        }
    }

    /// The answer to unlock request `req`: on success the lock ends (the timer starts from
    /// `now`) and where to resume is returned; on failure the screen stays locked with the
    /// reason. An answer to another request is ignored.
    pub fn finish_unlock(
        &mut self,
        req: RequestId,
        result: Result<(), String>,
        now: Instant,
    ) -> Option<Option<Resume>> {
        let LockPhase::Unlocking {
            req: want,
            reason,
            resume,
        } = &self.phase
        else {
            return None;
        };
        if *want != req {
            return None;
        }
        match result {
            Ok(()) => {
                let resume = resume.clone();
                self.phase = LockPhase::Active;
                self.last_input = now;
                Some(resume)
            }
            Err(problem) => {
                self.phase = LockPhase::Locked {
                    reason: *reason,
                    resume: resume.clone(),
                    problem: Some(problem),
                };
                None
            }
        }
    }
}

/// A sign-in in progress (to unlock, or after the server ended the session): what the
/// login asked the user to do, the redirect address being pasted (never shown), and the
/// login's latest note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInView {
    pub req: RequestId,
    /// The instructions (the address to open, the `ssh -L` hint); empty until the login
    /// says it needs the user (a browser on this machine may need nothing).
    pub instructions: Vec<String>,
    pub paste: super::input::LineInput,
    pub note: Option<String>,
}

impl SignInView {
    pub fn new(req: RequestId) -> SignInView {
        SignInView {
            req,
            instructions: Vec::new(),
            paste: super::input::LineInput::default(),
            note: None,
        }
    }
}

/// Parse an idle limit: `5m`, `90s`, `1h`, a bare number of minutes, or `off` / `0`.
pub fn parse_idle_limit(text: &str) -> Result<Option<Duration>, String> {
    let t = text.trim().to_ascii_lowercase();
    if t == "off" || t == "never" || t == "0" {
        return Ok(None);
    }
    let (num, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), "m"),
    };
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{text}' is not a duration: use 5m, 90s, 1h or off"))?;
    let secs = match unit.trim() {
        "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n.saturating_mul(60),
        "h" | "hour" | "hours" => n.saturating_mul(3600),
        _ => {
            return Err(format!(
                "'{text}' is not a duration: use 5m, 90s, 1h or off"
            ));
        }
    };
    if secs == 0 {
        return Ok(None);
    }
    Ok(Some(Duration::from_secs(secs)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(base: Instant, secs: u64) -> Instant {
        base + Duration::from_secs(secs)
    }

    #[test]
    fn warns_a_minute_before_and_locks_at_the_limit() {
        let t0 = Instant::now();
        let mut l = IdleLock::new(Some(Duration::from_secs(300)), t0);
        assert_eq!(l.next_deadline(t0), Some(at(t0, 240)));
        assert_eq!(l.on_clock(at(t0, 239)), ClockEffect::None);
        assert_eq!(l.on_clock(at(t0, 240)), ClockEffect::Warn);
        assert_eq!(
            l.phase,
            LockPhase::Warning {
                locks_at: at(t0, 300)
            }
        );
        assert_eq!(l.seconds_left(at(t0, 300), at(t0, 241)), 59);
        let half = at(t0, 241) + Duration::from_millis(500);
        assert_eq!(
            l.next_deadline(half),
            Some(at(t0, 242)),
            "redrawn each second"
        );
        assert_eq!(l.on_clock(at(t0, 299)), ClockEffect::None);
        assert_eq!(l.on_clock(at(t0, 300)), ClockEffect::Lock);
    }

    #[test]
    fn input_moves_the_deadline_and_cancels_the_countdown() {
        let t0 = Instant::now();
        let mut l = IdleLock::new(Some(Duration::from_secs(300)), t0);
        assert!(!l.on_input(at(t0, 100)));
        assert_eq!(l.on_clock(at(t0, 300)), ClockEffect::None);
        assert_eq!(l.on_clock(at(t0, 340)), ClockEffect::Warn);
        assert!(
            l.on_input(at(t0, 350)),
            "the key only cancels the countdown"
        );
        assert_eq!(l.phase, LockPhase::Active);
        assert_eq!(l.next_deadline(at(t0, 350)), Some(at(t0, 590)));
    }

    #[test]
    fn a_late_clock_locks_at_once() {
        let t0 = Instant::now();
        let mut l = IdleLock::new(Some(Duration::from_secs(300)), t0);
        assert_eq!(l.on_clock(at(t0, 3600)), ClockEffect::Lock);
    }

    #[test]
    fn short_limits_warn_for_a_fifth_of_the_limit() {
        let t0 = Instant::now();
        let l = IdleLock::new(Some(Duration::from_secs(10)), t0);
        assert_eq!(l.warning(), Duration::from_secs(2));
        assert_eq!(l.next_deadline(t0), Some(at(t0, 8)));
    }

    #[test]
    fn off_never_locks_and_never_wakes() {
        let t0 = Instant::now();
        let mut l = IdleLock::new(None, t0);
        assert_eq!(l.next_deadline(t0), None);
        assert_eq!(l.on_clock(at(t0, 1_000_000)), ClockEffect::None);
        let zero = IdleLock::new(Some(Duration::ZERO), t0);
        assert_eq!(zero.limit, None);
    }

    #[test]
    fn unlock_needs_the_matching_answer_and_keeps_the_lock_on_failure() {
        let t0 = Instant::now();
        let mut l = IdleLock::new(Some(Duration::from_secs(300)), t0);
        let resume = Resume {
            patient_id: "p1".into(),
            tab: Tab::Results,
        };
        l.lock(LockReason::Idle, Some(resume.clone()));
        assert!(l.is_locked());
        assert_eq!(l.next_deadline(t0), None, "a locked screen is never woken");
        assert!(l.begin_unlock(RequestId(7)));
        assert!(!l.begin_unlock(RequestId(8)), "one unlock at a time");
        assert_eq!(l.finish_unlock(RequestId(6), Ok(()), at(t0, 400)), None);
        assert!(l.is_locked());
        assert_eq!(
            l.finish_unlock(RequestId(7), Err("wrong password".into()), at(t0, 400)),
            None
        );
        assert!(matches!(
            &l.phase,
            LockPhase::Locked { problem: Some(p), resume: Some(_), .. } if p == "wrong password"
        ));
        assert!(l.begin_unlock(RequestId(9)));
        assert_eq!(
            l.finish_unlock(RequestId(9), Ok(()), at(t0, 500)),
            Some(Some(resume))
        );
        assert_eq!(l.phase, LockPhase::Active);
        assert_eq!(l.last_input, at(t0, 500));
    }

    #[test]
    fn parses_idle_limits() {
        assert_eq!(parse_idle_limit("5m"), Ok(Some(Duration::from_secs(300))));
        assert_eq!(parse_idle_limit("90s"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(parse_idle_limit("1h"), Ok(Some(Duration::from_secs(3600))));
        assert_eq!(parse_idle_limit("10"), Ok(Some(Duration::from_secs(600))));
        assert_eq!(parse_idle_limit("off"), Ok(None));
        assert_eq!(parse_idle_limit("0"), Ok(None));
        assert!(parse_idle_limit("soon").is_err());
        assert!(parse_idle_limit("5x").is_err());
    }
}
