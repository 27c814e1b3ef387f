//! Nested lists are batched: the statements of the shortlist query (with its funnel and
//! its information meeting's invited) do not grow with the number of applications.

use jobtrack_api::domain::admission;
use jobtrack_api::domain::values::{Gender, Role};
use jobtrack_tests::fixtures::{self, ADVISER, CASEWORKER, WORKING_GROUP};
use jobtrack_tests::{TestApp, global_id};
use serde_json::json;
use std::collections::BTreeMap;

const SHORTLIST: &str = "query($id: ID!) { node(id: $id) { ... on JobTrack { title seats activeApplicationCount admittedCount
    employers { name municipality { name } } components { title } municipalities { name }
    funnel { nominated { total } invited { women men } attended { total } } escalationAcknowledgement { note }
    infoMeetings { location invitedCount attendedCount invited { status candidate { firstName } } }
    applications(first: 100) { totalCount edges { node { status version motivation
      candidate { firstName lastName gender swedishLevel targetGroups municipality { name } consents { scope } caseworker { name } }
      steps { kind result scheduledAt assessedBy { name } } nominatedBy { name } } } } } } }";

async fn track_with(
    app: &TestApp,
    world: &fixtures::World,
    applications: u32,
    first_candidate: u32,
) -> i64 {
    let track = fixtures::recruiting_track(app, world, 5).await;
    let caseworker = fixtures::actor(app, CASEWORKER).await;
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    let at = chrono::Utc::now() + chrono::Duration::days(2);
    let meeting = admission::meetings::schedule(
        app.db(),
        &wg,
        admission::meetings::NewMeeting {
            track_id: track,
            starts_at: at,
            location: "Stadshuset".into(),
            capacity: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let mut invited = Vec::new();
    for n in 0..applications {
        let candidate = fixtures::candidate(
            app,
            first_candidate + n,
            if n % 2 == 0 {
                Gender::Woman
            } else {
                Gender::Man
            },
            false,
        )
        .await;
        let application = admission::nominate(
            app.db(),
            &caseworker,
            track,
            candidate,
            Some("Bra".into()),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        invited.push(application.id);
    }
    admission::meetings::invite(app.db(), &wg, meeting.id, &invited)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    track
}

/// What a statement does, without its bound values: its text up to `WHERE` or `VALUES`
/// (the length of an `IN` list or of a multi-row insert does not change it).
fn shape(sql: &str) -> String {
    let end = [" WHERE ", " VALUES "]
        .iter()
        .filter_map(|word| sql.find(word))
        .min()
        .unwrap_or(sql.len());
    sql.get(..end).unwrap_or(sql).to_owned()
}

/// Statements per shape.
fn shapes(statements: Vec<String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for sql in statements {
        *counts.entry(shape(&sql)).or_insert(0) += 1;
    }
    counts
}

/// Asks for the shortlist of `track` and checks it holds `expected` applications.
async fn shortlist(app: &TestApp, token: &str, track: i64, expected: usize) {
    let data = app
        .ok(
            Some(token),
            SHORTLIST,
            json!({ "id": global_id("JobTrack", track) }),
        )
        .await;
    let edges = data["node"]["applications"]["edges"]
        .as_array()
        .map(Vec::len);
    assert_eq!(edges, Some(expected));
    assert!(data["node"]["applications"]["edges"][0]["node"]["candidate"]["firstName"].is_string());
    assert_eq!(
        data["node"]["infoMeetings"][0]["invited"]
            .as_array()
            .map(Vec::len),
        Some(expected),
        "the meeting's invited, each with its candidate"
    );
}

/// The statements of one shortlist request, per shape. A request's loader batches start
/// when it can go no further without them (`graphql::loader::batching`), so the count is
/// the same on every try.
async fn statements_for(
    app: &TestApp,
    token: &str,
    track: i64,
    expected: usize,
) -> BTreeMap<String, usize> {
    app.state().take_statements();
    shortlist(app, token, track, expected).await;
    shapes(app.state().take_statements())
}

/// An app whose statements are counted and recorded, without the outbox worker (its
/// polling would add statements of its own to the count).
async fn counting_app() -> TestApp {
    TestApp::spawn_configured(|config| {
        config.send_mail = false;
        config.record_statements = true;
        config.consent_sweep = None;
    })
    .await
}

#[tokio::test]
async fn the_shortlist_query_runs_a_fixed_number_of_statements() {
    let app = counting_app().await;
    let world = fixtures::world(&app).await;
    let small = track_with(&app, &world, 5, 600).await;
    let large = track_with(&app, &world, 50, 700).await;
    let mut members = vec![app.login(WORKING_GROUP).await];
    for n in 2..=6 {
        let email = format!("working-group-{n}@example.com");
        fixtures::user(
            app.db(),
            &email,
            &[Role::WorkingGroup],
            Some(world.trollhattan),
            None,
            &[],
        )
        .await;
        members.push(app.login(&email).await);
    }
    let for_small = statements_for(&app, &members[0], small, 5).await;
    let for_large = statements_for(&app, &members[1], large, 50).await;
    assert_eq!(
        for_small, for_large,
        "statements must not grow with the page: {for_small:#?} vs {for_large:#?}"
    );
    let total: usize = for_large.values().sum();
    assert!(
        total < 40,
        "a bounded handful of statements, got {total}: {for_large:#?}"
    );
    assert_eq!(
        statements_for(&app, &members[2], large, 50).await,
        for_large,
        "the same again"
    );

    // Nor with the load: twelve at once take twelve times the statements of one (a
    // request's batches do not split while it waits for a core).
    let together = futures::future::join_all(
        members
            .iter()
            .cycle()
            .take(12)
            .map(|token| shortlist(&app, token, large, 50)),
    );
    together.await;
    let at_once = shapes(app.state().take_statements());
    let twelve: BTreeMap<String, usize> = for_large
        .iter()
        .map(|(shape, n)| (shape.clone(), n * 12))
        .collect();
    assert_eq!(at_once, twelve, "twelve at once");
    app.stop().await;
}

const EMPLOYERS: &str = "query($n: Int!) { employers(first: $n) { edges { node { name
    lastContact { summary } contacts(first: 3) { totalCount edges { node { summary loggedBy { name } } } }
    jobTracks(first: 3) { totalCount edges { node { title } } } competenceNeeds(first: 3) { totalCount } } } } }";

/// The statements of one employers request with `n` employers.
async fn employer_statements(app: &TestApp, token: &str, n: usize) -> u64 {
    let before = app.state().statement_count();
    let data = app.ok(Some(token), EMPLOYERS, json!({ "n": n })).await;
    let edges = data["employers"]["edges"].as_array().map(Vec::len);
    assert_eq!(edges, Some(n));
    app.state().statement_count() - before
}

#[tokio::test]
async fn a_list_of_employers_with_their_contacts_and_tracks_runs_a_fixed_number_of_statements() {
    let app = counting_app().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    for i in 0..12 {
        let employer = fixtures::employer(
            app.db(),
            &world.admin,
            &format!("Verkstad {i:02} AB"),
            &fixtures::org_number(900 + i),
            "1488",
        )
        .await;
        for day in 1..=2 {
            let at = chrono::Utc::now() - chrono::Duration::days(day);
            app.ok(Some(&adviser), "mutation($input: LogEmployerContactInput!) { logEmployerContact(input: $input) { contact { id } } }",
                json!({ "input": { "employerId": global_id("Employer", employer), "occurredAt": at.to_rfc3339(),
                    "channel": "PHONE", "purpose": "NEEDS_SURVEY", "summary": format!("samtal {day}") } })).await;
        }
    }
    // Both lists hold employers with and without contacts and tracks: the same shape.
    let few = employer_statements(&app, &adviser, 5).await;
    let many = employer_statements(&app, &adviser, 14).await;
    assert_eq!(
        few, many,
        "statements must not grow with the list: {few} vs {many}"
    );
    assert!(many < 30, "a bounded handful of statements, got {many}");
    app.stop().await;
}

/// A connection is counted only when its `totalCount` is asked for: a nested one (a
/// track's applications) and a top-level one (`jobTracks`).
#[tokio::test]
async fn connections_are_counted_only_when_the_total_is_selected() {
    let app = counting_app().await;
    let world = fixtures::world(&app).await;
    let track = track_with(&app, &world, 3, 800).await;
    let wg = app.login(WORKING_GROUP).await;
    let counts = |table: &str, statements: &[String]| {
        let from = format!("FROM \"{table}\"");
        statements
            .iter()
            .filter(|sql| sql.contains("COUNT(") && sql.contains(&from))
            .count()
    };
    let vars = json!({ "id": global_id("JobTrack", track) });
    app.state().take_statements();
    let data = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { applications(first: 2) { edges { node { status } } } } } }",
            vars.clone(),
        )
        .await;
    assert_eq!(
        data["node"]["applications"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(counts("application", &app.state().take_statements()), 0);
    let data = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { applications(first: 2) { totalCount edges { node { status } } } } } }",
            vars,
        )
        .await;
    assert_eq!(data["node"]["applications"]["totalCount"], 3);
    assert_eq!(counts("application", &app.state().take_statements()), 1);

    let data = app
        .ok(
            Some(&wg),
            "{ jobTracks(first: 1) { edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["jobTracks"]["edges"].as_array().map(Vec::len), Some(1));
    assert_eq!(counts("job_track", &app.state().take_statements()), 0);
    let data = app
        .ok(
            Some(&wg),
            "{ jobTracks(first: 1) { totalCount edges { node { title } } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["jobTracks"]["totalCount"], 1);
    assert_eq!(counts("job_track", &app.state().take_statements()), 1);
    app.stop().await;
}
