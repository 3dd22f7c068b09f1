#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The write path in the real interactive screen (tmux, 80x24) against the real FHIR
//! server: a note written in the editor (a script standing in for `$EDITOR`), signed and
//! seen on the notes tab; vital signs with an implausible value, confirmed by a second
//! Enter, seen on the vitals tab. Each test writes to a patient of its own.

mod common;

use common::server_url;
use common::writes::{clean_up, client_of, fresh_patient, writing_tui};

#[tokio::test]
async fn a_note_from_the_editor_is_signed_and_shows_on_the_notes_tab() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (tui, home) = writing_tui("note", client.base_url(), &p.id, None);
    tui.wait_for(&["QXWRITE", "Allergies not known"]);
    tui.keys(&["n"]);
    let screen = tui.wait_for(&[
        "Progress note for QXWRITE",
        "A: stable on tmux",
        "s sign and send",
    ]);
    assert!(
        !screen.contains("Lines starting with"),
        "the header is not part of the note:\n{screen}"
    );
    assert!(screen.contains("kept as a draft already"), "{screen}");
    tui.keys(&["s"]);
    let screen = tui.wait_for(&["Sent: Progress note", "8 Notes", "A: stable on tmux"]);
    assert!(screen.contains("Final"), "{screen}");
    // Nothing left in the outbox, and no patient data anywhere in the state folder.
    let files = common::writes::files_with_bytes(&home.path().join("state"));
    assert!(
        files
            .iter()
            .all(|(_, b)| !String::from_utf8_lossy(b).contains("stable on tmux"))
    );
    assert!(files.is_empty(), "{files:?}");
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED:0"]);
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn implausible_vital_signs_are_recorded_after_a_second_enter() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let (tui, _home) = writing_tui("vitals", client.base_url(), &p.id, None);
    tui.wait_for(&["QXWRITE", "Allergies not known"]);
    tui.keys(&["v"]);
    tui.wait_for(&["Vital signs for QXWRITE", "F2 unit"]);
    tui.type_text("250/90");
    tui.keys(&["Tab"]);
    tui.type_text("72");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["Check: systolic 250 mmHg", "Enter again records"]);
    assert!(screen.contains("H"), "{screen}");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["Sent: BP 250/90", "250/90 mmHg", "72/min"]);
    assert!(screen.contains("Latest"), "{screen}");
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED:0"]);
    clean_up(&client, &p).await;
}
