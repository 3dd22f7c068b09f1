//! The link lost mid-send in the real interactive screen (tmux, through the proxy): the
//! note is kept and the status line counts it; quitting asks first; the next start, with
//! the link back, sends it once.

use super::common::server_url;
use super::common::writes::{clean_up, client_of, count, fresh_patient, writing_tui};
use super::*;

#[tokio::test]
async fn a_link_lost_mid_send_shows_in_the_outbox_count_and_the_next_start_sends_it() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let ids: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
    let seen = ids.clone();
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.method == "POST" && req.path() == "/DocumentReference" {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let i = &body["identifier"][0];
            seen.lock().unwrap().push(format!(
                "{}|{}",
                i["system"].as_str().unwrap_or(""),
                i["value"].as_str().unwrap_or("")
            ));
            return Fault::Drop;
        }
        Fault::Pass(resp)
    });
    let mark = tempfile::tempdir().unwrap();
    let go = mark.path().join("go");
    let (tui, _home) = writing_tui("lost", proxy.url(), &p.id, Some(&go));
    tui.wait_for(&["QXWRITE", "Allergies not known"]);
    tui.keys(&["n"]);
    tui.wait_for(&["s sign and send"]);
    tui.keys(&["s"]);
    tui.wait_for(&["outbox 1 waiting"]);
    tui.keys(&["q"]);
    tui.wait_for(&["not sent yet", "sent at the next start", "y yes"]);
    tui.keys(&["y"]);
    tui.wait_for(&["EXITED:0"]);
    // The link is back: the next start sends what waited.
    proxy.heal();
    std::fs::write(&go, b"").unwrap();
    tui.wait_for(&["Sent 1 write(s) from the outbox"]);
    let id = ids.lock().unwrap()[0].clone();
    assert_eq!(count(&client, "DocumentReference", &id).await, 1);
    tui.keys(&["q"]);
    tui.wait_for(&["EXITED-AGAIN:0"]);
    clean_up(&client, &p).await;
}
