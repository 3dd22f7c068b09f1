#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The front desk's writes in the real interactive screen (tmux, 80x24) against the real
//! FHIR server (hfs or sekmet, `ROUNDS_TEST_FHIR_URL`), through a profile with an outbox:
//! `:register` of a look-alike of the patient on screen lists that patient and creates
//! nothing until "none of these" is confirmed; the new chart opens; the same registration
//! typed again is found as made before and nothing more is created (one record on the
//! server). `D` changes the phone and the line under the banner shows the new one at once.
//! Each test makes patients of its own and removes them.

mod common;

use common::server_url;
use common::writes::{clean_up, client_of, fresh_patient, writing_tui};
use rounds::fhir::FhirClient;
use serde_json::Value;

/// The Patients whose family name is exactly `family`.
async fn patients_named(client: &FhirClient, family: &str) -> Vec<Value> {
    let params = vec![("family".to_owned(), family.to_owned())];
    client
        .search_form("Patient", &params, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e["resource"].clone())
        .filter(|r| r["resourceType"] == "Patient")
        .filter(|r| r["name"][0]["family"].as_str() == Some(family))
        .collect()
}

/// Type one registration into the open `:register` form.
fn type_registration(tui: &common::tmux::TmuxPane, family: &str) {
    tui.type_text(":register");
    tui.keys(&["Enter"]);
    tui.wait_for(&["Register a new patient", "(YYYY-MM-DD)"]);
    for (i, text) in [family, "Patricia", "1970-05-05", "o"].iter().enumerate() {
        if i > 0 {
            tui.keys(&["Tab"]);
        }
        tui.type_text(text);
    }
    tui.keys(&["Enter"]);
}

#[tokio::test]
async fn register_a_look_alike_needs_none_of_these_and_a_repeat_creates_nothing() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (tui, _home) = writing_tui("register", client.base_url(), &p.id, None);
    let upper = p.family.to_uppercase();
    tui.wait_for(&[&upper, "Allergies not known"]);
    type_registration(&tui, &p.family);
    // The patient on screen is a candidate (same family name and born): nothing created.
    let screen = tui.wait_for(&[
        "is this one of them?",
        "same family name and born",
        "N none",
    ]);
    assert!(screen.contains(&format!("{upper}, Pat ")), "{screen}");
    assert_eq!(patients_named(&client, &p.family).await.len(), 1);
    tui.keys(&["N"]);
    tui.wait_for(&["None of these is", "y yes"]);
    tui.keys(&["y"]);
    // The new patient's chart opens.
    tui.wait_for(&[
        "Registered:",
        &format!("{upper}, Patricia"),
        "Born 05-May-1970",
    ]);
    // The same registration again: found as made before, N refuses, nothing is created.
    type_registration(&tui, &p.family);
    tui.wait_for(&["is this one of them?", "REGISTERED BEFORE"]);
    tui.keys(&["N"]);
    tui.wait_for(&["Already registered"]);
    tui.keys(&["Escape"]);
    tui.wait_for(&["Register a new patient", "Tab next field"]);
    tui.keys(&["Escape"]);
    tui.wait_until("the form closed", |s| !s.contains("Register a new patient"));
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED:0"]);
    let found = patients_named(&client, &p.family).await;
    for r in &found {
        if r["id"] != p.id.as_str() {
            let _ = reqwest::Client::new()
                .delete(format!(
                    "{}/Patient/{}",
                    client.base_url(),
                    r["id"].as_str().unwrap()
                ))
                .send()
                .await;
        }
    }
    clean_up(&client, &p).await;
    assert_eq!(found.len(), 2, "one new record, never a second: {found:?}");
}

#[tokio::test]
async fn the_demographics_form_changes_the_phone_and_the_banner_shows_it() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (tui, _home) = writing_tui("contact", client.base_url(), &p.id, None);
    let upper = p.family.to_uppercase();
    tui.wait_for(&[&upper, "Allergies not known"]);
    tui.keys(&["D"]);
    tui.wait_for(&["Contact details of", "(e.g. 555 0199)", "Enter save"]);
    tui.type_text("555 0142");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["Phone 555 0142", "Contact details changed"]);
    // Under the banner (the third line), the patient's own.
    let third = screen.lines().nth(2).unwrap_or_default().to_owned();
    assert!(third.contains("Phone 555 0142"), "{screen}");
    assert!(screen.lines().next().unwrap().contains(&upper), "{screen}");
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED:0"]);
    let now = client.read("Patient", &p.id).await.unwrap();
    clean_up(&client, &p).await;
    let phones: Vec<&str> = now["telecom"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["system"] == "phone")
        .filter_map(|t| t["value"].as_str())
        .collect();
    assert_eq!(phones, ["555 0142"], "{now}");
}
