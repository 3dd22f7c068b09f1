//! rounds: a terminal charting client for FHIR R4 electronic health records.
//!
//! Dependencies point one way: `fhir` (data layer) and `chart` (clinical view model) know
//! nothing of terminals; `source` puts remote servers and local Bundles behind one trait;
//! `cli` renders the chart model as tables or JSON.

pub mod app;
pub mod auth;
pub mod chart;
pub mod cli;
pub mod common;
pub mod config;
pub mod fhir;
pub mod files;
pub mod source;
pub mod text;
pub mod tui;
pub mod ui;
pub mod worker;
