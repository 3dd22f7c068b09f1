//! The bounds of the offline copies and what is asked of them as a whole: the patients
//! kept, the space they take, the patients opened lately and pinned, and pruning (too
//! old, over the size cap, files no entry names).

use chrono::{DateTime, Utc};

use super::index;
use super::{KeptPatient, OfflineError, OfflineStore, Pruned, secs, time};

impl OfflineStore {
    /// The patients kept (not too old), newest copy first.
    pub fn patients(&self, now: DateTime<Utc>) -> Result<Vec<KeptPatient>, OfflineError> {
        let index = self.read_index()?;
        let mut out: Vec<KeptPatient> = index
            .copies
            .iter()
            .map(|(id, e)| KeptPatient {
                id: id.clone(),
                as_of: time(e.as_of),
            })
            .filter(|k| !self.too_old(k.as_of, now))
            .collect();
        out.sort_by_key(|k| std::cmp::Reverse(k.as_of));
        Ok(out)
    }

    /// How many copies and bytes are kept, and the oldest copy's time.
    pub fn usage(&self) -> Result<(usize, u64, Option<DateTime<Utc>>), OfflineError> {
        let index = self.read_index()?;
        let oldest = index.copies.values().map(|e| e.as_of).min().map(time);
        Ok((index.copies.len(), index.bytes(), oldest))
    }

    /// Note that `patient` was opened at `now` (kept by the next sync).
    pub fn note_open(&self, patient: &str, now: DateTime<Utc>) -> Result<(), OfflineError> {
        self.change_index(|index| {
            index.note_open(patient, secs(now));
            Ok(())
        })
    }

    /// Pin (`pinned`) or unpin `patients`: a pinned patient is kept by every sync, however
    /// long ago it was opened. How many changed.
    pub fn set_pins(&self, patients: &[String], pinned: bool) -> Result<usize, OfflineError> {
        self.change_index(|index| Ok(patients.iter().filter(|p| index.set_pin(p, pinned)).count()))
    }

    /// Pin `patient` if it is not, else unpin it; whether it is pinned now.
    pub fn toggle_pin(&self, patient: &str) -> Result<bool, OfflineError> {
        self.change_index(|index| {
            let pin = !index.pins.iter().any(|p| p == patient);
            index.set_pin(patient, pin);
            Ok(pin)
        })
    }

    /// The pinned patients, in the order they were pinned.
    pub fn pins(&self) -> Result<Vec<String>, OfflineError> {
        Ok(self.read_index()?.pins)
    }

    /// The patients opened in the last `hours`, newest first.
    pub fn opened_within(&self, hours: u32, now: DateTime<Utc>) -> Vec<String> {
        let since = secs(now) - i64::from(hours) * 3600;
        self.read_index()
            .map(|i| i.opened_since(since))
            .unwrap_or_default()
    }

    /// Delete what may not be kept: copies past the maximum age (pinned or not), the oldest
    /// past the size cap (the unpinned first), files no entry names, and entries whose file
    /// is gone.
    pub fn prune(&self, now: DateTime<Utc>) -> Result<Pruned, OfflineError> {
        let _lock = self.lock()?;
        self.prune_held(now)
    }

    /// `prune`, the lock held by the caller.
    pub(super) fn prune_held(&self, now: DateTime<Utc>) -> Result<Pruned, OfflineError> {
        let before = self.refused();
        let mut index = self.index()?;
        let mut pruned = Pruned {
            refused: self.refused() - before,
            ..Pruned::default()
        };
        let mut remove = Vec::new();
        index.copies.retain(|_, e| {
            let keep = !self.too_old(time(e.as_of), now);
            if !keep {
                pruned.expired += 1;
                remove.push(e.file.clone());
            }
            keep
        });
        while index.bytes() > self.limits.max_bytes {
            let Some(oldest) = index
                .copies
                .iter()
                .min_by_key(|(p, e)| (index.pins.contains(p), e.as_of))
                .map(|(p, _)| p.clone())
            else {
                break;
            };
            if let Some(e) = index.copies.remove(&oldest) {
                pruned.over_size += 1;
                remove.push(e.file);
            }
        }
        let names = self.vault.names()?;
        index.copies.retain(|_, e| names.contains(&e.file));
        self.save_index(&index)?;
        for name in names {
            let named = name == index::NAME || index.copies.values().any(|e| e.file == name);
            if !named && !remove.contains(&name) {
                pruned.orphans += 1;
                remove.push(name);
            }
        }
        for name in remove {
            self.vault.remove(&name)?;
        }
        Ok(pruned)
    }
}
