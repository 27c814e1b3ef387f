//! End of track: the working group's review, the candidates who passed the trial
//! placement but were not admitted, and carrying them over to the next track.

use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::tracks::{self, NewTrack};
use jobtrack_api::domain::values::{AdmissionStepKind, Gender, JobTrackStatus, StepResult};
use jobtrack_tests::fixtures::{self, CASEWORKER, EMPLOYER, Stage, WORKING_GROUP};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, assert_refused, global_id};
use serde_json::{Value, json};

async fn advance(app: &TestApp, track: i64, to: &[JobTrackStatus]) {
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    for status in to {
        let current = tracks::visible_track(app.db(), &wg, track)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tracks::change_status(app.db(), &wg, track, current.version, *status)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[tokio::test]
async fn a_completed_track_is_reviewed_and_its_near_admissions_carried_over() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let db = app.db();
    let wg = fixtures::actor(&app, WORKING_GROUP).await;
    let caseworker = fixtures::actor(&app, CASEWORKER).await;
    let first = fixtures::recruiting_track(&app, &world, 3).await;
    let mut apps = Vec::new();
    for n in 0..4 {
        let candidate = fixtures::candidate(&app, 500 + n, Gender::Woman, true).await;
        let stage = if n == 3 {
            Stage::TrialScheduled
        } else {
            Stage::TrialPassed
        };
        apps.push(fixtures::application_at(&app, &world, first, candidate, stage).await);
    }
    let [admitted, rejected, withdrawn, failed] = [apps[0], apps[1], apps[2], apps[3]];
    admission::decide(db, &wg, admitted, None, Decision::Admit, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    admission::decide(
        db,
        &wg,
        rejected,
        None,
        Decision::Reject,
        Some("Fullt".into()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    admission::withdraw(db, &caseworker, withdrawn, Some("Flyttar".into()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    admission::record_step_result(
        db,
        &wg,
        failed,
        AdmissionStepKind::TrialPlacement,
        StepResult::NotPassed,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    admission::decide(
        db,
        &wg,
        failed,
        None,
        Decision::Reject,
        Some("Ej godkänd praktik".into()),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    advance(
        &app,
        first,
        &[JobTrackStatus::Selection, JobTrackStatus::Running],
    )
    .await;

    let working_group = app.login(WORKING_GROUP).await;
    let read = "query($t: ID!) { node(id: $t) { ... on JobTrack { status review { whatWorked employerView employedCount recordedBy { email } }
        carryOverCandidates { id status } } } }";
    let track_id = json!({ "t": global_id("JobTrack", first) });
    let before = app.ok(Some(&working_group), read, track_id.clone()).await;
    assert_eq!(
        before["node"]["carryOverCandidates"],
        json!([]),
        "not before the track is completed"
    );
    let review = "mutation($t: ID!, $n: Int!) { recordTrackReview(input: {jobTrackId: $t, whatWorked: \"Praktiken tidigt\",
        employerView: \"Nöjda, vill köra igen\", employedCount: $n}) { review { employedCount } jobTrack { status } } }";
    assert_error(
        &app.gql(
            Some(&working_group),
            review,
            json!({ "t": global_id("JobTrack", first), "n": 1 }),
        )
        .await,
        "INVALID_STATE",
    );
    admission::complete(db, &caseworker, admitted)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    advance(&app, first, &[JobTrackStatus::Completed]).await;

    assert_bad_input(
        &app.gql(
            Some(&working_group),
            review,
            json!({ "t": global_id("JobTrack", first), "n": 2 }),
        )
        .await,
        "employedCount",
    );
    for email in [CASEWORKER, EMPLOYER] {
        assert_error(
            &app.gql(
                Some(&app.login(email).await),
                review,
                json!({ "t": global_id("JobTrack", first), "n": 1 }),
            )
            .await,
            "FORBIDDEN",
        );
    }
    app.ok(
        Some(&working_group),
        review,
        json!({ "t": global_id("JobTrack", first), "n": 1 }),
    )
    .await;
    let after = app.ok(Some(&working_group), read, track_id.clone()).await;
    assert_eq!(
        after["node"],
        json!({ "status": "COMPLETED",
            "review": { "whatWorked": "Praktiken tidigt", "employerView": "Nöjda, vill köra igen", "employedCount": 1,
                "recordedBy": { "email": WORKING_GROUP } },
            "carryOverCandidates": [{ "id": global_id("Application", rejected), "status": "REJECTED" },
                { "id": global_id("Application", withdrawn), "status": "WITHDRAWN" }] }),
        "passed the trial placement but not admitted; not the one who did not pass"
    );
    let employer = app.login(EMPLOYER).await;
    let theirs = app.ok(Some(&employer), read, track_id).await;
    assert_eq!(
        (
            &theirs["node"]["review"],
            &theirs["node"]["carryOverCandidates"]
        ),
        (&Value::Null, &Value::Null)
    );

    // The next track of the same occupation, and one of another.
    let next = fixtures::recruiting_track(&app, &world, 3).await;
    let other = tracks::create_track(
        db,
        &wg,
        NewTrack {
            title: "Undersköterskor".into(),
            description: None,
            ssyk_code: "5321".into(),
            agreement_id: world.fyrbodal,
            municipality_codes: vec!["1488".into()],
            employer_ids: vec![world.care],
            competence_need_ids: vec![],
            seats: 3,
            application_deadline: None,
            start_date: None,
            end_date: None,
            eligibility: None,
            components: vec![],
            design_team_user_ids: vec![],
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    advance(&app, other.id, &[JobTrackStatus::Recruiting]).await;
    let carry = "mutation($a: ID!, $t: ID!) { nominateCarryOver(input: {applicationId: $a, jobTrackId: $t}) { application {
        status nominationNote carriedOverFrom { id status jobTrack { id } steps { kind result } } } } }";
    let vars = |from: i64, to: i64| json!({ "a": global_id("Application", from), "t": global_id("JobTrack", to) });
    let case = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(Some(&working_group), carry, vars(rejected, next))
            .await,
        "FORBIDDEN",
    );
    assert_bad_input(
        &app.gql(Some(&case), carry, vars(rejected, other.id)).await,
        "jobTrackId",
    );
    for not_eligible in [failed, admitted] {
        assert_error(
            &app.gql(Some(&case), carry, vars(not_eligible, next)).await,
            "INVALID_STATE",
        );
    }
    let carried = app.ok(Some(&case), carry, vars(rejected, next)).await;
    let application = &carried["nominateCarryOver"]["application"];
    assert_eq!(application["status"], "NOMINATED");
    assert!(
        application["nominationNote"]
            .as_str()
            .is_some_and(|n| n.starts_with("Överförd från Svetsare Trollhättan")),
        "{application}"
    );
    assert_eq!(
        application["carriedOverFrom"]["id"],
        global_id("Application", rejected)
    );
    assert_eq!(
        application["carriedOverFrom"]["jobTrack"]["id"],
        global_id("JobTrack", first)
    );
    let steps = application["carriedOverFrom"]["steps"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        steps.contains(&json!({ "kind": "TRIAL_PLACEMENT", "result": "PASSED" })),
        "the earlier steps stay in view: {steps:?}"
    );
    assert_refused(
        &app.gql(Some(&case), carry, vars(rejected, next)).await,
        "CONFLICT",
        "already has an application",
    );
    app.stop().await;
}
