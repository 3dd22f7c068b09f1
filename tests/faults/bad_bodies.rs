//! Faults: truncated and invalid JSON, the wrong resourceType

use super::*;

#[tokio::test]
async fn truncated_json_is_a_bad_response_naming_the_place_and_is_not_retried() {
    let cut = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = cut.clone();
    let proxy = Proxy::start(on(is_ada_read, move |mut resp| {
        // Half the body, with a Content-Length that says so.
        let half = resp.body.len() / 2;
        resp.body.truncate(half);
        *seen.lock().unwrap() = resp.body.clone();
        Fault::Pass(resp.without_validators())
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    let body = cut.lock().unwrap().clone();
    let parse = serde_json::from_slice::<Value>(&body).unwrap_err();
    assert!(parse.is_eof());
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: format!(
                "the body is not valid JSON (line {}, column {})",
                parse.line(),
                parse.column()
            )
        }
    );
    assert!(err.to_string().starts_with(
        "the server sent a response rounds cannot use: the body is not valid JSON (line 1, column "
    ));
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn invalid_json_is_a_bad_response_naming_the_line_and_column() {
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(
            200,
            "application/fhir+json",
            "{\n  \"resourceType\": \"Patient\",\n  \"id\": nope\n}",
        ))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: the body is not valid JSON (line 3, column 10)"
    );
    assert!(matches!(err, FhirError::BadResponse { .. }));
    assert_eq!(client.stats().round_trips, 1);

    // An HTML error page with status 200.
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(
            200,
            "text/html",
            "<html><body>Gateway</body></html>",
        ))
    }));
    let client = new_client(&proxy);
    assert_eq!(
        client.read("Patient", ADA).await.unwrap_err(),
        FhirError::BadResponse {
            detail: "the body is not valid JSON (line 1, column 1)".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn the_wrong_resource_type_is_refused() {
    // An Observation for a Patient read.
    let proxy = Proxy::with_rewrite(
        |req| is_ada_read(req).then(|| req.as_get("/Observation/rnd-ada-vs-bmi-20261020")),
        |_, resp| Fault::Pass(resp.without_validators()),
    );
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: "expected a Patient but got a resource of type 'Observation'".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;

    // A Patient for a search.
    let proxy = Proxy::with_rewrite(
        |req| {
            (req.method == "POST" && req.path() == "/Patient/_search").then(|| req.as_get(ADA_READ))
        },
        |_, resp| Fault::Pass(resp),
    );
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: expected a Bundle but got a resource of type 'Patient'"
    );
    recovers(&proxy, &client).await;
    let found = client.search_patients(&by_name(), 10).await.unwrap();
    assert!(found.patients.iter().any(|p| p.id.as_deref() == Some(ADA)));

    // A Patient for one section's search in a chart: that section says why, the rest loads.
    let proxy = Proxy::with_rewrite(
        |req| req.is_get("/Condition").then(|| req.as_get(ADA_READ)),
        |_, resp| Fault::Pass(resp.without_validators()),
    );
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        part_failed(&chart.problems),
        "the server sent a response rounds cannot use: expected a Bundle but got a resource of type 'Patient'"
    );
    first_screen_loaded(&chart, Some(Section::Problems));
}

/// A bad body arrives with the real resource's `ETag` (a gateway cut it short). The client
/// keeps it for revalidation before checking it, the retry gets `304 Not Modified`, and the
/// bad body is used again: the read never recovers while the chart stays open.
#[tokio::test]
async fn a_bad_body_is_not_reused_when_the_server_says_not_modified() {
    let proxy = Proxy::start(on(is_ada_read, |mut resp| {
        let half = resp.body.len() / 2;
        resp.body.truncate(half);
        Fault::Pass(resp)
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }));
    proxy.heal();
    let again = client.read("Patient", ADA).await;
    assert!(
        again.is_ok(),
        "{again:?}; the server said {:?}",
        proxy.upstream_log()
    );
}
