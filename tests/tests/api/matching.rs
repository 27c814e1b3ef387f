//! Matching, explained: suggested candidates for a recruiting track (with near misses),
//! suggested tracks for a candidate, tracks for an employer's need; who gets them.

use jobtrack_api::domain::candidates::{self, CandidateChanges};
use jobtrack_api::domain::needs::{self, NewNeed, Requirements};
use jobtrack_api::domain::tracks::{self, Eligibility, NewTrack};
use jobtrack_api::domain::values::{
    ConsentScope, Gender, JobTrackStatus, SwedishLevel, TargetGroup,
};
use jobtrack_tests::fixtures::{
    self, ADVISER, CASEWORKER, DALSLAND_CASEWORKER, EMPLOYER, Stage, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, global_id};
use serde_json::{Value, json};

const SUGGESTED: &str = "query($t: ID!, $near: Boolean!, $first: Int, $after: String) { node(id: $t) { ... on JobTrack {
    suggestedCandidates(first: $first, after: $after, includeNearMisses: $near) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { score metRequirements unmetRequirements nearMiss candidate { firstName } } } } } } }";

/// A recruiting welding track in Trollhättan that asks for a driving licence, Swedish at SFI D and one
/// of the target groups long-term unemployed or new arrival.
async fn demanding_track(app: &TestApp, world: &fixtures::World, title: &str) -> i64 {
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    let track = tracks::create_track(
        app.db(),
        &wg,
        NewTrack {
            title: title.into(),
            description: None,
            ssyk_code: "7212".into(),
            agreement_id: world.fyrbodal,
            municipality_codes: vec!["1488".into()],
            employer_ids: vec![world.welding],
            competence_need_ids: vec![],
            seats: 5,
            application_deadline: None,
            start_date: None,
            end_date: None,
            eligibility: Some(Eligibility {
                programmes: vec![],
                target_groups: vec![TargetGroup::LongTermUnemployed, TargetGroup::NewArrival],
                requirements: Requirements {
                    driving_licence: true,
                    minimum_swedish_level: Some(SwedishLevel::SfiD),
                    minimum_education: None,
                    other: None,
                },
            }),
            components: vec![fixtures::trial_placement_component()],
            design_team_user_ids: vec![],
        },
    )
    .await
    .unwrap_or_else(|e| panic!("track: {e}"));
    tracks::change_status(
        app.db(),
        &wg,
        track.id,
        track.version,
        JobTrackStatus::Recruiting,
    )
    .await
    .unwrap_or_else(|e| panic!("recruiting: {e}"))
    .id
}

async fn change(app: &TestApp, candidate: i64, changes: CandidateChanges) {
    let caseworker = fixtures::actor(app, CASEWORKER).await;
    candidates::update(app.db(), &caseworker, candidate, changes)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

fn names(data: &Value) -> Vec<String> {
    data["node"]["suggestedCandidates"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["node"]["candidate"]["firstName"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn suggestions_name_who_fits_and_why_the_others_do_not() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = demanding_track(&app, &world, "Svetsare med körkort").await;
    let other = fixtures::recruiting_track(&app, &world, 3).await;
    // Fixture candidates: Trollhättan, SFI D, driving licence, long-term unemployed.
    let best = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    change(
        &app,
        best,
        CandidateChanges {
            swedish_level: Some(SwedishLevel::Basic),
            target_groups: Some(vec![
                TargetGroup::LongTermUnemployed,
                TargetGroup::NewArrival,
            ]),
            ..CandidateChanges::default()
        },
    )
    .await;
    fixtures::candidate(&app, 2, Gender::Man, true).await;
    let one_short = fixtures::candidate(&app, 3, Gender::Woman, true).await;
    change(
        &app,
        one_short,
        CandidateChanges {
            swedish_level: Some(SwedishLevel::SfiC),
            ..CandidateChanges::default()
        },
    )
    .await;
    let two_short = fixtures::candidate(&app, 4, Gender::Man, true).await;
    change(
        &app,
        two_short,
        CandidateChanges {
            swedish_level: Some(SwedishLevel::SfiC),
            driving_licence: Some(false),
            ..CandidateChanges::default()
        },
    )
    .await;
    let no_consent = fixtures::candidate(&app, 5, Gender::Woman, true).await;
    candidates::withdraw_consent(
        app.db(),
        &fixtures::actor(&app, CASEWORKER).await,
        no_consent,
        ConsentScope::Collaboration,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let in_trial_elsewhere = fixtures::candidate(&app, 6, Gender::Man, true).await;
    fixtures::application_at(
        &app,
        &world,
        other,
        in_trial_elsewhere,
        Stage::TrialScheduled,
    )
    .await;
    let already_in = fixtures::candidate(&app, 7, Gender::Woman, true).await;
    fixtures::application_at(&app, &world, track, already_in, Stage::Nominated).await;
    let elsewhere = fixtures::candidate(&app, 8, Gender::Man, true).await;
    change(
        &app,
        elsewhere,
        CandidateChanges {
            municipality_code: Some("1487".into()),
            ..CandidateChanges::default()
        },
    )
    .await;

    let caseworker = app.login(CASEWORKER).await;
    let vars = |near: bool| json!({ "t": global_id("JobTrack", track), "near": near });
    let strict = app.ok(Some(&caseworker), SUGGESTED, vars(false)).await;
    let list = &strict["node"]["suggestedCandidates"];
    assert_eq!(names(&strict), ["Förnamn1", "Förnamn2"], "{strict}");
    assert_eq!(list["totalCount"], 2);
    assert_eq!(
        list["edges"][0]["node"],
        json!({ "score": 130, "metRequirements": ["targetGroups", "drivingLicence", "swedishLevel"],
            "unmetRequirements": [], "nearMiss": false, "candidate": { "firstName": "Förnamn1" } }),
        "100 + 2 shared target groups × 10 + Swedish above the minimum 10"
    );
    assert_eq!(list["edges"][1]["node"]["score"], 110);
    let near = app.ok(Some(&caseworker), SUGGESTED, vars(true)).await;
    assert_eq!(names(&near), ["Förnamn1", "Förnamn2", "Förnamn3"]);
    assert_eq!(
        near["node"]["suggestedCandidates"]["edges"][2]["node"],
        json!({ "score": 60, "metRequirements": ["targetGroups", "drivingLicence"],
            "unmetRequirements": ["swedishLevel"], "nearMiss": true, "candidate": { "firstName": "Förnamn3" } }),
        "one step short on Swedish: a near miss, two short is not"
    );
    // Pages follow the ranking.
    let first = app
        .ok(
            Some(&caseworker),
            SUGGESTED,
            json!({ "t": global_id("JobTrack", track), "near": true, "first": 2 }),
        )
        .await;
    assert_eq!(names(&first), ["Förnamn1", "Förnamn2"]);
    let info = &first["node"]["suggestedCandidates"]["pageInfo"];
    assert_eq!(info["hasNextPage"], true);
    let rest = app
        .ok(Some(&caseworker), SUGGESTED, json!({ "t": global_id("JobTrack", track), "near": true, "first": 2, "after": info["endCursor"] }))
        .await;
    assert_eq!(names(&rest), ["Förnamn3"]);

    // The reverse: the tracks a candidate fits.
    let tracks_for = "query($c: ID!) { node(id: $c) { ... on Candidate { suggestedTracks { score nearMiss unmetRequirements jobTrack { title } } } } }";
    let for_one_short = app
        .ok(
            Some(&caseworker),
            tracks_for,
            json!({ "c": global_id("Candidate", one_short) }),
        )
        .await;
    assert_eq!(
        for_one_short["node"]["suggestedTracks"],
        json!([{ "score": 100, "nearMiss": false, "unmetRequirements": [], "jobTrack": { "title": "Svetsare Trollhättan" } },
            { "score": 60, "nearMiss": true, "unmetRequirements": ["swedishLevel"], "jobTrack": { "title": "Svetsare med körkort" } }])
    );

    // Employers and advisers get no suggestions; another municipality's caseworker none
    // of these candidates; a track that is not recruiting suggests nobody.
    for email in [EMPLOYER, ADVISER] {
        let token = app.login(email).await;
        let data = app.gql(Some(&token), SUGGESTED, vars(true)).await;
        assert_eq!(
            data["data"]["node"]["suggestedCandidates"],
            Value::Null,
            "{email}: {data}"
        );
    }
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    let data = app.gql(Some(&dalsland), SUGGESTED, vars(true)).await;
    assert_eq!(
        data["data"]["node"],
        Value::Null,
        "not a track of its agreements"
    );
    let wg = app.login(WORKING_GROUP).await;
    let data = app.ok(Some(&wg), SUGGESTED, vars(true)).await;
    assert_eq!(
        names(&data),
        Vec::<String>::new(),
        "the working group reads only candidates already in its agreements' processes"
    );
    let wg_actor = fixtures::actor(&app, WORKING_GROUP).await;
    let current = tracks::visible_track(app.db(), &wg_actor, track)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tracks::change_status(
        app.db(),
        &wg_actor,
        track,
        current.version,
        JobTrackStatus::Selection,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let closed = app.ok(Some(&caseworker), SUGGESTED, vars(true)).await;
    assert_eq!(closed["node"]["suggestedCandidates"]["totalCount"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_need_is_matched_to_tracks_of_the_same_occupation_and_place() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let adviser = fixtures::actor(&app, ADVISER).await;
    let post = |ssyk: &str, employer: i64| NewNeed {
        employer_id: Some(employer),
        ssyk_code: ssyk.into(),
        title: format!("Behov {ssyk}"),
        description: None,
        positions: 2,
        requirements: Requirements::default(),
        earliest_start: None,
    };
    let mut ids = Vec::new();
    for (ssyk, employer) in [
        ("7212", world.welding),
        ("7213", world.welding),
        ("5321", world.welding),
        ("7212", world.care),
    ] {
        ids.push(
            needs::post_need(app.db(), &adviser, post(ssyk, employer))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .id,
        );
    }
    let query =
        "query($n: ID!) { node(id: $n) { ... on CompetenceNeed { matchingTracks { id } } } }";
    let expected = [
        json!([{ "id": global_id("JobTrack", track) }]),
        json!([{ "id": global_id("JobTrack", track) }]),
        json!([]),
        json!([{ "id": global_id("JobTrack", track) }]),
    ];
    let coordinator = app.login(fixtures::COORDINATOR).await;
    for (id, want) in ids.iter().zip(expected) {
        let data = app
            .ok(
                Some(&coordinator),
                query,
                json!({ "n": global_id("CompetenceNeed", *id) }),
            )
            .await;
        assert_eq!(data["node"]["matchingTracks"], want, "need {id}");
    }
    let employer = app.login(EMPLOYER).await;
    let data = app
        .ok(
            Some(&employer),
            query,
            json!({ "n": global_id("CompetenceNeed", ids[0]) }),
        )
        .await;
    assert_eq!(
        data["node"]["matchingTracks"],
        Value::Null,
        "employers never see suggestions"
    );
    app.stop().await;
}

/// One page of suggestions is a fixed number of statements, whatever its size.
#[tokio::test]
async fn a_page_of_suggestions_runs_a_fixed_number_of_statements() {
    let database = jobtrack_tests::fresh_database().await;
    let mut config = jobtrack_tests::test_config(database.url());
    config.send_mail = false;
    let app = TestApp::spawn_with(config).await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    for n in 0..12 {
        fixtures::candidate(&app, 100 + n, Gender::Woman, false).await;
    }
    let caseworker = app.login(CASEWORKER).await;
    let mut per_size = Vec::new();
    for first in [2, 12] {
        let mut counts = Vec::new();
        for _ in 0..5 {
            let before = app.state().statement_count();
            let data = app
                .ok(
                    Some(&caseworker),
                    SUGGESTED,
                    json!({ "t": global_id("JobTrack", track), "near": false, "first": first }),
                )
                .await;
            counts.push(app.state().statement_count() - before);
            assert_eq!(names(&data).len(), usize::try_from(first).unwrap_or(0));
        }
        per_size.push(counts.into_iter().min().unwrap_or(u64::MAX));
    }
    assert_eq!(
        per_size[0], per_size[1],
        "statements must not grow with the page: {per_size:?}"
    );
    app.stop().await;
}
