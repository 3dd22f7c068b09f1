//! Offline copies (issue 14) against the real server behind the proxy: a patient of the
//! test's own is kept with `rounds sync`, the link is lost (every request dropped), and
//! the chart is read from the copy (values as the server had them, the OFFLINE COPY line,
//! exit 0); the state and cache folders hold neither the patient's name, MRN nor a
//! medication; a changed file is refused and deleted; past the maximum age there is no
//! copy (exit 5); a warm sync is answered 304 for what the server validates; `rounds
//! logout` leaves no file.

use std::sync::atomic::AtomicBool;

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, clean_up, client_of, fresh_patient, output_of};
use super::*;

/// A proxy that drops every request while `down` is set (the link lost).
fn link(down: Arc<AtomicBool>) -> Proxy {
    Proxy::start(move |_req: &Request, resp| {
        if down.load(Ordering::SeqCst) {
            Fault::Drop
        } else {
            Fault::Pass(resp)
        }
    })
}

fn json_of(text: &str) -> Value {
    let start = text
        .find('{')
        .unwrap_or_else(|| panic!("no JSON in:\n{text}"));
    let end = text.rfind('}').unwrap();
    serde_json::from_str(&text[start..=end]).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

#[tokio::test]
async fn a_kept_chart_is_read_when_the_link_is_down_and_nothing_readable_is_on_disk() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let tag = p.family.trim_start_matches("Qxwrite").to_owned();
    let med = format!("Zzofflinol{tag} 5 mg tablet");
    client
        .update(
            "MedicationRequest",
            &format!("rnd-wt-mr-{tag}"),
            &json!({"resourceType": "MedicationRequest", "id": format!("rnd-wt-mr-{tag}"),
                "status": "active", "intent": "order",
                "subject": {"reference": format!("Patient/{}", p.id)},
                "medicationCodeableConcept": {"text": med},
                "authoredOn": "2026-11-01"}),
            None,
        )
        .await
        .unwrap();
    let down = Arc::new(AtomicBool::new(false));
    let proxy = link(down.clone());
    let id = &p.id;
    let mut s = Scenario::new(proxy.url());
    s.step("offline-on", "$R login --profile w --offline")
        .step("online", &format!("$R --profile w chart {id} --json"))
        .step(
            "cold",
            &format!("$R --profile w --batch never sync --patient {id} --json"),
        )
        .step(
            "warm",
            &format!("$R --profile w --batch never sync --patient {id} --json"),
        );
    let out = s.run();
    expect(
        &out,
        &[("offline-on", 0), ("online", 0), ("cold", 0), ("warm", 0)],
        &[],
    );
    let online = json_of(output_of(&out, "online"));
    let cold = json_of(output_of(&out, "cold"));
    let warm = json_of(output_of(&out, "warm"));
    assert_eq!(cold["schema"], "rounds.sync/1");
    assert_eq!(cold["kept"], 1, "{cold}");
    // What the server validates (the Patient read) costs a 304 the second time.
    assert_eq!(cold["not_modified"], 0, "{cold}");
    assert!(warm["not_modified"].as_u64().unwrap() >= 1, "{warm}");

    down.store(true, Ordering::SeqCst);
    let state = s.state_dir();
    let cache = s.home.path().join("cache");
    s.again()
        .step(
            "offline",
            &format!("$R --profile w chart {id} --section meds"),
        )
        .step("offline-json", &format!("$R --profile w chart {id} --json"))
        .step(
            "search",
            &format!("$R --profile w search --name {}", p.family),
        )
        .raw(&format!(
            "grep -rl -e '{}' -e 'WT-{tag}' -e 'Zzofflinol' -e '{id}' '{}' '{}' && echo LEAKED",
            p.family,
            state.display(),
            cache.display()
        ));
    let out = s.run();
    expect(
        &out,
        &[("offline", 0), ("offline-json", 0), ("search", 0)],
        &[
            "OFFLINE COPY — as of",
            &med,
            "searched only the 1 patient(s) kept",
        ],
    );
    assert!(!out.contains("LEAKED"), "patient data on disk:\n{out}");
    let offline = json_of(output_of(&out, "offline-json"));
    assert!(offline["offline_as_of"].is_string(), "{offline}");
    assert_eq!(offline["medications"], online["medications"]);
    assert_eq!(offline["banner"], online["banner"]);

    // A changed file is refused and deleted.
    let folder = walk(&state.join("offline"));
    let biggest = folder
        .iter()
        .max_by_key(|f| std::fs::metadata(f).unwrap().len())
        .unwrap()
        .clone();
    let mut bytes = std::fs::read(&biggest).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&biggest, bytes).unwrap();
    s.again()
        .step("tampered", &format!("$R --profile w chart {id}"));
    let out = s.run();
    expect(&out, &[("tampered", 5)], &["integrity check"]);
    assert!(!out.contains("Zzofflinol"), "{out}");
    assert!(!biggest.exists());

    // Kept again; past the maximum age there is no copy.
    down.store(false, Ordering::SeqCst);
    s.again()
        .step("again", &format!("$R --profile w sync --patient {id}"));
    expect(&s.run(), &[("again", 0)], &["Kept 1 of 1"]);
    let profiles = s.home.path().join("config").join("profiles.toml");
    let text = std::fs::read_to_string(&profiles).unwrap();
    std::fs::write(
        &profiles,
        text.replace(
            "offline = true",
            "offline = true\noffline_max_age_hours = 0",
        ),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    s.again()
        .step("too-old", &format!("$R --profile w --offline chart {id}"))
        .step("logout", "$R --profile w logout")
        .raw(&format!(
            "find '{}' -type f | grep -c . ",
            state.join("offline").display()
        ));
    let out = s.run();
    expect(&out, &[("too-old", 5), ("logout", 0)], &["no offline copy"]);
    assert!(
        walk(&state.join("offline")).is_empty(),
        "files left after logout:\n{out}"
    );
    clean_up(&client, &p).await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[tokio::test]
async fn sync_today_keeps_the_patients_booked_on_the_local_day() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let tag = p.family.trim_start_matches("Qxwrite").to_owned();
    // The Scenario's day is ROUNDS_TODAY (2026-11-22); the machine's zone is its offset.
    let offset = chrono::Local::now().offset().to_string();
    let appt = format!("rnd-wt-ap-{tag}");
    client
        .update(
            "Appointment",
            &appt,
            &json!({"resourceType": "Appointment", "id": appt, "status": "booked",
                "start": format!("2026-11-22T10:00:00{offset}"),
                "end": format!("2026-11-22T10:20:00{offset}"),
                "participant": [{"actor": {"reference": format!("Patient/{}", p.id)},
                    "status": "accepted"}]}),
            None,
        )
        .await
        .unwrap();
    // A cancelled visit's patient is not coming: not kept.
    let q = fresh_patient(&client).await;
    let cancelled = format!("rnd-wt-apc-{tag}");
    client
        .update(
            "Appointment",
            &cancelled,
            &json!({"resourceType": "Appointment", "id": cancelled, "status": "cancelled",
                "start": format!("2026-11-22T11:00:00{offset}"),
                "end": format!("2026-11-22T11:20:00{offset}"),
                "participant": [{"actor": {"reference": format!("Patient/{}", q.id)},
                    "status": "accepted"}]}),
            None,
        )
        .await
        .unwrap();
    let down = Arc::new(AtomicBool::new(false));
    let proxy = link(down);
    let mut s = Scenario::new(proxy.url());
    s.step("offline-on", "$R login --profile w --offline")
        .step("today", "$R --profile w sync --today --json");
    let out = s.run();
    expect(&out, &[("offline-on", 0)], &[]);
    let today = json_of(output_of(&out, "today"));
    let kept: Vec<&str> = today["patients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kept"] == true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(kept.contains(&p.id.as_str()), "{today}");
    assert!(!kept.contains(&q.id.as_str()), "{today}");
    for a in [&appt, &cancelled] {
        let _ = reqwest::Client::new()
            .delete(format!("{}/Appointment/{a}", client.base_url()))
            .send()
            .await;
    }
    clean_up(&client, &p).await;
    clean_up(&client, &q).await;
}
