//! The front desk's forms on screen: `:register` (family, given, born, sex, phone; then the
//! duplicate check's candidates, each with two identifiers, and the explicit "none of these
//! is this person" before anything is created), the demographics form opened from a chart
//! (phone, email, address, prefilled with the record's current values), and the conflict
//! modal of a front-desk write (what the other desk changed, theirs against mine, nothing
//! overwritten). State only: the keys and answers are in `update/desk.rs`.

use chrono::NaiveDate;
use serde_json::Value;

use super::input::LineInput;
use crate::common::RequestId;
use crate::fhir::ClientId;
use crate::frontdesk::patient_new::{Candidate, Registration, RegistrationInput};
use crate::outbox::{Conflict, Item};

/// The registration form's fields, in order (label, an example).
pub const REGISTER_FIELDS: [(&str, &str); 5] = [
    ("Family", "e.g. Okafor"),
    ("Given", "e.g. Ada Grace"),
    ("Born", "YYYY-MM-DD"),
    ("Sex", "male, female, other, unknown (m f o u)"),
    ("Phone", "optional"),
];

/// Where a registration stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RegisterStage {
    /// The fields are being typed.
    Editing,
    /// The duplicate check is running.
    Checking(RequestId),
    /// The check found these people: open one, or say none of these is this person.
    Candidates {
        reg: Box<Registration>,
        candidates: Vec<Candidate>,
        /// Searches the server could not run (said, not hidden).
        warnings: Vec<String>,
        selected: usize,
        /// `N` was pressed: `y` creates, `n` or Esc goes back to the list.
        confirming: bool,
    },
    /// The create is on its way.
    Creating(RequestId),
}

/// `:register`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterForm {
    pub fields: [LineInput; 5],
    pub focus: usize,
    /// What is wrong with what was typed, or why the last step failed (the fields stay).
    pub problem: Option<String>,
    pub stage: RegisterStage,
    /// The registration last sent and its client identifier: the same registration sent
    /// again (after a failure) carries the same one, so the server never makes two.
    pub sent_as: Option<(Registration, ClientId)>,
}

impl Default for RegisterForm {
    fn default() -> Self {
        RegisterForm::new()
    }
}

impl RegisterForm {
    pub fn new() -> RegisterForm {
        RegisterForm {
            fields: Default::default(),
            focus: 0,
            problem: None,
            stage: RegisterStage::Editing,
            sent_as: None,
        }
    }

    /// The details as typed (the sex's one-letter forms spelled out).
    pub fn input(&self) -> RegistrationInput {
        let t = |i: usize| self.fields[i].text().to_owned();
        let gender = match t(3).trim().to_ascii_lowercase().as_str() {
            "m" => "male".to_owned(),
            "f" => "female".to_owned(),
            "o" => "other".to_owned(),
            "u" => "unknown".to_owned(),
            _ => t(3),
        };
        RegistrationInput {
            family: t(0),
            given: t(1),
            birthdate: t(2),
            gender,
            phone: Some(t(4)).filter(|p| !p.trim().is_empty()),
            email: None,
            mrn: None,
        }
    }

    /// The details checked; the first thing wrong otherwise, in words.
    pub fn check(&self, today: NaiveDate) -> Result<Registration, String> {
        Registration::check(&self.input(), today)
    }

    /// The client identifier for `reg`: the one it was sent with before, else a new one.
    pub fn client_id(&mut self, reg: &Registration) -> ClientId {
        if let Some((r, id)) = &self.sent_as {
            if r == reg {
                return id.clone();
            }
        }
        let id = crate::frontdesk::patient_new::registration_id();
        self.sent_as = Some((reg.clone(), id.clone()));
        id
    }
}

/// The demographics form's fields, in order (label, an example).
pub const CONTACT_FIELDS: [(&str, &str); 3] = [
    ("Phone", "e.g. 555 0199"),
    ("Email", "e.g. ada@example.org"),
    ("Address", "line, city, state, postcode"),
];

/// The demographics form, for the patient on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct DemographicsForm {
    pub patient_id: String,
    /// The patient's two identifiers (name and born, MRN), in the title and the item.
    pub label: String,
    pub fields: [LineInput; 3],
    /// The values the fields were filled with (a field left as it was is not sent).
    pub initial: [String; 3],
    pub focus: usize,
    pub problem: Option<String>,
    /// The record's current values being read (the fields wait for them).
    pub reading: Option<RequestId>,
    /// The change on its way.
    pub sending: Option<RequestId>,
}

impl DemographicsForm {
    pub fn new(patient_id: String, label: String, reading: RequestId) -> DemographicsForm {
        DemographicsForm {
            patient_id,
            label,
            fields: Default::default(),
            initial: Default::default(),
            focus: 0,
            problem: None,
            reading: Some(reading),
            sending: None,
        }
    }

    /// Fill the fields with the record's current values.
    pub fn prefill(&mut self, values: [String; 3]) {
        self.fields = values.clone().map(|v| LineInput::new(&v));
        self.initial = values;
        self.reading = None;
    }

    /// What changed, checked: each field typed differently from its current value.
    pub fn change(&self) -> Result<crate::frontdesk::demographics::Change, String> {
        let changed = |i: usize| {
            let t = self.fields[i].text().trim();
            (t != self.initial[i].trim() && !t.is_empty()).then_some(t)
        };
        if (0..3).all(|i| changed(i).is_none()) {
            return Err("Nothing changed: type a new phone, email or address".into());
        }
        crate::frontdesk::demographics::Change::check(changed(0), changed(1), changed(2))
    }
}

/// The current phone, email and home address of a Patient (as JSON), as the form shows
/// them (`line, city, state, postcode`); empty where there is none.
pub fn current_contact(p: &Value, today: NaiveDate) -> [String; 3] {
    let current = |v: &Value| {
        let d = today.format("%Y-%m-%d").to_string();
        v["period"]["end"].as_str().is_none_or(|e| e >= d.as_str())
    };
    let telecom = |system: &str| {
        let mut list: Vec<&Value> = p["telecom"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["system"] == system && current(t))
            .collect();
        list.sort_by_key(|t| t["rank"].as_u64().unwrap_or(u64::MAX));
        list.first()
            .and_then(|t| t["value"].as_str())
            .map(crate::text::clean_line)
            .unwrap_or_default()
    };
    let address = p["address"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| current(a))
        .find(|a| a["use"].as_str().is_none_or(|u| u == "home"))
        .map(|a| {
            let mut parts: Vec<String> = a["line"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            for k in ["city", "state", "postalCode"] {
                parts.push(a[k].as_str().unwrap_or("").to_owned());
            }
            crate::text::clean_line(&parts.join(", "))
        })
        .unwrap_or_default();
    let cap = |s: String| crate::text::truncate_to(&s, 200);
    [cap(telecom("phone")), cap(telecom("email")), cap(address)]
}

/// A front-desk write another desk got to first: shown plainly, nothing overwritten.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    /// `Check-in`, `Contact details`.
    pub what: String,
    /// The patient's two identifiers.
    pub patient: String,
    /// What happened, in words (`Status now Arrived, set by someone else`).
    pub lines: Vec<String>,
    /// The version this desk changed, and the server's now.
    pub mine_version: Option<String>,
    pub theirs_version: Option<String>,
    /// Base / theirs / mine, element by element.
    pub conflict: Option<Conflict>,
}

impl ConflictView {
    /// The conflict of `item` (a write the server refused as out of date).
    pub fn of(what: &str, item: &Item, lines: Vec<String>) -> ConflictView {
        let version = |v: Option<&Value>| {
            v.and_then(|v| v["meta"]["versionId"].as_str())
                .map(crate::text::clean_line)
        };
        let c = item.conflict.as_ref();
        ConflictView {
            what: what.to_owned(),
            patient: item.patient_label.clone(),
            lines,
            mine_version: version(c.and_then(|c| c.base.as_ref()))
                .or_else(|| item.writes.first().and_then(|w| if_match(&w.op))),
            theirs_version: version(c.and_then(|c| c.theirs.as_ref())),
            conflict: item.conflict.clone(),
        }
    }
}

/// The version an update or patch was sent against (`W/"3"` → `3`).
fn if_match(op: &crate::fhir::WriteOp) -> Option<String> {
    match op {
        crate::fhir::WriteOp::Update { if_match, .. }
        | crate::fhir::WriteOp::Patch { if_match, .. } => if_match
            .as_deref()
            .map(|m| crate::fhir::write::version_of_etag(m).unwrap_or_else(|| m.to_owned()))
            .map(|v| crate::text::clean_line(&v)),
        crate::fhir::WriteOp::Create { .. } => None,
    }
}
