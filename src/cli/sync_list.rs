//! `rounds sync --list`: the patients pinned to keep offline and the copies kept on this
//! device, each with two identifiers (name with birth date, MRN) read from its sealed copy
//! where there is one; fetches nothing. Schema rounds.sync-list/1 with `--json`.

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::table::Table;
use super::{CliError, exit, io_error, today, write_json};
use crate::chart::{ChartOptions, PatientSummary};
use crate::offline::OfflineStore;

#[derive(Debug, Serialize)]
struct Listed {
    id: String,
    pinned: bool,
    /// When the copy was fetched; `None`: no copy is kept (yet).
    as_of: Option<DateTime<Utc>>,
    /// Name, birth date, MRN, from the copy.
    patient: Option<PatientSummary>,
}

#[derive(Debug, Serialize)]
struct ListOutput {
    schema: &'static str,
    profile: String,
    patients: Vec<Listed>,
}

/// List the pins and copies of `profile`.
pub fn list(
    profile: &str,
    store: &OfflineStore,
    options: &ChartOptions,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let failed = |e: crate::offline::OfflineError| CliError::new(exit::NETWORK, e.to_string());
    let now = Utc::now();
    let pins = store.pins().map_err(failed)?;
    let kept = store.patients(now).map_err(failed)?;
    let mut ids: Vec<String> = pins.clone();
    ids.extend(kept.iter().map(|k| k.id.clone()));
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let patients: Vec<Listed> = ids
        .into_iter()
        .map(|id| {
            // The banner only: no section is read.
            let copy = store.get(&id, &[], now).ok();
            Listed {
                pinned: pins.contains(&id),
                as_of: copy.as_ref().map(|c| c.as_of),
                patient: copy
                    .as_ref()
                    .map(|c| PatientSummary::new(&c.record.patient, today(), options)),
                id,
            }
        })
        .collect();
    if json {
        return write_json(
            out,
            &ListOutput {
                schema: "rounds.sync-list/1",
                profile: profile.to_owned(),
                patients,
            },
        );
    }
    if patients.is_empty() {
        return writeln!(
            out,
            "No patient is pinned and no copy is kept for profile '{profile}'."
        )
        .map_err(io_error);
    }
    let mut table = Table::new(&["NAME", "BORN", "MRN", "ID", "PINNED", "COPY AS OF"]);
    for p in &patients {
        let (name, born, mrn) = match &p.patient {
            Some(s) => (s.name.clone(), s.born_with_age(), s.mrn.clone()),
            None => (
                "Not known (no copy kept yet)".to_owned(),
                "Not known".to_owned(),
                "Not known".to_owned(),
            ),
        };
        let as_of = p.as_of.map_or_else(
            || "no copy".to_owned(),
            |t| {
                let local = t.with_timezone(&chrono::Local).format("%d-%b %H:%M");
                format!("{local} ({})", crate::chart::offline::ago(t, now))
            },
        );
        table.row(&[
            name.as_str(),
            born.as_str(),
            mrn.as_str(),
            &crate::text::clean_line(&p.id),
            if p.pinned { "pinned" } else { "" },
            &as_of,
        ]);
    }
    table.write(out).map_err(io_error)
}
