//! Signing in again from the TUI, on the worker's side: a `LoginPrompt` whose instructions
//! (the authorization address, the `ssh -L` hint) go to the screen as responses, and whose
//! pasted redirect comes from the keyboard as commands. One sign-in runs at a time; a new
//! one or a cancel aborts the one before.
//!
//! It owns the channels between a running login and the app. It draws nothing and reads no
//! terminal: the app shows what it is sent and sends what the user pastes.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::task::AbortHandle;

use crate::app::{RequestId, Response, ResponseResult};
use crate::auth::smart::{LoginPrompt, ManualLogin, open_system_browser};

/// The sign-in in progress, if any: where pasted text goes, and how to stop it.
#[derive(Clone, Default)]
pub struct SignInSlot {
    inner: Arc<Mutex<Option<Running>>>,
}

struct Running {
    paste: UnboundedSender<String>,
    task: Option<AbortHandle>,
}

impl SignInSlot {
    /// Start a sign-in for request `req`: any earlier one is stopped; the prompt returned
    /// sends to `tx` and reads what `paste` receives.
    pub fn begin(&self, req: RequestId, tx: UnboundedSender<Response>) -> TuiPrompt {
        let (paste_tx, paste_rx) = mpsc::unbounded_channel();
        if let Ok(mut slot) = self.inner.lock() {
            if let Some(old) = slot.take() {
                if let Some(task) = old.task {
                    task.abort();
                }
            }
            *slot = Some(Running {
                paste: paste_tx,
                task: None,
            });
        }
        TuiPrompt {
            req,
            tx,
            paste: tokio::sync::Mutex::new(paste_rx),
        }
    }

    /// Remember the task running the sign-in, so that a cancel can stop it.
    pub fn set_task(&self, task: AbortHandle) {
        if let Ok(mut slot) = self.inner.lock() {
            match slot.as_mut() {
                Some(running) => running.task = Some(task),
                None => task.abort(),
            }
        }
    }

    /// Pass text the user pasted to the sign-in waiting for it.
    pub fn paste(&self, text: String) {
        if let Ok(slot) = self.inner.lock() {
            if let Some(running) = slot.as_ref() {
                let _ = running.paste.send(text);
            }
        }
    }

    /// Stop the sign-in in progress (the user pressed Esc).
    pub fn cancel(&self) {
        if let Ok(mut slot) = self.inner.lock() {
            if let Some(task) = slot.take().and_then(|r| r.task) {
                task.abort();
            }
        }
    }

    /// The sign-in ended by itself.
    pub fn finish(&self) {
        if let Ok(mut slot) = self.inner.lock() {
            *slot = None;
        }
    }
}

/// The login's way to the user while the TUI holds the terminal.
pub struct TuiPrompt {
    req: RequestId,
    tx: UnboundedSender<Response>,
    paste: tokio::sync::Mutex<UnboundedReceiver<String>>,
}

impl TuiPrompt {
    fn send(&self, result: ResponseResult) {
        let _ = self.tx.send(Response {
            req: self.req,
            result,
        });
    }
}

#[async_trait]
impl LoginPrompt for TuiPrompt {
    async fn open_browser(&self, url: &str) -> Result<(), String> {
        open_system_browser(url)?;
        self.send(ResponseResult::SignInNote(
            "A browser window opened: sign in there.".into(),
        ));
        Ok(())
    }

    fn show_manual(&self, login: &ManualLogin) {
        self.send(ResponseResult::SignInPrompt(login.lines()));
    }

    async fn read_redirect(&self) -> Option<String> {
        self.paste.lock().await.recv().await
    }

    fn status(&self, message: &str) {
        self.send(ResponseResult::SignInNote(message.to_owned()));
    }
}
