use serde_json::json;

use super::*;
use crate::fhir::RecordBuilder;

fn record() -> PatientRecord {
    let mut b = RecordBuilder::new(json!({
        "resourceType": "Patient", "id": "pt-kept-0001",
        "name": [{"family": "Keptson", "given": ["Ada"]}],
        "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}, "value": "MRN-4242"}],
        "birthDate": "1950-01-02", "gender": "female"
    }))
    .unwrap();
    b.add(
        json!({"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/pt-kept-0001"},
        "code": {"text": "Asthma"}, "clinicalStatus": {"coding": [{"code": "active"}]}}),
    );
    b.add(
        json!({"resourceType": "MedicationRequest", "id": "m1", "status": "active",
        "intent": "order", "subject": {"reference": "Patient/pt-kept-0001"},
        "medicationCodeableConcept": {"text": "Zestoretic 10 mg tablet"},
        "dosageInstruction": [{"text": "1 daily"}]}),
    );
    b.add(
        json!({"resourceType": "Observation", "id": "o1", "status": "final",
        "subject": {"reference": "Patient/pt-kept-0001"}, "code": {"text": "Sodium"},
        "category": [{"coding": [{"code": "laboratory"}]}],
        "effectiveDateTime": "2026-12-01T08:00:00Z",
        "valueQuantity": {"value": 139, "unit": "mmol/L"}}),
    );
    b.add(
        json!({"resourceType": "Observation", "id": "o2", "status": "entered-in-error",
        "subject": {"reference": "Patient/pt-kept-0001"}, "code": {"text": "Potassium"},
        "valueQuantity": {"value": 9, "unit": "mmol/L"}}),
    );
    for s in [
        Section::Allergies,
        Section::Problems,
        Section::Medications,
        Section::Labs,
    ] {
        b.mark_loaded(s);
    }
    b.mark_failed(Section::Notes, "the server refused".into());
    b.finish()
}

fn now() -> DateTime<Utc> {
    time(1_800_000_000)
}

fn store(dir: &Path, limits: Limits) -> OfflineStore {
    let d = OfflineStore::dir(dir, "clinic", "http://ehr/fhir");
    OfflineStore::open(d, VaultKey::generate(), "clinic", "http://ehr/fhir", limits).unwrap()
}

#[test]
fn a_copy_comes_back_as_the_same_record_and_nothing_readable_is_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    let r = record();
    s.put("pt-kept-0001", &r, vec![], now()).unwrap();
    let kept = s.get("pt-kept-0001", &Section::ALL, now()).unwrap();
    assert_eq!(kept.as_of, now());
    let back = kept.record;
    assert_eq!(back.patient, r.patient);
    assert_eq!(back.conditions, r.conditions);
    assert_eq!(back.medication_requests, r.medication_requests);
    assert_eq!(back.observations, r.observations);
    assert_eq!(back.held, r.held);
    assert_eq!(
        back.failed.get(&Section::Notes).unwrap(),
        "not kept offline (when kept: the server refused)"
    );
    // A section the copy does not hold says so; a kept empty one stays empty.
    assert_eq!(back.failed.get(&Section::Vitals).unwrap(), NOT_KEPT);
    assert!(!back.failed.contains_key(&Section::Allergies));
    // File names are random; no name, MRN, id or medication in any file (the id is long
    // enough that random ciphertext does not hold it by chance, as a 2-byte one could).
    for entry in walk(dir.path()) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains("pt-kept-0001"), "{name}");
        let bytes = std::fs::read(&entry).unwrap();
        for needle in ["Keptson", "MRN-4242", "Zestoretic", "pt-kept-0001"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} in {name}"
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn an_old_copy_is_deleted_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.put("pt-kept-0001", &record(), vec![], now()).unwrap();
    let later = now() + chrono::Duration::hours(25);
    assert!(matches!(
        s.get("pt-kept-0001", &Section::ALL, later),
        Err(OfflineError::TooOld { hours: 24 })
    ));
    assert!(matches!(
        s.get("pt-kept-0001", &Section::ALL, now()),
        Err(OfflineError::NoCopy)
    ));
    assert_eq!(s.vault.names().unwrap(), ["index"]);
}

#[test]
fn a_changed_file_is_refused_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.put("pt-kept-0001", &record(), vec![], now()).unwrap();
    let file = s
        .vault
        .names()
        .unwrap()
        .into_iter()
        .find(|n| n != "index")
        .unwrap();
    let path = s.folder().join(format!("{file}.sealed"));
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    let err = s.get("pt-kept-0001", &Section::ALL, now()).unwrap_err();
    assert!(matches!(err, OfflineError::Refused));
    assert!(err.to_string().starts_with("no offline copy"));
    assert!(!path.exists());
    assert_eq!(s.refused(), 1);
}

#[test]
fn a_changed_index_takes_every_copy_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.put("pt-kept-0001", &record(), vec![], now()).unwrap();
    let path = s.folder().join("index.sealed");
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, bytes).unwrap();
    assert!(matches!(
        s.get("pt-kept-0001", &Section::ALL, now()),
        Err(OfflineError::NoCopy)
    ));
    assert_eq!(walk(s.folder()).len(), 0);
}

#[test]
fn past_the_size_cap_the_oldest_copies_go() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.put("pt-kept-0001", &record(), vec![], now()).unwrap();
    let one = s.usage().unwrap().1;
    let s = OfflineStore::open(
        s.folder().to_path_buf(),
        s.vault_key_for_tests(),
        "clinic",
        "http://ehr/fhir",
        Limits {
            max_age_hours: 24,
            max_bytes: one * 2 + one / 2,
        },
    )
    .unwrap();
    for (n, p) in ["p2", "p3"].iter().enumerate() {
        s.put(
            p,
            &record_of(p),
            vec![],
            now() + chrono::Duration::minutes(n as i64 + 1),
        )
        .unwrap();
    }
    let kept: Vec<String> = s
        .patients(now())
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(kept, ["p3", "p2"]);
    assert_eq!(walk(s.folder()).len(), 3);
}

fn record_of(id: &str) -> PatientRecord {
    let mut r = record();
    r.patient.id = Some(id.into());
    r
}

#[test]
fn opens_are_remembered_sealed() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.note_open("p9", now()).unwrap();
    assert_eq!(s.opened_within(12, now()), ["p9"]);
    assert!(
        s.opened_within(12, now() + chrono::Duration::hours(13))
            .is_empty()
    );
    assert!(remove_profile(dir.path(), "clinic", None).unwrap() >= 1);
    assert!(!profile_dir(dir.path(), "clinic").exists());
}

fn reopen(s: &OfflineStore, limits: Limits) -> OfflineStore {
    OfflineStore::open(
        s.folder().to_path_buf(),
        s.vault_key_for_tests(),
        "clinic",
        "http://ehr/fhir",
        limits,
    )
    .unwrap()
}

#[test]
fn pinned_patients_go_last_past_the_size_cap_and_still_expire() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), Limits::default());
    s.put("pt-kept-0001", &record(), vec![], now()).unwrap();
    let one = s.usage().unwrap().1;
    assert_eq!(s.set_pins(&["pt-kept-0001".into()], true).unwrap(), 1);
    // Pinning twice changes nothing; the pins are in the sealed index only.
    assert_eq!(s.set_pins(&["pt-kept-0001".into()], true).unwrap(), 0);
    let s = reopen(
        &s,
        Limits {
            max_age_hours: 24,
            max_bytes: one * 2 + one / 2,
        },
    );
    for (n, p) in ["p2", "p3"].iter().enumerate() {
        let at = now() + chrono::Duration::minutes(n as i64 + 1);
        s.put(p, &record_of(p), vec![], at).unwrap();
    }
    let kept: Vec<String> = s
        .patients(now())
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    // The oldest unpinned copy went, not the pinned one (older still).
    assert_eq!(kept, ["p3", "pt-kept-0001"]);
    assert_eq!(s.pins().unwrap(), ["pt-kept-0001"]);
    // Past the maximum age a pinned copy is deleted like any other (the pin stays).
    let later = now() + chrono::Duration::hours(25);
    s.prune(later).unwrap();
    assert!(matches!(
        s.get("pt-kept-0001", &[], later),
        Err(OfflineError::NoCopy)
    ));
    assert_eq!(s.pins().unwrap(), ["pt-kept-0001"]);
    assert!(!s.toggle_pin("pt-kept-0001").unwrap());
    assert!(s.pins().unwrap().is_empty());
    assert!(s.toggle_pin("p3").unwrap());
}

#[test]
fn two_writers_at_the_same_moment_both_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let first = store(dir.path(), Limits::default());
    let second = reopen(&first, Limits::default());
    const EACH: usize = 25;
    std::thread::scope(|scope| {
        // One writer keeps copies (as `rounds sync` does), the other notes opens and
        // pins (as the screen does); each rewrites the whole index every time.
        scope.spawn(|| {
            for n in 0..EACH {
                let id = format!("sync-{n}");
                first.put(&id, &record_of(&id), vec![], now()).unwrap();
            }
        });
        scope.spawn(|| {
            for n in 0..EACH {
                second.note_open(&format!("open-{n}"), now()).unwrap();
                second.set_pins(&[format!("pin-{n}")], true).unwrap();
            }
        });
    });
    assert_eq!(first.patients(now()).unwrap().len(), EACH);
    assert_eq!(first.opened_within(1, now()).len(), EACH);
    assert_eq!(first.pins().unwrap().len(), EACH);
    // Every file on disk is named by the index (no copy lost to a concurrent rewrite).
    assert_eq!(walk(first.folder()).len(), EACH + 1);
}
