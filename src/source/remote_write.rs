//! Writes to a FHIR server: through the profile's encrypted outbox when it has one (opened
//! on the first write, its key read from the profile's secret store), else at once and not
//! kept. The author of every write is the signed-in user (`fhirUser`), or the profile's
//! `author`; read again after a new sign-in, since an item is only sent as its writer.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use tokio::sync::OnceCell;

use super::SourceError;
use super::write::{OutboxView, Submitted, WriteMode, Writer};
use crate::auth::store::{SecretStore, StoreKind};
use crate::fhir::FhirClient;
use crate::outbox::{self, Author, Item, Outbox, Outcome, State, Which};
use crate::vault::profile_key;

/// Where a remote source's writes go.
pub struct RemoteWrites {
    author: RwLock<Author>,
    /// The profile's store and the state folder, when writes are kept.
    durable: Option<(StoreKind, PathBuf)>,
    why_not_kept: String,
    outbox: OnceCell<Outbox>,
    /// Reads the signed-in user again (after a new sign-in).
    who: Option<Arc<dyn Fn() -> Option<String> + Send + Sync>>,
}

impl RemoteWrites {
    /// Writes kept in `profile`'s outbox under `state_dir` (when its store outlives the
    /// process), as `author`.
    pub fn new(
        author: Author,
        store: Option<StoreKind>,
        state_dir: Option<PathBuf>,
        who: Option<Arc<dyn Fn() -> Option<String> + Send + Sync>>,
    ) -> RemoteWrites {
        let (durable, why) = match (store, state_dir) {
            (None, _) => (
                None,
                "no sign-in profile: rounds login creates one".to_owned(),
            ),
            (Some(StoreKind::Memory), _) => (
                None,
                "the profile keeps its secrets in memory only (--store memory)".to_owned(),
            ),
            (Some(_), None) => (None, "no state directory: set ROUNDS_STATE_DIR".to_owned()),
            (Some(kind), Some(dir)) => (Some((kind, dir)), String::new()),
        };
        RemoteWrites {
            author: RwLock::new(author),
            durable,
            why_not_kept: why,
            outbox: OnceCell::new(),
            who,
        }
    }

    pub fn writer(&self) -> Writer {
        Writer {
            author: self.author(),
            mode: match self.durable {
                Some(_) => WriteMode::Outbox,
                None => WriteMode::OnlineOnly {
                    why: self.why_not_kept.clone(),
                },
            },
        }
    }

    fn author(&self) -> Author {
        self.author
            .read()
            .map(|a| a.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Read who is signed in again (after a new sign-in).
    pub async fn refresh_author(&self) {
        let Some(who) = self.who.clone() else { return };
        let user = tokio::task::spawn_blocking(move || who())
            .await
            .ok()
            .flatten();
        if let Ok(mut a) = self.author.write() {
            a.fhir_user = user;
        }
    }

    /// The outbox, opened on first use (the store may block: not on the runtime).
    async fn outbox(&self, server: &str) -> Result<Option<&Outbox>, SourceError> {
        let Some((kind, root)) = self.durable.clone() else {
            return Ok(None);
        };
        let profile = self.author().profile;
        let server = server.to_owned();
        let opened = self
            .outbox
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || {
                    let dir = Outbox::dir(&root, &profile, &server);
                    let store = SecretStore::open(kind).map_err(|e| e.to_string())?;
                    let key = profile_key(&store, &profile, !Outbox::has_items(&dir))
                        .map_err(|e| e.to_string())?;
                    Outbox::open(dir, key, &profile, &server).map_err(|e| e.to_string())
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("the outbox cannot be opened: {e}"))
            })
            .await
            .map_err(SourceError::Store)?;
        Ok(Some(opened))
    }

    /// Keep `item` (a draft is only kept), then send it unless it is a draft.
    pub async fn submit(
        &self,
        client: &FhirClient,
        mut item: Item,
    ) -> Result<Submitted, SourceError> {
        let outbox = self.outbox(client.base_url()).await?;
        if let Some(o) = outbox {
            o.save(&item).map_err(store_error)?;
        } else if item.state == State::Draft {
            return Err(SourceError::Invalid(format!(
                "a draft cannot be kept: {}",
                self.why_not_kept
            )));
        }
        if item.state == State::Draft {
            return Ok(Submitted {
                item,
                outcome: None,
                kept: true,
            });
        }
        let outcome = outbox::send_item(outbox, &mut item, client, &self.author())
            .await
            .map_err(store_error)?;
        let kept = outbox.is_some() && outcome.state != State::Sent;
        Ok(Submitted {
            item,
            outcome: Some(outcome),
            kept,
        })
    }

    /// The outbox's items (none when writes are not kept).
    pub async fn view(&self, client: &FhirClient) -> Result<OutboxView, SourceError> {
        let Some(o) = self.outbox(client.base_url()).await? else {
            return Ok(OutboxView::default());
        };
        Ok(OutboxView {
            listing: o.list().map_err(store_error)?,
            folder: Some(o.folder().display().to_string()),
        })
    }

    /// Send the items `which` names.
    pub async fn send_pending(
        &self,
        client: &FhirClient,
        which: &Which,
    ) -> Result<Vec<(Item, Outcome)>, SourceError> {
        let Some(o) = self.outbox(client.base_url()).await? else {
            return Ok(vec![]);
        };
        outbox::flush(o, client, &self.author(), which)
            .await
            .map_err(store_error)
    }

    /// Remove item `id`; whether it was there.
    pub async fn discard(&self, client: &FhirClient, id: &str) -> Result<bool, SourceError> {
        let Some(o) = self.outbox(client.base_url()).await? else {
            return Ok(false);
        };
        o.remove(id).map_err(store_error)
    }

    /// Item `id` as kept.
    pub async fn item(&self, client: &FhirClient, id: &str) -> Result<Item, SourceError> {
        let Some(o) = self.outbox(client.base_url()).await? else {
            return Err(SourceError::Invalid(format!(
                "no outbox: {}",
                self.why_not_kept
            )));
        };
        o.load(id).map_err(store_error)
    }
}

fn store_error(e: outbox::OutboxError) -> SourceError {
    match e {
        outbox::OutboxError::NoSuchItem(id) => SourceError::NotFound {
            what: format!("item '{id}'"),
            source_label: "the outbox".into(),
        },
        outbox::OutboxError::Refused { .. } => SourceError::Invalid(e.to_string()),
        outbox::OutboxError::Vault(_) => SourceError::Store(e.to_string()),
    }
}
