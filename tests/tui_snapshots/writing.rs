//! The write path's layers: the note back from the editor (under the banner), the vitals
//! form with what checking found, the outbox list (a conflict in full), the question
//! naming the patient before NKA, and the outbox's counts on the status line.

use std::time::Instant;

use chrono::TimeZone;
use rounds::app::Writing;
use rounds::fhir::{ClientId, WriteOp};
use rounds::outbox::{Author, Conflict, Counts, Item, State, Write};
use rounds::source::{WriteMode, Writer};
use serde_json::json;

use super::*;

fn writing() -> Writing {
    Writing {
        writer: Some(Writer {
            author: Author {
                profile: "w".into(),
                fhir_user: Some("Practitioner/p1".into()),
            },
            mode: WriteMode::Outbox,
        }),
        server: "https://ehr.example/fhir".into(),
        started: true,
        ..Writing::default()
    }
}

fn chart_writing(id: &str) -> App {
    let mut app = demo_chart(id);
    app.writing = writing();
    app
}

#[test]
fn a_note_back_from_the_editor() {
    let mut app = chart_writing(ADA);
    let cmds = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE)),
    );
    let Some(Command::EditNote { req, text }) = cmds.first().cloned() else {
        panic!("{cmds:?}")
    };
    let text = text
        .replace("S: \n", "S: tired, no chest pain\n")
        .replace("P: \n", "P: review in 2 weeks\n");
    update(
        &mut app,
        Msg::Edited {
            req,
            text: Some(text),
            at: Instant::now(),
        },
    );
    snap("write_note_confirm", &mut app);
}

#[test]
fn the_vitals_form_with_what_checking_found() {
    let mut app = chart_writing(ADA);
    press(&mut app, KeyCode::Char('v'));
    keys(&mut app, "250/90");
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "38");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    keys(&mut app, "99");
    press(&mut app, KeyCode::Enter);
    snap("write_vitals_form", &mut app);
}

#[test]
fn the_question_before_nka_names_the_patient() {
    let mut app = chart_writing(CORA);
    keys(&mut app, ":nka");
    press(&mut app, KeyCode::Enter);
    snap("write_nka_confirm", &mut app);
}

fn item(state: State, summary: &str, created_min: u32) -> Item {
    let op = WriteOp::Update {
        resource_type: "DocumentReference".into(),
        id: "doc-1".into(),
        if_match: Some("1".into()),
        resource: json!({"resourceType": "DocumentReference", "status": "entered-in-error", "docStatus": "final"}),
    };
    let author = Author {
        profile: "w".into(),
        fhir_user: Some("Practitioner/p1".into()),
    };
    let mut it = Item::new(
        "note",
        ADA,
        "https://ehr.example/fhir",
        author,
        vec![Write::new(op)],
    );
    it.id = format!("0000000{created_min}-0000-4000-8000-000000000000");
    it.created_at = chrono::Utc
        .with_ymd_and_hms(2026, 11, 22, 9, created_min, 0)
        .unwrap();
    it.state = state;
    it.summary = summary.into();
    it.patient_label = "TESTWELL, Ada Quinn (Mrs)  Born 04-Mar-1958  MRN RND100101".into();
    it
}

#[test]
fn the_outbox_with_a_conflict_shown_in_full() {
    let mut app = chart_writing(ADA);
    let mut waiting = item(State::Unknown, "Progress note, 4 lines", 1);
    waiting.last_error = Some("could not reach the server: the connection dropped".into());
    let mut conflict = item(State::Conflict, "Note doc-1 marked entered in error", 2);
    conflict.last_error =
        Some("the server refused the request (HTTP 412): version conflict".into());
    conflict.conflict = Some(Conflict {
        resource: "DocumentReference/doc-1".into(),
        base: Some(json!({"status": "current", "docStatus": "final"})),
        theirs: Some(json!({"status": "current", "docStatus": "amended"})),
        mine: json!({"status": "entered-in-error", "docStatus": "final"}),
    });
    let mut draft = item(State::Draft, "Vital signs (draft)", 3);
    draft.writes.clear();
    let _ = ClientId::new_uuid();
    app.writing.items = vec![waiting, conflict, draft];
    app.writing.counts = Counts {
        pending: 1,
        failed: 1,
        drafts: 1,
    };
    app.writing.listed_at = Some(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
            .unwrap(),
    );
    keys(&mut app, ":outbox");
    // (The list's own load goes to the worker; the items above stand in for its answer.)
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadOutbox { .. }]),
        "{cmds:?}"
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    snap("write_outbox_conflict", &mut app);
}
