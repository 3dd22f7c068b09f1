//! Hostile data: the chart model

use super::*;

fn check_charts(source: &dyn DataSource, rt: &tokio::runtime::Runtime, server: bool) {
    for id in PATIENTS {
        let record = match rt.block_on(source.record(id, &Section::ALL)) {
            Ok(r) => r,
            // See `deep_nesting_the_server_accepts`.
            Err(e) if server && id == DEEP => {
                assert_inert("deep chart error", &e.to_string());
                continue;
            }
            Err(e) => panic!("{id}: {e}"),
        };
        let chart = Chart::build(&record, today());
        let json = serde_json::to_string(&chart).unwrap();
        serde_json::from_str::<Value>(&json).unwrap();
        let _ = chart.cover_sheet();
        match id {
            ESCAPES => {
                assert!(
                    chart.banner.name.contains('\u{1b}'),
                    "kept raw in the model"
                );
                assert!(
                    json.contains("\\u001b]52;c;"),
                    "OSC 52 kept raw in the model"
                );
            }
            UNICODE => {
                for s in UNICODE_SURVIVES {
                    assert!(json.contains(s), "{s:?} lost from the model");
                }
            }
            MALFORMED => {
                let unreadable = |ty: &str| {
                    chart
                        .warnings
                        .iter()
                        .any(|w| w.contains(ty) && w.contains("unreadable"))
                };
                for ty in ["Observation", "Condition", "MedicationRequest"] {
                    assert!(unreadable(ty), "{ty}: {:?}", chart.warnings);
                }
                assert!(
                    !json.contains("NEIGHBOUR-ONLY"),
                    "the neighbour's data: {json}"
                );
                // A resource naming two patients is filed under the one its type is
                // searched by (`patient` for AllergyIntolerance and Immunization), by the
                // file reader as by the server: the neighbour's never reaches this chart.
            }
            _ => {}
        }
    }
}

#[test]
fn charts_from_files() {
    check_charts(&local(), &runtime(), false);
}

#[test]
fn charts_from_the_server() {
    let rt = runtime();
    check_charts(&remote(&rt), &rt, true);
}
