//! Information meetings as objects: scheduled for a track, many invited in one call within
//! the capacity, candidates without email listed for their caseworker, attendance counted.

use jobtrack_api::domain::values::Gender;
use jobtrack_entity::{candidate, email_outbox};
use jobtrack_tests::fixtures::{
    self, CASEWORKER, DALSLAND_CASEWORKER, EMPLOYER, Stage, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id, id_of};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;

const SCHEDULE: &str = "mutation($t: ID!, $c: Int) { scheduleInfoMeeting(input: {jobTrackId: $t, startsAt: \"2027-02-03T10:00:00+01:00\", location: \"Folkets hus, Trollhättan\", capacity: $c}) {
    infoMeeting { id startsAt location capacity invitedCount } } }";
const INVITE: &str = "mutation($m: ID!, $a: [ID!]!) { inviteToMeeting(input: {meetingId: $m, applicationIds: $a}) {
    infoMeeting { invitedCount } applications { status steps { kind scheduledAt location } } withoutEmail { candidate { lastName } } } }";

#[tokio::test]
async fn the_working_group_invites_many_to_one_meeting_within_its_capacity() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track_id = fixtures::recruiting_track(&app, &world, 10).await;
    let track = global_id("JobTrack", track_id);
    let mut applications = Vec::new();
    for n in 1..=4 {
        let person = fixtures::candidate(&app, n, Gender::Woman, true).await;
        let raw = fixtures::application_at(&app, &world, track_id, person, Stage::Nominated).await;
        applications.push((person, global_id("Application", raw)));
    }
    // The fourth has no email address.
    candidate::Entity::update_many()
        .col_expr(
            candidate::Column::Email,
            Expr::value(Option::<String>::None),
        )
        .filter(candidate::Column::Id.eq(applications[3].0))
        .exec(app.db())
        .await
        .expect("the candidate updates");
    let ids: Vec<&String> = applications.iter().map(|(_, a)| a).collect();

    let wg = app.login(WORKING_GROUP).await;
    for (who, code) in [
        (CASEWORKER, "FORBIDDEN"),
        (DALSLAND_CASEWORKER, "NOT_FOUND"),
        (EMPLOYER, "FORBIDDEN"),
    ] {
        let token = app.login(who).await;
        assert_error(
            &app.gql(Some(&token), SCHEDULE, json!({ "t": track, "c": 3 }))
                .await,
            code,
        );
    }
    assert_bad_input(
        &app.gql(Some(&wg), SCHEDULE, json!({ "t": track, "c": 0 }))
            .await,
        "capacity",
    );
    let scheduled = app
        .ok(Some(&wg), SCHEDULE, json!({ "t": track, "c": 3 }))
        .await;
    let meeting = scheduled["scheduleInfoMeeting"]["infoMeeting"].clone();
    assert_eq!(meeting["startsAt"], "2027-02-03T09:00:00+00:00");
    assert_eq!(meeting["invitedCount"], 0);
    let meeting = id_of(&meeting);

    // Four do not fit in three seats: nobody is invited.
    assert_error(
        &app.gql(Some(&wg), INVITE, json!({ "m": meeting, "a": ids }))
            .await,
        "NO_SEATS",
    );
    let status = "query($a: ID!) { node(id: $a) { ... on Application { status } } }";
    assert_eq!(
        app.ok(Some(&wg), status, json!({ "a": ids[0] })).await["node"]["status"],
        "NOMINATED"
    );
    // An application of another track cannot be invited to this meeting.
    let other_track = fixtures::recruiting_track(&app, &world, 3).await;
    let stranger = fixtures::candidate(&app, 9, Gender::Man, true).await;
    let elsewhere = global_id(
        "Application",
        fixtures::application_at(&app, &world, other_track, stranger, Stage::Nominated).await,
    );
    assert_bad_input(
        &app.gql(Some(&wg), INVITE, json!({ "m": meeting, "a": [elsewhere] }))
            .await,
        "applicationIds",
    );
    assert_bad_input(
        &app.gql(Some(&wg), INVITE, json!({ "m": meeting, "a": [] }))
            .await,
        "applicationIds",
    );
    // A meeting is for a track that recruits: not for a draft.
    let draft = app
        .ok(Some(&wg), "mutation($input: CreateJobTrackInput!) { createJobTrack(input: $input) { jobTrack { id } } }",
            json!({ "input": { "title": "Utkast", "ssykCode": "7212", "agreementId": global_id("Agreement", world.fyrbodal),
                "municipalityCodes": ["1488"], "employerIds": [global_id("Employer", world.welding)], "seats": 2 } }))
        .await;
    let draft = id_of(&draft["createJobTrack"]["jobTrack"]);
    assert_error(
        &app.gql(Some(&wg), SCHEDULE, json!({ "t": draft, "c": 3 }))
            .await,
        "INVALID_STATE",
    );

    let invited = app
        .ok(
            Some(&wg),
            INVITE,
            json!({ "m": meeting, "a": [ids[0], ids[1], ids[3]] }),
        )
        .await;
    let payload = &invited["inviteToMeeting"];
    assert_eq!(payload["infoMeeting"]["invitedCount"], 3);
    for application in payload["applications"].as_array().expect("a list") {
        assert_eq!(application["status"], "INVITED");
        assert_eq!(
            application["steps"],
            json!([{ "kind": "INFO_MEETING", "scheduledAt": "2027-02-03T09:00:00+00:00", "location": "Folkets hus, Trollhättan" }])
        );
    }
    assert_eq!(
        payload["withoutEmail"],
        json!([{ "candidate": { "lastName": "Efternamn4" } }])
    );
    // Full now: the third candidate does not fit.
    assert_error(
        &app.gql(Some(&wg), INVITE, json!({ "m": meeting, "a": [ids[2]] }))
            .await,
        "NO_SEATS",
    );

    let outbox = |template: &'static str| {
        email_outbox::Entity::find()
            .filter(email_outbox::Column::Template.eq(template))
            .all(app.db())
    };
    let invitations = outbox("info_meeting").await.expect("the outbox reads");
    let mut recipients: Vec<&str> = invitations.iter().map(|m| m.recipient.as_str()).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["kandidat1@example.com", "kandidat2@example.com"]
    );
    assert!(
        invitations[0]
            .body_text
            .contains("3 februari 2027 kl. 10.00")
    );
    let lists = outbox("info_meeting_without_email")
        .await
        .expect("the outbox reads");
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].recipient, CASEWORKER);
    assert!(
        lists[0].body_text.contains("Förnamn4 Efternamn4")
            && !lists[0].body_text.contains("Efternamn1"),
        "{}",
        lists[0].body_text
    );

    // Attendance, per candidate.
    let attend = "mutation($a: ID!, $r: StepResult!) { recordStepResult(input: {applicationId: $a, kind: INFO_MEETING, result: $r}) { application { status } } }";
    app.ok(Some(&wg), attend, json!({ "a": ids[0], "r": "ATTENDED" }))
        .await;
    app.ok(Some(&wg), attend, json!({ "a": ids[3], "r": "ATTENDED" }))
        .await;
    app.ok(Some(&wg), attend, json!({ "a": ids[1], "r": "NO_SHOW" }))
        .await;
    let read = "query($t: ID!) { node(id: $t) { ... on JobTrack { infoMeetings { location capacity invitedCount attendedCount
        invited { candidate { lastName } steps { result } } } funnel { invited { shown { total } } attended { shown { total } } } } } }";
    let seen = app.ok(Some(&wg), read, json!({ "t": track })).await;
    let meetings = &seen["node"]["infoMeetings"];
    assert_eq!(meetings[0]["invitedCount"], 3);
    assert_eq!(meetings[0]["attendedCount"], 2);
    assert_eq!(meetings[0]["invited"].as_array().map(Vec::len), Some(3));
    // The funnel is a report: 2 attended and 3 invited are small counts, suppressed.
    assert_eq!(
        seen["node"]["funnel"],
        json!({ "invited": { "shown": { "total": null } }, "attended": { "shown": { "total": null } } })
    );
    // …but the history it counts holds the two who came.
    {
        use jobtrack_entity::application_stage;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let attended = application_stage::Entity::find()
            .filter(
                application_stage::Column::Stage.eq(jobtrack_api::domain::values::Stage::Attended),
            )
            .count(app.db())
            .await
            .expect("the history reads");
        assert_eq!(attended, 2);
    }
    // Employers see the track, not its meetings.
    let employer = app.login(EMPLOYER).await;
    let theirs = app.ok(Some(&employer), read, json!({ "t": track })).await;
    assert_eq!(theirs["node"]["infoMeetings"], json!([]));
    // An application past the meeting (APPLIED) is not invited again.
    let applicant = fixtures::candidate(&app, 10, Gender::Man, true).await;
    let applied = global_id(
        "Application",
        fixtures::application_at(&app, &world, track_id, applicant, Stage::Applied).await,
    );
    assert_error(
        &app.gql(Some(&wg), INVITE, json!({ "m": meeting, "a": [applied] }))
            .await,
        "INVALID_STATE",
    );
    app.stop().await;
}
