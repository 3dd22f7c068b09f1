//! Attachments shown as text: `text/plain` (any parameters), `text/html`, and XHTML
//! whether declared `application/xhtml+xml` or, as several EHRs send it,
//! `application/xhtml`; any case, any parameters, the charset honoured. Other types (PDF,
//! images) are only named. Inline `data` is decoded no further than what is shown.

use base64::Engine as _;

use super::AttachmentInfo;
use crate::fhir::model::{Attachment, non_empty};
use crate::text::html_to_text;

/// Most bytes of one attachment decoded for display.
const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// The text of a text or (X)HTML attachment given inline; `None` for anything else.
pub(super) fn attachment_text(a: &Attachment) -> Option<String> {
    let ct = a
        .content_type
        .as_deref()
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim().to_owned();
    let is_html = matches!(
        mime.as_str(),
        "text/html" | "text/xhtml" | "application/xhtml+xml" | "application/xhtml"
    );
    if !(mime.starts_with("text/") || is_html) {
        return None;
    }
    let data = a.data.as_deref()?;
    // Decode no more than is shown: a 50 MB attachment costs what 2 MB does.
    let limit = (MAX_TEXT_BYTES / 3 + 1) * 4;
    let compact: String = data
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(limit)
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.as_bytes()))
        .ok()?;
    let truncated = bytes.len() > MAX_TEXT_BYTES;
    let bytes = &bytes[..bytes.len().min(MAX_TEXT_BYTES)];
    let charset = ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches('"').to_owned())
    });
    let text = decode_text(bytes, charset.as_deref());
    let mut text = if is_html { html_to_text(&text) } else { text };
    if truncated {
        text.push_str("\n[…the rest of this document is too long to show]");
    }
    Some(text)
}

/// Text from bytes in the declared charset: UTF-8 (the default; invalid bytes become
/// U+FFFD), ISO-8859-1, windows-1252, or UTF-16 (by its byte-order mark, else as declared).
fn decode_text(bytes: &[u8], charset: Option<&str>) -> String {
    match charset.unwrap_or("utf-8") {
        "iso-8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => {
            bytes.iter().map(|&b| char::from(b)).collect()
        }
        "windows-1252" | "cp1252" => bytes.iter().map(|&b| windows_1252(b)).collect(),
        cs @ ("utf-16" | "utf-16le" | "utf-16be") => {
            let (big_endian, body) = match bytes {
                [0xfe, 0xff, rest @ ..] => (true, rest),
                [0xff, 0xfe, rest @ ..] => (false, rest),
                _ => (cs == "utf-16be", bytes),
            };
            let units = body.chunks_exact(2).map(|c| {
                let pair = [c[0], c[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            let mut text: String = char::decode_utf16(units)
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            if body.len() % 2 == 1 {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            text
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A windows-1252 byte as a character: Latin-1, but for the printable characters
/// Windows puts in 0x80-0x9F (curly quotes, dashes, the euro sign).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

pub(super) fn info(a: &Attachment) -> AttachmentInfo {
    let ct = a
        .content_type
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    AttachmentInfo {
        title: non_empty(a.title.as_deref())
            .map(|t| t.trim().to_owned())
            .unwrap_or_else(|| "Attachment".to_owned()),
        content_type: ct.unwrap_or("unknown type").to_owned(),
        url: a.url.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attached(content_type: &str, text: &[u8]) -> Option<String> {
        attachment_text(&Attachment {
            content_type: Some(content_type.into()),
            data: Some(base64::engine::general_purpose::STANDARD.encode(text)),
            ..Attachment::default()
        })
    }

    #[test]
    fn text_and_xhtml_in_any_spelling_are_shown() {
        let html = b"<html><body><p>No acute abnormality</p></body></html>";
        for ct in [
            "application/xhtml",
            "application/XHTML+XML",
            "text/html; charset=UTF-8",
            "Text/HTML",
        ] {
            assert_eq!(
                attached(ct, html).as_deref(),
                Some("No acute abnormality"),
                "{ct}"
            );
        }
        assert_eq!(
            attached(
                "TEXT/PLAIN; Charset=\"ISO-8859-1\"; format=flowed",
                b"caf\xe9"
            )
            .as_deref(),
            Some("caf\u{e9}")
        );
        assert_eq!(
            attached("text/plain;charset=windows-1252", b"\x93ok\x94 \x96 5\x80").as_deref(),
            Some("\u{201c}ok\u{201d} \u{2013} 5\u{20ac}")
        );
        assert_eq!(attached("application/pdf", b"%PDF"), None);
    }

    #[test]
    fn declared_charsets_and_invalid_bytes() {
        assert_eq!(decode_text(b"caf\xe9 \xff", None), "caf\u{fffd} \u{fffd}");
        assert_eq!(decode_text(b"caf\xe9", Some("iso-8859-1")), "caf\u{e9}");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Hi \u{5f20}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&utf16, Some("utf-16")), "Hi \u{5f20}");
        assert_eq!(
            decode_text(&[0x00, 0x48, 0x00], Some("utf-16be")),
            "H\u{fffd}"
        );
        assert_eq!(decode_text(&[0x00, 0xd8], Some("utf-16le")), "\u{fffd}");
    }
}
