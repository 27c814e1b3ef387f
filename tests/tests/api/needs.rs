//! Competence needs: employers post for themselves, staff for employers they see.

use jobtrack_tests::fixtures::{
    self, ADVISER, CASEWORKER, DALSLAND_CASEWORKER, EMPLOYER, OTHER_EMPLOYER, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id, id_of};
use serde_json::{Value, json};

const POST: &str = "mutation($input: PostCompetenceNeedInput!) {
    postCompetenceNeed(input: $input) { competenceNeed { id title status positions earliestStart
      occupation { ssykCode name } employer { name }
      requirements { drivingLicence minimumSwedishLevel minimumEducation other } } } }";
const WITHDRAW: &str = "mutation($id: ID!) { withdrawCompetenceNeed(input: {competenceNeedId: $id}) { competenceNeed { status } } }";

#[tokio::test]
async fn an_employer_posts_a_need_for_its_own_employer() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let input = json!({ "ssykCode": "7212", "title": "Svetsare", "positions": 3, "earliestStart": "2027-02-01",
        "requirements": { "minimumSwedishLevel": "SFI_D", "drivingLicence": true } });
    let data = app
        .ok(Some(&employer), POST, json!({ "input": input }))
        .await;
    let need = &data["postCompetenceNeed"]["competenceNeed"];
    assert_eq!(need["employer"]["name"], "Trollhättans Svets AB");
    assert_eq!(need["occupation"]["name"], "Svetsare och gasskärare");
    assert_eq!(need["status"], "OPEN");
    assert_eq!(need["earliestStart"], "2027-02-01");
    assert_eq!(
        need["requirements"],
        json!({ "drivingLicence": true, "minimumSwedishLevel": "SFI_D", "minimumEducation": null, "other": null })
    );

    // It shows on the employer and in the list.
    let list = app.ok(Some(&employer), "{ competenceNeeds { totalCount } viewer { employer { competenceNeeds { totalCount edges { node { title } } } } } }", json!({})).await;
    assert_eq!(list["competenceNeeds"]["totalCount"], 1);
    assert_eq!(
        list["viewer"]["employer"]["competenceNeeds"]["edges"][0]["node"]["title"],
        "Svetsare"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_employer_cannot_post_for_another_employer() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let input = json!({ "employerId": global_id("Employer", world.care), "ssykCode": "5321", "title": "Undersköterskor", "positions": 2 });
    assert_error(
        &app.gql(Some(&employer), POST, json!({ "input": input }))
            .await,
        "FORBIDDEN",
    );
    let own = json!({ "employerId": global_id("Employer", world.welding), "ssykCode": "7212", "title": "Svetsare", "positions": 1 });
    app.ok(Some(&employer), POST, json!({ "input": own })).await;
    app.stop().await;
}

#[tokio::test]
async fn needs_are_validated() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let base = json!({ "employerId": global_id("Employer", world.care), "ssykCode": "5321", "title": "Undersköterskor", "positions": 2 });
    app.ok(Some(&adviser), POST, json!({ "input": base })).await;
    let cases: [(&str, Value, &str); 5] = [
        ("ssykCode", json!("0000"), "ssykCode"),
        ("ssykCode", json!("abc"), "ssykCode"),
        ("positions", json!(0), "positions"),
        ("title", json!(""), "title"),
        (
            "employerId",
            json!(global_id("Agreement", world.fyrbodal)),
            "employerId",
        ),
    ];
    for (key, value, field) in cases {
        let mut input = base.clone();
        input[key] = value;
        assert_bad_input(
            &app.gql(Some(&adviser), POST, json!({ "input": input }))
                .await,
            field,
        );
    }
    let mut no_employer = base.clone();
    no_employer.as_object_mut().map(|o| o.remove("employerId"));
    assert_bad_input(
        &app.gql(Some(&adviser), POST, json!({ "input": no_employer }))
            .await,
        "employerId",
    );
    // Caseworkers do not post needs at all.
    let caseworker = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(Some(&caseworker), POST, json!({ "input": base }))
            .await,
        "FORBIDDEN",
    );
    // Staff cannot post for an employer outside their agreements: it is not found.
    let working_group = app.login(WORKING_GROUP).await;
    let mut outside = base;
    outside["employerId"] = json!(global_id("Employer", world.logistics));
    assert_error(
        &app.gql(Some(&working_group), POST, json!({ "input": outside }))
            .await,
        "NOT_FOUND",
    );
    app.stop().await;
}

#[tokio::test]
async fn withdrawing_a_need_happens_once() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let input = json!({ "ssykCode": "7223", "title": "CNC-operatör", "positions": 1 });
    let data = app
        .ok(Some(&employer), POST, json!({ "input": input }))
        .await;
    let id = id_of(&data["postCompetenceNeed"]["competenceNeed"]);
    let other = app.login(OTHER_EMPLOYER).await;
    assert_error(
        &app.gql(Some(&other), WITHDRAW, json!({ "id": id })).await,
        "NOT_FOUND",
    );
    let data = app.ok(Some(&employer), WITHDRAW, json!({ "id": id })).await;
    assert_eq!(
        data["withdrawCompetenceNeed"]["competenceNeed"]["status"],
        "WITHDRAWN"
    );
    assert_error(
        &app.gql(Some(&employer), WITHDRAW, json!({ "id": id }))
            .await,
        "INVALID_STATE",
    );
    let caseworker = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(Some(&caseworker), WITHDRAW, json!({ "id": id }))
            .await,
        "FORBIDDEN",
    );
    app.stop().await;
}

#[tokio::test]
async fn needs_are_filtered_and_scoped() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    for (employer, ssyk, title) in [
        (world.welding, "7212", "Svetsare"),
        (world.care, "5321", "Undersköterskor"),
        (world.logistics, "4322", "Lagerpersonal"),
    ] {
        let input = json!({ "employerId": global_id("Employer", employer), "ssykCode": ssyk, "title": title, "positions": 1 });
        app.ok(Some(&adviser), POST, json!({ "input": input }))
            .await;
    }
    let query = "query($s: [CompetenceNeedStatus!], $c: String) { competenceNeeds(status: $s, ssykCode: $c) { totalCount edges { node { id title } } } }";
    assert_eq!(
        app.ok(Some(&adviser), query, json!({})).await["competenceNeeds"]["totalCount"],
        3
    );
    let welders = app.ok(Some(&adviser), query, json!({ "c": "7212" })).await;
    assert_eq!(
        welders["competenceNeeds"]["edges"][0]["node"]["title"],
        "Svetsare"
    );
    assert_eq!(
        app.ok(Some(&adviser), query, json!({ "s": ["WITHDRAWN"] }))
            .await["competenceNeeds"]["totalCount"],
        0
    );
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    let seen = app.ok(Some(&dalsland), query, json!({})).await;
    assert_eq!(seen["competenceNeeds"]["totalCount"], 1);
    let employer = app.login(OTHER_EMPLOYER).await;
    let own = app.ok(Some(&employer), query, json!({})).await;
    assert_eq!(
        own["competenceNeeds"]["edges"][0]["node"]["title"],
        "Undersköterskor"
    );
    assert_eq!(own["competenceNeeds"]["totalCount"], 1);
    // Another employer's need by id: null, as if it did not exist.
    let welders_need = welders["competenceNeeds"]["edges"][0]["node"]["id"].clone();
    let node = app
        .ok(
            Some(&employer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": welders_need }),
        )
        .await;
    assert_eq!(node["node"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn an_employers_needs_page_in_order_and_filter_by_status() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let mut ids = Vec::new();
    for title in ["Svetsare", "Plåtslagare", "Montör", "Truckförare"] {
        let data = app
            .ok(
                Some(&employer),
                POST,
                json!({ "input": { "ssykCode": "7212", "title": title, "positions": 1 } }),
            )
            .await;
        ids.push(id_of(&data["postCompetenceNeed"]["competenceNeed"]));
    }
    app.ok(Some(&employer), WITHDRAW, json!({ "id": ids[1] }))
        .await;
    let adviser = app.login(ADVISER).await;
    let query = "query($e: ID!, $after: String, $s: [CompetenceNeedStatus!]) { node(id: $e) { ... on Employer {
        competenceNeeds(first: 1, after: $after, status: $s) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } } }";
    let employer_id = global_id("Employer", world.welding);
    let mut seen = Vec::new();
    let mut after = Value::Null;
    for _ in 0..10 {
        let data = app
            .ok(
                Some(&adviser),
                query,
                json!({ "e": employer_id, "after": after }),
            )
            .await;
        let needs = &data["node"]["competenceNeeds"];
        assert_eq!(needs["totalCount"], 4);
        seen.extend(
            needs["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned)),
        );
        if needs["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = needs["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ids, "every need once, oldest first");
    let open = app
        .ok(
            Some(&adviser),
            query,
            json!({ "e": employer_id, "s": ["OPEN"] }),
        )
        .await;
    assert_eq!(open["node"]["competenceNeeds"]["totalCount"], 3);
    assert_eq!(
        open["node"]["competenceNeeds"]["edges"][0]["node"]["id"],
        ids[0].as_str()
    );
    app.stop().await;
}
