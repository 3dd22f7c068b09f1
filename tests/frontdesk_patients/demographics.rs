//! `rounds patient update` on the real server: a new address and phone are added and the
//! old ones kept with an end date (never overwritten), and a change made by someone else
//! after the record was read is a conflict: nothing is overwritten, the server keeps
//! theirs. The server's own write path is used: JSON Patch where it declares it (sekmet),
//! else read-merge-PUT (hfs).

use rounds::frontdesk::demographics::{Change, Read, apply, demographics_item};
use rounds::outbox::{Author, State, send_item};
use serde_json::json;

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, clean_up, client_of, fresh_patient};

#[tokio::test]
async fn a_new_address_keeps_the_old_one_as_history() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let id = &p.id;
    let mut s = Scenario::new(client.base_url());
    s.step("first", &format!("$R --profile w patient update {id} --address '1 Elm St, Springfield, IL, 62701' --phone '555 0101'"))
        .step("second", &format!("$R --profile w patient update {id} --address '2 Oak Ave, Springfield, IL, 62702' --json"))
        .step("same", &format!("$R --profile w patient update {id} --address '2 Oak Ave, Springfield, IL, 62702'"))
        .step("bad", &format!("$R --profile w patient update {id} --address 'nowhere'"))
        .step("nothing", &format!("$R --profile w patient update {id}"));
    let out = s.run();
    expect(
        &out,
        &[
            ("first", 0),
            ("second", 0),
            ("same", 0),
            ("bad", 2),
            ("nothing", 2),
        ],
        &[
            "Phone 555 0101  Email Not known  Address 1 Elm St, Springfield, IL 62701",
            "Born 05-May-1970",
            "\"state\": \"sent\"",
            "Nothing to change",
            "is not an address",
        ],
    );
    let (now, _) = client.read_current("Patient", id).await.unwrap();
    let addresses = now["address"].as_array().unwrap();
    assert_eq!(addresses.len(), 2, "{now}");
    assert_eq!(addresses[0]["line"][0], "1 Elm St");
    assert_eq!(addresses[0]["period"]["end"], "2026-11-22");
    assert_eq!(addresses[1]["line"][0], "2 Oak Ave");
    assert!(addresses[1]["period"]["end"].is_null());
    assert_eq!(now["telecom"][0]["value"], "555 0101");
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn a_change_made_first_by_someone_else_is_a_conflict_and_kept() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (base, version) = client.read_current("Patient", &p.id).await.unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let change = Change::check(Some("555 0102"), None, None).unwrap();
    let mine = apply(&base, &change, today).unwrap();
    // Another desk changes the record first.
    let mut theirs = base.clone();
    theirs["telecom"] = json!([{"system": "phone", "value": "555 0999"}]);
    client
        .update("Patient", &p.id, &theirs, None)
        .await
        .unwrap();
    let patch = client
        .capabilities()
        .await
        .unwrap()
        .supports_json_patch("Patient");
    let read = Read {
        id: p.id.clone(),
        resource: base,
        version,
    };
    let author = Author {
        profile: "w".into(),
        fhir_user: None,
    };
    let mut item = demographics_item(
        &read,
        mine,
        patch,
        "L",
        "S".into(),
        client.base_url(),
        author.clone(),
    );
    let outcome = send_item(None, &mut item, &client, &author).await.unwrap();
    assert_eq!(outcome.state, State::Conflict, "{item:?}");
    let conflict = item.conflict.as_ref().unwrap();
    assert_eq!(
        conflict.theirs.as_ref().unwrap()["telecom"][0]["value"],
        "555 0999"
    );
    assert!(
        conflict
            .differences()
            .iter()
            .any(|d| d.element == "telecom")
    );
    let (now, _) = client.read_current("Patient", &p.id).await.unwrap();
    assert_eq!(
        now["telecom"],
        json!([{"system": "phone", "value": "555 0999"}])
    );
    clean_up(&client, &p).await;
}
