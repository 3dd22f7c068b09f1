//! Every tab of each demo patient: Ada (allergies, flags, notes), Cora (deceased, allergies
//! not known), Ben (an infant, NKA), Dee (a sparse record) and a Synthea patient.

use super::*;

#[test]
fn ada_every_tab() {
    let mut app = demo_chart(ADA);
    for (n, name) in [
        ('1', "cover"),
        ('2', "problems"),
        ('3', "medications"),
        ('4', "results"),
        ('5', "vitals"),
        ('6', "encounters"),
        ('7', "immunizations"),
        ('8', "notes"),
        ('9', "procedures"),
    ] {
        keys(&mut app, &n.to_string());
        snap(&format!("ada_{n}_{name}"), &mut app);
    }
}

#[test]
fn cora_deceased_allergies_not_known() {
    let mut app = demo_chart(CORA);
    snap("cora_cover", &mut app);
    keys(&mut app, "3");
    snap("cora_medications", &mut app);
    keys(&mut app, "4");
    snap("cora_results", &mut app);
}

#[test]
fn ben_infant_nka() {
    let mut app = demo_chart(BEN);
    snap("ben_cover", &mut app);
    keys(&mut app, "5");
    snap("ben_vitals", &mut app);
    keys(&mut app, "7");
    snap("ben_immunizations", &mut app);
}

#[test]
fn dee_sparse_record() {
    let mut app = demo_chart(DEE);
    for (n, name) in [
        ('1', "cover"),
        ('2', "problems"),
        ('3', "medications"),
        ('4', "results"),
        ('5', "vitals"),
        ('6', "encounters"),
        ('8', "notes"),
    ] {
        keys(&mut app, &n.to_string());
        snap(&format!("dee_{n}_{name}"), &mut app);
    }
    keys(&mut app, "4c");
    snap("dee_results_cumulative", &mut app);
    keys(&mut app, "c3");
    press(&mut app, KeyCode::Enter);
    snap("dee_medication_detail", &mut app);
}

#[test]
fn synthea_results_and_encounters() {
    let mut app = demo_chart(SYNTHEA);
    snap("synthea_cover", &mut app);
    keys(&mut app, "4");
    snap("synthea_results", &mut app);
    keys(&mut app, "c");
    snap("synthea_results_cumulative", &mut app);
    keys(&mut app, "6");
    snap("synthea_encounters", &mut app);
    // The last page of a long list keeps the selection on screen.
    press(&mut app, KeyCode::End);
    snap("synthea_encounters_end", &mut app);
}
