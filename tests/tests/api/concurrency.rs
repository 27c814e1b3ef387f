//! The invariants hold under concurrent requests: they are enforced inside database
//! transactions (row locks on PostgreSQL, serialised writes on SQLite) and constraints.

use futures::future::join_all;
use jobtrack_api::domain::values::Gender;
use jobtrack_entity::application;
use jobtrack_tests::fixtures::{self, CASEWORKER, WORKING_GROUP};
use jobtrack_tests::{TestApp, error_code, global_id, id_of};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const NOMINATE: &str = "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }";
const ADMIT: &str = "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: ADMIT}) { application { status } } }";

/// The distinct messages of the CONFLICT errors among `responses`.
fn conflict_messages(responses: &[Value]) -> Vec<String> {
    let mut messages: Vec<String> = responses
        .iter()
        .filter(|r| error_code(r) == "CONFLICT")
        .map(|r| {
            r["errors"][0]["message"]
                .as_str()
                .unwrap_or("<none>")
                .to_owned()
        })
        .collect();
    messages.sort();
    messages.dedup();
    messages
}

fn outcomes(responses: &[Value]) -> Vec<String> {
    let mut codes: Vec<String> = responses
        .iter()
        .map(|r| {
            if r.get("errors").is_some() {
                error_code(r).to_owned()
            } else {
                "OK".to_owned()
            }
        })
        .collect();
    codes.sort();
    codes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_admissions_never_exceed_the_seats() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let mut applications = Vec::new();
    for n in 0..8 {
        let candidate = fixtures::candidate(&app, 300 + n, Gender::Woman, true).await;
        applications.push(fixtures::passed_trial(&app, &world, track, candidate).await);
    }
    let wg = app.login(WORKING_GROUP).await;
    let responses = join_all(applications.iter().map(|id| {
        app.gql(
            Some(&wg),
            ADMIT,
            json!({ "a": global_id("Application", *id) }),
        )
    }))
    .await;
    let codes = outcomes(&responses);
    assert_eq!(codes.iter().filter(|c| *c == "OK").count(), 3, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "NO_SEATS").count(),
        5,
        "{codes:?}"
    );
    let admitted = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track))
        .filter(application::Column::Status.eq("ADMITTED"))
        .count(app.db())
        .await
        .expect("the database answers");
    assert_eq!(admitted, 3);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_candidate_is_admitted_to_one_track_at_a_time() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let candidate = fixtures::candidate(&app, 400, Gender::Man, true).await;
    let mut applications = Vec::new();
    for _ in 0..3 {
        let track = fixtures::recruiting_track(&app, &world, 5).await;
        applications.push(fixtures::passed_trial(&app, &world, track, candidate).await);
    }
    let wg = app.login(WORKING_GROUP).await;
    let responses = join_all(applications.iter().map(|id| {
        app.gql(
            Some(&wg),
            ADMIT,
            json!({ "a": global_id("Application", *id) }),
        )
    }))
    .await;
    assert_eq!(outcomes(&responses), ["CONFLICT", "CONFLICT", "OK"]);
    // On PostgreSQL the tracks' locks do not serialise these: the partial unique index
    // uq_application_one_admission decides, and says the same as the domain's check.
    assert_eq!(
        conflict_messages(&responses),
        ["the candidate is already admitted to or started in another track"]
    );
    let admitted = application::Entity::find()
        .filter(application::Column::CandidateId.eq(candidate))
        .filter(application::Column::Status.is_in(["ADMITTED", "STARTED"]))
        .count(app.db())
        .await
        .expect("the database answers");
    assert_eq!(admitted, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_duplicate_nomination_never_creates_two_applications() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 5).await;
    let candidate = fixtures::candidate(&app, 500, Gender::Woman, true).await;
    let caseworker = app.login(CASEWORKER).await;
    let vars = json!({ "t": global_id("JobTrack", track), "c": global_id("Candidate", candidate) });
    let responses =
        join_all((0..10).map(|_| app.gql(Some(&caseworker), NOMINATE, vars.clone()))).await;
    let codes = outcomes(&responses);
    assert_eq!(codes.iter().filter(|c| *c == "OK").count(), 1, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "CONFLICT").count(),
        9,
        "{codes:?}"
    );
    assert_eq!(
        conflict_messages(&responses),
        ["the candidate already has an application to this track"]
    );
    let count = application::Entity::find()
        .filter(application::Column::CandidateId.eq(candidate))
        .count(app.db())
        .await
        .expect("the database answers");
    assert_eq!(count, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_edits_with_the_same_version_have_one_winner() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 5).await;
    let wg = app.login(WORKING_GROUP).await;
    let id = global_id("JobTrack", track);
    let version = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { version } } }",
            json!({ "id": id }),
        )
        .await["node"]["version"]
        .clone();
    let update = "mutation($id: ID!, $v: Int!, $t: String!) { updateJobTrack(input: {jobTrackId: $id, expectedVersion: $v, title: $t}) { jobTrack { id version } } }";
    let responses = join_all((0..10).map(|n| {
        app.gql(
            Some(&wg),
            update,
            json!({ "id": id, "v": version, "t": format!("Titel {n}") }),
        )
    }))
    .await;
    let codes = outcomes(&responses);
    assert_eq!(codes.iter().filter(|c| *c == "OK").count(), 1, "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "CONFLICT").count(),
        9,
        "{codes:?}"
    );
    let winner = responses
        .iter()
        .find(|r| r.get("errors").is_none())
        .map(|r| r["data"]["updateJobTrack"]["jobTrack"].clone())
        .unwrap_or_default();
    assert_eq!(winner["version"], version.as_i64().unwrap_or(0) + 1);
    assert_eq!(id_of(&winner), id);
    app.stop().await;
}

/// A client that goes away mid-request drops the server's futures for it, in whatever
/// statement they were: every nomination still happened whole — the application, its
/// NOMINATED stage and its audit event — or not at all, and the connections those
/// requests held serve the requests after them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_abandoned_mid_flight_leave_nothing_half_done() {
    use jobtrack_api::domain::values::Stage;
    use jobtrack_entity::{application_stage, audit_event};

    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 50).await;
    let caseworker = app.login(CASEWORKER).await;
    let mut candidates = Vec::new();
    for n in 0..24 {
        candidates.push(fixtures::candidate(&app, 600 + n, Gender::Woman, true).await);
    }
    let vars =
        |c: i64| json!({ "t": global_id("JobTrack", track), "c": global_id("Candidate", c) });

    // As long as one nomination takes here, alone:
    let timed = fixtures::candidate(&app, 650, Gender::Woman, true).await;
    let started = std::time::Instant::now();
    app.ok(Some(&caseworker), NOMINATE, vars(timed)).await;
    let took = started.elapsed();
    // Each on a connection of its own, given up after once to 24 times that (they queue
    // for the track): some before the server reads them, some inside the transaction,
    // some after it.
    let first = join_all(candidates.iter().zip(1_u32..).map(|(c, n)| {
        let request = reqwest::Client::new()
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&caseworker)
            .json(&json!({ "query": NOMINATE, "variables": vars(*c) }))
            .send();
        async move {
            match tokio::time::timeout(took * n, request).await {
                Err(_) => None,
                Ok(sent) => Some(
                    sent.expect("a response")
                        .json::<Value>()
                        .await
                        .expect("JSON"),
                ),
            }
        }
    }))
    .await;
    assert!(
        first.iter().any(Option::is_none),
        "the test gives up on some requests ({took:?} each)"
    );
    let answered: Vec<Value> = first.into_iter().flatten().collect();
    assert!(
        outcomes(&answered).iter().all(|c| c == "OK"),
        "{answered:?}"
    );

    // Every nomination again, each answered: done now, or already done whole before.
    let again = join_all(
        candidates
            .iter()
            .map(|c| app.gql(Some(&caseworker), NOMINATE, vars(*c))),
    )
    .await;
    let codes = outcomes(&again);
    assert!(
        codes.iter().all(|c| c == "OK" || c == "CONFLICT"),
        "{codes:?}"
    );
    let wg = app.login(WORKING_GROUP).await;
    let listed = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { applications(first: 50) { totalCount } } } }",
            json!({ "id": global_id("JobTrack", track) }),
        )
        .await;
    assert_eq!(
        listed["node"]["applications"]["totalCount"],
        json!(candidates.len() + 1)
    );

    for c in &candidates {
        let applications = application::Entity::find()
            .filter(application::Column::JobTrackId.eq(track))
            .filter(application::Column::CandidateId.eq(*c))
            .all(app.db())
            .await
            .expect("the database answers");
        assert_eq!(applications.len(), 1, "candidate {c}");
        let stages = application_stage::Entity::find()
            .filter(application_stage::Column::ApplicationId.eq(applications[0].id))
            .filter(application_stage::Column::Stage.eq(Stage::Nominated))
            .count(app.db())
            .await
            .expect("the database answers");
        assert_eq!(
            stages, 1,
            "the NOMINATED stage of candidate {c}'s application"
        );
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("application.nominate"))
            .filter(audit_event::Column::CandidateId.eq(*c))
            .count(app.db())
            .await
            .expect("the database answers");
        assert_eq!(events, 1, "the nomination's audit event of candidate {c}");
    }
    app.stop().await;
}
