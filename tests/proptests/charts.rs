//! The resource model, `RecordBuilder` and `Chart::build` on hostile records: nothing
//! panics, and the chart always serialises.

use proptest::prelude::*;
use rounds::chart::Chart;
use serde_json::Value;

use super::{config, today};
use crate::strategies::record;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn records_and_charts_never_panic(record in record()) {
        let Some(record) = record else { return Ok(()) };
        let chart = Chart::build(&record, today());
        let _ = chart.cover_sheet();
        let json = serde_json::to_string(&chart).unwrap();
        prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
        let mut merged = record.clone();
        merged.merge(record.clone());
        let _ = Chart::build(&merged, today());
        let _ = record.missing_medications();
        for r in &record.medication_requests {
            let _ = record.medication_for(r);
        }
    }
}
