//! A conflict, for the user to compare, never resolved by overwriting: the resource when
//! the form opened (base), as the server has it now (theirs), and what this item would
//! make of it (mine), reduced to the elements where they differ.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Base, theirs and mine of one resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// `Type/id`.
    pub resource: String,
    pub base: Option<Value>,
    pub theirs: Option<Value>,
    pub mine: Value,
}

/// One element where base, theirs and mine are not all the same (compact JSON; `None`
/// where the element is absent or the version unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub element: String,
    pub base: Option<String>,
    pub theirs: Option<String>,
    pub mine: Option<String>,
}

/// Elements that change with every version and say nothing about the content.
const IGNORED: [&str; 3] = ["meta", "text", "id"];

impl Conflict {
    /// The top-level elements that differ, in a stable order.
    pub fn differences(&self) -> Vec<Difference> {
        let objects = [self.base.as_ref(), self.theirs.as_ref(), Some(&self.mine)];
        let mut names: Vec<&str> = objects
            .iter()
            .flatten()
            .filter_map(|v| v.as_object())
            .flat_map(|m| m.keys().map(String::as_str))
            .filter(|k| !IGNORED.contains(k))
            .collect();
        names.sort_unstable();
        names.dedup();
        let get = |v: Option<&Value>, k: &str| v.and_then(|v| v.get(k)).map(|x| x.to_string());
        names
            .into_iter()
            .filter_map(|k| {
                let d = Difference {
                    element: k.to_owned(),
                    base: get(self.base.as_ref(), k),
                    theirs: get(self.theirs.as_ref(), k),
                    mine: get(Some(&self.mine), k),
                };
                let same = d.theirs == d.mine && (self.base.is_none() || d.base == d.mine);
                (!same).then_some(d)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_what_differs_is_shown() {
        let c = Conflict {
            resource: "DocumentReference/d1".into(),
            base: Some(
                json!({"id":"d1","meta":{"versionId":"1"},"status":"current","docStatus":"final"}),
            ),
            theirs: Some(
                json!({"id":"d1","meta":{"versionId":"2"},"status":"current","docStatus":"amended"}),
            ),
            mine: json!({"id":"d1","status":"entered-in-error","docStatus":"final"}),
        };
        let d = c.differences();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].element, "docStatus");
        assert_eq!(d[0].theirs.as_deref(), Some("\"amended\""));
        assert_eq!(d[1].element, "status");
        assert_eq!(d[1].mine.as_deref(), Some("\"entered-in-error\""));
    }
}
