//! Panels sent as an Observation that only lists its results (`hasMember`), such as a
//! blood typing panel: the panel is not a row of its own when its results are in the
//! record; each result's row names the panel too, so the panel is accounted for.

use std::collections::{BTreeMap, BTreeSet};

use super::place::has_value;
use crate::fhir::model::Observation;

/// The panels of a list of observations whose results are there too.
#[derive(Debug, Default)]
pub struct Panels {
    /// `Observation/id` of each result, and the panels that list it.
    of_member: BTreeMap<String, Vec<String>>,
    /// The ids of panels that are shown through their results.
    absorbed: BTreeSet<String>,
}

impl Panels {
    /// Find the panels among `observations` (no value, no components, `hasMember` naming at
    /// least one observation of the list).
    pub fn new(observations: &[Observation]) -> Panels {
        let present: BTreeSet<String> = observations
            .iter()
            .filter_map(|o| o.id.as_ref().map(|i| format!("Observation/{i}")))
            .collect();
        let mut out = Panels::default();
        for o in observations {
            let Some(id) = &o.id else { continue };
            if has_value(o) || o.has_member.is_empty() {
                continue;
            }
            let panel = format!("Observation/{id}");
            for member in o.has_member.iter().filter_map(|m| m.local_key()) {
                if present.contains(&member) {
                    out.of_member.entry(member).or_default().push(panel.clone());
                    out.absorbed.insert(id.clone());
                }
            }
        }
        out
    }

    /// Whether `o` is a panel shown through its results (so not a row of its own).
    pub fn absorbed(&self, o: &Observation) -> bool {
        o.id.as_ref().is_some_and(|i| self.absorbed.contains(i))
    }

    /// The ids a row of `o` carries: its own, and those of the panels that list it.
    pub fn ids(&self, o: &Observation) -> Vec<String> {
        let Some(id) = &o.id else { return Vec::new() };
        let own = format!("Observation/{id}");
        let panels = self.of_member.get(&own).cloned().unwrap_or_default();
        std::iter::once(own).chain(panels).collect()
    }
}
