//! Nested lists are batched: the statements of the shortlist query (with its funnel and
//! its information meeting's invited) do not grow with the number of applications.

use jobtrack_api::domain::admission;
use jobtrack_api::domain::values::Gender;
use jobtrack_tests::fixtures::{self, ADVISER, CASEWORKER, WORKING_GROUP};
use jobtrack_tests::{TestApp, fresh_database, global_id, test_config};
use serde_json::json;

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

/// The statements of one shortlist request, at its best of ten. DataLoader batches by
/// time (a window from the first key), and a key that arrives while an earlier batch of
/// its loader is still in flight gets a batch of its own: about every other request
/// takes one such extra round, at any page size. That noise is not growth: an N+1 query
/// would show in every run, so the minimum is the structural count.
async fn statements_for(app: &TestApp, token: &str, track: i64, expected: usize) -> u64 {
    let mut counts = Vec::new();
    for _ in 0..10 {
        let before = app.state().statement_count();
        let data = app
            .ok(
                Some(token),
                SHORTLIST,
                json!({ "id": global_id("JobTrack", track) }),
            )
            .await;
        counts.push(app.state().statement_count() - before);
        let edges = data["node"]["applications"]["edges"]
            .as_array()
            .map(Vec::len);
        assert_eq!(edges, Some(expected));
        assert!(
            data["node"]["applications"]["edges"][0]["node"]["candidate"]["firstName"].is_string()
        );
        assert_eq!(
            data["node"]["infoMeetings"][0]["invited"]
                .as_array()
                .map(Vec::len),
            Some(expected),
            "the meeting's invited, each with its candidate"
        );
    }
    counts.into_iter().min().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn the_shortlist_query_runs_a_fixed_number_of_statements() {
    // No outbox worker: its polling would add statements of its own to the count.
    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.send_mail = false;
    let app = TestApp::spawn_with(config).await;
    let world = fixtures::world(&app).await;
    let small = track_with(&app, &world, 5, 600).await;
    let large = track_with(&app, &world, 50, 700).await;
    let wg = app.login(WORKING_GROUP).await;
    let for_small = statements_for(&app, &wg, small, 5).await;
    let for_large = statements_for(&app, &wg, large, 50).await;
    assert_eq!(
        for_small, for_large,
        "statements must not grow with the page: {for_small} vs {for_large}"
    );
    assert!(
        for_large < 40,
        "a bounded handful of statements, got {for_large}"
    );
    app.stop().await;
}

const EMPLOYERS: &str = "query($n: Int!) { employers(first: $n) { edges { node { name
    lastContact { summary } contacts(first: 3) { totalCount edges { node { summary loggedBy { name } } } }
    jobTracks(first: 3) { totalCount edges { node { title } } } competenceNeeds(first: 3) { totalCount } } } } }";

/// The statements of one employers request with `n` employers, at its best of ten.
async fn employer_statements(app: &TestApp, token: &str, n: usize) -> u64 {
    let mut counts = Vec::new();
    for _ in 0..10 {
        let before = app.state().statement_count();
        let data = app.ok(Some(token), EMPLOYERS, json!({ "n": n })).await;
        counts.push(app.state().statement_count() - before);
        let edges = data["employers"]["edges"].as_array().map(Vec::len);
        assert_eq!(edges, Some(n));
    }
    counts.into_iter().min().unwrap_or(u64::MAX)
}

#[tokio::test]
async fn a_list_of_employers_with_their_contacts_and_tracks_runs_a_fixed_number_of_statements() {
    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.send_mail = false;
    let app = TestApp::spawn_with(config).await;
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
