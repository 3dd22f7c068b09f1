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

/// A page still to fetch: the section and resource type it belongs to, and its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPage {
    pub section: Option<Section>,
    pub resource_type: &'static str,
    pub link: String,
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
    /// `pages` more pages per search. Sections left with pages are marked truncated.
    pub(crate) async fn follow_pages(
        &self,
        builder: &mut RecordBuilder,
        mut pending: Vec<PendingPage>,
        pages: u32,
    ) -> Result<(), FhirError> {
        let mut fetched = 0;
        while !pending.is_empty() {
            if fetched >= pages {
                for p in &pending {
                    if let Some(section) = p.section {
                        builder.mark_truncated(section);
                    }
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
                        Ok(url) => client.get(url, label).await.and_then(bundle_from),
                        Err(e) => Err(e),
                    };
                    (page, result)
                });
            }
            while let Some(joined) = set.join_next().await {
                let Ok((page, result)) = joined else { continue };
                match result {
                    Ok(bundle) => {
                        if let Some(next) = bundle.next_link() {
                            pending.push(PendingPage {
                                link: next.to_owned(),
                                ..page
                            });
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

fn add_entries(builder: &mut RecordBuilder, entries: Vec<BundleEntry>) {
    for resource in entries.into_iter().filter_map(|e| e.resource) {
        builder.add(resource);
    }
}
