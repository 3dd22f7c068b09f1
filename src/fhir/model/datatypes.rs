//! FHIR R4 general-purpose data types, as far as rounds reads them.
//!
//! Every field is optional or defaults to empty: servers leave out what they like, and a
//! missing element must never stop a chart from opening. Unknown elements and extensions are
//! ignored. Strings here are untrusted server text: they are kept as sent and only cleaned
//! (see `crate::text`) when they reach a terminal.

use serde::{Deserialize, Serialize};

/// A code from a terminology (`Coding`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coding {
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub display: Option<String>,
}

/// A concept given as codes and/or text (`CodeableConcept`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeableConcept {
    #[serde(default)]
    pub coding: Vec<Coding>,
    #[serde(default)]
    pub text: Option<String>,
}

impl CodeableConcept {
    /// The best human label: `text`, else the first coding's `display`, else its `code`.
    pub fn label(&self) -> Option<&str> {
        non_empty(self.text.as_deref())
            .or_else(|| {
                self.coding
                    .iter()
                    .find_map(|c| non_empty(c.display.as_deref()))
            })
            .or_else(|| {
                self.coding
                    .iter()
                    .find_map(|c| non_empty(c.code.as_deref()))
            })
    }

    /// The first code from `system` (exact match).
    pub fn code_in(&self, system: &str) -> Option<&str> {
        self.coding
            .iter()
            .find(|c| c.system.as_deref() == Some(system))
            .and_then(|c| c.code.as_deref())
    }

    /// The first code, whatever its system.
    pub fn first_code(&self) -> Option<&str> {
        self.coding.iter().find_map(|c| c.code.as_deref())
    }

    /// Whether any coding carries `code` (system ignored).
    pub fn has_code(&self, code: &str) -> bool {
        self.coding.iter().any(|c| c.code.as_deref() == Some(code))
    }

    /// A stable key for grouping results of the same test: `system|code` of the first coding,
    /// else the lower-cased text.
    pub fn key(&self) -> Option<String> {
        self.coded_key()
            .or_else(|| non_empty(self.text.as_deref()).map(str::to_lowercase))
    }

    /// `system|code` of the first coding that has a code; `None` for a concept sent as text
    /// only (never shown as if its text were a code).
    pub fn coded_key(&self) -> Option<String> {
        let c = self.coding.iter().find(|c| c.code.is_some())?;
        Some(format!(
            "{}|{}",
            c.system.as_deref().unwrap_or(""),
            c.code.as_deref().unwrap_or("")
        ))
    }
}

/// A measured amount (`Quantity`, also used for `SimpleQuantity`, `Age`, `Duration`).
/// A value outside what a number can hold (`1e400`, or `1e-400`, which would read as 0)
/// makes the quantity, and so its resource, unreadable: reported, never shown as a
/// different number.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", try_from = "RawQuantity")]
pub struct Quantity {
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub comparator: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

/// A `Quantity` as sent, its value with the digits the server wrote.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawQuantity {
    #[serde(default)]
    value: Option<serde_json::Number>,
    #[serde(default)]
    comparator: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// Why a quantity's value cannot be used (the value itself is never named: it may be
/// patient data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the number is too large or too small to be read")]
pub struct OutOfRange;

impl TryFrom<RawQuantity> for Quantity {
    type Error = OutOfRange;

    fn try_from(raw: RawQuantity) -> Result<Quantity, OutOfRange> {
        let value = match raw.value {
            None => None,
            Some(n) => Some(number(&n.to_string())?),
        };
        Ok(Quantity {
            value,
            comparator: raw.comparator,
            unit: raw.unit,
            system: raw.system,
            code: raw.code,
        })
    }
}

/// A JSON number's text as an `f64`, refusing one that overflows or that underflows to
/// zero though its digits are not all zero.
fn number(text: &str) -> Result<f64, OutOfRange> {
    let v: f64 = text.parse().map_err(|_| OutOfRange)?;
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    if !v.is_finite() || (v == 0.0 && mantissa.chars().any(|c| ('1'..='9').contains(&c))) {
        return Err(OutOfRange);
    }
    Ok(v)
}

/// A low/high pair of quantities (`Range`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Range {
    #[serde(default)]
    pub low: Option<Quantity>,
    #[serde(default)]
    pub high: Option<Quantity>,
}

/// A ratio of two quantities (`Ratio`), e.g. a strength of 500 mg per 1 tablet.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ratio {
    #[serde(default)]
    pub numerator: Option<Quantity>,
    #[serde(default)]
    pub denominator: Option<Quantity>,
}

/// A time span (`Period`); either end may be open.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
}

/// A link to another resource (`Reference`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub display: Option<String>,
}

use super::reference::relative_reference;

impl Reference {
    /// The `Type/id` part of the reference, without a server base or `_history`.
    /// `https://x/fhir/Patient/1/_history/2` gives `Patient/1`; a contained `#id` gives `None`.
    pub fn local_key(&self) -> Option<String> {
        relative_reference(self.reference.as_deref()?)
    }

    /// The id of a contained resource (`#id`), if this points at one.
    pub fn contained_id(&self) -> Option<&str> {
        self.reference.as_deref()?.strip_prefix('#')
    }
}

/// An identifier for a person or thing (`Identifier`), such as an MRN.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identifier {
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<CodeableConcept>,
    #[serde(default)]
    pub system: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub period: Option<Period>,
}

/// A person's name (`HumanName`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HumanName {
    #[serde(default, rename = "use")]
    pub use_: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub given: Vec<String>,
    #[serde(default)]
    pub prefix: Vec<String>,
    #[serde(default)]
    pub suffix: Vec<String>,
    #[serde(default)]
    pub period: Option<Period>,
}

/// Content in a MIME type, inline (`data`, base64) or by `url` (`Attachment`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(default)]
    pub content_type: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub data: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub size: Option<u64>,
    #[serde(default)]
    pub title: Option<String>,
}

/// A text note with optional author and time (`Annotation`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Annotation {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub time: Option<String>,
}

/// The human-readable XHTML summary of a resource (`Narrative`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Narrative {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub div: Option<String>,
}

/// Resource metadata (`Meta`); rounds reads only what helps revalidation and display.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(default)]
    pub version_id: Option<String>,
    #[serde(default)]
    pub last_updated: Option<String>,
}

/// `Some(s)` only when `s` has something other than white space.
pub fn non_empty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_to_type_and_id() {
        assert_eq!(
            relative_reference("Patient/1").as_deref(),
            Some("Patient/1")
        );
        assert_eq!(
            relative_reference("https://ehr.example/fhir/R4/Medication/m-1/_history/3").as_deref(),
            Some("Medication/m-1")
        );
        assert_eq!(relative_reference("#med1"), None);
        assert_eq!(relative_reference("urn:uuid:1234"), None);
        assert_eq!(relative_reference("patient/1"), None);
        assert_eq!(relative_reference("Patient/"), None);
    }

    #[test]
    fn a_number_out_of_range_is_refused_not_changed() {
        let q =
            |v: &str| serde_json::from_str::<Quantity>(&format!(r#"{{"value":{v},"unit":"mg"}}"#));
        assert_eq!(q("1.10").unwrap().value, Some(1.1));
        assert_eq!(q("0").unwrap().value, Some(0.0));
        assert_eq!(q("-0.0e5").unwrap().value, Some(0.0));
        assert_eq!(
            q("123456789012345678901234567890").unwrap().value,
            Some(1.2345678901234568e29)
        );
        assert!(q("1e400").is_err());
        assert!(q("-1e400").is_err());
        assert!(q("1e-400").is_err());
        // From a parsed document too (the file and server readers parse to JSON values).
        let v: serde_json::Value = serde_json::from_str(r#"{"value":1e-400}"#).unwrap();
        assert!(serde_json::from_value::<Quantity>(v).is_err());
    }

    #[test]
    fn concept_label_prefers_text_then_display_then_code() {
        let mut c: CodeableConcept = serde_json::from_str(
            r#"{"coding":[{"system":"http://loinc.org","code":"718-7","display":"Hemoglobin"}],"text":" "}"#,
        )
        .unwrap();
        assert_eq!(c.label(), Some("Hemoglobin"));
        c.text = Some("Hb".into());
        assert_eq!(c.label(), Some("Hb"));
        assert_eq!(c.key().as_deref(), Some("http://loinc.org|718-7"));
        let bare: CodeableConcept = serde_json::from_str(r#"{"coding":[{"code":"X1"}]}"#).unwrap();
        assert_eq!(bare.label(), Some("X1"));
        let empty = CodeableConcept::default();
        assert_eq!(empty.label(), None);
        assert_eq!(empty.key(), None);
    }
}
