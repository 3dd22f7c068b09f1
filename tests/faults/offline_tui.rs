//! The offline copy in the real interactive screen (tmux, through the proxy): a patient of
//! the test's own is kept with `rounds sync` (its immunizations refused by the server while
//! it syncs), the link is lost, and the screen opens the chart from the copy with the
//! OFFLINE COPY line on every tab, the section not kept saying "not kept offline"; when
//! the link is back the line goes by itself (the chart asks the server again every 30 s,
//! keys pressed or not). And the background sync: with a pinned patient, the screen keeps
//! its chart by itself shortly after the start and says so on the status line.

use std::sync::atomic::AtomicBool;

use super::common::server_url;
use super::common::tmux::{TmuxPane, sh_quote};
use super::common::writes::{clean_up, client_of, fresh_patient};
use super::*;

/// The environment of a run in `home`'s folders, and the binary, quoted for `sh`.
fn env_of(h: &std::path::Path) -> (String, String) {
    let q = sh_quote;
    let env = format!(
        "env -u NO_COLOR -u ROUNDS_SERVER -u ROUNDS_PROFILE ROUNDS_TODAY=2026-11-22 \
         ROUNDS_CONFIG_DIR={} ROUNDS_STATE_DIR={} ROUNDS_CACHE_DIR={}",
        q(&h.join("config").display().to_string()),
        q(&h.join("state").display().to_string()),
        q(&h.join("cache").display().to_string()),
    );
    (env, q(env!("CARGO_BIN_EXE_rounds")))
}

#[tokio::test]
async fn the_offline_copy_line_shows_on_every_tab_and_goes_when_the_link_is_back() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let down = Arc::new(AtomicBool::new(false));
    let lost = down.clone();
    let proxy = Proxy::start(move |req: &Request, resp| {
        if lost.load(Ordering::SeqCst) {
            return Fault::Drop;
        }
        // While it syncs, the server refuses the immunizations: not kept.
        if req.is_get("/Immunization") {
            return Fault::Pass(Answer::json(
                500,
                &json!({"resourceType": "OperationOutcome",
                    "issue": [{"severity": "error", "code": "exception"}]}),
            ));
        }
        Fault::Pass(resp)
    });
    let home = tempfile::tempdir().unwrap();
    let go = home.path().join("go");
    let q = sh_quote;
    let (env, bin) = env_of(home.path());
    let (id, url, go_q) = (&p.id, proxy.url(), q(&go.display().to_string()));
    let inner = format!(
        "{env} {bin} login --profile w --server {url} --auth none --store keyutils >/dev/null; \
         {env} {bin} login --profile w --offline >/dev/null; \
         {env} {bin} --profile w --batch never sync --patient {id} >/dev/null 2>&1; \
         echo SYNCED:$?; while [ ! -f {go_q} ]; do sleep 0.1; done; \
         {env} {bin} --profile w --patient {id}; echo EXITED:$?; sleep 600"
    );
    let tui = TmuxPane::start(
        "rounds-offline",
        "copy",
        (80, 24),
        &format!("keyctl session - sh -c {}", q(&inner)),
        Duration::from_secs(50),
    );
    tui.wait_for(&["SYNCED:0"]);
    // The link is lost; the screen starts.
    down.store(true, Ordering::SeqCst);
    std::fs::write(&go, "").unwrap();
    tui.wait_for(&["OFFLINE COPY — as of", "QXWRITE"]);
    for tab in ["2", "3", "4", "5", "6", "7", "8", "9", "1"] {
        tui.keys(&[tab]);
        let screen = tui.wait_for(&["OFFLINE COPY — as of"]);
        assert!(screen.contains("QXWRITE"), "tab {tab}:\n{screen}");
        if tab == "7" {
            tui.wait_for(&["not kept offline"]);
        }
    }
    // The asks made while the link was down have given up (a few quick retries): the
    // line can only go by the next periodic ask.
    std::thread::sleep(Duration::from_secs(4));
    // The link is back: within the re-ask period (30 s) the server's chart takes the
    // copy's place, with no key pressed.
    down.store(false, Ordering::SeqCst);
    let back = Instant::now();
    tui.wait_until("the OFFLINE COPY line to go", |s| {
        !s.contains("OFFLINE COPY") && s.contains("QXWRITE")
    });
    assert!(
        back.elapsed() < Duration::from_secs(35),
        "{:?}",
        back.elapsed()
    );
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED:0"]);
    clean_up(&client, &p).await;
}

#[tokio::test]
async fn the_screen_syncs_a_pinned_patient_by_itself_and_says_when() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let proxy = Proxy::start(|_req: &Request, resp| Fault::Pass(resp));
    let home = tempfile::tempdir().unwrap();
    let (env, bin) = env_of(home.path());
    let (id, url) = (&p.id, proxy.url());
    // Pinned (and kept once) from the command line; the screen opens on the search.
    let inner = format!(
        "{env} {bin} login --profile w --server {url} --auth none --store keyutils >/dev/null; \
         {env} {bin} login --profile w --offline >/dev/null; \
         {env} {bin} --profile w sync --pin {id} >/dev/null 2>&1; echo PINNED:$?; \
         {env} {bin} --profile w; echo EXITED:$?; sleep 600"
    );
    let tui = TmuxPane::start(
        "rounds-offline",
        "bg",
        (120, 24),
        &format!("keyctl session - sh -c {}", sh_quote(&inner)),
        Duration::from_secs(60),
    );
    tui.wait_for(&["offline copies kept"]);
    let started = Instant::now();
    // The first sync comes 20 s after the start, with no key pressed. It keeps the pinned
    // patient and today's booked ones (other tests' on the shared server): 1 or more.
    let screen = tui.wait_for(&["offline copies kept · synced ", " kept "]);
    assert!(started.elapsed() < Duration::from_secs(45), "{screen}");
    let kept: usize = screen
        .split("synced ")
        .nth(1)
        .and_then(|t| t.split(": ").nth(1))
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in:\n{screen}"));
    assert!(kept >= 1, "{screen}");
    // Only counts on the status line: no patient is named there.
    assert!(!screen.contains(&p.family.to_uppercase()), "{screen}");
    // The search box takes letters: Ctrl-C quits.
    tui.keys(&["C-c"]);
    // The pin was made before the screen started (its output is back after the exit).
    tui.wait_for(&["PINNED:0", "EXITED:0"]);
    clean_up(&client, &p).await;
}
