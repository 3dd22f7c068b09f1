//! Measuring a JSON body that failed to parse, to say why in typed terms rather than by
//! reading the parser's message: whether it nests deeper than the parser allows, and how
//! many entries a Bundle holds. Both are asked only after a parse failed, and both read
//! the body without building it in memory.

use serde::Deserialize;
use serde::de::{IgnoredAny, SeqAccess, Visitor};

/// How deep serde_json lets JSON nest before it refuses (its recursion limit).
pub(crate) const PARSER_DEPTH_LIMIT: usize = 128;

/// Whether `body` nests arrays and objects deeper than `max` (strings are skipped,
/// escapes included).
pub(crate) fn nests_deeper_than(body: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// How many entries the Bundle in `body` holds, counted without keeping them; `None` if
/// the body is not a JSON object that can be read that far.
pub(crate) fn bundle_entry_count(body: &[u8]) -> Option<usize> {
    #[derive(Deserialize)]
    struct Count {
        #[serde(default, deserialize_with = "count_items")]
        entry: usize,
    }
    serde_json::from_slice::<Count>(body).ok().map(|c| c.entry)
}

fn count_items<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    struct Counter;
    impl<'de> Visitor<'de> for Counter {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut n = 0usize;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
    }
    d.deserialize_seq(Counter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_brackets_outside_strings() {
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(nests_deeper_than(deep.as_bytes(), PARSER_DEPTH_LIMIT));
        let quoted = format!("{{\"a\":\"{}\\\"\"}}", "[".repeat(300));
        assert!(!nests_deeper_than(quoted.as_bytes(), PARSER_DEPTH_LIMIT));
    }

    #[test]
    fn entries_are_counted_without_being_kept() {
        let body = br#"{"resourceType":"Bundle","entry":[{"a":1},{"b":[2]},{}]}"#;
        assert_eq!(bundle_entry_count(body), Some(3));
        assert_eq!(
            bundle_entry_count(b"{\"resourceType\":\"Bundle\"}"),
            Some(0)
        );
        assert_eq!(bundle_entry_count(b"not json"), None);
    }
}
