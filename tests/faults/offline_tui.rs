//! The offline copy in the real interactive screen (tmux, through the proxy): a patient of
//! the test's own is kept with `rounds sync` (its immunizations refused by the server while
//! it syncs), the link is lost, and the screen opens the chart from the copy with the
//! OFFLINE COPY line on every tab, the section not kept saying "not kept offline"; when
//! the link is back the line goes by itself (the chart asks the server again every 30 s,
//! keys pressed or not).

use std::sync::atomic::AtomicBool;

use super::common::server_url;
use super::common::tmux::{TmuxPane, sh_quote};
use super::common::writes::{clean_up, client_of, fresh_patient};
use super::*;

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
    let h = home.path();
    let env = format!(
        "env -u NO_COLOR -u ROUNDS_SERVER -u ROUNDS_PROFILE ROUNDS_TODAY=2026-11-22 \
         ROUNDS_CONFIG_DIR={} ROUNDS_STATE_DIR={} ROUNDS_CACHE_DIR={}",
        q(&h.join("config").display().to_string()),
        q(&h.join("state").display().to_string()),
        q(&h.join("cache").display().to_string()),
    );
    let bin = q(env!("CARGO_BIN_EXE_rounds"));
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
