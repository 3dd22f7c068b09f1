#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The map matches the ground: checks on the source tree itself.
//!
//! - Dependencies between the top-level modules point one way (the table below; the same
//!   as ARCHITECTURE.md). The UI layer reaches data only through `app` and `chart`: it
//!   imports nothing from `source`, `fhir` or `auth`.
//! - No code decides by reading an error's text.
//! - Files stay small: no `src/` file over 400 lines, no test file over 600.
//!
//! Unit tests at the bottom of a file (`#[cfg(test)]` onwards) may reach further, and are
//! not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Who may use whom: each top-level module of `src/` and the modules it may import.
const ALLOWED: &[(&str, &[&str])] = &[
    ("common", &[]),
    ("text", &[]),
    ("files", &[]),
    ("fhir", &["common", "files", "text"]),
    ("chart", &["common", "fhir", "text"]),
    ("auth", &["common", "fhir"]),
    ("config", &["auth", "common", "fhir", "files", "text"]),
    ("vault", &["auth", "fhir", "files"]),
    ("outbox", &["common", "fhir", "files", "vault"]),
    ("offline", &["auth", "fhir", "files", "vault"]),
    ("charting", &["chart", "common", "fhir", "outbox", "text"]),
    ("frontdesk", &["chart", "common", "fhir", "outbox", "text"]),
    (
        "source",
        &[
            "auth",
            "chart",
            "charting",
            "common",
            "config",
            "fhir",
            "files",
            "frontdesk",
            "offline",
            "outbox",
            "text",
            "vault",
        ],
    ),
    (
        "app",
        &[
            "chart",
            "charting",
            "common",
            "config",
            "fhir",
            "frontdesk",
            "outbox",
            "source",
            "text",
        ],
    ),
    (
        "worker",
        &["app", "auth", "common", "fhir", "frontdesk", "source"],
    ),
    (
        "ui",
        &["app", "chart", "common", "config", "frontdesk", "text"],
    ),
    (
        "tui",
        &[
            "app", "common", "config", "fhir", "source", "text", "ui", "worker",
        ],
    ),
    (
        "cli",
        &[
            "auth",
            "chart",
            "charting",
            "common",
            "config",
            "fhir",
            "frontdesk",
            "offline",
            "outbox",
            "source",
            "text",
            "tui",
        ],
    ),
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The file's code before its unit tests, without comments (a file of unit tests, such as
/// `tests.rs` or a file under a `tests/` folder of `src/`, has none).
fn code(path: &Path) -> String {
    let unit_tests = path.file_name().is_some_and(|n| n == "tests.rs")
        || path.components().any(|c| c.as_os_str() == "tests")
            && path.components().any(|c| c.as_os_str() == "src");
    if unit_tests {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// The modules named after `crate::` in `code` (in paths and in `use crate::{a, b::c}`).
fn uses(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for part in group[..end].split(',') {
                let name = part.trim().split("::").next().unwrap_or("").trim();
                if !name.is_empty() {
                    out.insert(name.to_owned());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut problems = Vec::new();
    for file in rust_files(&src) {
        let module = module_of(&src, &file);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(may) = allowed.get(module.as_str()) else {
            problems.push(format!("{module}: a top-level module missing from ALLOWED"));
            continue;
        };
        for used in uses(&code(&file)) {
            if used != module && !may.contains(&used.as_str()) {
                problems.push(format!(
                    "{} uses crate::{used}, which {module} may not",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_allowed_dependencies_have_no_cycle() {
    // Each module may only use modules listed before it.
    let order: Vec<&str> = ALLOWED.iter().map(|(m, _)| *m).collect();
    for (i, (module, may)) in ALLOWED.iter().enumerate() {
        for used in *may {
            let j = order.iter().position(|m| m == used);
            assert!(
                j.is_some_and(|j| j < i),
                "{module} may use {used}, which does not come before it"
            );
        }
    }
}

#[test]
fn the_ui_reaches_data_only_through_app_and_chart() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    for forbidden in ["source", "fhir", "auth", "worker"] {
        assert!(!allowed["ui"].contains(&forbidden));
    }
}

#[test]
fn no_code_decides_by_an_errors_text() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Reading an error's words to decide what happened: use its type or kind instead.
    let patterns = [
        "to_string().contains(",
        "message.contains(",
        "detail.contains(",
        "chain.contains(",
        "e.contains(",
        "err.contains(",
        "error.contains(",
    ];
    let mut found = Vec::new();
    for file in rust_files(&src) {
        let code = code(&file);
        for (n, line) in code.lines().enumerate() {
            if patterns.iter().any(|p| names(line, p)) {
                found.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(&src).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// Whether `line` has `pattern` as a whole name (not the end of a longer one: `time.`
/// is not `e.`).
fn names(line: &str, pattern: &str) -> bool {
    line.match_indices(pattern).any(|(i, _)| {
        line[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    })
}

#[test]
fn files_stay_small() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut big = Vec::new();
    for (dir, limit) in [("src", 400), ("tests", 600)] {
        for file in rust_files(&root.join(dir)) {
            let lines = std::fs::read_to_string(&file).unwrap().lines().count();
            if lines > limit {
                big.push(format!(
                    "{} has {lines} lines (at most {limit})",
                    file.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(big.is_empty(), "{}", big.join("\n"));
}
