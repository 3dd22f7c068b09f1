//! Patient search over local data, following FHIR string-search rules where they matter:
//! names match by prefix, ignoring case and accents (`hernan` finds Hernán); birth date and
//! gender match exactly; an identifier matches by value or by `system|value`.

use crate::fhir::PatientQuery;
use crate::fhir::model::Patient;
use crate::text::fold;

/// Whether `p` matches every criterion of `q`.
pub fn matches(p: &Patient, q: &PatientQuery) -> bool {
    let names = || p.name.iter();
    if let Some(term) = q.name.as_deref().filter(|t| !t.trim().is_empty()) {
        // Every word of the term must start some part of some name.
        let parts: Vec<String> = names()
            .flat_map(|n| {
                n.given
                    .iter()
                    .chain(n.family.iter())
                    .chain(n.prefix.iter())
                    .chain(n.suffix.iter())
                    .chain(n.text.iter())
                    .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == '-' || c == ','))
                    .chain(n.family.iter().map(String::as_str))
                    .map(fold)
                    .collect::<Vec<_>>()
            })
            .collect();
        let words: Vec<String> = term
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(fold)
            .collect();
        if !words
            .iter()
            .all(|w| parts.iter().any(|p| p.starts_with(w.as_str())))
        {
            return false;
        }
    }
    if let Some(term) = q.family.as_deref().filter(|t| !t.trim().is_empty()) {
        let t = fold(term.trim());
        if !names().any(|n| n.family.as_deref().is_some_and(|f| fold(f).starts_with(&t))) {
            return false;
        }
    }
    if let Some(term) = q.given.as_deref().filter(|t| !t.trim().is_empty()) {
        let t = fold(term.trim());
        if !names().any(|n| n.given.iter().any(|g| fold(g).starts_with(&t))) {
            return false;
        }
    }
    if let Some(date) = q.birthdate {
        let want = date.format("%Y-%m-%d").to_string();
        if p.birth_date.as_deref().map(str::trim) != Some(want.as_str()) {
            return false;
        }
    }
    if let Some(g) = q.gender.as_deref().filter(|t| !t.trim().is_empty()) {
        if !p
            .gender
            .as_deref()
            .is_some_and(|pg| pg.eq_ignore_ascii_case(g.trim()))
        {
            return false;
        }
    }
    if let Some(id) = q.identifier.as_deref().filter(|t| !t.trim().is_empty()) {
        let id = id.trim();
        let (system, value) = match id.split_once('|') {
            Some((s, v)) => (Some(s), v),
            None => (None, id),
        };
        let hit = p.identifier.iter().any(|i| {
            i.value.as_deref().map(str::trim) == Some(value)
                && system.is_none_or(|s| s.is_empty() || i.system.as_deref() == Some(s))
        });
        if !hit {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patient() -> Patient {
        serde_json::from_str(
            r#"{"id":"x","name":[{"family":"O'Keefe","given":["Mathilda","Ann"]},{"text":"Hernán Heredia-Ruiz"}],
                "birthDate":"2006-07-31","gender":"female",
                "identifier":[{"system":"http://hospital.example","value":"MRN-7"}]}"#,
        )
        .unwrap()
    }

    fn q(f: impl FnOnce(&mut PatientQuery)) -> PatientQuery {
        let mut q = PatientQuery::default();
        f(&mut q);
        q
    }

    #[test]
    fn names_match_by_prefix_without_case_or_accents() {
        let p = patient();
        assert!(matches(&p, &q(|q| q.name = Some("math".into()))));
        assert!(matches(
            &p,
            &q(|q| q.name = Some("o'keefe, mathilda".into()))
        ));
        assert!(matches(&p, &q(|q| q.name = Some("hernan ruiz".into()))));
        assert!(!matches(&p, &q(|q| q.name = Some("athilda".into()))));
        assert!(matches(&p, &q(|q| q.family = Some("o'k".into()))));
        assert!(!matches(&p, &q(|q| q.given = Some("keefe".into()))));
    }

    #[test]
    fn dates_genders_and_identifiers_match_exactly() {
        let p = patient();
        assert!(matches(
            &p,
            &q(|q| q.birthdate = chrono::NaiveDate::from_ymd_opt(2006, 7, 31))
        ));
        assert!(!matches(
            &p,
            &q(|q| q.birthdate = chrono::NaiveDate::from_ymd_opt(2006, 7, 30))
        ));
        assert!(matches(&p, &q(|q| q.gender = Some("FEMALE".into()))));
        assert!(matches(&p, &q(|q| q.identifier = Some("MRN-7".into()))));
        assert!(matches(
            &p,
            &q(|q| q.identifier = Some("http://hospital.example|MRN-7".into()))
        ));
        assert!(!matches(
            &p,
            &q(|q| q.identifier = Some("http://other|MRN-7".into()))
        ));
        assert!(!matches(&p, &q(|q| q.identifier = Some("MRN".into()))));
    }
}
