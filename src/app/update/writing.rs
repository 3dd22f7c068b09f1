//! The write path in `update`: starting a note (the editor), the vitals form, NKA and the
//! outbox list; the editor's answer (kept at once as a draft, so an idle lock or a crash
//! never loses it); the queue's clock; and what the lock keeps of a form before it drops
//! the screen.
//!
//! The time a write is stamped with is read here (`chrono::Local::now`): FHIR dates carry
//! the wall clock and its offset, which the monotonic `Msg::Clock` does not give.

use std::time::Instant;

use super::reopen_chart;
use crate::app::command::Command;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Screen};
use crate::app::vitals_form::VitalsForm;
use crate::app::writing::{Confirm, NoteConfirm, NoteSession, OutboxList};
use crate::charting::Context;
use crate::charting::note::{self, Note, NoteKind};
use crate::charting::prepare::{self, Origin, Subject};
use crate::outbox::{Item, State, Which};
use crate::source::WriteMode;

/// The open chart's patient, if its chart is loaded; else says why not.
pub(super) fn subject(app: &mut App) -> Option<(Subject, Option<String>)> {
    let found = app
        .chart
        .as_ref()
        .filter(|_| app.screen == Screen::Chart)
        .and_then(|c| {
            let chart = c.data.loaded()?;
            let encounters = c
                .record
                .as_ref()
                .map(|r| r.encounters.as_slice())
                .unwrap_or_default();
            Some((
                Subject::of(chart),
                prepare::open_encounter_today(encounters, app.today),
            ))
        });
    if found.is_none() {
        app.set_error("Open a patient's chart first");
    }
    found
}

/// Whether this source takes writes; says why not when it does not.
pub(super) fn writable(app: &mut App) -> bool {
    match app.writing.writer.as_ref().map(|w| &w.mode) {
        Some(WriteMode::ReadOnly { why }) => {
            let why = why.clone();
            app.set_error(why);
            false
        }
        None => {
            app.set_error("This source takes no writes");
            false
        }
        Some(_) => true,
    }
}

/// Who writes (the source's writer; nobody named when it has not said).
pub(super) fn author(app: &App) -> crate::outbox::Author {
    app.writing
        .writer
        .as_ref()
        .map(|w| w.author.clone())
        .unwrap_or(crate::outbox::Author {
            profile: String::new(),
            fhir_user: None,
        })
}

/// Where items go and who writes them, and the context of a write now.
pub(super) fn origin_and_context(
    app: &App,
    subject: &Subject,
    encounter: Option<String>,
) -> (Origin, Context) {
    let author = author(app);
    let ctx = Context {
        patient_id: subject.id.clone(),
        author: author.fhir_user.clone(),
        encounter,
        now: chrono::Local::now().fixed_offset(),
    };
    (
        Origin {
            server: app.writing.server.clone(),
            author,
        },
        ctx,
    )
}

/// `n`: write a note for the open chart's patient in the editor.
pub(super) fn new_note(app: &mut App) -> Vec<Command> {
    if !writable(app) {
        return vec![];
    }
    let Some((subject, encounter)) = subject(app) else {
        return vec![];
    };
    edit(
        app,
        subject,
        NoteKind::Progress,
        encounter,
        None,
        note::SOAP.to_owned(),
    )
}

/// Open the editor on `body` under the header naming the patient.
pub(super) fn edit(
    app: &mut App,
    subject: Subject,
    kind: NoteKind,
    encounter: Option<String>,
    draft_id: Option<String>,
    body: String,
) -> Vec<Command> {
    let req = app.next_request();
    let text = note::editor_file(&subject.label, kind, &body);
    app.writing.editing = Some(NoteSession {
        req,
        subject,
        kind,
        encounter,
        draft_id,
        body,
    });
    vec![Command::EditNote { req, text }]
}

/// The editor closed at `at` with `file` (none: it failed). An empty or unchanged note is
/// abandoned; anything written is kept as a draft at once (where there is an outbox), then
/// offered to sign and send, keep, or discard.
pub(super) fn on_edited(
    app: &mut App,
    req: crate::common::RequestId,
    file: Option<String>,
    at: Instant,
) -> Vec<Command> {
    app.now = at;
    app.lock.on_input(at);
    let Some(session) = app.writing.editing.take().filter(|s| s.req == req) else {
        return vec![];
    };
    let Some(file) = file else {
        app.set_error("The editor failed: nothing was kept (is $EDITOR set right?)");
        return vec![];
    };
    let Some(text) = note::text_from_editor(&file, &session.body) else {
        app.set_status("Note abandoned: nothing was written");
        return vec![];
    };
    let note = Note {
        kind: session.kind,
        text,
        signed: false,
        replaces: None,
    };
    let mut cmds = Vec::new();
    let draft = app.writing.has_outbox().then(|| {
        let (origin, _) = origin_and_context(app, &session.subject, session.encounter.clone());
        let mut item = prepare::note_draft(
            &note,
            session.encounter.as_deref(),
            &session.subject,
            &origin,
        );
        if let Some(id) = &session.draft_id {
            item.id = id.clone();
        }
        item
    });
    if let Some(item) = &draft {
        let req = app.next_request();
        cmds.push(Command::Submit {
            req,
            item: Box::new(item.clone()),
        });
    }
    let same_chart = app
        .chart
        .as_ref()
        .is_some_and(|c| c.patient_id == session.subject.id);
    if app.lock.is_locked() || !same_chart {
        app.set_status("The note was kept as a draft: :outbox reopens it");
        return cmds;
    }
    app.layers.open(Layer::Note(Box::new(NoteConfirm {
        session,
        note,
        draft,
        discard_armed: false,
    })));
    cmds
}

/// `v`: the vitals form for the open chart's patient.
pub(super) fn vitals_form(app: &mut App) -> Vec<Command> {
    if !writable(app) {
        return vec![];
    }
    let Some((_, encounter)) = subject(app) else {
        return vec![];
    };
    if let Some(chart) = app.chart.as_ref().and_then(|c| c.data.loaded()) {
        let form = VitalsForm::new(chart, encounter);
        app.layers.open(Layer::Vitals(Box::new(form)));
    }
    vec![]
}

/// `:nka`: ask, naming the patient, where the chart says allergies are not known.
pub(super) fn nka(app: &mut App) -> Vec<Command> {
    if !writable(app) {
        return vec![];
    }
    let Some((subject, _)) = subject(app) else {
        return vec![];
    };
    let flag = app
        .chart
        .as_ref()
        .and_then(|c| c.data.loaded())
        .map(|c| c.banner.allergies.clone());
    match flag.map(|f| crate::charting::nka::may_record(&f)) {
        Some(Ok(())) => app.layers.open(Layer::Confirm(Confirm::Nka { subject })),
        Some(Err(why)) => app.set_error(format!("NKA not recorded: {why}")),
        None => {}
    }
    vec![]
}

/// `:outbox`: list the outbox.
pub(super) fn open_outbox(app: &mut App) -> Vec<Command> {
    if !app.writing.has_outbox() {
        let why = app
            .writing
            .writer
            .as_ref()
            .and_then(|w| w.mode.notice())
            .unwrap_or_else(|| "this source takes no writes".into());
        app.set_error(format!("No outbox here: {why}"));
        return vec![];
    }
    app.layers.open(Layer::Outbox(OutboxList::default()));
    vec![Command::LoadOutbox {
        req: app.next_request(),
    }]
}

/// Quitting: with writes not sent (or demo writes that go at exit), ask first.
pub(super) fn quit(app: &mut App) {
    let c = app.writing.counts;
    let waiting = c.pending + c.failed + c.drafts;
    let what = match app.writing.writer.as_ref().map(|w| &w.mode) {
        Some(WriteMode::Outbox) if waiting > 0 => Some(format!(
            "{waiting} write(s) are not sent yet ({} waiting, {} failed, {} drafts): they stay in the encrypted outbox and are sent at the next start",
            c.pending, c.failed, c.drafts
        )),
        _ => None,
    };
    match what {
        Some(what) if !app.layers.has(LayerKind::Confirm) => {
            app.layers.open(Layer::Confirm(Confirm::Quit { what }))
        }
        _ => app.quit = true,
    }
}

/// The clock: the queue's next try is due.
pub(super) fn on_clock(app: &mut App, now: Instant) -> Vec<Command> {
    let mut cmds = Vec::new();
    if !app.writing.started && app.writing.has_outbox() {
        // The next start resumes what was not sent: all of it, now (a new start is a
        // good moment to try again, whatever the backoff said).
        app.writing.started = true;
        cmds.push(Command::SendOutbox {
            req: app.next_request(),
            which: Which::Pending,
        });
    }
    if app.writing.next_send.is_some_and(|t| t <= now) {
        app.writing.next_send = None;
        cmds.push(Command::SendOutbox {
            req: app.next_request(),
            which: Which::Due,
        });
    }
    cmds
}

/// Before the lock drops the screen: a note waiting on its confirm layer is already a
/// draft; a vitals form with values typed is kept as one.
pub(super) fn keep_on_lock(app: &mut App) -> Vec<Command> {
    let form = app.layers.iter().find_map(|l| match l {
        Layer::Vitals(f) if !f.is_empty() => Some(f.clone()),
        _ => None,
    });
    let (Some(form), true) = (form, app.writing.has_outbox()) else {
        return vec![];
    };
    let (origin, _) = origin_and_context(app, &form.subject, form.encounter.clone());
    let mut item = Item::new(
        "vitals",
        &form.subject.id,
        &origin.server,
        origin.author,
        vec![],
    );
    if let Some(id) = &form.draft_id {
        item.id = id.clone();
    }
    item.patient_label = form.subject.label.clone();
    item.summary = "Vital signs (draft)".into();
    item.state = State::Draft;
    item.draft = Some(form.draft());
    vec![Command::Submit {
        req: app.next_request(),
        item: Box::new(item),
    }]
}

/// Reopen a draft from the outbox list: a note in the editor, vitals in the form (on the
/// draft's patient's chart only).
pub(super) fn reopen_draft(app: &mut App, item: &Item) -> Vec<Command> {
    let on_chart = app
        .chart
        .as_ref()
        .filter(|c| c.patient_id == item.patient_id)
        .and_then(|c| c.data.loaded());
    let Some(chart) = on_chart else {
        app.set_error(format!(
            "Open {}'s chart to reopen this draft (:patient {})",
            item.patient_label, item.patient_id
        ));
        return vec![];
    };
    app.layers.close(LayerKind::Outbox);
    if let Some((note, encounter)) = prepare::draft_note(item) {
        let subject = Subject::of(chart);
        return edit(
            app,
            subject,
            note.kind,
            encounter,
            Some(item.id.clone()),
            note.text,
        );
    }
    if let Some(d) = item.draft.as_ref().filter(|d| d.get("vitals").is_some()) {
        let mut form = VitalsForm::new(chart, None);
        form.restore(d);
        form.draft_id = Some(item.id.clone());
        app.layers.open(Layer::Vitals(Box::new(form)));
    }
    vec![]
}

/// Reload the open chart (on its tab, or `tab`) after a write for its patient was sent.
pub(super) fn show_written(
    app: &mut App,
    patient_id: &str,
    tab: Option<crate::app::state::Tab>,
) -> Vec<Command> {
    let Some(chart) = app.chart.as_ref().filter(|c| c.patient_id == patient_id) else {
        return vec![];
    };
    let (id, hint, current) = (chart.patient_id.clone(), chart.hint.clone(), chart.tab);
    let mut cmds = vec![Command::Forget];
    cmds.extend(reopen_chart(app, id, hint, tab.unwrap_or(current)));
    cmds
}

/// Send what waits (after a new sign-in), where there is an outbox.
pub(super) fn resume_queue(app: &mut App) -> Vec<Command> {
    if !app.writing.has_outbox() {
        return vec![];
    }
    vec![Command::SendOutbox {
        req: app.next_request(),
        which: Which::Pending,
    }]
}
