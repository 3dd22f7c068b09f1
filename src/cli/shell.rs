//! Fitting the shell: `rounds completions SHELL` prints a completion script and `rounds man`
//! a man page, both generated from the same clap definitions the command line parses with,
//! so they can never disagree with it.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

use super::args::Cli;
use super::{CliError, io_error};

/// Print the completion script for `shell`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> Result<(), CliError> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "rounds", out);
    out.flush().map_err(io_error)
}

/// The command line as the man pages describe it: the release version, not the commit
/// (so the page in `docs/man/` stays the same from one commit to the next).
fn documented() -> clap::Command {
    Cli::command().version(env!("CARGO_PKG_VERSION"))
}

/// The man page of `rounds`, as roff.
pub fn man_page() -> Result<Vec<u8>, std::io::Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(documented()).render(&mut page)?;
    Ok(page)
}

/// Print the man page, or with `dir` write `rounds.1` and one page per command
/// (`rounds-search.1`, …) into it.
pub fn man(dir: Option<&Path>, out: &mut dyn Write) -> Result<(), CliError> {
    let Some(dir) = dir else {
        let page = man_page().map_err(io_error)?;
        return out.write_all(&page).map_err(io_error);
    };
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::usage(format!(
            "cannot create '{}': {e}",
            crate::text::clean_line(&dir.display().to_string())
        ))
    })?;
    let written = clap_mangen::generate_to(documented(), dir)
        .map_err(|e| CliError::usage(format!("cannot write the man pages: {e}")));
    written?;
    writeln!(
        out,
        "Man pages written to {} (install: copy them to ~/.local/share/man/man1/)",
        crate::text::clean_line(&dir.display().to_string())
    )
    .map_err(io_error)
}
