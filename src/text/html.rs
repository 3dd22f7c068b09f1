//! XHTML narrative (`text.div`, text/html attachments) to plain text: block elements become
//! line breaks, list items get a bullet, entities are decoded, every tag and script or style
//! body is dropped. The result still goes through the sanitizer before display.

/// Convert (X)HTML to plain text. Never fails; malformed markup degrades to its text.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            out.push_str(&decode_entities(rest));
            break;
        };
        out.push_str(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]);
            continue;
        }
        // A `<` that does not start a tag is text, as in a browser: "K <3.5 and Na >150"
        // must keep every character. So is a tag that is never closed.
        let starts_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let gt = rest.find('>').filter(|_| starts_tag);
        let Some(gt) = gt else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            // Script and style bodies are code, not text: skip to their end tag.
            "script" | "style" if !closing => {
                let end = format!("</{name}");
                rest = find_ascii_ci(rest, &end).map_or("", |i| {
                    rest[i..].find('>').map_or("", |j| &rest[i + j + 1..])
                });
            }
            "br" => out.push('\n'),
            "li" if !closing => out.push_str("\n• "),
            "p" | "div" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol"
            | "table" | "pre" | "blockquote" | "li" => out.push('\n'),
            "td" | "th" if closing => out.push(' '),
            _ => {}
        }
    }
    // Collapse spaces within lines and drop empty lines: compact text for small screens.
    out.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The byte offset of the first match of the ASCII `needle` in `haystack`, ignoring ASCII case.
fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&i| i <= 10);
        let decoded = end.and_then(|i| entity(&rest[1..i]));
        match (end, decoded) {
            (Some(i), Some(c)) => {
                out.push(c);
                rest = &rest[i + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "deg" => Some('°'),
        "micro" => Some('µ'),
        "plusmn" => Some('±'),
        "le" => Some('≤'),
        "ge" => Some('≥'),
        "ndash" => Some('–'),
        "mdash" => Some('—'),
        "bull" => Some('•'),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let num = name.strip_prefix('#')?;
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_lists_and_entities() {
        let html = r#"<div xmlns="http://www.w3.org/1999/xhtml"><h2>Discharge</h2>
            <p>Stable &amp; well.   Temp 37&#176;C</p><ul><li>Metformin</li><li>Lisinopril</li></ul>
            <script>alert(1)</script><style>p{}</style><!-- hidden -->Done &bogus; &lt;ok&gt;</div>"#;
        assert_eq!(
            html_to_text(html),
            "Discharge\nStable & well. Temp 37°C\n• Metformin\n• Lisinopril\nDone &bogus; <ok>"
        );
    }

    #[test]
    fn malformed_markup_does_not_panic() {
        for s in [
            "<",
            "<p",
            "&#xFFFFFFFF;",
            "&#;",
            "<scr<script>ipt>",
            "a<b>c</",
        ] {
            let _ = html_to_text(s);
        }
        assert_eq!(html_to_text("a <b>bold</b> word"), "a bold word");
    }

    #[test]
    fn a_less_than_sign_that_starts_no_tag_is_text() {
        assert_eq!(
            html_to_text("<p>K <3.5 and Na >150 &amp; 1 < 2</p>"),
            "K <3.5 and Na >150 & 1 < 2"
        );
        assert_eq!(html_to_text("Trailing <p"), "Trailing <p");
        assert_eq!(html_to_text("<script>if (a<b) x()</SCRIPT >after"), "after");
        assert_eq!(html_to_text("<style>p{}"), "");
    }
}
