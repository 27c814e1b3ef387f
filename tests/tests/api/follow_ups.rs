//! Follow-up after exit: 90 and 180 days after an application ended, the caseworker
//! records where the person is; due follow-ups are listed; the report counts them.

use chrono::{Duration, Utc};
use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::calendar::swedish_today;
use jobtrack_api::domain::tracks;
use jobtrack_api::domain::values::{Gender, JobTrackStatus};
use jobtrack_entity::application;
use jobtrack_tests::fixtures::{
    self, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, assert_refused, global_id};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

const RECORD: &str = "mutation($input: RecordFollowUpInput!) { recordFollowUp(input: $input) {
    followUp { day situation employer { name } note recordedBy { email } } application { status } } }";
const DUE: &str =
    "query($d: Date!) { exitFollowUpsDue(onOrBefore: $d) { day dueOn application { id } } }";

/// Five women who completed a track, their exit moved `days_ago` into the past.
async fn completed(app: &TestApp, world: &fixtures::World, days_ago: i64) -> (i64, Vec<i64>) {
    let db = app.db();
    let track = fixtures::recruiting_track(app, world, 5).await;
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    let caseworker = fixtures::actor(app, CASEWORKER).await;
    let mut apps = Vec::new();
    for n in 0..5 {
        let candidate = fixtures::candidate(app, 300 + n, Gender::Woman, true).await;
        let id = fixtures::passed_trial(app, world, track, candidate).await;
        admission::decide(db, &wg, id, None, Decision::Admit, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        apps.push(id);
    }
    for status in [JobTrackStatus::Selection, JobTrackStatus::Running] {
        let current = tracks::visible_track(db, &wg, track)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tracks::change_status(db, &wg, track, current.version, status)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for id in &apps {
        admission::complete(db, &caseworker, *id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    application::Entity::update_many()
        .col_expr(
            application::Column::FinishedAt,
            Expr::value(Utc::now() - Duration::days(days_ago)),
        )
        .filter(application::Column::Id.is_in(apps.clone()))
        .exec(db)
        .await
        .expect("the exit moves");
    (track, apps)
}

fn input(app: i64, day: i32, situation: &str, extra: Value) -> Value {
    let mut input = json!({ "applicationId": global_id("Application", app), "day": day, "situation": situation });
    if let (Some(input), Value::Object(extra)) = (input.as_object_mut(), extra) {
        input.extend(extra);
    }
    json!({ "input": input })
}

#[tokio::test]
async fn follow_ups_come_due_are_recorded_and_counted_by_gender() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let (_, apps) = completed(&app, &world, 100).await;
    let caseworker = app.login(CASEWORKER).await;
    let today = swedish_today();
    let due = app
        .ok(Some(&caseworker), DUE, json!({ "d": today.to_string() }))
        .await;
    let list = due["exitFollowUpsDue"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list.len(), 5, "the 90-day follow-ups: {due}");
    assert!(list.iter().all(|d| d["day"] == 90));
    let later = app
        .ok(
            Some(&caseworker),
            DUE,
            json!({ "d": (today + Duration::days(80)).to_string() }),
        )
        .await;
    assert_eq!(
        later["exitFollowUpsDue"].as_array().map(Vec::len),
        Some(10),
        "and the 180-day ones by then"
    );
    let other = app.login(DALSLAND_CASEWORKER).await;
    let none = app
        .ok(Some(&other), DUE, json!({ "d": today.to_string() }))
        .await;
    assert_eq!(
        none["exitFollowUpsDue"],
        json!([]),
        "only one's own candidates"
    );

    // Too early for 180 days; 90 days recorded with the employer.
    assert_refused(
        &app.gql(
            Some(&caseworker),
            RECORD,
            input(apps[0], 180, "EMPLOYED", json!({})),
        )
        .await,
        "INVALID_STATE",
        "is due on",
    );
    let data = app
        .ok(
            Some(&caseworker),
            RECORD,
            input(apps[0], 90, "EMPLOYED_WITH_SUBSIDY", json!({ "employerId": global_id("Employer", world.welding), "note": "Lönebidrag, 75 %" })),
        )
        .await;
    assert_eq!(
        data["recordFollowUp"]["followUp"],
        json!({ "day": 90, "situation": "EMPLOYED_WITH_SUBSIDY", "employer": { "name": "Trollhättans Svets AB" },
            "note": "Lönebidrag, 75 %", "recordedBy": { "email": CASEWORKER } })
    );
    for id in &apps[1..] {
        app.ok(
            Some(&caseworker),
            RECORD,
            input(*id, 90, "EMPLOYED", json!({})),
        )
        .await;
    }
    let due = app
        .ok(Some(&caseworker), DUE, json!({ "d": today.to_string() }))
        .await;
    assert_eq!(
        due["exitFollowUpsDue"],
        json!([]),
        "recorded follow-ups are no longer due"
    );
    // A correction replaces the day's follow-up.
    app.ok(
        Some(&caseworker),
        RECORD,
        input(apps[1], 90, "EMPLOYED", json!({ "note": "Fast anställd" })),
    )
    .await;
    let read = "query($a: ID!) { node(id: $a) { ... on Application { followUps { day situation note } } } }";
    let seen = app
        .ok(
            Some(&caseworker),
            read,
            json!({ "a": global_id("Application", apps[1]) }),
        )
        .await;
    assert_eq!(
        seen["node"]["followUps"],
        json!([{ "day": 90, "situation": "EMPLOYED", "note": "Fast anställd" }])
    );
    let employer = app.login(EMPLOYER).await;
    let theirs = app
        .ok(
            Some(&employer),
            read,
            json!({ "a": global_id("Application", apps[0]) }),
        )
        .await;
    assert_eq!(
        theirs["node"]["followUps"],
        json!([]),
        "employers never see follow-ups"
    );

    // The report: five women in work after 90 days.
    let coordinator = app.login(COORDINATOR).await;
    let report = app
        .ok(
            Some(&coordinator),
            "query($a: ID!, $from: Date!, $to: Date!) { completionReport(agreementId: $a, from: $from, to: $to) {
                employedAfter90Days { women men total suppressed } employedAfter180Days { total suppressed }
                studiesAfter90Days { total } byTrack { employedAfter90Days { women total } } } }",
            json!({ "a": global_id("Agreement", world.fyrbodal), "from": (today - Duration::days(1)).to_string(), "to": today.to_string() }),
        )
        .await;
    assert_eq!(
        report["completionReport"],
        json!({ "employedAfter90Days": { "women": 5, "men": 0, "total": 5, "suppressed": false },
            "employedAfter180Days": { "total": 0, "suppressed": false }, "studiesAfter90Days": { "total": 0 },
            "byTrack": [{ "employedAfter90Days": { "women": 5, "total": 5 } }] })
    );
    app.stop().await;
}

#[tokio::test]
async fn follow_ups_are_refused_when_wrong_early_or_not_ones_to_record() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let (_, apps) = completed(&app, &world, 200).await;
    let caseworker = app.login(CASEWORKER).await;
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            RECORD,
            input(apps[0], 45, "EMPLOYED", json!({})),
        )
        .await,
        "day",
    );
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            RECORD,
            input(
                apps[0],
                90,
                "UNEMPLOYED",
                json!({ "employerId": global_id("Employer", world.welding) }),
            ),
        )
        .await,
        "employerId",
    );
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            RECORD,
            input(apps[0], 90, "OTHER", json!({ "note": "x".repeat(50_000) })),
        )
        .await,
        "note",
    );
    assert_error(
        &app.gql(
            Some(&app.login(DALSLAND_CASEWORKER).await),
            RECORD,
            input(apps[0], 90, "EMPLOYED", json!({})),
        )
        .await,
        "NOT_FOUND",
    );
    for email in [WORKING_GROUP, EMPLOYER] {
        assert_error(
            &app.gql(
                Some(&app.login(email).await),
                RECORD,
                input(apps[0], 90, "EMPLOYED", json!({})),
            )
            .await,
            "FORBIDDEN",
        );
    }
    // An application still open has no follow-up yet.
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    let candidate = fixtures::candidate(&app, 400, Gender::Man, true).await;
    let open =
        fixtures::application_at(&app, &world, track, candidate, fixtures::Stage::Applied).await;
    assert_error(
        &app.gql(
            Some(&caseworker),
            RECORD,
            input(open, 90, "EMPLOYED", json!({})),
        )
        .await,
        "INVALID_STATE",
    );
    app.ok(
        Some(&caseworker),
        RECORD,
        input(apps[0], 180, "STUDIES", json!({})),
    )
    .await;
    app.stop().await;
}
