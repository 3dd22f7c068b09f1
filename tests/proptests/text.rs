//! The sanitizer and the HTML-to-text converter: nothing a terminal would act on comes
//! out, the result is idempotent, and plain text of any script survives.

use proptest::prelude::*;
use rounds::text::{clean_block, clean_line, html_to_text};

use super::{config, first_forbidden};
use crate::strategies::hostile_string;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn clean_line_is_inert_single_line_and_idempotent(s in hostile_string()) {
        let once = clean_line(&s);
        prop_assert_eq!(first_forbidden(&once, false), None, "{:?} -> {:?}", s, once);
        let breaks = ['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];
        prop_assert!(!once.contains(breaks), "a line break in {:?}", once);
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "));
        prop_assert_eq!(clean_line(&once), once.clone(), "not idempotent: {:?}", s);
    }

    #[test]
    fn clean_block_is_inert(s in hostile_string()) {
        let out = clean_block(&s);
        prop_assert_eq!(first_forbidden(&out, true), None, "{:?} -> {:?}", s, out);
        prop_assert!(!out.contains('\t'));
        prop_assert_eq!(clean_block(&out), out.clone(), "not idempotent: {:?}", s);
    }

    #[test]
    fn html_to_text_never_panics_and_cleans_up(s in hostile_string(), wrap in any::<bool>()) {
        let html = if wrap { format!("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{s}</p></div>") } else { s };
        let text = html_to_text(&html);
        let shown = clean_block(&text);
        prop_assert_eq!(first_forbidden(&shown, true), None, "{:?} -> {:?}", html, shown);
        let _ = clean_line(&text);
    }

    #[test]
    fn plain_text_survives(s in "[\\p{L}\\p{N}\\p{P} ]{0,40}") {
        // Letters, digits and punctuation of any script, single spaces: shown as sent.
        let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(first_forbidden(&words, false).is_none());
        prop_assert_eq!(clean_line(&words), words);
    }
}
