//! Employers: who may create them, validation, search, scoping, pagination, contact owner.

use jobtrack_api::domain::identifiers::luhn_check_digit;
use jobtrack_tests::fixtures::{
    self, ADMIN, ADVISER, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_conflict, assert_error, global_id};
use serde_json::{Value, json};

const CREATE: &str = "mutation($input: CreateEmployerInput!) {
    createEmployer(input: $input) { employer { id name orgNumber size industry { sniCode name } municipality { code }
      contactPersons { name title email phone } contactOwner { email } } } }";

fn number(first_nine: &str) -> String {
    let digits: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
    format!(
        "{}-{}{}",
        &first_nine[..6],
        &first_nine[6..],
        luhn_check_digit(&digits)
    )
}

#[tokio::test]
async fn advisers_create_employers_with_contact_persons() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let input = json!({ "name": "Grästorps Golv AB", "orgNumber": "5599001112", "sniCode": "43", "municipalityCode": "1487",
        "size": "SMALL", "contactPersons": [{ "name": "Ulla Ek", "title": "VD", "email": "Ulla@Example.com", "phone": "0520-1" }] });
    let input = {
        let mut i = input;
        i["orgNumber"] = json!(number("559900111"));
        i
    };
    let data = app
        .ok(Some(&adviser), CREATE, json!({ "input": input }))
        .await;
    let employer = &data["createEmployer"]["employer"];
    assert_eq!(
        employer["industry"]["name"],
        "Specialiserad bygg- och anläggningsverksamhet"
    );
    assert_eq!(employer["contactPersons"][0]["email"], "ulla@example.com");
    assert_eq!(employer["size"], "SMALL");
    assert_conflict(
        &app.gql(Some(&adviser), CREATE, json!({ "input": input }))
            .await,
        "an employer with this organisationsnummer already exists",
    );
    app.stop().await;
}

#[tokio::test]
async fn employer_creation_is_refused_to_other_roles_and_checked() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let valid = json!({ "name": "Ny Firma AB", "orgNumber": number("559900222"), "municipalityCode": "1488" });
    for email in [CASEWORKER, EMPLOYER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(Some(&token), CREATE, json!({ "input": valid }))
                .await,
            "FORBIDDEN",
        );
    }
    let coordinator = app.login(COORDINATOR).await;
    let mut bad = valid.clone();
    bad["orgNumber"] = json!("559900-2220");
    if bad["orgNumber"] == valid["orgNumber"] {
        bad["orgNumber"] = json!("559900-2221");
    }
    assert_bad_input(
        &app.gql(Some(&coordinator), CREATE, json!({ "input": bad }))
            .await,
        "orgNumber",
    );
    let mut bad = valid.clone();
    bad["municipalityCode"] = json!("1460");
    assert_bad_input(
        &app.gql(Some(&coordinator), CREATE, json!({ "input": bad }))
            .await,
        "municipalityCode",
    );
    let mut bad = valid.clone();
    bad["sniCode"] = json!("99.999");
    assert_bad_input(
        &app.gql(Some(&coordinator), CREATE, json!({ "input": bad }))
            .await,
        "sniCode",
    );
    let mut bad = valid.clone();
    bad["name"] = json!("   ");
    assert_bad_input(
        &app.gql(Some(&coordinator), CREATE, json!({ "input": bad }))
            .await,
        "name",
    );
    // A sole trader is identified by the owner's personnummer, which is then shown masked.
    let mut sole = valid;
    sole["orgNumber"] = json!("19121212-1212");
    sole["size"] = json!("SOLE_TRADER");
    let data = app
        .ok(Some(&coordinator), CREATE, json!({ "input": sole }))
        .await;
    assert_eq!(
        data["createEmployer"]["employer"]["orgNumber"],
        "19121212-****"
    );
    app.stop().await;
}

fn names(data: &Value) -> Vec<String> {
    data["employers"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["name"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn employers_are_scoped_searched_and_filtered() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let query = "query($s: String, $m: String) { employers(search: $s, municipalityCode: $m) { totalCount edges { node { name } } } }";
    let coordinator = app.login(COORDINATOR).await;
    let all = app.ok(Some(&coordinator), query, json!({})).await;
    assert_eq!(
        names(&all),
        ["Trollhättans Svets AB", "Vänersborgs Omsorg AB"],
        "Fyrbodal's municipalities only"
    );
    let af = app.login(CASEWORKER).await;
    assert_eq!(
        app.ok(Some(&af), query, json!({})).await["employers"]["totalCount"],
        3
    );
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    assert_eq!(
        names(&app.ok(Some(&dalsland), query, json!({})).await),
        ["Dalslands Lager AB"]
    );
    let employer = app.login(EMPLOYER).await;
    assert_eq!(
        names(&app.ok(Some(&employer), query, json!({})).await),
        ["Trollhättans Svets AB"]
    );

    let by_name = app.ok(Some(&af), query, json!({ "s": "svets" })).await;
    assert_eq!(names(&by_name), ["Trollhättans Svets AB"]);
    let folded = app
        .ok(Some(&af), query, json!({ "s": "VÄNERSBORGS omsorg" }))
        .await;
    assert_eq!(
        names(&folded),
        ["Vänersborgs Omsorg AB"],
        "å, ä, ö fold on both databases"
    );
    let by_number = app.ok(Some(&af), query, json!({ "s": "556677" })).await;
    assert_eq!(names(&by_number), ["Vänersborgs Omsorg AB"]);
    let by_municipality = app.ok(Some(&af), query, json!({ "m": "1461" })).await;
    assert_eq!(names(&by_municipality), ["Dalslands Lager AB"]);
    let wildcard = app.ok(Some(&af), query, json!({ "s": "%" })).await;
    assert_eq!(
        wildcard["employers"]["totalCount"], 0,
        "LIKE wildcards are matched literally"
    );
    app.stop().await;
}

/// Staff see, besides the employers in their agreements' municipalities, the employers
/// of their agreements' tracks wherever they are (one that moved away), and only those.
#[tokio::test]
async fn staff_see_the_employers_of_their_tracks_outside_their_municipalities() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 5).await;
    let query = "{ employers { edges { node { name } } } }";
    let coordinator = app.login(COORDINATOR).await;
    let employer = app.login(EMPLOYER).await;
    assert_eq!(
        names(&app.ok(Some(&coordinator), query, json!({})).await),
        ["Trollhättans Svets AB", "Vänersborgs Omsorg AB"]
    );
    // The logistics firm in Mellerud (Dalsland) becomes an employer of a Fyrbodal track.
    app.db()
        .execute_unprepared(&format!(
            "INSERT INTO job_track_employer (job_track_id, employer_id) VALUES ({track}, {})",
            world.logistics
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(&app.ok(Some(&coordinator), query, json!({})).await),
        [
            "Trollhättans Svets AB",
            "Vänersborgs Omsorg AB",
            "Dalslands Lager AB"
        ]
    );
    assert_eq!(
        names(&app.ok(Some(&employer), query, json!({})).await),
        ["Trollhättans Svets AB"],
        "an employer user still sees only its own"
    );
    app.stop().await;
}

#[tokio::test]
async fn paging_to_the_end_returns_every_employer_once() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    for i in 0..23 {
        fixtures::employer(
            app.db(),
            &world.admin,
            &format!("Firma {i:02} AB"),
            &number(&format!("5590{i:05}")),
            "1488",
        )
        .await;
    }
    let admin = app.login(ADMIN).await;
    let query = "query($after: String) { employers(first: 7, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let data = app.ok(Some(&admin), query, json!({ "after": after })).await;
        let connection = &data["employers"];
        assert_eq!(connection["totalCount"], 26);
        assert_eq!(connection["pageInfo"]["hasPreviousPage"], pages > 0);
        for edge in connection["edges"].as_array().into_iter().flatten() {
            seen.push(edge["node"]["id"].as_str().unwrap_or_default().to_owned());
        }
        pages += 1;
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(pages, 4);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        (seen.len(), unique.len()),
        (26, 26),
        "no duplicates, nothing missing"
    );

    let too_many = app
        .gql(
            Some(&admin),
            "{ employers(first: 101) { totalCount } }",
            json!({}),
        )
        .await;
    assert_bad_input(&too_many, "first");
    let bad_cursor = app
        .gql(
            Some(&admin),
            r#"{ employers(after: "nonsense") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_bad_input(&bad_cursor, "after");
    app.stop().await;
}

#[tokio::test]
async fn contact_owner_is_a_staff_user() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let set = "mutation($e: ID!, $u: ID) { setContactOwner(input: {employerId: $e, userId: $u}) { employer { contactOwner { email } } } }";
    let users = app
        .ok(
            Some(&app.login(ADMIN).await),
            "{ users(first: 100) { edges { node { id email } } } }",
            json!({}),
        )
        .await;
    let id_of = |email: &str| {
        users["users"]["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["node"]["email"] == email)
            .map(|e| e["node"]["id"].clone())
            .unwrap_or_default()
    };
    let employer = global_id("Employer", world.welding);
    let wg = app.login(WORKING_GROUP).await;
    let data = app
        .ok(
            Some(&wg),
            set,
            json!({ "e": employer, "u": id_of(ADVISER) }),
        )
        .await;
    assert_eq!(
        data["setContactOwner"]["employer"]["contactOwner"]["email"],
        ADVISER
    );
    assert_bad_input(
        &app.gql(
            Some(&wg),
            set,
            json!({ "e": employer, "u": id_of(EMPLOYER) }),
        )
        .await,
        "userId",
    );
    let data = app
        .ok(Some(&wg), set, json!({ "e": employer, "u": null }))
        .await;
    assert_eq!(
        data["setContactOwner"]["employer"]["contactOwner"],
        Value::Null
    );
    let caseworker = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(
            Some(&caseworker),
            set,
            json!({ "e": employer, "u": id_of(ADVISER) }),
        )
        .await,
        "FORBIDDEN",
    );
    // An employer outside the viewer's agreements does not exist for it.
    let logistics = global_id("Employer", world.logistics);
    assert_error(
        &app.gql(
            Some(&wg),
            set,
            json!({ "e": logistics, "u": id_of(ADVISER) }),
        )
        .await,
        "NOT_FOUND",
    );
    app.stop().await;
}

#[tokio::test]
async fn users_are_listed_within_the_viewers_organisation() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let query = "query($r: Role) { users(role: $r) { totalCount edges { node { email roles organization { name } municipalities { code } } } } }";
    let admin = app.login(ADMIN).await;
    assert_eq!(
        app.ok(Some(&admin), query, json!({})).await["users"]["totalCount"],
        9
    );
    let caseworkers = app
        .ok(Some(&admin), query, json!({ "r": "CASEWORKER" }))
        .await;
    assert_eq!(caseworkers["users"]["totalCount"], 2);
    let coordinator = app.login(COORDINATOR).await;
    let own = app.ok(Some(&coordinator), query, json!({})).await;
    assert_eq!(
        own["users"]["totalCount"], 2,
        "coordinator and working group of Trollhättans Stad"
    );
    assert!(
        own["users"]["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| e["node"]["organization"]["name"] == "Trollhättans Stad")
    );
    let employer = app.login(EMPLOYER).await;
    assert_error(
        &app.gql(Some(&employer), query, json!({})).await,
        "FORBIDDEN",
    );
    app.stop().await;
}
