//! The sig: how to take a medication, in words. `dosageInstruction.text` when the
//! prescriber wrote one; otherwise built from the structured dose, route and timing
//! (`10 mg by mouth once a day`).

use super::format::{NOT_KNOWN, decimal, quantity, range, ratio};
use crate::fhir::model::{CodeableConcept, Dosage, Timing};

/// The sig of one dosage instruction, or `None` when it says nothing.
pub fn sig(d: &Dosage) -> Option<String> {
    if let Some(text) = d.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return Some(text.to_owned());
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(dose) = d.dose_and_rate.iter().find_map(|dr| {
        dr.dose_quantity
            .as_ref()
            .map(quantity)
            .or_else(|| dr.dose_range.as_ref().and_then(range))
    }) {
        // A placeholder dose (`0 unknown`) is no dose: said so, not as a quantity.
        parts.push(if dose == NOT_KNOWN {
            "dose not known".to_owned()
        } else {
            dose
        });
    }
    if let Some(rate) = d.dose_and_rate.iter().find_map(|dr| {
        dr.rate_quantity
            .as_ref()
            .map(quantity)
            .or_else(|| dr.rate_ratio.as_ref().and_then(ratio))
    }) {
        parts.push(format!("at {rate}"));
    }
    if let Some(route) = d.route.as_ref().and_then(route_words) {
        parts.push(route);
    }
    if let Some(site) = d.site.as_ref().and_then(|s| s.label()) {
        parts.push(format!("to {}", site.trim().to_lowercase()));
    }
    if let Some(timing) = d.timing.as_ref().and_then(timing_words) {
        parts.push(timing);
    }
    if d.as_needed_boolean == Some(true) || d.as_needed_codeable_concept.is_some() {
        parts.push(
            match d
                .as_needed_codeable_concept
                .as_ref()
                .and_then(|c| c.label())
            {
                Some(reason) => format!("as needed for {}", reason.trim()),
                None => "as needed".to_owned(),
            },
        );
    }
    if let Some(max) = d.max_dose_per_period.as_ref().and_then(ratio) {
        parts.push(format!("(max {max})"));
    }
    for extra in d.additional_instruction.iter().filter_map(|c| c.label()) {
        parts.push(extra.trim().to_lowercase());
    }
    if let Some(p) = d
        .patient_instruction
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        parts.push(format!("({p})"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The sig of all dosage instructions of a request, in sequence order.
pub fn sig_all(dosages: &[Dosage]) -> Option<String> {
    let mut sorted: Vec<&Dosage> = dosages.iter().collect();
    sorted.sort_by_key(|d| d.sequence.unwrap_or(i64::MAX));
    let parts: Vec<String> = sorted.into_iter().filter_map(sig).collect();
    (!parts.is_empty()).then(|| parts.join("; then "))
}

/// `by mouth`, `subcutaneous`, `intravenous`: routes as a prescription reads.
fn route_words(route: &CodeableConcept) -> Option<String> {
    if route.has_code("26643006") {
        return Some("by mouth".to_owned());
    }
    let label = route.label()?.trim().to_lowercase();
    let label = label
        .trim_end_matches(" route")
        .trim_end_matches(" use")
        .to_owned();
    Some(match label.as_str() {
        "oral" | "po" | "by mouth" => "by mouth".to_owned(),
        _ => label,
    })
}

/// `twice a day`, `every 6 hours`, `every 4-6 hours`, `at bedtime`, `for 7 days`.
fn timing_words(t: &Timing) -> Option<String> {
    let coded = t.code.as_ref().and_then(|c| {
        c.text
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| c.first_code().and_then(timing_code))
    });
    let Some(r) = &t.repeat else { return coded };
    let mut parts: Vec<String> = coded.into_iter().collect();
    if parts.is_empty() {
        if let (Some(period), Some(unit)) = (r.period, r.period_unit.as_deref()) {
            let freq = r.frequency.unwrap_or(1);
            let max_period = r.period_max.map(decimal);
            parts.push(frequency(freq, r.frequency_max, period, max_period, unit));
        }
    }
    if !r.when.is_empty() {
        let whens: Vec<&str> = r.when.iter().filter_map(|w| when_words(w)).collect();
        if !whens.is_empty() {
            parts.push(whens.join(" and "));
        }
    }
    if !r.time_of_day.is_empty() {
        let times: Vec<&str> = r
            .time_of_day
            .iter()
            .map(|t| t.get(..5).unwrap_or(t))
            .collect();
        parts.push(format!("at {}", times.join(", ")));
    }
    if !r.day_of_week.is_empty() {
        let days: Vec<String> = r
            .day_of_week
            .iter()
            .map(|d| super::codes::words(d))
            .collect();
        parts.push(format!("on {}", days.join(", ")));
    }
    if let Some(b) = &r.bounds_duration {
        if b.value.is_some() {
            parts.push(format!("for {}", quantity(b)));
        }
    }
    if let Some(n) = r.count {
        parts.push(format!("for {n} doses"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn frequency(
    freq: u32,
    freq_max: Option<u32>,
    period: f64,
    period_max: Option<String>,
    unit: &str,
) -> String {
    let unit_word = |plural: bool| -> &str {
        match (unit, plural) {
            ("s", false) => "second",
            ("s", true) => "seconds",
            ("min", false) => "minute",
            ("min", true) => "minutes",
            ("h", false) => "hour",
            ("h", true) => "hours",
            ("d", false) => "day",
            ("d", true) => "days",
            ("wk", false) => "week",
            ("wk", true) => "weeks",
            ("mo", false) => "month",
            ("mo", true) => "months",
            ("a", false) => "year",
            ("a", true) => "years",
            _ => unit,
        }
    };
    let times = match (freq, freq_max) {
        (f, Some(m)) if m > f => format!("{f}-{m} times"),
        (1, _) => "once".to_owned(),
        (2, _) => "twice".to_owned(),
        (f, _) => format!("{f} times"),
    };
    let one_period = period == 1.0 && period_max.is_none();
    if freq == 1 && freq_max.is_none() && !one_period {
        let p = match period_max {
            Some(max) => format!("{}-{max}", decimal(period)),
            None => decimal(period),
        };
        return format!("every {p} {}", unit_word(true));
    }
    if one_period {
        let article = if unit == "h" { "an" } else { "a" };
        return format!("{times} {article} {}", unit_word(false));
    }
    format!("{times} every {} {}", decimal(period), unit_word(true))
}

/// HL7 GTSAbbreviation timing codes.
fn timing_code(code: &str) -> Option<String> {
    Some(
        match code {
            "QD" => "once a day",
            "BID" => "twice a day",
            "TID" => "3 times a day",
            "QID" => "4 times a day",
            "AM" => "in the morning",
            "PM" => "in the evening",
            "Q4H" => "every 4 hours",
            "Q6H" => "every 6 hours",
            "WK" => "once a week",
            "MO" => "once a month",
            other => return Some(other.to_owned()),
        }
        .to_owned(),
    )
}

/// Event timing codes (`when`).
fn when_words(code: &str) -> Option<&'static str> {
    Some(match code {
        "HS" => "at bedtime",
        "WAKE" => "on waking",
        "C" => "with meals",
        "CM" => "with breakfast",
        "CD" => "with lunch",
        "CV" => "with dinner",
        "AC" => "before meals",
        "ACM" => "before breakfast",
        "ACD" => "before lunch",
        "ACV" => "before dinner",
        "PC" => "after meals",
        "PCM" => "after breakfast",
        "PCD" => "after lunch",
        "PCV" => "after dinner",
        "MORN" => "in the morning",
        "AFT" => "in the afternoon",
        "EVE" => "in the evening",
        "NIGHT" => "at night",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dosage(json: &str) -> Dosage {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn text_wins() {
        let d = dosage(
            r#"{"text":" Take 1 tablet by mouth twice daily ","timing":{"code":{"text":"BID"}}}"#,
        );
        assert_eq!(sig(&d).unwrap(), "Take 1 tablet by mouth twice daily");
    }

    #[test]
    fn built_from_dose_route_and_timing() {
        let d = dosage(
            r#"{"doseAndRate":[{"doseQuantity":{"value":10,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}],
                "route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral route"}]},
                "timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}"#,
        );
        assert_eq!(sig(&d).unwrap(), "10 mg by mouth once a day");
        let prn = dosage(
            r#"{"doseAndRate":[{"doseQuantity":{"value":0.5,"unit":"tablet"}}],
                "route":{"text":"Oral route"},
                "timing":{"repeat":{"frequency":1,"period":6,"periodUnit":"h"}},
                "asNeededCodeableConcept":{"text":"pain"}}"#,
        );
        assert_eq!(
            sig(&prn).unwrap(),
            "0.5 tablet by mouth every 6 hours as needed for pain"
        );
        let trailing = dosage(
            r#"{"doseAndRate":[{"doseQuantity":{"value":5.0,"unit":"mmol"}}],
                "timing":{"repeat":{"frequency":2,"period":1,"periodUnit":"d","when":["C"]}}}"#,
        );
        assert_eq!(sig(&trailing).unwrap(), "5 mmol twice a day with meals");
    }

    #[test]
    fn frequencies_read_naturally() {
        assert_eq!(frequency(3, None, 1.0, None, "d"), "3 times a day");
        assert_eq!(frequency(1, None, 1.0, None, "h"), "once an hour");
        assert_eq!(
            frequency(1, None, 4.0, Some("6".into()), "h"),
            "every 4-6 hours"
        );
        assert_eq!(frequency(1, None, 1.0, None, "wk"), "once a week");
        assert_eq!(frequency(2, Some(3), 1.0, None, "d"), "2-3 times a day");
        assert_eq!(frequency(2, None, 3.0, None, "d"), "twice every 3 days");
    }

    #[test]
    fn prn_only_and_empty() {
        assert_eq!(
            sig(&dosage(r#"{"sequence":1,"asNeededBoolean":true}"#)).unwrap(),
            "as needed"
        );
        assert_eq!(sig(&dosage("{}")), None);
        let two = vec![
            dosage(r#"{"sequence":2,"text":"1 daily"}"#),
            dosage(r#"{"sequence":1,"text":"2 tablets on day 1"}"#),
        ];
        assert_eq!(sig_all(&two).unwrap(), "2 tablets on day 1; then 1 daily");
    }

    #[test]
    fn a_placeholder_dose_is_not_a_quantity() {
        let d = dosage(
            r#"{"doseAndRate":[{"doseQuantity":{"value":0,"unit":"unknown"}}],
                "timing":{"repeat":{"frequency":1,"period":1,"periodUnit":"d"}}}"#,
        );
        assert_eq!(sig(&d).unwrap(), "dose not known once a day");
    }
}
