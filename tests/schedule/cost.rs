//! What the front desk costs on the wire, counted on the real server: a day of 40 visits
//! and a check-in (issue 17's budget).

use super::*;

/// What a day of 40 visits and a check-in cost on the wire (issue 17's budget: the list in
/// one round trip and at most 16 KB; a check-in in one round trip). Printed for
/// docs/servers.md; the round trips are asserted, the bytes where the server compresses.
#[tokio::test]
async fn a_day_of_forty_visits_costs_one_round_trip() {
    let source = source();
    let (date, practitioner) = day::busy_day(source.client(), 40).await;
    // The capability statement is read once per session (and cached on disk): not counted.
    source.capabilities().await.unwrap();
    let zone = ClinicZone::parse(Some("-06:00")).unwrap();
    let request = ScheduleRequest {
        query: ScheduleQuery {
            window: zone.day(date).unwrap(),
            practitioner: Some(practitioner),
            location: None,
        },
        zone,
        options: ChartOptions::default(),
        today: date,
    };
    let before = source.client().stats();
    let ScheduleFetch::Fresh { schedule, .. } = source.schedule(&request, None).await.unwrap()
    else {
        panic!("304 without validators");
    };
    let list = source.client().stats().since(&before);
    assert_eq!(schedule.rows.len(), 40);
    assert!(schedule.rows.iter().all(|r| r.patient.is_some()));
    assert_eq!(list.round_trips, 1);
    if common::server_compresses() {
        assert!(list.bytes_received <= 16 * 1024, "{list:?}");
    }
    let row = &schedule.rows[0];
    let before = source.client().stats();
    let (done, _) = check_in(&source, &row.appointment_id, Some(&known(row)), false)
        .await
        .unwrap();
    let checkin = source.client().stats().since(&before);
    assert!(matches!(done, CheckInOutcome::Submitted { .. }), "{done:?}");
    // JSON Patch where declared, and tried where `patch` is declared with no `patchFormat`
    // (hfs takes it): one round trip on both servers.
    let patch = source
        .client()
        .capabilities()
        .await
        .unwrap()
        .json_patch("Appointment");
    assert_ne!(patch, rounds::fhir::PatchSupport::No);
    assert_eq!(checkin.round_trips, 1, "{patch:?}");
    println!(
        "{}: 40 visits: {} round trip(s), {} bytes received ({} decoded); check-in: {} round trip(s), {} bytes sent, {} received",
        common::server_impl(),
        list.round_trips,
        list.bytes_received,
        list.bytes_decoded,
        checkin.round_trips,
        checkin.bytes_sent,
        checkin.bytes_received
    );
}
