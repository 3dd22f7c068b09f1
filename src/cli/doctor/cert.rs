//! Just enough of an X.509 certificate for the doctor's TLS line: the subject and issuer
//! names (CN, O, OU, L, ST, C) and the validity dates, read with a small DER walk
//! (RFC 5280 section 4.1). It checks nothing: whether the certificate is trusted is the
//! verifier's business; this only says what it claims, for a person to read.

use chrono::{DateTime, NaiveDateTime, Utc};

/// What a certificate says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version`, present in every v2 and v3 certificate.
const VERSION: u8 = 0xa0;

/// One DER element: its tag and contents, and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The contents of an element that must have tag `want`, and what follows it.
fn expect(input: &[u8], want: u8) -> Option<(&[u8], &[u8])> {
    let (tag, body, rest) = element(input)?;
    (tag == want).then_some((body, rest))
}

/// Read the subject, issuer and validity of a DER certificate.
pub fn parse(der: &[u8]) -> Option<CertInfo> {
    let (cert, _) = expect(der, SEQUENCE)?;
    let (tbs, _) = expect(cert, SEQUENCE)?;
    let mut rest = tbs;
    if let Some((VERSION, _, after)) = element(rest) {
        rest = after;
    }
    let (_serial, _, rest) = element(rest)?;
    let (_signature, rest) = expect(rest, SEQUENCE)?;
    let (issuer, rest) = expect(rest, SEQUENCE)?;
    let (validity, rest) = expect(rest, SEQUENCE)?;
    let (subject, _) = expect(rest, SEQUENCE)?;
    let (not_before, after) = time(validity)?;
    let (not_after, _) = time(after)?;
    Some(CertInfo {
        subject: name(subject),
        issuer: name(issuer),
        not_before,
        not_after,
    })
}

/// A UTCTime (`YYMMDDHHMMSSZ`, years 1950-2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn time(input: &[u8]) -> Option<(DateTime<Utc>, &[u8])> {
    let (tag, body, rest) = element(input)?;
    let text = std::str::from_utf8(body).ok()?;
    let full = match tag {
        UTC_TIME => {
            let yy: u32 = text.get(..2)?.parse().ok()?;
            let century = if yy >= 50 { "19" } else { "20" };
            format!("{century}{text}")
        }
        GENERALIZED_TIME => text.to_owned(),
        _ => return None,
    };
    let at = NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%SZ").ok()?;
    Some((at.and_utc(), rest))
}

/// A distinguished name as `CN=…, O=…`, with the attributes people read.
fn name(mut rdns: &[u8]) -> String {
    let mut parts = Vec::new();
    while let Some((SET, mut set, rest)) = element(rdns) {
        rdns = rest;
        while let Some((attribute, after)) = expect(set, SEQUENCE) {
            set = after;
            let Some((oid, value)) = expect(attribute, OID) else {
                continue;
            };
            let (Some(label), Some((tag, text, _))) = (label(oid), element(value)) else {
                continue;
            };
            parts.push(format!("{label}={}", string(tag, text)));
        }
    }
    if parts.is_empty() {
        "(no name)".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The short label of the attribute types under 2.5.4 that people read.
fn label(oid: &[u8]) -> Option<&'static str> {
    match oid {
        [0x55, 0x04, 0x03] => Some("CN"),
        [0x55, 0x04, 0x06] => Some("C"),
        [0x55, 0x04, 0x07] => Some("L"),
        [0x55, 0x04, 0x08] => Some("ST"),
        [0x55, 0x04, 0x0a] => Some("O"),
        [0x55, 0x04, 0x0b] => Some("OU"),
        _ => None,
    }
}

/// A directory string: BMPString is UTF-16; the others are read as UTF-8 (ASCII for the
/// printable kinds), anything else replaced.
fn string(tag: u8, bytes: &[u8]) -> String {
    const BMP_STRING: u8 = 0x1e;
    if tag == BMP_STRING {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn reads_names_and_dates_of_a_generated_certificate() {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "fhir.test-clinic.internal");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Test Clinic");
        params.not_before = rcgen::date_time_ymd(2024, 2, 29);
        params.not_after = rcgen::date_time_ymd(2051, 12, 31);
        let cert = params.self_signed(&key).unwrap();
        let info = parse(cert.der()).unwrap();
        assert_eq!(info.subject, "CN=fhir.test-clinic.internal, O=Test Clinic");
        assert_eq!(info.issuer, info.subject);
        assert_eq!(
            (
                info.not_before.year(),
                info.not_before.month(),
                info.not_before.day()
            ),
            (2024, 2, 29)
        );
        // After 2049 the date is a GeneralizedTime.
        assert_eq!(info.not_after.year(), 2051);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert_eq!(parse(b""), None);
        assert_eq!(parse(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(parse(&[0x30, 0x03, 0x02, 0x01, 0x01]), None);
    }
}
