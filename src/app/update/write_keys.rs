//! Keys on the write path's layers: the note's confirm layer (s sign and send, d keep as
//! draft, e edit again, x discard), the vitals form (Tab and Shift-Tab between fields, F2
//! switches the unit, Enter checks and records, a second Enter confirms implausible
//! values, Esc closes), the outbox list (r retry, d discard, Enter shows or reopens), and
//! the confirmations (y or Enter yes, n or Esc no).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::writing::{edit, origin_and_context, reopen_draft};
use crate::app::command::Command;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::App;
use crate::app::writing::Confirm;
use crate::charting::note::Note;
use crate::charting::prepare;
use crate::outbox::Which;

/// A key for the top layer, one of the write path's.
pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == KeyCode::Char('c') && ctrl {
        app.quit = true;
        return vec![];
    }
    // Locking works everywhere: what is typed is kept as a draft first.
    if key.code == KeyCode::Char('l') && ctrl {
        return super::locking::lock_now(app, crate::app::LockReason::Asked);
    }
    match app.layers.top().map(Layer::kind) {
        Some(LayerKind::Note) => note_key(app, key),
        Some(LayerKind::Vitals) => vitals_key(app, key),
        Some(LayerKind::Outbox) => outbox_key(app, key),
        Some(LayerKind::Confirm) => confirm_key(app, key),
        _ => vec![],
    }
}

fn note_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let Some(Layer::Note(layer)) = app.layers.top_mut() else {
        return vec![];
    };
    let armed = layer.discard_armed;
    layer.discard_armed = false;
    match key.code {
        KeyCode::Char('s') | KeyCode::Enter => {
            let Some(Layer::Note(layer)) = app.layers.close(LayerKind::Note) else {
                return vec![];
            };
            let note = Note {
                signed: true,
                ..layer.note.clone()
            };
            let s = &layer.session;
            let (origin, ctx) = origin_and_context(app, &s.subject, s.encounter.clone());
            let item = match &layer.draft {
                Some(draft) => prepare::sign_draft(draft, &note, &ctx),
                None => prepare::note_item(&note, &ctx, &s.subject, &origin),
            };
            let req = app.next_request();
            app.writing.in_flight = Some((req, Layer::Note(layer)));
            app.set_status("Sending the note…");
            vec![Command::Submit {
                req,
                item: Box::new(item),
            }]
        }
        KeyCode::Char('d') | KeyCode::Esc => {
            if layer.draft.is_none() {
                app.set_error(
                    "Drafts cannot be kept here (no outbox): s signs and sends, x discards",
                );
                return vec![];
            }
            app.layers.close(LayerKind::Note);
            app.set_status("Kept as a draft: :outbox lists it (Enter reopens it)");
            vec![]
        }
        KeyCode::Char('e') => {
            let Some(Layer::Note(layer)) = app.layers.close(LayerKind::Note) else {
                return vec![];
            };
            let s = layer.session;
            let draft_id = layer.draft.map(|d| d.id).or(s.draft_id);
            edit(
                app,
                s.subject,
                s.kind,
                s.encounter,
                draft_id,
                layer.note.text,
            )
        }
        KeyCode::Char('x') if !armed => {
            layer.discard_armed = true;
            app.set_error("x again discards the note for good");
            vec![]
        }
        KeyCode::Char('x' | 'y') if armed => {
            let Some(Layer::Note(layer)) = app.layers.close(LayerKind::Note) else {
                return vec![];
            };
            app.set_status("Note discarded");
            match layer.draft {
                Some(d) => vec![Command::Discard {
                    req: app.next_request(),
                    id: d.id,
                }],
                None => vec![],
            }
        }
        _ => vec![],
    }
}

fn vitals_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let now = chrono::Local::now().fixed_offset();
    let Some(Layer::Vitals(form)) = app.layers.top_mut() else {
        return vec![];
    };
    let field = form.focus;
    match key.code {
        KeyCode::Tab | KeyCode::Down => form.focus = (field + 1) % form.fields.len(),
        KeyCode::BackTab | KeyCode::Up => {
            form.focus = (field + form.fields.len() - 1) % form.fields.len()
        }
        KeyCode::F(2) => form.switch_unit(),
        KeyCode::Esc if form.is_empty() || form.armed => {
            app.layers.close(LayerKind::Vitals);
        }
        KeyCode::Esc => {
            form.armed = true;
            app.set_error("Esc again closes the form without recording the values");
        }
        KeyCode::Enter => return record_vitals(app, now),
        KeyCode::Backspace => {
            form.fields[field].backspace();
            form.changed();
        }
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            form.fields[field].clear();
            form.changed();
        }
        KeyCode::Char(c) if c.is_ascii_digit() || c == '.' || c == '/' => {
            form.fields[field].insert(c);
            form.changed();
        }
        _ => {}
    }
    vec![]
}

/// Enter on the form: check; refuse the impossible; ask once more for the implausible;
/// then record.
fn record_vitals(app: &mut App, now: chrono::DateTime<chrono::FixedOffset>) -> Vec<Command> {
    let Some(Layer::Vitals(form)) = app.layers.top_mut() else {
        return vec![];
    };
    let armed = form.armed;
    let Some((entry, findings)) = form.check(&now) else {
        return vec![];
    };
    if entry.is_empty() {
        form.problem = Some("Type at least one value".into());
        return vec![];
    }
    if !findings.impossible.is_empty() {
        return vec![];
    }
    if !findings.implausible.is_empty() && !armed {
        form.armed = true;
        return vec![];
    }
    let Some(Layer::Vitals(form)) = app.layers.close(LayerKind::Vitals) else {
        return vec![];
    };
    let (origin, ctx) = origin_and_context(app, &form.subject, form.encounter.clone());
    let mut item = prepare::vitals_item(&entry, &now, &findings, &ctx, &form.subject, &origin);
    if let Some(id) = &form.draft_id {
        item.id = id.clone();
    }
    let req = app.next_request();
    app.writing.in_flight = Some((req, Layer::Vitals(form)));
    app.set_status("Sending the vital signs…");
    vec![Command::Submit {
        req,
        item: Box::new(item),
    }]
}

fn outbox_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let count = app.writing.items.len() + app.writing.refused.len();
    let Some(Layer::Outbox(list)) = app.layers.top_mut() else {
        return vec![];
    };
    let at = list.selected.min(count.saturating_sub(1));
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => list.selected = (at + 1).min(count.saturating_sub(1)),
        KeyCode::Up | KeyCode::Char('k') => list.selected = at.saturating_sub(1),
        KeyCode::Esc | KeyCode::Char('q') if list.detail => list.detail = false,
        KeyCode::Esc | KeyCode::Char('q') => {
            app.layers.close(LayerKind::Outbox);
        }
        KeyCode::Enter => {
            let item = app.writing.items.get(at).cloned();
            match item {
                Some(i) if i.state == crate::outbox::State::Draft => return reopen_draft(app, &i),
                _ => list.detail = !list.detail,
            }
        }
        KeyCode::Char('r') => {
            let which = match app.writing.items.get(at) {
                Some(i) => Which::One(i.id.clone()),
                None => Which::Pending,
            };
            app.set_status("Sending…");
            return vec![Command::SendOutbox {
                req: app.next_request(),
                which,
            }];
        }
        KeyCode::Char('d') => {
            let target = match app.writing.items.get(at) {
                Some(i) => Some((
                    i.id.clone(),
                    format!("{} for {}", i.summary, i.patient_label),
                )),
                None => app
                    .writing
                    .refused
                    .get(at - app.writing.items.len().min(at))
                    .map(|r| (r.id.clone(), "an item that cannot be read".to_owned())),
            };
            if let Some((id, label)) = target {
                app.layers
                    .open(Layer::Confirm(Confirm::Discard { id, label }));
            }
        }
        _ => {}
    }
    vec![]
}

fn confirm_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let yes = matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter);
    let no = matches!(key.code, KeyCode::Char('n' | 'N') | KeyCode::Esc);
    if !yes && !no {
        return vec![];
    }
    let Some(Layer::Confirm(confirm)) = app.layers.close(LayerKind::Confirm) else {
        return vec![];
    };
    if no {
        return vec![];
    }
    match confirm {
        Confirm::Nka { subject } => {
            let (origin, ctx) = origin_and_context(app, &subject, None);
            let item = prepare::nka_item(&ctx, &subject, &origin);
            app.set_status("Recording no known allergies…");
            vec![Command::Submit {
                req: app.next_request(),
                item: Box::new(item),
            }]
        }
        Confirm::Quit { .. } => {
            app.quit = true;
            vec![]
        }
        Confirm::Discard { id, .. } => {
            app.set_status("Discarded");
            vec![Command::Discard {
                req: app.next_request(),
                id,
            }]
        }
    }
}
