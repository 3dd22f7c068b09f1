//! The report's front-desk part (issues 17 and 14): the targets of issue 17's "Measure"
//! (the day's list, a check-in, the banner from a row) and the sections on the day's list,
//! a chart opened from a row, check-in and `rounds sync --today`.

use std::fmt::Write as _;

use crate::desk::{DeskResult, SyncRun};
use crate::report::{KB, Target};
use crate::report_text::{kb, s};
use crate::stats::{LinkResult, Phase, median};

fn med(xs: &[Phase], f: impl Fn(&Phase) -> f64) -> f64 {
    median(&xs.iter().map(f).collect::<Vec<_>>())
}

/// The naive client's median banner and allergy-line times on the same link.
fn naive_times(link: Option<&LinkResult>) -> Option<(f64, f64)> {
    let runs: Vec<_> = link?
        .runs
        .iter()
        .filter(|r| r.scenario == "naive")
        .collect();
    if runs.is_empty() {
        return None;
    }
    let banner = median(&runs.iter().map(|r| r.banner_secs).collect::<Vec<_>>());
    let allergy = median(
        &runs
            .iter()
            .map(|r| r.allergy_secs.unwrap_or(r.cover.secs))
            .collect::<Vec<_>>(),
    );
    Some((banner, allergy))
}

/// A target measured by `scripts/bench --only link`.
fn target(
    id: &'static str,
    text: &str,
    measured: Option<f64>,
    limit: f64,
    unit: &'static str,
) -> Target {
    crate::report::target(
        id,
        text,
        measured,
        limit,
        unit,
        "sudo scripts/bench --only link",
    )
}

/// Issue 17's targets.
pub fn targets(desk: Option<&DeskResult>, link: Option<&LinkResult>) -> Vec<Target> {
    let mut out = Vec::new();
    let n = desk.map_or(0, |d| d.appointments);
    let list = desk.filter(|d| !d.schedule.is_empty());
    let mut t = target(
        "schedule_round_trips",
        "today's schedule (40 appointments) on screen in at most 1 round trip",
        list.map(|d| med(&d.schedule, |p| p.round_trips as f64)),
        1.0,
        "round trips",
    );
    if let Some(d) = list {
        t.shown = format!(
            "{} for {n} appointments, their patients included ({} of {} rows with the patient)",
            med(&d.schedule, |p| p.round_trips as f64),
            d.rows_with_patient,
            d.schedule_rows
        );
    }
    out.push(t);
    let mut t = target(
        "schedule_bytes",
        "today's schedule (40 appointments) in at most 16 KB on the wire",
        list.map(|d| med(&d.schedule, |p| p.wire_bytes() as f64) / KB),
        16.0,
        "KB",
    );
    if let Some(d) = list {
        t.shown = format!(
            "{} ({} sent, {} received), on screen in {}",
            kb(med(&d.schedule, |p| p.wire_bytes() as f64)),
            kb(med(&d.schedule, |p| p.bytes_up as f64)),
            kb(med(&d.schedule, |p| p.bytes_down as f64)),
            s(med(&d.schedule, |p| p.secs))
        );
        if !d.trimmed {
            t.caveat =
                "The server did not take `_elements`: the rows came from whole resources.".into();
        }
    }
    out.push(t);
    let checkin = desk.filter(|d| !d.checkin.is_empty());
    let mut t = target(
        "checkin_round_trips",
        "a check-in in 1 round trip",
        checkin.map(|d| med(&d.checkin, |p| p.round_trips as f64)),
        1.0,
        "round trips",
    );
    if let Some(d) = checkin {
        t.shown = format!(
            "{} ({}, {}: {}); read-merge-PUT takes {}",
            med(&d.checkin, |p| p.round_trips as f64),
            s(med(&d.checkin, |p| p.secs)),
            kb(med(&d.checkin, |p| p.wire_bytes() as f64)),
            d.checkin_requests.join(", "),
            med(&d.checkin_put, |p| p.round_trips as f64),
        );
        if d.checkin_results.iter().any(|r| r != "sent") {
            t.met = Some(false);
            t.note = format!(
                "Not every check-in was taken: {}.",
                d.checkin_results.join(", ")
            );
        }
    }
    out.push(t);
    let naive = naive_times(link);
    let row = desk.filter(|d| !d.row_banner_ms.is_empty());
    let mut t = target(
        "row_banner",
        "a chart opened from a list row shows its banner before the naive pattern's",
        row.map(|d| median(&d.row_banner_ms) / 1000.0),
        naive.map_or(f64::NAN, |n| n.0),
        "s",
    );
    if naive.is_none() {
        t.met = None;
    }
    if let (Some(d), Some((nb, _))) = (row, naive) {
        t.shown = format!(
            "{:.1} ms from the row, no round trip, against {} (naive: `GET Patient/ID` first)",
            median(&d.row_banner_ms),
            s(nb)
        );
        if !d.row_banner_shown {
            t.met = Some(false);
            t.note = "The first frame after Enter did not show the row's name and MRN.".into();
        }
    }
    out.push(t);
    out
}

/// The sections.
pub fn section(
    o: &mut String,
    desk: Option<&DeskResult>,
    link: Option<&LinkResult>,
    local: Option<&LinkResult>,
) {
    let Some(d) = desk else { return };
    let _ = writeln!(o, "## The front desk's day (issues 17 and 14)\n");
    let _ = writeln!(
        o,
        "On the same shaped link and server as the chart figures. The bench puts a day on the \
         server for the run's own date ({}): {} synthetic `booked` appointments (`bench-desk-00` \
         …, fixed ids, so each run puts the same day back), every 15 minutes from 08:00 local \
         time, for one practitioner (`bench-desk-dr`), one patient each: patients already on \
         the server (Synthea copies), the first being the chart figures' patient. Medians of \
         {} repetition(s).\n",
        d.date,
        d.appointments,
        d.schedule.len()
    );

    let _ = writeln!(o, "### Today's schedule\n");
    if !d.schedule.is_empty() {
        let _ = writeln!(
            o,
            "As the TUI fetches it: `update(Msg::OpenSchedule)` (`:today`), the worker's \
             `DataSource::schedule` (`Appointment?date=ge…&date=lt…` for the local day with its \
             UTC offset, by practitioner, `_include=Appointment:patient`, `_elements` trimmed \
             to a row's fields, gzip), the answer fed back through `update` and drawn at 80x24. \
             `rounds schedule` sends the same query. On a new connection (the handshake's \
             round trip is in the time), capability statement cached.\n"
        );
        let _ = writeln!(
            o,
            "| appointments | rows (with their patient) | round trips | sent | received | on screen | of which drawing |\n|---|---|---|---|---|---|---|\n| {} | {} ({}) | {} | {} | {} | {} | {:.1} ms |\n",
            d.appointments,
            d.schedule_rows,
            d.rows_with_patient,
            med(&d.schedule, |p| p.round_trips as f64),
            kb(med(&d.schedule, |p| p.bytes_up as f64)),
            kb(med(&d.schedule, |p| p.bytes_down as f64)),
            s(med(&d.schedule, |p| p.secs)),
            median(&d.schedule_draw_ms)
        );
        if !d.trimmed {
            let _ = writeln!(o, "The server did not take `_elements`: whole resources.\n");
        }
        if d.cut_short {
            let _ = writeln!(
                o,
                "The day had more appointments than one page: cut short.\n"
            );
        }
    }

    let _ = writeln!(o, "### A chart opened from a list row\n");
    if !d.row_banner_ms.is_empty() {
        let naive = naive_times(link);
        let warm = link.map(|l| {
            let r: Vec<_> = l
                .runs
                .iter()
                .filter(|r| r.scenario == "rounds-warm")
                .collect();
            median(&r.iter().map(|r| r.banner_secs).collect::<Vec<_>>())
        });
        let _ = writeln!(
            o,
            "Enter on the first row of the day above, as the TUI does it: `update(Enter)` \
             opens the chart with the row's patient (name, born, sex, MRN) as the banner's \
             identity and draws it; no request is sent for it. The worker's \
             `first_screen_early` (one batch) then brings the allergy line and the cover \
             sheet, fed back through `update` and drawn; the chart's id and the batch's \
             Patient must match. The naive client has no row to start from: its banner waits \
             for `GET Patient/ID`, its allergy line for `GET AllergyIntolerance?patient=ID` \
             after it (numbers from the chart figures' runs above).\n"
        );
        let _ = writeln!(
            o,
            "| client | banner | round trips to the banner | allergy line | cover sheet |\n|---|---|---|---|---|"
        );
        let first = med(&d.row_first_screen, |p| p.secs);
        let fresh = med(&d.row_first_screen, |p| p.connections as f64);
        let _ = writeln!(
            o,
            "| rounds, from a list row | {:.1} ms | 0 | {} | {} ({} round trip(s), {}, {} new connection(s)) |",
            median(&d.row_banner_ms),
            s(first),
            s(first),
            med(&d.row_first_screen, |p| p.round_trips as f64),
            kb(med(&d.row_first_screen, |p| p.wire_bytes() as f64)),
            fresh
        );
        if let Some(w) = warm {
            let _ = writeln!(
                o,
                "| rounds, by search or id (no row: the banner from the batch's Patient) | {} | 1 | (with the cover sheet) | see above |",
                s(w)
            );
        }
        if let Some((nb, na)) = naive {
            let _ = writeln!(
                o,
                "| naive pattern | {} | 1 | {} | see above |",
                s(nb),
                s(na)
            );
        }
        let _ = writeln!(
            o,
            "\nThe first frame after Enter showed the row's name and MRN: {}. The first screen \
             drawn said something of allergies: {}. The batch's Patient (the banner when a \
             chart is opened by id, not from a row) was in after {}.\n",
            if d.row_banner_shown { "yes" } else { "**no**" },
            if d.row_allergy_shown { "yes" } else { "**no**" },
            s(median(&d.row_patient_secs))
        );
        // The first screen without the link: server and client time.
        let unshaped = local.and_then(|l| {
            let r: Vec<f64> = l
                .runs
                .iter()
                .filter(|r| r.scenario == "rounds-warm")
                .map(|r| r.cover.secs)
                .collect();
            (!r.is_empty()).then(|| median(&r))
        });
        if let Some((_, na)) = naive {
            let behind = first - na;
            let _ = writeln!(
                o,
                "The banner is where the row puts rounds ahead: at once, against the naive \
                 client's first round trip. The allergy line {} ({} against {}){}{}\n",
                if behind > 0.0 {
                    "comes later than the naive client's"
                } else {
                    "comes no later than the naive client's, with the whole cover sheet"
                },
                s(first),
                s(na),
                if fresh > 0.0 {
                    ": the day's list is a GET and the first screen a POST (batch), and rounds \
                     sends POSTs through a client of their own (redirects only to the same \
                     origin, `fhir/client/redirect.rs`), so the first screen after the list \
                     opens a new connection and pays its handshake (one more round trip on \
                     this link), which the naive client, all GETs on one connection, does \
                     not. A TUI that has already searched or opened a chart has that \
                     connection open."
                } else {
                    "."
                },
                match unshaped {
                    Some(u) if behind > 0.0 => format!(
                        " Without the link the first screen's batch takes {} of server and \
                         client time (the chart figures' unshaped runs above), all of which \
                         comes before the allergy line; the naive client's two small requests \
                         are quick for the server.",
                        s(u)
                    ),
                    _ => String::new(),
                }
            );
        }
    }

    let _ = writeln!(o, "### Check-in\n");
    if !d.checkin.is_empty() {
        let _ = writeln!(
            o,
            "A row's appointment `booked` → `arrived`, as the TUI sends it (`i`: \
             `source::schedule::check_in` with the row's status and version; kept in the \
             outbox before it is sent). hfs declares the `patch` interaction with no \
             `patchFormat`; rounds tries a JSON Patch there (`test` of the old status, \
             `replace`, `If-Match` with the row's version) and would fall back to \
             read-merge-PUT, remembering it per server, if the server refused it. The PUT row \
             is that fallback, measured by telling the client JSON Patch was refused. A \
             check-in on a connection of its own (the handshake's round trip is in the time).\n"
        );
        let _ = writeln!(
            o,
            "| method | round trips | sent | received | time | requests | results |\n|---|---|---|---|---|---|---|"
        );
        for (name, phases, reqs, results) in [
            (
                "as rounds picks (JSON Patch)",
                &d.checkin,
                &d.checkin_requests,
                &d.checkin_results,
            ),
            (
                "read-merge-PUT",
                &d.checkin_put,
                &d.checkin_put_requests,
                &d.checkin_put_results,
            ),
        ] {
            let _ = writeln!(
                o,
                "| {name} | {} | {} | {} | {} | {} | {} |",
                med(phases, |p| p.round_trips as f64),
                kb(med(phases, |p| p.bytes_up as f64)),
                kb(med(phases, |p| p.bytes_down as f64)),
                s(med(phases, |p| p.secs)),
                reqs.join("; "),
                results.join(", ")
            );
        }
        let _ = writeln!(o);
    }

    let _ = writeln!(o, "### `rounds sync --today` (issue 14)\n");
    match (&d.sync, &d.sync_skipped) {
        (Some(sync), _) => {
            let _ = writeln!(
                o,
                "The `rounds` binary measured (see Builds above) in a profile of its own (`rounds login --offline`, \
                 secrets in a kernel session keyring of its own: `--store keyutils`; the capability \
                 statement fetched and cached first by `rounds capabilities`), in the \
                 namespace: `rounds --profile bench sync --today --json`, twice. Cold: an empty \
                 offline store. Warm: the same again at once, each chart asked for with \
                 `If-None-Match` where the last sync kept validators. The numbers are what \
                 `rounds sync --json` reports (requests, and bytes as the client counts them) \
                 and what crossed the delay proxy; the time is spawn to exit.\n"
            );
            let _ = writeln!(
                o,
                "| sync | patients kept | time | round trips | answered 304 | received (rounds) | on the wire (both ways) | kept on disk |\n|---|---|---|---|---|---|---|---|"
            );
            for (name, r) in [("cold", &sync.cold), ("warm", &sync.warm)] {
                sync_row(o, name, r);
            }
            let _ = writeln!(
                o,
                "\nWhat a warm sync saves here: {} of {} answers were 304. hfs sends no `ETag` \
                 or `Last-Modified` on search answers (nor does sekmet), and a chart is searches, \
                 so there is nothing to revalidate with: a warm sync on these servers costs what \
                 a cold one does. On a server that validates searches each unchanged answer \
                 would come back as a 304 with no body.\n",
                sync.warm.not_modified, sync.warm.round_trips
            );
        }
        (None, Some(why)) => {
            let _ = writeln!(o, "Not measured in this run: {why}.\n");
        }
        (None, None) => {}
    }
}

fn sync_row(o: &mut String, name: &str, r: &SyncRun) {
    let _ = writeln!(
        o,
        "| {name} | {} of {} | {} | {} | {} | {} | {} | {} |",
        r.kept,
        r.patients,
        s(r.secs),
        r.round_trips,
        r.not_modified,
        kb(r.bytes_received as f64),
        kb(r.wire.wire_bytes() as f64),
        kb(r.stored_bytes as f64),
    );
}
