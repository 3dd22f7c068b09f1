//! Taking search results into a record: first pages, failures by section, and the `next`
//! links still to follow, which are then fetched for all sections at once, page after
//! page, up to the page limit.

use std::collections::BTreeMap;

use tokio::task::JoinSet;

use super::FhirClient;
use super::transport::{SearchResult, bundle_from};
use crate::fhir::error::FhirError;
use crate::fhir::model::BundleEntry;
use crate::fhir::query::{SearchRequest, Section};
use crate::fhir::record::RecordBuilder;

/// How much following pages may take: per section (the TUI's background load), and for
/// the whole chart (entries, and decoded bytes of the pages followed). Past a limit the
/// sections left are marked cut short and the chart says so.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub per_section: usize,
    pub entries: usize,
    pub bytes: u64,
}

impl Limits {
    /// Only a per-section limit.
    pub fn per_section(n: usize) -> Limits {
        Limits {
            per_section: n,
            entries: usize::MAX,
            bytes: u64::MAX,
        }
    }
}

/// A page still to fetch: the section and resource type it belongs to, and its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPage {
    pub section: Option<Section>,
    pub resource_type: &'static str,
    pub link: String,
}

impl PendingPage {
    /// The same page asking for up to `count` entries. The first screen asks for small
    /// pages and servers copy that `_count` into their `next` links, so the rest of a long
    /// section would otherwise come a few entries per round trip. Only a `_count` the link
    /// already carries, and is smaller, is raised: an opaque link is left as it is.
    pub fn widened(self, count: u32) -> PendingPage {
        PendingPage {
            link: widen_count(&self.link, count),
            ..self
        }
    }
}

/// `link` with its `_count` raised to `count` (unchanged when it has none, or a larger one).
pub(crate) fn widen_count(link: &str, count: u32) -> String {
    let Some((head, query)) = link.split_once('?') else {
        return link.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let mut changed = false;
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("_count", v)) if v.parse::<u32>().is_ok_and(|n| n < count) => {
                changed = true;
                format!("_count={count}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    if !changed {
        return link.to_owned();
    }
    let mut out = format!("{head}?{}", parts.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

impl FhirClient {
    /// Add the first pages to the builder and mark each section loaded or failed. Returns
    /// the `next` links still to follow. A 401 anywhere fails the whole load.
    pub(crate) fn take_first_pages(
        &self,
        builder: &mut RecordBuilder,
        searches: &[SearchRequest],
        results: Vec<SearchResult>,
    ) -> Result<Vec<PendingPage>, FhirError> {
        let mut failures: BTreeMap<Section, FhirError> = BTreeMap::new();
        let mut pending = Vec::new();
        for (search, result) in searches.iter().zip(results) {
            match result {
                Ok(bundle) => {
                    if let Some(next) = bundle.next_link() {
                        pending.push(PendingPage {
                            section: search.section,
                            resource_type: search.resource_type,
                            link: next.to_owned(),
                        });
                    }
                    add_entries(builder, bundle.entry);
                }
                Err(FhirError::Unauthorized) => return Err(FhirError::Unauthorized),
                Err(e) => {
                    if let Some(section) = search.section {
                        failures.entry(section).or_insert(e);
                    }
                }
            }
        }
        for s in searches.iter().filter_map(|s| s.section) {
            match failures.get(&s) {
                Some(e) => builder.mark_failed(s, e.to_string()),
                None => builder.mark_loaded(s),
            }
        }
        Ok(pending)
    }

    /// Follow `pending` links for every section at once, page after page, fetching at most
    /// `pages` more pages per search, no more once a section has taken `limits.per_section`
    /// entries from them, and none once the record holds `limits.entries` resources or the
    /// pages followed came to `limits.bytes`. Sections left with pages are marked truncated.
    pub(crate) async fn follow_pages(
        &self,
        builder: &mut RecordBuilder,
        mut pending: Vec<PendingPage>,
        pages: u32,
        limits: Limits,
    ) -> Result<(), FhirError> {
        let mut taken: BTreeMap<Option<Section>, usize> = BTreeMap::new();
        let mut fetched = 0;
        let mut bytes: u64 = 0;
        while !pending.is_empty() {
            let spent = builder.offered() >= limits.entries || bytes >= limits.bytes;
            if fetched >= pages || spent {
                for p in &pending {
                    if let Some(section) = p.section {
                        builder.mark_truncated(section);
                    }
                }
                if spent {
                    builder.problem(None, cut_short(&pending, limits));
                }
                break;
            }
            fetched += 1;
            let mut set = JoinSet::new();
            for page in pending.drain(..) {
                let client = self.clone();
                let url = self.same_server(&page.link);
                let label = format!("{} search (next page)", page.resource_type);
                set.spawn(async move {
                    let result = match url {
                        Ok(url) => client.get(url, label).await.and_then(|resp| {
                            let size = resp.body.len() as u64;
                            bundle_from(resp).map(|b| (b, size))
                        }),
                        Err(e) => Err(e),
                    };
                    (page, result)
                });
            }
            while let Some(joined) = set.join_next().await {
                let Ok((page, result)) = joined else { continue };
                match result {
                    Ok((bundle, size)) => {
                        bytes += size;
                        let count = taken.entry(page.section).or_default();
                        *count += bundle.entry.len();
                        match bundle.next_link() {
                            Some(_) if *count >= limits.per_section => {
                                if let Some(section) = page.section {
                                    builder.mark_truncated(section);
                                }
                            }
                            Some(next) => pending.push(PendingPage {
                                link: next.to_owned(),
                                ..page
                            }),
                            None => {}
                        }
                        add_entries(builder, bundle.entry);
                    }
                    Err(FhirError::Unauthorized) => return Err(FhirError::Unauthorized),
                    Err(e) => {
                        if let Some(section) = page.section {
                            builder.mark_truncated(section);
                            builder.problem(
                                Some(section),
                                format!("Only part of the {} could be loaded: {e}", section.name()),
                            );
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The chart's words for a record cut short by the budget.
fn cut_short(pending: &[PendingPage], limits: Limits) -> String {
    let mut sections: Vec<&str> = pending
        .iter()
        .filter_map(|p| p.section.map(Section::name))
        .collect();
    sections.sort_unstable();
    sections.dedup();
    format!(
        "The chart was cut short: rounds takes at most {} entries ({} MB) per chart, and the \
         server had more; the oldest {} are not shown",
        limits.entries,
        limits.bytes / (1024 * 1024),
        if sections.is_empty() {
            "entries".to_owned()
        } else {
            sections.join(", ")
        }
    )
}

fn add_entries(builder: &mut RecordBuilder, entries: Vec<BundleEntry>) {
    for resource in entries.into_iter().filter_map(|e| e.resource) {
        builder.add(resource);
    }
}

#[cfg(test)]
mod tests {
    use super::widen_count;

    #[test]
    fn a_small_count_is_raised_and_the_rest_of_the_link_kept() {
        let link = "http://h/fhir/Encounter?patient=1&_sort=-date&_count=10&_cursor=eyJ2Ijox";
        assert_eq!(
            widen_count(link, 100),
            "http://h/fhir/Encounter?patient=1&_sort=-date&_count=100&_cursor=eyJ2Ijox"
        );
    }

    #[test]
    fn links_without_a_smaller_count_are_left_alone() {
        for link in [
            "http://h/fhir?_getpages=abc&_getpagesoffset=10",
            "http://h/fhir/Observation?patient=1&_count=500",
            "http://h/fhir/Observation?patient=1&_count=ten",
            "http://h/fhir/Observation?a_count=5",
            "http://h/fhir/Observation",
        ] {
            assert_eq!(widen_count(link, 200), link);
        }
    }
}
