//! The doctor's SMART line: what the server says about signing in, found the way `rounds
//! login` finds it (`.well-known/smart-configuration`, else the CapabilityStatement's OAuth
//! URIs, here from the statement the doctor read already), with PKCE S256 and endpoints on https judged. Not
//! offering SMART is fine for a server used without sign-in, and a failure for a SMART or
//! backend-services profile.

use super::report::{Checks, Status};
use crate::auth::smart::{
    AuthError, AuthHttp, DiscoverySource, SmartConfiguration, discover_with_capabilities,
};
use crate::config::AuthKind;
use crate::fhir::{Capabilities, ClientConfig};

pub async fn check(c: &mut Checks, config: &ClientConfig, auth: AuthKind, caps: &Capabilities) {
    let needed = matches!(auth, AuthKind::Smart | AuthKind::Backend);
    let trouble = if needed {
        Status::Failure
    } else {
        Status::Warning
    };
    let found = match AuthHttp::new(config) {
        Ok(http) => discover_with_capabilities(&http, &config.base_url, caps).await,
        Err(e) => Err(e),
    };
    match found {
        Ok(smart) => configuration(c, &smart, auth),
        Err(AuthError::Discovery { detail, .. }) if !needed => c.ok(
            "smart",
            format!("not offered ({detail}); fine for a server used without sign-in"),
        ),
        Err(AuthError::Discovery { detail, .. }) => c.failure(
            "smart",
            format!("not offered: {detail}"),
            "check the server URL, or ask the server's administrator for its SMART endpoints",
        ),
        Err(AuthError::Unsupported { detail, .. }) => c.push(
            "smart",
            trouble,
            format!("cannot be used safely: {detail}"),
            "ask the server's administrator: SMART endpoints must be https and offer PKCE S256",
        ),
        Err(e) => c.push(
            "smart",
            trouble,
            e.to_string(),
            "check the network to the sign-in server, and the server URL",
        ),
    }
}

fn configuration(c: &mut Checks, smart: &SmartConfiguration, auth: AuthKind) {
    let source = match smart.source {
        DiscoverySource::WellKnown => "found at .well-known/smart-configuration",
        DiscoverySource::CapabilityStatement => {
            "no .well-known/smart-configuration; OAuth URIs from the capability statement"
        }
    };
    let pkce = match smart.code_challenge_methods_supported.as_slice() {
        [] => "PKCE methods not stated".to_owned(),
        methods => format!("PKCE {}", methods.join(", ")),
    };
    let local = [
        Some(&smart.token_endpoint),
        smart.authorization_endpoint.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|e| url::Url::parse(e).is_ok_and(|u| u.scheme() == "http"));
    let transport = if local {
        "endpoints on plain http to this machine (a test server)"
    } else {
        "endpoints on https"
    };
    let endpoints = match &smart.authorization_endpoint {
        Some(_) => "authorization and token endpoints",
        None => "a token endpoint only (backend services)",
    };
    let grants = match smart.grant_types_supported.as_slice() {
        [] => String::new(),
        grants => format!("; grants {}", grants.join(", ")),
    };
    let finding = format!("{source}: {endpoints}{grants}; {pkce}; {transport}");
    // Discovery already refused endpoints that are not https (or loopback).
    match (auth, smart.login_endpoint()) {
        (AuthKind::Smart, Err(e)) => c.failure(
            "smart",
            format!("{finding}: {e}"),
            "a SMART profile needs an authorization endpoint with PKCE S256: ask the server's \
             administrator, or sign in another way (rounds login --auth …)",
        ),
        _ => c.ok("smart", finding),
    }
}
