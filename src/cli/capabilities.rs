//! `rounds capabilities`: what the server (or file set) supports, in words, with what it
//! means for rounds (one-round-trip charts, POST searches, trends).

use clap::Args;
use std::io::Write;

use super::{CliError, io_error, write_json};
use crate::fhir::Capabilities;
use crate::fhir::query::PERSON_TERMS;
use crate::source::{DataSource, SourceCapabilities};

#[derive(Debug, Args)]
pub struct CapabilitiesArgs {
    /// Print JSON (schema rounds.capabilities/1).
    #[arg(long)]
    pub json: bool,
}

/// The resource types a chart reads, with the search parameters rounds uses on each.
const CHART_RESOURCES: [(&str, &[&str]); 10] = [
    ("Patient", &PERSON_TERMS),
    ("AllergyIntolerance", &["patient"]),
    ("Condition", &["patient"]),
    ("MedicationRequest", &["patient"]),
    ("Medication", &["_id"]),
    ("Observation", &["patient", "category", "date"]),
    ("Encounter", &["patient", "date"]),
    ("Immunization", &["patient", "date"]),
    ("DiagnosticReport", &["patient", "date"]),
    ("DocumentReference", &["patient", "date"]),
];

pub async fn run(
    source: &dyn DataSource,
    args: &CapabilitiesArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let caps = source.capabilities().await?;
    if args.json {
        let mut value = serde_json::to_value(&caps).unwrap_or_default();
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("schema".into(), "rounds.capabilities/1".into());
        }
        return write_json(out, &value);
    }
    let text = match &caps {
        SourceCapabilities::Server {
            base_url,
            capabilities,
        } => describe(base_url, capabilities),
        SourceCapabilities::Local {
            label,
            patients,
            resources,
            files,
        } => format!(
            "Source: {}\nLocal FHIR data: {patients} patients, {resources} resources from {files} file(s).\n\
             Everything is read from memory: no network, searches are done by rounds itself.\n",
            // A folder's name is the user's, but it can hold escape sequences all the same.
            crate::text::clean_line(label)
        ),
    };
    out.write_all(text.as_bytes()).map_err(io_error)
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The capability report in words.
pub fn describe(base_url: &str, c: &Capabilities) -> String {
    let mut s = String::new();
    let clean = crate::text::clean_line;
    s.push_str(&format!("Server: {}\n", clean(base_url)));
    s.push_str(&format!(
        "Software: {}\n",
        c.software
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| "Not known".into())
    ));
    let version = c
        .fhir_version
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| "Not known".into());
    s.push_str(&format!(
        "FHIR version: {version}{}\n",
        if c.is_r4() {
            " (R4, what rounds speaks)"
        } else {
            " (rounds speaks R4 only; expect problems)"
        }
    ));
    s.push_str(&format!(
        "Batch requests: {}{}\n",
        yes(c.supports_batch()),
        if c.supports_batch() {
            " (a chart opens in one round trip)"
        } else {
            " (rounds sends a chart's searches concurrently instead)"
        }
    ));
    s.push_str(&format!(
        "Transactions: {}\n",
        yes(c.supports_transaction())
    ));
    let lastn = c.has_operation("Observation", "lastn");
    s.push_str(&format!(
        "Observation $lastn (cheap trends): {}\n",
        yes(lastn)
    ));
    if c.security_services.is_empty() {
        s.push_str("Security: none advertised (an open server, or it does not say)\n");
    } else {
        s.push_str(&format!(
            "Security: {}\n",
            clean(&c.security_services.join(", "))
        ));
    }
    if let (Some(a), Some(t)) = (&c.oauth_authorize, &c.oauth_token) {
        s.push_str(&format!(
            "SMART endpoints: authorize {} ; token {}\n",
            clean(a),
            clean(t)
        ));
    }
    s.push_str("\nWhat a chart needs:\n");
    for (ty, params) in CHART_RESOURCES {
        let searchable = c.can_search(ty);
        let missing: Vec<&str> = params
            .iter()
            .copied()
            .filter(|p| !p.starts_with('_') && !c.has_search_param(ty, p))
            .collect();
        let status = if !searchable {
            "cannot be searched: that part of the chart will be empty".to_owned()
        } else if missing.is_empty() {
            "searchable with everything rounds uses".to_owned()
        } else {
            format!("searchable, but not by {}", missing.join(", "))
        };
        s.push_str(&format!("  {ty:<20} {status}\n"));
    }
    s.push_str(&format!(
        "\n{} resource types in all; {} system operations.\n",
        c.resources.len(),
        c.system_operations.len()
    ));
    s
}
