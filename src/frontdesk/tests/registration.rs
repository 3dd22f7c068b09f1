//! Unit tests of registration, demographics and the lists: input checks, the duplicate
//! searches, a recorded `$match` answer, a repeat, address and contact history, the JSON
//! Patch, census and appointment rows.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::demographics::{Change, Read, apply, contact_line, demographics_item, json_patch};
use super::lists::{appointments, census, census_params, mine_params};
use super::patient_new::*;
use crate::chart::ChartOptions;
use crate::fhir::WriteOp;
use crate::outbox::Author;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn input() -> RegistrationInput {
    RegistrationInput {
        family: "  Testwell ".into(),
        given: "Ada   Quinn".into(),
        birthdate: "1958-03-04".into(),
        gender: "female".into(),
        phone: Some("+1 (555) 010-0100".into()),
        email: None,
        mrn: Some("RND100101".into()),
    }
}

fn author() -> Author {
    Author {
        profile: "w".into(),
        fhir_user: None,
    }
}

#[test]
fn input_is_checked_before_anything_is_sent() {
    let reg = Registration::check(&input(), today()).unwrap();
    assert_eq!(reg.family, "Testwell");
    assert_eq!(reg.given, vec!["Ada", "Quinn"]);
    let bad = |f: fn(&mut RegistrationInput)| {
        let mut i = input();
        f(&mut i);
        Registration::check(&i, today()).unwrap_err()
    };
    assert!(bad(|i| i.family = "  ".into()).contains("empty"));
    assert!(bad(|i| i.family = "x".repeat(101)).contains("longer than 100"));
    assert!(bad(|i| i.given = "Ada\u{1b}[2J".into()).contains("control"));
    assert!(bad(|i| i.given = "123".into()).contains("no letter"));
    assert!(bad(|i| i.birthdate = "1958-02-30".into()).contains("not a date"));
    assert!(bad(|i| i.birthdate = "2999-01-01".into()).contains("future"));
    assert!(bad(|i| i.birthdate = "1066-01-01".into()).contains("before 1850"));
    assert!(bad(|i| i.gender = "f".into()).contains("not a gender"));
    assert!(bad(|i| i.phone = Some("555-CALL".into())).contains("not a phone"));
    assert!(bad(|i| i.phone = Some("5+5".into())).contains("not a phone"));
    assert!(bad(|i| i.phone = Some("12".into())).contains("2 digits"));
    assert!(bad(|i| i.email = Some("a@b".into())).contains("not an email"));
    assert!(bad(|i| i.email = Some("a b@c.org".into())).contains("not an email"));
    assert!(bad(|i| i.mrn = Some("A B".into())).contains("not an MRN"));
    assert!(check_email("ada@clinic.example").is_ok());
}

#[test]
fn duplicate_searches_catch_a_given_name_spelled_otherwise() {
    let reg = Registration::check(&input(), today()).unwrap();
    let searches = reg.searches();
    let keys: Vec<Vec<&str>> = searches
        .iter()
        .map(|(_, p)| p.iter().map(|(k, _)| k.as_str()).collect())
        .collect();
    assert_eq!(
        keys,
        vec![
            vec!["family", "birthdate"],
            vec!["given", "birthdate"],
            vec!["birthdate", "gender", "phone"],
            vec!["identifier"],
        ]
    );
    // No given name in the first search: "Addа" or "Ada" are both found.
    assert_eq!(searches[0].1[0].1, "Testwell");
}

/// A `Patient/$match` answer as the FHIR R4 specification shows it (searchset, score,
/// match-grade extension), with an included Organization that must not become a row.
fn match_answer() -> Value {
    json!({"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1",
            "name": [{"family": "Testwell", "given": ["Ada", "Quinn"]}],
            "birthDate": "1958-03-04", "gender": "female",
            "identifier": [{"type": {"text": "MRN"}, "value": "RND100101"}],
            "telecom": [{"system": "phone", "value": "+1 (555) 010-0100"}]},
         "search": {"mode": "match", "score": 0.93, "extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/match-grade",
            "valueCode": "probable"}]}},
        {"resource": {"resourceType": "Patient", "id": "p2",
            "name": [{"family": "Testwel", "given": ["Adda"]}],
            "birthDate": "1958-03-04", "gender": "female"},
         "search": {"mode": "match", "score": 0.41}},
        {"resource": {"resourceType": "Organization", "id": "o1"},
         "search": {"mode": "include"}}
    ]})
}

#[test]
fn a_match_answer_gives_scored_candidates_and_finds_a_repeat() {
    let reg = Registration::check(&input(), today()).unwrap();
    let entries = match_answer()["entry"].as_array().unwrap().clone();
    let found = patients_of(&entries);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].1, Some(0.93));
    let reasons: Vec<(String, Value)> = found
        .into_iter()
        .map(|(p, s)| (format!("$match score {}", s.unwrap()), p))
        .collect();
    let cands = candidates(&reg, &reasons, today(), &ChartOptions::default());
    assert_eq!(cands.len(), 2);
    let p1 = cands.iter().find(|c| c.row.id == "p1").unwrap();
    assert!(p1.repeat, "same names, born, sex, phone and MRN");
    assert_eq!(p1.row.mrn, "RND100101");
    let p2 = cands.iter().find(|c| c.row.id == "p2").unwrap();
    assert!(!p2.repeat);
    assert_eq!(p2.found_by, vec!["$match score 0.41"]);
}

#[test]
fn the_resource_carries_its_own_identifier_and_the_item_creates_it() {
    let reg = Registration::check(&input(), today()).unwrap();
    let id = registration_id();
    assert_eq!(id.system, REGISTRATION_SYSTEM);
    let p = reg.resource(&id, Some("urn:mrn"), today());
    assert_eq!(p["identifier"][0], id.to_json());
    assert_eq!(p["identifier"][1]["system"], "urn:mrn");
    assert_eq!(p["identifier"][1]["type"]["coding"][0]["code"], "MR");
    assert_eq!(p["birthDate"], "1958-03-04");
    assert_eq!(p["telecom"][0]["period"]["start"], "2026-11-22");
    assert!(reg.is_repeat_of(&p));
    let mut other = p.clone();
    other["telecom"] = json!([]);
    assert!(!reg.is_repeat_of(&other), "a phone given but not recorded");
    let item = registration_item(&reg, p, id.clone(), "http://s", author());
    assert_eq!(item.kind, "patient-new");
    assert!(!item.patient_id.is_empty());
    assert_eq!(item.writes[0].op.identifier(), Some(&id));
}

fn patient() -> Value {
    json!({"resourceType": "Patient", "id": "p1", "meta": {"versionId": "3"},
        "telecom": [
            {"system": "phone", "value": "555 0100", "use": "home", "rank": 1},
            {"system": "phone", "value": "555 0900", "use": "work"},
            {"system": "email", "value": "old@x.example"}],
        "address": [
            {"use": "home", "line": ["9 Old Rd"], "city": "Oldtown", "state": "IL", "postalCode": "60000",
             "period": {"start": "2001-01-01"}},
            {"use": "work", "line": ["1 Work Pl"], "city": "Oldtown"}]})
}

#[test]
fn a_new_address_and_phone_are_added_and_the_old_kept_ended() {
    let change = Change::check(
        Some("555 0199"),
        None,
        Some("1 Elm St, Springfield, IL, 62701"),
    )
    .unwrap();
    let new = apply(&patient(), &change, today()).unwrap();
    let addresses = new["address"].as_array().unwrap();
    assert_eq!(addresses.len(), 3, "nothing overwritten");
    assert_eq!(addresses[0]["line"][0], "9 Old Rd");
    assert_eq!(addresses[0]["period"]["start"], "2001-01-01");
    assert_eq!(addresses[0]["period"]["end"], "2026-11-22");
    assert!(
        addresses[1]["period"].is_null(),
        "a work address stays current"
    );
    assert_eq!(addresses[2]["period"]["start"], "2026-11-22");
    assert_eq!(addresses[2]["postalCode"], "62701");
    let telecom = new["telecom"].as_array().unwrap();
    assert_eq!(telecom.len(), 4);
    assert_eq!(telecom[0]["period"]["end"], "2026-11-22");
    assert!(telecom[0].get("rank").is_none());
    assert!(telecom[1]["period"].is_null(), "the work phone stays");
    assert_eq!(telecom[3]["value"], "555 0199");
    assert_eq!(
        contact_line(&new, today()),
        "Phone 555 0199  Email old@x.example  Address 1 Elm St, Springfield, IL 62701"
    );
    // The same change again changes nothing.
    assert_eq!(apply(&new, &change, today()), None);
    // Sent as a patch guarded by tests of the old lists, or as the whole record.
    let patch = json_patch(&patient(), &new);
    assert_eq!(patch[0]["op"], "test");
    assert_eq!(patch[0]["value"], patient()["telecom"]);
    assert_eq!(patch[1]["op"], "replace");
    assert_eq!(patch[2]["path"], "/address");
    let read = Read {
        id: "p1".into(),
        resource: patient(),
        version: Some("3".into()),
    };
    let item = demographics_item(
        &read,
        new.clone(),
        true,
        "L",
        "S".into(),
        "http://s",
        author(),
    );
    assert!(matches!(&item.writes[0].op, WriteOp::Patch { if_match: Some(v), .. } if v == "3"));
    assert_eq!(item.writes[0].base, Some(patient()));
    let item = demographics_item(&read, new, false, "L", "S".into(), "http://s", author());
    assert!(matches!(&item.writes[0].op, WriteOp::Update { if_match: Some(v), .. } if v == "3"));
}

#[test]
fn addresses_and_changes_are_checked() {
    assert!(Change::check(None, None, None).is_err());
    assert!(Change::check(None, None, Some("1 Elm St, Springfield")).is_err());
    assert!(Change::check(None, None, Some("1 Elm St, , IL, 62701")).is_err());
    assert!(Change::check(None, Some("nope"), None).is_err());
    let c = Change::check(None, None, Some("Flat 2, 1 Elm St, Springfield, IL, 62701")).unwrap();
    assert_eq!(c.address.unwrap().line, "Flat 2, 1 Elm St");
    let empty = json!({"resourceType": "Patient", "id": "x"});
    assert_eq!(
        contact_line(&empty, today()),
        "Phone Not known  Email Not known  Address Not known"
    );
    let change = Change::check(None, Some("a@b.example"), None).unwrap();
    let new = apply(&empty, &change, today()).unwrap();
    assert_eq!(json_patch(&empty, &new)[0]["op"], "add");
}

#[test]
fn census_rows_take_their_own_patient_only() {
    let entries = json!([
        {"resource": {"resourceType": "Encounter", "id": "e1", "status": "in-progress",
            "subject": {"reference": "Patient/p1"}, "period": {"start": "2026-11-20T08:00:00Z"},
            "location": [
                {"location": {"reference": "Location/w4", "display": "Ward 4B"}, "status": "active"},
                {"location": {"reference": "Location/bed12"}},
                {"location": {"display": "ED"}, "status": "completed"}]},
         "search": {"mode": "match"}},
        {"resource": {"resourceType": "Encounter", "id": "e2", "status": "in-progress",
            "subject": {"reference": "Patient/missing"}},
         "search": {"mode": "match"}},
        {"resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1958-03-04",
            "name": [{"family": "Testwell", "given": ["Ada"]}],
            "identifier": [{"type": {"text": "MRN"}, "value": "RND1"}]},
         "search": {"mode": "include"}}
    ]);
    let rows = census(
        entries.as_array().unwrap(),
        today(),
        &ChartOptions::default(),
    );
    assert_eq!(rows.len(), 2);
    let e1 = rows.iter().find(|r| r.id == "e1").unwrap();
    assert_eq!(e1.location, "Ward 4B, bed12");
    assert_eq!(e1.when, "20-Nov-2026");
    let p = e1.patient.as_ref().unwrap();
    assert_eq!((p.name.as_str(), p.mrn.as_str()), ("TESTWELL, Ada", "RND1"));
    let e2 = rows.iter().find(|r| r.id == "e2").unwrap();
    assert!(e2.patient.is_none(), "never another patient's identity");
    assert_eq!(e2.patient_id.as_deref(), Some("missing"));
    assert_eq!(e2.location, "Not known");
    assert_eq!(e2.when, "Not known");
    assert_eq!(census_params("w4")[1].1, "Location/w4");
}

#[test]
fn appointments_sort_by_time_and_search_the_local_day() {
    let entries = json!([
        {"resource": {"resourceType": "Appointment", "id": "a2", "status": "booked",
            "start": "2026-11-22T19:30:00-06:00",
            "participant": [{"actor": {"reference": "Patient/p1"}}]}},
        {"resource": {"resourceType": "Appointment", "id": "a1", "status": "arrived",
            "start": "2026-11-22T09:00:00-06:00", "appointmentType": {"text": "Follow-up"},
            "participant": [{"actor": {"reference": "Location/c1", "display": "Clinic 1"}}]}}
    ]);
    let rows = appointments(
        entries.as_array().unwrap(),
        today(),
        &ChartOptions::default(),
    );
    assert_eq!(rows[0].id, "a1");
    assert_eq!(rows[0].when, "22-Nov-2026 09:00");
    assert_eq!(rows[0].location, "Clinic 1");
    assert_eq!(rows[0].kind.as_deref(), Some("Follow-up"));
    assert_eq!(rows[1].when, "22-Nov-2026 19:30");
    let window = crate::frontdesk::day::ClinicZone::parse(Some("-06:00"))
        .unwrap()
        .day(today())
        .unwrap();
    let params = mine_params("doc1", &window);
    assert_eq!(params[0].1, "Practitioner/doc1");
    assert_eq!(params[1].1, "ge2026-11-22T00:00:00-06:00");
    assert_eq!(params[2].1, "lt2026-11-23T00:00:00-06:00");
}
