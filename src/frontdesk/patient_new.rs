//! Registering a new patient: the details as typed, checked (`Registration::check`: real
//! dates not in the future, names non-empty and bounded, phone and email characters), the
//! searches that look for the same person before anything is created
//! (`Registration::searches`, for a server without `Patient/$match`), the candidates they
//! found (`candidates`), and the Patient resource and outbox item that create the record.
//!
//! A create carries a client identifier of its own (`REGISTRATION_SYSTEM`, a fresh
//! `urn:uuid:`) and is sent with `If-None-Exist` on it, so an item sent again after a lost
//! answer never makes a second record. A registration typed again (the same name, birth
//! date, sex and every contact detail given) finds the first record among its candidates
//! (`Registration::is_repeat_of`) and is not sent. Pure functions: no I/O, no clock.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use crate::chart::ChartOptions;
use crate::chart::PatientSummary;
use crate::fhir::model::Patient;
use crate::fhir::{ClientId, WriteOp};
use crate::outbox::{Author, Item, Write};
use crate::text::fold;

pub use super::registration_checks::{
    check_birth_date, check_email, check_mrn, check_name, check_phone,
};

/// The identifier system of the client identifier a registration carries.
pub const REGISTRATION_SYSTEM: &str = "urn:rounds:registration";
/// Most candidates listed.
pub const MAX_CANDIDATES: usize = 50;
/// Candidates asked of each search.
pub const SEARCH_COUNT: u32 = 20;

/// The details as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationInput {
    pub family: String,
    pub given: String,
    pub birthdate: String,
    pub gender: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mrn: Option<String>,
}

/// A registration whose details were checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registration {
    pub family: String,
    /// The given names, in order.
    pub given: Vec<String>,
    pub birth_date: NaiveDate,
    pub gender: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mrn: Option<String>,
}

/// A patient the duplicate check found, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    #[serde(flatten)]
    pub row: PatientSummary,
    /// Which searches found them (`same family name and born`, `same MRN`, `$match 0.9`).
    pub found_by: Vec<String>,
    /// Same name, born, sex and every contact detail given: this registration made before.
    pub repeat: bool,
}

impl Registration {
    /// The details checked; what is wrong, in words, otherwise.
    pub fn check(input: &RegistrationInput, today: NaiveDate) -> Result<Registration, String> {
        let family = check_name("family", &input.family)?;
        let given = check_name("given", &input.given)?;
        let gender = input.gender.trim().to_ascii_lowercase();
        if !matches!(gender.as_str(), "male" | "female" | "other" | "unknown") {
            return Err(format!(
                "'{}' is not a gender: male, female, other or unknown",
                crate::text::clean_line(&input.gender)
            ));
        }
        fn opt(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        Ok(Registration {
            family,
            given: given.split(' ').map(str::to_owned).collect(),
            birth_date: check_birth_date(&input.birthdate, today)?,
            gender,
            phone: opt(&input.phone).map(check_phone).transpose()?,
            email: opt(&input.email).map(check_email).transpose()?,
            mrn: opt(&input.mrn).map(check_mrn).transpose()?,
        })
    }

    /// `FAMILY, Given  Born 14-Jul-1945` (and the MRN when given), for messages.
    pub fn label(&self) -> String {
        let born = self.birth_date.format("%d-%b-%Y");
        let mut s = format!(
            "{}, {}  Born {born}",
            self.family.to_uppercase(),
            self.given.join(" ")
        );
        if let Some(m) = &self.mrn {
            s.push_str(&format!("  MRN {m}"));
        }
        s
    }

    /// The searches for the same person, each with what it means: family name and birth
    /// date (catches a given name spelled another way), first given name and birth date
    /// (a family name spelled another way or changed), birth date, sex and phone, and the
    /// MRN.
    pub fn searches(&self) -> Vec<(&'static str, Vec<(String, String)>)> {
        let born = self.birth_date.format("%Y-%m-%d").to_string();
        let p = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        let mut out = vec![
            (
                "same family name and born",
                vec![p("family", &self.family), p("birthdate", &born)],
            ),
            (
                "same given name and born",
                vec![p("given", &self.given[0]), p("birthdate", &born)],
            ),
        ];
        if let Some(phone) = &self.phone {
            out.push((
                "same born, sex and phone",
                vec![
                    p("birthdate", &born),
                    p("gender", &self.gender),
                    p("phone", phone),
                ],
            ));
        }
        if let Some(mrn) = &self.mrn {
            out.push(("same MRN", vec![p("identifier", mrn)]));
        }
        out
    }

    /// The Patient to create, carrying `id` (and the MRN, typed as one, in `mrn_system`
    /// when the profile names it); contact details start `today`.
    pub fn resource(&self, id: &ClientId, mrn_system: Option<&str>, today: NaiveDate) -> Value {
        let mut identifiers = vec![id.to_json()];
        if let Some(mrn) = &self.mrn {
            let mut i = json!({
                "use": "usual",
                "type": {"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                    "code": "MR", "display": "Medical record number"}], "text": "MRN"},
                "value": mrn,
            });
            if let Some(s) = mrn_system {
                i["system"] = json!(s);
            }
            identifiers.push(i);
        }
        let start = json!({"start": today.format("%Y-%m-%d").to_string()});
        let mut telecom = Vec::new();
        if let Some(phone) = &self.phone {
            telecom.push(json!({"system": "phone", "value": phone, "use": "home", "rank": 1, "period": start}));
        }
        if let Some(email) = &self.email {
            telecom
                .push(json!({"system": "email", "value": email, "use": "home", "period": start}));
        }
        let mut p = json!({
            "resourceType": "Patient",
            "identifier": identifiers,
            "active": true,
            "name": [{"use": "official", "family": self.family, "given": self.given}],
            "gender": self.gender,
            "birthDate": self.birth_date.format("%Y-%m-%d").to_string(),
        });
        if !telecom.is_empty() {
            p["telecom"] = json!(telecom);
        }
        p
    }

    /// Whether `p` (a Patient as JSON) is this very registration made before: the same
    /// family and given names (ignoring case and accents), birth date and sex, and every
    /// phone, email and MRN given here recorded there.
    pub fn is_repeat_of(&self, p: &Value) -> bool {
        let same = |a: &str, b: &str| fold(a.trim()) == fold(b.trim());
        let names = p["name"].as_array().into_iter().flatten();
        let name_same = names.into_iter().any(|n| {
            let given: Vec<&str> = n["given"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            n["family"].as_str().is_some_and(|f| same(f, &self.family))
                && given.len() == self.given.len()
                && given.iter().zip(&self.given).all(|(a, b)| same(a, b))
        });
        let born = self.birth_date.format("%Y-%m-%d").to_string();
        let telecom = |system: &str, value: &str| {
            p["telecom"].as_array().into_iter().flatten().any(|t| {
                t["system"] == system && t["value"].as_str().is_some_and(|v| same(v, value))
            })
        };
        let has_id = |value: &str| {
            p["identifier"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|i| i["value"].as_str() == Some(value))
        };
        name_same
            && p["birthDate"].as_str() == Some(born.as_str())
            && p["gender"].as_str() == Some(self.gender.as_str())
            && self.phone.as_deref().is_none_or(|v| telecom("phone", v))
            && self.email.as_deref().is_none_or(|v| telecom("email", v))
            && self.mrn.as_deref().is_none_or(has_id)
    }
}

/// The Patients of a search's (or `$match`'s) entries, with the `search.score` of each
/// (`_include`d resources and other types left out).
pub fn patients_of(entries: &[Value]) -> Vec<(Value, Option<f64>)> {
    entries
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Patient")
        .filter(|e| e["search"]["mode"].as_str().is_none_or(|m| m == "match"))
        .map(|e| (e["resource"].clone(), e["search"]["score"].as_f64()))
        .collect()
}

/// The candidates found, each Patient once with every reason that found it; the same
/// order as a search's rows. `found` pairs a reason with a Patient as JSON.
pub fn candidates(
    reg: &Registration,
    found: &[(String, Value)],
    today: NaiveDate,
    options: &ChartOptions,
) -> Vec<Candidate> {
    let mut by_id: Vec<(String, Value, Vec<String>)> = Vec::new();
    for (why, p) in found {
        let Some(id) = p["id"].as_str() else { continue };
        match by_id.iter_mut().find(|(i, _, _)| i == id) {
            Some((_, _, whys)) if !whys.contains(why) => whys.push(why.clone()),
            Some(_) => {}
            None => by_id.push((id.to_owned(), p.clone(), vec![why.clone()])),
        }
    }
    by_id.truncate(MAX_CANDIDATES);
    let parsed: Vec<Patient> = by_id
        .iter()
        .filter_map(|(_, p, _)| serde_json::from_value(p.clone()).ok())
        .collect();
    PatientSummary::list(&parsed, today, options)
        .into_iter()
        .filter_map(|row| {
            let (_, p, whys) = by_id.iter().find(|(i, _, _)| *i == row.id)?;
            Some(Candidate {
                repeat: reg.is_repeat_of(p),
                found_by: whys.clone(),
                row,
            })
        })
        .collect()
}

/// The outbox item that creates `resource` (made by `Registration::resource` with `id`).
pub fn registration_item(
    reg: &Registration,
    resource: Value,
    id: ClientId,
    server: &str,
    author: Author,
) -> Item {
    let subject = format!("new-{}", id.value.trim_start_matches("urn:uuid:"));
    let mut item = Item::new(
        "patient-new",
        &subject,
        server,
        author,
        vec![Write::new(WriteOp::Create {
            resource_type: "Patient".into(),
            identifier: id,
            resource,
        })],
    );
    item.patient_label = reg.label();
    item.summary = format!("New patient {}", reg.label());
    item
}

/// A fresh client identifier for a registration.
pub fn registration_id() -> ClientId {
    ClientId {
        system: REGISTRATION_SYSTEM.to_owned(),
        value: format!("urn:uuid:{}", crate::fhir::write::new_uuid()),
    }
}
