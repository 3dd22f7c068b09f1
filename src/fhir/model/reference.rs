//! Literal references (`Patient/1`, `https://ehr.example/fhir/Patient/1/_history/2`) read
//! strictly, and FHIR ids: what a reference names is decided here once, for the server
//! client, the file reader and the chart. A reference that is not exactly `[base/]Type/id`
//! with an optional `/_history/version` (a `..` segment, an extra path, an id FHIR does not
//! allow) names nothing: `Patient/p1/_history/../../p2` is neither p1 nor p2.

/// Whether `id` is a FHIR id: 1 to 64 of `A-Z a-z 0-9 - .` (FHIR R4 `id`), and not only dots
/// (`.` and `..` name folders in a URL path, not resources).
pub fn is_fhir_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !id.bytes().all(|b| b == b'.')
}

/// Whether `ty` can be a resource type name: an upper-case ASCII letter, then letters.
fn is_type_name(ty: &str) -> bool {
    (1..=64).contains(&ty.len())
        && ty.as_bytes()[0].is_ascii_uppercase()
        && ty.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A literal reference taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefParts<'a> {
    /// The server base of an absolute reference (`https://ehr.example/fhir`), without a
    /// trailing slash; `None` for a relative one.
    pub base: Option<&'a str>,
    pub ty: &'a str,
    pub id: &'a str,
}

/// Whether a path segment of a base URL walks the path (`.` or `..`, percent-encoded or not).
fn walks(segment: &str) -> bool {
    let decoded = segment.replace("%2e", ".").replace("%2E", ".");
    decoded == "." || decoded == ".."
}

/// Take a literal reference apart: `None` for a contained (`#id`) or `urn:` reference, and
/// for anything that is not exactly `[base/]Type/id[/_history/version]`.
pub fn parse_reference(reference: &str) -> Option<RefParts<'_>> {
    if reference.starts_with('#') || reference.starts_with("urn:") {
        return None;
    }
    if reference.contains(['?', '#', '\\']) || reference.chars().any(char::is_whitespace) {
        return None;
    }
    let mut segments: Vec<&str> = reference.split('/').collect();
    // A version: exactly `/_history/VID` at the end.
    if segments.len() >= 4 && segments[segments.len() - 2] == "_history" {
        if !is_fhir_id(segments[segments.len() - 1]) {
            return None;
        }
        segments.truncate(segments.len() - 2);
    }
    let id = segments.pop().filter(|id| is_fhir_id(id))?;
    let ty = segments.pop().filter(|ty| is_type_name(ty))?;
    if segments.is_empty() {
        return Some(RefParts { base: None, ty, id });
    }
    // The rest must be an http(s) base: scheme, empty, authority, then path segments.
    let absolute = matches!(segments.as_slice(), [scheme, "", authority, ..]
        if matches!(*scheme, "http:" | "https:") && !authority.is_empty());
    if !absolute || segments[3..].iter().any(|s| s.is_empty() || walks(s)) {
        return None;
    }
    let base_len = segments.iter().map(|s| s.len() + 1).sum::<usize>() - 1;
    Some(RefParts {
        base: Some(&reference[..base_len]),
        ty,
        id,
    })
}

/// Turn an absolute, relative or versioned reference into `Type/id`; `None` when it is not
/// a well-formed literal reference (see `parse_reference`).
pub fn relative_reference(reference: &str) -> Option<String> {
    parse_reference(reference).map(|p| format!("{}/{}", p.ty, p.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_normalise_to_type_and_id() {
        assert_eq!(
            relative_reference("Patient/1").as_deref(),
            Some("Patient/1")
        );
        assert_eq!(
            relative_reference("https://ehr.example/fhir/R4/Medication/m-1/_history/3").as_deref(),
            Some("Medication/m-1")
        );
        assert_eq!(relative_reference("#med1"), None);
        assert_eq!(relative_reference("urn:uuid:1234"), None);
        assert_eq!(relative_reference("patient/1"), None);
        assert_eq!(relative_reference("Patient/"), None);
    }

    #[test]
    fn hostile_references_name_nothing() {
        for bad in [
            "Patient/p1/_history/../../p2",
            "Patient/p1/../p2",
            "Patient/..",
            "Patient/.",
            "Patient/p1/extra",
            "Patient/p%2F2",
            "Patient/p 1",
            "Patient/p1?x=1",
            "https://ehr.example/fhir/../other/Patient/p1",
            "https://ehr.example/fhir/%2e%2e/Patient/p1",
            "ftp://ehr.example/Patient/p1",
            "//ehr.example/Patient/p1",
            "a/b/Patient/p1",
            "Patient/p1/_history/",
            "Patient/\u{1b}[2J",
        ] {
            assert_eq!(parse_reference(bad), None, "{bad}");
        }
        assert_eq!(
            parse_reference("https://ehr.example:8443/fhir/R4/Patient/p1/_history/2"),
            Some(RefParts {
                base: Some("https://ehr.example:8443/fhir/R4"),
                ty: "Patient",
                id: "p1"
            })
        );
        assert_eq!(
            parse_reference("http://h/Patient/a.b-C").map(|p| p.base),
            Some(Some("http://h"))
        );
    }

    #[test]
    fn ids_follow_the_fhir_rule() {
        for good in [
            "1",
            "a.b-C",
            "75e95f92-3bfa-454f-aa99-99375173f201",
            &"x".repeat(64),
        ] {
            assert!(is_fhir_id(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "...",
            "a/b",
            "a_b",
            "é",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(!is_fhir_id(bad), "{bad}");
        }
    }
}
