//! The consent ledger: validity, the one employer an EMPLOYER_SHARING consent may name,
//! withdrawal and expiry withdrawing open applications, append-only history, audit.

use chrono::{Duration, Utc};
use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::values::{Gender, JobTrackStatus};
use jobtrack_api::domain::{candidates, tracks};
use jobtrack_tests::fixtures::{
    self, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, OTHER_EMPLOYER, Stage,
    WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, assert_refused, global_id};
use serde_json::{Value, json};

const RECORD: &str = "mutation($input: RecordConsentInput!) { recordConsent(input: $input) {
    consent { scope method validFrom validUntil active employer { name } recordedBy { email } } } }";
const WITHDRAW: &str = "mutation($c: ID!, $s: ConsentScope!) { withdrawConsent(input: {candidateId: $c, scope: $s}) { candidate { id } } }";
const CONSENTS: &str = "query($id: ID!) { node(id: $id) { ... on Candidate { consents {
    scope method active validFrom validUntil withdrawnAt withdrawnBy { email } employer { name } } } } }";
const APPLICATION: &str = "query($id: ID!) { node(id: $id) { ... on Application { status withdrawalReason consentLapsed } } }";

/// Takes the track to RUNNING: its admitted participants start.
async fn run(app: &TestApp, track: i64) {
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    for status in [JobTrackStatus::Selection, JobTrackStatus::Running] {
        let current = tracks::visible_track(app.db(), &wg, track)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tracks::change_status(app.db(), &wg, track, current.version, status)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[tokio::test]
async fn withdrawing_collaboration_withdraws_open_applications_and_flags_a_started_one() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let wg_actor = fixtures::actor(&app, WORKING_GROUP).await;
    let running = fixtures::recruiting_track(&app, &world, 2).await;
    let recruiting = fixtures::recruiting_track(&app, &world, 2).await;
    let started = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let open = fixtures::candidate(&app, 2, Gender::Man, true).await;
    let on_running = fixtures::passed_trial(&app, &world, running, started).await;
    admission::decide(app.db(), &wg_actor, on_running, None, Decision::Admit, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    run(&app, running).await;
    let applied = fixtures::application_at(&app, &world, recruiting, open, Stage::Applied).await;
    let nominated = admission::nominate(
        app.db(),
        &fixtures::actor(&app, CASEWORKER).await,
        recruiting,
        started,
        None,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .id;

    let caseworker = app.login(CASEWORKER).await;
    let wg = app.login(WORKING_GROUP).await;
    for candidate in [started, open] {
        app.ok(
            Some(&caseworker),
            WITHDRAW,
            json!({ "c": global_id("Candidate", candidate), "s": "COLLABORATION" }),
        )
        .await;
    }
    let read = |token: String, id: i64| {
        let app = &app;
        async move {
            app.ok(
                Some(&token),
                APPLICATION,
                json!({ "id": global_id("Application", id) }),
            )
            .await["node"]
                .clone()
        }
    };
    for id in [applied, nominated] {
        assert_eq!(
            read(caseworker.clone(), id).await,
            json!({ "status": "WITHDRAWN", "withdrawalReason": "CONSENT_WITHDRAWN", "consentLapsed": false })
        );
    }
    assert_eq!(
        read(caseworker.clone(), on_running).await,
        json!({ "status": "STARTED", "withdrawalReason": null, "consentLapsed": true }),
        "a started participation is not undone; it is flagged for the caseworker"
    );
    assert_eq!(
        read(wg.clone(), on_running).await,
        Value::Null,
        "the working group no longer sees the application"
    );
    let candidate = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": global_id("Candidate", started) }),
        )
        .await;
    assert_eq!(candidate["node"], Value::Null);
    // The caseworker can find the flagged participations.
    let flagged = app
        .ok(
            Some(&caseworker),
            "{ applications(filter: {consentLapsed: true}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        flagged["applications"]["edges"],
        json!([{ "node": { "id": global_id("Application", on_running) } }])
    );
    // Withdrawn by request keeps its own reason.
    let third = fixtures::candidate(&app, 3, Gender::Other, true).await;
    let asked = fixtures::application_at(&app, &world, recruiting, third, Stage::Nominated).await;
    app.ok(
        Some(&caseworker),
        "mutation($a: ID!) { withdrawApplication(input: {applicationId: $a}) { application { id } } }",
        json!({ "a": global_id("Application", asked) }),
    )
    .await;
    assert_eq!(
        read(caseworker.clone(), asked).await["withdrawalReason"],
        "REQUESTED"
    );
    // Every change is in the audit log.
    let coordinator = app.login(COORDINATOR).await;
    let audit = app
        .ok(
            Some(&coordinator),
            "query($c: ID!) { auditEvents(first: 50, candidateId: $c) { edges { node { action detail actor { email } } } } }",
            json!({ "c": global_id("Candidate", started) }),
        )
        .await;
    let events: Vec<(String, String)> = audit["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["node"]["action"].as_str().unwrap_or_default().to_owned(),
                e["node"]["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        events.contains(&("consent.withdraw".into(), "COLLABORATION".into())),
        "{events:?}"
    );
    assert!(
        events.contains(&(
            "application.withdraw".into(),
            format!("application {nominated} on track {recruiting}: CONSENT_WITHDRAWN")
        )),
        "{events:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_consent_that_runs_out_hides_the_candidate_at_once_and_the_sweep_withdraws() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Woman, false).await;
    let application =
        fixtures::application_at(&app, &world, track, candidate, Stage::Invited).await;
    let caseworker = app.login(CASEWORKER).await;
    let id = global_id("Candidate", candidate);
    // Replace the open-ended consent by one that runs out in a moment.
    app.ok(
        Some(&caseworker),
        WITHDRAW,
        json!({ "c": id, "s": "COLLABORATION" }),
    )
    .await;
    let until = Utc::now() + Duration::milliseconds(1500);
    let data = app
        .ok(
            Some(&caseworker),
            RECORD,
            json!({ "input": { "candidateId": id, "scope": "COLLABORATION", "method": "WRITTEN",
                "validFrom": (Utc::now() - Duration::days(7)).to_rfc3339(), "validUntil": until.to_rfc3339() } }),
        )
        .await;
    assert_eq!(data["recordConsent"]["consent"]["active"], true);
    let wg = app.login(WORKING_GROUP).await;
    let seen = async || {
        app.ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await["node"]
            .clone()
    };
    // The earlier application was withdrawn with the first consent; nominate again.
    let again = admission::nominate(
        app.db(),
        &fixtures::actor(&app, CASEWORKER).await,
        track,
        candidate,
        None,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .id;
    assert_ne!(again, application);
    assert!(seen().await.is_object(), "consent active: seen");
    tokio::time::sleep(
        (until - Utc::now())
            .to_std()
            .unwrap_or_default()
            .saturating_add(std::time::Duration::from_millis(100)),
    )
    .await;
    assert_eq!(seen().await, Value::Null, "run out: hidden at once");
    let withdrawn = candidates::lapse_expired(app.db())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(withdrawn, 1);
    assert_eq!(
        app.ok(
            Some(&caseworker),
            APPLICATION,
            json!({ "id": global_id("Application", again) })
        )
        .await["node"],
        json!({ "status": "WITHDRAWN", "withdrawalReason": "CONSENT_WITHDRAWN", "consentLapsed": false })
    );
    assert_eq!(
        candidates::lapse_expired(app.db())
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
        "the sweep is idempotent"
    );
    let history = app
        .ok(Some(&caseworker), CONSENTS, json!({ "id": id }))
        .await;
    let consents = &history["node"]["consents"];
    assert_eq!(consents.as_array().map(Vec::len), Some(2), "{history}");
    assert_eq!(consents[0]["withdrawnBy"]["email"], CASEWORKER);
    assert_eq!(consents[1]["active"], false);
    assert_eq!(
        consents[1]["withdrawnAt"],
        Value::Null,
        "ran out, not withdrawn"
    );
    // Nominating without an active consent is refused.
    let nominate = "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }";
    assert_error(
        &app.gql(
            Some(&caseworker),
            nominate,
            json!({ "t": global_id("JobTrack", track), "c": id }),
        )
        .await,
        "CONSENT_REQUIRED",
    );
    app.stop().await;
}

#[tokio::test]
async fn sharing_with_one_employer_shows_the_applicant_to_that_employer_only() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Woman, false).await;
    let application =
        fixtures::application_at(&app, &world, track, candidate, Stage::Applied).await;
    let caseworker = app.login(CASEWORKER).await;
    let id = global_id("Candidate", candidate);
    let share_with = |employer: i64| {
        json!({ "input": { "candidateId": id, "scope": "EMPLOYER_SHARING", "method": "DIGITAL",
            "employerId": global_id("Employer", employer) } })
    };
    let data = app
        .ok(Some(&caseworker), RECORD, share_with(world.care))
        .await;
    assert_eq!(
        data["recordConsent"]["consent"]["employer"]["name"],
        "Vänersborgs Omsorg AB"
    );
    let applicants =
        "query($t: ID!) { node(id: $t) { ... on JobTrack { applications { totalCount } } } }";
    let welding = app.login(EMPLOYER).await;
    let count = async |token: &str| {
        app.ok(
            Some(token),
            applicants,
            json!({ "t": global_id("JobTrack", track) }),
        )
        .await["node"]["applications"]["totalCount"]
            .clone()
    };
    assert_eq!(
        count(&welding).await,
        0,
        "shared with the care company only"
    );
    let wg = app.login(WORKING_GROUP).await;
    let trial = "mutation($a: ID!, $e: ID!, $s: DateTime!, $end: DateTime!) { scheduleTrialPlacement(input: {applicationId: $a, employerId: $e, startsAt: $s, endsAt: $end}) { application { status } } }";
    let at = Utc::now() + Duration::days(3);
    let vars = json!({ "a": global_id("Application", application), "e": global_id("Employer", world.welding),
        "s": at.to_rfc3339(), "end": (at + Duration::days(2)).to_rfc3339() });
    assert_refused(
        &app.gql(Some(&wg), trial, vars.clone()).await,
        "CONSENT_REQUIRED",
        "for this employer",
    );
    app.ok(
        Some(&caseworker),
        WITHDRAW,
        json!({ "c": id, "s": "EMPLOYER_SHARING" }),
    )
    .await;
    app.ok(Some(&caseworker), RECORD, share_with(world.welding))
        .await;
    assert_eq!(count(&welding).await, 1, "now shared with the welding firm");
    app.ok(Some(&wg), trial, vars).await;
    let care = app.login(OTHER_EMPLOYER).await;
    assert_eq!(
        app.ok(
            Some(&care),
            "query($a: ID!) { node(id: $a) { id } }",
            json!({ "a": global_id("Application", application) })
        )
        .await["node"],
        Value::Null
    );
    app.stop().await;
}

#[tokio::test]
async fn consents_are_validated_and_recorded_only_by_those_who_manage_the_candidate() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Man, false).await;
    let caseworker = app.login(CASEWORKER).await;
    let id = global_id("Candidate", candidate);
    let input = |extra: Value| {
        let mut input =
            json!({ "candidateId": id, "scope": "EMPLOYER_SHARING", "method": "WRITTEN" });
        if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
            input.extend(extra.clone());
        }
        json!({ "input": input })
    };
    let now = Utc::now();
    for (extra, field) in [
        (
            json!({ "validFrom": now.to_rfc3339(), "validUntil": (now - Duration::days(1)).to_rfc3339() }),
            "validUntil",
        ),
        (
            json!({ "validFrom": (now - Duration::days(30)).to_rfc3339(), "validUntil": (now - Duration::days(1)).to_rfc3339() }),
            "validUntil",
        ),
        (
            json!({ "validFrom": (now + Duration::days(800)).to_rfc3339() }),
            "validFrom",
        ),
        (
            json!({ "employerId": "RW1wbG95ZXI6OTk5OTk=" }),
            "employerId",
        ),
        (
            json!({ "employerId": global_id("JobTrack", 1) }),
            "employerId",
        ),
    ] {
        assert_bad_input(
            &app.gql(Some(&caseworker), RECORD, input(extra)).await,
            field,
        );
    }
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            RECORD,
            json!({ "input": { "candidateId": id, "scope": "COLLABORATION", "method": "WRITTEN",
                "employerId": global_id("Employer", world.welding) } }),
        )
        .await,
        "employerId",
    );
    // Another municipality's caseworker, the working group and an employer may not.
    assert_error(
        &app.gql(
            Some(&app.login(DALSLAND_CASEWORKER).await),
            RECORD,
            input(json!({})),
        )
        .await,
        "NOT_FOUND",
    );
    for email in [WORKING_GROUP, EMPLOYER] {
        assert_error(
            &app.gql(Some(&app.login(email).await), RECORD, input(json!({})))
                .await,
            "FORBIDDEN",
        );
    }
    // A consent that begins later is recorded but not active; a second one is a conflict.
    let later = app
        .ok(
            Some(&caseworker),
            RECORD,
            input(json!({ "validFrom": (now + Duration::days(7)).to_rfc3339() })),
        )
        .await;
    assert_eq!(later["recordConsent"]["consent"]["active"], false);
    assert_error(
        &app.gql(Some(&caseworker), RECORD, input(json!({}))).await,
        "CONFLICT",
    );
    app.stop().await;
}

/// The history cannot be rewritten, not even by SQL that bypasses the application.
#[tokio::test]
async fn consent_history_is_append_only_in_the_database() {
    use jobtrack_entity::consent;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Man, true).await;
    let of_candidate =
        || consent::Entity::find().filter(consent::Column::CandidateId.eq(candidate));
    let rows = of_candidate().all(app.db()).await.expect("consents read");
    assert_eq!(rows.len(), 2);
    let deleted = consent::Entity::delete_many()
        .filter(consent::Column::CandidateId.eq(candidate))
        .exec(app.db())
        .await;
    assert!(deleted.is_err(), "deleting a consent is refused");
    let rewritten = consent::Entity::update_many()
        .col_expr(
            consent::Column::GivenAt,
            Expr::value(Utc::now() - Duration::days(400)),
        )
        .filter(consent::Column::CandidateId.eq(candidate))
        .exec(app.db())
        .await;
    assert!(rewritten.is_err(), "changing when it was given is refused");
    fixtures::withdraw_sharing(&app, candidate).await;
    let undo = consent::Entity::update_many()
        .col_expr(
            consent::Column::WithdrawnAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(consent::Column::CandidateId.eq(candidate))
        .exec(app.db())
        .await;
    assert!(undo.is_err(), "a withdrawal cannot be taken back");
    assert_eq!(
        of_candidate()
            .all(app.db())
            .await
            .expect("consents read")
            .len(),
        2
    );
    app.stop().await;
}
