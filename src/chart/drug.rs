//! A medicine's name and codes, from an order or a statement: its own code, else the
//! Medication it references (included, contained or read separately), else the
//! reference's display text.

use super::codes::without_semantic_tag;
use super::format::ratio;
use crate::fhir::model::{CodeableConcept, Medication, Reference, non_empty};

/// The drug name and whether it came only from an unresolved reference's display.
pub fn drug_name(
    concept: Option<&CodeableConcept>,
    reference: Option<&Reference>,
    medication: Option<&Medication>,
) -> (String, bool) {
    if let Some(label) = concept.and_then(|c| c.label()) {
        return (without_semantic_tag(label).to_owned(), false);
    }
    if let Some(m) = medication {
        if let Some(label) = m.code.as_ref().and_then(|c| c.label()) {
            return (without_semantic_tag(label).to_owned(), false);
        }
        if let Some(name) = from_ingredients(m) {
            return (name, false);
        }
    }
    if let Some(display) = reference.and_then(|m| non_empty(m.display.as_deref())) {
        return (display.trim().to_owned(), medication.is_none());
    }
    ("Medication not known".to_owned(), true)
}

/// A Medication without a code, named from its ingredients and their strengths and its
/// form: `Amoxicillin 500 mg / Clavulanate 125 mg tablet`.
fn from_ingredients(m: &Medication) -> Option<String> {
    let parts: Vec<String> = m
        .ingredient
        .iter()
        .filter_map(|i| {
            let item = i
                .item_codeable_concept
                .as_ref()
                .and_then(|c| c.label())
                .map(str::to_owned)
                .or_else(|| i.item_reference.as_ref().and_then(|r| r.display.clone()))?;
            Some(match i.strength.as_ref().and_then(ratio) {
                Some(s) => format!("{} {s}", item.trim()),
                None => item.trim().to_owned(),
            })
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    let form = m
        .form
        .as_ref()
        .and_then(|f| f.label())
        .map(|f| format!(" {}", f.trim().to_lowercase()));
    Some(format!("{}{}", parts.join(" / "), form.unwrap_or_default()))
}

/// The drug's codes as `system|code` (its own, and its Medication's), for telling
/// whether an order and a statement are about the same medicine.
pub fn drug_codes(
    concept: Option<&CodeableConcept>,
    medication: Option<&Medication>,
) -> Vec<String> {
    concept
        .into_iter()
        .chain(medication.and_then(|m| m.code.as_ref()))
        .flat_map(|c| &c.coding)
        .filter_map(|c| {
            let code = non_empty(c.code.as_deref())?.trim();
            Some(format!(
                "{}|{code}",
                c.system.as_deref().unwrap_or("").trim()
            ))
        })
        .collect()
}
