//! What a server says it can do (`CapabilityStatement`), reduced to what rounds needs.
//!
//! The full statement can be megabytes; `Capabilities` keeps only the FHIR version, the
//! software, system interactions (batch, transaction), and per resource type the
//! interactions, search parameters, includes and operations. It holds no patient data, so
//! it may be cached on disk per server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The parts of a CapabilityStatement that drive rounds' behaviour.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Capabilities {
    /// `fhirVersion`, e.g. "4.0.1".
    pub fhir_version: Option<String>,
    /// Software name and version, e.g. "Helios FHIR Server 0.2.7".
    pub software: Option<String>,
    /// MIME formats the server accepts (`format`).
    pub formats: Vec<String>,
    /// Whole-system interactions (`rest.interaction`): batch, transaction, search-system...
    pub system_interactions: Vec<String>,
    /// Whole-system operations (`rest.operation`), e.g. "export".
    pub system_operations: Vec<String>,
    /// Per resource type: what can be done with it.
    pub resources: BTreeMap<String, ResourceCapabilities>,
    /// Security services (`rest.security.service`), e.g. "SMART-on-FHIR".
    pub security_services: Vec<String>,
    /// PATCH formats the server accepts (`patchFormat`), e.g. `application/json-patch+json`.
    #[serde(default)]
    pub patch_formats: Vec<String>,
    /// Not from the statement: the server declared `patch` without a `patchFormat` and then
    /// refused a JSON Patch (kept with the cached statement, so it is tried once per server).
    #[serde(default)]
    pub json_patch_refused: bool,
    /// OAuth endpoints from the SMART `oauth-uris` extension, when advertised.
    pub oauth_authorize: Option<String>,
    pub oauth_token: Option<String>,
}

/// Whether a server takes a JSON Patch (`Capabilities::json_patch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchSupport {
    /// Declared: `patch` and `application/json-patch+json` in `patchFormat`.
    Declared,
    /// `patch` declared, `patchFormat` silent, and not refused yet: try it, fall back to
    /// read-merge-PUT if the server refuses it.
    Untried,
    /// Not declared, another format only, or refused before.
    No,
}

/// What a server supports for one resource type.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ResourceCapabilities {
    pub interactions: Vec<String>,
    pub search_params: Vec<String>,
    pub search_includes: Vec<String>,
    pub operations: Vec<String>,
    /// `conditionalCreate`: a create with `If-None-Exist` is honoured (a lost answer can be
    /// sent again without making a duplicate).
    #[serde(default)]
    pub conditional_create: bool,
}

impl Capabilities {
    /// Whether the server accepts `batch` Bundles (several requests in one round trip).
    pub fn supports_batch(&self) -> bool {
        self.system_interactions.iter().any(|i| i == "batch")
    }

    /// Whether the server accepts `transaction` Bundles.
    pub fn supports_transaction(&self) -> bool {
        self.system_interactions.iter().any(|i| i == "transaction")
    }

    /// Whether `resource_type` can be searched (`search-type`).
    pub fn can_search(&self, resource_type: &str) -> bool {
        self.resources
            .get(resource_type)
            .is_some_and(|r| r.interactions.iter().any(|i| i == "search-type"))
    }

    /// Whether `resource_type` declares the search parameter `name`.
    pub fn has_search_param(&self, resource_type: &str, name: &str) -> bool {
        self.resources
            .get(resource_type)
            .is_some_and(|r| r.search_params.iter().any(|p| p == name))
    }

    /// Whether `resource_type` declares the operation `name` (without the `$`).
    pub fn has_operation(&self, resource_type: &str, name: &str) -> bool {
        self.resources.get(resource_type).is_some_and(|r| {
            r.operations
                .iter()
                .any(|p| p.trim_start_matches('$') == name)
        })
    }

    /// The resource types that declare the interaction `code` (e.g. "patch").
    pub fn types_with_interaction(&self, code: &str) -> Vec<&str> {
        self.resources
            .iter()
            .filter(|(_, r)| r.interactions.iter().any(|i| i == code))
            .map(|(ty, _)| ty.as_str())
            .collect()
    }

    /// The resource types that declare conditional create.
    pub fn types_with_conditional_create(&self) -> Vec<&str> {
        self.resources
            .iter()
            .filter(|(_, r)| r.conditional_create)
            .map(|(ty, _)| ty.as_str())
            .collect()
    }

    /// Whether `resource_type` declares the interaction `code` (`create`, `update`, `patch`).
    pub fn has_interaction(&self, resource_type: &str, code: &str) -> bool {
        self.resources
            .get(resource_type)
            .is_some_and(|r| r.interactions.iter().any(|i| i == code))
    }

    /// Whether a create of `resource_type` may carry `If-None-Exist` (`conditionalCreate`):
    /// a create sent again after a lost answer then finds the first instead of making a
    /// second.
    pub fn supports_conditional_create(&self, resource_type: &str) -> bool {
        self.resources
            .get(resource_type)
            .is_some_and(|r| r.conditional_create)
    }

    /// Whether `resource_type` may be changed by a JSON Patch (`patch` interaction and the
    /// `application/json-patch+json` format).
    pub fn supports_json_patch(&self, resource_type: &str) -> bool {
        self.has_interaction(resource_type, "patch")
            && self
                .patch_formats
                .iter()
                .any(|f| f.trim() == "application/json-patch+json")
    }

    /// How far a JSON Patch of `resource_type` can be relied on: declared (`patch` and the
    /// format), untried (`patch` declared with no `patchFormat` at all, as hfs does: worth
    /// one try, with read-merge-PUT behind it), or not usable.
    pub fn json_patch(&self, resource_type: &str) -> PatchSupport {
        if self.supports_json_patch(resource_type) {
            PatchSupport::Declared
        } else if self.has_interaction(resource_type, "patch")
            && self.patch_formats.iter().all(|f| f.trim().is_empty())
            && !self.json_patch_refused
        {
            PatchSupport::Untried
        } else {
            PatchSupport::No
        }
    }

    /// Whether the FHIR version is R4 (4.0.x); rounds speaks R4 only.
    pub fn is_r4(&self) -> bool {
        self.fhir_version
            .as_deref()
            .is_some_and(|v| v.starts_with("4.0"))
    }

    /// Read the parts rounds needs from a CapabilityStatement's JSON.
    pub fn from_statement(statement: &CapabilityStatement) -> Capabilities {
        let mut caps = Capabilities {
            fhir_version: statement.fhir_version.clone(),
            software: statement.software.as_ref().and_then(|s| {
                let name = s.name.as_deref()?.trim();
                Some(match s.version.as_deref() {
                    Some(v) if !v.trim().is_empty() => format!("{name} {}", v.trim()),
                    _ => name.to_owned(),
                })
            }),
            formats: statement.format.clone(),
            patch_formats: statement.patch_format.clone(),
            ..Capabilities::default()
        };
        for rest in statement
            .rest
            .iter()
            .filter(|r| r.mode.as_deref() != Some("client"))
        {
            caps.system_interactions
                .extend(rest.interaction.iter().filter_map(|i| i.code.clone()));
            caps.system_operations
                .extend(rest.operation.iter().filter_map(|o| o.name.clone()));
            if let Some(sec) = &rest.security {
                caps.security_services.extend(
                    sec.service
                        .iter()
                        .flat_map(|s| s.coding.iter())
                        .filter_map(|c| c.code.clone().or_else(|| c.display.clone())),
                );
                for ext in sec
                    .extension
                    .iter()
                    .filter(|e| e.url.ends_with("oauth-uris"))
                {
                    for inner in &ext.extension {
                        match inner.url.as_str() {
                            "authorize" => caps.oauth_authorize = inner.value_uri.clone(),
                            "token" => caps.oauth_token = inner.value_uri.clone(),
                            _ => {}
                        }
                    }
                }
            }
            for res in &rest.resource {
                let Some(ty) = res.type_.clone() else {
                    continue;
                };
                let entry = caps.resources.entry(ty).or_default();
                entry
                    .interactions
                    .extend(res.interaction.iter().filter_map(|i| i.code.clone()));
                entry
                    .search_params
                    .extend(res.search_param.iter().filter_map(|p| p.name.clone()));
                entry
                    .search_includes
                    .extend(res.search_include.iter().cloned());
                entry
                    .operations
                    .extend(res.operation.iter().filter_map(|o| o.name.clone()));
                entry.conditional_create |= res.conditional_create == Some(true);
            }
        }
        caps
    }
}

/// The subset of `CapabilityStatement` JSON that `Capabilities` is read from.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CapabilityStatement {
    #[serde(default)]
    pub fhir_version: Option<String>,
    #[serde(default)]
    pub software: Option<Software>,
    #[serde(default)]
    pub format: Vec<String>,
    #[serde(default)]
    pub patch_format: Vec<String>,
    #[serde(default)]
    pub rest: Vec<Rest>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Software {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rest {
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub security: Option<Security>,
    #[serde(default)]
    pub resource: Vec<RestResource>,
    #[serde(default)]
    pub interaction: Vec<Interaction>,
    #[serde(default)]
    pub operation: Vec<Operation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Security {
    #[serde(default)]
    pub service: Vec<super::model::CodeableConcept>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub value_uri: Option<String>,
    #[serde(default)]
    pub extension: Vec<Extension>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestResource {
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub interaction: Vec<Interaction>,
    #[serde(default)]
    pub search_param: Vec<SearchParam>,
    #[serde(default)]
    pub search_include: Vec<String>,
    #[serde(default)]
    pub operation: Vec<Operation>,
    #[serde(default)]
    pub conditional_create: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Interaction {
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchParam {
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Operation {
    #[serde(default)]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_batch_search_params_and_smart_uris() {
        let json = r#"{"resourceType":"CapabilityStatement","fhirVersion":"4.0.1",
          "software":{"name":"Test EHR","version":"2.1"},"format":["json"],
          "rest":[{"mode":"server",
            "security":{"service":[{"coding":[{"code":"SMART-on-FHIR"}]}],
              "extension":[{"url":"http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                "extension":[{"url":"authorize","valueUri":"https://auth.example/authorize"},
                             {"url":"token","valueUri":"https://auth.example/token"}]}]},
            "interaction":[{"code":"batch"},{"code":"transaction"}],
            "resource":[{"type":"Patient","interaction":[{"code":"read"},{"code":"search-type"}],
              "conditionalCreate":true,
              "searchParam":[{"name":"name","type":"string"},{"name":"birthdate","type":"date"}]},
              {"type":"Observation","interaction":[{"code":"search-type"},{"code":"patch"}],
               "operation":[{"name":"lastn","definition":"x"}]}]}]}"#;
        let st: CapabilityStatement = serde_json::from_str(json).unwrap();
        let caps = Capabilities::from_statement(&st);
        assert!(caps.supports_batch());
        assert!(caps.is_r4());
        assert_eq!(caps.software.as_deref(), Some("Test EHR 2.1"));
        assert!(caps.can_search("Patient"));
        assert!(caps.has_search_param("Patient", "birthdate"));
        assert!(!caps.has_search_param("Patient", "gender"));
        assert!(caps.has_operation("Observation", "lastn"));
        assert_eq!(caps.types_with_interaction("patch"), vec!["Observation"]);
        assert_eq!(caps.types_with_conditional_create(), vec!["Patient"]);
        assert_eq!(
            caps.oauth_token.as_deref(),
            Some("https://auth.example/token")
        );
        assert_eq!(caps.security_services, vec!["SMART-on-FHIR".to_owned()]);
        assert!(caps.supports_conditional_create("Patient"));
        assert!(!caps.supports_conditional_create("Observation"));
        assert!(!caps.supports_json_patch("Patient"));
        assert_eq!(caps.json_patch("Patient"), PatchSupport::No);
        // `patch` with no `patchFormat` (as hfs declares it): worth one try.
        assert_eq!(caps.json_patch("Observation"), PatchSupport::Untried);
        let refused = Capabilities {
            json_patch_refused: true,
            ..caps.clone()
        };
        assert_eq!(refused.json_patch("Observation"), PatchSupport::No);
        let declared = Capabilities {
            patch_formats: vec!["application/json-patch+json".into()],
            ..caps.clone()
        };
        assert_eq!(declared.json_patch("Observation"), PatchSupport::Declared);
        let other = Capabilities {
            patch_formats: vec!["application/fhir+json".into()],
            ..caps
        };
        assert_eq!(other.json_patch("Observation"), PatchSupport::No);
    }

    #[test]
    fn a_server_without_batch_says_so() {
        let st: CapabilityStatement =
            serde_json::from_str(r#"{"fhirVersion":"4.0.1","rest":[{"mode":"server"}]}"#).unwrap();
        assert!(!Capabilities::from_statement(&st).supports_batch());
    }
}
