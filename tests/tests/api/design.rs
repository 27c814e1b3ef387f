//! The process as practitioners run it. A track's design decides its steps: a trial
//! placement only where the design has one, and only with the candidate's consent to be
//! shown to the employer; after a missed information meeting, a new invitation before the
//! application; the nomination is kept up to date while the application is open.

use jobtrack_api::domain::values::Gender;
use jobtrack_tests::fixtures::{self, CASEWORKER, Stage, WORKING_GROUP};
use jobtrack_tests::{TestApp, assert_refused, global_id};
use serde_json::json;

const TRIAL: &str = "mutation($a: ID!, $e: ID!) { scheduleTrialPlacement(input: {applicationId: $a, employerId: $e, startsAt: \"2027-01-20T07:00:00+01:00\", endsAt: \"2027-01-24T15:00:00+01:00\"}) { application { status } } }";
const ADMIT: &str = "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: ADMIT}) { application { status } } }";
const DESIGN: &str = "mutation($id: ID!, $v: Int!, $c: [TrackComponentInput!]) { updateJobTrack(input: {jobTrackId: $id, expectedVersion: $v, components: $c}) { jobTrack { version components { kind } } } }";
const VERSION: &str = "query($id: ID!) { node(id: $id) { ... on JobTrack { version } } }";

#[tokio::test]
async fn a_trial_placement_is_taken_only_where_the_design_has_one_and_with_consent() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let sharing = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let private = fixtures::candidate(&app, 2, Gender::Man, false).await;
    let applied = global_id(
        "Application",
        fixtures::application_at(&app, &world, track, sharing, Stage::Applied).await,
    );
    let private_app = global_id(
        "Application",
        fixtures::application_at(&app, &world, track, private, Stage::Applied).await,
    );
    let welding = global_id("Employer", world.welding);
    let wg = app.login(WORKING_GROUP).await;

    // The welding track's design has a trial placement: no admission straight from APPLIED.
    assert_refused(
        &app.gql(Some(&wg), ADMIT, json!({ "a": applied })).await,
        "INVALID_STATE",
        "admission needs a passed trial placement (this track's design has one): none has been scheduled; the application is APPLIED",
    );
    // The employer would see the candidate during the placement: consent first.
    assert_refused(
        &app.gql(Some(&wg), TRIAL, json!({ "a": private_app, "e": welding }))
            .await,
        "CONSENT_REQUIRED",
        "EMPLOYER_SHARING",
    );

    // The working group takes the trial placement out of the design.
    let id = global_id("JobTrack", track);
    let version = app.ok(Some(&wg), VERSION, json!({ "id": id })).await["node"]["version"].clone();
    let changed = app
        .ok(
            Some(&wg),
            DESIGN,
            json!({ "id": id, "v": version, "c": [] }),
        )
        .await;
    assert_eq!(
        changed["updateJobTrack"]["jobTrack"]["components"],
        json!([])
    );
    assert_refused(
        &app.gql(Some(&wg), TRIAL, json!({ "a": applied, "e": welding }))
            .await,
        "INVALID_STATE",
        "the track's design has no trial placement",
    );
    let admitted = app.ok(Some(&wg), ADMIT, json!({ "a": applied })).await;
    assert_eq!(
        admitted["decideApplication"]["application"]["status"],
        "ADMITTED"
    );
    // Without a trial placement, the application itself is what admission follows.
    let nominated = fixtures::candidate(&app, 3, Gender::Woman, true).await;
    let early = global_id(
        "Application",
        fixtures::application_at(&app, &world, track, nominated, Stage::Invited).await,
    );
    assert_refused(
        &app.gql(Some(&wg), ADMIT, json!({ "a": early })).await,
        "INVALID_STATE",
        "cannot admit an application that is INVITED: it needs a submitted application",
    );
    app.stop().await;
}

#[tokio::test]
async fn after_a_missed_information_meeting_the_working_group_invites_again() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let id = global_id(
        "Application",
        fixtures::application_at(&app, &world, track, candidate, Stage::Invited).await,
    );
    let wg = app.login(WORKING_GROUP).await;
    let caseworker = app.login(CASEWORKER).await;
    app.ok(Some(&wg), "mutation($a: ID!) { recordStepResult(input: {applicationId: $a, kind: INFO_MEETING, result: NO_SHOW}) { application { status } } }",
        json!({ "a": id })).await;
    let submit = "mutation($a: ID!) { submitApplication(input: {applicationId: $a, motivation: \"Jag vill.\"}) { application { status steps { kind result } } } }";
    assert_refused(
        &app.gql(Some(&caseworker), submit, json!({ "a": id })).await,
        "INVALID_STATE",
        "the candidate did not come to the information meeting",
    );
    let again = app.ok(Some(&wg), "mutation($a: ID!) { inviteToInfoMeeting(input: {applicationId: $a, scheduledAt: \"2027-02-01T10:00:00+01:00\", location: \"Stadshuset\"}) { application { status steps { kind result location } } } }",
        json!({ "a": id })).await;
    assert_eq!(
        again["inviteToInfoMeeting"]["application"]["steps"],
        json!([{ "kind": "INFO_MEETING", "result": "PENDING", "location": "Stadshuset" }])
    );
    let applied = app.ok(Some(&caseworker), submit, json!({ "a": id })).await;
    assert_eq!(
        applied["submitApplication"]["application"]["status"],
        "APPLIED"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_nomination_is_updated_while_the_application_is_open() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let raw = fixtures::application_at(&app, &world, track, candidate, Stage::Applied).await;
    let id = global_id("Application", raw);
    let update = "mutation($a: ID!, $v: Int, $n: String, $l: String) { updateNomination(input: {applicationId: $a, expectedVersion: $v, note: $n, languageAssessment: $l}) {
        application { version nominationNote languageAssessment } } }";
    let read = "query($a: ID!) { node(id: $a) { ... on Application { version nominationNote languageAssessment } } }";
    let caseworker = app.login(CASEWORKER).await;
    let before = app.ok(Some(&caseworker), read, json!({ "a": id })).await;
    let version = before["node"]["version"].clone();
    let view = "Klarar SFI D sedan i våras; muntligt stark.";
    let updated = app
        .ok(
            Some(&caseworker),
            update,
            json!({ "a": id, "v": version, "n": "Motiverad.", "l": view }),
        )
        .await;
    let seen = &updated["updateNomination"]["application"];
    assert_eq!(seen["languageAssessment"], view);
    assert_eq!(seen["nominationNote"], "Motiverad.");
    // Left out keeps the field; null clears it.
    let cleared = app
        .ok(Some(&caseworker), "mutation($a: ID!) { updateNomination(input: {applicationId: $a, note: null}) { application { nominationNote languageAssessment } } }",
            json!({ "a": id }))
        .await;
    assert_eq!(
        cleared["updateNomination"]["application"],
        json!({ "nominationNote": null, "languageAssessment": view })
    );
    assert_refused(
        &app.gql(
            Some(&caseworker),
            update,
            json!({ "a": id, "v": version, "l": "x" }),
        )
        .await,
        "CONFLICT",
        "changed meanwhile",
    );
    for outsider in [
        fixtures::EMPLOYER,
        fixtures::DALSLAND_CASEWORKER,
        fixtures::ADVISER,
    ] {
        let token = app.login(outsider).await;
        let refused = app
            .gql(Some(&token), update, json!({ "a": id, "l": "x" }))
            .await;
        assert!(
            ["NOT_FOUND", "FORBIDDEN"].contains(&jobtrack_tests::error_code(&refused)),
            "{outsider}: {refused}"
        );
    }
    let wg = app.login(WORKING_GROUP).await;
    app.ok(Some(&wg), "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: REJECT, reason: \"Nästa kull\"}) { application { status } } }",
        json!({ "a": id })).await;
    assert_refused(
        &app.gql(Some(&caseworker), update, json!({ "a": id, "l": "x" }))
            .await,
        "INVALID_STATE",
        "cannot update the nomination of an application that is REJECTED",
    );
    app.stop().await;
}

#[tokio::test]
async fn applications_across_tracks_are_listed_within_the_viewers_scope() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let welding = fixtures::recruiting_track(&app, &world, 5).await;
    let second = fixtures::recruiting_track(&app, &world, 5).await;
    let one = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let two = fixtures::candidate(&app, 2, Gender::Man, false).await;
    fixtures::application_at(&app, &world, welding, one, Stage::Applied).await;
    fixtures::application_at(&app, &world, second, two, Stage::Nominated).await;
    let query = "query($f: ApplicationFilter) { applications(filter: $f) { totalCount edges { node { status candidate { firstName } applicant { firstName } } } } }";
    let caseworker = app.login(CASEWORKER).await;
    let mine = app
        .ok(
            Some(&caseworker),
            query,
            json!({ "f": { "myCandidates": true } }),
        )
        .await;
    assert_eq!(mine["applications"]["totalCount"], 2);
    let applied = app
        .ok(
            Some(&caseworker),
            query,
            json!({ "f": { "myCandidates": true, "status": ["APPLIED"] } }),
        )
        .await;
    assert_eq!(
        applied["applications"]["edges"],
        json!([{ "node": { "status": "APPLIED", "candidate": { "firstName": "Förnamn1" }, "applicant": null } }])
    );
    let by_track = app
        .ok(
            Some(&caseworker),
            query,
            json!({ "f": { "jobTrackId": global_id("JobTrack", second) } }),
        )
        .await;
    assert_eq!(by_track["applications"]["totalCount"], 1);
    // Another municipality's caseworker sees none; the employer only its sharing applicant.
    let dalsland = app.login(fixtures::DALSLAND_CASEWORKER).await;
    assert_eq!(
        app.ok(Some(&dalsland), query, json!({})).await["applications"]["totalCount"],
        0
    );
    let employer = app.login(fixtures::EMPLOYER).await;
    let theirs = app.ok(Some(&employer), query, json!({})).await;
    assert_eq!(
        theirs["applications"]["edges"],
        json!([{ "node": { "status": "APPLIED", "candidate": null, "applicant": { "firstName": "Förnamn1" } } }])
    );
    let mine_as_employer = app
        .ok(
            Some(&employer),
            query,
            json!({ "f": { "myCandidates": true } }),
        )
        .await;
    assert_eq!(mine_as_employer["applications"]["totalCount"], 0);
    assert_refused(
        &app.gql(
            Some(&caseworker),
            query,
            json!({ "f": { "candidateId": global_id("JobTrack", second) } }),
        )
        .await,
        "BAD_USER_INPUT",
        "",
    );
    app.stop().await;
}
