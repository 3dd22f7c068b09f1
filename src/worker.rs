//! The network worker: runs each `Command` on its own tokio task against the data source
//! and answers with a `Response` over a channel. The UI never waits on it.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::{Command, Response, ResponseResult};
use crate::fhir::Section;
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
                Command::LoadChart { req, patient_id } => Response {
                    req,
                    result: ResponseResult::Chart(
                        source
                            .record(&patient_id, &Section::ALL)
                            .await
                            .map(Box::new)
                            .map_err(|e| e.to_string()),
                    ),
                },
            };
            // The receiver is gone only when the app is quitting.
            let _ = tx.send(response);
        });
    }
}
