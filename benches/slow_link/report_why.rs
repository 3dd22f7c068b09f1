//! The report's "Missed targets" text: for each target not met, why (from this run's own
//! numbers) and what would close it. Generated with the report; keep it true to the code.

use crate::report::{KB, View};
use crate::report_text::{kb, s};
use crate::stats::{median, percentile};

/// Why a target is missed and what would close it, from the numbers.
pub fn why_missed(id: &str, v: View) -> String {
    let link = v.link;
    let runs = link.map_or(&[][..], |l| &l.runs[..]);
    let first = |name: &str| runs.iter().find(|r| r.scenario == name && r.rep == 1);
    let rtt = link.map_or(0.0, |l| l.rtt_secs());
    let rate = link.map_or(0.0, |l| l.rate_bytes_per_sec()).max(1.0);
    match id {
        "round_trips" => {
            let reqs = first("rounds-warm")
                .map(|r| {
                    r.requests
                        .iter()
                        .map(|q| q.what.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            format!(
                "rounds sent these requests to open the chart: {reqs}. Everything the cover sheet \
                 needs fits in one batch; a Medication read after it means `_include` did not \
                 bring a referenced Medication, and that read could go into the same batch \
                 (`Medication?_id=...` is not known before the answer, but a contained or included \
                 copy usually is)."
            )
        }
        "bytes" => "The first screen's searches ask for whole resources: the chart shows most \
             of each, and on hfs `_elements` made these answers larger (every resource then \
             carries a SUBSETTED tag). Smaller first pages would cut the batch answer."
            .into(),
        "physical_limit" => {
            let w = first("rounds-warm");
            let local = v
                .local
                .and_then(|l| l.runs.iter().find(|r| r.scenario == "rounds-warm"));
            format!(
                "Above the round trip and the bytes at the link rate, the rest is server and \
                 client time ({} unshaped) and TCP pacing on a 256 kbit/s loopback. {}",
                local.map_or("?".into(), |l| s(l.cover.secs)),
                w.map_or(String::new(), |w| format!(
                    "The first screen took {} requests.",
                    w.cover.round_trips
                ))
            )
        }
        "banner" => {
            let patient_bytes = first("naive")
                .and_then(|r| r.requests.iter().find(|q| q.what.contains("Patient read")))
                .map_or(0, |q| q.bytes);
            let w = first("rounds-warm");
            let server = v
                .local
                .map(|l| {
                    let xs: Vec<f64> = l
                        .runs
                        .iter()
                        .filter(|r| r.scenario == "rounds-warm")
                        .map(|r| r.cover.secs)
                        .collect();
                    median(&xs)
                })
                .unwrap_or(0.0);
            format!(
                "rounds draws the banner as soon as the first entry of the first-screen batch \
                 answer, the Patient, is in: the client decompresses and reads the answer as it \
                 arrives, with no request of its own (so no second connection, which would cost \
                 another round trip to open on this link). What is left before the banner is the \
                 round trip, the server's time to build the whole batch answer before it sends \
                 any of it (without the link the first screen takes {}), and the Patient's first \
                 bytes ({} uncompressed, about {:.2} s at the measured {:.1} KB/s once gzipped). \
                 The batch answer is {} ({} at that rate). Closing the rest would need a server \
                 that streams its batch answers, or the Patient read on a connection kept open \
                 for it.",
                s(server),
                kb(patient_bytes as f64),
                (patient_bytes as f64 / 3.0) / rate,
                rate / KB,
                w.map_or("?".into(), |w| kb(w.cover.bytes_down as f64)),
                w.map_or("?".into(), |w| s(w.cover.bytes_down as f64 / rate)),
            )
        }
        "vs_naive" => format!(
            "On this link the naive pattern's cost is bytes and round trips; rounds' cover sheet \
             costs one round trip ({rtt:.2} s) plus its bytes. See the request tables above."
        ),
        "keystroke" => {
            let all = |f: &dyn Fn(&crate::stats::KeySize) -> &Vec<f64>| -> Vec<f64> {
                v.keys.map_or(Vec::new(), |k| {
                    k.sizes.iter().flat_map(|z| f(z).iter().copied()).collect()
                })
            };
            let (ms, upd, wait) = (
                all(&|z| &z.ms),
                all(&|z| &z.update_ms),
                all(&|z| &z.wait_ms),
            );
            let rows = v.keys.map_or(0, |k| k.result_rows);
            format!(
                "A frame builds and fits only the rows in view, and the columns are sized from \
                 widths measured in `update` when the chart, tab or filter changes (not on every \
                 frame), so the {rows} results cost a move nothing beyond the rows on screen. Of \
                 a median move of {:.2} ms, `update` takes {:.2} ms. (The thread waited for a \
                 CPU {:.2} ms in a median move and {:.2} ms at the 99th percentile.) The slowest \
                 moves are the ones where the thread lost its CPU to other work on this 2-core \
                 machine.",
                median(&ms),
                median(&upd),
                median(&wait),
                percentile(&wait, 99.0)
            )
        }
        "terminal_bytes" => {
            let bytes: Vec<f64> = v.keys.map_or(Vec::new(), |k| {
                k.sizes
                    .iter()
                    .flat_map(|z| z.bytes.iter().copied())
                    .collect()
            });
            let least = bytes.iter().copied().fold(f64::INFINITY, f64::min);
            format!(
                "Most moves scroll the list by one row; rounds' `ScrollingBackend` has the \
                 terminal scroll the rows that moved (a scroll region and CSI S / T) and writes \
                 only the row that came into view, the moved highlight and the trend line below \
                 the list. The smallest move costs {least:.0} bytes. What is over 1 KB is a \
                 move that changes more than that: the trend of a different test, or a wide \
                 terminal's long rows."
            )
        }
        "cold_start" => {
            let st = v.start;
            let total = st.map_or(0.0, |st| {
                median(&st.demo.runs.iter().map(|r| r.ms).collect::<Vec<_>>())
            });
            let parse = st.map_or(0.0, |st| median(&st.demo_source_ms));
            let wait = st.map_or(0.0, |st| {
                median(&st.demo.runs.iter().map(|r| r.wait_ms).collect::<Vec<_>>())
            });
            let server = st
                .and_then(|st| st.server.as_ref())
                .map(|p| median(&p.runs.iter().map(|r| r.ms).collect::<Vec<_>>()));
            let srv = server.map_or(String::new(), |srv| {
                format!(" (a `--server` start, which reads nothing before its first frame, takes {srv:.0} ms)")
            });
            format!(
                "`--demo` no longer builds its source before the first frame: the built-in \
                 Bundles ({parse:.0} ms to read) are read on the worker on first use. What is \
                 left of the {total:.0} ms is process start, terminal set-up and restore and the \
                 first draw{srv}, and waiting for a CPU while other work ran (about {wait:.0} ms \
                 in a median run)."
            )
        }
        "peak_memory" => "The whole record and the chart model built from it are in memory at \
             once, with the JSON of each page while it is decoded. Decoding pages straight into \
             the model (no `serde_json::Value` step), and keeping the 10,000 observations as the \
             chart's rows rather than as FHIR resources plus rows, would lower the peak."
            .into(),
        _ => String::new(),
    }
}
