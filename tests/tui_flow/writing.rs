//! The write path in `update`: a note from the editor is kept as a draft the moment the
//! editor closes (so an idle lock never loses it), then signed and sent; an unchanged
//! note is abandoned; the vitals form refuses, asks once more, records, and is kept as a
//! draft by the lock; NKA only where allergies are not known, after a question naming the
//! patient; quitting with writes not sent asks; a read-only source says so.

use std::time::Instant;

use rounds::app::{Confirm, Writing};
use rounds::outbox::{Author, Counts, State};
use rounds::source::{DataSource, DemoSource, WriteMode, Writer};

use super::*;

fn writer(mode: WriteMode) -> Writer {
    Writer {
        author: Author {
            profile: "w".into(),
            fhir_user: Some("Practitioner/p1".into()),
        },
        mode,
    }
}

/// Ada's chart open, writes going to an outbox.
fn on_ada(mode: WriteMode) -> Harness {
    let mut h = Harness::new();
    h.app.writing = Writing {
        writer: Some(writer(mode)),
        server: "http://ehr.example/fhir".into(),
        started: true,
        ..Writing::default()
    };
    h.open(ADA);
    h
}

fn edited(h: &mut Harness, cmds: &[Command], text: impl Fn(&str) -> String) -> Vec<Command> {
    let Some(Command::EditNote { req, text: file }) = cmds.first() else {
        panic!("no editor asked for: {cmds:?}");
    };
    assert!(
        file.starts_with("# Progress note for TESTWELL, Ada"),
        "{file}"
    );
    update(
        &mut h.app,
        Msg::Edited {
            req: *req,
            text: Some(text(file)),
            at: Instant::now(),
        },
    )
}

fn submitted(cmds: &[Command]) -> rounds::outbox::Item {
    cmds.iter()
        .find_map(|c| match c {
            Command::Submit { item, .. } => Some((**item).clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("nothing submitted: {cmds:?}"))
}

#[test]
fn a_note_is_kept_as_a_draft_when_the_editor_closes_and_survives_the_lock() {
    let mut h = on_ada(WriteMode::Outbox);
    let cmds = update(&mut h.app, ch('n'));
    // Unchanged: abandoned, nothing kept.
    let none = edited(&mut h, &cmds, str::to_owned);
    assert!(none.is_empty(), "{none:?}");
    assert!(h.app.status.as_ref().unwrap().text.contains("abandoned"));
    let cmds = update(&mut h.app, ch('n'));
    let cmds = edited(&mut h, &cmds, |f| f.replace("A: \n", "A: stable\n"));
    let draft = submitted(&cmds);
    assert_eq!(draft.state, State::Draft);
    assert_eq!(draft.patient_id, ADA);
    assert!(h.app.layers.has(LayerKind::Note));
    // The lock drops the layer (patient data) but the draft is already on its way to disk.
    update(&mut h.app, ctrl('l'));
    assert!(!h.app.layers.has(LayerKind::Note) && h.app.chart.is_none());
}

#[test]
fn signing_sends_the_draft_as_a_final_note_under_the_same_item() {
    let mut h = on_ada(WriteMode::Outbox);
    let cmds = update(&mut h.app, ch('n'));
    let draft = submitted(&edited(&mut h, &cmds, |f| {
        f.replace("P: \n", "P: review\n")
    }));
    let cmds = update(&mut h.app, ch('s'));
    let item = submitted(&cmds);
    assert_eq!(
        (item.id.as_str(), item.state),
        (draft.id.as_str(), State::Queued)
    );
    let doc = item.writes[0].op.body();
    assert_eq!(doc["docStatus"], "final");
    assert_eq!(doc["author"][0]["reference"], "Practitioner/p1");
    assert!(!h.app.layers.has(LayerKind::Note));
}

#[test]
fn the_demo_takes_a_note_in_memory_and_shows_it_on_the_notes_tab() {
    let demo: &'static DemoSource = Box::leak(Box::new(DemoSource::new()));
    let mut h = Harness::new();
    h.worker = FakeWorker::new(demo);
    h.app.writing.writer = Some(demo.writer());
    h.open(ADA);
    let cmds = update(&mut h.app, ch('n'));
    let cmds = edited(&mut h, &cmds, |f| f.replace("A: \n", "A: demo note text\n"));
    assert!(cmds.is_empty(), "the demo keeps no drafts: {cmds:?}");
    let cmds = update(&mut h.app, ch('s'));
    let more = h.worker.run(&mut h.app, cmds);
    h.worker.run(&mut h.app, more);
    let chart = h.app.chart.as_ref().unwrap();
    assert_eq!(chart.tab, Tab::Notes);
    let notes = chart.data.loaded().unwrap().notes.data().unwrap();
    assert!(notes.iter().any(|n| {
        n.text
            .as_deref()
            .is_some_and(|t| t.contains("demo note text"))
    }));
}

#[test]
fn the_vitals_form_refuses_asks_again_then_records_and_the_lock_keeps_it() {
    let mut h = on_ada(WriteMode::Outbox);
    assert!(update(&mut h.app, ch('v')).is_empty());
    for c in "80/90".chars() {
        update(&mut h.app, ch(c));
    }
    assert!(
        update(&mut h.app, key(KeyCode::Enter)).is_empty(),
        "impossible: refused"
    );
    let Some(Layer::Vitals(form)) = h.app.layers.top() else {
        panic!()
    };
    assert!(form.findings.as_ref().unwrap().impossible[0].contains("not above diastolic"));
    update(&mut h.app, ctrl('u'));
    for c in "230/90".chars() {
        update(&mut h.app, ch(c));
    }
    assert!(
        update(&mut h.app, key(KeyCode::Enter)).is_empty(),
        "implausible: asked"
    );
    let item = submitted(&update(&mut h.app, key(KeyCode::Enter)));
    assert_eq!(item.kind, "vitals");
    assert_eq!(
        item.writes[0].op.body()["component"][0]["valueQuantity"]["value"],
        230.0
    );
    // A form with a value typed, then the lock: kept as a draft.
    update(&mut h.app, ch('v'));
    update(&mut h.app, key(KeyCode::Tab));
    update(&mut h.app, ch('7'));
    let draft = submitted(&update(&mut h.app, ctrl('l')));
    assert_eq!(draft.state, State::Draft);
    assert_eq!(draft.draft.as_ref().unwrap()["vitals"][1], "7");
}

#[test]
fn nka_only_where_allergies_are_not_known_after_a_question_naming_the_patient() {
    let mut h = on_ada(WriteMode::Outbox);
    run_command(&mut h, "nka");
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("records 2 allergies")
    );
    h.open(CORA);
    run_command(&mut h, "nka");
    let Some(Layer::Confirm(Confirm::Nka { subject })) = h.app.layers.top() else {
        panic!("no question: {:?}", h.app.layers);
    };
    assert!(subject.label.starts_with("LASTDAY"), "{}", subject.label);
    let item = submitted(&update(&mut h.app, ch('y')));
    assert_eq!(
        item.writes[0].op.body()["code"]["coding"][0]["code"],
        "716186003"
    );
}

#[test]
fn quitting_with_writes_not_sent_asks_first() {
    let mut h = on_ada(WriteMode::Outbox);
    h.app.writing.counts = Counts {
        pending: 1,
        failed: 0,
        drafts: 1,
    };
    update(&mut h.app, ch('q'));
    assert!(!h.app.quit && h.app.layers.has(LayerKind::Confirm));
    update(&mut h.app, ch('n'));
    assert!(!h.app.quit && !h.app.layers.has(LayerKind::Confirm));
    update(&mut h.app, ch('q'));
    update(&mut h.app, ch('y'));
    assert!(h.app.quit);
}

#[test]
fn a_read_only_source_says_so() {
    let mut h = on_ada(WriteMode::ReadOnly {
        why: "files opened with --open are read-only".into(),
    });
    assert!(update(&mut h.app, ch('n')).is_empty());
    assert!(h.app.status.as_ref().unwrap().text.contains("read-only"));
    assert!(update(&mut h.app, ch('v')).is_empty());
    assert!(!h.app.layers.has(LayerKind::Vitals));
}

fn run_command(h: &mut Harness, text: &str) {
    update(&mut h.app, ch(':'));
    for c in text.chars() {
        update(&mut h.app, ch(c));
    }
    update(&mut h.app, key(KeyCode::Enter));
}
