//! The doctor's offline-copy line: whether the profile keeps offline copies, and if so
//! how many are kept, how big, and the oldest's age (nothing of whose they are).

use chrono::Utc;

use super::Target;
use super::report::{Checks, Section};
use crate::source::profile;

pub async fn checks(target: &Target) -> Checks {
    let mut c = Checks::new(Section::Offline);
    let Target::Profile { name, profile: p } = target else {
        c.ok(
            "offline-copy",
            "none: offline copies belong to a sign-in profile",
        );
        return c;
    };
    if !p.offline {
        c.ok(
            "offline-copy",
            format!(
                "off for profile '{name}' (rounds login --profile {name} --offline turns it on)"
            ),
        );
        return c;
    }
    let access = profile::offline_access(name, p);
    if let Some(why) = access.why_not() {
        c.warning(
            "offline-copy",
            format!("on, but nothing can be kept: {why}"),
            "keep the profile's secrets in the keyring or keyutils (rounds login --store keyring)",
        );
        return c;
    }
    match access.store(false).await {
        Ok(store) => {
            let (n, bytes, oldest) = store.usage().unwrap_or((0, 0, None));
            let limits = store.limits();
            let age = oldest
                .map(|t| format!(", the oldest {}", crate::chart::offline::ago(t, Utc::now())))
                .unwrap_or_default();
            c.ok(
                "offline-copy",
                format!(
                    "on: {n} chart(s) kept, {} KB of at most {} MB{age}; each deleted after {} h",
                    bytes / 1024,
                    limits.max_bytes / (1024 * 1024),
                    limits.max_age_hours
                ),
            );
        }
        Err(_) => c.ok(
            "offline-copy",
            "on: nothing kept yet (rounds sync keeps today's charts)",
        ),
    }
    c
}
