//! Key-sequence flows: command line

use super::*;

#[test]
fn command_line_patient_search_theme_and_quit() {
    let mut h = Harness::new();
    h.search("testwell");

    let commands = h.command_line("patient rnd-cora-lastday");
    assert!(
        matches!(commands.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == CORA)
    );
    assert_eq!(h.app.screen, Screen::Chart);
    let cora = h.loaded_chart().expect("Cora loaded");
    assert_eq!(cora.banner.patient_id, CORA);
    assert!(cora.banner.deceased.is_some());

    let commands = h.command_line("search kermit");
    match commands.as_slice() {
        [Command::Search { query, .. }] => assert_eq!(query.name.as_deref(), Some("kermit")),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.chart.is_none(), "the chart is dropped");
    assert_eq!(h.app.search.input.text(), "kermit");
    assert_eq!(h.result_ids(), [KERMIT]);

    assert_eq!(h.app.theme.name, "default");
    assert!(h.command_line("theme light").is_empty());
    assert_eq!(h.app.theme.name, "light");
    let status = h.app.status.clone().unwrap();
    assert!(!status.error, "{status:?}");
    assert!(status.text.contains("light"));

    assert!(h.command_line("theme nope").is_empty());
    assert_eq!(h.app.theme.name, "light", "a bad theme changes nothing");
    let status = h.app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(status.text.contains("nope"), "{status:?}");

    assert!(h.command_line("frobnicate").is_empty());
    assert!(h.app.status.as_ref().unwrap().error);
    assert!(h.command_line("patient").is_empty());
    assert!(h.app.status.as_ref().unwrap().text.contains(":patient ID"));

    // Esc abandons a command line.
    h.send(ch(':'));
    h.type_text("quit");
    h.send(key(KeyCode::Esc));
    assert_eq!(h.app.layers.top(), None);
    assert!(!h.app.quit);

    assert!(h.command_line("quit").is_empty());
    assert!(h.app.quit);
}

#[test]
fn colon_in_the_search_box_is_text() {
    let mut h = Harness::new();
    h.type_text("mrn:RND100101");
    assert_eq!(h.app.layers.top(), None);
    assert_eq!(h.app.search.input.text(), "mrn:RND100101");
}

/// Issue 12.12: a typed id that is not a FHIR id (`..` became a search of all patients on
/// a server) opens nothing and says why; an impossible birth date is not searched for.
#[test]
fn typed_ids_and_birth_dates_are_checked() {
    let mut h = Harness::new();
    h.search("testwell");
    for bad in ["..", ".", "a/b", "p1?x=1", "\u{1b}[2Jp"] {
        assert!(
            h.command_line(&format!("patient {bad}")).is_empty(),
            "{bad:?}"
        );
        let status = h.app.status.clone().unwrap();
        assert!(
            status.error && status.text.contains("is not a patient id"),
            "{status:?}"
        );
        assert!(!status.text.contains('\u{1b}'), "{status:?}");
        assert!(h.app.chart.is_none());
    }
    for (bad, why) in [
        ("smith 0000-01-01", "before 1850"),
        ("2999-01-01", "in the future"),
    ] {
        if !h.app.search.editing {
            h.char('/');
        }
        h.send(ctrl('u'));
        h.type_text(bad);
        assert!(h.press(KeyCode::Enter).is_empty(), "{bad} was searched for");
        let problem = h.app.search.problem.clone().unwrap_or_default();
        assert!(problem.contains(why), "{bad}: {problem:?}");
    }
}
