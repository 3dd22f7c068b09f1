//! `Action`: everything a key can ask for. The snake_case names are the names used in
//! keymap files (`run = "next_tab"`).

use serde::{Deserialize, Serialize};

/// A user intention, bound to keys by the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit rounds.
    Quit,
    /// Lock the screen now: patient data leaves the screen and memory.
    Lock,
    /// Go back: close a popup or filter, or return to patient search.
    Back,
    /// Show the keys (this help).
    Help,
    /// Open the command line: :patient ID, :search TEXT, :theme NAME, :quit.
    CommandLine,
    /// Filter the rows of the current list.
    Filter,
    /// Edit the patient search box.
    Search,
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Next chart tab.
    NextTab,
    /// Previous chart tab.
    PrevTab,
    /// Cover sheet.
    #[serde(rename = "tab_1")]
    Tab1,
    /// Problems.
    #[serde(rename = "tab_2")]
    Tab2,
    /// Medications.
    #[serde(rename = "tab_3")]
    Tab3,
    /// Results.
    #[serde(rename = "tab_4")]
    Tab4,
    /// Vitals.
    #[serde(rename = "tab_5")]
    Tab5,
    /// Encounters.
    #[serde(rename = "tab_6")]
    Tab6,
    /// Immunizations.
    #[serde(rename = "tab_7")]
    Tab7,
    /// Notes.
    #[serde(rename = "tab_8")]
    Tab8,
    /// Open the selected patient, or show the selected row in full.
    Open,
    /// Load the chart again (after an error).
    Retry,
    /// Results: switch between the list and the cumulative view (tests by date).
    ToggleView,
    /// Show the patients opened in this session.
    Recent,
}
