//! `rounds patient new` end to end under a profile with an outbox: a first registration is
//! created; a look-alike (the given name spelled otherwise) and a same-phone registration
//! exit 8 and create nothing; `--not-a-duplicate` creates once, and the same command again
//! creates nothing more. Gender `other`, as every patient a write test makes: searches of
//! other tests count the female and male ones.

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, client_of, output_of};
use super::{delete, patients_named, tag};

#[tokio::test]
async fn look_alikes_are_listed_and_a_repeat_creates_nothing() {
    let client = client_of(&server_url());
    let t = tag();
    let family = format!("Qxreg{t}");
    let other = format!("Qxoth{t}");
    // A birth date and phone of this run's own (so no other test's patient is a candidate).
    let n = u32::from_str_radix(&t[..4], 16).unwrap();
    let born = format!("19{:02}-{:02}-{:02}", 20 + n % 70, 1 + n % 12, 1 + n % 28);
    let phone = format!("555 {:04}", n % 10_000);
    let new = |fam: &str, given: &str, extra: &str| {
        format!(
            "$R --profile w patient new --family {fam} --given {given} --birthdate {born} --gender other {extra}"
        )
    };
    let mut s = Scenario::new(client.base_url());
    s.step(
        "first",
        &new(&family, "Ann", &format!("--phone '{phone}' --json")),
    )
    .step("lookalike", &new(&family, "Anne", ""))
    .step("lookalike-json", &new(&family, "Anne", "--json"))
    .step(
        "same-phone",
        &new(&other, "Zoe", &format!("--phone '{phone}'")),
    )
    .step("override", &new(&family, "Anne", "--not-a-duplicate"))
    .step("again", &new(&family, "Anne", "--not-a-duplicate --json"))
    .step("bad-date", &format!("$R --profile w patient new --family {family} --given Anne --birthdate 1961-02-30 --gender other"))
    .step("outbox", "$R --profile w outbox list");
    let out = s.run();
    // What this run made is removed before anything is checked (a failed check must not
    // leave patients that other tests' searches would find).
    let same_family = patients_named(&client, &family).await;
    let other_family = patients_named(&client, &other).await;
    for p in same_family.iter().chain(&other_family) {
        delete(&client, "Patient", p["id"].as_str().unwrap()).await;
    }
    expect(
        &out,
        &[
            ("first", 0),
            ("lookalike", 8),
            ("lookalike-json", 8),
            ("same-phone", 8),
            ("override", 0),
            ("again", 0),
            ("bad-date", 2),
            ("outbox", 0),
        ],
        &[
            "\"state\": \"sent\"",
            "Possible duplicates of",
            "same family name and born",
            "same born, sex and phone",
            "\"state\": \"candidates\"",
            "Registered:",
            "\"state\": \"already_registered\"",
            "is not a date",
        ],
    );
    assert!(
        output_of(&out, "lookalike").contains(&format!("QXREG{}, Ann ", t.to_uppercase())),
        "the candidate named with name and born date:\n{out}"
    );
    assert!(!output_of(&out, "outbox").contains("patient-new"), "{out}");
    assert_eq!(same_family.len(), 2, "Ann, then Anne once: {same_family:?}");
    for p in &same_family {
        let ids = p["identifier"].as_array().unwrap();
        assert!(
            ids.iter().any(|i| i["system"] == "urn:rounds:registration"),
            "{p}"
        );
    }
    assert!(other_family.is_empty(), "{other_family:?}");
}
