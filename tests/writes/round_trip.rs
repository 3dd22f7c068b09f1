//! What is written reads back identically through the chart; a create sent again makes
//! nothing new; a stale `If-Match` is a conflict, never an overwrite. Each write's round
//! trips and bytes are printed (`WIRE kind …`) for docs/benchmarks.md.

use rounds::chart::{AllergyFlag, Chart};
use rounds::charting::check::{LastValues, check};
use rounds::charting::note::{Note, NoteKind};
use rounds::charting::prepare;
use rounds::charting::vitals::{VitalsEntry, parse_height, parse_temp, parse_weight};
use rounds::fhir::{ClientId, FhirClient, Section, WriteOp};
use rounds::outbox::{State, Which, flush, send_item};
use rounds::source::{DataSource, RemoteSource};
use serde_json::{Value, json};

use super::common::writes::{clean_up, client_of, count, fresh_patient};
use super::common::{server_url, today};
use super::{at, author, context, origin, outbox, subject};

async fn ready_client() -> FhirClient {
    let client = client_of(&server_url());
    // Known before anything is measured (rounds keeps them on disk between runs).
    client.capabilities().await.unwrap();
    client
}

async fn chart(client: &FhirClient, patient: &str, sections: &[Section]) -> Chart {
    let source = RemoteSource::new(client.clone());
    let record = source.record(patient, sections).await.unwrap();
    Chart::build(&record, today())
}

/// `resource` without what the server adds (id, meta, text).
fn content(resource: &Value) -> Value {
    let mut v = resource.clone();
    for k in ["id", "meta", "text"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

/// A signed progress note for `patient`, as an item ready to send.
fn progress_note(client: &FhirClient, patient: &str, text: &str) -> (Note, rounds::outbox::Item) {
    let note = Note {
        kind: NoteKind::Progress,
        text: text.into(),
        signed: true,
        replaces: None,
    };
    let item = prepare::note_item(
        &note,
        &context(patient),
        &subject(patient),
        &origin(client.base_url()),
    );
    (note, item)
}

#[tokio::test]
async fn a_signed_note_reads_back_identically_through_the_chart() {
    let client = ready_client().await;
    let p = fresh_patient(&client).await;
    let (_dir, ob) = outbox(client.base_url());
    let text = "S: better — walks 2 km daily; \"no\" chest pain <none> & no SOB\nO: BP 128/82 mmHg, T 37.2 °C\nA: stable\nP: review in 2 weeks";
    let (note, mut item) = progress_note(&client, &p.id, text);
    ob.save(&item).unwrap();
    let outcome = send_item(Some(&ob), &mut item, &client, &author())
        .await
        .unwrap();
    assert_eq!(outcome.state, State::Sent, "{:?}", item.last_error);
    assert!(
        ob.list().unwrap().items.is_empty(),
        "a sent item leaves the outbox"
    );
    assert_eq!(item.wire.round_trips, 1, "one round trip per note");
    eprintln!("WIRE note {:?}", item.wire);

    let id = item.writes[0].answer.as_ref().unwrap().id.clone().unwrap();
    let stored = client.read("DocumentReference", &id).await.unwrap();
    let sent = content(item.writes[0].op.body());
    let mut back = content(&stored);
    // A server may write the date in UTC: the same instant is the same date.
    let instant = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert_eq!(instant(&back["date"]), instant(&sent["date"]));
    back["date"] = sent["date"].clone();
    back["content"][0]["attachment"]["creation"] =
        sent["content"][0]["attachment"]["creation"].clone();
    assert_eq!(back, sent, "the server keeps the note as sent");

    let c = chart(&client, &p.id, &[Section::Notes]).await;
    let notes = c.notes.data().unwrap();
    let row = notes.iter().find(|n| n.id.as_deref() == Some(&id)).unwrap();
    assert_eq!(row.text.as_deref(), Some(note.text.as_str()));
    assert_eq!(
        (row.title.as_str(), row.status.as_str()),
        ("Progress note", "Final")
    );
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn vital_signs_read_back_with_their_units_and_flags_in_one_round_trip() {
    let client = ready_client().await;
    let p = fresh_patient(&client).await;
    let (_dir, ob) = outbox(client.base_url());
    let entry = VitalsEntry {
        bp: Some((150.0, 92.0)),
        hr: Some(72.0),
        rr: Some(16.0),
        temp: Some(parse_temp("99.0F").unwrap()),
        spo2: Some(93.0),
        o2_flow: Some(2.0),
        weight: Some(parse_weight("70.5kg").unwrap()),
        height: Some(parse_height("170cm").unwrap()),
    };
    let findings = check(&entry, &at(), &at(), None, &LastValues::default());
    assert!(findings.allows(false), "{findings:?}");
    let mut item = prepare::vitals_item(
        &entry,
        &at(),
        &findings,
        &context(&p.id),
        &subject(&p.id),
        &origin(client.base_url()),
    );
    let outcome = send_item(Some(&ob), &mut item, &client, &author())
        .await
        .unwrap();
    assert_eq!(outcome.state, State::Sent, "{:?}", item.last_error);
    assert_eq!(item.writes.len(), 7);
    assert_eq!(
        item.wire.round_trips, 1,
        "seven Observations in one transaction"
    );
    eprintln!("WIRE vitals(7) {:?}", item.wire);

    let c = chart(&client, &p.id, &[Section::Vitals]).await;
    let latest: Vec<(String, String, String)> = c
        .vitals
        .data()
        .unwrap()
        .latest
        .iter()
        .map(|r| (r.label.clone(), r.value_text.clone(), r.flag_symbol.clone()))
        .collect();
    let want = [
        ("BP", "150/92 mmHg", "H"),
        ("HR", "72/min", ""),
        ("RR", "16/min", ""),
        ("Temp", "99 °F", ""),
        ("SpO2", "93% on 2 L/min", "L"),
        ("Wt", "70.5 kg", ""),
        ("Ht", "170 cm", ""),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| ((*a).into(), (*b).into(), (*c).into()))
        .collect();
    assert_eq!(latest, want);
    let reading = &c.vitals.data().unwrap().readings[0];
    let when = chrono::DateTime::parse_from_rfc3339(reading.date_iso.as_deref().unwrap()).unwrap();
    assert_eq!(
        when,
        at(),
        "the time taken, to the second, whatever offset it comes back in"
    );
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn nka_turns_allergies_not_known_into_nka() {
    let client = ready_client().await;
    let p = fresh_patient(&client).await;
    let before = chart(&client, &p.id, &[Section::Allergies]).await;
    assert_eq!(
        before.banner.allergies,
        AllergyFlag::NoInformation { ids: vec![] }
    );
    let (_dir, ob) = outbox(client.base_url());
    let mut item = prepare::nka_item(&context(&p.id), &subject(&p.id), &origin(client.base_url()));
    let outcome = send_item(Some(&ob), &mut item, &client, &author())
        .await
        .unwrap();
    assert_eq!(outcome.state, State::Sent, "{:?}", item.last_error);
    eprintln!("WIRE nka {:?}", item.wire);
    let after = chart(&client, &p.id, &[Section::Allergies]).await;
    let answer = item.writes[0].answer.as_ref().unwrap();
    let written = format!("AllergyIntolerance/{}", answer.id.as_deref().unwrap());
    assert_eq!(
        after.banner.allergies,
        AllergyFlag::NoKnownAllergies {
            label: "NKA".into(),
            ids: vec![written]
        }
    );
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn a_create_sent_again_with_if_none_exist_makes_nothing_new() {
    let client = ready_client().await;
    let caps = client.capabilities().await.unwrap().clone();
    assert!(
        caps.supports_conditional_create("Observation"),
        "both test servers declare it"
    );
    let p = fresh_patient(&client).await;
    let id = ClientId::new_uuid();
    let obs = json!({"resourceType": "Observation", "status": "final", "identifier": [id.to_json()],
        "code": {"text": "replay test"}, "subject": {"reference": format!("Patient/{}", p.id)},
        "valueString": "once"});
    let first = client.create("Observation", &obs, Some(&id)).await.unwrap();
    let again = client.create("Observation", &obs, Some(&id)).await.unwrap();
    assert_eq!((first.status, again.status), (201, 200));
    assert_eq!(count(&client, "Observation", &id.token()).await, 1);

    // Several creates in one transaction, sent twice: still one of each.
    let ops: Vec<WriteOp> = (0..3)
        .map(|n| {
            let id = ClientId::new_uuid();
            WriteOp::Create {
                resource_type: "Observation".into(),
                resource: json!({"resourceType": "Observation", "status": "final", "identifier": [id.to_json()],
                    "code": {"text": format!("replay {n}")}, "subject": {"reference": format!("Patient/{}", p.id)}}),
                identifier: id,
            }
        })
        .collect();
    let refs: Vec<&WriteOp> = ops.iter().collect();
    let a = client.create_all(&refs, true).await.unwrap();
    let b = client.create_all(&refs, true).await.unwrap();
    assert!(a.iter().all(|x| x.status == 201), "{a:?}");
    assert!(b.iter().all(|x| x.status == 200), "{b:?}");
    assert_eq!(
        a.iter().map(|x| &x.id).collect::<Vec<_>>(),
        b.iter().map(|x| &x.id).collect::<Vec<_>>()
    );
    for op in &ops {
        assert_eq!(
            count(&client, "Observation", &op.identifier().unwrap().token()).await,
            1
        );
    }
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn a_stale_if_match_is_a_conflict_shown_as_base_theirs_mine_and_never_overwrites() {
    let client = ready_client().await;
    let p = fresh_patient(&client).await;
    let (_dir, ob) = outbox(client.base_url());
    let (_, mut item) = progress_note(&client, &p.id, "S: first");
    send_item(Some(&ob), &mut item, &client, &author())
        .await
        .unwrap();
    let doc_id = item.writes[0].answer.as_ref().unwrap().id.clone().unwrap();
    // Read (the form opens on version 1) …
    let (base, version) = client
        .read_current("DocumentReference", &doc_id)
        .await
        .unwrap();
    assert_eq!(version.as_deref(), Some("1"));
    // … someone else amends it (version 2) …
    let mut theirs = base.clone();
    theirs["docStatus"] = json!("amended");
    let changed = client
        .update("DocumentReference", &doc_id, &theirs, version.as_deref())
        .await
        .unwrap();
    assert_eq!(changed.version.as_deref(), Some("2"));
    // … and the retraction made from version 1 is refused.
    let mut retraction = prepare::retraction_item(
        &base,
        version.clone(),
        &subject(&p.id),
        &origin(client.base_url()),
    )
    .unwrap();
    ob.save(&retraction).unwrap();
    let outcome = send_item(Some(&ob), &mut retraction, &client, &author())
        .await
        .unwrap();
    assert_eq!(
        outcome.state,
        State::Conflict,
        "{:?}",
        retraction.last_error
    );
    eprintln!("WIRE conflict {:?}", retraction.wire);
    let conflict = retraction.conflict.clone().unwrap();
    assert_eq!(conflict.resource, format!("DocumentReference/{doc_id}"));
    let diff = conflict.differences();
    let element = |name: &str| diff.iter().find(|d| d.element == name).unwrap().clone();
    let status = element("status");
    assert_eq!(
        (
            status.base.as_deref(),
            status.theirs.as_deref(),
            status.mine.as_deref()
        ),
        (
            Some("\"current\""),
            Some("\"current\""),
            Some("\"entered-in-error\"")
        )
    );
    let doc_status = element("docStatus");
    assert_eq!(doc_status.theirs.as_deref(), Some("\"amended\""));
    // Kept, and retried on request: still a conflict, still not overwritten.
    assert_eq!(ob.load(&retraction.id).unwrap().state, State::Conflict);
    let again = flush(&ob, &client, &author(), &Which::One(retraction.id.clone()))
        .await
        .unwrap();
    assert_eq!(again[0].1.state, State::Conflict);
    let (now, v) = client
        .read_current("DocumentReference", &doc_id)
        .await
        .unwrap();
    assert_eq!(
        (
            now["status"].as_str(),
            now["docStatus"].as_str(),
            v.as_deref()
        ),
        (Some("current"), Some("amended"), Some("2"))
    );
    clean_up(&client, &p).await;
}
