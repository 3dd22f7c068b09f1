//! The doctor's report: checks, each `ok`, `warning` or `failure` in words, with what was
//! checked, what was found and what to do; written as one screen of text for clinic IT to
//! read and paste, or as JSON (schema `rounds.doctor/1`).
//!
//! Every finding passes the terminal sanitizer (some quote the server). Findings never
//! hold a secret, a token or patient data: the checks that build them make sure of that.

use std::io::{self, Write};

use serde::Serialize;

use crate::text::clean_line;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warning,
    Failure,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Failure => "failure",
        }
    }
}

/// The parts of the report, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Config,
    Store,
    Server,
    Terminal,
    Offline,
    Outbox,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Config => "Config",
            Section::Store => "Secret store",
            Section::Server => "Server",
            Section::Terminal => "Terminal",
            Section::Offline => "Offline copy",
            Section::Outbox => "Outbox",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub section: Section,
    /// What was checked, e.g. `tls`.
    pub name: &'static str,
    pub status: Status,
    pub finding: String,
    /// What to do; empty when there is nothing to do.
    pub advice: String,
}

/// The checks of one section, built up as they run.
#[derive(Debug)]
pub struct Checks {
    section: Section,
    pub list: Vec<Check>,
}

impl Checks {
    pub fn new(section: Section) -> Checks {
        Checks {
            section,
            list: Vec::new(),
        }
    }

    pub fn ok(&mut self, name: &'static str, finding: impl Into<String>) {
        self.push(name, Status::Ok, finding, "");
    }

    pub fn warning(&mut self, name: &'static str, finding: impl Into<String>, advice: &str) {
        self.push(name, Status::Warning, finding, advice);
    }

    pub fn failure(&mut self, name: &'static str, finding: impl Into<String>, advice: &str) {
        self.push(name, Status::Failure, finding, advice);
    }

    pub fn push(
        &mut self,
        name: &'static str,
        status: Status,
        finding: impl Into<String>,
        advice: &str,
    ) {
        self.list.push(Check {
            section: self.section,
            name,
            status,
            finding: clean_line(&finding.into()),
            advice: clean_line(advice),
        });
    }
}

/// The whole report (schema `rounds.doctor/1`).
#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub checks: Vec<Check>,
    pub failures: usize,
    pub warnings: usize,
}

impl Report {
    pub fn new(sections: Vec<Checks>) -> Report {
        let checks: Vec<Check> = sections.into_iter().flat_map(|s| s.list).collect();
        let count = |status| checks.iter().filter(|c| c.status == status).count();
        Report {
            schema: "rounds.doctor/1",
            failures: count(Status::Failure),
            warnings: count(Status::Warning),
            checks,
        }
    }

    /// The report as text: a heading per section, a line per check, and what to do under
    /// each check that is not ok.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "rounds doctor (rounds {})", env!("ROUNDS_VERSION"))?;
        let mut section = None;
        for c in &self.checks {
            if section != Some(c.section) {
                section = Some(c.section);
                writeln!(out)?;
                writeln!(out, "{}", c.section.title())?;
            }
            writeln!(out, "  {:<8} {:<19} {}", c.status.word(), c.name, c.finding)?;
            if !c.advice.is_empty() {
                writeln!(out, "  {:<8} {:<19} what to do: {}", "", "", c.advice)?;
            }
        }
        writeln!(out)?;
        writeln!(out, "{}", self.summary())
    }

    /// `2 failures, 1 warning`, or that all is well.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (self.failures, self.warnings) {
            (0, 0) => "Everything checked is ok.".to_owned(),
            (f, w) => format!(
                "{}, {} (of {} checks).",
                plural(f, "failure"),
                plural(w, "warning"),
                self.checks.len()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_the_status_in_words_and_advice_under_them() {
        let mut server = Checks::new(Section::Server);
        server.ok("dns", "127.0.0.1");
        server.failure("tcp", "refused\x1b[2J", "is the server running?");
        let report = Report::new(vec![server]);
        assert_eq!((report.failures, report.warnings), (1, 0));
        let mut out = Vec::new();
        report.write_text(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\nServer\n  ok       dns "), "{text}");
        assert!(
            text.contains("  failure  tcp                 refused"),
            "{text}"
        );
        assert!(
            text.contains("what to do: is the server running?"),
            "{text}"
        );
        assert!(!text.contains('\x1b'), "{text}");
        assert!(
            text.ends_with("1 failure, 0 warnings (of 2 checks).\n"),
            "{text}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["checks"][1]["status"], "failure");
        assert_eq!(json["checks"][1]["section"], "server");
        assert_eq!(json["checks"][0]["advice"], "");
    }
}
