//! `:ward` on the interactive screen against the real server: the census of a location of
//! this run's own lists both patients with their two identifiers, and the glances at the
//! rows in view (allergies, latest vitals) come in ONE round trip for both patients, each
//! on its own row: the patient with a penicillin allergy and a heart rate taken yesterday
//! (dated relative to the run's day) shows them; the patient with nothing recorded shows
//! "Not known", never "none" and never the other's data.

use serde_json::json;

use super::common::server_url;
use super::common::tui::{FakeWorker, app_for, draw, keys, press, runtime, screen_text};
use super::common::writes::{clean_up, client_of, fresh_patient};
use super::{delete, tag};
use ratatui::crossterm::event::KeyCode;
use rounds::app::lists::GlanceState;
use rounds::app::{Command, Msg, update};
use rounds::source::{DataSource, RemoteSource};

#[test]
fn the_ward_screen_shows_each_patients_glance_from_one_round_trip() {
    let rt = runtime();
    let client = client_of(&server_url());
    let (p, q) =
        rt.block_on(async { (fresh_patient(&client).await, fresh_patient(&client).await) });
    let t = tag();
    let ward = format!("rnd-ward-{t}");
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%dT09:10:00Z")
        .to_string();
    let encounter = |id: &str, patient: &str| {
        json!({
            "resourceType": "Encounter", "id": id, "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": format!("Patient/{patient}")},
            "period": {"start": yesterday.clone()},
            "location": [{"location": {"reference": format!("Location/{ward}"), "display": "Ward 4B"},
                          "status": "active"}]
        })
    };
    let encounters = [
        (
            format!("rnd-we1-{t}"),
            encounter(&format!("rnd-we1-{t}"), &p.id),
        ),
        (
            format!("rnd-we2-{t}"),
            encounter(&format!("rnd-we2-{t}"), &q.id),
        ),
    ];
    let allergy = json!({
        "resourceType": "AllergyIntolerance", "id": format!("rnd-wa-{t}"),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed"}]},
        "criticality": "high",
        "code": {"text": "Penicillin"},
        "patient": {"reference": format!("Patient/{}", p.id)}
    });
    let heart_rate = json!({
        "resourceType": "Observation", "id": format!("rnd-wo-{t}"), "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
        "subject": {"reference": format!("Patient/{}", p.id)},
        "effectiveDateTime": yesterday,
        "valueQuantity": {"value": 72.0, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}
    });
    rt.block_on(async {
        for (id, e) in &encounters {
            client.update("Encounter", id, e, None).await.unwrap();
        }
        client
            .update("AllergyIntolerance", &format!("rnd-wa-{t}"), &allergy, None)
            .await
            .unwrap();
        client
            .update("Observation", &format!("rnd-wo-{t}"), &heart_rate, None)
            .await
            .unwrap();
    });
    let source = RemoteSource::new(client_of(&server_url()));
    // What the server supports is known before counting (it decides batch or not).
    rt.block_on(source.capabilities()).unwrap();
    let worker = FakeWorker::on(&rt, &source);
    let mut app = app_for(&source);
    keys(&mut app, &format!(":ward {ward}"));
    let cmds = press(&mut app, KeyCode::Enter);
    worker.run(&mut app, cmds);
    let before = source.wire_stats().unwrap();
    let later = app.now + std::time::Duration::from_millis(400);
    let batch: Vec<Command> = update(&mut app, Msg::Clock(later))
        .into_iter()
        .filter(|c| matches!(c, Command::LoadGlances { .. }))
        .collect();
    worker.run(&mut app, batch.clone());
    let cost = source.wire_stats().unwrap().since(&before);
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    // Removed before anything is checked: a failed check leaves nothing behind.
    rt.block_on(async {
        for (id, _) in &encounters {
            delete(&client, "Encounter", id).await;
        }
        clean_up(&client, &p).await;
        clean_up(&client, &q).await;
    });
    assert!(
        matches!(batch.as_slice(), [Command::LoadGlances { patient_ids, .. }] if patient_ids.len() == 2),
        "{batch:?}"
    );
    assert_eq!(cost.round_trips, 1, "one batch for the rows in view");
    let lines: Vec<&str> = text.lines().collect();
    let row_of = |family: &str| {
        lines
            .iter()
            .position(|l| l.contains(&family.to_uppercase()))
            .unwrap_or_else(|| panic!("{family} not listed:\n{text}"))
    };
    let (pi, qi) = (row_of(&p.family), row_of(&q.family));
    // Each patient's glance on the line under their own row.
    assert!(
        lines[pi + 1].contains("Allergies: yes (1, high criticality)")
            && lines[pi + 1].contains("HR 72/"),
        "{text}"
    );
    // The whole line (cut at the screen's edge above), with its unit.
    match app.glances.of(&p.id) {
        Some(GlanceState::Loaded(g)) => {
            assert!(g.vitals.ends_with(" 09:10 HR 72/min"), "{g:?}");
            assert_eq!(g.patient_id, p.id);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        lines[qi + 1].contains("Allergies: Not known")
            && lines[qi + 1].contains("Vitals: Not known"),
        "{text}"
    );
    assert!(text.contains("05-May-1970"), "{text}");
}
