//! Shared by the write tests (tests/writes/, tests/faults/writes.rs, tests/tui_writes.rs):
//! a patient of the test's own on the real server (writes never touch the fixture
//! patients that other tests compare with their Bundles, and no test depends on what an
//! earlier run wrote), counting resources by their client identifier, and the `rounds`
//! binary run step by step in a fresh kernel session keyring (the outbox's key is kept
//! there, as for a profile with `--store keyutils`).

use std::path::{Path, PathBuf};
use std::process::Command;

use rounds::fhir::{ClientConfig, ClientId, FhirClient};
use serde_json::json;

/// A client of the real server (or of `url`).
pub fn client_of(url: &str) -> FhirClient {
    FhirClient::new(ClientConfig::new(url)).unwrap()
}

/// A patient made for one test: no allergies recorded, no vitals, no notes.
#[derive(Debug, Clone)]
pub struct FreshPatient {
    pub id: String,
    /// The family name, unique to this patient (for the grep of the state folder).
    pub family: String,
}

/// Make a patient of the test's own (`PUT Patient/rnd-wt-…`): gender `other`, a family name
/// no search of the other tests matches.
pub async fn fresh_patient(client: &FhirClient) -> FreshPatient {
    let tag = rounds::fhir::write::new_uuid()[..8].to_owned();
    let id = format!("rnd-wt-{tag}");
    let family = format!("Qxwrite{tag}");
    let patient = json!({
        "resourceType": "Patient",
        "id": id,
        "identifier": [{"system": "urn:rounds:test-mrn", "value": format!("WT-{tag}")}],
        "name": [{"family": family, "given": ["Pat"]}],
        "gender": "other",
        "birthDate": "1970-05-05",
    });
    client.update("Patient", &id, &patient, None).await.unwrap();
    FreshPatient { id, family }
}

/// How many resources of `resource_type` carry the identifier `token` (`SYSTEM|VALUE`).
pub async fn count(client: &FhirClient, resource_type: &str, token: &str) -> usize {
    let (system, value) = token.split_once('|').unwrap();
    let id = ClientId {
        system: system.into(),
        value: value.into(),
    };
    client
        .find_by_identifier(resource_type, &id)
        .await
        .unwrap()
        .len()
}

/// Remove what a test wrote for its patient, and the patient (best effort: a test that
/// failed half-way leaves only its own patient behind).
pub async fn clean_up(client: &FhirClient, patient: &FreshPatient) {
    for (ty, param) in [
        ("Observation", "subject"),
        ("DocumentReference", "subject"),
        ("AllergyIntolerance", "patient"),
    ] {
        let url = format!(
            "{}/{ty}?{param}=Patient/{}&_elements=id&_count=200",
            client.base_url(),
            patient.id
        );
        let Ok(resp) = reqwest::get(&url).await else {
            continue;
        };
        let Ok(body) = resp.bytes().await else {
            continue;
        };
        let Ok(bundle) = serde_json::from_slice::<serde_json::Value>(&body) else {
            continue;
        };
        for e in bundle["entry"].as_array().into_iter().flatten() {
            if let Some(id) = e["resource"]["id"].as_str() {
                let _ = reqwest::Client::new()
                    .delete(format!("{}/{ty}/{id}", client.base_url()))
                    .send()
                    .await;
            }
        }
    }
    let _ = reqwest::Client::new()
        .delete(format!("{}/Patient/{}", client.base_url(), patient.id))
        .send()
        .await;
}

/// The `rounds` binary run step by step, in one shell, under a kernel session keyring of
/// its own, with folders of its own; the first step signs in a profile `w` to `server` (no
/// sign-in needed, secrets kept in keyutils). Each step prints `== NAME` before and `NAME
/// rc=N` after its output. Every `run` joins the same named session keyring (searchable by
/// its user so it can be joined again, kept alive between runs by a link from the user
/// keyring, cleared and unlinked on drop): runs are starts of
/// rounds in one login session, as a user's are; rounds keeps keyutils secrets in the
/// session keyring only (issue 12), so they last as long as the login session.
pub struct Scenario {
    pub home: tempfile::TempDir,
    script: String,
    session: String,
}

impl Drop for Scenario {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args([
                "-c",
                &format!(
                    "k=$(keyctl search @u keyring {0} 2>/dev/null) && keyctl clear $k; \
                     [ -n \"$k\" ] && keyctl unlink $k @u",
                    self.session
                ),
            ])
            .output();
    }
}

impl Scenario {
    pub fn new(server: &str) -> Scenario {
        let home = tempfile::tempdir().unwrap();
        // A name of this scenario's own: the home folder's name is unique.
        let session = format!(
            "rounds-test-{}",
            home.path().file_name().unwrap().to_string_lossy()
        );
        let mut s = Scenario {
            home,
            script: String::from("set +e\n"),
            session,
        };
        s.step(
            "login",
            &format!("$R login --profile w --server {server} --auth none --store keyutils"),
        );
        s
    }

    /// Start a new list of steps in the same folders (the profile is kept).
    pub fn again(&mut self) -> &mut Scenario {
        self.script = String::from("set +e\n");
        self
    }

    /// The state folder (the outbox lives under it).
    pub fn state_dir(&self) -> PathBuf {
        self.home.path().join("state")
    }

    /// Add a step: a shell command line where `$R` is the binary (with `--profile w`
    /// before the command, say `$R --profile w note add …`).
    pub fn step(&mut self, name: &str, line: &str) -> &mut Scenario {
        self.script.push_str(&format!(
            "echo '== {name}'\n{line}\necho \"{name} rc=$?\"\n"
        ));
        self
    }

    /// Add shell lines as they are (no markers).
    pub fn raw(&mut self, lines: &str) -> &mut Scenario {
        self.script.push_str(lines);
        self.script.push('\n');
        self
    }

    /// Run the steps; everything they printed (stdout and stderr, interleaved by step).
    pub fn run(&self) -> String {
        let home = self.home.path();
        let out = Command::new("keyctl")
            .args([
                "session",
                &self.session,
                "sh",
                "-c",
                &format!(
                    "exec 2>&1\nkeyctl setperm @s 0x3f3f0000 >/dev/null 2>&1\nkeyctl link @s @u >/dev/null 2>&1\n{}",
                    self.script
                ),
            ])
            .env("R", env!("CARGO_BIN_EXE_rounds"))
            .env("ROUNDS_CONFIG_DIR", home.join("config"))
            .env("ROUNDS_STATE_DIR", home.join("state"))
            .env("ROUNDS_CACHE_DIR", home.join("cache"))
            .env("ROUNDS_TODAY", "2026-11-22")
            .env("ROUNDS_KEYRING_TIMEOUT", "5")
            .env_remove("ROUNDS_PROFILE")
            .env_remove("ROUNDS_SERVER")
            .env_remove("VISUAL")
            .env_remove("EDITOR")
            .output()
            .expect("keyctl runs (scripts/test installs keyutils)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// What step `name` printed (between its marker and its exit code).
pub fn output_of<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text
        .find(&format!("== {name}\n"))
        .unwrap_or_else(|| panic!("no step '{name}' in:\n{text}"));
    let rest = &text[start + name.len() + 4..];
    let end = rest.find(&format!("{name} rc=")).unwrap_or(rest.len());
    &rest[..end]
}

/// The outbox item id a step printed (`… as item UUID …`).
pub fn item_id(text: &str) -> String {
    let at = text
        .find("item ")
        .unwrap_or_else(|| panic!("no item id in:\n{text}"));
    text[at + 5..].chars().take(36).collect()
}

/// Every file under `dir`, with its bytes.
pub fn files_with_bytes(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    super::keyring::files_under(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// `rounds --profile w --patient PATIENT` in tmux (80x24), in a fresh kernel session
/// keyring with the profile signed in to `server`, and `$EDITOR` a script that writes
/// `A: stable on tmux` into the note. The pane prints `EXITED:<code>` when rounds ends;
/// with `restart_when`, rounds starts again (same folders and keyring) once that file
/// exists, and `EXITED-AGAIN:<code>` follows.
pub fn writing_tui(
    name: &str,
    server: &str,
    patient: &str,
    restart_when: Option<&Path>,
) -> (super::tmux::TmuxPane, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let editor = home.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^A: $/A: stable on tmux/' \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let q = super::tmux::sh_quote;
    let h = home.path();
    let env = format!(
        "env -u NO_COLOR -u ROUNDS_SERVER -u ROUNDS_PROFILE -u VISUAL ROUNDS_TODAY=2026-11-22 \
         ROUNDS_CONFIG_DIR={} ROUNDS_STATE_DIR={} ROUNDS_CACHE_DIR={} EDITOR={}",
        q(&h.join("config").display().to_string()),
        q(&h.join("state").display().to_string()),
        q(&h.join("cache").display().to_string()),
        q(&editor.display().to_string())
    );
    let bin = q(env!("CARGO_BIN_EXE_rounds"));
    let again = restart_when.map_or(String::new(), |mark| {
        let mark = q(&mark.display().to_string());
        format!("while [ ! -f {mark} ]; do sleep 0.1; done; {env} {bin} --profile w --patient {patient}; echo EXITED-AGAIN:$?;")
    });
    let inner = format!(
        "{env} {bin} login --profile w --server {server} --auth none --store keyutils >/dev/null; \
         {env} {bin} --profile w --patient {patient}; echo EXITED:$?; {again} sleep 600"
    );
    let script = format!("keyctl session - sh -c {}", q(&inner));
    let pane = super::tmux::TmuxPane::start(
        "rounds-writes",
        name,
        (80, 24),
        &script,
        std::time::Duration::from_secs(15),
    );
    (pane, home)
}
