//! From what was written to outbox items, the same way for the command line and the
//! screen: the patient named in words (for the outbox and for a discard), the visit open
//! today, the last values on the chart, and one item per note, vital-sign set, NKA or
//! retraction, each write with its own client identifier.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

use super::check::{Findings, LastValues};
use super::note::{Note, document_reference, retracted, summary};
use super::observations::observations;
use super::vitals::VitalsEntry;
use super::{Context, nka};
use crate::chart::Chart;
use crate::chart::VitalKind;
use crate::fhir::model::Encounter;
use crate::fhir::{ClientId, WriteOp};
use crate::outbox::{Author, Item, State, Write};

/// The patient a write is for, as the chart shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub id: String,
    /// `TESTWELL, Ada Quinn (Mrs)  Born 04-Mar-1958  MRN RND100101`.
    pub label: String,
    pub birth_date: Option<NaiveDate>,
}

impl Subject {
    /// The patient of a loaded chart.
    pub fn of(chart: &Chart) -> Subject {
        let b = &chart.banner;
        Subject {
            id: b.patient_id.clone(),
            label: format!("{}  Born {}  MRN {}", b.name, b.born, b.mrn),
            birth_date: b
                .birth_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        }
    }
}

/// Where an item goes and who writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub server: String,
    pub author: Author,
}

fn item(
    kind: &str,
    subject: &Subject,
    origin: &Origin,
    summary: String,
    writes: Vec<Write>,
) -> Item {
    let mut item = Item::new(
        kind,
        &subject.id,
        &origin.server,
        origin.author.clone(),
        writes,
    );
    item.patient_label = subject.label.clone();
    item.summary = summary;
    item
}

fn create(resource_type: &str, identifier: ClientId, resource: Value) -> Write {
    Write::new(WriteOp::Create {
        resource_type: resource_type.to_owned(),
        identifier,
        resource,
    })
}

/// A note, ready to send.
pub fn note_item(note: &Note, ctx: &Context, subject: &Subject, origin: &Origin) -> Item {
    let id = ClientId::new_uuid();
    let doc = document_reference(note, ctx, &id);
    item(
        "note",
        subject,
        origin,
        summary(note),
        vec![create("DocumentReference", id, doc)],
    )
}

/// A note kept as a draft: its text and kind only, nothing to send.
pub fn note_draft(
    note: &Note,
    encounter: Option<&str>,
    subject: &Subject,
    origin: &Origin,
) -> Item {
    let mut it = item(
        "note",
        subject,
        origin,
        format!("{} (draft)", summary(note)),
        vec![],
    );
    it.state = State::Draft;
    it.draft = Some(serde_json::json!({"note": note, "encounter": encounter}));
    it
}

/// The note and visit of a draft item, to reopen or sign it.
pub fn draft_note(item: &Item) -> Option<(Note, Option<String>)> {
    let d = item.draft.as_ref()?;
    let note: Note = serde_json::from_value(d["note"].clone()).ok()?;
    Some((note, d["encounter"].as_str().map(str::to_owned)))
}

/// A draft signed: the same item (same id, so the draft's file is replaced), queued with
/// the note's write.
pub fn sign_draft(draft: &Item, note: &Note, ctx: &Context) -> Item {
    let id = ClientId::new_uuid();
    let doc = document_reference(note, ctx, &id);
    let mut it = draft.clone();
    it.state = State::Queued;
    it.draft = None;
    it.summary = summary(note);
    it.writes = vec![create("DocumentReference", id, doc)];
    it
}

/// Vital signs taken at `at`, ready to send (one Observation each).
pub fn vitals_item(
    entry: &VitalsEntry,
    at: &DateTime<FixedOffset>,
    findings: &Findings,
    ctx: &Context,
    subject: &Subject,
    origin: &Origin,
) -> Item {
    let writes = observations(entry, at, ctx, findings)
        .into_iter()
        .map(|(id, obs)| create("Observation", id, obs))
        .collect();
    item("vitals", subject, origin, entry.summary(), writes)
}

/// "No known allergies", ready to send.
pub fn nka_item(ctx: &Context, subject: &Subject, origin: &Origin) -> Item {
    let id = ClientId::new_uuid();
    let resource = nka::no_known_allergies(ctx, &id);
    item(
        "nka",
        subject,
        origin,
        "No known allergies".into(),
        vec![create("AllergyIntolerance", id, resource)],
    )
}

/// A note marked entered in error: `doc` as read (the base) at `version`, updated only if
/// it is still at that version.
pub fn retraction_item(
    doc: &Value,
    version: Option<String>,
    subject: &Subject,
    origin: &Origin,
) -> Option<Item> {
    let id = doc["id"].as_str()?.to_owned();
    let mut write = Write::new(WriteOp::Update {
        resource_type: "DocumentReference".into(),
        id: id.clone(),
        if_match: version,
        resource: retracted(doc),
    });
    write.base = Some(doc.clone());
    Some(item(
        "note-retraction",
        subject,
        origin,
        format!("Note {id} marked entered in error"),
        vec![write],
    ))
}

/// The visit open today, if one: in progress (or arrived, triaged) and begun `today`.
pub fn open_encounter_today(encounters: &[Encounter], today: NaiveDate) -> Option<String> {
    encounters
        .iter()
        .filter(|e| {
            matches!(
                e.status.as_deref(),
                Some("in-progress" | "arrived" | "triaged")
            )
        })
        .filter(|e| {
            e.period
                .as_ref()
                .and_then(|p| p.start.as_deref())
                .and_then(|s| s.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                == Some(today)
        })
        .find_map(|e| e.id.as_ref().map(|id| format!("Encounter/{id}")))
}

/// The last weight and height on the chart (kg, cm), to compare a new entry with.
pub fn last_values(chart: &Chart) -> LastValues {
    let latest = chart
        .vitals
        .data()
        .map(|v| v.latest.as_slice())
        .unwrap_or_default();
    let find = |kind: VitalKind| latest.iter().find(|r| r.kind == kind);
    let weight_kg = find(VitalKind::Weight).and_then(|r| {
        let v = *r.numbers.first()?;
        Some(if r.unit == "lb" {
            v * 0.453_592_37
        } else if r.unit == "g" {
            v / 1000.0
        } else {
            v
        })
    });
    let height_cm = find(VitalKind::Height).and_then(|r| {
        let v = *r.numbers.first()?;
        Some(match r.unit.as_str() {
            "in" => v * 2.54,
            "m" => v * 100.0,
            _ => v,
        })
    });
    LastValues {
        weight_kg,
        height_cm,
    }
}
