//! The network worker: runs each `Command` on its own tokio task against the data source
//! and answers with a `Response` over a channel. The UI never waits on it. Writes go the
//! same way: kept in the outbox and sent (`Submit`), the outbox listed, sent or trimmed.

mod background;
pub mod desk;
mod sign_in;

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Command, Response, ResponseResult};
use crate::common::Failure;
use crate::fhir::client::PatientSink;
use crate::fhir::model::Patient;
use crate::source::{DataSource, SourceError};
use background::Background;
use sign_in::SignInSlot;

/// Runs commands; cheap to clone.
#[derive(Clone)]
pub struct Worker {
    source: Arc<dyn DataSource>,
    tx: UnboundedSender<Response>,
    sign_in: SignInSlot,
    background: Background,
}

/// An error as the typed failure `update` decides on (a session the server no longer
/// accepts is a failure of kind `AuthExpired`: the app offers to sign in again).
fn failure(e: SourceError) -> Failure {
    e.failure()
}

impl Worker {
    pub fn new(source: Arc<dyn DataSource>, tx: UnboundedSender<Response>) -> Worker {
        Worker {
            source,
            tx,
            sign_in: SignInSlot::default(),
            background: Background::default(),
        }
    }

    /// Start a command; its response arrives on the channel.
    pub fn run(&self, command: Command) {
        let source = self.source.clone();
        let tx = self.tx.clone();
        match command {
            Command::PasteRedirect { text } => return self.sign_in.paste(text),
            Command::SyncOffline { req } => return self.background.start(source, tx, req),
            Command::StopSyncOffline => return self.background.stop(),
            Command::CancelSignIn => return self.sign_in.cancel(),
            Command::Unlock { req } | Command::SignIn { req } => {
                let unlock = matches!(command, Command::Unlock { .. });
                let prompt = self.sign_in.begin(req, tx.clone());
                let slot = self.sign_in.clone();
                let task = tokio::spawn(async move {
                    let result = source.reauthenticate(&prompt).await.map_err(failure);
                    slot.finish();
                    let result = if unlock {
                        ResponseResult::Unlocked(result)
                    } else {
                        ResponseResult::SignedIn(result)
                    };
                    let _ = tx.send(Response { req, result });
                });
                self.sign_in.set_task(task.abort_handle());
                return;
            }
            _ => {}
        }
        // What the user asked for goes first: the background sync waits while it runs.
        let user = matches!(
            command,
            Command::Search { .. }
                | Command::LoadChart { .. }
                | Command::LoadSchedule { .. }
                | Command::Submit { .. }
                | Command::CheckIn { .. }
                | Command::SendOutbox { .. }
                | Command::LoadList { .. }
                | Command::CheckRegistration { .. }
                | Command::Register { .. }
                | Command::ReadPatient { .. }
                | Command::UpdateDemographics { .. }
        )
        .then(|| self.background.user_request());
        tokio::spawn(async move {
            let _user = user;
            let response = match command {
                Command::Search { req, query, limit } => Response {
                    req,
                    result: ResponseResult::Search(
                        source.search(&query, limit).await.map_err(failure),
                    ),
                },
                Command::LoadChart { req, patient_id } => {
                    // The banner is drawn from the Patient as soon as it is in.
                    let early = tx.clone();
                    let banner: PatientSink = Box::new(move |json| {
                        if let Ok(p) = serde_json::from_value::<Patient>(json) {
                            let result = ResponseResult::Patient(Box::new(p));
                            let _ = early.send(Response { req, result });
                        }
                    });
                    let first = source.first_screen_early(&patient_id, banner).await;
                    let (first, rest) = match first {
                        Ok((record, rest)) => (Ok(Box::new(record)), rest),
                        Err(e) => (Err(failure(e)), None),
                    };
                    let _ = tx.send(Response {
                        req,
                        result: ResponseResult::Chart(first),
                    });
                    // The rest of the chart follows at once, in the background: the
                    // first screen is already drawn while it loads.
                    let Some(rest) = rest else { return };
                    Response {
                        req,
                        result: ResponseResult::ChartRest(
                            source.rest(rest).await.map(Box::new).map_err(failure),
                        ),
                    }
                }
                Command::Forget => {
                    source.forget();
                    return;
                }
                Command::KeepOffline { record } => {
                    source.keep_offline(&record).await;
                    return;
                }
                Command::TogglePin { req, patient_id } => Response {
                    req,
                    result: ResponseResult::Pinned {
                        result: source.toggle_pin(&patient_id).await.map_err(failure),
                        patient_id,
                    },
                },
                Command::RefreshOffline { req, patient_id } => {
                    match source.record(&patient_id, &crate::fhir::Section::ALL).await {
                        // Still the kept copy (the server cannot be reached): no answer.
                        Ok(record) if record.offline_as_of.is_none() => Response {
                            req,
                            result: ResponseResult::Refreshed(Box::new(record)),
                        },
                        _ => return,
                    }
                }
                Command::Submit { req, item } => Response {
                    req,
                    result: ResponseResult::Submitted(
                        source.submit(*item).await.map(Box::new).map_err(failure),
                    ),
                },
                Command::LoadOutbox { req } => Response {
                    req,
                    result: ResponseResult::Outbox(
                        source.outbox().await.map(Box::new).map_err(failure),
                    ),
                },
                Command::LoadSchedule {
                    req,
                    request,
                    known,
                } => Response {
                    req,
                    result: ResponseResult::Schedule(
                        source
                            .schedule(&request, known.as_ref())
                            .await
                            .map(Box::new)
                            .map_err(failure),
                    ),
                },
                Command::CheckIn {
                    req,
                    id,
                    known,
                    encounter,
                } => Response {
                    req,
                    result: ResponseResult::CheckedIn(
                        crate::source::schedule::check_in(
                            source.as_ref(),
                            &id,
                            Some(&known),
                            encounter,
                        )
                        .await
                        .map(|(o, _)| Box::new(o))
                        .map_err(failure),
                    ),
                },
                c @ (Command::CheckRegistration { .. }
                | Command::Register { .. }
                | Command::ReadPatient { .. }
                | Command::UpdateDemographics { .. }) => {
                    match desk::answer(source.as_ref(), c).await {
                        Some(r) => r,
                        None => return,
                    }
                }
                Command::LoadList { req, request } => Response {
                    req,
                    result: ResponseResult::List(
                        crate::source::lists::fetch_list(source.as_ref(), &request)
                            .await
                            .map_err(failure),
                    ),
                },
                Command::LoadGlances {
                    req,
                    patient_ids,
                    today,
                } => Response {
                    req,
                    result: ResponseResult::Glances(
                        source.glances(&patient_ids, today).await.map_err(failure),
                    ),
                },
                Command::SendOutbox { req, which } => Response {
                    req,
                    result: ResponseResult::OutboxSent(
                        source.send_pending(which).await.map_err(failure),
                    ),
                },
                Command::Discard { req, id } => Response {
                    req,
                    result: ResponseResult::Discarded(source.discard(&id).await.map_err(failure)),
                },
                // The event loop's (the terminal is needed), never sent here.
                Command::EditNote { .. } => return,
                // Handled above, before the task.
                Command::Unlock { .. }
                | Command::SignIn { .. }
                | Command::PasteRedirect { .. }
                | Command::CancelSignIn
                | Command::SyncOffline { .. }
                | Command::StopSyncOffline => return,
            };
            // The receiver is gone only when the app is quitting.
            let _ = tx.send(response);
        });
    }
}
