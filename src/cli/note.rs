//! `rounds note add` and `rounds note retract`: a clinical note, from a file, standard
//! input or the user's editor, signed and sent (or kept as a draft); a note marked entered
//! in error by a version-aware update.

use std::io::{IsTerminal, Read, Write};

use super::write_args::{NoteAddArgs, NoteRetractArgs};
use super::write_out::{begin, confirm, origin_and_context, submit};
use super::{CliError, io_error, today};
use crate::charting::encounter_reference;
use crate::charting::note::{self, Note};
use crate::charting::prepare::{self, Subject};
use crate::fhir::Section;
use crate::source::DataSource;

/// Most bytes of a note (a note is text; anything larger is a mistake).
const MAX_NOTE_BYTES: usize = 256 * 1024;

/// The note's text: from `--file` (or `-`), else the editor on a terminal.
fn read_text(args: &NoteAddArgs, subject: &Subject) -> Result<String, CliError> {
    let raw = match args.file.as_deref() {
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .take(MAX_NOTE_BYTES as u64 + 1)
                .read_to_string(&mut s)
                .map_err(|e| {
                    CliError::usage(format!("the note cannot be read from standard input: {e}"))
                })?;
            s
        }
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| CliError::usage(format!("'{}' cannot be read: {e}", p.display())))?,
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
            let file = note::editor_file(&subject.label, args.note_type.kind(), note::SOAP);
            let edited = crate::tui::editor::edit(&file)
                .map_err(|e| CliError::usage(format!("the editor could not be opened: {e}")))?
                .ok_or_else(|| CliError::usage("the editor failed: nothing was kept"))?;
            return note::text_from_editor(&edited, note::SOAP).ok_or_else(|| {
                CliError::usage("the note is empty or unchanged: abandoned, nothing was kept")
            });
        }
        None => {
            return Err(CliError::usage(
                "give the note with --file PATH (or --file - for standard input): there is no terminal for an editor",
            ));
        }
    };
    if raw.len() > MAX_NOTE_BYTES {
        return Err(CliError::usage(format!(
            "the note is larger than {} KB",
            MAX_NOTE_BYTES / 1024
        )));
    }
    let text = note::strip_header(&raw).trim().to_owned();
    if text.is_empty() {
        return Err(CliError::usage("the note is empty: nothing was kept"));
    }
    Ok(text)
}

pub async fn add(
    source: &dyn DataSource,
    args: &NoteAddArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (writer, record, _, subject) =
        begin(source, &args.patient_id, &[Section::Encounters]).await?;
    let text = read_text(args, &subject)?;
    let encounter = match &args.encounter {
        Some(e) => Some(encounter_reference(e)),
        None => prepare::open_encounter_today(&record.encounters, today()),
    };
    let note = Note {
        kind: args.note_type.kind(),
        text,
        signed: !args.draft,
        replaces: args.replaces.clone(),
    };
    let (origin, ctx) = origin_and_context(source, &writer, &subject, encounter.clone());
    let item = if args.draft {
        prepare::note_draft(&note, encounter.as_deref(), &subject, &origin)
    } else {
        prepare::note_item(&note, &ctx, &subject, &origin)
    };
    submit(source, &writer, item, args.json, out).await
}

pub async fn retract(
    source: &dyn DataSource,
    args: &NoteRetractArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (writer, _, _, subject) = begin(source, &args.patient_id, &[]).await?;
    let id = subject.id.as_str();
    let (doc, version) = source
        .read_current("DocumentReference", args.doc_id.trim())
        .await?;
    let of_patient = doc["subject"]["reference"].as_str() == Some(&format!("Patient/{id}"));
    if !of_patient {
        return Err(CliError::usage(format!(
            "note '{}' is not {}'s: nothing was changed",
            crate::text::clean_line(&args.doc_id),
            crate::text::clean_line(&subject.label)
        )));
    }
    if !args.yes
        && !confirm(&format!(
            "Mark note {} of {} entered in error?",
            args.doc_id, subject.label
        ))?
    {
        return Err(CliError::usage("not confirmed: nothing was changed"));
    }
    let (origin, _) = origin_and_context(source, &writer, &subject, None);
    let version = args.if_match.clone().or(version);
    let item = prepare::retraction_item(&doc, version, &subject, &origin)
        .ok_or_else(|| CliError::usage("the note has no id"))?;
    // Written out here so a piped reader sees the patient the retraction is for.
    writeln!(
        out,
        "{}",
        crate::text::clean_line(&format!("Patient: {}", subject.label))
    )
    .map_err(io_error)?;
    submit(source, &writer, item, args.json, out).await
}
