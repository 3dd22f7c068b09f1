//! The front desk's commands on the data source (the duplicate check of a registration,
//! its create, reading a Patient, a demographics change), answered as `Response`s. One
//! definition for the worker's tasks and for tests that drive the app without one.

use crate::app::{Command, RegistrationCheck, Response, ResponseResult};
use crate::source::DataSource;
use crate::source::desk::{find_duplicates, update_demographics};

/// The answer to a front-desk command; `None` for any other command.
pub async fn answer(source: &dyn DataSource, command: Command) -> Option<Response> {
    let failure = |e: crate::source::SourceError| e.failure();
    let (req, result) = match command {
        Command::CheckRegistration {
            req,
            registration,
            resource,
            options,
            today,
        } => {
            let found = find_duplicates(source, &registration, &resource).await;
            let result = found
                .map(|d| {
                    Box::new(RegistrationCheck {
                        candidates: d.candidates(&registration, today, &options),
                        warnings: d.warnings,
                    })
                })
                .map_err(failure);
            (req, ResponseResult::RegistrationChecked(result))
        }
        Command::Register { req, item } => (
            req,
            ResponseResult::Registered(source.submit(*item).await.map(Box::new).map_err(failure)),
        ),
        Command::ReadPatient { req, patient_id } => (
            req,
            ResponseResult::PatientRead(
                source
                    .read_current("Patient", &patient_id)
                    .await
                    .map(|(p, _)| Box::new(p))
                    .map_err(failure),
            ),
        ),
        Command::UpdateDemographics {
            req,
            patient_id,
            label,
            change,
            today,
            author,
        } => (
            req,
            ResponseResult::DemographicsUpdated(
                update_demographics(source, &patient_id, &label, &change, today, author)
                    .await
                    .map(Box::new)
                    .map_err(failure),
            ),
        ),
        _ => return None,
    };
    Some(Response { req, result })
}
