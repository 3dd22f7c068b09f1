//! The worker's background sync of offline copies: one run at a time, on a task of its
//! own that `StopSyncOffline` (the screen locked, the session ended) aborts; between two
//! charts it waits while a request the user made is in flight (`UserRequest`), so a
//! search or a chart opened is never queued behind the sync.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::app::{Response, ResponseResult};
use crate::common::RequestId;
use crate::source::DataSource;

/// The user's requests in flight, and the sync task running.
#[derive(Clone, Default)]
pub(super) struct Background {
    busy: Arc<AtomicUsize>,
    task: Arc<Mutex<Option<AbortHandle>>>,
}

/// A request of the user's in flight: the sync waits until it is dropped.
pub(super) struct UserRequest(Arc<AtomicUsize>);

impl Drop for UserRequest {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Background {
    /// Note a request of the user's, in flight until the value is dropped.
    pub(super) fn user_request(&self) -> UserRequest {
        self.busy.fetch_add(1, Ordering::Relaxed);
        UserRequest(self.busy.clone())
    }

    /// Start a sync (a run still going is stopped first: one at a time).
    pub(super) fn start(
        &self,
        source: Arc<dyn DataSource>,
        tx: UnboundedSender<Response>,
        req: RequestId,
    ) {
        self.stop();
        let busy = self.busy.clone();
        let task = tokio::spawn(async move {
            let hold = move || busy.load(Ordering::Relaxed) > 0;
            let result = match source.sync_offline(&hold).await {
                Ok(Some(summary)) => Ok(summary),
                // This source keeps no copies: nothing to say.
                Ok(None) => return,
                Err(e) => Err(e.failure()),
            };
            let result = ResponseResult::OfflineSynced(result);
            let _ = tx.send(Response { req, result });
        });
        if let Ok(mut slot) = self.task.lock() {
            *slot = Some(task.abort_handle());
        }
    }

    /// Stop the sync running, if one is (what it sealed so far stays; nothing of it stays
    /// in memory: the task and its client are dropped).
    pub(super) fn stop(&self) {
        if let Some(task) = self.task.lock().ok().and_then(|mut t| t.take()) {
            task.abort();
        }
    }
}
