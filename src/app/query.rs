//! The patient search box: one line that understands `smith`, `smith, john`,
//! `smith 1980-01-15`, `1980-01-15`, `14-Jul-1945` and `mrn:12345`, turned into FHIR
//! search criteria.

use chrono::NaiveDate;

use crate::fhir::PatientQuery;
use crate::fhir::query::check_birth_date;

/// Why a search box entry cannot be searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

/// Parse the search box; a birth date after today (`config::today`) is refused.
pub fn parse_query(text: &str) -> Result<PatientQuery, QueryError> {
    parse_query_on(text, crate::config::today())
}

/// Parse the search box as of `today`: an impossible birth date (before 1850, or after
/// today) is refused rather than searched for.
pub fn parse_query_on(text: &str, today: NaiveDate) -> Result<PatientQuery, QueryError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QueryError(
            "Type a name, a birth date (1980-01-15) or mrn:NUMBER".into(),
        ));
    }
    let mut q = PatientQuery::default();
    for prefix in ["mrn:", "id:", "identifier:", "#"] {
        if text.len() > prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix) {
            q.identifier = Some(text[prefix.len()..].trim().to_owned());
            return Ok(q);
        }
    }
    let mut words: Vec<&str> = Vec::new();
    for token in text.split_whitespace() {
        if let Some(date) = parse_date(token) {
            check_birth_date(date, today).map_err(QueryError)?;
            if q.birthdate.is_some() {
                return Err(QueryError("Give one birth date only".into()));
            }
            q.birthdate = Some(date);
        } else if looks_like_date(token) {
            return Err(QueryError(format!(
                "'{token}' is not a date: use 1980-01-15 or 15-Jan-1980"
            )));
        } else {
            words.push(token);
        }
    }
    let name = words.join(" ");
    if let Some((family, given)) = name.split_once(',') {
        let (family, given) = (family.trim(), given.trim());
        if !family.is_empty() {
            q.family = Some(family.to_owned());
        }
        if !given.is_empty() {
            q.given = Some(given.to_owned());
        }
    } else if !name.is_empty() {
        q.name = Some(name);
    }
    Ok(q)
}

fn parse_date(token: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(token, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(token, "%d-%b-%Y"))
        .ok()
}

fn looks_like_date(token: &str) -> bool {
    token.chars().filter(char::is_ascii_digit).count() >= 4 && token.contains(['-', '/', '.'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn understands_the_documented_forms() {
        assert_eq!(
            parse_query("smith").unwrap(),
            PatientQuery {
                name: Some("smith".into()),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query("smith, john").unwrap(),
            PatientQuery {
                family: Some("smith".into()),
                given: Some("john".into()),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query("smith 1980-01-15").unwrap(),
            PatientQuery {
                name: Some("smith".into()),
                birthdate: d(1980, 1, 15),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query(" 1980-01-15 ").unwrap(),
            PatientQuery {
                birthdate: d(1980, 1, 15),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query("14-Jul-1945").unwrap(),
            PatientQuery {
                birthdate: d(1945, 7, 14),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query("mrn:12345").unwrap(),
            PatientQuery {
                identifier: Some("12345".into()),
                ..Default::default()
            }
        );
        assert_eq!(
            parse_query("MRN: RND100101").unwrap().identifier.as_deref(),
            Some("RND100101")
        );
        assert_eq!(
            parse_query("o'keefe, mathilda 2006-07-31").unwrap(),
            PatientQuery {
                family: Some("o'keefe".into()),
                given: Some("mathilda".into()),
                birthdate: d(2006, 7, 31),
                ..Default::default()
            }
        );
    }

    #[test]
    fn explains_what_it_cannot_search() {
        assert!(parse_query("   ").is_err());
        assert_eq!(
            parse_query("smith 1980-13-45").unwrap_err().0,
            "'1980-13-45' is not a date: use 1980-01-15 or 15-Jan-1980"
        );
        assert!(parse_query("1980-01-15 1990-01-01").is_err());
    }

    #[test]
    fn impossible_birth_dates_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let err = |t: &str| parse_query_on(t, today).unwrap_err().0;
        assert_eq!(
            err("smith 0000-01-01"),
            "'0000-01-01' is before 1850: check the year"
        );
        assert_eq!(
            err("2999-01-01"),
            "'2999-01-01' is in the future: check the year"
        );
        assert_eq!(
            err("01-Jan-1849"),
            "'1849-01-01' is before 1850: check the year"
        );
        assert_eq!(
            err("2026-11-23"),
            "'2026-11-23' is in the future: check the year"
        );
        assert!(parse_query_on("smith 2026-11-22", today).is_ok());
    }
}
