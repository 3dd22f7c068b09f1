//! Which redirects rounds follows. Never from https to plain http (the request, its search
//! terms and the answer would cross the network in clear, and a sign-in check would pass
//! against a server nobody verified); and a POST (a patient search, a chart's batch) never
//! to another origin, whatever the status (307 and 308 would carry its body there, and 301
//! to 303 would take the answer from there). GETs may go to another host over https, as
//! before: reqwest drops the Authorization header on the way. At most five hops.
//!
//! A refused redirect is an error of its own type in reqwest's error chain
//! (`RedirectRefused`), which `transport_error` recognises by type, never by its text.

use std::fmt;

use reqwest::redirect::{Attempt, Policy};
use url::Url;

/// Most redirects followed for one request.
const MAX_HOPS: usize = 5;

/// Why a redirect was not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirectRefused {
    /// From https to plain http.
    Downgrade,
    /// A POST sent on to another origin (scheme, host or port).
    PostToAnotherOrigin,
    /// More than `MAX_HOPS` redirects.
    TooMany,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectRefused::Downgrade => {
                "the server redirected rounds from https to plain http; rounds does not follow \
                 that (the request and its answer would cross the network unencrypted): check \
                 the server URL, or ask the server's administrator"
            }
            RedirectRefused::PostToAnotherOrigin => {
                "the server redirected a search to another server; rounds does not send search \
                 terms on to another server: check the server URL"
            }
            RedirectRefused::TooMany => "the server redirected rounds more than 5 times",
        })
    }
}

impl std::error::Error for RedirectRefused {}

/// Whether a redirect from the chain `previous` to `next` leaves https for http.
fn downgrades(previous: &[Url], next: &Url) -> bool {
    next.scheme() == "http" && previous.iter().any(|u| u.scheme() == "https")
}

fn decide(attempt: Attempt<'_>, post: bool) -> reqwest::redirect::Action {
    let refusal = if attempt.previous().len() > MAX_HOPS {
        Some(RedirectRefused::TooMany)
    } else if downgrades(attempt.previous(), attempt.url()) {
        Some(RedirectRefused::Downgrade)
    } else if post
        && attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() != attempt.url().origin())
    {
        Some(RedirectRefused::PostToAnotherOrigin)
    } else {
        None
    };
    match refusal {
        Some(r) => attempt.error(r),
        None => attempt.follow(),
    }
}

/// The policy of the client that sends GETs.
pub(crate) fn for_gets() -> Policy {
    Policy::custom(|attempt| decide(attempt, false))
}

/// The policy of the client that sends POSTs.
pub(crate) fn for_posts() -> Policy {
    Policy::custom(|attempt| decide(attempt, true))
}

/// The refused redirect in an error's chain, if that is what stopped the request.
pub(crate) fn refused(e: &(dyn std::error::Error + 'static)) -> Option<RedirectRefused> {
    std::iter::successors(Some(e), |e| e.source()).find_map(|e| e.downcast_ref().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn downgrades_are_seen_anywhere_in_the_chain() {
        let chain = [u("https://ehr.example/fhir"), u("https://ehr.example/r4")];
        assert!(downgrades(&chain, &u("http://ehr.example/r4")));
        assert!(!downgrades(&chain, &u("https://other.example/r4")));
        assert!(!downgrades(&[u("http://a/")], &u("http://b/")));
    }
}
