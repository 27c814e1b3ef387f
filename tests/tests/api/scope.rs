//! Ids an input names are checked against the actor's scope, and objects reached
//! through another show only what the viewer may see (issue: hold under attack).

use jobtrack_tests::fixtures::{self, ADVISER, CASEWORKER, COORDINATOR, EMPLOYER, WORKING_GROUP};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id};
use serde_json::{Value, json};

const INVITE: &str =
    "mutation($input: InviteUserInput!) { inviteUser(input: $input) { user { id } } }";

#[tokio::test]
async fn a_coordinator_grants_only_municipalities_it_has() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let coordinator = app.login(COORDINATOR).await;
    let invite = |email: &str, codes: &[&str]| {
        json!({ "input": { "email": email, "name": "Ny Handläggare", "roles": ["CASEWORKER"],
            "organizationId": global_id("Organization", world.trollhattan), "municipalityCodes": codes } })
    };
    // Trollhättan's coordinator holds 1488 only: Bengtsfors, Herrljunga and Vänersborg
    // are not its to give.
    let escalation = app
        .gql(
            Some(&coordinator),
            INVITE,
            invite("a@example.com", &["1488", "1460", "1466", "1487"]),
        )
        .await;
    assert_bad_input(&escalation, "municipalityCodes");
    assert_bad_input(
        &app.gql(
            Some(&coordinator),
            INVITE,
            invite("b@example.com", &["1466"]),
        )
        .await,
        "municipalityCodes",
    );
    app.ok(
        Some(&coordinator),
        INVITE,
        invite("c@example.com", &["1488"]),
    )
    .await;
    // An employer user is given no municipalities either.
    let employer_user = json!({ "input": { "email": "d@example.com", "name": "Arbetsgivare", "roles": ["EMPLOYER"],
        "employerId": global_id("Employer", world.welding), "municipalityCodes": ["1466"] } });
    assert_bad_input(
        &app.gql(Some(&coordinator), INVITE, employer_user).await,
        "municipalityCodes",
    );
    // ADMIN may grant any.
    let admin = app.login(fixtures::ADMIN).await;
    app.ok(
        Some(&admin),
        INVITE,
        invite("e@example.com", &["1466", "1460"]),
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn an_outcome_names_only_an_employer_the_actor_may_see() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    // An employer in Herrljunga, outside every agreement of the world.
    let herrljunga = fixtures::employer(
        app.db(),
        &world.admin,
        "Herrljunga Mekaniska AB",
        &fixtures::org_number(4242),
        "1466",
    )
    .await;
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    let candidate =
        fixtures::candidate(&app, 7, jobtrack_api::domain::values::Gender::Man, true).await;
    let application = fixtures::passed_trial(&app, &world, track, candidate).await;
    let wg = app.login(WORKING_GROUP).await;
    let id = global_id("Application", application);
    app.ok(
        Some(&wg),
        "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: ADMIT}) { application { status } } }",
        json!({ "a": id }),
    )
    .await;
    let version = |data: &Value| data["node"]["version"].as_i64().unwrap_or(0);
    for status in ["SELECTION", "RUNNING"] {
        let current = app
            .ok(
                Some(&wg),
                "query($id: ID!) { node(id: $id) { ... on JobTrack { version } } }",
                json!({ "id": global_id("JobTrack", track) }),
            )
            .await;
        app.ok(
            Some(&wg),
            "mutation($id: ID!, $v: Int!, $s: JobTrackStatus!) { changeJobTrackStatus(input: {jobTrackId: $id, expectedVersion: $v, status: $s}) { jobTrack { status } } }",
            json!({ "id": global_id("JobTrack", track), "v": version(&current), "s": status }),
        )
        .await;
    }
    let caseworker = app.login(CASEWORKER).await;
    app.ok(
        Some(&caseworker),
        "mutation($a: ID!) { completeParticipation(input: {applicationId: $a}) { application { status } } }",
        json!({ "a": id }),
    )
    .await;
    let outcome = "mutation($a: ID!, $e: ID) { recordOutcome(input: {applicationId: $a, kind: EMPLOYED, employerId: $e}) {
        application { outcome { employer { name contactPersons { email } contacts { totalCount } } } } } }";
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            outcome,
            json!({ "a": id, "e": global_id("Employer", herrljunga) }),
        )
        .await,
        "employerId",
    );
    assert_bad_input(
        &app.gql(
            Some(&wg),
            outcome,
            json!({ "a": id, "e": global_id("Employer", herrljunga) }),
        )
        .await,
        "employerId",
    );
    let data = app
        .ok(
            Some(&caseworker),
            outcome,
            json!({ "a": id, "e": global_id("Employer", world.welding) }),
        )
        .await;
    assert_eq!(
        data["recordOutcome"]["application"]["outcome"]["employer"]["name"],
        "Trollhättans Svets AB"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_employer_sees_only_the_name_of_a_co_employer_on_a_shared_track() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    // The care employer gets a contact person and a need; a shared track answers it.
    app.ok(
        Some(&adviser),
        r#"mutation($e: ID!) { postCompetenceNeed(input: {employerId: $e, ssykCode: "5321", title: "Undersköterska", positions: 3}) { competenceNeed { id } } }"#,
        json!({ "e": global_id("Employer", world.care) }),
    )
    .await;
    let care_need = app
        .ok(
            Some(&adviser),
            "query($e: ID!) { node(id: $e) { ... on Employer { competenceNeeds { edges { node { id } } } } } }",
            json!({ "e": global_id("Employer", world.care) }),
        )
        .await["node"]["competenceNeeds"]["edges"][0]["node"]["id"]
        .clone();
    sea_orm::ConnectionTrait::execute_unprepared(
        app.db(),
        &format!(
            "INSERT INTO employer_contact_person (employer_id, position, name, email, phone) VALUES ({}, 0, 'Vera Vård', 'vera@omsorg.example', '0521-1')",
            world.care
        ),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let wg = app.login(WORKING_GROUP).await;
    let created = app
        .ok(
            Some(&wg),
            r#"mutation($a: ID!, $e: [ID!]!, $n: [ID!]) { createJobTrack(input: {title: "Vård och svets", ssykCode: "5321",
                agreementId: $a, municipalityCodes: ["1488", "1487"], employerIds: $e, competenceNeedIds: $n, seats: 4}) { jobTrack { id version } } }"#,
            json!({ "a": global_id("Agreement", world.fyrbodal),
                "e": [global_id("Employer", world.welding), global_id("Employer", world.care)],
                "n": [care_need] }),
        )
        .await;
    let track = &created["createJobTrack"]["jobTrack"];
    app.ok(
        Some(&wg),
        "mutation($id: ID!, $v: Int!) { changeJobTrackStatus(input: {jobTrackId: $id, expectedVersion: $v, status: RECRUITING}) { jobTrack { status } } }",
        json!({ "id": track["id"], "v": track["version"] }),
    )
    .await;

    let employer = app.login(EMPLOYER).await;
    let seen = app
        .ok(
            Some(&employer),
            "{ jobTracks { edges { node { title competenceNeeds { title }
                employers { name contactPersons { email } contactOwner { email } competenceNeeds { totalCount } } } } } }",
            json!({}),
        )
        .await;
    let tracks = seen["jobTracks"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let shared = tracks
        .iter()
        .find(|t| t["node"]["title"] == "Vård och svets")
        .unwrap_or_else(|| panic!("the welding employer sees the shared track: {seen}"));
    assert_eq!(
        shared["node"]["competenceNeeds"],
        json!([]),
        "not the co-employer's need"
    );
    let employers = shared["node"]["employers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let care = employers
        .iter()
        .find(|e| e["name"] == "Vänersborgs Omsorg AB")
        .unwrap_or_else(|| panic!("the co-employer's name is shown: {shared}"));
    assert_eq!(care["contactPersons"], json!([]));
    assert_eq!(care["contactOwner"], Value::Null);
    assert_eq!(care["competenceNeeds"]["totalCount"], 0);

    // Staff of the agreement still see everything.
    let seen = app
        .ok(
            Some(&wg),
            "{ jobTracks { edges { node { title competenceNeeds { title } employers { name contactPersons { email } } } } } }",
            json!({}),
        )
        .await;
    let text = seen.to_string();
    assert!(
        text.contains("vera@omsorg.example") && text.contains("Undersköterska"),
        "{text}"
    );
    assert_error(
        &app.gql(
            Some(&employer),
            "query($e: ID!) { node(id: $e) { ... on Employer { contacts { totalCount } } } }",
            json!({ "e": global_id("Employer", world.welding) }),
        )
        .await,
        "FORBIDDEN",
    );
    app.stop().await;
}

/// Hostile text in every kind of input: refused with BAD_USER_INPUT and a field, never
/// INTERNAL (PostgreSQL refuses NUL bytes; SQLite's LIKE refuses very long patterns).
#[tokio::test]
async fn hostile_text_is_refused_at_the_edge_on_every_input() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let caseworker = app.login(CASEWORKER).await;
    let employer = app.login(EMPLOYER).await;
    let long = "å".repeat(50_000);
    let hostile: Vec<(String, bool)> = vec![
        ("\u{0}".to_owned(), true),
        ("Anna\u{0}Berg".to_owned(), true),
        ("\u{1b}[31mröd".to_owned(), true),
        ("a\u{7f}b".to_owned(), true),
        (long, true),
        ("%_\\' OR 1=1 --".to_owned(), false),
        ("Zoë \u{202e}ölrak 🙂".to_owned(), false),
    ];
    let welding = global_id("Employer", world.welding);
    // (who, query, variables with TEXT where the text goes)
    let cases: Vec<(Option<&str>, &str, Value)> = vec![
        (
            None,
            "mutation($t: String!) { login(input: {email: $t, password: \"x-password-1\"}) { accessToken } }",
            json!({}),
        ),
        (
            Some(&adviser),
            "query($t: String) { employers(search: $t) { totalCount } }",
            json!({}),
        ),
        (
            Some(&caseworker),
            "query($t: String) { candidates(filter: {search: $t}) { totalCount } }",
            json!({}),
        ),
        (
            Some(&adviser),
            "query($t: String) { jobTracks(filter: {search: $t}) { totalCount } }",
            json!({}),
        ),
        (
            None,
            "query($t: String) { occupations(search: $t) { ssykCode } }",
            json!({}),
        ),
        (
            Some(&adviser),
            "mutation($t: String!) { createEmployer(input: {name: $t, orgNumber: \"556036-0793\", municipalityCode: \"1488\"}) { employer { id } } }",
            json!({}),
        ),
        (
            Some(&employer),
            "mutation($t: String!) { postCompetenceNeed(input: {ssykCode: \"7212\", title: $t, positions: 1}) { competenceNeed { id } } }",
            json!({}),
        ),
        (
            Some(&adviser),
            "mutation($t: String!, $e: ID!) { logEmployerContact(input: {employerId: $e, occurredAt: \"2026-11-20T10:00:00+01:00\", channel: PHONE, purpose: NEEDS_SURVEY, summary: $t}) { contact { id } } }",
            json!({ "e": welding }),
        ),
    ];
    for (token, query, base) in &cases {
        for (text, refused) in &hostile {
            let mut variables = base.clone();
            variables["t"] = json!(text);
            let response = app.gql(*token, query, variables).await;
            let code = jobtrack_tests::error_code(&response).to_owned();
            assert_ne!(code, "INTERNAL", "{query} with {text:?}: {response}");
            if *refused {
                assert_eq!(
                    code,
                    "BAD_USER_INPUT",
                    "{query} with {:?}: {response}",
                    text.chars().take(20).collect::<String>()
                );
                assert!(
                    response["errors"][0]["extensions"]["field"].is_string(),
                    "{response}"
                );
            }
        }
    }
    // The same text written into the document instead of a variable.
    let literal = app
        .gql(
            Some(&adviser),
            "{ employers(search: \"a\\u0000b\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_bad_input(&literal, "search");
    app.stop().await;
}
