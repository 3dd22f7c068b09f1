//! A change of a patient's phone, email or home address, made so that nothing is
//! overwritten: the new one is added (`period.start` today; a phone or email with rank 1)
//! and the current one of its kind it replaces is kept, given `period.end` today. A value
//! already current is not added again. The change is sent as a JSON Patch guarded by
//! `test`s of the old lists where the server declares JSON Patch for Patient, else as the
//! whole record (read, changed, PUT); either way with `If-Match` on the version read.
//! Pure functions: no I/O, no clock.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::patient_new::{check_email, check_phone};
use crate::fhir::WriteOp;
use crate::outbox::{Author, Item, Write};
use crate::text::clean_line;

/// Longest part of an address (characters).
const MAX_PART: usize = 100;

/// A home address as typed: `line, city, state, postcode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    pub line: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
}

/// What is to change (each field: a new value, checked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Change {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
}

/// `line, city, state, postcode` (the line may itself hold commas: the last three parts
/// are city, state and postcode). Every part non-empty, bounded, no control characters.
pub fn parse_address(raw: &str) -> Result<Address, String> {
    let parts: Vec<String> = raw
        .split(',')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let shown = || crate::text::clean_line(raw);
    if parts.len() < 4 || parts.iter().any(String::is_empty) {
        return Err(format!(
            "'{}' is not an address: give \"line, city, state, postcode\"",
            shown()
        ));
    }
    if raw.chars().any(char::is_control) || parts.iter().any(|p| p.chars().count() > MAX_PART) {
        return Err(format!(
            "'{}' is not an address: control characters, or a part over {MAX_PART} characters",
            shown()
        ));
    }
    let n = parts.len();
    Ok(Address {
        line: parts[..n - 3].join(", "),
        city: parts[n - 3].clone(),
        state: parts[n - 2].clone(),
        postcode: parts[n - 1].clone(),
    })
}

impl Change {
    /// The change as typed, checked; at least one field.
    pub fn check(
        phone: Option<&str>,
        email: Option<&str>,
        address: Option<&str>,
    ) -> Result<Change, String> {
        if phone.is_none() && email.is_none() && address.is_none() {
            return Err("give at least one of --phone, --email, --address".into());
        }
        Ok(Change {
            phone: phone.map(check_phone).transpose()?,
            email: email.map(check_email).transpose()?,
            address: address.map(parse_address).transpose()?,
        })
    }

    /// What it does, in a few words (`phone 555 0199, address 1 Elm St…`).
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.phone {
            parts.push(format!("phone {p}"));
        }
        if let Some(e) = &self.email {
            parts.push(format!("email {e}"));
        }
        if let Some(a) = &self.address {
            parts.push(format!("address {}", one_line(a)));
        }
        parts.join(", ")
    }
}

fn one_line(a: &Address) -> String {
    format!("{}, {}, {} {}", a.line, a.city, a.state, a.postcode)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Whether an element with a `period` is current on `today` (no end, or an end after it).
fn is_current(v: &Value, today: NaiveDate) -> bool {
    match v["period"]["end"].as_str() {
        None => true,
        Some(end) => end.get(..10).is_some_and(|e| e > day(today).as_str()),
    }
}

/// End `v` today (keep its start).
fn end_today(v: &mut Value, today: NaiveDate) {
    if !v["period"].is_object() {
        v["period"] = json!({});
    }
    v["period"]["end"] = json!(day(today));
}

/// The telecom list with `value` added as the current `system` (home, rank 1), the
/// current home one(s) it replaces ended today (and their rank dropped); unchanged when
/// `value` is already current. Whether it changed.
fn add_telecom(list: &mut Vec<Value>, system: &str, value: &str, today: NaiveDate) -> bool {
    let same = |t: &Value| {
        t["value"]
            .as_str()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(value.trim()))
    };
    if list
        .iter()
        .any(|t| t["system"] == system && same(t) && is_current(t, today))
    {
        return false;
    }
    for t in list.iter_mut() {
        let home = t["use"].as_str().is_none_or(|u| u == "home");
        if t["system"] == system && home && is_current(t, today) {
            end_today(t, today);
            if let Some(o) = t.as_object_mut() {
                o.remove("rank");
            }
        }
    }
    list.push(json!({
        "system": system, "value": value, "use": "home", "rank": 1,
        "period": {"start": day(today)},
    }));
    true
}

/// The address list with `a` added as the current home address, the current home
/// address(es) ended today; unchanged when `a` is already current. Whether it changed.
fn add_address(list: &mut Vec<Value>, a: &Address, today: NaiveDate) -> bool {
    let new = json!({
        "use": "home", "type": "both",
        "line": [a.line], "city": a.city, "state": a.state, "postalCode": a.postcode,
        "period": {"start": day(today)},
    });
    let same = |x: &Value| {
        ["line", "city", "state", "postalCode"]
            .iter()
            .all(|k| x[*k].to_string().to_lowercase() == new[*k].to_string().to_lowercase())
    };
    if list.iter().any(|x| same(x) && is_current(x, today)) {
        return false;
    }
    for x in list.iter_mut() {
        let home = x["use"].as_str().is_none_or(|u| u == "home");
        if home && is_current(x, today) {
            end_today(x, today);
        }
    }
    list.push(new);
    true
}

/// `current` (a Patient as read) with `change` made, or `None` when nothing changes.
pub fn apply(current: &Value, change: &Change, today: NaiveDate) -> Option<Value> {
    let mut p = current.clone();
    let list = |p: &Value, k: &str| p[k].as_array().cloned().unwrap_or_default();
    let mut telecom = list(&p, "telecom");
    let mut addresses = list(&p, "address");
    let mut changed = false;
    if let Some(phone) = &change.phone {
        changed |= add_telecom(&mut telecom, "phone", phone, today);
    }
    if let Some(email) = &change.email {
        changed |= add_telecom(&mut telecom, "email", email, today);
    }
    if let Some(a) = &change.address {
        changed |= add_address(&mut addresses, a, today);
    }
    if !changed {
        return None;
    }
    if !telecom.is_empty() {
        p["telecom"] = json!(telecom);
    }
    if !addresses.is_empty() {
        p["address"] = json!(addresses);
    }
    Some(p)
}

/// A JSON Patch from `old` to `new` for `telecom` and `address`: each list replaced after a
/// `test` that it is still what was read (added when it was absent).
pub fn json_patch(old: &Value, new: &Value) -> Value {
    let mut ops = Vec::new();
    for key in ["telecom", "address"] {
        if old[key] == new[key] {
            continue;
        }
        let path = format!("/{key}");
        if old.get(key).is_some() {
            ops.push(json!({"op": "test", "path": path, "value": old[key]}));
            ops.push(json!({"op": "replace", "path": path, "value": new[key]}));
        } else {
            ops.push(json!({"op": "add", "path": path, "value": new[key]}));
        }
    }
    json!(ops)
}

/// A Patient as read: its id, the resource, and its version (the base of the change).
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub id: String,
    pub resource: Value,
    pub version: Option<String>,
}

/// The outbox item that changes the Patient `read` to `new`: a JSON Patch when `patch`,
/// else the whole record; both with `If-Match` on the version read.
pub fn demographics_item(
    read: &Read,
    new: Value,
    patch: bool,
    label: &str,
    summary: String,
    server: &str,
    author: Author,
) -> Item {
    let op = if patch {
        WriteOp::Patch {
            resource_type: "Patient".into(),
            id: read.id.clone(),
            if_match: read.version.clone(),
            patch: json_patch(&read.resource, &new),
        }
    } else {
        WriteOp::Update {
            resource_type: "Patient".into(),
            id: read.id.clone(),
            if_match: read.version.clone(),
            resource: new,
        }
    };
    let mut write = Write::new(op);
    write.base = Some(read.resource.clone());
    let mut item = Item::new("demographics", &read.id, server, author, vec![write]);
    item.patient_label = label.to_owned();
    item.summary = summary;
    item
}

/// The current contact details of a Patient (as JSON), one line: `Phone 555 0199  Email
/// a@b.example  Address 1 Elm St, Springfield, IL 62701`; `Not known` for each absent.
pub fn contact_line(p: &Value, today: NaiveDate) -> String {
    let current_telecom = |system: &str| {
        let mut list: Vec<&Value> = p["telecom"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["system"] == system && is_current(t, today))
            .collect();
        list.sort_by_key(|t| t["rank"].as_u64().unwrap_or(u64::MAX));
        list.first()
            .and_then(|t| t["value"].as_str())
            .map(str::to_owned)
    };
    let address = p["address"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| is_current(a, today))
        .find(|a| a["use"].as_str().is_none_or(|u| u == "home"))
        .map(|a| {
            let lines: Vec<&str> = a["line"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let s = |k: &str| a[k].as_str().unwrap_or("");
            let tail = format!("{} {}", s("state"), s("postalCode"));
            [
                lines.join(", "),
                s("city").to_owned(),
                tail.trim().to_owned(),
            ]
            .into_iter()
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
        });
    let shown = |v: Option<String>| {
        v.map(|v| clean_line(&v))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "Not known".to_owned())
    };
    format!(
        "Phone {}  Email {}  Address {}",
        shown(current_telecom("phone")),
        shown(current_telecom("email")),
        shown(address)
    )
}
