//! The Patient out of the first-screen batch before the whole answer is in. The banner
//! needs only the batch's first entry (the Patient read), which on a slow link arrives
//! a good part of a second before the last byte of the cover sheet. `EarlyPatient` is fed
//! the body as it arrives, decompresses it as it goes, and hands the Patient to its sink
//! once that entry is whole, is a successful read, and is the patient asked for. It costs
//! no request and no round trip; the complete answer is still read and checked as before,
//! and the record is built from it alone.

use std::io::Write;

use serde_json::Value;

/// Called at most once, with the Patient resource (JSON) the banner can be drawn from.
pub type PatientSink = Box<dyn FnOnce(Value) + Send>;

/// The decoded text, refusing to grow past its limit: a few kilobytes of brotli or gzip
/// can inflate to gigabytes, and a write that would pass the limit fails instead (the
/// decoder then stops, and the early banner gives up).
struct Capped {
    text: Vec<u8>,
    limit: usize,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + buf.len() > self.limit {
            return Err(std::io::Error::new(
                std::io::ErrorKind::OutOfMemory,
                "the decoded answer passed the early banner's limit",
            ));
        }
        self.text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

enum Decoder {
    Plain(Capped),
    Gzip(Box<flate2::write::GzDecoder<Capped>>),
    Brotli(Box<brotli_decompressor::DecompressorWriter<Capped>>),
}

impl Decoder {
    fn new(encoding: &str, limit: usize) -> Option<Decoder> {
        let out = Capped {
            text: Vec::new(),
            limit,
        };
        match encoding {
            "" | "identity" => Some(Decoder::Plain(out)),
            "gzip" | "x-gzip" => Some(Decoder::Gzip(Box::new(flate2::write::GzDecoder::new(out)))),
            "br" => Some(Decoder::Brotli(Box::new(
                brotli_decompressor::DecompressorWriter::new(out, 4096),
            ))),
            _ => None,
        }
    }

    /// Take in `chunk`; the text decoded so far, or `None` when the body cannot be read or
    /// decodes to more than the limit.
    fn feed(&mut self, chunk: &[u8]) -> Option<&[u8]> {
        match self {
            Decoder::Plain(v) => {
                v.write_all(chunk).ok()?;
                Some(&v.text)
            }
            Decoder::Gzip(d) => {
                d.write_all(chunk).ok()?;
                Some(&d.get_ref().text)
            }
            Decoder::Brotli(d) => {
                d.write_all(chunk).ok()?;
                Some(&d.get_ref().text)
            }
        }
    }

    /// How many decoded bytes are held.
    #[cfg(test)]
    fn held(&self) -> usize {
        match self {
            Decoder::Plain(v) => v.text.len(),
            Decoder::Gzip(d) => d.get_ref().text.len(),
            Decoder::Brotli(d) => d.get_ref().text.len(),
        }
    }
}

/// Watches a batch answer for its first entry, the Patient `id`.
pub(crate) struct EarlyPatient {
    id: String,
    sink: Option<PatientSink>,
    decoder: Option<Decoder>,
    /// Most decoded bytes to look through (the Patient is the first entry: a small one).
    limit: usize,
}

impl EarlyPatient {
    pub(crate) fn new(id: &str, sink: PatientSink) -> EarlyPatient {
        EarlyPatient {
            id: id.to_owned(),
            sink: Some(sink),
            decoder: None,
            limit: 1 << 20,
        }
    }

    /// Take in the next chunk of a body sent with `encoding`.
    pub(crate) fn feed(&mut self, encoding: &str, chunk: &[u8]) {
        if self.sink.is_none() {
            return;
        }
        if self.decoder.is_none() {
            self.decoder = Decoder::new(encoding, self.limit);
        }
        let Some(text) = self.decoder.as_mut().and_then(|d| d.feed(chunk)) else {
            return self.give_up();
        };
        let Some(entry) = first_entry(text) else {
            return;
        };
        let patient = patient_of(entry, &self.id);
        let sink = self.sink.take();
        self.decoder = None;
        if let (Some(p), Some(sink)) = (patient, sink) {
            sink(p);
        }
    }

    /// The sink, if the Patient has not been handed over (to be given it another way).
    pub(crate) fn into_sink(self) -> Option<PatientSink> {
        self.sink
    }

    fn give_up(&mut self) {
        self.sink = None;
        self.decoder = None;
    }
}

/// The Patient in a batch-response entry, when the read succeeded and it is `id`.
fn patient_of(entry: &[u8], id: &str) -> Option<Value> {
    let mut entry: Value = serde_json::from_slice(entry).ok()?;
    let status = entry.pointer("/response/status").and_then(Value::as_str)?;
    if !status.trim_start().starts_with("200") {
        return None;
    }
    let resource = entry.get_mut("resource")?.take();
    let is_it = resource.get("resourceType").and_then(Value::as_str) == Some("Patient")
        && resource.get("id").and_then(Value::as_str) == Some(id);
    is_it.then_some(resource)
}

/// The first element of the top-level `entry` array of the JSON object `text` begins,
/// once that element is complete; `None` while it is not (or when there is none).
pub(crate) fn first_entry(text: &[u8]) -> Option<&[u8]> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut string_start = 0;
    // The last string closed at depth 1 (a key, or a value: before `[` it is the key).
    let mut last_string: &[u8] = b"";
    let mut in_entries = false;
    let mut start = None;
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 1 {
                    last_string = &text[string_start..i];
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                string_start = i + 1;
            }
            b'{' | b'[' => {
                depth += 1;
                if b == b'[' && depth == 2 && last_string == b"entry" {
                    in_entries = true;
                } else if b == b'{' && depth == 3 && in_entries && start.is_none() {
                    start = Some(i);
                }
            }
            b'}' | b']' => {
                if depth == 3 && in_entries && b == b'}' {
                    return start.map(|s| &text[s..=i]);
                }
                if depth == 2 && in_entries {
                    return None; // An empty entry array.
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    const ANSWER: &str = r#"{"resourceType":"Bundle","type":"batch-response","link":[{"relation":"self","url":"x"}],
        "entry":[{"resource":{"resourceType":"Patient","id":"p1","name":[{"text":"A \"quoted\" [name] {x}"}]},
        "response":{"status":"200 OK"}},{"resource":{"resourceType":"Bundle"},"response":{"status":"200"}}]}"#;

    #[test]
    fn the_first_entry_is_found_once_it_is_whole() {
        let whole = ANSWER.as_bytes();
        let tail = r#""response":{"status":"200 OK"}}"#;
        let end = ANSWER.find(tail).unwrap() + tail.len();
        for cut in 0..end {
            assert_eq!(first_entry(&whole[..cut]), None, "cut at {cut}");
        }
        let entry = first_entry(&whole[..end]).unwrap();
        let v: Value = serde_json::from_slice(entry).unwrap();
        assert_eq!(v["resource"]["id"], "p1");
        assert_eq!(first_entry(whole), Some(entry));
        // No entries, or "entry" only as a value: nothing.
        assert_eq!(
            first_entry(br#"{"type":"batch-response","entry":[]}"#),
            None
        );
        assert_eq!(first_entry(br#"{"note":"entry","x":[{"a":1}]}"#), None);
    }

    fn watch(id: &str, encoding: &str, body: &[u8], chunk: usize) -> (Option<Value>, usize) {
        let got: Arc<Mutex<Option<Value>>> = Arc::default();
        let into = got.clone();
        let mut early = EarlyPatient::new(
            id,
            Box::new(move |p| {
                if let Ok(mut g) = into.lock() {
                    *g = Some(p);
                }
            }),
        );
        let mut fed = 0;
        for c in body.chunks(chunk) {
            if got.lock().unwrap().is_some() {
                break;
            }
            early.feed(encoding, c);
            fed += c.len();
        }
        let p = got.lock().unwrap().take();
        (p, fed)
    }

    #[test]
    fn the_patient_comes_before_the_end_of_a_compressed_answer() {
        // A long answer: the cover sheet (text that does not compress away) after the
        // Patient.
        let mut seed: u64 = 7;
        let pad: String = (0..50_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                char::from(b'a' + (seed >> 60) as u8)
            })
            .collect();
        let long = ANSWER.replace(
            r#"{"resourceType":"Bundle"}"#,
            &format!(r#"{{"resourceType":"Bundle","pad":"{pad}"}}"#),
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(long.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        for (encoding, body) in [("gzip", gz.as_slice()), ("", long.as_bytes())] {
            let (p, fed) = watch("p1", encoding, body, 64);
            assert_eq!(p.unwrap()["id"], "p1", "{encoding}");
            assert!(fed < body.len() / 2, "{encoding}: {fed} of {}", body.len());
        }
        // Another patient, a failed read, an unreadable body: nothing.
        assert_eq!(watch("p2", "", ANSWER.as_bytes(), 64).0, None);
        let failed = ANSWER.replace("200 OK", "404 Not Found");
        assert_eq!(watch("p1", "", failed.as_bytes(), 64).0, None);
        assert_eq!(watch("p1", "gzip", ANSWER.as_bytes(), 64).0, None);
    }

    /// A brotli answer of 841 bytes that inflates to 1 GiB, and a gzip one of 16 KB that
    /// inflates to 16 MB: decoding stops at the limit, in one chunk or many.
    #[test]
    fn bombs_stop_at_the_limit() {
        let brotli = include_bytes!("../../../fixtures/bombs/spaces-1gib.br");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b' '; 16 << 20]).unwrap();
        let gzip = gz.finish().unwrap();
        let limit = 1 << 20;
        for (encoding, body) in [("br", &brotli[..]), ("gzip", &gzip[..])] {
            for chunk in [body.len(), 256] {
                let mut d = Decoder::new(encoding, limit).unwrap();
                let mut gave_up = false;
                for c in body.chunks(chunk) {
                    if d.feed(c).is_none() {
                        gave_up = true;
                        break;
                    }
                    assert!(d.held() <= limit, "{encoding}: {}", d.held());
                }
                assert!(gave_up, "{encoding} in chunks of {chunk}");
                assert!(d.held() <= limit, "{encoding}: {}", d.held());
            }
            // The watcher itself gives up quietly: no banner, no panic.
            assert_eq!(watch("p1", encoding, body, 4096).0, None);
        }
    }
}
