//! Job tracks: design, optimistic versions, status transitions, filters and scope.

use jobtrack_tests::fixtures::{
    self, ADVISER, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, OTHER_EMPLOYER,
    WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id, id_of};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateJobTrackInput!) { createJobTrack(input: $input) { jobTrack {
    id title status version seats occupation { ssykCode } agreement { name } municipalities { code } employers { name }
    competenceNeeds { title status } components { position kind title provider hoursPerWeek }
    eligibility { programmes targetGroups requirements { drivingLicence minimumSwedishLevel } } designTeam { email } } } }";
const UPDATE: &str = "mutation($input: UpdateJobTrackInput!) { updateJobTrack(input: $input) { jobTrack { version title seats components { position title } } } }";
const STATUS: &str = "mutation($id: ID!, $v: Int!, $s: JobTrackStatus!) { changeJobTrackStatus(input: {jobTrackId: $id, expectedVersion: $v, status: $s}) { jobTrack { status version } } }";

fn track_input(world: &fixtures::World) -> Value {
    json!({
        "title": "Undersköterskor Vänersborg", "ssykCode": "5321", "agreementId": global_id("Agreement", world.fyrbodal),
        "municipalityCodes": ["1487", "1488"], "employerIds": [global_id("Employer", world.care)], "seats": 8,
        "applicationDeadline": "2027-01-15", "startDate": "2027-02-01", "endDate": "2027-08-31",
        "eligibility": { "programmes": ["JOB", "ESTABLISHMENT"], "targetGroups": ["NEW_ARRIVAL"],
            "requirements": { "minimumSwedishLevel": "SFI_D" } },
        "components": [
            { "kind": "VOCATIONAL_SWEDISH", "title": "Yrkessvenska vård", "provider": "Kunskapsförbundet Väst", "hoursPerWeek": 10 },
            { "kind": "ADULT_EDUCATION", "title": "Vård- och omsorgsutbildning", "provider": "Kunskapsförbundet Väst" },
            { "kind": "TRIAL_PLACEMENT", "title": "Praktik på äldreboende" },
            { "kind": "EMPLOYMENT_WITH_SUBSIDY", "title": "Introduktionsjobb" }
        ]
    })
}

#[tokio::test]
async fn the_working_group_designs_a_track() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let need = app.ok(Some(&adviser), "mutation($e: ID!) { postCompetenceNeed(input: {employerId: $e, ssykCode: \"5321\", title: \"Undersköterskor\", positions: 6}) { competenceNeed { id } } }",
        json!({ "e": global_id("Employer", world.care) })).await;
    let need_id = id_of(&need["postCompetenceNeed"]["competenceNeed"]);
    let users = app
        .ok(
            Some(&app.login(WORKING_GROUP).await),
            "{ viewer { id } }",
            json!({}),
        )
        .await;
    let wg = app.login(WORKING_GROUP).await;
    let mut input = track_input(&world);
    input["competenceNeedIds"] = json!([need_id]);
    input["designTeamUserIds"] = json!([users["viewer"]["id"]]);
    let data = app.ok(Some(&wg), CREATE, json!({ "input": input })).await;
    let track = &data["createJobTrack"]["jobTrack"];
    assert_eq!(track["status"], "DRAFT");
    assert_eq!(track["version"], 1);
    assert_eq!(
        track["municipalities"],
        json!([{ "code": "1488" }, { "code": "1487" }]),
        "by name: Trollhättan, Vänersborg"
    );
    assert_eq!(track["components"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        track["components"][0],
        json!({ "position": 1, "kind": "VOCATIONAL_SWEDISH", "title": "Yrkessvenska vård", "provider": "Kunskapsförbundet Väst", "hoursPerWeek": 10 })
    );
    assert_eq!(track["components"][3]["position"], 4);
    assert_eq!(
        track["eligibility"]["programmes"],
        json!(["JOB", "ESTABLISHMENT"])
    );
    assert_eq!(
        track["competenceNeeds"],
        json!([{ "title": "Undersköterskor", "status": "IN_TRACK" }])
    );
    assert_eq!(track["designTeam"], json!([{ "email": WORKING_GROUP }]));
    let need_tracks = app
        .ok(
            Some(&adviser),
            "query($id: ID!) { node(id: $id) { ... on CompetenceNeed { jobTracks { title } } } }",
            json!({ "id": need_id }),
        )
        .await;
    assert_eq!(
        need_tracks["node"]["jobTracks"],
        json!([{ "title": "Undersköterskor Vänersborg" }])
    );
    app.stop().await;
}

#[tokio::test]
async fn track_design_is_checked() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let wg = app.login(WORKING_GROUP).await;
    let cases: [(&str, Value, &str); 6] = [
        (
            "employerIds",
            json!([global_id("Employer", world.logistics)]),
            "employerIds",
        ),
        ("municipalityCodes", json!(["1460"]), "municipalityCodes"),
        ("seats", json!(0), "seats"),
        ("ssykCode", json!("1234"), "ssykCode"),
        ("endDate", json!("2027-01-01"), "endDate"),
        (
            "agreementId",
            json!(global_id("Agreement", world.dalsland)),
            "agreementId",
        ),
    ];
    for (key, value, field) in cases {
        let mut input = track_input(&world);
        input[key] = value;
        assert_bad_input(
            &app.gql(Some(&wg), CREATE, json!({ "input": input })).await,
            field,
        );
    }
    for email in [CASEWORKER, ADVISER, EMPLOYER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(
                Some(&token),
                CREATE,
                json!({ "input": track_input(&world) }),
            )
            .await,
            "FORBIDDEN",
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_every_change_bumps_it() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let wg = app.login(WORKING_GROUP).await;
    let data = app
        .ok(Some(&wg), CREATE, json!({ "input": track_input(&world) }))
        .await;
    let id = id_of(&data["createJobTrack"]["jobTrack"]);
    let update = json!({ "jobTrackId": id, "expectedVersion": 1, "title": "Undersköterskor, kull 2", "seats": 10,
        "components": [{ "kind": "WORKPLACE_LEARNING", "title": "APL" }, { "kind": "OTHER", "title": "Uppföljning" }] });
    let data = app.ok(Some(&wg), UPDATE, json!({ "input": update })).await;
    assert_eq!(
        data["updateJobTrack"]["jobTrack"],
        json!({ "version": 2, "title": "Undersköterskor, kull 2", "seats": 10,
        "components": [{ "position": 1, "title": "APL" }, { "position": 2, "title": "Uppföljning" }] })
    );
    assert_error(
        &app.gql(Some(&wg), UPDATE, json!({ "input": update })).await,
        "CONFLICT",
    );
    assert_error(
        &app.gql(
            Some(&wg),
            STATUS,
            json!({ "id": id, "v": 1, "s": "RECRUITING" }),
        )
        .await,
        "CONFLICT",
    );
    let data = app
        .ok(
            Some(&wg),
            STATUS,
            json!({ "id": id, "v": 2, "s": "RECRUITING" }),
        )
        .await;
    assert_eq!(
        data["changeJobTrackStatus"]["jobTrack"],
        json!({ "status": "RECRUITING", "version": 3 })
    );
    app.stop().await;
}

#[tokio::test]
async fn only_the_allowed_status_transitions_happen() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let wg = app.login(WORKING_GROUP).await;
    let data = app
        .ok(Some(&wg), CREATE, json!({ "input": track_input(&world) }))
        .await;
    let id = id_of(&data["createJobTrack"]["jobTrack"]);
    let mut version = 1;
    for (to, allowed) in [
        ("SELECTION", false),
        ("RUNNING", false),
        ("COMPLETED", false),
        ("RECRUITING", true),
        ("RECRUITING", false),
        ("DRAFT", false),
        ("SELECTION", true),
        ("RUNNING", true),
        ("SELECTION", false),
        ("COMPLETED", true),
        ("CANCELLED", false),
        ("RUNNING", false),
    ] {
        let response = app
            .gql(
                Some(&wg),
                STATUS,
                json!({ "id": id, "v": version, "s": to }),
            )
            .await;
        if allowed {
            assert_eq!(
                response["data"]["changeJobTrackStatus"]["jobTrack"]["status"], to,
                "{response}"
            );
            version += 1;
        } else {
            assert_error(&response, "INVALID_STATE");
        }
    }
    // Any state but COMPLETED may be cancelled.
    let data = app
        .ok(Some(&wg), CREATE, json!({ "input": track_input(&world) }))
        .await;
    let other = id_of(&data["createJobTrack"]["jobTrack"]);
    let data = app
        .ok(
            Some(&wg),
            STATUS,
            json!({ "id": other, "v": 1, "s": "CANCELLED" }),
        )
        .await;
    assert_eq!(
        data["changeJobTrackStatus"]["jobTrack"]["status"],
        "CANCELLED"
    );
    let coordinator = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(
            Some(&coordinator),
            STATUS,
            json!({ "id": other, "v": 2, "s": "RECRUITING" }),
        )
        .await,
        "FORBIDDEN",
    );
    app.stop().await;
}

#[tokio::test]
async fn tracks_are_filtered_and_scoped() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let wg = app.login(WORKING_GROUP).await;
    let member = app.ok(Some(&wg), "{ viewer { id } }", json!({})).await["viewer"]["id"].clone();
    let mut input = track_input(&world);
    input["designTeamUserIds"] = json!([member]);
    app.ok(Some(&wg), CREATE, json!({ "input": input })).await;
    fixtures::recruiting_track(&app, &world, 4).await;
    let query = "query($f: JobTrackFilter) { jobTracks(filter: $f) { totalCount edges { node { title status } } } }";
    let count = |data: &Value| data["jobTracks"]["totalCount"].as_i64().unwrap_or(-1);
    assert_eq!(count(&app.ok(Some(&wg), query, json!({})).await), 2);
    assert_eq!(
        count(
            &app.ok(
                Some(&wg),
                query,
                json!({ "f": { "status": ["RECRUITING"] } })
            )
            .await
        ),
        1
    );
    assert_eq!(
        count(
            &app.ok(Some(&wg), query, json!({ "f": { "ssykCode": "5321" } }))
                .await
        ),
        1
    );
    assert_eq!(
        count(
            &app.ok(
                Some(&wg),
                query,
                json!({ "f": { "municipalityCode": "1487" } })
            )
            .await
        ),
        2
    );
    assert_eq!(
        count(
            &app.ok(
                Some(&wg),
                query,
                json!({ "f": { "employerId": global_id("Employer", world.welding) } })
            )
            .await
        ),
        1
    );
    assert_eq!(
        count(
            &app.ok(
                Some(&wg),
                query,
                json!({ "f": { "search": "UNDERSKÖTERSKOR" } })
            )
            .await
        ),
        1
    );
    let designed = app
        .ok(
            Some(&wg),
            query,
            json!({ "f": { "designTeamMember": member } }),
        )
        .await;
    assert_eq!(count(&designed), 1);
    assert_eq!(
        designed["jobTracks"]["edges"][0]["node"]["title"],
        "Undersköterskor Vänersborg"
    );
    assert_eq!(
        count(
            &app.ok(Some(&wg), query, json!({ "f": { "escalated": false } }))
                .await
        ),
        2
    );
    assert_eq!(
        count(
            &app.ok(Some(&wg), query, json!({ "f": { "escalated": true } }))
                .await
        ),
        0
    );
    assert_bad_input(
        &app.gql(
            Some(&wg),
            query,
            json!({ "f": { "designTeamMember": global_id("Employer", world.welding) } }),
        )
        .await,
        "filter.designTeamMember",
    );
    assert_eq!(
        count(
            &app.ok(
                Some(&wg),
                query,
                json!({ "f": { "agreementId": global_id("Agreement", world.dalsland) } })
            )
            .await
        ),
        0
    );
    let coordinator = app.login(COORDINATOR).await;
    assert_eq!(
        count(&app.ok(Some(&coordinator), query, json!({})).await),
        2
    );
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    assert_eq!(
        count(&app.ok(Some(&dalsland), query, json!({})).await),
        0,
        "another agreement's tracks"
    );
    // Employers see their own non-DRAFT tracks only.
    let employer = app.login(EMPLOYER).await;
    let own = app.ok(Some(&employer), query, json!({})).await;
    assert_eq!(
        own["jobTracks"]["edges"],
        json!([{ "node": { "title": "Svetsare Trollhättan", "status": "RECRUITING" } }])
    );
    let care = app.login(OTHER_EMPLOYER).await;
    assert_eq!(
        count(&app.ok(Some(&care), query, json!({})).await),
        0,
        "the care company's track is a DRAFT"
    );
    let employer_tracks = app
        .ok(
            Some(&employer),
            "{ viewer { employer { jobTracks { totalCount } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        employer_tracks["viewer"]["employer"]["jobTracks"]["totalCount"],
        1
    );
    app.stop().await;
}
