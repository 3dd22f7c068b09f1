//! Issue 12.12: both test servers put the search terms (name, birth date) into the `next`
//! link of a `POST Patient/_search`. Following it must not put them in a URL: a link to
//! the Patient search goes as a POST of its query; a link to a paging endpoint goes
//! without the terms it echoed.

use std::sync::{Arc, Mutex};

use serde_json::json;
use wiremock::{Mock, MockServer, Request};

use rounds::fhir::PatientQuery;
use rounds::source::{DataSource as _, RemoteSource};

use super::common::mock::{client_for, fhir, patient};

/// A server answering every patient search with one patient and a `next` link made by
/// `next(page)` (none after page 3); it keeps every request line and body.
async fn echoing_server(
    next: impl Fn(&str, usize) -> String + Send + Sync + 'static,
) -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let server = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (log, uri) = (seen.clone(), server.uri());
    let count = Arc::new(Mutex::new(0usize));
    Mock::given(wiremock::matchers::any())
        .respond_with(move |req: &Request| {
            log.lock().unwrap().push(format!(
                "{} {} | {}",
                req.method,
                req.url,
                String::from_utf8_lossy(&req.body)
            ));
            let mut n = count.lock().unwrap();
            *n += 1;
            let mut b = json!({"resourceType":"Bundle","type":"searchset",
                "entry":[{"resource": patient(&format!("p{n}"))}]});
            if *n < 3 {
                b["link"] = json!([{"relation":"next","url": next(&uri, *n)}]);
            }
            fhir(200, b)
        })
        .mount(&server)
        .await;
    (server, seen)
}

fn query() -> PatientQuery {
    PatientQuery {
        family: Some("Zzsecret".into()),
        birthdate: chrono::NaiveDate::from_ymd_opt(1958, 3, 4),
        ..PatientQuery::default()
    }
}

/// Every request's URL is free of the terms; the POST bodies carry them.
fn assert_terms_stay_out_of_urls(seen: &[String]) {
    assert_eq!(seen.len(), 3, "{seen:#?}");
    for line in seen {
        let url = line.split(" | ").next().unwrap();
        assert!(!url.contains("Zzsecret") && !url.contains("1958"), "{line}");
    }
}

#[tokio::test]
async fn next_links_to_the_patient_search_are_posted() {
    for shape in ["/Patient", "/Patient/_search"] {
        let (server, seen) = echoing_server(move |uri, n| {
            format!("{uri}{shape}?family=Zzsecret&birthdate=1958-03-04&_count=1&_cursor=c{n}")
        })
        .await;
        let source = RemoteSource::new(client_for(&server, |_| {}));
        let found = source.search(&query(), 3).await.unwrap();
        assert_eq!(found.patients.len(), 3);
        assert!(!found.used_get);
        let seen = seen.lock().unwrap().clone();
        assert_terms_stay_out_of_urls(&seen);
        for line in &seen[1..] {
            assert!(
                line.starts_with("POST ") && line.contains("/Patient/_search"),
                "{line}"
            );
            assert!(
                line.contains("_cursor=c"),
                "the page's own cursor is sent: {line}"
            );
        }
    }
}

#[tokio::test]
async fn a_paging_link_elsewhere_loses_the_terms_it_echoed() {
    let (server, seen) = echoing_server(|uri, n| {
        format!("{uri}/?_getpages=abc&_getpagesoffset={n}&family=Zzsecret&birthdate=1958-03-04")
    })
    .await;
    let source = RemoteSource::new(client_for(&server, |_| {}));
    let found = source.search(&query(), 3).await.unwrap();
    assert_eq!(found.patients.len(), 3);
    let seen = seen.lock().unwrap().clone();
    assert_terms_stay_out_of_urls(&seen);
    assert!(
        seen[1].starts_with("GET ") && seen[1].contains("_getpages=abc"),
        "{seen:?}"
    );
}
