//! What is drawn over the base screen (patient search or a chart), as one stack of modal
//! layers, bottom to top. The stack is the one place that says what is on screen, and its
//! one rule says who gets a key: **the top layer**. A layer that has no use for a key may
//! hand it to the layer below (the "signed out" notice takes Enter and Esc and lets the rest
//! through); the base screen gets what every layer let through.
//!
//! Layers keep an order by rank whatever order they were opened in: a sign-in is always
//! above the lock, the lock above everything it hides. The idle lock's layers (the countdown
//! and the lock screen) follow the lock's own state (`IdleLock`), set once per `update`.
//!
//! Adding a modal is a new variant here (with its rank) and a render function in `ui/`; its
//! keys go in `update/keys.rs`'s one dispatch on the top layer.

use super::input::LineInput;
use super::lock::SignInView;
use super::vitals_form::VitalsForm;
use super::writing::{Confirm, NoteConfirm, OutboxList};

/// A modal layer over the base screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    /// The selected row of the chart in full (on the notes tab: the note, read in the
    /// pane). The chart's keys still work below it (moving scrolls it; Esc closes it).
    Detail,
    /// The keys, generated from the keymap; optionally filtered.
    Help {
        filter: LineInput,
        editing: bool,
        scroll: u16,
    },
    /// The `:` command line.
    CommandLine(LineInput),
    /// A note back from the editor: sign and send, keep as draft, or discard (under the
    /// banner).
    Note(Box<NoteConfirm>),
    /// The vital-signs form.
    Vitals(Box<VitalsForm>),
    /// The outbox: items waiting, failed, drafts; retry, discard, reopen.
    Outbox(OutboxList),
    /// A day's schedule (`:today`): Enter opens a chart, `i` checks in.
    Schedule(Box<super::schedule::ScheduleList>),
    /// `:register`: the new patient's details, then the duplicate check's candidates.
    Register(Box<super::desk::RegisterForm>),
    /// The chart's patient's phone, email and address (`D`).
    Demographics(Box<super::desk::DemographicsForm>),
    /// A front-desk write another desk got to first: theirs against mine.
    Conflict(Box<super::desk::ConflictView>),
    /// A clinician's list (`:ward`, `:mine`): Enter opens a chart.
    List(Box<super::lists::PatientList>),
    /// A question naming the patient (NKA, discard, quit with writes not sent).
    Confirm(Confirm),
    /// The server ended the session (a 401 no silent refresh helped): a notice over the
    /// screen offers to sign in again; the screen below stays usable.
    SessionEnded,
    /// The idle lock's countdown: any key puts the lock off.
    Countdown,
    /// Locked: no patient data on screen or in memory.
    Locked,
    /// A sign-in in progress (to unlock, or after the session ended).
    SignIn(SignInView),
}

/// Which kind of layer, without its contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LayerKind {
    Detail,
    SessionEnded,
    Note,
    Vitals,
    Outbox,
    Schedule,
    Register,
    Demographics,
    Conflict,
    List,
    Help,
    CommandLine,
    Confirm,
    Countdown,
    Locked,
    SignIn,
}

impl Layer {
    pub fn kind(&self) -> LayerKind {
        match self {
            Layer::Detail => LayerKind::Detail,
            Layer::Help { .. } => LayerKind::Help,
            Layer::CommandLine(_) => LayerKind::CommandLine,
            Layer::Note(_) => LayerKind::Note,
            Layer::Vitals(_) => LayerKind::Vitals,
            Layer::Outbox(_) => LayerKind::Outbox,
            Layer::Schedule(_) => LayerKind::Schedule,
            Layer::Register(_) => LayerKind::Register,
            Layer::Demographics(_) => LayerKind::Demographics,
            Layer::Conflict(_) => LayerKind::Conflict,
            Layer::List(_) => LayerKind::List,
            Layer::Confirm(_) => LayerKind::Confirm,
            Layer::SessionEnded => LayerKind::SessionEnded,
            Layer::Countdown => LayerKind::Countdown,
            Layer::Locked => LayerKind::Locked,
            Layer::SignIn(_) => LayerKind::SignIn,
        }
    }
}

impl LayerKind {
    /// Where the layer sits: higher is nearer the top. Help and the command line share a
    /// rank (opening one closes the other), and so do the write path's forms (one at a
    /// time); a conflict sits over the form or list it came from (which stays below it);
    /// a confirmation is above them all but the lock.
    fn rank(self) -> u8 {
        match self {
            LayerKind::Detail => 0,
            LayerKind::SessionEnded => 10,
            LayerKind::Note
            | LayerKind::Vitals
            | LayerKind::Outbox
            | LayerKind::Schedule
            | LayerKind::List
            | LayerKind::Register
            | LayerKind::Demographics => 20,
            LayerKind::Conflict => 25,
            LayerKind::Help | LayerKind::CommandLine => 30,
            LayerKind::Confirm => 40,
            LayerKind::Countdown => 50,
            LayerKind::Locked => 60,
            LayerKind::SignIn => 70,
        }
    }
}

/// The stack of layers, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layers(Vec<Layer>);

impl Layers {
    /// Open `layer` in its place by rank; a layer of the same rank is replaced.
    pub fn open(&mut self, layer: Layer) {
        let rank = layer.kind().rank();
        self.0.retain(|l| l.kind().rank() != rank);
        let at = self
            .0
            .iter()
            .position(|l| l.kind().rank() > rank)
            .unwrap_or(self.0.len());
        self.0.insert(at, layer);
    }

    /// Close the layer of `kind`, if open; it is returned.
    pub fn close(&mut self, kind: LayerKind) -> Option<Layer> {
        let at = self.0.iter().position(|l| l.kind() == kind)?;
        Some(self.0.remove(at))
    }

    /// Close every layer for which `keep` is false.
    pub fn retain(&mut self, keep: impl FnMut(&Layer) -> bool) {
        self.0.retain(keep);
    }

    /// Whether a layer of `kind` is open.
    pub fn has(&self, kind: LayerKind) -> bool {
        self.0.iter().any(|l| l.kind() == kind)
    }

    /// The top layer: it gets the keys.
    pub fn top(&self) -> Option<&Layer> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Layer> {
        self.0.last_mut()
    }

    /// The layer of `kind`, if open.
    pub fn get(&self, kind: LayerKind) -> Option<&Layer> {
        self.0.iter().find(|l| l.kind() == kind)
    }

    pub fn get_mut(&mut self, kind: LayerKind) -> Option<&mut Layer> {
        self.0.iter_mut().find(|l| l.kind() == kind)
    }

    /// The open help layer's fields, if help is open.
    pub fn help(&self) -> Option<(&LineInput, bool, u16)> {
        match self.get(LayerKind::Help) {
            Some(Layer::Help {
                filter,
                editing,
                scroll,
            }) => Some((filter, *editing, *scroll)),
            _ => None,
        }
    }

    /// The sign-in in progress, if any.
    pub fn sign_in(&self) -> Option<&SignInView> {
        match self.get(LayerKind::SignIn) {
            Some(Layer::SignIn(view)) => Some(view),
            _ => None,
        }
    }

    pub fn sign_in_mut(&mut self) -> Option<&mut SignInView> {
        match self.get_mut(LayerKind::SignIn) {
            Some(Layer::SignIn(view)) => Some(view),
            _ => None,
        }
    }

    /// The layers, bottom first (the order they are drawn in).
    pub fn iter(&self) -> impl Iterator<Item = &Layer> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::RequestId;

    #[test]
    fn layers_keep_their_rank_whatever_the_order_they_open_in() {
        let mut l = Layers::default();
        l.open(Layer::SignIn(SignInView::new(RequestId(1))));
        l.open(Layer::SessionEnded);
        l.open(Layer::Locked);
        l.open(Layer::CommandLine(LineInput::default()));
        let kinds: Vec<_> = l.iter().map(Layer::kind).collect();
        assert_eq!(
            kinds,
            [
                LayerKind::SessionEnded,
                LayerKind::CommandLine,
                LayerKind::Locked,
                LayerKind::SignIn
            ]
        );
        assert_eq!(l.top().map(Layer::kind), Some(LayerKind::SignIn));
        // Help replaces the command line (same rank).
        l.open(Layer::Help {
            filter: LineInput::default(),
            editing: false,
            scroll: 0,
        });
        assert!(!l.has(LayerKind::CommandLine) && l.has(LayerKind::Help));
        assert!(l.close(LayerKind::SignIn).is_some());
        assert_eq!(l.top().map(Layer::kind), Some(LayerKind::Locked));
    }
}
