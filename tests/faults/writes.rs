//! Faults on the write path, through the proxy in front of the real server: the link lost
//! after the server took a write (exit 7, `rounds outbox retry` completes it, exactly one
//! resource with its identifier), a vitals transaction lost the same way, the process
//! killed between keeping a note and sending it (the next start sends it once), a
//! tampered or moved outbox file (refused, reported, never sent), and an expired sign-in
//! (kept, paused, exit 4). The outbox's files hold neither the note's text nor the
//! patient's name.

use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

use rounds::charting::check::{LastValues, check};
use rounds::charting::prepare::{self, Origin, Subject};
use rounds::charting::vitals::VitalsEntry;
use rounds::outbox::{Author, Outbox, State, Which, flush, send_item};
use rounds::vault::VaultKey;

use super::common::keyring::{expect, rc};
use super::common::server_url;
use super::common::writes::{
    Scenario, clean_up, client_of, count, fresh_patient, item_id, output_of,
};
use super::*;

/// Whether `req` is a write: a create of a note, or a transaction.
fn is_write(req: &Request) -> bool {
    req.method == "POST"
        && (req.path() == "/DocumentReference"
            || (req.is_batch() && String::from_utf8_lossy(&req.body).contains("\"transaction\"")))
}

/// The client identifiers a write carries (`SYSTEM|VALUE`).
fn identifiers(req: &Request) -> Vec<String> {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
    let mut out = Vec::new();
    let mut take = |r: &Value| {
        if let Some(i) = r["identifier"][0].as_object() {
            out.push(format!(
                "{}|{}",
                i["system"].as_str().unwrap_or(""),
                i["value"].as_str().unwrap_or("")
            ));
        }
    };
    take(&body);
    for e in body["entry"].as_array().into_iter().flatten() {
        take(&e["resource"]);
    }
    out
}

/// Keeps the identifiers of the writes seen and counts them.
#[derive(Default)]
struct Seen {
    writes: AtomicUsize,
    ids: Mutex<Vec<String>>,
}

impl Seen {
    /// Note a write; how many came before it.
    fn note(&self, req: &Request) -> usize {
        let mut ids = self.ids.lock().unwrap();
        for i in identifiers(req) {
            if !ids.contains(&i) {
                ids.push(i);
            }
        }
        self.writes.fetch_add(1, Ordering::SeqCst)
    }
    fn ids(&self) -> Vec<String> {
        self.ids.lock().unwrap().clone()
    }
}

/// An outbox of profile `w` for `through`'s server, in a folder of its own.
fn outbox_through(through: &FhirClient) -> (tempfile::TempDir, Outbox) {
    let dir = tempfile::tempdir().unwrap();
    let server = through.base_url();
    let folder = Outbox::dir(dir.path(), "w", server);
    let ob = Outbox::open(folder, VaultKey::generate(), "w", server).unwrap();
    (dir, ob)
}

/// A proxy whose first write reaches the server and whose answer never comes back.
fn drop_first_write() -> (Proxy, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let s2 = seen.clone();
    let proxy = Proxy::start(move |req: &Request, resp| {
        if is_write(req) && s2.note(req) == 0 {
            Fault::Drop
        } else {
            Fault::Pass(resp)
        }
    });
    (proxy, seen)
}

#[tokio::test]
async fn a_link_lost_after_the_server_took_a_note_exits_7_and_retry_completes_it_once() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (proxy, seen) = drop_first_write();
    let text = "S: the secret words of this note\\nP: plan";
    let mut s = Scenario::new(proxy.url());
    s.step("note", &format!("printf '{text}' | $R --profile w note add {} --file -", p.id))
        .step("list", "$R --profile w outbox list")
        .raw("grep -rl -e 'secret words' -e 'QXWRITE' -e 'Qxwrite' -e 'rnd-wt-' \"$ROUNDS_STATE_DIR\" && echo LEAKED")
        .step("retry", "$R --profile w outbox retry")
        .step("list-after", "$R --profile w outbox list --json");
    let out = s.run();
    expect(
        &out,
        &[("note", 7), ("list", 0), ("retry", 0), ("list-after", 0)],
        &["not sent yet", "outbox retry"],
    );
    assert!(
        !out.contains("LEAKED"),
        "patient data in the state folder:\n{out}"
    );
    let id = item_id(output_of(&out, "note"));
    assert!(
        output_of(&out, "list").contains(&format!("{id} unknown")),
        "{out}"
    );
    assert!(
        output_of(&out, "retry").contains("Sent: Progress note, 2 lines → DocumentReference/"),
        "{out}"
    );
    assert!(
        output_of(&out, "list-after").contains("\"items\": []"),
        "{out}"
    );
    let ids = seen.ids();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        count(&client, "DocumentReference", &ids[0]).await,
        1,
        "exactly one note on the server"
    );
    // Sent: its file is gone.
    let left = super::common::writes::files_with_bytes(&s.state_dir());
    assert!(
        left.iter().all(|(f, _)| !f.to_string_lossy().contains(&id)),
        "{left:?}"
    );
    clean_up(&client, &p).await;
}

/// A rewrite that holds back the first `n` writes: a harmless read goes to the server in
/// their place, so the server never sees them.
fn hold_first(n: usize) -> impl Fn(&Request) -> Option<Request> + Send + Sync + 'static {
    let held = AtomicUsize::new(0);
    move |req: &Request| {
        (is_write(req) && held.fetch_add(1, Ordering::SeqCst) < n).then(|| req.as_get("/metadata"))
    }
}

#[tokio::test]
async fn a_vitals_transaction_whose_answer_is_lost_is_sent_once() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (proxy, seen) = drop_first_write();
    let through = client_with(&proxy, |_| {});
    let (_dir, ob) = outbox_through(&through);
    let server = through.base_url().to_owned();
    let author = Author {
        profile: "w".into(),
        fhir_user: Some("Practitioner/rnd-wt-nurse".into()),
    };
    let entry = VitalsEntry {
        bp: Some((128.0, 82.0)),
        hr: Some(72.0),
        spo2: Some(97.0),
        ..VitalsEntry::default()
    };
    let now = chrono::Utc::now().fixed_offset();
    let findings = check(&entry, &now, &now, None, &LastValues::default());
    let subject = Subject {
        id: p.id.clone(),
        label: "QXWRITE".into(),
        birth_date: None,
    };
    let ctx = rounds::charting::Context {
        patient_id: p.id.clone(),
        author: author.fhir_user.clone(),
        encounter: None,
        now,
    };
    let origin = Origin {
        server: server.clone(),
        author: author.clone(),
    };
    let mut item = prepare::vitals_item(&entry, &now, &findings, &ctx, &subject, &origin);
    ob.save(&item).unwrap();
    let outcome = send_item(Some(&ob), &mut item, &through, &author)
        .await
        .unwrap();
    assert_eq!(outcome.state, State::Unknown, "{:?}", item.last_error);
    assert_eq!(ob.load(&item.id).unwrap().state, State::Unknown);
    let sent = flush(&ob, &through, &author, &Which::Pending)
        .await
        .unwrap();
    assert_eq!(sent[0].1.state, State::Sent, "{:?}", sent[0].0.last_error);
    assert_eq!(seen.ids().len(), 3);
    for id in seen.ids() {
        assert_eq!(count(&client, "Observation", &id).await, 1, "{id}");
    }
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn killed_between_keeping_and_sending_the_next_start_sends_it_once() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let seen = Arc::new(Seen::default());
    let home = tempfile::tempdir().unwrap();
    let mark = home.path().join("held");
    let (s2, m2) = (seen.clone(), mark.clone());
    // The first write is held and never forwarded (a harmless read goes instead); the
    // process is killed while it waits.
    let proxy = Proxy::with_rewrite(hold_first(1), move |req: &Request, resp| {
        if is_write(req) && s2.note(req) == 0 {
            std::fs::write(&m2, b"held").unwrap();
            Fault::Delay(
                Duration::from_secs(20),
                Answer::raw(503, "text/plain", "held"),
            )
        } else {
            Fault::Pass(resp)
        }
    });
    let mut s = Scenario::new(proxy.url());
    s.raw(&format!(
        "printf 'S: killed' | $R --profile w note add {} --file - & pid=$!\n\
         for i in $(seq 200); do [ -f '{}' ] && break; sleep 0.05; done\n\
         kill -9 $pid; wait $pid 2>/dev/null",
        p.id,
        mark.display()
    ))
    .step("list", "$R --profile w outbox list")
    .step("retry", "$R --profile w outbox retry")
    .step("list-after", "$R --profile w outbox list");
    let out = s.run();
    assert!(mark.exists(), "the write was never held:\n{out}");
    expect(
        &out,
        &[("list", 0), ("retry", 0)],
        &["sending", "Sent:", "The outbox is empty"],
    );
    let ids = seen.ids();
    assert_eq!(ids.len(), 1, "{out}");
    assert_eq!(count(&client, "DocumentReference", &ids[0]).await, 1);
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn a_tampered_or_moved_outbox_file_is_refused_reported_and_never_sent() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let seen = Arc::new(Seen::default());
    let s2 = seen.clone();
    // The first two writes never reach the server (a read goes instead; 503 comes back).
    let proxy = Proxy::with_rewrite(hold_first(2), move |req: &Request, resp| {
        if is_write(req) && s2.note(req) < 2 {
            Fault::Pass(Answer::raw(503, "text/plain", "busy"))
        } else {
            Fault::Pass(resp)
        }
    });
    let mut s = Scenario::new(proxy.url());
    s.step(
        "a",
        &format!(
            "printf 'S: note a' | $R --profile w note add {} --file -",
            p.id
        ),
    )
    .step(
        "b",
        &format!(
            "printf 'S: note b' | $R --profile w note add {} --file -",
            p.id
        ),
    );
    let out = s.run();
    expect(&out, &[("a", 7), ("b", 7)], &[]);
    let (a, b) = (item_id(output_of(&out, "a")), item_id(output_of(&out, "b")));
    let files = super::common::writes::files_with_bytes(&s.state_dir());
    let file = |id: &str| {
        files
            .iter()
            .find(|(p, _)| p.ends_with(format!("{id}.sealed")))
            .unwrap()
            .clone()
    };
    let (a_path, mut a_bytes) = file(&a);
    let mid = a_bytes.len() / 2;
    a_bytes[mid] ^= 0x01;
    std::fs::write(&a_path, a_bytes).unwrap();
    let (b_path, b_bytes) = file(&b);
    let moved = b_path.with_file_name("00000000-0000-4000-8000-000000000000.sealed");
    std::fs::write(&moved, b_bytes).unwrap();
    s.again();
    s.step("list", "$R --profile w outbox list")
        .step("retry-a", &format!("$R --profile w outbox retry {a}"))
        .step("retry", "$R --profile w outbox retry")
        .step("list-after", "$R --profile w outbox list --json");
    let out = s.run();
    assert_eq!(rc(&out, "retry"), 0, "{out}");
    assert_ne!(rc(&out, "retry-a"), 0, "{out}");
    let list = output_of(&out, "list");
    assert!(list.contains(&format!("{a} REFUSED")), "{out}");
    assert!(
        list.contains("00000000-0000-4000-8000-000000000000 REFUSED"),
        "{out}"
    );
    assert!(list.contains("fails its integrity check"), "{out}");
    assert!(
        output_of(&out, "list-after").contains("\"refused\""),
        "{out}"
    );
    // Only b reached the server; a (tampered) and the moved copy never did.
    let ids = seen.ids();
    assert_eq!(ids.len(), 2, "{out}");
    let on_server = [
        count(&client, "DocumentReference", &ids[0]).await,
        count(&client, "DocumentReference", &ids[1]).await,
    ];
    assert_eq!(on_server, [0, 1], "a is never sent, b once");
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn an_expired_sign_in_keeps_the_write_and_pauses_the_queue() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let seen = Arc::new(Seen::default());
    let s2 = seen.clone();
    let proxy = Proxy::with_rewrite(hold_first(1), move |req: &Request, resp| {
        if is_write(req) && s2.note(req) == 0 {
            Fault::Pass(Answer::json(401, &outcome("token expired")))
        } else {
            Fault::Pass(resp)
        }
    });
    let mut s = Scenario::new(proxy.url());
    s.step(
        "note",
        &format!(
            "printf 'S: paused' | $R --profile w note add {} --file -",
            p.id
        ),
    )
    .step("show", "$R --profile w outbox list");
    let out = s.run();
    expect(
        &out,
        &[("note", 4), ("show", 0)],
        &["sign in again", "kept in the outbox as item"],
    );
    assert_eq!(count(&client, "DocumentReference", &seen.ids()[0]).await, 0);
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn without_conditional_create_a_lost_answer_is_looked_up_by_identifier_not_resent() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let seen = Arc::new(Seen::default());
    let s2 = seen.clone();
    // The server says it has no conditional create; the first note's answer is lost.
    let proxy = Proxy::start(move |req: &Request, mut resp| {
        if req.is_get("/metadata") && resp.status == 200 {
            let mut caps = resp.body_json();
            each_resource(&mut caps, "CapabilityStatement", &mut |m| {
                for rest in m["rest"].as_array_mut().into_iter().flatten() {
                    for r in rest["resource"].as_array_mut().into_iter().flatten() {
                        r["conditionalCreate"] = json!(false);
                    }
                }
            });
            resp.set_json(&caps);
            return Fault::Pass(resp.without_validators());
        }
        if is_write(req) && s2.note(req) == 0 {
            Fault::Drop
        } else {
            Fault::Pass(resp)
        }
    });
    let through = client_with(&proxy, |_| {});
    assert!(
        !through
            .capabilities()
            .await
            .unwrap()
            .supports_conditional_create("DocumentReference")
    );
    let (_dir, ob) = outbox_through(&through);
    let server = through.base_url().to_owned();
    let author = Author {
        profile: "w".into(),
        fhir_user: None,
    };
    let now = chrono::Utc::now().fixed_offset();
    let ctx = rounds::charting::Context {
        patient_id: p.id.clone(),
        author: None,
        encounter: None,
        now,
    };
    let note = rounds::charting::note::Note {
        kind: rounds::charting::note::NoteKind::Telephone,
        text: "S: called".into(),
        signed: true,
        replaces: None,
    };
    let subject = Subject {
        id: p.id.clone(),
        label: "QXWRITE".into(),
        birth_date: None,
    };
    let origin = Origin {
        server: server.clone(),
        author: author.clone(),
    };
    let mut item = prepare::note_item(&note, &ctx, &subject, &origin);
    let first = send_item(Some(&ob), &mut item, &through, &author)
        .await
        .unwrap();
    assert_eq!(first.state, State::Unknown);
    assert!(
        !proxy
            .log()
            .iter()
            .any(|l| l.starts_with("GET /DocumentReference?identifier"))
    );
    let again = flush(&ob, &through, &author, &Which::Pending)
        .await
        .unwrap();
    assert_eq!(again[0].1.state, State::Sent, "{:?}", again[0].0.last_error);
    assert_eq!(
        proxy.count("POST /DocumentReference"),
        1,
        "found by its identifier, not sent again: {:?}",
        proxy.log()
    );
    assert_eq!(
        proxy.count("GET /DocumentReference?identifier"),
        1,
        "{:?}",
        proxy.log()
    );
    assert_eq!(count(&client, "DocumentReference", &seen.ids()[0]).await, 1);
    clean_up(&client, &p).await;
}
