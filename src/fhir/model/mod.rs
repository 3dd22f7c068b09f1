//! The FHIR R4 resources rounds reads, as lenient serde types.
//!
//! Only the elements a chart shows are modelled; everything is optional so that a sparse
//! resource still decodes. A resource whose elements have the wrong JSON type fails to
//! decode on its own and is reported, never silently dropped (see `fhir::record`).

mod bundle;
mod care;
mod clinical;
mod datatypes;
mod documents;
mod history;
mod medication;
mod observation;
mod people;
mod reference;

pub use bundle::{
    Bundle, BundleEntry, BundleLink, EntryRequest, EntryResponse, EntrySearch, MAX_ENTRIES,
    OperationOutcome, OutcomeIssue, bounded_vec,
};
pub use care::{Encounter, EncounterLocation, EncounterParticipant, Immunization, ProtocolApplied};
pub use clinical::{AllergyIntolerance, AllergyReaction, Condition};
pub use datatypes::{
    Annotation, Attachment, CodeableConcept, Coding, HumanName, Identifier, Meta, Narrative,
    Period, Quantity, Range, Ratio, Reference, non_empty,
};
pub use documents::{DiagnosticReport, DocumentContent, DocumentContext, DocumentReference};
pub use history::{
    Device, DeviceName, Flag, FocalDevice, Procedure, ProcedurePerformer, UdiCarrier,
};
pub use medication::{
    DispenseRequest, Dosage, DoseAndRate, Medication, MedicationIngredient, MedicationRequest,
    MedicationStatement, Timing, TimingRepeat,
};
pub use observation::{Observation, ObservationComponent, ObservationValue, ReferenceRange};
pub use people::{Organization, Patient, Practitioner};
pub use reference::{RefParts, is_fhir_id, parse_reference, relative_reference};
