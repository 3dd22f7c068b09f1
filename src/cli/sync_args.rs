//! The arguments of `rounds sync` and its help.

use clap::Args;

/// What `rounds sync --help` ends with.
pub const SYNC_HELP: &str = "Keeps the patients named with --patient, the patients opened in the last \
offline_hours (profile setting, default 12) and, with --today, the patients of today's schedule \
(the profile's practitioner and location when set; cancelled and no-show visits left out). Needs \
offline = true in the profile (rounds login --profile NAME --offline). Copies are encrypted \
with a key kept in the profile's secret store, deleted after offline_max_age_hours (default \
24) and by rounds logout; the oldest go past offline_max_mb (default 200). When the server \
cannot be reached (or with --offline), chart and search read them, under the line \
'OFFLINE COPY — as of …'.\n\n\
Examples:\n  rounds --profile clinic sync --today\n  \
rounds --profile clinic sync --patient <ID> --json\n  \
rounds --profile clinic --offline chart <ID>\n  \
rounds --profile clinic sync --clear";

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Keep the patients of today's schedule (the clinic's local day; the profile's
    /// practitioner and location when set; cancelled and no-show visits left out).
    #[arg(long)]
    pub today: bool,

    /// Keep this patient's chart (repeat for more).
    #[arg(long = "patient", id = "sync_patient", value_name = "ID")]
    pub patients: Vec<String>,

    /// Delete every offline copy of the profile instead.
    #[arg(long, conflicts_with_all = ["today", "sync_patient"])]
    pub clear: bool,

    /// Print JSON (schema rounds.sync/1) instead of a summary.
    #[arg(long)]
    pub json: bool,
}
