//! Command-line arguments of the front desk's and the clinician's commands: `patient new`
//! (registration with a duplicate check), `patient update` (demographics), and `list`
//! (the ward's census, today's appointments).

use clap::{Args, Subcommand};

/// `rounds patient …`.
#[derive(Debug, Args)]
pub struct PatientArgs {
    #[command(subcommand)]
    pub command: PatientCommand,
}

/// `rounds patient new|update`.
#[derive(Debug, Subcommand)]
pub enum PatientCommand {
    /// Register a new patient, after looking for the same person on the server.
    #[command(
        after_help = "Before creating anything, rounds looks for the same person: with the \
server's Patient/$match where its capability statement declares it, otherwise by searching \
family name + birth date, first given name + birth date, birth date + sex + phone (with \
--phone) and the MRN (with --mrn). Candidates are listed with name, born date and MRN. With \
candidates and without --not-a-duplicate, nothing is created and the exit code is 8.\n\n\
A registration typed again (same names, born date, sex and every --phone, --email, --mrn \
given) finds the first record and creates nothing, even with --not-a-duplicate; to register \
a different person with exactly those details, add what tells them apart (--phone, --mrn). \
The create is kept in the outbox before it is sent and carries an identifier of its own \
(If-None-Exist): sent again after a lost answer, it still makes one record.\n\n\
Exit codes: 0 registered (or already registered), 2 refused input, 4 sign in again, 5 the \
server refused it, 7 kept in the outbox but not sent yet, 8 possible duplicates (nothing \
created).\n\n\
Examples:\n  rounds --profile clinic patient new --family Testwell --given 'Ada Quinn' \
--birthdate 1958-03-04 --gender female --phone '555 0100'\n  \
rounds --profile clinic patient new --family Testwell --given Ada --birthdate 1958-03-04 \
--gender female --not-a-duplicate --json"
    )]
    New(PatientNewArgs),
    /// Change a patient's phone, email or address, keeping the old ones as history.
    #[command(
        after_help = "Nothing is overwritten: a new address is added with period.start today \
(use home) and the current home address it replaces is kept, given period.end today; a new \
phone or email is added the same way (rank 1) and the current one of its kind is kept with \
period.end today. The write is version-aware: a JSON Patch with If-Match (and a test of the \
old values) where the server declares JSON Patch for Patient, else the record read, changed \
and PUT with If-Match. Someone else changed the record first: exit 6, the conflict is shown \
and nothing is overwritten. The new banner line is printed.\n\n\
Exit codes: 0 changed (or nothing to change), 2 refused input, 3 no such patient, 4 sign in \
again, 5 the server refused it, 6 conflict, 7 kept in the outbox but not sent yet.\n\n\
Examples:\n  rounds --profile clinic patient update rnd-ada-testwell --phone '555 0199'\n  \
rounds --profile clinic patient update rnd-ada-testwell --address '1 Elm St, Springfield, IL, 62701' --json"
    )]
    Update(PatientUpdateArgs),
}

#[derive(Debug, Args)]
pub struct PatientNewArgs {
    /// Family name (surname).
    #[arg(long)]
    pub family: String,

    /// Given name(s), e.g. 'Ada Quinn'.
    #[arg(long)]
    pub given: String,

    /// Birth date, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub birthdate: String,

    /// Administrative gender.
    #[arg(long, value_parser = ["male", "female", "other", "unknown"])]
    pub gender: String,

    /// Phone number (digits, spaces, + - . ( )).
    #[arg(long)]
    pub phone: Option<String>,

    /// Email address.
    #[arg(long)]
    pub email: Option<String>,

    /// The MRN to record (in the profile's MRN system when it names one).
    #[arg(long)]
    pub mrn: Option<String>,

    /// None of the candidates listed is this person: create the record anyway.
    #[arg(long)]
    pub not_a_duplicate: bool,

    /// Print JSON (schema rounds.patient_new/1).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PatientUpdateArgs {
    /// The patient's id on the server.
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// A new phone number (the current one is kept with an end date).
    #[arg(long)]
    pub phone: Option<String>,

    /// A new email address (the current one is kept with an end date).
    #[arg(long)]
    pub email: Option<String>,

    /// A new home address, "line, city, state, postcode" (the current home address is
    /// kept with an end date).
    #[arg(long, value_name = "LINE, CITY, STATE, POSTCODE")]
    pub address: Option<String>,

    /// Print JSON (schema rounds.write/1).
    #[arg(long)]
    pub json: bool,
}

/// `rounds list …`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(subcommand)]
    pub command: ListCommand,
}

/// `rounds list inpatients|mine`.
#[derive(Debug, Subcommand)]
pub enum ListCommand {
    /// The ward's census: the visits in progress at a location, with their patients.
    #[command(
        after_help = "One request: Encounter?status=in-progress&location=ID with \
_include=Encounter:subject. A row: patient (name, born, MRN), location or bed, admitted date.\n\n\
Examples:\n  rounds --profile clinic list inpatients --location ward-4b\n  \
rounds --profile clinic list inpatients --location ward-4b --json"
    )]
    Inpatients(InpatientsArgs),
    /// Today's appointments of the signed-in practitioner (fhirUser, or the profile's
    /// author).
    #[command(
        after_help = "One request: Appointment?actor=Practitioner/ID&date=TODAY with \
_include=Appointment:patient. For the whole clinic's day, see rounds schedule.\n\n\
Examples:\n  rounds --profile clinic list mine\n  rounds --profile clinic list mine --json"
    )]
    Mine(MineArgs),
}

#[derive(Debug, Args)]
pub struct InpatientsArgs {
    /// The Location's id (a ward, unit or bed).
    #[arg(long, value_name = "ID")]
    pub location: String,

    /// Print JSON (schema rounds.list/1).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MineArgs {
    /// The practitioner (Practitioner/ID or ID) instead of the signed-in user.
    #[arg(long, value_name = "ID")]
    pub practitioner: Option<String>,

    /// Print JSON (schema rounds.list/1).
    #[arg(long)]
    pub json: bool,
}
