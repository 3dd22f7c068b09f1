//! Folding text for matching: lower case without accents, so that `hernan` finds Hernán in
//! a name search and a row filter alike.

use unicode_normalization::UnicodeNormalization;

/// Lower case without accents: `Hernán` gives `hernan`.
pub fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}
