//! Names the commit in `rounds --version` (`0.1.0 (abc1234 2026-12-04)`), when the source is
//! a git checkout and git is at hand; otherwise the version alone.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
}

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let commit = git(&["rev-parse", "--short=10", "HEAD"]);
    let date = git(&["show", "-s", "--format=%cs", "HEAD"]);
    let full = match (commit, date) {
        (Some(c), Some(d)) => format!("{version} ({c} {d})"),
        (Some(c), None) => format!("{version} ({c})"),
        _ => version.to_owned(),
    };
    println!("cargo:rustc-env=ROUNDS_VERSION={full}");
    // Again when the checked-out commit moves (HEAD, or the branch it points to).
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        // The branch's file is where git says (`--git-path`): in a worktree it lives in the
        // main checkout's folder, not under `--git-dir`; a path that does not exist would
        // make cargo run this script, and rebuild rounds, every time.
        if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
            if let Some(path) = git(&["rev-parse", "--git-path", &reference]) {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
