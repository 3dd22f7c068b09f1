//! Answers from the worker: search results and charts, accepted only for the request
//! that is still current and only for the patient whose chart is open.

use crate::app::command::{Response, ResponseResult};
use crate::app::state::{App, Remote};
use crate::chart::{Chart, PatientSummary};
use crate::common::{Failure, RequestId};
use crate::fhir::PatientRecord;
use crate::fhir::model::Patient;
use crate::source::SearchResults;

pub(super) fn on_response(app: &mut App, r: Response) {
    let req = r.req;
    match r.result {
        ResponseResult::Search(result) => on_search(app, req, result),
        ResponseResult::Patient(patient) => on_patient(app, req, &patient),
        ResponseResult::Chart(result) => on_chart(app, req, result),
        ResponseResult::ChartRest(result) => on_chart_rest(app, req, result),
        ResponseResult::Refreshed(record) => on_refreshed(app, req, record),
        // Handled by `update` itself (they may start work).
        ResponseResult::Unlocked(_)
        | ResponseResult::SignedIn(_)
        | ResponseResult::SignInPrompt(_)
        | ResponseResult::SignInNote(_)
        | ResponseResult::Submitted(_)
        | ResponseResult::Outbox(_)
        | ResponseResult::Schedule(_)
        | ResponseResult::CheckedIn(_)
        | ResponseResult::List(_)
        | ResponseResult::Glances(_)
        | ResponseResult::OutboxSent(_)
        | ResponseResult::Discarded(_)
        | ResponseResult::RegistrationChecked(_)
        | ResponseResult::Registered(_)
        | ResponseResult::PatientRead(_)
        | ResponseResult::DemographicsUpdated(_)
        | ResponseResult::OfflineSynced(_)
        | ResponseResult::Pinned { .. } => {}
    }
}

/// Search results, for the search still current only.
fn on_search(app: &mut App, req: RequestId, result: Result<SearchResults, Failure>) {
    if app.search.results != Remote::Loading(req) {
        return; // An older search, or the user moved on.
    }
    match result {
        Ok(found) => {
            let rows = PatientSummary::list(&found.patients, app.today, &app.chart_options);
            app.search.more = found.more;
            app.search.editing = rows.is_empty();
            if found.unreadable > 0 {
                app.set_error(format!(
                    "{} result(s) could not be read and are not listed",
                    found.unreadable
                ));
            }
            if found.used_get {
                // Said, because the README promises search terms stay out of URLs.
                app.set_error(
                    "This server does not take searches by POST: the search terms went in the URL",
                );
            }
            app.search.results = Remote::Loaded(rows);
        }
        Err(e) => app.search.results = Remote::Failed(e.message),
    }
}

/// The Patient of a chart whose first screen is on its way: for the banner, only while
/// that chart's first screen is awaited, and only its patient (never one patient's name
/// over another's chart).
fn on_patient(app: &mut App, req: RequestId, patient: &Patient) {
    let Some(chart) = app.chart.as_mut() else {
        return;
    };
    if chart.data != Remote::Loading(req)
        || patient.id.as_deref() != Some(chart.patient_id.as_str())
    {
        return;
    }
    let mut who = PatientSummary::new(patient, app.today, &app.chart_options);
    who.lookalike = chart.hint.as_ref().is_some_and(|h| h.lookalike);
    chart.identity = Some(who);
}

/// A chart's first screen (or the whole chart), for the chart still open only.
fn on_chart(app: &mut App, req: RequestId, result: Result<Box<PatientRecord>, Failure>) {
    let Some(chart) = app.chart.as_mut() else {
        return;
    };
    if chart.data != Remote::Loading(req) {
        return; // For a chart that is no longer open: never shown.
    }
    match result {
        Ok(record) if record.patient_id() == chart.patient_id => {
            let built = Chart::build_with(&record, app.today, &app.chart_options);
            let summary = summary_of(&built, chart.hint.as_ref());
            let replaced = built.banner.replaced_by.clone();
            chart.set_data(Remote::Loaded(Box::new(built)));
            chart.record = Some(record);
            app.recent.retain(|p| p.id != summary.id);
            app.recent.insert(0, summary);
            app.recent.truncate(20);
            // An inactive record opens as it is (its data is not hidden), with the way to
            // the one that replaces it.
            if let Some(id) = replaced {
                app.set_error(format!(
                    "Open the live record: :patient {id}",
                    id = crate::text::clean_line(&id)
                ));
            }
        }
        Ok(_) => chart.set_data(Remote::Failed(
            "The server returned a different patient than the one asked for; nothing is shown."
                .into(),
        )),
        Err(e) => chart.set_data(Remote::Failed(e.message)),
    }
}

/// The server's chart for one shown from its offline copy: it takes the copy's place (and
/// the OFFLINE COPY line goes), for the same chart and patient only.
fn on_refreshed(app: &mut App, req: RequestId, record: Box<PatientRecord>) {
    let Some(chart) = app.chart.as_mut() else {
        return;
    };
    let offline = matches!(&chart.data, Remote::Loaded(c) if c.offline_as_of.is_some());
    if chart.req != req || !offline || record.patient_id() != chart.patient_id {
        return;
    }
    let built = Chart::build_with(&record, app.today, &app.chart_options);
    chart.set_data(Remote::Loaded(Box::new(built)));
    chart.record = Some(record);
}

/// The rest of a chart whose first screen came earlier under the same request: merged
/// into its record; what did not come is shown as failed, with the way to retry.
fn on_chart_rest(app: &mut App, req: RequestId, result: Result<Box<PatientRecord>, Failure>) {
    let Some(chart) = app.chart.as_mut() else {
        return;
    };
    if chart.req != req {
        return; // For a chart that is no longer open: never shown.
    }
    let Some(record) = chart.record.as_mut() else {
        return;
    };
    match result {
        Ok(rest) if rest.patient_id() == chart.patient_id => {
            record.merge(*rest);
            let built = Chart::build_with(record, app.today, &app.chart_options);
            chart.set_data(Remote::Loaded(Box::new(built)));
        }
        Ok(_) => app.set_error("The server returned another patient's data; it was not shown."),
        Err(e) => {
            for s in std::mem::take(&mut record.pending) {
                if !record.loaded.contains(&s) {
                    record.failed.insert(s, e.message.clone());
                    record.loaded.insert(s);
                }
            }
            let built = Chart::build_with(record, app.today, &app.chart_options);
            chart.set_data(Remote::Loaded(Box::new(built)));
            // After a refused login, retrying would only fail again.
            let hint = if e.needs_sign_in() {
                ""
            } else {
                " (r retries)"
            };
            app.set_error(format!("Part of the chart could not be loaded: {e}{hint}"));
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
        inactive: b.inactive,
        replaced_by: b.replaced_by.clone(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::app::state::RequestId;
    use crate::app::{Msg, update};
    use crate::common::{SourceInfo, SourceKind};
    use crate::config::{Keymap, Theme};
    use crate::fhir::model::{HumanName, Patient};

    fn app() -> App {
        let info = SourceInfo {
            kind: SourceKind::Server,
            label: "test".into(),
            tls_unverified: false,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        App::new(
            info,
            today,
            Theme::built_in("default").unwrap(),
            Keymap::default_keymap(),
        )
    }

    fn patient(id: &str, family: &str) -> Box<Patient> {
        Box::new(Patient {
            id: Some(id.into()),
            name: vec![HumanName {
                family: Some(family.into()),
                ..HumanName::default()
            }],
            ..Patient::default()
        })
    }

    fn answer(app: &mut App, req: RequestId, p: Box<Patient>) {
        let r = Response {
            req,
            result: ResponseResult::Patient(p),
        };
        update(app, Msg::Response(r));
    }

    fn identity(app: &App) -> Option<String> {
        app.chart
            .as_ref()
            .and_then(|c| c.identity.as_ref())
            .map(|p| p.name.clone())
    }

    #[test]
    fn the_banner_shows_the_patient_before_the_first_screen_but_only_theirs() {
        let mut app = app();
        update(&mut app, Msg::OpenPatient("p1".into()));
        let first = app.chart.as_ref().map(|c| c.req).unwrap();
        // Another patient's read, or an answer to an older request: dropped.
        answer(&mut app, first, patient("p2", "Other"));
        answer(&mut app, RequestId(first.0 + 100), patient("p1", "Late"));
        assert_eq!(identity(&app), None);
        answer(&mut app, first, patient("p1", "Testwell"));
        assert!(identity(&app).is_some_and(|n| n.contains("TESTWELL") || n.contains("Testwell")));

        // A new chart starts with no name; the old chart's Patient does not reach it.
        update(&mut app, Msg::OpenPatient("p2".into()));
        answer(&mut app, first, patient("p2", "Other"));
        assert_eq!(identity(&app), None);

        // Once the chart is loaded (or failed), a late Patient changes nothing.
        let second = app.chart.as_ref().map(|c| c.req).unwrap();
        let failed = Response {
            req: second,
            result: ResponseResult::Chart(Err(crate::common::Failure::new(
                crate::common::FailureKind::Network,
                "down",
            ))),
        };
        update(&mut app, Msg::Response(failed));
        answer(&mut app, second, patient("p2", "Other"));
        assert_eq!(identity(&app), None);
    }
}
