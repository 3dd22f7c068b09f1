//! The chart tabs, in CPRS order, and how the results tab lays out its results.

/// The chart tabs, in CPRS order; number keys 1-9 reach them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tab {
    Cover,
    Problems,
    Medications,
    Results,
    Vitals,
    Encounters,
    Immunizations,
    Notes,
    /// Procedures and implanted devices (CPRS "Surgery").
    Procedures,
}

impl Tab {
    pub const ALL: [Tab; 9] = [
        Tab::Cover,
        Tab::Problems,
        Tab::Medications,
        Tab::Results,
        Tab::Vitals,
        Tab::Encounters,
        Tab::Immunizations,
        Tab::Notes,
        Tab::Procedures,
    ];

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn from_index(i: usize) -> Tab {
        Tab::ALL[i % Tab::ALL.len()]
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Cover => "Cover sheet",
            Tab::Problems => "Problems",
            Tab::Medications => "Medications",
            Tab::Results => "Results",
            Tab::Vitals => "Vitals",
            Tab::Encounters => "Encounters",
            Tab::Immunizations => "Immunizations",
            Tab::Notes => "Notes",
            Tab::Procedures => "Procedures",
        }
    }

    /// A shorter title for narrow terminals.
    pub fn short_title(self) -> &'static str {
        match self {
            Tab::Cover => "Cover",
            Tab::Problems => "Problems",
            Tab::Medications => "Meds",
            Tab::Results => "Results",
            Tab::Vitals => "Vitals",
            Tab::Encounters => "Visits",
            Tab::Immunizations => "Immun",
            Tab::Notes => "Notes",
            Tab::Procedures => "Procs",
        }
    }
}

/// How the results tab lays out lab results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsView {
    /// One row per result, newest first.
    List,
    /// Tests down, dates across (CPRS "cumulative").
    Cumulative,
}
