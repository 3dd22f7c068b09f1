//! Pinned patients and removing a profile, against the real server behind the proxy: a
//! pin is kept by every sync (marked in `--json`), listed with two identifiers by `sync
//! --list`, held only in the sealed index (no patient id in any file); `--unpin` alone
//! fetches nothing (it works with the link down). `rounds profiles remove` refuses while
//! the outbox holds writes not sent, and with `--force` leaves no file and no profile.

use std::sync::atomic::AtomicBool;

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, clean_up, client_of, fresh_patient, output_of};
use super::*;

fn json_of(text: &str) -> Value {
    let start = text
        .find('{')
        .unwrap_or_else(|| panic!("no JSON in:\n{text}"));
    let end = text.rfind('}').unwrap();
    serde_json::from_str(&text[start..=end]).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| if p.is_dir() { files_under(&p) } else { 1 })
        .sum()
}

#[tokio::test]
async fn pins_are_kept_sealed_and_listed_and_go_with_the_profile() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let tag = p.family.trim_start_matches("Qxwrite").to_owned();
    let down = Arc::new(AtomicBool::new(false));
    let lost = down.clone();
    let proxy = Proxy::start(move |_req: &Request, resp| {
        if lost.load(Ordering::SeqCst) {
            Fault::Drop
        } else {
            Fault::Pass(resp)
        }
    });
    let id = &p.id;
    let mut s = Scenario::new(proxy.url());
    s.step("offline-on", "$R login --profile w --offline");
    expect(&s.run(), &[("offline-on", 0)], &[]);
    // The test patients' MRN system (their identifiers carry no MR type).
    let profiles = s.home.path().join("config").join("profiles.toml");
    let text = std::fs::read_to_string(&profiles).unwrap();
    let text = text.replace(
        "offline = true",
        "offline = true\nmrn_system = \"urn:rounds:test-mrn\"",
    );
    std::fs::write(&profiles, text).unwrap();
    s.again()
        .step("pin", &format!("$R --profile w sync --pin {id} --json"))
        // A sync naming nobody keeps the pinned patient.
        .step("again", "$R --profile w sync --json")
        .step("list", "$R --profile w sync --list")
        .step("list-json", "$R --profile w sync --list --json");
    let out = s.run();
    expect(
        &out,
        &[("pin", 0), ("again", 0), ("list", 0), ("list-json", 0)],
        &["pinned", &format!("WT-{tag}")],
    );
    for step in ["pin", "again"] {
        let sync = json_of(output_of(&out, step));
        assert_eq!(sync["kept"], 1, "{step}: {sync}");
        assert_eq!(sync["patients"][0]["id"], id.as_str(), "{sync}");
        assert_eq!(sync["patients"][0]["pinned"], true, "{sync}");
    }
    let list = json_of(output_of(&out, "list-json"));
    assert_eq!(list["schema"], "rounds.sync-list/1");
    assert_eq!(list["patients"][0]["pinned"], true, "{list}");
    assert_eq!(list["patients"][0]["patient"]["mrn"], format!("WT-{tag}"));
    assert!(list["patients"][0]["as_of"].is_string(), "{list}");
    let text = output_of(&out, "list");
    assert!(
        text.to_uppercase().contains(&p.family.to_uppercase()),
        "{text}"
    );

    // No patient id, name or MRN in any file (the pin is in the sealed index).
    let state = s.state_dir();
    let config = s.home.path().join("config");
    down.store(true, Ordering::SeqCst);
    s.again()
        .raw(&format!(
            "grep -rl -e '{}' -e 'WT-{tag}' -e '{id}' '{}' '{}' && echo LEAKED",
            p.family,
            state.display(),
            config.display()
        ))
        // Unpinning fetches nothing: it works with the link down.
        .step("unpin", &format!("$R --profile w sync --unpin {id}"))
        .step("after", "$R --profile w sync --list --json");
    let out = s.run();
    assert!(!out.contains("LEAKED"), "patient data on disk:\n{out}");
    expect(&out, &[("unpin", 0), ("after", 0)], &["Unpinned 1"]);
    let after = json_of(output_of(&out, "after"));
    assert_eq!(after["patients"][0]["pinned"], false, "{after}");

    // Past the size cap (0 MB here) a patient is fetched but not kept, and said so.
    down.store(false, Ordering::SeqCst);
    let text = std::fs::read_to_string(&profiles).unwrap();
    std::fs::write(
        &profiles,
        text.replace("offline = true", "offline = true\noffline_max_mb = 0"),
    )
    .unwrap();
    s.again().step(
        "capped",
        &format!("$R --profile w sync --patient {id} --json"),
    );
    let out = s.run();
    expect(&out, &[("capped", 5)], &[]);
    let capped = json_of(output_of(&out, "capped"));
    assert_eq!(capped["kept"], 0, "{capped}");
    assert_eq!(capped["patients"][0]["kept"], false, "{capped}");
    let error = capped["patients"][0]["error"].as_str().unwrap();
    assert!(error.contains("size cap"), "{capped}");

    // A write waiting in the outbox: the profile is not removed without --force.
    let waiting = state.join("outbox").join("w").join("0000000000000000");
    std::fs::create_dir_all(&waiting).unwrap();
    std::fs::write(waiting.join("a-waiting-write.sealed"), b"sealed").unwrap();
    assert!(files_under(&state.join("offline").join("w")) > 0);
    let keys = "echo KEYS=$(keyctl show @s 2>/dev/null | grep -c 'rounds:profile:w:')";
    s.again()
        .raw(keys)
        .step("refused", "$R profiles remove w")
        .step("still", "$R profiles")
        .step("forced", "$R profile remove w --force")
        .step("gone", "$R profiles --json")
        .raw(keys);
    let out = s.run();
    // The offline key (at least) was there before, and no secret of the profile after.
    let counts: Vec<&str> = out.lines().filter(|l| l.starts_with("KEYS=")).collect();
    assert_eq!(counts.len(), 2, "{out}");
    assert_ne!(counts[0], "KEYS=0", "{out}");
    assert_eq!(counts[1], "KEYS=0", "{out}");
    expect(
        &out,
        &[("refused", 2), ("still", 0), ("forced", 0), ("gone", 0)],
        &["1 write(s) in its outbox", "Removed profile 'w'"],
    );
    assert!(output_of(&out, "still").contains('w'), "{out}");
    let gone = json_of(output_of(&out, "gone"));
    assert!(!gone.to_string().contains("\"w\""), "{gone}");
    assert_eq!(files_under(&state.join("offline").join("w")), 0);
    assert_eq!(files_under(&state.join("outbox").join("w")), 0);
    clean_up(&client, &p).await;
}
