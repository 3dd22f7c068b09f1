//! The network worker: runs each `Command` on its own tokio task against the data source
//! and answers with a `Response` over a channel. The UI never waits on it.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Command, Response, ResponseResult};
use crate::fhir::client::PatientSink;
use crate::fhir::model::Patient;
use crate::source::DataSource;

/// Runs commands; cheap to clone.
#[derive(Clone)]
pub struct Worker {
    source: Arc<dyn DataSource>,
    tx: UnboundedSender<Response>,
}

impl Worker {
    pub fn new(source: Arc<dyn DataSource>, tx: UnboundedSender<Response>) -> Worker {
        Worker { source, tx }
    }

    /// Start a command; its response arrives on the channel.
    pub fn run(&self, command: Command) {
        let source = self.source.clone();
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let response = match command {
                Command::Search { req, query, limit } => Response {
                    req,
                    result: ResponseResult::Search(
                        source
                            .search(&query, limit)
                            .await
                            .map_err(|e| e.to_string()),
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
                        Err(e) => (Err(e.to_string()), None),
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
                            source
                                .rest(rest)
                                .await
                                .map(Box::new)
                                .map_err(|e| e.to_string()),
                        ),
                    }
                }
                Command::Forget => {
                    source.forget();
                    return;
                }
            };
            // The receiver is gone only when the app is quitting.
            let _ = tx.send(response);
        });
    }
}
