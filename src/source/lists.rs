//! The clinician's lists through a data source, one definition for the command line
//! (`rounds list inpatients`, `rounds list mine`) and the screen (`:ward`, `:mine`): the
//! ids checked, the search of `frontdesk::lists` sent (one request), its entries made
//! rows. The demo answers from its own ward and clinic day (`lists_demo.rs`).

use chrono::NaiveDate;

use super::{DataSource, SourceError};
use crate::chart::ChartOptions;
use crate::fhir::model::is_fhir_id;
use crate::frontdesk::day::DayWindow;
use crate::frontdesk::lists::{
    ListRow, MAX_ROWS, appointments, census, census_params, mine_params, patients_not_included,
};

/// Which list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListQuery {
    /// The census: the visits in progress at Location `location` (a bare id).
    Ward { location: String },
    /// The appointments of Practitioner `practitioner` (a bare id) on the clinic's day.
    Mine {
        practitioner: String,
        day: DayWindow,
    },
}

impl ListQuery {
    /// The census of `location` (`Location/ID` or a bare id), checked.
    pub fn ward(location: &str) -> Result<ListQuery, String> {
        let id = location.trim().trim_start_matches("Location/");
        if !is_fhir_id(id) {
            return Err(format!(
                "'{}' is not a Location id (1 to 64 letters, digits, '-' or '.')",
                crate::text::clean_line(location)
            ));
        }
        Ok(ListQuery::Ward {
            location: id.to_owned(),
        })
    }

    /// The day's appointments of `practitioner` (`Practitioner/ID` or a bare id), checked.
    pub fn mine(practitioner: &str, day: DayWindow) -> Result<ListQuery, String> {
        let id = practitioner.trim().trim_start_matches("Practitioner/");
        if !is_fhir_id(id) {
            return Err(format!(
                "'{}' is not a Practitioner id",
                crate::text::clean_line(practitioner)
            ));
        }
        Ok(ListQuery::Mine {
            practitioner: id.to_owned(),
            day,
        })
    }

    /// The list's title: `Inpatients at ward-4b`, `Appointments of Practitioner/p1 on
    /// 05-Dec-2026`.
    pub fn title(&self) -> String {
        match self {
            ListQuery::Ward { location } => format!("Inpatients at {location}"),
            ListQuery::Mine { practitioner, day } => format!(
                "Appointments of Practitioner/{practitioner} on {}",
                day.date.format("%d-%b-%Y")
            ),
        }
    }

    /// What an empty list says.
    pub fn empty_text(&self) -> String {
        match self {
            ListQuery::Ward { location } => format!("No patients in progress at {location}."),
            ListQuery::Mine { .. } => "No appointments this day.".to_owned(),
        }
    }
}

/// A list to fetch, and how to build its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRequest {
    pub query: ListQuery,
    pub options: ChartOptions,
    /// For ages.
    pub today: NaiveDate,
}

/// The rows of `request` from `source`, in one request.
pub async fn fetch_list(
    source: &dyn DataSource,
    request: &ListRequest,
) -> Result<Vec<ListRow>, SourceError> {
    let (ty, params) = match &request.query {
        ListQuery::Ward { location } => ("Encounter", census_params(location)),
        ListQuery::Mine { practitioner, day } => ("Appointment", mine_params(practitioner, day)),
    };
    let mut entries = source.search_entries(ty, &params, MAX_ROWS as u32).await?;
    // A server that ignored `_include`: the rows' patients in one more search by id (a
    // failure leaves those rows saying their patient was not sent).
    let missing = patients_not_included(&entries, ty);
    if !missing.is_empty() {
        let ids: Vec<String> = missing.into_iter().take(MAX_ROWS).collect();
        let by_id = [("_id".to_owned(), ids.join(","))];
        if let Ok(found) = source
            .search_entries("Patient", &by_id, ids.len() as u32)
            .await
        {
            entries.extend(
                found
                    .into_iter()
                    .filter(|e| e["resource"]["resourceType"] == "Patient")
                    .filter(|e| {
                        e["resource"]["id"]
                            .as_str()
                            .is_some_and(|i| ids.iter().any(|x| x == i))
                    })
                    .map(|mut e| {
                        e["search"] = serde_json::json!({"mode": "include"});
                        e
                    }),
            );
        }
    }
    Ok(match request.query {
        ListQuery::Ward { .. } => census(&entries, request.today, &request.options),
        ListQuery::Mine { .. } => appointments(&entries, request.today, &request.options),
    })
}
