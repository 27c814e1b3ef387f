//! The admission process from nomination to outcome, every refusal, the employer's
//! restricted view, cancellation and escalation.

use jobtrack_api::domain::values::Gender;
use jobtrack_entity::email_outbox;
use jobtrack_tests::fixtures::{self, CASEWORKER, EMPLOYER, OTHER_EMPLOYER, Stage, WORKING_GROUP};
use jobtrack_tests::{TestApp, assert_bad_input, assert_conflict, assert_error, global_id, id_of};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const NOMINATE: &str = "mutation($t: ID!, $c: ID!, $note: String) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c, note: $note, languageAssessment: \"Klarar SFI D\"}) {
    escalated application { id status version nominatedBy { email } } } }";
const INVITE: &str = "mutation($a: ID!, $v: Int) { inviteToInfoMeeting(input: {applicationId: $a, expectedVersion: $v, scheduledAt: \"2027-01-10T09:00:00Z\", location: \"Kunskapsförbundet Väst, Trollhättan\"}) { application { status version } } }";
const SUBMIT: &str = "mutation($a: ID!, $m: String!) { submitApplication(input: {applicationId: $a, motivation: $m}) { application { status motivation } } }";
const TRIAL: &str = "mutation($a: ID!, $e: ID!) { scheduleTrialPlacement(input: {applicationId: $a, employerId: $e, startsAt: \"2027-01-20T07:00:00Z\", endsAt: \"2027-01-24T15:00:00Z\", location: \"Verkstaden\"}) { application { status } } }";
const RESULT: &str = "mutation($a: ID!, $k: AdmissionStepKind!, $r: StepResult!) { recordStepResult(input: {applicationId: $a, kind: $k, result: $r, assessment: \"Noggrann och motiverad\"}) { application { version steps { kind result assessment assessedBy { email } } } } }";
const DECIDE: &str = "mutation($a: ID!, $d: Decision!, $r: String, $v: Int) { decideApplication(input: {applicationId: $a, decision: $d, reason: $r, expectedVersion: $v}) { application { status decisionReason version } } }";
const STATUS: &str = "mutation($id: ID!, $v: Int!, $s: JobTrackStatus!) { changeJobTrackStatus(input: {jobTrackId: $id, expectedVersion: $v, status: $s}) { jobTrack { status version admittedCount } } }";

async fn outbox(app: &TestApp, template: &str) -> Vec<email_outbox::Model> {
    email_outbox::Entity::find()
        .filter(email_outbox::Column::Template.eq(template))
        .all(app.db())
        .await
        .expect("the database answers")
}

async fn track_version(app: &TestApp, token: &str, id: &str) -> i64 {
    app.ok(
        Some(token),
        "query($id: ID!) { node(id: $id) { ... on JobTrack { version } } }",
        json!({ "id": id }),
    )
    .await["node"]["version"]
        .as_i64()
        .unwrap_or(0)
}

#[tokio::test]
async fn the_whole_process_from_nomination_to_outcome() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let candidate = global_id(
        "Candidate",
        fixtures::candidate(&app, 1, Gender::Woman, true).await,
    );
    let track = global_id(
        "JobTrack",
        fixtures::recruiting_track(&app, &world, 2).await,
    );
    let caseworker = app.login(CASEWORKER).await;
    let wg = app.login(WORKING_GROUP).await;
    let employer = app.login(EMPLOYER).await;

    let data = app
        .ok(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": candidate, "note": "Stark kandidat" }),
        )
        .await;
    let nominated = &data["nominateCandidate"];
    assert_eq!(nominated["escalated"], false);
    assert_eq!(nominated["application"]["status"], "NOMINATED");
    assert_eq!(nominated["application"]["nominatedBy"]["email"], CASEWORKER);
    let id = id_of(&nominated["application"]);

    let data = app.ok(Some(&wg), INVITE, json!({ "a": id, "v": 1 })).await;
    assert_eq!(
        data["inviteToInfoMeeting"]["application"],
        json!({ "status": "INVITED", "version": 2 })
    );
    let invitations = outbox(&app, "info_meeting").await;
    assert_eq!(invitations.len(), 1);
    assert_eq!(invitations[0].recipient, "kandidat1@example.com");
    assert!(
        invitations[0]
            .body_text
            .contains("Kunskapsförbundet Väst, Trollhättan")
            && invitations[0]
                .body_text
                .contains("10 januari 2027 kl. 10.00"),
        "09:00 UTC in January is ten o'clock in Sweden: {}",
        invitations[0].body_text
    );
    app.ok(
        Some(&wg),
        RESULT,
        json!({ "a": id, "k": "INFO_MEETING", "r": "ATTENDED" }),
    )
    .await;

    let data = app
        .ok(
            Some(&caseworker),
            SUBMIT,
            json!({ "a": id, "m": "Jag har svetsat i mitt hemland och vill jobba här." }),
        )
        .await;
    assert_eq!(
        data["submitApplication"]["application"]["status"],
        "APPLIED"
    );
    let data = app
        .ok(
            Some(&wg),
            TRIAL,
            json!({ "a": id, "e": global_id("Employer", world.welding) }),
        )
        .await;
    assert_eq!(
        data["scheduleTrialPlacement"]["application"]["status"],
        "IN_TRIAL"
    );

    // The employer assesses the trial placement on its own track.
    let data = app
        .ok(
            Some(&employer),
            RESULT,
            json!({ "a": id, "k": "TRIAL_PLACEMENT", "r": "PASSED" }),
        )
        .await;
    let steps = &data["recordStepResult"]["application"]["steps"];
    assert_eq!(
        steps
            .as_array()
            .map(|s| s.iter().map(|x| x["kind"].clone()).collect::<Vec<_>>()),
        Some(vec![
            json!("INFO_MEETING"),
            json!("APPLICATION"),
            json!("TRIAL_PLACEMENT")
        ])
    );
    assert_eq!(
        steps[2],
        json!({ "kind": "TRIAL_PLACEMENT", "result": "PASSED", "assessment": "Noggrann och motiverad", "assessedBy": { "email": EMPLOYER } })
    );

    let data = app
        .ok(Some(&wg), DECIDE, json!({ "a": id, "d": "ADMIT" }))
        .await;
    assert_eq!(
        data["decideApplication"]["application"]["status"],
        "ADMITTED"
    );
    assert_eq!(
        outbox(&app, "decision")
            .await
            .first()
            .map(|m| m.recipient.clone()),
        Some(CASEWORKER.to_owned())
    );

    let mut version = track_version(&app, &wg, &track).await;
    for status in ["SELECTION", "RUNNING"] {
        let data = app
            .ok(
                Some(&wg),
                STATUS,
                json!({ "id": track, "v": version, "s": status }),
            )
            .await;
        version = data["changeJobTrackStatus"]["jobTrack"]["version"]
            .as_i64()
            .unwrap_or(0);
    }
    let started = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on Application { status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        started["node"]["status"], "STARTED",
        "RUNNING starts every admitted participant"
    );

    let data = app.ok(Some(&caseworker), "mutation($a: ID!) { completeParticipation(input: {applicationId: $a}) { application { status } } }", json!({ "a": id })).await;
    assert_eq!(
        data["completeParticipation"]["application"]["status"],
        "COMPLETED"
    );
    let outcome = "mutation($a: ID!, $e: ID, $k: OutcomeKind!) { recordOutcome(input: {applicationId: $a, kind: $k, employerId: $e, startsOn: \"2027-09-01\"}) { application { outcome { kind employer { name } startsOn } } } }";
    let welding = global_id("Employer", world.welding);
    // Subsidised work names its subsidy.
    assert_bad_input(
        &app.gql(
            Some(&caseworker),
            outcome,
            json!({ "a": id, "e": welding, "k": "EMPLOYED_WITH_SUBSIDY" }),
        )
        .await,
        "kind",
    );
    let data = app
        .ok(
            Some(&caseworker),
            outcome,
            json!({ "a": id, "e": welding, "k": "EMPLOYED_INTRODUKTIONSJOBB" }),
        )
        .await;
    assert_eq!(
        data["recordOutcome"]["application"]["outcome"],
        json!({ "kind": "EMPLOYED_INTRODUKTIONSJOBB", "employer": { "name": "Trollhättans Svets AB" }, "startsOn": "2027-09-01" })
    );
    let trial_notices = outbox(&app, "trial_placement").await;
    assert!(
        trial_notices.is_empty(),
        "the welding firm has no contact person with email in this world"
    );
    app.stop().await;
}

#[tokio::test]
async fn nomination_refusals_carry_their_codes() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 2).await;
    let track = global_id("JobTrack", track_id);
    let caseworker = app.login(CASEWORKER).await;
    let register = "mutation($input: RegisterCandidateInput!) { registerCandidate(input: $input) { candidate { id } } }";
    let no_consent = app.ok(Some(&caseworker), register, json!({ "input": { "firstName": "Utan", "lastName": "Samtycke",
        "personalIdentityNumber": fixtures::personnummer(50), "gender": "MAN", "municipalityCode": "1488", "educationLevel": "UPPER_SECONDARY",
        "swedishLevel": "FLUENT", "drivingLicence": true, "programme": "JOB", "targetGroups": [] } })).await;
    let no_consent = id_of(&no_consent["registerCandidate"]["candidate"]);
    assert_error(
        &app.gql(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": no_consent }),
        )
        .await,
        "CONSENT_REQUIRED",
    );

    let candidate = global_id(
        "Candidate",
        fixtures::candidate(&app, 51, Gender::Woman, true).await,
    );
    app.ok(
        Some(&caseworker),
        NOMINATE,
        json!({ "t": track, "c": candidate }),
    )
    .await;
    assert_error(
        &app.gql(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": candidate }),
        )
        .await,
        "CONFLICT",
    );

    // Eligibility names every unmet requirement, not only the first.
    let wg = app.login(WORKING_GROUP).await;
    let version = track_version(&app, &wg, &track).await;
    app.ok(Some(&wg), "mutation($id: ID!, $v: Int!) { updateJobTrack(input: {jobTrackId: $id, expectedVersion: $v, eligibility: {programmes: [UGA], targetGroups: [NEW_ARRIVAL], requirements: {minimumSwedishLevel: FLUENT}}}) { jobTrack { version } } }",
        json!({ "id": track, "v": version })).await;
    let other = global_id(
        "Candidate",
        fixtures::candidate(&app, 52, Gender::Man, true).await,
    );
    let refused = app
        .gql(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": other }),
        )
        .await;
    assert_error(&refused, "NOT_ELIGIBLE");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("swedishLevel"),
        "{refused}"
    );
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    for rule in ["programme:", "targetGroups:", "swedishLevel:"] {
        assert!(message.contains(rule), "{rule} in {message}");
    }
    assert_eq!(
        refused["errors"][0]["extensions"]["unmet"],
        json!(["programme", "targetGroups", "swedishLevel"]),
        "each unmet rule by name, for a client to show"
    );
    // Back to the language requirement alone for the rest of the test.
    let version = track_version(&app, &wg, &track).await;
    app.ok(Some(&wg), "mutation($id: ID!, $v: Int!) { updateJobTrack(input: {jobTrackId: $id, expectedVersion: $v, eligibility: {requirements: {minimumSwedishLevel: FLUENT}}}) { jobTrack { version } } }",
        json!({ "id": track, "v": version })).await;

    let version = track_version(&app, &wg, &track).await;
    app.ok(
        Some(&wg),
        STATUS,
        json!({ "id": track, "v": version, "s": "SELECTION" }),
    )
    .await;
    let late = global_id(
        "Candidate",
        fixtures::candidate(&app, 53, Gender::Man, true).await,
    );
    assert_error(
        &app.gql(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": late }),
        )
        .await,
        "INVALID_STATE",
    );
    assert_error(
        &app.gql(Some(&wg), NOMINATE, json!({ "t": track, "c": late }))
            .await,
        "FORBIDDEN",
    );
    app.stop().await;
}

#[tokio::test]
async fn transitions_outside_the_chain_are_invalid() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = global_id(
        "JobTrack",
        fixtures::recruiting_track(&app, &world, 1).await,
    );
    let candidate = global_id(
        "Candidate",
        fixtures::candidate(&app, 60, Gender::Man, true).await,
    );
    let caseworker = app.login(CASEWORKER).await;
    let wg = app.login(WORKING_GROUP).await;
    let data = app
        .ok(
            Some(&caseworker),
            NOMINATE,
            json!({ "t": track, "c": candidate }),
        )
        .await;
    let id = id_of(&data["nominateCandidate"]["application"]);
    assert_error(
        &app.gql(
            Some(&caseworker),
            SUBMIT,
            json!({ "a": id, "m": "Motivering" }),
        )
        .await,
        "INVALID_STATE",
    );
    assert_error(
        &app.gql(
            Some(&wg),
            TRIAL,
            json!({ "a": id, "e": global_id("Employer", world.welding) }),
        )
        .await,
        "INVALID_STATE",
    );
    assert_error(
        &app.gql(Some(&wg), DECIDE, json!({ "a": id, "d": "ADMIT" }))
            .await,
        "INVALID_STATE",
    );
    assert_error(&app.gql(Some(&caseworker), "mutation($a: ID!) { completeParticipation(input: {applicationId: $a}) { application { id } } }", json!({ "a": id })).await, "INVALID_STATE");
    assert_error(
        &app.gql(Some(&wg), INVITE, json!({ "a": id, "v": 7 })).await,
        "CONFLICT",
    );
    app.ok(Some(&wg), INVITE, json!({ "a": id, "v": 1 })).await;
    assert_bad_input(
        &app.gql(Some(&caseworker), SUBMIT, json!({ "a": id, "m": "  " }))
            .await,
        "motivation",
    );
    app.ok(
        Some(&caseworker),
        SUBMIT,
        json!({ "a": id, "m": "Motivering" }),
    )
    .await;
    assert_bad_input(
        &app.gql(
            Some(&wg),
            TRIAL,
            json!({ "a": id, "e": global_id("Employer", world.care) }),
        )
        .await,
        "employerId",
    );
    app.ok(
        Some(&wg),
        TRIAL,
        json!({ "a": id, "e": global_id("Employer", world.welding) }),
    )
    .await;
    assert_bad_input(
        &app.gql(
            Some(&wg),
            RESULT,
            json!({ "a": id, "k": "TRIAL_PLACEMENT", "r": "ATTENDED" }),
        )
        .await,
        "result",
    );
    assert_error(
        &app.gql(Some(&wg), DECIDE, json!({ "a": id, "d": "ADMIT" }))
            .await,
        "INVALID_STATE",
    );
    app.ok(
        Some(&wg),
        RESULT,
        json!({ "a": id, "k": "TRIAL_PLACEMENT", "r": "NOT_PASSED" }),
    )
    .await;
    assert_error(
        &app.gql(Some(&wg), DECIDE, json!({ "a": id, "d": "ADMIT" }))
            .await,
        "INVALID_STATE",
    );
    assert_bad_input(
        &app.gql(Some(&wg), DECIDE, json!({ "a": id, "d": "REJECT" }))
            .await,
        "reason",
    );
    let data = app
        .ok(
            Some(&wg),
            DECIDE,
            json!({ "a": id, "d": "REJECT", "r": "Behöver mer svenska först" }),
        )
        .await;
    assert_eq!(
        data["decideApplication"]["application"]["status"],
        "REJECTED"
    );
    assert_error(&app.gql(Some(&caseworker), "mutation($a: ID!) { withdrawApplication(input: {applicationId: $a}) { application { id } } }", json!({ "a": id })).await, "INVALID_STATE");
    app.stop().await;
}

#[tokio::test]
async fn admissions_never_exceed_the_seats() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 1).await;
    let first = fixtures::passed_trial(
        &app,
        &world,
        track,
        fixtures::candidate(&app, 70, Gender::Woman, true).await,
    )
    .await;
    let second = fixtures::passed_trial(
        &app,
        &world,
        track,
        fixtures::candidate(&app, 71, Gender::Man, true).await,
    )
    .await;
    let wg = app.login(WORKING_GROUP).await;
    app.ok(
        Some(&wg),
        DECIDE,
        json!({ "a": global_id("Application", first), "d": "ADMIT" }),
    )
    .await;
    assert_error(
        &app.gql(
            Some(&wg),
            DECIDE,
            json!({ "a": global_id("Application", second), "d": "ADMIT" }),
        )
        .await,
        "NO_SEATS",
    );
    app.stop().await;
}

#[tokio::test]
async fn employers_see_applicants_only_as_they_may() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 3).await;
    let track = global_id("JobTrack", track_id);
    let sharing = fixtures::candidate(&app, 80, Gender::Woman, true).await;
    let private = fixtures::candidate(&app, 81, Gender::Man, true).await;
    let early = fixtures::candidate(&app, 82, Gender::Man, true).await;
    let shared_app = fixtures::passed_trial(&app, &world, track_id, sharing).await;
    fixtures::passed_trial(&app, &world, track_id, private).await;
    // After the trial placement, the second candidate stops sharing with employers.
    fixtures::withdraw_sharing(&app, private).await;
    let caseworker = app.login(CASEWORKER).await;
    app.ok(
        Some(&caseworker),
        NOMINATE,
        json!({ "t": track, "c": global_id("Candidate", early) }),
    )
    .await;

    let employer = app.login(EMPLOYER).await;
    let query = "query($id: ID!) { node(id: $id) { ... on JobTrack { activeApplicationCount applications { totalCount edges { node {
        status candidate { id } applicant { firstName lastName swedishLevel drivingLicence educationLevel }
        nominationNote languageAssessment motivation nominatedBy { email } steps { kind } } } } } } }";
    let data = app.ok(Some(&employer), query, json!({ "id": track })).await;
    let applications = &data["node"]["applications"];
    assert_eq!(
        applications["totalCount"], 1,
        "only the applied one that shares: {data}"
    );
    let seen = &applications["edges"][0]["node"];
    assert_eq!(seen["candidate"], Value::Null);
    assert_eq!(seen["applicant"]["firstName"], "Förnamn80");
    assert_eq!(seen["nominationNote"], Value::Null);
    assert_eq!(seen["languageAssessment"], Value::Null);
    assert_eq!(seen["nominatedBy"], Value::Null);
    assert_eq!(seen["motivation"], "Jag vill bli svetsare.");
    assert_eq!(
        data["node"]["activeApplicationCount"], 1,
        "counts tell the employer of no one it may not see"
    );
    // Candidates themselves are never visible to employers.
    let node = app
        .ok(
            Some(&employer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": global_id("Candidate", sharing) }),
        )
        .await;
    assert_eq!(node["node"], Value::Null);
    // The employer records trial results on its own track, nothing else.
    let shared = global_id("Application", shared_app);
    assert_error(
        &app.gql(
            Some(&employer),
            RESULT,
            json!({ "a": shared, "k": "INFO_MEETING", "r": "ATTENDED" }),
        )
        .await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(
            Some(&employer),
            DECIDE,
            json!({ "a": shared, "d": "ADMIT" }),
        )
        .await,
        "FORBIDDEN",
    );
    let other = app.login(OTHER_EMPLOYER).await;
    assert_error(
        &app.gql(
            Some(&other),
            RESULT,
            json!({ "a": shared, "k": "TRIAL_PLACEMENT", "r": "PASSED" }),
        )
        .await,
        "NOT_FOUND",
    );
    // Withdrawn sharing consent hides the applicant again.
    app.ok(Some(&caseworker), "mutation($c: ID!) { withdrawConsent(input: {candidateId: $c, scope: EMPLOYER_SHARING}) { candidate { id } } }", json!({ "c": global_id("Candidate", sharing) })).await;
    let data = app.ok(Some(&employer), query, json!({ "id": track })).await;
    assert_eq!(data["node"]["applications"]["totalCount"], 0);
    app.stop().await;
}

#[tokio::test]
async fn cancelling_a_track_withdraws_open_applications() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 3).await;
    let track = global_id("JobTrack", track_id);
    let admitted = fixtures::passed_trial(
        &app,
        &world,
        track_id,
        fixtures::candidate(&app, 90, Gender::Woman, true).await,
    )
    .await;
    fixtures::passed_trial(
        &app,
        &world,
        track_id,
        fixtures::candidate(&app, 91, Gender::Man, true).await,
    )
    .await;
    let wg = app.login(WORKING_GROUP).await;
    app.ok(
        Some(&wg),
        DECIDE,
        json!({ "a": global_id("Application", admitted), "d": "ADMIT" }),
    )
    .await;
    let version = track_version(&app, &wg, &track).await;
    app.ok(
        Some(&wg),
        STATUS,
        json!({ "id": track, "v": version, "s": "CANCELLED" }),
    )
    .await;
    let data = app.ok(Some(&wg), "query($id: ID!) { node(id: $id) { ... on JobTrack { activeApplicationCount applications { edges { node { status decisionReason } } } } } }", json!({ "id": track })).await;
    assert_eq!(data["node"]["activeApplicationCount"], 0);
    for edge in data["node"]["applications"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert_eq!(edge["node"]["status"], "WITHDRAWN");
        assert!(
            edge["node"]["decisionReason"]
                .as_str()
                .is_some_and(|r| r.contains("cancelled"))
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn more_applicants_than_the_threshold_escalate_once_and_a_section_manager_acknowledges() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 5).await;
    let track = global_id("JobTrack", track_id);
    let caseworker = app.login(CASEWORKER).await;
    let mut invited = Vec::new();
    for n in 0..12 {
        let candidate = global_id(
            "Candidate",
            fixtures::candidate(&app, 200 + n, Gender::Other, true).await,
        );
        let data = app
            .ok(
                Some(&caseworker),
                NOMINATE,
                json!({ "t": track, "c": candidate }),
            )
            .await;
        assert_eq!(data["nominateCandidate"]["escalated"], false);
        let id = id_of(&data["nominateCandidate"]["application"]);
        let wg = app.login(WORKING_GROUP).await;
        app.ok(Some(&wg), INVITE, json!({ "a": id })).await;
        invited.push(id);
    }
    let escalated_at = async |app: &TestApp| {
        app.ok(
            Some(&caseworker),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { escalatedAt } } }",
            json!({ "id": track }),
        )
        .await["node"]["escalatedAt"]
            .clone()
    };
    assert_eq!(
        escalated_at(&app).await,
        Value::Null,
        "12 nominated and invited are not applicants"
    );
    let mut escalations = Vec::new();
    for id in &invited {
        app.ok(
            Some(&caseworker),
            SUBMIT,
            json!({ "a": id, "m": "Jag vill." }),
        )
        .await;
        escalations.push(escalated_at(&app).await.is_string());
    }
    let expected: Vec<bool> = (0..12).map(|n| n >= 10).collect();
    assert_eq!(
        escalations, expected,
        "the 11th applicant passes the threshold of 10"
    );
    let mails = outbox(&app, "escalation").await;
    assert_eq!(mails.len(), 1, "one section manager, once");
    assert_eq!(mails[0].recipient, fixtures::SECTION_MANAGER);
    assert!(mails[0].body_text.contains("11 aktiva sökande"));
    assert!(
        !mails[0].body_text.contains("Förnamn"),
        "no personal data in an escalation"
    );

    let open =
        "{ jobTracks(filter: {escalated: true, escalationAcknowledged: false}) { totalCount } }";
    let manager = app.login(fixtures::SECTION_MANAGER).await;
    assert_eq!(
        app.ok(Some(&manager), open, json!({})).await["jobTracks"]["totalCount"],
        1
    );
    let acknowledge = "mutation($t: ID!, $n: String) { acknowledgeEscalation(input: {jobTrackId: $t, note: $n}) {
        jobTrack { escalationAcknowledgement { acknowledgedBy { email } acknowledgedAt note } } } }";
    let note = "Extra informationsmöte bokat.";
    let wg = app.login(WORKING_GROUP).await;
    assert_error(
        &app.gql(Some(&wg), acknowledge, json!({ "t": track, "n": note }))
            .await,
        "FORBIDDEN",
    );
    let done = app
        .ok(
            Some(&manager),
            acknowledge,
            json!({ "t": track, "n": note }),
        )
        .await;
    let seen = &done["acknowledgeEscalation"]["jobTrack"]["escalationAcknowledgement"];
    assert_eq!(seen["acknowledgedBy"]["email"], fixtures::SECTION_MANAGER);
    assert_eq!(seen["note"], note);
    assert!(seen["acknowledgedAt"].is_string());
    assert_conflict(
        &app.gql(
            Some(&manager),
            acknowledge,
            json!({ "t": track, "n": "igen" }),
        )
        .await,
        "the escalation is already acknowledged",
    );
    assert_eq!(
        app.ok(Some(&manager), open, json!({})).await["jobTracks"]["totalCount"],
        0
    );
    // Employers see neither who acknowledged nor the note.
    let employer = app.login(EMPLOYER).await;
    let theirs = app
        .ok(
            Some(&employer),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { escalationAcknowledgement { note } } } }",
            json!({ "id": track }),
        )
        .await;
    assert_eq!(theirs["node"]["escalationAcknowledgement"], Value::Null);
    // A track that is not escalated has nothing to acknowledge.
    let quiet = global_id(
        "JobTrack",
        fixtures::recruiting_track(&app, &world, 5).await,
    );
    assert_error(
        &app.gql(Some(&manager), acknowledge, json!({ "t": quiet }))
            .await,
        "INVALID_STATE",
    );
    app.stop().await;
}

/// Changes the track's status as the working group; the response, and the new version
/// when it succeeded.
async fn change_status(app: &TestApp, token: &str, track: &str, status: &str) -> Value {
    let version = track_version(app, token, track).await;
    app.gql(
        Some(token),
        STATUS,
        json!({ "id": track, "v": version, "s": status }),
    )
    .await
}

/// The application ids an INVALID_STATE refusal names.
fn blocking(response: &Value) -> Vec<String> {
    let mut ids: Vec<String> = response["errors"][0]["extensions"]["applications"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|id| id.as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_track_starts_with_every_application_decided_and_completes_with_everyone_out() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 5).await;
    let track = global_id("JobTrack", track_id);
    let waiting = fixtures::candidate(&app, 910, Gender::Woman, true).await;
    let waiting = global_id(
        "Application",
        fixtures::application_at(&app, &world, track_id, waiting, Stage::Nominated).await,
    );
    let trial = fixtures::candidate(&app, 911, Gender::Man, true).await;
    let trial = global_id(
        "Application",
        fixtures::application_at(&app, &world, track_id, trial, Stage::TrialScheduled).await,
    );
    let admitted = fixtures::candidate(&app, 912, Gender::Woman, true).await;
    let admitted = global_id(
        "Application",
        fixtures::passed_trial(&app, &world, track_id, admitted).await,
    );
    let wg = app.login(WORKING_GROUP).await;
    app.ok(Some(&wg), DECIDE, json!({ "a": admitted, "d": "ADMIT" }))
        .await;
    let selection = change_status(&app, &wg, &track, "SELECTION").await;
    assert!(selection.get("errors").is_none(), "{selection}");

    // Starting would leave two people without an answer: refused, naming them.
    let refused = change_status(&app, &wg, &track, "RUNNING").await;
    assert_error(&refused, "INVALID_STATE");
    let mut expected = vec![waiting.clone(), trial.clone()];
    expected.sort();
    assert_eq!(blocking(&refused), expected, "{refused}");
    assert_eq!(
        refused["errors"][0]["message"],
        "the track cannot start while applications are undecided; decide or withdraw them first (1 NOMINATED, 1 IN_TRIAL)"
    );
    let caseworker = app.login(CASEWORKER).await;
    app.ok(Some(&caseworker), "mutation($a: ID!) { withdrawApplication(input: {applicationId: $a}) { application { status } } }", json!({ "a": waiting })).await;
    app.ok(
        Some(&wg),
        DECIDE,
        json!({ "a": trial, "d": "REJECT", "r": "Behöver mer praktik." }),
    )
    .await;
    let running = change_status(&app, &wg, &track, "RUNNING").await;
    assert!(running.get("errors").is_none(), "{running}");

    // Completing would leave the participant inside: refused, naming them.
    let refused = change_status(&app, &wg, &track, "COMPLETED").await;
    assert_error(&refused, "INVALID_STATE");
    assert_eq!(blocking(&refused), vec![admitted.clone()], "{refused}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("(1 STARTED)")),
        "{refused}"
    );
    app.ok(Some(&caseworker), "mutation($a: ID!) { completeParticipation(input: {applicationId: $a}) { application { status } } }", json!({ "a": admitted })).await;
    let completed = change_status(&app, &wg, &track, "COMPLETED").await;
    assert!(completed.get("errors").is_none(), "{completed}");
    // No one is left to drop out of a completed track.
    assert_error(
        &app.gql(Some(&caseworker), "mutation($a: ID!) { recordDropOut(input: {applicationId: $a, reason: \"Flyttat\"}) { application { status } } }", json!({ "a": admitted })).await,
        "INVALID_STATE",
    );
    app.stop().await;
}

#[tokio::test]
async fn a_withdrawn_or_rejected_candidate_can_be_nominated_again_with_the_old_application_kept() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 5).await;
    let candidate = fixtures::candidate(&app, 920, Gender::Woman, true).await;
    let vars =
        json!({ "t": global_id("JobTrack", track_id), "c": global_id("Candidate", candidate) });
    let caseworker = app.login(CASEWORKER).await;
    let wg = app.login(WORKING_GROUP).await;
    let first = app.ok(Some(&caseworker), NOMINATE, vars.clone()).await;
    let first = id_of(&first["nominateCandidate"]["application"]);
    // While it is open, a second nomination is refused.
    assert_conflict(
        &app.gql(Some(&caseworker), NOMINATE, vars.clone()).await,
        "the candidate already has an application to this track",
    );
    app.ok(Some(&caseworker), "mutation($a: ID!) { withdrawApplication(input: {applicationId: $a}) { application { status } } }", json!({ "a": first })).await;
    let second = app.ok(Some(&caseworker), NOMINATE, vars.clone()).await;
    let second = id_of(&second["nominateCandidate"]["application"]);
    assert_ne!(first, second, "a new application");
    app.ok(
        Some(&wg),
        DECIDE,
        json!({ "a": second, "d": "REJECT", "r": "Inte nu." }),
    )
    .await;
    let third = app.ok(Some(&caseworker), NOMINATE, vars).await;
    let third = id_of(&third["nominateCandidate"]["application"]);
    let history = app
        .ok(
            Some(&caseworker),
            "query($c: ID!) { node(id: $c) { ... on Candidate { applications { id status } } } }",
            json!({ "c": global_id("Candidate", candidate) }),
        )
        .await;
    let mut statuses: Vec<(String, String)> = history["node"]["applications"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| (id_of(a), a["status"].as_str().unwrap_or("?").to_owned()))
        .collect();
    statuses.sort();
    let mut expected = vec![
        (first, "WITHDRAWN".to_owned()),
        (second, "REJECTED".to_owned()),
        (third, "NOMINATED".to_owned()),
    ];
    expected.sort();
    assert_eq!(statuses, expected, "the old applications stay as history");
    app.stop().await;
}
