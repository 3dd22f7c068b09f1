//! Notes whose text is kept on the server as a `Binary` (`attachment.url`), as Epic and
//! Oracle Health send clinical notes: the chart fetches the text with the notes and shows
//! it; a note in two formats (HTML and RTF) is shown once; a note pointing at another
//! server's Binary is never fetched and says its attachment is not shown. Real server,
//! a patient of the test's own.

use base64::Engine as _;
use serde_json::json;

use super::common::server_url;
use super::common::writes::{clean_up, client_of, fresh_patient};
use rounds::chart::Chart;
use rounds::fhir::Section;
use rounds::source::{DataSource, RemoteSource};

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

#[tokio::test]
async fn a_note_kept_as_a_binary_is_fetched_and_shown_once() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let tag = &p.id["rnd-wt-".len()..];
    let (html, rtf) = (format!("zz-bin-h-{tag}"), format!("zz-bin-r-{tag}"));
    let binary = |id: &str, ct: &str, body: &str| json!({"resourceType": "Binary", "id": id, "contentType": ct, "data": b64(body)});
    client
        .update(
            "Binary",
            &html,
            &binary(
                &html,
                "text/html",
                "<p>S: cough for <b>3 days</b></p><p>P: rest</p>",
            ),
            None,
        )
        .await
        .unwrap();
    client
        .update(
            "Binary",
            &rtf,
            &binary(
                &rtf,
                "text/rtf",
                r"{\rtf1\ansi{\fonttbl\f0 Arial;}S: cough\par P: rest}",
            ),
            None,
        )
        .await
        .unwrap();
    let doc_id = format!("zz-doc-{tag}");
    let doc = json!({
        "resourceType": "DocumentReference", "id": doc_id, "status": "current",
        "type": {"text": "Progress note"},
        "subject": {"reference": format!("Patient/{}", p.id)},
        "date": "2026-11-20T10:00:00Z",
        "content": [
            {"attachment": {"contentType": "text/html", "url": format!("Binary/{html}")}},
            {"attachment": {"contentType": "text/rtf", "url": format!("Binary/{rtf}")}},
            {"attachment": {"contentType": "text/html",
                            "url": format!("https://elsewhere.example/fhir/Binary/{html}")}}
        ]
    });
    client
        .update("DocumentReference", &doc_id, &doc, None)
        .await
        .unwrap();

    let source = RemoteSource::new(client.clone());
    let record = source.record(&p.id, &[Section::Notes]).await.unwrap();
    let chart = Chart::build(&record, super::common::today());
    let notes = chart.notes.data().unwrap();
    assert_eq!(notes.len(), 1);
    let text = notes[0].text.as_deref().unwrap();
    assert!(text.contains("S: cough for 3 days"), "{text}");
    assert!(text.contains("P: rest"), "{text}");
    assert_eq!(text.matches("cough").count(), 1, "shown once: {text}");
    // The RTF is the same document in another format (not fetched); the other server's
    // copy is never fetched either.
    let named: Vec<&str> = notes[0]
        .attachments
        .iter()
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(named.len(), 2, "{named:?}");
    assert!(
        named.iter().all(|n| n.contains("another format")),
        "{named:?}"
    );
    assert_eq!(
        notes[0].attachments[1].url.as_deref(),
        Some(format!("https://elsewhere.example/fhir/Binary/{html}").as_str())
    );
    assert_eq!(
        record.binaries.keys().collect::<Vec<_>>(),
        [&format!("Binary/{html}")],
        "one format of the note is read, and only from this server"
    );

    for id in [&html, &rtf] {
        let _ = reqwest::Client::new()
            .delete(format!("{}/Binary/{id}", client.base_url()))
            .send()
            .await;
    }
    clean_up(&client, &p).await;
}
