//! The front desk's registration in `update` (the demographics form and the conflict modal
//! are `desk_contact.rs`): `:register` (check what was typed, the duplicate
//! check on the worker, the candidates: Enter opens one, `N` then `y` creates; the create
//! goes through the outbox conditional on its client identifier; the new chart opens), the
//! demographics form (`D` on a chart: the record read, the fields prefilled, the change
//! sent version-aware; the line under the banner shows the answer, only for the chart
//! still on screen), the conflict modal (Esc closes; the list or chart is read again), and
//! going back from a chart to the list it was opened from. Answers are taken only for the
//! request still current.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::open_chart;
use crate::app::command::{Command, RegistrationCheck};
use crate::app::desk::{REGISTER_FIELDS, RegisterForm, RegisterStage};
use crate::app::input::LineInput;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::App;
use crate::chart::PatientSummary;
use crate::common::{Failure, RequestId};
use crate::frontdesk::patient_new::registration_item;
use crate::outbox::State;
use crate::source::Submitted;

/// `:register`: an empty registration form.
pub(super) fn open_register(app: &mut App) -> Vec<Command> {
    if !super::writing::writable(app) {
        return vec![];
    }
    app.layers.open(Layer::Register(Box::default()));
    vec![]
}

/// Esc closed a chart: the list it was opened from comes back (its selection kept), read
/// again.
pub(super) fn back_to_list(app: &mut App) -> Vec<Command> {
    match app.back_to.take() {
        Some(layer @ Layer::Schedule(_)) => {
            app.layers.open(layer);
            super::schedule::refresh(app)
        }
        Some(layer @ Layer::List(_)) => {
            app.layers.open(layer);
            super::lists::refresh(app)
        }
        Some(layer) => {
            app.layers.open(layer);
            vec![]
        }
        None => vec![],
    }
}

fn register_form(app: &mut App) -> Option<&mut RegisterForm> {
    match app.layers.get_mut(LayerKind::Register) {
        Some(Layer::Register(f)) => Some(f),
        _ => None,
    }
}

/// A key on one of the desk's layers (the top one).
pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    // Ctrl-C quits, Ctrl-L locks, F1 helps: handed down.
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if (ctrl && !matches!(key.code, KeyCode::Char('u' | 'w' | 'a' | 'e')))
        || matches!(key.code, KeyCode::F(_))
    {
        return super::keys::on_key(app, key);
    }
    match app.layers.top().map(Layer::kind) {
        Some(LayerKind::Register) => register_key(app, key),
        Some(LayerKind::Demographics) => super::desk_contact::demographics_key(app, key),
        Some(LayerKind::Conflict) => super::desk_contact::conflict_key(app, key),
        _ => vec![],
    }
}

/// Typing into a form's focused field; whether the key was an editing key.
pub(super) fn edit_field(input: &mut LineInput, key: KeyEvent) -> bool {
    // A field is one line of bounded length (a paste of a page is cut).
    if matches!(key.code, KeyCode::Char(_))
        && !key.modifiers.contains(KeyModifiers::CONTROL)
        && input.text().chars().count() >= MAX_FIELD
    {
        return true;
    }
    super::keys::edit_line(input, key)
}

/// The longest a form field gets (characters).
const MAX_FIELD: usize = 200;

/// Tab, Down: next field; Shift-Tab, Up: the one before.
pub(super) fn move_focus(focus: &mut usize, n: usize, key: KeyEvent) -> bool {
    match key.code {
        KeyCode::Tab | KeyCode::Down => *focus = (*focus + 1) % n,
        KeyCode::BackTab | KeyCode::Up => *focus = (*focus + n - 1) % n,
        _ => return false,
    }
    true
}

fn register_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let today = app.today;
    let Some(form) = register_form(app) else {
        return vec![];
    };
    match &mut form.stage {
        RegisterStage::Editing => {
            if move_focus(&mut form.focus, REGISTER_FIELDS.len(), key) {
                return vec![];
            }
            match key.code {
                KeyCode::Esc => {
                    app.layers.close(LayerKind::Register);
                }
                KeyCode::Enter => return check_registration(app),
                _ => {
                    let focus = form.focus;
                    if edit_field(&mut form.fields[focus], key) {
                        form.problem = None;
                    }
                }
            }
        }
        // The check can be left (the fields stay); a create on its way cannot (its answer
        // opens the new chart).
        RegisterStage::Checking(_) => {
            if key.code == KeyCode::Esc {
                form.stage = RegisterStage::Editing;
            }
        }
        RegisterStage::Creating(_) => {}
        RegisterStage::Candidates {
            reg,
            candidates,
            selected,
            confirming,
            ..
        } => {
            if *confirming {
                match key.code {
                    KeyCode::Char('y' | 'Y') => {
                        let reg = reg.clone();
                        return create(app, *reg, today);
                    }
                    KeyCode::Char('n') | KeyCode::Esc => *confirming = false,
                    _ => {}
                }
                return vec![];
            }
            let n = candidates.len();
            match key.code {
                KeyCode::Down | KeyCode::Char('j') if n > 0 => {
                    *selected = (*selected + 1).min(n - 1)
                }
                KeyCode::Up | KeyCode::Char('k') => *selected = selected.saturating_sub(1),
                KeyCode::Char('N') => {
                    if let Some(first) = candidates.iter().find(|c| c.repeat) {
                        form.problem = Some(format!(
                            "Already registered: {} is this registration made before \
                             (the same names, born date, sex and contact details). Enter \
                             opens their chart; nothing is created",
                            first.row.name
                        ));
                    } else {
                        *confirming = true;
                    }
                }
                KeyCode::Enter => {
                    let Some(row) = candidates.get(*selected).map(|c| c.row.clone()) else {
                        return vec![];
                    };
                    // Choosing a candidate opens that chart instead of creating one.
                    app.layers.close(LayerKind::Register);
                    return open_chart(app, row.id.clone(), Some(row));
                }
                KeyCode::Esc => {
                    form.stage = RegisterStage::Editing;
                    form.problem = None;
                }
                _ => {}
            }
        }
    }
    vec![]
}

/// Enter on the form: check what was typed (saying what is wrong, nothing lost), then
/// look for the same person on the worker.
fn check_registration(app: &mut App) -> Vec<Command> {
    let today = app.today;
    let mrn_system = app.chart_options.mrn_system.clone();
    let options = app.chart_options.clone();
    let req = app.next_request();
    let Some(form) = register_form(app) else {
        return vec![];
    };
    let reg = match form.check(today) {
        Ok(r) => r,
        Err(e) => {
            form.problem = Some(capitalized(&e));
            return vec![];
        }
    };
    let id = form.client_id(&reg);
    let resource = reg.resource(&id, mrn_system.as_deref(), today);
    form.problem = None;
    form.stage = RegisterStage::Checking(req);
    vec![Command::CheckRegistration {
        req,
        registration: Box::new(reg),
        resource: Box::new(resource),
        options,
        today,
    }]
}

/// The first letter of a checker's message in capitals (they are written to follow
/// `rounds: `).
pub(super) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The duplicate check's answer: none found creates at once; some are listed.
pub(super) fn on_checked(
    app: &mut App,
    req: RequestId,
    result: Result<Box<RegistrationCheck>, Failure>,
) -> Vec<Command> {
    let today = app.today;
    let Some(form) = register_form(app) else {
        return vec![];
    };
    if form.stage != RegisterStage::Checking(req) {
        return vec![];
    }
    let check = match result {
        Ok(c) => c,
        Err(e) => {
            form.stage = RegisterStage::Editing;
            form.problem = Some(format!(
                "The duplicate check failed: {}. Nothing was created; Enter tries again",
                e.message
            ));
            return vec![];
        }
    };
    let Some((reg, _)) = form.sent_as.clone() else {
        form.stage = RegisterStage::Editing;
        return vec![];
    };
    if check.candidates.is_empty() {
        return create(app, reg, today);
    }
    form.stage = RegisterStage::Candidates {
        reg: Box::new(reg),
        candidates: check.candidates,
        warnings: check.warnings,
        selected: 0,
        confirming: false,
    };
    vec![]
}

/// Create the registration through the outbox (conditional on its client identifier).
fn create(
    app: &mut App,
    reg: crate::frontdesk::patient_new::Registration,
    today: chrono::NaiveDate,
) -> Vec<Command> {
    let mrn_system = app.chart_options.mrn_system.clone();
    let server = app.writing.server.clone();
    let author = super::writing::author(app);
    let req = app.next_request();
    let Some(form) = register_form(app) else {
        return vec![];
    };
    let id = form.client_id(&reg);
    let resource = reg.resource(&id, mrn_system.as_deref(), today);
    let item = registration_item(&reg, resource, id, &server, author);
    form.stage = RegisterStage::Creating(req);
    form.problem = None;
    vec![Command::Register {
        req,
        item: Box::new(item),
    }]
}

/// The create's answer: sent opens the new chart; kept says so; a failure stays on the
/// form with what was typed.
pub(super) fn on_registered(
    app: &mut App,
    req: RequestId,
    result: Result<Box<Submitted>, Failure>,
) -> Vec<Command> {
    let today = app.today;
    let options = app.chart_options.clone();
    let Some(form) = register_form(app) else {
        return vec![];
    };
    if form.stage != RegisterStage::Creating(req) {
        return vec![];
    }
    form.stage = RegisterStage::Editing;
    let submitted = match result {
        Ok(s) => s,
        Err(e) => {
            form.problem = Some(format!(
                "Not registered: {}. Enter tries again (the same record, never a second)",
                e.message
            ));
            return vec![];
        }
    };
    let item = &submitted.item;
    let write = item.writes.first();
    let new_id = write
        .and_then(|w| w.answer.as_ref())
        .and_then(|a| a.id.clone())
        .filter(|id| crate::fhir::model::is_fhir_id(id));
    match (item.state, new_id) {
        (State::Sent, Some(id)) => {
            // The banner is drawn at once from what was registered.
            let hint = write
                .and_then(|w| serde_json::from_value(w.op.body().clone()).ok())
                .map(|mut p: crate::fhir::model::Patient| {
                    p.id = Some(id.clone());
                    PatientSummary::new(&p, today, &options)
                });
            let created = write
                .and_then(|w| w.answer.as_ref())
                .is_some_and(|a| a.created());
            app.layers.close(LayerKind::Register);
            app.set_status(if created {
                format!("Registered: {}", item.patient_label)
            } else {
                format!(
                    "Already registered (this registration was made before): {}",
                    item.patient_label
                )
            });
            open_chart(app, id, hint)
        }
        (State::Queued | State::Unknown, _) if submitted.kept => {
            app.layers.close(LayerKind::Register);
            app.set_status(format!(
                "Registration kept in the outbox, not sent yet: {} (it is sent when the \
                 server can be reached; :outbox shows it)",
                item.patient_label
            ));
            vec![]
        }
        (state, _) => {
            form.problem = Some(format!(
                "Not registered ({}): {}. Enter tries again (the same record, never a second)",
                state.name(),
                item.last_error.clone().unwrap_or_default()
            ));
            vec![]
        }
    }
}
