//! Series for trends: the numeric results of one test or vital sign over time.

use serde::Serialize;

use super::date::sort_key;
use super::obs::Flag;

/// A time series of one test or vital, oldest first, for trends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The code key (`system|code`) the points share.
    pub key: String,
    pub name: String,
    pub unit: String,
    pub points: Vec<Point>,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub date: String,
    pub date_iso: Option<String>,
    pub value: f64,
    pub flag: Option<Flag>,
}

/// Group points (newest first, as given) into series by key, oldest first within each,
/// series sorted by name.
pub fn build_series(items: impl Iterator<Item = (String, String, String, Point)>) -> Vec<Series> {
    let mut out: Vec<Series> = Vec::new();
    for (key, name, unit, point) in items {
        match out.iter_mut().find(|s| s.key == key && s.unit == unit) {
            Some(s) => s.points.push(point),
            None => out.push(Series {
                key,
                name,
                unit,
                points: vec![point],
            }),
        }
    }
    for s in &mut out {
        s.points.sort_by_key(|p| sort_key(p.date_iso.as_deref()));
    }
    out.sort_by_key(|s| s.name.to_lowercase());
    out
}
