//! The Server section against real servers: the healthy test server of this run (hfs or
//! sekmet: every check ok but compression on sekmet, which never compresses), and a port
//! nothing listens on (DNS ok, TCP refused, "is the server running?", exit 1). Also the
//! JSON document's shape, the text layout, and doctor's own usage errors.

use super::common::{server_compresses, server_impl, server_url};
use super::*;

/// The sections, in the order the report gives them.
const SECTIONS: [&str; 6] = ["config", "store", "server", "terminal", "offline", "outbox"];

#[test]
fn the_test_server_is_healthy_and_the_json_has_its_documented_shape() {
    let d = Doctor::new();
    let out = d
        .run(&["doctor", "--server", &server_url(), "--json"])
        .code(0);
    let doc = out.json();
    let checks = doc["checks"].as_array().unwrap();
    // Every check: the five documented fields, a known status, advice exactly when not ok.
    let mut sections: Vec<&str> = Vec::new();
    for c in checks {
        let keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["section", "name", "status", "finding", "advice"],
            "{c}"
        );
        let status = c["status"].as_str().unwrap();
        assert!(["ok", "warning", "failure"].contains(&status), "{c}");
        assert_eq!(c["advice"] == "", status == "ok", "{c}");
        assert!(!c["finding"].as_str().unwrap().is_empty(), "{c}");
        let section = c["section"].as_str().unwrap();
        if sections.last() != Some(&section) {
            sections.push(section);
        }
    }
    assert_eq!(sections, SECTIONS, "{doc:#}");
    let count = |s: &str| checks.iter().filter(|c| c["status"] == s).count();
    assert_eq!(doc["failures"], count("failure"));
    assert_eq!(doc["warnings"], count("warning"));
    assert_eq!(doc["failures"], 0, "{doc:#}");

    expect_check(&doc, "store", "ok", &["not needed"]);
    expect_check(&doc, "url", "ok", &[server_url().trim_end_matches('/')]);
    expect_check(&doc, "dns", "ok", &["127.0.0.1"]);
    expect_check(&doc, "tcp", "ok", &["connected to 127.0.0.1:"]);
    expect_check(&doc, "tls", "ok", &["plain http to this machine"]);
    expect_check(&doc, "http", "ok", &["HTTP 200"]);
    expect_check(&doc, "clock", "ok", &["agrees"]);
    expect_check(&doc, "fhir-version", "ok", &["4.0.1", "R4"]);
    expect_check(
        &doc,
        "batch",
        "ok",
        &["declared: a chart opens with one batch"],
    );
    // Neither server declares $lastn or $match; both declare PATCH and conditional create.
    expect_check(&doc, "lastn", "ok", &["not declared"]);
    expect_check(&doc, "match", "ok", &["not declared"]);
    expect_check(&doc, "patch", "ok", &["declared for", "Patient"]);
    expect_check(
        &doc,
        "conditional-create",
        "ok",
        &["declared for", "If-None-Exist"],
    );
    if server_compresses() {
        expect_check(&doc, "compression", "ok", &["compressed (br)"]);
    } else {
        expect_check(
            &doc,
            "compression",
            "warning",
            &["uncompressed", "gzip or brotli"],
        );
    }
    // hfs has a .well-known without a token endpoint; sekmet offers backend services.
    let smart = expect_check(&doc, "smart", "ok", &[]);
    if server_impl() == "sekmet" {
        assert!(
            smart["finding"]
                .as_str()
                .unwrap()
                .contains("found at .well-known")
        );
    } else {
        assert!(smart["finding"].as_str().unwrap().contains("not offered"));
    }
    // Piped: stdout is no terminal (a warning), and its size is not measured.
    expect_check(&doc, "stdout", "warning", &["not a terminal"]);
    expect_check(&doc, "size", "ok", &["not measured"]);
    expect_check(&doc, "offline-copy", "ok", &["belong to a sign-in profile"]);
    expect_check(&doc, "outbox", "ok", &["not set up"]);
    assert_eq!(out.stderr, "", "{out}");
}

#[test]
fn the_text_report_has_a_line_per_check_and_says_what_to_do() {
    let d = Doctor::new();
    let out = d.run(&["doctor", "--server", &server_url()]).code(0);
    let text = &out.stdout;
    assert!(text.starts_with("rounds doctor (rounds "), "{out}");
    for title in [
        "\nConfig\n",
        "\nSecret store\n",
        "\nServer\n",
        "\nTerminal\n",
    ] {
        assert!(text.contains(title), "no {title:?}: {out}");
    }
    assert!(
        text.contains("\n  ok       http                GET metadata: HTTP 200"),
        "{out}"
    );
    assert!(
        text.contains("\n  warning  stdout              not a terminal"),
        "{out}"
    );
    assert!(
        text.contains("\n                               what to do: the interactive screen"),
        "{out}"
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("0 failures, ") && last.ends_with(" checks)."),
        "{out}"
    );
}

#[test]
fn a_stopped_server_resolves_but_refuses_the_connection() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let d = Doctor::new();
    let url = format!("http://localhost:{port}/fhir");
    let out = d.run(&["doctor", "--server", &url]).code(1);
    assert!(
        out.stdout
            .contains("  ok       dns                 'localhost' is "),
        "{out}"
    );
    assert!(out.stdout.contains("  failure  tcp "), "{out}");
    assert!(
        out.stdout
            .contains(&format!("127.0.0.1:{port} refused the connection")),
        "{out}"
    );
    assert!(
        out.stdout.contains("what to do: is the server running?"),
        "{out}"
    );
    // Nothing after the failed step is claimed.
    assert!(!out.stdout.contains(" http "), "{out}");
    assert!(
        out.stderr.starts_with("rounds: error: doctor: 1 failure"),
        "{out}"
    );

    let doc = d
        .run(&["doctor", "--server", &url, "--json"])
        .code(1)
        .json();
    assert_eq!(doc["failures"], 1, "{doc:#}");
    expect_check(
        &doc,
        "tcp",
        "failure",
        &["refused", "is the server running?"],
    );
    assert!(!has_check(&doc, "http"), "{doc:#}");
}

#[test]
fn doctor_checks_a_server_so_demo_and_two_sources_are_usage_errors() {
    let d = Doctor::new();
    let out = d.run(&["--demo", "doctor"]).code(2);
    assert!(
        out.stderr.contains("give --server URL or --profile NAME"),
        "{out}"
    );
    d.run(&["doctor", "--profile", "p", "--server", "http://127.0.0.1:9"])
        .code(2);
}
