//! Faults: one section, or the background part of a chart, failing

use super::*;

/// Replace the batch-response entry answering the request whose URL starts with `prefix`.
fn replace_batch_entry(req: &Request, resp: Answer, prefix: &str, entry: &Value) -> Fault {
    let Some(i) = batch_index(req, prefix) else {
        return Fault::Pass(resp);
    };
    let mut body = resp.body_json();
    body["entry"][i] = entry.clone();
    let mut resp = resp;
    resp.set_json(&body);
    Fault::Pass(resp)
}

#[tokio::test]
async fn a_failed_section_in_the_first_screen_batch_leaves_the_rest() {
    let failed = json!({"response": {"status": "500 Internal Server Error",
        "outcome": outcome("The encounter index is being rebuilt")}});
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() {
            replace_batch_entry(req, resp, "Encounter?", &failed)
        } else {
            Fault::Pass(resp)
        }
    });
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    let chart = shown_chart(&app);
    assert_eq!(
        part_failed(&chart.encounters),
        "the server refused the request (HTTP 500): The encounter index is being rebuilt"
    );
    first_screen_loaded(chart, Some(Section::Encounters));
    // One batch for the first screen (after the capability statement), not retried.
    assert_eq!(proxy.count("POST /"), 1);

    // The rest still loads.
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    assert!(part_loaded(&chart.notes).len() >= 3);
    assert!(!part_loaded(&chart.immunizations).is_empty());
    assert!(matches!(chart.encounters, Part::Failed { .. }));
    assert_eq!(app.status, None);

    // A batch entry failing without an OperationOutcome.
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() {
            replace_batch_entry(
                req,
                resp,
                "Encounter?",
                &json!({"response": {"status": "503"}}),
            )
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        part_failed(&chart.encounters),
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later"
    );
    first_screen_loaded(&chart, Some(Section::Encounters));
}

/// The notes' searches; not the postings' search for advance-directive documents (a
/// DocumentReference search by category, on the first screen).
fn is_notes_search(req: &Request) -> bool {
    (req.is_get("/DocumentReference") && !req.target.contains("category="))
        || req.is_get("/DiagnosticReport")
}

#[tokio::test]
async fn notes_failing_in_the_background_leave_the_first_screen() {
    // Searches sent one by one: the Notes searches get 503 every time.
    let proxy = Proxy::start(on(is_notes_search, status(503)));
    let source = RemoteSource::new(client_with(&proxy, |c| c.batch = BatchMode::Never));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    assert_eq!(
        part_failed(&chart.notes),
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later"
    );
    assert!(!part_loaded(&chart.immunizations).is_empty());
    // Both searches were tried three times each (the postings' advance-directive
    // search, by category, once).
    assert_eq!(proxy.count("GET /DocumentReference"), 3 + 1);
    assert_eq!(proxy.count("GET /DiagnosticReport"), 3);
    recovers(&proxy, source.client()).await;
}

#[tokio::test]
async fn the_background_batch_failing_leaves_the_first_screen() {
    // The second batch (the rest of the chart: immunizations and notes) gets 503 every time.
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() && batch_index(req, "Immunization?").is_some() {
            status(503)(resp)
        } else {
            Fault::Pass(resp)
        }
    });
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    let unavailable =
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later";
    assert_eq!(part_failed(&chart.notes), unavailable);
    assert_eq!(part_failed(&chart.immunizations), unavailable);
    assert_eq!(
        app.status,
        Some(Status {
            text: format!("Part of the chart could not be loaded: {unavailable} (r retries)"),
            error: true,
        })
    );
    assert_eq!(proxy.count("POST /"), 1 + 3);
    recovers(&proxy, source.client()).await;
}
