//! Bundle and OperationOutcome: the envelopes a FHIR server answers with.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datatypes::CodeableConcept;

/// A collection of resources (`Bundle`): a search result page, a batch response, an export.
/// Entry resources stay raw JSON until the caller decodes them by type, so one malformed
/// resource cannot spoil the rest of the bundle.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    /// Should be "Bundle"; checked by whoever parses a response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub total: Option<u64>,
    #[serde(default)]
    pub link: Vec<BundleLink>,
    /// At most `MAX_ENTRIES`: counted while parsing, so a hostile page of millions of
    /// entries is refused before it can take the memory.
    #[serde(default, deserialize_with = "bounded_vec")]
    pub entry: Vec<BundleEntry>,
}

/// Most entries a Bundle read from a server may hold. rounds asks for a few hundred per
/// page; many thousands means a broken or hostile server.
pub const MAX_ENTRIES: usize = 20_000;

/// Deserialize a list of at most `MAX_ENTRIES` items, failing as soon as there are more.
pub fn bounded_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Bounded<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Bounded<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a list of at most {MAX_ENTRIES} entries")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(e) = seq.next_element::<T>()? {
                if out.len() >= MAX_ENTRIES {
                    return Err(serde::de::Error::custom(format!(
                        "more than the {MAX_ENTRIES} entries rounds accepts in one Bundle"
                    )));
                }
                out.push(e);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Bounded(std::marker::PhantomData))
}

impl Bundle {
    /// The URL of the next page of a searchset, if there is one.
    pub fn next_link(&self) -> Option<&str> {
        self.link
            .iter()
            .find(|l| l.relation.as_deref() == Some("next"))
            .and_then(|l| l.url.as_deref())
            .filter(|u| !u.trim().is_empty())
    }
}

/// A link in a bundle, such as `next` for paging (`Bundle.link`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleLink {
    #[serde(default)]
    pub relation: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// One entry of a bundle (`Bundle.entry`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    #[serde(default)]
    pub full_url: Option<String>,
    #[serde(default)]
    pub resource: Option<Value>,
    #[serde(default)]
    pub search: Option<EntrySearch>,
    #[serde(default)]
    pub request: Option<EntryRequest>,
    #[serde(default)]
    pub response: Option<EntryResponse>,
}

/// Why an entry is in a searchset: `match`, `include` or `outcome`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntrySearch {
    #[serde(default)]
    pub mode: Option<String>,
}

/// The request of a batch or transaction entry.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryRequest {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// The result of a batch or transaction entry: an HTTP status line, perhaps an outcome.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryResponse {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub etag: Option<String>,
    #[serde(default)]
    pub last_modified: Option<String>,
    #[serde(default)]
    pub outcome: Option<Value>,
}

impl EntryResponse {
    /// The numeric HTTP status at the start of `status` ("404 Not Found" gives 404).
    pub fn status_code(&self) -> Option<u16> {
        self.status
            .as_deref()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    }
}

/// Errors and warnings from a server (`OperationOutcome`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationOutcome {
    #[serde(default)]
    pub issue: Vec<OutcomeIssue>,
}

/// One issue of an OperationOutcome.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeIssue {
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub details: Option<CodeableConcept>,
    #[serde(default)]
    pub diagnostics: Option<String>,
}

impl OperationOutcome {
    /// The issues in words: each issue's diagnostics, else its details, else its code,
    /// joined with "; ". Empty when the outcome says nothing.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .issue
            .iter()
            .filter_map(|i| {
                super::datatypes::non_empty(i.diagnostics.as_deref())
                    .map(str::to_owned)
                    .or_else(|| {
                        i.details
                            .as_ref()
                            .and_then(|d| d.label())
                            .map(str::to_owned)
                    })
                    .or_else(|| i.code.clone())
            })
            .collect();
        parts.join("; ")
    }

    /// Whether any issue is an error or fatal (warnings and information are not).
    pub fn has_error(&self) -> bool {
        self.issue
            .iter()
            .any(|i| matches!(i.severity.as_deref(), Some("error" | "fatal") | None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_and_entry_status() {
        let b: Bundle = serde_json::from_str(
            r#"{"resourceType":"Bundle","type":"searchset","link":[
                {"relation":"self","url":"http://x/Patient?name=a"},
                {"relation":"next","url":"http://x/Patient?name=a&_cursor=2"}],
              "entry":[{"response":{"status":"404 Not Found"}}]}"#,
        )
        .unwrap();
        assert_eq!(b.next_link(), Some("http://x/Patient?name=a&_cursor=2"));
        let status = b.entry[0].response.as_ref().unwrap().status_code();
        assert_eq!(status, Some(404));
    }

    #[test]
    fn outcome_summary_prefers_diagnostics() {
        let o: OperationOutcome = serde_json::from_str(
            r#"{"resourceType":"OperationOutcome","issue":[
                {"severity":"error","code":"invalid","diagnostics":"Unknown parameter 'foo'"},
                {"severity":"warning","code":"processing","details":{"text":"Slow query"}},
                {"severity":"error","code":"not-found"}]}"#,
        )
        .unwrap();
        assert_eq!(
            o.summary(),
            "Unknown parameter 'foo'; Slow query; not-found"
        );
        assert!(o.has_error());
    }
}
