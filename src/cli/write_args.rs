//! Command-line arguments of the writing commands: `note`, `vitals`, `allergies`, and
//! `outbox`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::charting::note::NoteKind;

/// `rounds note …`.
#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Write a clinical note (a DocumentReference) and send it.
    #[command(
        after_help = "Without --file, on a terminal, $VISUAL or $EDITOR (else vi) opens on a \
SOAP template under a header naming the patient (the header is not sent); an empty or unchanged \
note is abandoned.\n\nExit codes: 0 sent (or kept as a draft), 2 refused (usage or input), 3 no \
such patient, 4 sign in again (the note is kept), 5 the server refused it, 6 conflict, 7 kept in \
the outbox but not sent yet (the item id is printed; rounds outbox retry sends it).\n\n\
Examples:\n  rounds --profile clinic note add rnd-ada-testwell\n  \
rounds --profile clinic note add rnd-ada-testwell --file visit.txt --type consult\n  \
printf 'S: well' | rounds --profile clinic note add rnd-ada-testwell --file - --draft"
    )]
    Add(NoteAddArgs),
    /// Mark a note entered in error (a version-aware update of its status).
    #[command(
        after_help = "Exit codes as for note add; 6 when the note changed on the server \
since the version given (base / theirs / mine are shown).\n\nExample:\n  \
rounds --profile clinic note retract rnd-ada-testwell DOCUMENT_ID"
    )]
    Retract(NoteRetractArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoteTypeArg {
    /// Progress note (LOINC 11506-3).
    Progress,
    /// Consult note (LOINC 11488-4).
    Consult,
    /// Telephone encounter note (LOINC 34748-4).
    Telephone,
}

impl NoteTypeArg {
    pub fn kind(self) -> NoteKind {
        match self {
            NoteTypeArg::Progress => NoteKind::Progress,
            NoteTypeArg::Consult => NoteKind::Consult,
            NoteTypeArg::Telephone => NoteKind::Telephone,
        }
    }
}

#[derive(Debug, Args)]
pub struct NoteAddArgs {
    /// The patient's id on the server.
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// Read the note from this file (`-` for standard input) instead of an editor.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// The kind of note.
    #[arg(long = "type", value_enum, default_value_t = NoteTypeArg::Progress)]
    pub note_type: NoteTypeArg,

    /// The visit (Encounter id); by default the one open today, if any.
    #[arg(long, value_name = "ID")]
    pub encounter: Option<String>,

    /// Keep it as a draft in the outbox (not signed, not sent).
    #[arg(long)]
    pub draft: bool,

    /// The note this one corrects (its DocumentReference id): `relatesTo` replaces.
    #[arg(long, value_name = "DOC_ID")]
    pub replaces: Option<String>,

    /// Print JSON (schema rounds.write/1).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NoteRetractArgs {
    /// The patient's id on the server.
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// The note's DocumentReference id.
    #[arg(value_name = "DOC_ID")]
    pub doc_id: String,

    /// Only if the note is still at this version (as read earlier); by default the
    /// version read now.
    #[arg(long, value_name = "VERSION")]
    pub if_match: Option<String>,

    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,

    /// Print JSON (schema rounds.write/1).
    #[arg(long)]
    pub json: bool,
}

/// `rounds vitals …`.
#[derive(Debug, Subcommand)]
pub enum VitalsCommand {
    /// Record vital signs (US Core vital-sign Observations) and send them.
    #[command(
        after_help = "Values are checked in three tiers: impossible ones are refused with \
the reason (exit 2), implausible ones need --yes (exit 2 without it), abnormal ones are flagged H \
or L. Exit codes as for note add.\n\nExample:\n  rounds vitals add ID --bp 128/82 --hr 72 --temp 37.2C \
--spo2 97 --weight 70.5kg"
    )]
    Add(VitalsAddArgs),
}

#[derive(Debug, Args)]
pub struct VitalsAddArgs {
    /// The patient's id on the server.
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// Blood pressure, SYSTOLIC/DIASTOLIC mmHg, e.g. 128/82.
    #[arg(long, value_name = "SYS/DIA")]
    pub bp: Option<String>,

    /// Heart rate, beats per minute.
    #[arg(long, value_name = "N")]
    pub hr: Option<String>,

    /// Respiratory rate, breaths per minute.
    #[arg(long, value_name = "N")]
    pub rr: Option<String>,

    /// Temperature with its unit: 37.2C or 99.0F.
    #[arg(long, value_name = "TEMP")]
    pub temp: Option<String>,

    /// Oxygen saturation, %.
    #[arg(long, value_name = "N")]
    pub spo2: Option<String>,

    /// Inhaled oxygen flow, L/min (recorded with --spo2).
    #[arg(long, value_name = "L/MIN")]
    pub o2_flow: Option<String>,

    /// Weight with its unit: 70.5kg or 155lb.
    #[arg(long, value_name = "WEIGHT")]
    pub weight: Option<String>,

    /// Height with its unit: 170cm or 67in.
    #[arg(long, value_name = "HEIGHT")]
    pub height: Option<String>,

    /// When they were taken: RFC 3339 (2026-11-22T09:30:00-06:00), YYYY-MM-DDTHH:MM or
    /// HH:MM (local time); by default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The visit (Encounter id); by default the one open today, if any.
    #[arg(long, value_name = "ID")]
    pub encounter: Option<String>,

    /// Accept implausible values (they are listed).
    #[arg(long)]
    pub yes: bool,

    /// Print JSON (schema rounds.write/1).
    #[arg(long)]
    pub json: bool,
}

/// `rounds allergies …`.
#[derive(Debug, Subcommand)]
pub enum AllergiesCommand {
    /// Record "no known allergies" (SNOMED 716186003, confirmed), only where the chart says
    /// allergies are not known; asks first, naming the patient.
    #[command(
        after_help = "Exit codes as for note add; 2 when the chart records allergies \
or an NKA already.\n\nExample:\n  rounds --profile clinic allergies nka rnd-dee-sparse"
    )]
    Nka(NkaArgs),
}

#[derive(Debug, Args)]
pub struct NkaArgs {
    /// The patient's id on the server.
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// Do not ask for confirmation (needed without a terminal).
    #[arg(long)]
    pub yes: bool,

    /// Print JSON (schema rounds.write/1).
    #[arg(long)]
    pub json: bool,
}

/// `rounds outbox …`.
#[derive(Debug, Args)]
#[command(
    after_help = "The outbox keeps every write, encrypted, until the server has it. \
Exit codes: 0 ok (retry: everything sent), 3 no such item, 4 sign in again, 6 a conflict, \
7 something is still waiting."
)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub command: Option<OutboxCommand>,

    /// Print JSON (schema rounds.outbox/1).
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List the items: patient, kind, state, age, last error (the default).
    #[command(after_help = "Example:\n  rounds --profile clinic outbox list --json")]
    List,
    /// Show one item in full (a conflict as base / theirs / mine).
    #[command(after_help = "Example:\n  rounds --profile clinic outbox show ITEM_ID")]
    Show {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Send what is waiting now, or one item whatever its state.
    #[command(after_help = "Examples:\n  rounds --profile clinic outbox retry\n  \
rounds --profile clinic outbox retry ITEM_ID")]
    Retry {
        #[arg(value_name = "ID")]
        id: Option<String>,
    },
    /// Remove an item without sending it (asks first, naming the patient).
    #[command(after_help = "Example:\n  rounds --profile clinic outbox discard ITEM_ID")]
    Discard {
        #[arg(value_name = "ID")]
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}
