//! Attachments shown as text: `text/plain` (any parameters), `text/html`, and XHTML
//! whether declared `application/xhtml+xml` or, as several EHRs send it,
//! `application/xhtml`; any case, any parameters, the charset honoured. Other types (PDF,
//! images) are only named. Inline `data` is decoded no further than what is shown.

use base64::Engine as _;

use super::AttachmentInfo;
use crate::fhir::binaries::resolved;
use crate::fhir::model::{Attachment, non_empty};
use crate::fhir::record::PatientRecord;
use crate::text::html_to_text;

/// A note's text from its attachments, and the attachments not shown. Content given by URL
/// is read from the Binary fetched for it, when there is one. Several `content` entries of a
/// document are the same document in several formats (FHIR): one text is shown, the best
/// readable format (`text_rank`); the other formats are named, not shown twice.
pub(super) fn contents<'a>(
    record: &PatientRecord,
    list: impl IntoIterator<Item = &'a Attachment>,
) -> (Option<String>, Vec<AttachmentInfo>) {
    let filled: Vec<Attachment> = list
        .into_iter()
        .map(|a| resolved(record, a).unwrap_or_else(|| a.clone()))
        .collect();
    let texts: Vec<Option<(u8, String)>> = filled
        .iter()
        .map(|a| Some((text_rank(a)?, attachment_text(a)?)))
        .collect();
    let best = texts
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.as_ref().map(|(rank, _)| (*rank, i)))
        .min()
        .map(|(_, i)| i);
    let mut shown = None;
    let mut rest = Vec::new();
    for (i, (a, t)) in filled.iter().zip(texts).enumerate() {
        match t {
            Some((_, text)) if Some(i) == best => shown = Some(text),
            _ => rest.push(a),
        }
    }
    let others = rest
        .into_iter()
        .map(|a| {
            let mut other = info(a);
            // A text format not shown while another is: an alternative (not fetched when
            // it was given by URL), named so.
            if shown.is_some() && text_rank(a).is_some() {
                other.title = format!("{} (the same document in another format)", other.title);
            }
            other
        })
        .collect();
    (shown, others)
}

/// How good a text attachment is as the one shown when a note sends its content in several
/// formats (FHIR: several `content` entries are the same document): plain text, then
/// (X)HTML, then RTF, then other text; `None` for what is not text.
pub(super) fn text_rank(a: &Attachment) -> Option<u8> {
    let ct = a
        .content_type
        .as_deref()
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim().to_owned();
    Some(match mime.as_str() {
        "text/plain" | "" => 0,
        "text/html" | "text/xhtml" | "application/xhtml+xml" | "application/xhtml" => 1,
        "text/rtf" | "application/rtf" => 2,
        m if m.starts_with("text/") => 3,
        _ => return None,
    })
}

/// The words of an RTF document: control words and destinations (`{\*...}`, font and
/// colour tables) dropped, `\par` and `\line` as line breaks, `\'hh` as that Latin-1
/// character, `\uN` as that character; good enough to read a clinical note, not a layout.
pub(super) fn rtf_to_text(rtf: &str) -> String {
    let mut out = String::new();
    let mut chars = rtf.chars().peekable();
    // Depth of groups being skipped (destinations), and the group depth.
    let mut depth = 0usize;
    let mut skip_from: Option<usize> = None;
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                depth += 1;
                if chars.peek() == Some(&'\\') {
                    let rest: String = chars.clone().take(12).collect();
                    let skipped = [
                        "\\*",
                        "\\fonttbl",
                        "\\colortbl",
                        "\\stylesheet",
                        "\\info",
                        "\\pict",
                    ];
                    if skip_from.is_none() && skipped.iter().any(|k| rest.starts_with(k)) {
                        skip_from = Some(depth);
                    }
                }
            }
            '}' => {
                if skip_from == Some(depth) {
                    skip_from = None;
                }
                depth = depth.saturating_sub(1);
            }
            '\\' => {
                let mut word = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_alphabetic() {
                        word.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if word.is_empty() {
                    match chars.next() {
                        Some('\'') => {
                            let hex: String = chars.by_ref().take(2).collect();
                            if skip_from.is_none() {
                                if let Ok(b) = u8::from_str_radix(&hex, 16) {
                                    out.push(char::from(b));
                                }
                            }
                        }
                        Some(lit @ ('\\' | '{' | '}')) if skip_from.is_none() => out.push(lit),
                        _ => {}
                    }
                    continue;
                }
                let mut num = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_digit() || (n == '-' && num.is_empty()) {
                        num.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if chars.peek() == Some(&' ') {
                    chars.next();
                }
                if skip_from.is_some() {
                    continue;
                }
                match word.as_str() {
                    "par" | "line" | "row" => out.push('\n'),
                    "tab" | "cell" => out.push('\t'),
                    "u" => {
                        let code = num.parse::<i32>().unwrap_or(0);
                        let code = if code < 0 { code + 65536 } else { code };
                        out.extend(u32::try_from(code).ok().and_then(char::from_u32));
                        // The fallback character after \uN.
                        if chars
                            .peek()
                            .is_some_and(|c| *c != '\\' && *c != '{' && *c != '}')
                        {
                            chars.next();
                        }
                    }
                    _ => {}
                }
            }
            '\r' | '\n' => {}
            c if skip_from.is_none() => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

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
    let is_rtf = matches!(mime.as_str(), "text/rtf" | "application/rtf");
    if !(mime.starts_with("text/") || is_html || is_rtf) {
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
    let mut text = if is_html {
        html_to_text(&text)
    } else if is_rtf {
        rtf_to_text(&text)
    } else {
        text
    };
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

    #[test]
    fn rtf_reads_as_its_words() {
        let rtf = br"{\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Zz;}\f0\fs20 S: caf\'e9 and \u8364? fee\par P: rest\tab home\par \{braces\}}";
        assert_eq!(
            attached("text/rtf", rtf).as_deref(),
            Some("S: café and € fee\nP: rest\thome\n{braces}")
        );
        assert!(
            attached("application/rtf", rtf)
                .unwrap()
                .starts_with("S: caf")
        );
    }

    #[test]
    fn one_document_in_several_formats_is_shown_once() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let a = |ct: &str, body: &str| Attachment {
            content_type: Some(ct.into()),
            data: Some(b64(body)),
            ..Attachment::default()
        };
        let list = [
            a("text/rtf", r"{\rtf1 S: cough\par}"),
            a("text/html", "<p>S: cough</p>"),
            a("application/pdf", "%PDF"),
        ];
        let (text, others) = contents(&PatientRecord::default(), &list);
        assert_eq!(text.as_deref(), Some("S: cough"));
        let titles: Vec<&str> = others.iter().map(|o| o.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Attachment (the same document in another format)",
                "Attachment"
            ]
        );
    }
}
