//! The arguments of `rounds sync` and its help.

use clap::Args;

/// What `rounds sync --help` ends with.
pub const SYNC_HELP: &str = "Keeps the patients named with --patient, the patients pinned \
(--pin; kept by every sync however long ago they were opened), the patients opened in the last \
offline_hours (profile setting, default 12) and, with --today, the patients of today's schedule \
(the profile's practitioner and location when set; cancelled and no-show visits left out). Needs \
offline = true in the profile (rounds login --profile NAME --offline). Copies are encrypted \
with a key kept in the profile's secret store, deleted after offline_max_age_hours (default \
24, pinned or not: a sync fetches them again) and by rounds logout; past offline_max_mb \
(default 200) the oldest unpinned copies go first, and the sync says which were not kept. \
Pins are kept in the encrypted index (no patient id in any plain file); --unpin alone fetches \
nothing. When the server cannot be reached (or with --offline), chart and search read the \
copies, under the line 'OFFLINE COPY — as of …'. In the chart screen, p pins or unpins.\n\n\
Examples:\n  rounds --profile clinic sync --today\n  \
rounds --profile clinic sync --pin <ID> --pin <ID2>\n  \
rounds --profile clinic sync --unpin <ID>\n  \
rounds --profile clinic sync --list --json\n  \
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

    /// Pin this patient: kept by this and every later sync (repeat for more).
    #[arg(long = "pin", value_name = "ID")]
    pub pin: Vec<String>,

    /// Unpin this patient (repeat for more); alone, nothing is fetched.
    #[arg(long = "unpin", value_name = "ID")]
    pub unpin: Vec<String>,

    /// List the pinned patients and the copies kept (name, born, MRN), fetching nothing.
    #[arg(long, conflicts_with_all = ["today", "sync_patient", "pin", "unpin"])]
    pub list: bool,

    /// Delete every offline copy of the profile instead.
    #[arg(long, conflicts_with_all = ["today", "sync_patient", "pin", "unpin", "list"])]
    pub clear: bool,

    /// Print JSON (schema rounds.sync/1, with --list rounds.sync-list/1) instead of a summary.
    #[arg(long)]
    pub json: bool,
}
