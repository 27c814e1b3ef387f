//! The daily edits staff need: an employer's register data and contact persons, a
//! competence need (filled by hand, or by a track that completes).

use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::tracks::{self, NewTrack};
use jobtrack_api::domain::values::{Gender, JobTrackStatus};
use jobtrack_entity::email_outbox;
use jobtrack_tests::fixtures::{
    self, ADVISER, CASEWORKER, DALSLAND_CASEWORKER, EMPLOYER, OTHER_EMPLOYER, Stage, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id, id_of};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

const UPDATE: &str = "mutation($input: UpdateEmployerInput!) { updateEmployer(input: $input) {
    employer { name orgNumber size industry { sniCode } contactPersons { name email } } } }";

#[tokio::test]
async fn a_corrected_contact_person_gets_the_next_trial_notice() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 5).await;
    let welding = global_id("Employer", world.welding);
    let adviser = app.login(ADVISER).await;
    let per = json!({ "employerId": welding, "contactPersons": [{ "name": "Per Svets", "email": "per@svets.example.com" }] });
    let updated = app
        .ok(Some(&adviser), UPDATE, json!({ "input": per }))
        .await;
    assert_eq!(
        updated["updateEmployer"]["employer"]["contactPersons"],
        json!([{ "name": "Per Svets", "email": "per@svets.example.com" }])
    );
    for (who, code) in [
        (EMPLOYER, "FORBIDDEN"),
        (OTHER_EMPLOYER, "FORBIDDEN"),
        (CASEWORKER, "FORBIDDEN"),
        (DALSLAND_CASEWORKER, "FORBIDDEN"),
    ] {
        let token = app.login(who).await;
        assert_error(
            &app.gql(Some(&token), UPDATE, json!({ "input": per })).await,
            code,
        );
    }
    assert_bad_input(
        &app.gql(Some(&adviser), UPDATE, json!({ "input": { "employerId": welding, "contactPersons": [{ "name": "X", "email": "not an address" }] } }))
            .await,
        "contactPersons.email",
    );
    assert_bad_input(
        &app.gql(
            Some(&adviser),
            UPDATE,
            json!({ "input": { "employerId": welding, "sniCode": "99.999" } }),
        )
        .await,
        "sniCode",
    );
    let first = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    fixtures::application_at(&app, &world, track, first, Stage::TrialScheduled).await;

    // The contact person changes; the name and SNI code are corrected too.
    let eva = json!({ "employerId": welding, "name": "Trollhättans Svets & Smide AB", "sniCode": "25.620",
        "contactPersons": [{ "name": "Eva Smide", "email": "eva@svets.example.com" }] });
    let updated = app
        .ok(Some(&adviser), UPDATE, json!({ "input": eva }))
        .await;
    let employer = &updated["updateEmployer"]["employer"];
    assert_eq!(employer["name"], "Trollhättans Svets & Smide AB");
    assert_eq!(employer["industry"]["sniCode"], "25.620");
    assert_eq!(
        employer["contactPersons"][0]["email"],
        "eva@svets.example.com"
    );
    let second = fixtures::candidate(&app, 2, Gender::Man, true).await;
    fixtures::application_at(&app, &world, track, second, Stage::TrialScheduled).await;
    let notices: Vec<String> = email_outbox::Entity::find()
        .filter(email_outbox::Column::Template.eq("trial_placement"))
        .order_by_asc(email_outbox::Column::Id)
        .all(app.db())
        .await
        .expect("the outbox reads")
        .into_iter()
        .map(|m| m.recipient)
        .collect();
    assert_eq!(notices, ["per@svets.example.com", "eva@svets.example.com"]);
    app.stop().await;
}

#[tokio::test]
async fn a_competence_need_is_edited_and_filled_by_hand_or_by_its_completed_track() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let post = "mutation($t: String!) { postCompetenceNeed(input: {ssykCode: \"7212\", title: $t, positions: 2}) { competenceNeed { id } } }";
    let by_hand = id_of(
        &app.ok(Some(&employer), post, json!({ "t": "Svetsare" }))
            .await["postCompetenceNeed"]["competenceNeed"],
    );
    let update = "mutation($n: ID!, $p: Int, $f: Boolean, $d: String) { updateCompetenceNeed(input: {competenceNeedId: $n, positions: $p, filled: $f, description: $d}) {
        competenceNeed { status positions description } } }";
    let edited = app
        .ok(
            Some(&employer),
            update,
            json!({ "n": by_hand, "p": 3, "d": "MIG/MAG" }),
        )
        .await;
    assert_eq!(
        edited["updateCompetenceNeed"]["competenceNeed"],
        json!({ "status": "OPEN", "positions": 3, "description": "MIG/MAG" })
    );
    assert_bad_input(
        &app.gql(Some(&employer), update, json!({ "n": by_hand, "p": 0 }))
            .await,
        "positions",
    );
    let other = app.login(OTHER_EMPLOYER).await;
    assert_error(
        &app.gql(Some(&other), update, json!({ "n": by_hand, "p": 1 }))
            .await,
        "NOT_FOUND",
    );
    let filled = app
        .ok(Some(&employer), update, json!({ "n": by_hand, "f": true }))
        .await;
    assert_eq!(
        filled["updateCompetenceNeed"]["competenceNeed"]["status"],
        "FILLED"
    );
    assert_error(
        &app.gql(Some(&employer), update, json!({ "n": by_hand, "p": 4 }))
            .await,
        "INVALID_STATE",
    );

    // A track answering a need fills it when it completes with participants.
    let answered = id_of(
        &app.ok(Some(&employer), post, json!({ "t": "Svetsare kull 2" }))
            .await["postCompetenceNeed"]["competenceNeed"],
    );
    let need_id = jobtrack_api::graphql::ids::decode(
        "id",
        "CompetenceNeed",
        &async_graphql::ID(answered.clone()),
    )
    .expect("a need id");
    let db = app.db();
    let wg = fixtures::actor(&app, WORKING_GROUP).await;
    let caseworker = fixtures::actor(&app, CASEWORKER).await;
    let input = NewTrack {
        title: "Svetsare kull 2".into(),
        description: None,
        ssyk_code: "7212".into(),
        agreement_id: world.fyrbodal,
        municipality_codes: vec!["1488".into()],
        employer_ids: vec![world.welding],
        competence_need_ids: vec![need_id],
        seats: 2,
        application_deadline: None,
        start_date: None,
        end_date: None,
        eligibility: None,
        components: vec![fixtures::trial_placement_component()],
        design_team_user_ids: vec![],
    };
    let track = tracks::create_track(db, &wg, input).await.expect("a track");
    let advance = async |status| {
        let current = tracks::visible_track(db, &wg, track.id)
            .await
            .expect("the track");
        tracks::change_status(db, &wg, track.id, current.version, status)
            .await
            .expect("the status changes");
    };
    advance(JobTrackStatus::Recruiting).await;
    let person = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let application = fixtures::passed_trial(&app, &world, track.id, person).await;
    admission::decide(db, &wg, application, None, Decision::Admit, None)
        .await
        .expect("admitted");
    advance(JobTrackStatus::Selection).await;
    advance(JobTrackStatus::Running).await;
    admission::complete(db, &caseworker, application)
        .await
        .expect("completed");
    let status = "query($n: ID!) { node(id: $n) { ... on CompetenceNeed { status } } }";
    assert_ne!(
        app.ok(Some(&employer), status, json!({ "n": answered }))
            .await["node"]["status"],
        "FILLED"
    );
    advance(JobTrackStatus::Completed).await;
    assert_eq!(
        app.ok(Some(&employer), status, json!({ "n": answered }))
            .await["node"]["status"],
        "FILLED"
    );
    app.stop().await;
}
