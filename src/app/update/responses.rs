//! Answers from the worker: search results and charts, accepted only for the request
//! that is still current and only for the patient whose chart is open.

use crate::app::command::{Response, ResponseResult};
use crate::app::state::{App, Remote};
use crate::chart::{Chart, PatientSummary};

pub(super) fn on_response(app: &mut App, r: Response) {
    match r.result {
        ResponseResult::Search(result) => {
            if app.search.results != Remote::Loading(r.req) {
                return; // An older search, or the user moved on.
            }
            match result {
                Ok(found) => {
                    let rows = PatientSummary::list(&found.patients, app.today);
                    app.search.more = found.more;
                    app.search.editing = rows.is_empty();
                    if found.unreadable > 0 {
                        app.set_status(
                            format!(
                                "{} result(s) could not be read and are not listed",
                                found.unreadable
                            ),
                            true,
                        );
                    }
                    app.search.results = Remote::Loaded(rows);
                }
                Err(e) => app.search.results = Remote::Failed(e),
            }
        }
        ResponseResult::ChartRest(result) => {
            let Some(chart) = app.chart.as_mut() else {
                return;
            };
            if chart.req != r.req || chart.record.is_none() {
                return; // For a chart that is no longer open: never shown.
            }
            match result {
                Ok(rest) if rest.patient_id() == chart.patient_id => {
                    if let Some(record) = chart.record.as_mut() {
                        record.merge(*rest);
                        let built = Chart::build(record, app.today);
                        chart.set_data(Remote::Loaded(Box::new(built)));
                    }
                }
                Ok(_) => app.set_status(
                    "The server returned another patient's data; it was not shown.",
                    true,
                ),
                Err(e) => {
                    if let Some(record) = chart.record.as_mut() {
                        // What did not come is shown as failed, with the way to retry.
                        for s in std::mem::take(&mut record.pending) {
                            if !record.loaded.contains(&s) {
                                record.failed.insert(s, e.clone());
                                record.loaded.insert(s);
                            }
                        }
                        let built = Chart::build(record, app.today);
                        chart.set_data(Remote::Loaded(Box::new(built)));
                    }
                    // After a refused login, retrying would only fail again.
                    let hint = if e.contains("log in again") {
                        ""
                    } else {
                        " (r retries)"
                    };
                    app.set_status(
                        format!("Part of the chart could not be loaded: {e}{hint}"),
                        true,
                    );
                }
            }
        }
        ResponseResult::Chart(result) => {
            let Some(chart) = app.chart.as_mut() else {
                return;
            };
            if chart.data != Remote::Loading(r.req) {
                return; // For a chart that is no longer open: never shown.
            }
            match result {
                Ok(record) if record.patient_id() == chart.patient_id => {
                    let built = Chart::build(&record, app.today);
                    let summary = summary_of(&built, chart.hint.as_ref());
                    chart.set_data(Remote::Loaded(Box::new(built)));
                    chart.record = Some(record);
                    app.recent.retain(|p| p.id != summary.id);
                    app.recent.insert(0, summary);
                    app.recent.truncate(20);
                }
                Ok(_) => {
                    chart.set_data(Remote::Failed("The server returned a different patient than the one asked for; nothing is shown.".into()));
                }
                Err(e) => chart.set_data(Remote::Failed(e)),
            }
        }
    }
}

/// A search-row summary of a loaded chart, for the recent list.
fn summary_of(chart: &Chart, hint: Option<&PatientSummary>) -> PatientSummary {
    let b = &chart.banner;
    PatientSummary {
        id: b.patient_id.clone(),
        name: b.name.clone(),
        born: b.born.clone(),
        birth_date: b.birth_date.clone(),
        age: b.age.clone(),
        sex: b.sex.clone(),
        mrn: b.mrn.clone(),
        deceased: b.deceased.is_some(),
        lookalike: hint.is_some_and(|h| h.lookalike),
    }
}
