//! `Action`: everything a key can ask for. The snake_case names are the names used in
//! keymap files (`run = "next_tab"`). The tab actions are named for their tab
//! (`tab_problems`); the older names by position (`tab_1`…`tab_9`) are still read, so
//! keymap files written for them keep working.

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
    #[serde(alias = "tab_1")]
    TabCover,
    /// Problems.
    #[serde(alias = "tab_2")]
    TabProblems,
    /// Medications.
    #[serde(alias = "tab_3")]
    TabMedications,
    /// Results.
    #[serde(alias = "tab_4")]
    TabResults,
    /// Vitals.
    #[serde(alias = "tab_5")]
    TabVitals,
    /// Encounters.
    #[serde(alias = "tab_6")]
    TabEncounters,
    /// Immunizations.
    #[serde(alias = "tab_7")]
    TabImmunizations,
    /// Notes.
    #[serde(alias = "tab_8")]
    TabNotes,
    /// Procedures and implants.
    #[serde(alias = "tab_9")]
    TabProcedures,
    /// Open the selected patient, or show the selected row in full.
    Open,
    /// Load the chart again (after an error).
    Retry,
    /// Results: switch between the list and the cumulative view (tests by date).
    ToggleView,
    /// Show the patients opened in this session.
    Recent,
    /// Write a note for this patient in your editor ($VISUAL, $EDITOR, else vi).
    NewNote,
    /// Record vital signs for this patient (a one-screen form).
    Vitals,
    /// Change this patient's phone, email or address (a form, prefilled).
    Demographics,
    /// Pin this patient to keep offline (every sync keeps them); again to unpin.
    PinOffline,
}
