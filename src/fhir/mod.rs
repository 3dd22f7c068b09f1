//! The FHIR R4 data layer: resource model, HTTP client, capability discovery, the chart
//! query plan and `PatientRecord`. Nothing here knows about terminals or display; callers get
//! resources, records and typed `FhirError`s.

pub mod binaries;
pub mod capability;
pub mod capability_cache;
pub mod client;
pub mod error;
pub mod model;
pub mod query;
pub mod record;
mod record_builder;
pub mod stats;
pub mod write;

pub use capability::{Capabilities, PatchSupport};
pub use client::{
    AuthProvider, BatchMode, ClientConfig, Credentials, FhirClient, PatientPage, Secret,
};
pub use error::FhirError;
pub use query::{PageSize, PatientQuery, Section};
pub use record::{EmptySection, PatientRecord, RecordBuilder, RecordProblem};
pub use stats::{RequestEvent, WireSnapshot};
pub use write::{ClientId, WriteAnswer, WriteOp};
