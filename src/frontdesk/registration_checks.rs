//! The checks of what a front desk types: a name part, a phone number, an email address,
//! an MRN and a birth date, each with what is wrong in words (values quoted, cleaned for
//! the terminal). Used by registration and by the demographics change.

use chrono::NaiveDate;

/// Longest name part accepted (characters).
pub const MAX_NAME: usize = 100;

/// A name part: trimmed, inner spaces collapsed, non-empty, bounded, no control
/// characters, at least one letter.
pub fn check_name(what: &str, raw: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(format!("the {what} name is empty"));
    }
    if raw.chars().any(char::is_control) {
        return Err(format!("the {what} name holds control characters"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!(
            "the {what} name is longer than {MAX_NAME} characters"
        ));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(format!(
            "the {what} name '{}' has no letter",
            crate::text::clean_line(&name)
        ));
    }
    if name
        .chars()
        .any(|c| matches!(c, '|' | '<' | '>' | '{' | '}' | '\\'))
    {
        return Err(format!(
            "the {what} name '{}' holds a character a name does not have",
            crate::text::clean_line(&name)
        ));
    }
    Ok(name)
}

/// A phone number: digits, spaces, `+` (first only), `-`, `.`, `(`, `)`; 3 to 20 digits.
pub fn check_phone(raw: &str) -> Result<String, String> {
    let phone = raw.trim();
    let shown = || crate::text::clean_line(phone);
    let ok_chars = phone.char_indices().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')') || (c == '+' && i == 0)
    });
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !ok_chars || phone.len() > 32 {
        return Err(format!(
            "'{}' is not a phone number: use digits, spaces, + - . ( )",
            shown()
        ));
    }
    if !(3..=20).contains(&digits) {
        return Err(format!(
            "'{}' has {digits} digits: a phone number has 3 to 20",
            shown()
        ));
    }
    Ok(phone.to_owned())
}

/// An email address: one `@`, a local part, a domain with a dot; no spaces; at most 254.
pub fn check_email(raw: &str) -> Result<String, String> {
    let email = raw.trim();
    let bad = || {
        format!(
            "'{}' is not an email address",
            crate::text::clean_line(email)
        )
    };
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let fine = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ',');
    if fine {
        Ok(email.to_owned())
    } else {
        Err(bad())
    }
}

/// An MRN: 1 to 64 letters, digits, `-`, `.`, `_`.
pub fn check_mrn(raw: &str) -> Result<String, String> {
    let mrn = raw.trim();
    let fine = !mrn.is_empty()
        && mrn.len() <= 64
        && mrn
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if fine {
        Ok(mrn.to_owned())
    } else {
        Err(format!(
            "'{}' is not an MRN: 1 to 64 letters, digits, - . _",
            crate::text::clean_line(mrn)
        ))
    }
}

/// A birth date: a real `YYYY-MM-DD`, not before 1850, not after `today`.
pub fn check_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "'{}' is not a date; use YYYY-MM-DD, e.g. 1980-01-15",
            crate::text::clean_line(raw)
        )
    })?;
    crate::fhir::query::check_birth_date(date, today)?;
    Ok(date)
}
