//! The doctor's HTTP lines: `GET [base]/metadata` once (`FhirClient::probe_metadata`), and
//! from its answer the status, the clock skew (the `Date` header: over 5 minutes breaks
//! SMART tokens and certificate checks), whether the answer really came compressed
//! (`Content-Encoding`), the FHIR version (R4 only), and what the CapabilityStatement
//! declares, each with what rounds does about it.
//!
//! It decides by `FhirError::kind()`, never by an error's text.

use super::report::Checks;
use crate::cli::verbose::bytes as kb;
use crate::common::FailureKind;
use crate::fhir::client::MetadataAnswer;
use crate::fhir::{Capabilities, FhirClient};

/// A clock further off than this makes sign-ins and certificate dates go wrong.
const MAX_SKEW_SECS: i64 = 5 * 60;

/// What the statement declares; `None` when there is no usable R4 statement (the checks
/// after it need one).
pub async fn checks(c: &mut Checks, client: &FhirClient) -> Option<Capabilities> {
    let answer = match client.probe_metadata().await {
        Ok(answer) => answer,
        Err(e) => {
            c.failure("http", format!("GET metadata: {e}"), advice(e.kind()));
            return None;
        }
    };
    let size = kb(answer.bytes_received);
    let took = answer.elapsed.as_millis();
    match &answer.capabilities {
        Ok(_) => c.ok(
            "http",
            format!("GET metadata: HTTP {} in {took} ms ({size})", answer.status),
        ),
        Err(e) => c.failure("http", format!("GET metadata: {e}"), advice(e.kind())),
    }
    clock(c, &answer);
    compression(c, &answer);
    let caps = answer.capabilities.ok()?;
    if !version(c, &caps) {
        return None;
    }
    features(c, &caps);
    Some(caps)
}

/// What to do when `metadata` cannot be had, by kind of failure.
fn advice(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::AuthExpired | FailureKind::Forbidden => {
            "the server wants a sign-in even for its capability statement, which FHIR \
             servers publish openly: ask the server's administrator"
        }
        FailureKind::NotFound | FailureKind::BadResponse | FailureKind::ServerRefused => {
            "check the base URL: it must be where the FHIR API starts (e.g. \
             https://ehr.example/fhir/R4), not a web page"
        }
        FailureKind::Timeout => "the server is slow or overloaded: try again, or raise --timeout",
        FailureKind::Network => "check the network between here and the server",
        FailureKind::Conflict | FailureKind::Invalid => "check the server URL",
    }
}

fn clock(c: &mut Checks, answer: &MetadataAnswer) {
    let Some(server) = answer.server_date else {
        return c.warning(
            "clock",
            "the server sent no Date header: the clocks could not be compared",
            "if sign-ins fail with expired tokens, check both clocks against a time server",
        );
    };
    let skew = (server - answer.received_at).num_seconds();
    let way = if skew > 0 { "ahead of" } else { "behind" };
    let off = skew.unsigned_abs();
    if skew.abs() <= 1 {
        c.ok(
            "clock",
            "the server's clock agrees with this computer's (within 1 s)",
        );
    } else if skew.abs() <= MAX_SKEW_SECS {
        c.ok(
            "clock",
            format!("the server's clock is {off} s {way} this computer's"),
        );
    } else {
        c.warning(
            "clock",
            format!(
                "the server's clock is {} min {way} this computer's: sign-in tokens and \
                 certificate dates are judged by the clock",
                off / 60
            ),
            "set the wrong clock right (timedatectl status; a time server such as NTP)",
        );
    }
}

fn compression(c: &mut Checks, answer: &MetadataAnswer) {
    let decoded = kb(answer.bytes_decoded);
    match answer.content_encoding.as_deref() {
        Some(encoding) => c.ok(
            "compression",
            format!(
                "answers come compressed ({encoding}): {} on the wire for {decoded}",
                kb(answer.bytes_received)
            ),
        ),
        None => c.warning(
            "compression",
            format!(
                "answers come uncompressed although rounds asks for gzip or brotli \
                 ({decoded} for the capability statement): slow links pay the full size"
            ),
            "turn on gzip or brotli in the server, or in the proxy in front of it",
        ),
    }
}

/// The FHIR version: R4 or nothing. Whether the rest is worth reading.
fn version(c: &mut Checks, caps: &Capabilities) -> bool {
    let software = caps
        .software
        .as_deref()
        .map(|s| format!("; software: {s}"))
        .unwrap_or_default();
    match caps.fhir_version.as_deref() {
        Some(v) if caps.is_r4() => {
            c.ok(
                "fhir-version",
                format!("{v} (R4, what rounds speaks){software}"),
            );
            true
        }
        Some(v) => {
            c.failure(
                "fhir-version",
                format!("{v}: rounds speaks FHIR R4 (4.0.x) only{software}"),
                "use the server's R4 address (often ending in /R4)",
            );
            false
        }
        None => {
            c.failure(
                "fhir-version",
                format!("the capability statement names no FHIR version{software}"),
                "use the server's R4 address (often ending in /R4)",
            );
            false
        }
    }
}

/// The resource types a clinician's edits touch first.
const WRITTEN_FIRST: [&str; 4] = [
    "Patient",
    "AllergyIntolerance",
    "Observation",
    "Appointment",
];

/// What the statement declares, and what rounds does either way.
fn features(c: &mut Checks, caps: &Capabilities) {
    // The types a clinician's edits would touch first, when declared.
    let some = |types: Vec<&str>| {
        let shown: Vec<&str> = WRITTEN_FIRST
            .into_iter()
            .filter(|t| types.contains(t))
            .collect();
        match shown.as_slice() {
            [] => format!("{} resource types", types.len()),
            _ => format!("{} resource types ({}, …)", types.len(), shown.join(", ")),
        }
    };
    c.ok(
        "batch",
        if caps.supports_batch() {
            "declared: a chart opens with one batch request".to_owned()
        } else {
            "not declared: rounds sends a chart's searches as concurrent requests".to_owned()
        },
    );
    c.ok(
        "lastn",
        if caps.has_operation("Observation", "lastn") {
            "Observation/$lastn declared: the first screen takes the latest result of each \
             test from it"
                .to_owned()
        } else {
            "Observation/$lastn not declared: rounds searches results by category instead"
                .to_owned()
        },
    );
    let patch = caps.types_with_interaction("patch");
    c.ok(
        "patch",
        if patch.is_empty() {
            "not declared: edits would go as whole updates with If-Match (rounds only reads \
             for now)"
                .to_owned()
        } else {
            format!(
                "declared for {}: edits can go as small patches (rounds only reads for now)",
                some(patch)
            )
        },
    );
    let conditional = caps.types_with_conditional_create();
    c.ok(
        "conditional-create",
        if conditional.is_empty() {
            "not declared: a create whose answer was lost would be searched for before it is \
             sent again (rounds only reads for now)"
                .to_owned()
        } else {
            format!(
                "declared for {}: a create whose answer was lost can be sent again with \
                 If-None-Exist (rounds only reads for now)",
                some(conditional)
            )
        },
    );
    c.ok(
        "match",
        if caps.has_operation("Patient", "match") {
            "Patient/$match declared: registration can ask the server for look-alikes".to_owned()
        } else {
            "Patient/$match not declared: look-alikes are found by searching name and birth \
             date"
                .to_owned()
        },
    );
}
