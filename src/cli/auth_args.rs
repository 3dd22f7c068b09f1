//! Command-line arguments of the sign-in commands: `login`, `logout`, `auth status`,
//! `profiles`. Only their shape; the commands are in `login.rs` and `auth_status.rs`.

use clap::{Args, Subcommand, ValueEnum};

use crate::auth::store::StoreKind;
use crate::config::AuthKind;

#[derive(Debug, Args)]
#[command(
    after_help = "The server is given with the global --server URL and the profile with \
--profile NAME (default: the default profile, or 'default'). Passwords and tokens are never \
taken from the command line: they are read from a hidden prompt when stdin is a terminal, from \
stdin when it is piped (or with --password-stdin / --token-stdin), or from ROUNDS_PASSWORD / \
ROUNDS_TOKEN.\n\nSMART (--auth smart) opens a browser, or over SSH (or with --no-browser) prints the \
address to open and the ssh -L command that forwards the answer back; the pasted final address \
works too. Set ROUNDS_BROWSER=PROGRAM to open the address with PROGRAM instead of the desktop's \
browser (advanced; used by tests).\n\nWith --offline the profile keeps encrypted copies of \
charts on this device (see rounds sync --help).\n\nExamples:\n  rounds login --profile ehr --server \
https://ehr.example/fhir --auth smart --client-id rounds\n  rounds login --profile export \
--server https://ehr.example/fhir --auth backend --client-id rounds-export --key ~/.rounds/export.pem\n  rounds login --profile clinic --server https://ehr.example/fhir \
--auth basic --user jdoe\n  printf %s \"$TOKEN\" | rounds login --profile api --server \
https://ehr.example/fhir --auth token --token-stdin\n  rounds login --profile test --server \
http://localhost:8080/fhir --auth none\n  rounds login --profile clinic --offline"
)]
pub struct LoginArgs {
    /// How to sign in (default: the profile's, or smart for a new profile).
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,

    /// The SMART client id registered with the server (smart, backend).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,

    /// SMART scopes to request, e.g. 'openid fhirUser user/*.rs' (smart, backend).
    #[arg(long, value_name = "SCOPES", num_args = 1..)]
    pub scopes: Vec<String>,

    /// The user name (basic).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Where the secret is kept (default: the profile's, or keyring).
    #[arg(long, value_enum)]
    pub store: Option<StoreArg>,

    /// Do not open a browser for SMART sign-in; print the address to open instead (SSH).
    #[arg(long)]
    pub no_browser: bool,

    /// The loopback port the browser returns to (smart; default: any free port). A fixed
    /// port suits a standing `ssh -L PORT:127.0.0.1:PORT` forward.
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// The PEM private key file the backend client signs with (backend; its path is kept
    /// in the profile, the key stays in its file, which only you may read).
    #[arg(long, value_name = "PEM")]
    pub key: Option<std::path::PathBuf>,

    /// Read the password from stdin (basic).
    #[arg(long, conflicts_with = "token_stdin")]
    pub password_stdin: bool,

    /// Read the token from stdin (token).
    #[arg(long)]
    pub token_stdin: bool,

    /// Make this profile the default.
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// SMART App Launch as you (authorization code + PKCE, in a browser).
    Smart,
    /// SMART backend services (client credentials): for scripts, not per-user auditable.
    Backend,
    /// HTTP Basic: user name and password.
    Basic,
    /// A static bearer token.
    Token,
    /// No sign-in (open test servers).
    None,
}

impl From<AuthArg> for AuthKind {
    fn from(a: AuthArg) -> AuthKind {
        match a {
            AuthArg::Smart => AuthKind::Smart,
            AuthArg::Backend => AuthKind::Backend,
            AuthArg::Basic => AuthKind::Basic,
            AuthArg::Token => AuthKind::Token,
            AuthArg::None => AuthKind::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// The OS keyring (Secret Service, Keychain, Credential Manager): kept across reboots.
    Keyring,
    /// The Linux kernel keyring of this login session: lost at logout or reboot.
    Keyutils,
    /// Not stored: asked again next time.
    Memory,
}

impl From<StoreArg> for StoreKind {
    fn from(s: StoreArg) -> StoreKind {
        match s {
            StoreArg::Keyring => StoreKind::Keyring,
            StoreArg::Keyutils => StoreKind::Keyutils,
            StoreArg::Memory => StoreKind::Memory,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Show a profile's server, user, sign-in kind, and where its secret is stored.
    #[command(after_help = "Examples:\n  rounds auth status\n  \
rounds auth status --profile clinic --json")]
    Status(JsonArgs),
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
