//! Patient search criteria (`PatientQuery`) and the FHIR search parameters they become.

use serde::{Deserialize, Serialize};

/// The Patient search parameters rounds sends, all of them about who the person is: they
/// stay out of URLs (POST searches), and a paging link that echoes them loses them.
#[rustfmt::skip]
pub const PERSON_TERMS: [&str; 6] = ["name", "family", "given", "birthdate", "gender", "identifier"];

/// The earliest birth year a search accepts: nobody alive was born before it, so an earlier
/// year is a typing slip (`0000`, `1066`) that would only find no one.
pub const EARLIEST_BIRTH_YEAR: i32 = 1850;

/// Check a birth date typed as a search term: not before 1850 and not after `today`.
/// The words for the user when it is impossible.
pub fn check_birth_date(date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), String> {
    use chrono::Datelike;
    let shown = date.format("%Y-%m-%d");
    if date.year() < EARLIEST_BIRTH_YEAR {
        return Err(format!(
            "'{shown}' is before {EARLIEST_BIRTH_YEAR}: check the year"
        ));
    }
    if date > today {
        return Err(format!("'{shown}' is in the future: check the year"));
    }
    Ok(())
}

/// Criteria for finding a patient. Empty fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientQuery {
    /// Any part of any name (`name`).
    pub name: Option<String>,
    /// Family name (`family`).
    pub family: Option<String>,
    /// Given name (`given`).
    pub given: Option<String>,
    /// Birth date, `YYYY-MM-DD` (`birthdate`).
    pub birthdate: Option<chrono::NaiveDate>,
    /// Administrative gender: male, female, other, unknown (`gender`).
    pub gender: Option<String>,
    /// An identifier such as an MRN, `value` or `system|value` (`identifier`).
    pub identifier: Option<String>,
    /// Send a many-word `name` as one phrase instead of one parameter per word (for names
    /// recorded only as text, which servers match from the start of the whole text).
    #[serde(default)]
    pub name_as_phrase: bool,
    /// Every patient the source holds, with no criterion: for the demo and local files
    /// (a newcomer's first look); a server is never listed whole.
    #[serde(default)]
    pub all: bool,
}

impl PatientQuery {
    /// Whether the name has more than one word (so a phrase search differs from a word one).
    pub fn name_has_words(&self) -> bool {
        self.name.as_deref().is_some_and(|n| {
            n.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .count()
                > 1
        })
    }

    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        self.params().is_empty()
    }

    /// The criteria as FHIR search parameters, in a fixed order.
    pub fn params(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut push = |k: &str, v: Option<&str>| {
            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
                out.push((k.to_owned(), v.to_owned()));
            }
        };
        // Each word of a name is its own `name` parameter: repeated parameters must all
        // match (AND), so "smith john" finds John Smith on any conformant server.
        if self.name_as_phrase {
            push("name", self.name.as_deref());
        }
        for word in self
            .name
            .as_deref()
            .unwrap_or("")
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty() && !self.name_as_phrase)
        {
            push("name", Some(word));
        }
        push("family", self.family.as_deref());
        push("given", self.given.as_deref());
        let date = self.birthdate.map(|d| d.format("%Y-%m-%d").to_string());
        push("birthdate", date.as_deref());
        push("gender", self.gender.as_deref());
        push("identifier", self.identifier.as_deref());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::query::encode_params;

    #[test]
    fn patient_query_sends_only_what_is_set() {
        let q = PatientQuery {
            name: Some("  O'Keefe ".into()),
            birthdate: chrono::NaiveDate::from_ymd_opt(2006, 7, 31),
            gender: Some(String::new()),
            ..PatientQuery::default()
        };
        assert_eq!(
            encode_params(&q.params()),
            "name=O%27Keefe&birthdate=2006-07-31"
        );
        assert!(PatientQuery::default().is_empty());
    }
}
