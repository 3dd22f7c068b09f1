//! The oxygen a patient breathed when an SpO2 was taken: 95 % on 6 L/min is not 95 % on
//! room air. Read from the SpO2's components (inhaled O2 flow 3151-8, concentration 3150-0,
//! total inhaled gas 19994-3), else from a separate observation of those codes taken at
//! the same time. Nothing is said when nothing was sent: room air is not assumed.

use crate::chart::format::{decimal, join_unit, quantity_unit};
use crate::chart::labs::{effective, shown_status};
use crate::fhir::model::{CodeableConcept, Observation, Quantity};

const FLOW: &str = "3151-8";
const CONCENTRATION: [&str; 2] = ["3150-0", "19994-3"];

/// The oxygen beside an SpO2 (`on 6 L/min, FiO2 44%`), and `Type/id` of the separate
/// observations it came from.
pub fn oxygen(o: &Observation, all: &[Observation]) -> Option<(String, Vec<String>)> {
    let mut flow: Option<String> = None;
    let mut fio2: Option<String> = None;
    let mut ids = Vec::new();
    let mut take = |code: Option<&CodeableConcept>, q: Option<&Quantity>| -> bool {
        let (Some(code), Some(q)) = (code, q) else {
            return false;
        };
        let Some(v) = q.value.filter(|v| v.is_finite()) else {
            return false;
        };
        if code.has_code(FLOW) && flow.is_none() {
            flow = Some(join_unit(&decimal(v), &flow_unit(q)));
            true
        } else if CONCENTRATION.iter().any(|c| code.has_code(c)) && fio2.is_none() {
            fio2 = Some(format!(
                "FiO2 {}",
                join_unit(&decimal(v), &quantity_unit(q))
            ));
            true
        } else {
            false
        }
    };
    for c in &o.component {
        take(c.code.as_ref(), c.value_quantity.as_ref());
    }
    let when = effective(o);
    if when.is_some() {
        for other in all
            .iter()
            .filter(|x| x.id != o.id && shown_status(x) && effective(x) == when)
        {
            if take(other.code.as_ref(), other.value_quantity.as_ref()) {
                ids.extend(other.id.iter().map(|i| format!("Observation/{i}")));
            }
        }
    }
    let parts: Vec<String> = flow.into_iter().chain(fio2).collect();
    (!parts.is_empty()).then(|| (format!("on {}", parts.join(", ")), ids))
}

/// Litres per minute as `L/min` when the code says so, whatever the display text
/// (`liters/min`).
fn flow_unit(q: &Quantity) -> String {
    match q.code.as_deref().map(str::trim) {
        Some("L/min") => "L/min".to_owned(),
        _ => quantity_unit(q),
    }
}
