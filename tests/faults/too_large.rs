//! Faults: too large: 50 MB, 100,000 entries, deep nesting

use super::*;

#[tokio::test]
async fn a_50_mb_bundle_is_refused_and_memory_stays_bounded() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| {
            let search = req.method == "POST" && req.path() == "/Patient/_search";
            let labs = req.is_get("/Observation") && req.target.contains("category=laboratory");
            search || labs
        },
        |_| fifty_megabytes(),
    ));
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let too_large = "the server sent a response rounds cannot use: the response is larger than \
                     the 32 MB rounds accepts";
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }));
    assert_eq!(err.to_string(), too_large);
    assert_eq!(client.stats().round_trips, 1, "not retried");

    // In a chart, the section whose answer is too large says so; the rest loads.
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(part_failed(&chart.labs), too_large);
    first_screen_loaded(&chart, Some(Section::Labs));

    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn a_page_of_100000_entries_is_refused() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| req.method == "POST" && req.path() == "/Patient/_search",
        |_| {
            generated_bundle(
                r#"{"resource":{"resourceType":"Patient","id":"x"}}"#,
                100_000,
            )
        },
    ));
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: "a page of results has more than the 20000 entries rounds accepts".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
    recovers(&proxy, &client).await;
}

/// The Labs search of the first-screen batch answered with 100,000 entries.
fn huge_labs_in_batch(req: &Request, resp: Answer) -> Fault {
    let labs = "Observation?patient=Patient%2Frnd-ada-testwell&category=laboratory";
    let Some(i) = req.is_batch().then(|| batch_index(req, labs)).flatten() else {
        return Fault::Pass(resp);
    };
    let mut body = resp.body_json();
    body["entry"][i]["resource"] = json!("__HUGE__");
    let unit = r#"{"resource":{"resourceType":"Observation","status":"final"}}"#;
    let huge = format!(
        r#"{{"resourceType":"Bundle","type":"searchset","entry":[{}]}}"#,
        vec![unit; 100_000].join(",")
    );
    let text = body.to_string().replace("\"__HUGE__\"", &huge);
    Fault::Pass(Answer::raw(200, "application/fhir+json", text))
}

/// The page limit holds for a search answered inside a batch too. Today the 100,000
/// entries are taken in (and reported as "not for this patient").
#[tokio::test]
async fn a_batch_entry_of_100000_entries_is_refused() {
    let _one_at_a_time = HEAVY.lock().await;
    let proxy = Proxy::start(huge_labs_in_batch);
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        chart.labs,
        Part::Failed {
            message: "the server sent a response rounds cannot use: a page of results has more \
                      than the 20000 entries rounds accepts"
                .into()
        },
        "warnings: {:?}",
        chart.warnings
    );
    first_screen_loaded(&chart, Some(Section::Labs));
}

/// A page under the byte limit made of ten million empty entries (`{}`, 30 MB) is refused
/// without building them all. Today the whole page becomes a `serde_json::Value` before
/// the entries are counted: the peak resident size passes 700 MB.
#[tokio::test]
async fn a_page_of_ten_million_empty_entries_is_refused_in_bounded_memory() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| req.method == "POST" && req.path() == "/Patient/_search",
        |_| generated_bundle("{}", 10_000_000),
    ));
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: a page of results has more than \
         the 20000 entries rounds accepts"
    );
    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
}

/// A Patient whose extension holds 10,000 nested arrays.
fn deep_patient() -> String {
    format!(
        r#"{{"resourceType":"Patient","id":"{ADA}","extension":[{{"url":"http://example.org/deep","valueString":{}{}}}]}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(200, "application/fhir+json", deep_patient()))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    let FhirError::BadResponse { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(
        detail.starts_with("the body is not valid JSON (line 1, column "),
        "{detail}"
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;

    // In a chart loaded search by search, only the section with the deep resource fails.
    let proxy = Proxy::start(on(
        |req| req.is_get("/Observation") && req.target.contains("category=laboratory"),
        |resp| {
            let mut body = resp.body_json();
            body["entry"][0]["resource"]["extension"] = json!("__DEEP__");
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            let text = body.to_string().replace("\"__DEEP__\"", &deep);
            Fault::Pass(Answer::raw(200, "application/fhir+json", text))
        },
    ));
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert!(
        part_failed(&chart.labs).starts_with(
            "the server sent a response rounds cannot use: the body is not valid JSON"
        ),
        "{:?}",
        chart.labs
    );
    first_screen_loaded(&chart, Some(Section::Labs));
}
