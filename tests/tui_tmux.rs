#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of the interactive screen: the real `rounds` binary runs in a private
//! tmux server (80x24), keys go in with `send-keys`, and the screen is read back with
//! `capture-pane`, polling until the expected text shows (never a fixed sleep). The tests
//! marked "real server" need `ROUNDS_TEST_FHIR_URL` (see tests/common/mod.rs).

mod common;

use std::ops::Deref;
use std::time::Duration;

use common::server_url;
use common::tmux::{TmuxPane, sh_quote};

/// The date every run uses, so ages are stable.
const TODAY: &str = "2026-11-22";
/// How long to wait for the screen to show something.
const TIMEOUT: Duration = Duration::from_secs(10);

const ADA_BANNER: &str = "TESTWELL, Ada Quinn (Mrs)  Born 04-Mar-1958 (68y)  Female  MRN RND100101";

/// `rounds ARGS` running in its own tmux server; the server is killed when this is dropped,
/// whether the test passed or not.
struct Tui {
    pane: TmuxPane,
    _config: tempfile::TempDir,
}

impl Deref for Tui {
    type Target = TmuxPane;
    fn deref(&self) -> &TmuxPane {
        &self.pane
    }
}

impl Tui {
    /// Start `rounds ARGS` at 80x24 with a fixed today, an empty config directory and
    /// `env` added. The shell prints `EXITED:<code>` when rounds ends and keeps the pane open.
    fn start(name: &str, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let config = tempfile::tempdir().unwrap();
        let mut script = String::from("env -u NO_COLOR -u ROUNDS_SERVER -u ROUNDS_TOKEN");
        let mut vars: Vec<(String, String)> = vec![
            ("ROUNDS_TODAY".into(), TODAY.into()),
            (
                "ROUNDS_CONFIG_DIR".into(),
                config.path().display().to_string(),
            ),
            (
                "ROUNDS_CACHE_DIR".into(),
                config.path().join("cache").display().to_string(),
            ),
        ];
        vars.extend(env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        for (k, v) in &vars {
            script.push(' ');
            script.push_str(&sh_quote(&format!("{k}={v}")));
        }
        script.push(' ');
        script.push_str(&sh_quote(env!("CARGO_BIN_EXE_rounds")));
        for a in args {
            script.push(' ');
            script.push_str(&sh_quote(a));
        }
        // After rounds: its exit code, and whether the terminal is back in line mode with
        // echo on.
        script.push_str(
            "; echo EXITED:$?; M=$(stty -a | tr ' ;' '\\n\\n'); \
             echo \"$M\" | grep -qx icanon && echo \"$M\" | grep -qx echo \
             && echo TTY:cooked || echo TTY:raw; sleep 60",
        );
        Tui {
            pane: TmuxPane::start("rounds-test", name, (80, 24), &script, TIMEOUT),
            _config: config,
        }
    }

    /// Wait until some line shows every one of `parts`; that line.
    fn wait_for_line(&self, parts: &[&str]) -> String {
        let screen = self.wait_until(&format!("a line with {parts:?}"), |s| {
            s.lines().any(|l| parts.iter().all(|p| l.contains(p)))
        });
        screen
            .lines()
            .find(|l| parts.iter().all(|p| l.contains(p)))
            .unwrap()
            .to_owned()
    }

    /// Wait until the screen no longer shows `text`.
    fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to go"), |s| !s.contains(text))
    }

    /// Wait for rounds to end; its exit code and the screen after.
    fn wait_exit(&self) -> (i32, String) {
        let screen = self.wait_for(&["EXITED:"]);
        let code = screen
            .lines()
            .find_map(|l| l.trim().strip_prefix("EXITED:"))
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or_else(|| panic!("no exit code on the screen:\n{screen}"));
        (code, screen)
    }

    /// Wait for rounds to end with code 0, with nothing of the patient left on screen.
    fn wait_clean_exit(&self, patient_text: &str) {
        let (code, screen) = self.wait_exit();
        assert_eq!(
            code, 0,
            "rounds did not exit cleanly; the screen:\n{screen}"
        );
        assert!(
            !screen.contains(patient_text),
            "patient data left on the screen after exit:\n{screen}"
        );
        assert!(
            !screen.contains("error"),
            "an error was printed on exit:\n{screen}"
        );
    }

    /// The process id of rounds: the pane's shell's child.
    fn rounds_pid(&self) -> u32 {
        let shell: u32 = self
            .tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .trim()
            .parse()
            .unwrap();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // pid (comm) state ppid ...
            let Some(after) = stat.rsplit_once(')').map(|(_, a)| a) else {
                continue;
            };
            let ppid = after.split_whitespace().nth(1).and_then(|p| p.parse().ok());
            if ppid == Some(shell) && stat.contains("(rounds)") {
                return entry.file_name().to_string_lossy().parse().unwrap();
            }
        }
        panic!("no rounds process under the pane's shell {shell}");
    }

    /// The search screen is up and taking keys.
    fn wait_ready(&self) {
        self.wait_for(&["Find a patient"]);
    }

    /// Type a search and press Enter.
    fn search(&self, text: &str) {
        self.type_text(text);
        self.keys(&["Enter"]);
    }
}

/// Whether captured text (`capture-pane -e`) sets any foreground or background colour.
fn has_colour(escaped: &str) -> bool {
    escaped.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find('m') else {
            return false;
        };
        seq[..end].split(';').any(|p| {
            p.parse::<u16>().is_ok_and(|n| {
                (30..=38).contains(&n) || (40..=48).contains(&n) || (90..=107).contains(&n)
            })
        })
    })
}

// ---------------------------------------------------------------------------------------
// Against the real FHIR server
// ---------------------------------------------------------------------------------------

#[test]
fn real_server_lookalikes_chart_tabs_and_a_clean_quit() {
    let url = server_url();
    let tui = Tui::start("ada", &["--server", &url], &[]);
    tui.wait_ready();
    tui.search("testwell");
    let screen = tui.wait_for(&["2 patients found"]);
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| l.starts_with("TESTWELL, Ada Quinn (Mrs)"))
        .collect();
    assert_eq!(rows.len(), 2, "{screen}");
    assert!(rows.iter().all(|r| r.contains("LOOK-ALIKE")), "{screen}");
    assert!(rows.iter().any(|r| r.contains("RND100101")), "{screen}");
    assert!(rows.iter().any(|r| r.contains("RND100105")), "{screen}");

    // Look-alikes list in a stable order (name, birth date, MRN), whatever the server's
    // order: RND100101 first. Open it.
    assert!(rows[0].contains("RND100101"), "{screen}");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&[ADA_BANNER, "ALLERGIES (2)"]);
    assert!(!screen.contains("RND100105"), "{screen}");

    tui.keys(&["3"]);
    tui.wait_for(&[
        "Lisinopril 10 mg tablet",
        "10 mg by mouth once a day",
        "0.5 tablet by mouth every 6 hours as needed for pain",
    ]);

    tui.keys(&["4"]);
    let tsh = tui.wait_for_line(&["TSH", "0.005", "mIU/L"]);
    assert!(tsh.trim_end().ends_with("LL"), "{tsh:?}");
    let k = tui.wait_for_line(&["Potassium", "6.8", "mmol/L"]);
    assert!(k.trim_end().ends_with("HH"), "{k:?}");

    tui.keys(&["q"]);
    tui.wait_clean_exit("TESTWELL");
}

#[test]
fn real_server_synthea_patient_by_name() {
    let url = server_url();
    let tui = Tui::start("kermit", &["--server", &url], &[]);
    tui.wait_ready();
    tui.search("kermit");
    tui.wait_for(&["1 patient found", "TRANTOW, Kermit (Mr)"]);
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["TRANTOW, Kermit (Mr)", "Active problems"]);
    assert!(screen.starts_with(" TRANTOW, Kermit (Mr)"), "{screen}");
    tui.keys(&["5"]);
    let screen = tui.wait_for(&["DATE", "VITAL", "Latest:"]);
    assert!(screen.contains("BP "), "{screen}");
    assert!(screen.contains("mmHg"), "{screen}");
    assert!(screen.contains("kg"), "{screen}");
}

// ---------------------------------------------------------------------------------------
// The built-in demo
// ---------------------------------------------------------------------------------------

#[test]
fn demo_deceased_patient_opened_from_the_command_line() {
    let tui = Tui::start("cora", &["--demo", "--patient", "rnd-cora-lastday"], &[]);
    let screen = tui.wait_for(&["DIED 14-FEB-2026", "ALLERGIES NOT KNOWN"]);
    assert!(screen.contains("LASTDAY, Cora May (Mrs)"), "{screen}");
    assert!(screen.contains("DEMO (synthetic)"), "{screen}");
}

#[test]
fn demo_help_theme_and_no_color() {
    let tui = Tui::start("help", &["--demo"], &[]);
    tui.wait_ready();
    tui.search("testwell");
    tui.wait_for(&["2 patients found"]);
    assert!(has_colour(&tui.screen_with_escapes()));

    // The keys of the screen in use come first, then the ones that work everywhere.
    tui.keys(&["?"]);
    tui.wait_for(&[
        "Keys",
        "Patient search",
        "Open the selected patient's chart",
        "Quit rounds",
    ]);
    // Paging reaches the chart's keys; G goes to the end and stays inside the help.
    tui.keys(&["NPage"]);
    tui.wait_for(&["Keys", "Cover sheet"]);
    tui.keys(&["G"]);
    tui.wait_for(&["Keys", "Filter the keys shown"]);
    tui.keys(&["Escape"]);
    let screen = tui.wait_gone("Filter the keys shown");
    assert!(screen.contains("2 patients found"), "{screen}");
    assert!(!screen.contains("Keys ("), "{screen}");

    tui.type_text(":theme monochrome");
    tui.keys(&["Enter"]);
    tui.wait_for(&["Theme 'monochrome'", "2 patients found"]);
    assert!(
        !has_colour(&tui.screen_with_escapes()),
        "the monochrome theme has no colours"
    );
    drop(tui);

    let tui = Tui::start(
        "nocolor",
        &["--demo", "--patient", "rnd-ada-testwell"],
        &[("NO_COLOR", "1")],
    );
    tui.wait_for(&[ADA_BANNER, "ALLERGIES (2)"]);
    let escaped = tui.screen_with_escapes();
    assert!(
        !has_colour(&escaped),
        "NO_COLOR run used colour:\n{escaped:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Errors leave the terminal usable
// ---------------------------------------------------------------------------------------

#[test]
fn a_bad_theme_exits_2_before_the_screen_starts() {
    let tui = Tui::start("badtheme", &["--demo", "--theme", "nope"], &[]);
    let (code, screen) = tui.wait_exit();
    assert_eq!(code, 2, "{screen}");
    assert!(
        screen.contains("rounds: error: no theme called 'nope'"),
        "{screen}"
    );
    assert!(!screen.contains("Find a patient"), "{screen}");
}

#[test]
fn an_unreachable_server_is_an_error_on_screen_and_rounds_keeps_working() {
    let tui = Tui::start("refused", &["--server", "http://127.0.0.1:9"], &[]);
    tui.wait_ready();
    tui.search("testwell");
    let screen = tui.wait_for(&["The search failed", "refused"]);
    assert!(screen.contains("127.0.0.1:9"), "{screen}");

    // Esc clears the box; another search runs and fails the same way.
    tui.keys(&["Escape"]);
    tui.wait_gone("testwell");
    tui.search("kermit");
    tui.wait_for(&["kermit", "The search failed", "refused"]);
    tui.keys(&["Escape"]);
    tui.wait_gone("kermit");
    // The keys still go to the search box (q is a letter there); Ctrl-C quits.
    tui.keys(&["C-c"]);
    tui.wait_clean_exit("The search failed");
}

// ---------------------------------------------------------------------------------------
// Resize
// ---------------------------------------------------------------------------------------

#[test]
fn a_resize_redraws_the_chart_at_the_new_size() {
    let tui = Tui::start("resize", &["--demo", "--patient", "rnd-ada-testwell"], &[]);
    // Nine tabs at 80 columns: the short titles, one space apart.
    let screen = tui.wait_for(&[ADA_BANNER, "1 Cover 2 Problems 3 Meds", "9 Procs"]);
    assert!(!screen.contains("Cover sheet"), "{screen}");
    assert_eq!(screen.lines().count(), 24);

    tui.tmux(&["resize-window", "-t", "t", "-x", "120", "-y", "40"]);
    // Wait for the whole redrawn frame (a capture can land in the middle of a draw).
    let screen = tui.wait_until("the chart redrawn at 120x40", |s| {
        let lines: Vec<&str> = s.lines().collect();
        [
            "1 Cover sheet",
            "3 Medications",
            "6 Encounters",
            "7 Immunizations",
            "9 Procedures",
        ]
        .iter()
        .all(|t| s.contains(t))
            && lines.len() == 40
            && lines[39].contains("DEMO (synthetic)")
    });
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), 40, "{screen}");
    assert!(lines[0].contains(ADA_BANNER), "{screen}");
    assert!(
        lines[39].contains("DEMO (synthetic)"),
        "the status line moved to the new bottom row:\n{screen}"
    );
    // Wider columns show text that was cut at 80.
    assert!(
        screen.contains("Chronic kidney disease stage 3 (provisional)"),
        "{screen}"
    );

    // Back to narrow: the short titles return.
    tui.tmux(&["resize-window", "-t", "t", "-x", "80", "-y", "24"]);
    tui.wait_until("short titles at 80 columns", |s| {
        s.contains("1 Cover 2 Problems 3 Meds") && !s.contains("Cover sheet")
    });
}

// The idle lock, driven with a short limit
// ---------------------------------------------------------------------------------------

#[test]
fn the_idle_lock_counts_down_clears_the_chart_and_resumes_after_enter() {
    let tui = Tui::start(
        "lock",
        &[
            "--demo",
            "--patient",
            "rnd-ada-testwell",
            "--idle-lock",
            "4s",
        ],
        &[],
    );
    tui.wait_for(&[ADA_BANNER]);
    tui.keys(&["3"]);
    tui.wait_for(&["Lisinopril"]);
    // A 4 s limit warns for its last fifth: the countdown box over the chart.
    let screen = tui.wait_for(&["Idle lock", "Locking in"]);
    assert!(screen.contains(ADA_BANNER), "{screen}");
    // Then the lock: nothing of the patient is left on screen.
    let screen = tui.wait_for(&["LOCKED", "without input"]);
    for phi in ["TESTWELL", "Ada", "RND100101", "Lisinopril"] {
        assert!(
            !screen.contains(phi),
            "'{phi}' on the lock screen:\n{screen}"
        );
    }
    // Keys other than Enter do nothing.
    tui.keys(&["1", "s"]);
    let screen = tui.wait_for(&["LOCKED"]);
    assert!(!screen.contains("TESTWELL"), "{screen}");
    // Enter: the demo has no sign-in, so the chart comes back where it was.
    tui.keys(&["Enter"]);
    tui.wait_for(&[ADA_BANNER, "Lisinopril"]);
    // Ctrl-L locks at once.
    tui.keys(&["C-l"]);
    let screen = tui.wait_for(&["LOCKED", "rounds is locked."]);
    assert!(!screen.contains("TESTWELL"), "{screen}");
    tui.keys(&["q"]);
    tui.wait_clean_exit("TESTWELL");
}

#[test]
fn a_bad_idle_lock_value_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rounds"))
        .args(["--demo", "--idle-lock", "soon"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--idle-lock") && err.contains("'soon'"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Signals (issue 12.11)
// ---------------------------------------------------------------------------------------

/// A chart is on screen when the session is dropped (SIGHUP), rounds is killed (SIGTERM) or
/// sent SIGQUIT or SIGINT: the screen is cleared, the alternate screen left, the terminal
/// back in line mode, and rounds ends with 128 + the signal.
#[test]
fn stopping_signals_leave_no_chart_and_a_sane_terminal() {
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("QUIT", 3), ("INT", 2)] {
        let tui = Tui::start(
            &format!("sig{signal}"),
            &["--demo", "--patient", "rnd-ada-testwell"],
            &[],
        );
        tui.wait_for(&[ADA_BANNER, "ALLERGIES (2)"]);
        let pid = tui.rounds_pid().to_string();
        let killed = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let screen = tui.wait_for(&["EXITED:", "TTY:"]);
        assert!(
            screen.contains(&format!("EXITED:{}", 128 + number)),
            "SIG{signal}:\n{screen}"
        );
        assert!(
            screen.contains("TTY:cooked"),
            "SIG{signal}: raw mode left on\n{screen}"
        );
        assert!(
            !screen.contains("TESTWELL"),
            "SIG{signal}: patient data left\n{screen}"
        );
        let alternate = tui.tmux(&["display-message", "-p", "-t", "t", "#{alternate_on}"]);
        assert_eq!(
            alternate.trim(),
            "0",
            "SIG{signal}: still on the alternate screen"
        );
        let history = tui.tmux(&["capture-pane", "-p", "-S", "-", "-t", "t"]);
        assert!(
            !history.contains("TESTWELL"),
            "SIG{signal}: in the scrollback\n{history}"
        );
    }
}

/// Ctrl-C, a kill or a dropped session at a hidden password prompt (`rounds login`) must
/// not leave the shell typing blind: echo comes back.
#[test]
fn a_signal_at_a_hidden_prompt_gives_the_echo_back() {
    for how in ["C-c", "HUP", "TERM"] {
        let tui = Tui::start(
            &format!("prompt{how}"),
            &[
                "login",
                "--profile",
                "p",
                "--server",
                "http://127.0.0.1:9/fhir",
                "--auth",
                "basic",
                "--user",
                "jdoe",
                "--store",
                "memory",
            ],
            &[],
        );
        tui.wait_for(&["Password for 'jdoe'"]);
        if how == "C-c" {
            tui.keys(&["C-c"]);
        } else {
            let pid = tui.rounds_pid().to_string();
            std::process::Command::new("kill")
                .args([&format!("-{how}"), &pid])
                .status()
                .unwrap();
        }
        // Whether the read is interrupted first (exit 2, "interrupted") or the signal's
        // thread ends it (128 + the signal), the echo is back.
        let screen = tui.wait_for(&["EXITED:", "TTY:"]);
        assert!(!screen.contains("EXITED:0"), "{how}:\n{screen}");
        assert!(
            screen.contains("TTY:cooked"),
            "{how}: echo left off\n{screen}"
        );
    }
}

#[test]
fn files_left_out_are_said_on_the_first_screen_and_enter_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        repo.join("fixtures/clinical/01-ada-testwell.json"),
        dir.path().join("01-ada.json"),
    )
    .unwrap();
    std::fs::copy(
        repo.join("fixtures/corpus/unreadable/truncated-bundle.json"),
        dir.path().join("02-cut-off.json"),
    )
    .unwrap();
    let folder = dir.path().display().to_string();
    let tui = Tui::start("skipped", &["--open", &folder], &[]);
    // The cut-off file is named on the status line, never skipped in silence.
    tui.wait_for(&[
        "02-cut-off.json",
        "Press Enter to list the patients in the files",
    ]);
    tui.keys(&["Enter"]);
    tui.wait_for(&["TESTWELL, Ada Quinn (Mrs)", "RND100101"]);
}
