//! The command line end to end against the real server, under a fresh kernel session
//! keyring (a profile with `--store keyutils`): note, vitals and NKA sent (exit 0) and read
//! back with `rounds chart`, implausible values refused without `--yes`, NKA refused over
//! recorded allergies, a draft kept and listed, a retraction with a stale version exiting
//! 6, and `--store memory` saying writes are online only.

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, clean_up, client_of, fresh_patient, item_id, output_of};

#[tokio::test]
async fn notes_vitals_and_nka_from_the_command_line() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let id = &p.id;
    let mut s = Scenario::new(client.base_url());
    s.step("note", &format!("printf 'S: cli note\\nP: plan' | $R --profile w note add {id} --file - --json"))
        .step("chart-notes", &format!("$R --profile w chart {id} --section notes"))
        .step("vitals-implausible", &format!("$R --profile w vitals add {id} --bp 250/90 --hr 72"))
        .step("vitals-impossible", &format!("$R --profile w vitals add {id} --bp 80/90 --spo2 101"))
        .step("vitals", &format!("$R --profile w vitals add {id} --bp 250/90 --hr 72 --temp 37.2C --yes"))
        .step("chart-vitals", &format!("$R --profile w chart {id} --section vitals"))
        .step("nka-no-tty", &format!("$R --profile w allergies nka {id} </dev/null"))
        .step("nka", &format!("$R --profile w allergies nka {id} --yes"))
        .step("nka-again", &format!("$R --profile w allergies nka {id} --yes"))
        .step("nka-ada", "$R --profile w allergies nka rnd-ada-testwell --yes")
        .step("draft", &format!("printf 'S: draft only' | $R --profile w note add {id} --file - --draft"))
        .step("list", "$R --profile w outbox list")
        .step("files-demo", "$R --open fixtures/clinical note add rnd-ada-testwell --file /dev/null")
        .step("memory", &format!(
            "$R login --profile m --server {} --auth none --store memory >/dev/null && printf 'S: online only' | $R --profile m note add {id} --file -",
            client.base_url()
        ));
    let out = s.run();
    expect(
        &out,
        &[
            ("login", 0),
            ("note", 0),
            ("chart-notes", 0),
            ("vitals-implausible", 2),
            ("vitals-impossible", 2),
            ("vitals", 0),
            ("nka", 0),
            ("nka-again", 2),
            ("nka-ada", 2),
            ("draft", 0),
            ("list", 0),
            ("memory", 0),
        ],
        &[
            "\"state\": \"sent\"",
            "implausible, nothing was kept: systolic 250 mmHg",
            "refused, nothing was kept: systolic 80 is not above diastolic 90",
            "SpO2 101% is not possible",
            "Abnormal: BP H",
            "already records NKA",
            "the chart records 2 allergies",
            "Kept as a draft",
            "writes are sent at once and not kept",
        ],
    );
    assert!(output_of(&out, "chart-notes").contains("cli note"), "{out}");
    assert!(
        output_of(&out, "chart-vitals").contains("250/90 mmHg"),
        "{out}"
    );
    assert!(
        output_of(&out, "nka-no-tty").contains("confirm with --yes"),
        "{out}"
    );
    assert!(output_of(&out, "list").contains("draft"), "{out}");
    assert!(output_of(&out, "files-demo").contains("read-only"), "{out}");
    let draft = item_id(output_of(&out, "draft"));
    assert!(output_of(&out, "list").contains(&draft), "{out}");
    clean_up(&client, &p).await;
}
