//! The offline copies' index, kept sealed like the copies themselves (a plaintext index
//! would name the patients): which file holds which patient's copy, as of when, how big,
//! with the validators (`ETag`, `Last-Modified`) of the answers it was made from; and the
//! patients opened lately (`note_open`) and those the user pinned, which `rounds sync`
//! keeps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fhir::client::Validators;

/// The vault item name of the index (the copies have random UUID names).
pub const NAME: &str = "index";

/// Most opened patients remembered.
pub const MAX_OPENS: usize = 500;

/// Most patients pinned (a clinic keeps a few dozen; a pin past this is refused).
pub const MAX_PINS: usize = 500;

/// One patient's copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The vault item (a random UUID: no patient data in file names).
    pub file: String,
    /// When the copy was fetched, in seconds since 1970 (UTC).
    pub as_of: i64,
    /// Size of the sealed file, in bytes.
    pub bytes: u64,
    /// The validators of the answers the copy was made from, by URL.
    pub etags: Vec<(String, Validators)>,
}

/// The whole index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Copies by patient id.
    pub copies: BTreeMap<String, Entry>,
    /// Patients opened, with when (seconds since 1970), newest last.
    pub opens: Vec<(String, i64)>,
    /// Patients the user pinned to keep offline, in the order pinned.
    #[serde(default)]
    pub pins: Vec<String>,
}

impl Index {
    /// Note that `patient` was opened at `now`.
    pub fn note_open(&mut self, patient: &str, now: i64) {
        self.opens.retain(|(p, _)| p != patient);
        self.opens.push((patient.to_owned(), now));
        if self.opens.len() > MAX_OPENS {
            let extra = self.opens.len() - MAX_OPENS;
            self.opens.drain(..extra);
        }
    }

    /// The patients opened since `since`, newest first.
    pub fn opened_since(&self, since: i64) -> Vec<String> {
        self.opens
            .iter()
            .rev()
            .filter(|(_, t)| *t >= since)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// Pin or unpin `patient`; whether that changed anything (a pin past `MAX_PINS` does
    /// not).
    pub fn set_pin(&mut self, patient: &str, pinned: bool) -> bool {
        let at = self.pins.iter().position(|p| p == patient);
        match (at, pinned) {
            (None, true) if self.pins.len() < MAX_PINS => {
                self.pins.push(patient.to_owned());
                true
            }
            (Some(i), false) => {
                self.pins.remove(i);
                true
            }
            _ => false,
        }
    }

    /// The total size of the copies.
    pub fn bytes(&self) -> u64 {
        self.copies.values().map(|e| e.bytes).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_are_kept_newest_first_once_each_and_bounded() {
        let mut i = Index::default();
        i.note_open("a", 10);
        i.note_open("b", 20);
        i.note_open("a", 30);
        assert_eq!(i.opened_since(0), ["a", "b"]);
        assert_eq!(i.opened_since(25), ["a"]);
        for n in 0..(MAX_OPENS + 10) {
            i.note_open(&format!("p{n}"), 40 + n as i64);
        }
        assert_eq!(i.opens.len(), MAX_OPENS);
    }
}
