//! Organisations and agreements: validation, authorisation and scoping.

use jobtrack_tests::fixtures::{
    self, ADMIN, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_conflict, assert_error, global_id};
use serde_json::json;

const CREATE_ORG: &str = "mutation($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { organization { id name orgNumber kind municipality { code name } } } }";
const CREATE_AGREEMENT: &str = "mutation($input: CreateAgreementInput!) {
    createAgreement(input: $input) { agreement { id name completionTargetPercent escalationThreshold validFrom validUntil
      parties { name } municipalities { code } } } }";

#[tokio::test]
async fn admin_creates_an_organisation_with_a_checked_number() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    let input = json!({ "name": "Åmåls kommun", "orgNumber": "2120001587", "kind": "MUNICIPALITY", "municipalityCode": "1492" });
    let data = app
        .ok(Some(&admin), CREATE_ORG, json!({ "input": input }))
        .await;
    let org = &data["createOrganization"]["organization"];
    assert_eq!(org["orgNumber"], "212000-1587", "stored in canonical form");
    assert_eq!(org["municipality"]["name"], "Åmål");

    // The signed agreement's misprint fails the check digit.
    let misprint = json!({ "name": "Åmåls kommun (tryckfel)", "orgNumber": "222000-1587", "kind": "MUNICIPALITY", "municipalityCode": "1492" });
    let response = app
        .gql(Some(&admin), CREATE_ORG, json!({ "input": misprint }))
        .await;
    assert_bad_input(&response, "orgNumber");
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("check digit")
    );

    let person = json!({ "name": "Någon", "orgNumber": "121212-1212", "kind": "OTHER" });
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_ORG, json!({ "input": person }))
            .await,
        "orgNumber",
    );
    let no_code =
        json!({ "name": "Dals-Eds kommun", "orgNumber": "212000-1413", "kind": "MUNICIPALITY" });
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_ORG, json!({ "input": no_code }))
            .await,
        "municipalityCode",
    );
    let bad_code = json!({ "name": "Dals-Eds kommun", "orgNumber": "212000-1413", "kind": "MUNICIPALITY", "municipalityCode": "9999" });
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_ORG, json!({ "input": bad_code }))
            .await,
        "municipalityCode",
    );
    let duplicate = json!({ "name": "Trollhättans Stad", "orgNumber": "212000-1546", "kind": "MUNICIPALITY", "municipalityCode": "1488" });
    assert_conflict(
        &app.gql(Some(&admin), CREATE_ORG, json!({ "input": duplicate }))
            .await,
        "an organisation with this name and organisationsnummer already exists",
    );
    // Arbetsförmedlingen's local offices share the authority's number.
    let office = json!({ "name": "Arbetsförmedlingen Östra Göteborg", "orgNumber": "202100-2114", "kind": "EMPLOYMENT_SERVICE" });
    app.ok(Some(&admin), CREATE_ORG, json!({ "input": office }))
        .await;
    app.stop().await;
}

#[tokio::test]
async fn only_admin_creates_organisations_and_agreements() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let input = json!({ "name": "Grästorps kommun", "orgNumber": "212000-1595", "kind": "MUNICIPALITY", "municipalityCode": "1444" });
    for email in [COORDINATOR, CASEWORKER, EMPLOYER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(Some(&token), CREATE_ORG, json!({ "input": input }))
                .await,
            "FORBIDDEN",
        );
    }
    let agreement = json!({ "name": "X", "partyIds": [global_id("Organization", world.trollhattan), global_id("Organization", world.af)],
        "municipalityCodes": ["1488"], "validFrom": "2026-01-01", "completionTargetPercent": 90, "escalationThreshold": 10 });
    let coordinator = app.login(COORDINATOR).await;
    assert_error(
        &app.gql(
            Some(&coordinator),
            CREATE_AGREEMENT,
            json!({ "input": agreement }),
        )
        .await,
        "FORBIDDEN",
    );
    app.stop().await;
}

#[tokio::test]
async fn agreements_are_validated_and_created_with_parties_and_municipalities() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    let parties = json!([
        global_id("Organization", world.bengtsfors),
        global_id("Organization", world.af)
    ]);
    let valid = json!({ "name": "Samverkan Bengtsfors", "partyIds": parties, "municipalityCodes": ["1460"],
        "validFrom": "2026-01-01", "validUntil": "2026-12-31", "completionTargetPercent": 80, "escalationThreshold": 10 });
    let data = app
        .ok(Some(&admin), CREATE_AGREEMENT, json!({ "input": valid }))
        .await;
    let agreement = &data["createAgreement"]["agreement"];
    assert_eq!(agreement["completionTargetPercent"], 80);
    assert_eq!(agreement["validUntil"], "2026-12-31");
    assert_eq!(agreement["municipalities"], json!([{ "code": "1460" }]));
    assert_eq!(agreement["parties"].as_array().map(Vec::len), Some(2));

    let mut bad = valid.clone();
    bad["completionTargetPercent"] = json!(120);
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_AGREEMENT, json!({ "input": bad }))
            .await,
        "completionTargetPercent",
    );
    let mut bad = valid.clone();
    bad["validUntil"] = json!("2025-01-01");
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_AGREEMENT, json!({ "input": bad }))
            .await,
        "validUntil",
    );
    let mut bad = valid.clone();
    bad["partyIds"] = json!([
        global_id("Organization", world.bengtsfors),
        global_id("Organization", world.trollhattan)
    ]);
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_AGREEMENT, json!({ "input": bad }))
            .await,
        "partyIds",
    );
    let mut bad = valid.clone();
    bad["partyIds"] = json!([
        global_id("Organization", world.bengtsfors),
        global_id("Employer", world.welding)
    ]);
    assert_bad_input(
        &app.gql(Some(&admin), CREATE_AGREEMENT, json!({ "input": bad }))
            .await,
        "partyIds",
    );
    let mut bad = valid;
    bad["validFrom"] = json!("2026-13-01");
    assert_error(
        &app.gql(Some(&admin), CREATE_AGREEMENT, json!({ "input": bad }))
            .await,
        "BAD_USER_INPUT",
    );
    app.stop().await;
}

#[tokio::test]
async fn staff_see_only_the_agreements_their_organisation_is_party_to() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let names = |data: &serde_json::Value| -> Vec<String> {
        data["agreements"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["name"].as_str().map(str::to_owned))
            .collect()
    };
    let coordinator = app.login(COORDINATOR).await;
    assert_eq!(
        names(
            &app.ok(Some(&coordinator), "{ agreements { name } }", json!({}))
                .await
        ),
        ["Fyrbodal"]
    );
    let af = app.login(CASEWORKER).await;
    assert_eq!(
        names(
            &app.ok(Some(&af), "{ agreements { name } }", json!({}))
                .await
        ),
        ["Dalsland", "Fyrbodal"]
    );
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    assert_eq!(
        names(
            &app.ok(Some(&dalsland), "{ agreements { name } }", json!({}))
                .await
        ),
        ["Dalsland"]
    );
    // Another organisation's agreement is not found, not forbidden.
    let node = app
        .ok(
            Some(&dalsland),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": global_id("Agreement", world.fyrbodal) }),
        )
        .await;
    assert_eq!(node["node"], serde_json::Value::Null);
    let node = app
        .ok(
            Some(&coordinator),
            "query($id: ID!) { node(id: $id) { ... on Agreement { name } } }",
            json!({ "id": global_id("Agreement", world.fyrbodal) }),
        )
        .await;
    assert_eq!(node["node"]["name"], "Fyrbodal");
    let _ = world.dalsland;
    app.stop().await;
}

#[tokio::test]
async fn an_agreement_is_revised_and_keeps_its_history() {
    use jobtrack_entity::agreement_revision;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let agreement = global_id("Agreement", world.fyrbodal);
    // An agreement from before the history began: its first revision keeps what it replaces.
    agreement_revision::Entity::delete_many()
        .filter(agreement_revision::Column::AgreementId.eq(world.fyrbodal))
        .exec(app.db())
        .await
        .expect("the history clears");
    let revise = "mutation($input: UpdateAgreementInput!) { updateAgreement(input: $input) { agreement {
        completionTargetPercent escalationThreshold municipalities { code }
        revisions { revisedOn note completionTargetPercent municipalityCodes recordedBy { email } } } } }";
    let input = json!({ "agreementId": agreement, "revisedOn": "2026-11-20", "note": "Årlig revidering",
        "completionTargetPercent": 80, "municipalityCodes": ["1488", "1487", "1444", "1462"] });
    let coordinator = app.login(fixtures::COORDINATOR).await;
    assert_error(
        &app.gql(Some(&coordinator), revise, json!({ "input": input }))
            .await,
        "FORBIDDEN",
    );
    let admin = app.login(fixtures::ADMIN).await;
    assert_bad_input(
        &app.gql(
            Some(&admin),
            revise,
            json!({ "input": { "agreementId": agreement, "completionTargetPercent": 120 } }),
        )
        .await,
        "completionTargetPercent",
    );
    assert_bad_input(
        &app.gql(
            Some(&admin),
            revise,
            json!({ "input": { "agreementId": agreement, "municipalityCodes": [] } }),
        )
        .await,
        "municipalityCodes",
    );
    let revised = app
        .ok(Some(&admin), revise, json!({ "input": input }))
        .await;
    let seen = &revised["updateAgreement"]["agreement"];
    assert_eq!(seen["completionTargetPercent"], 80);
    assert_eq!(seen["municipalities"].as_array().map(Vec::len), Some(4));
    let revisions = seen["revisions"].as_array().expect("a list");
    assert_eq!(revisions.len(), 2, "{revisions:?}");
    assert_eq!(revisions[0]["revisedOn"], "2026-11-20");
    assert_eq!(revisions[0]["note"], "Årlig revidering");
    assert_eq!(revisions[0]["completionTargetPercent"], 80);
    assert_eq!(revisions[0]["recordedBy"]["email"], fixtures::ADMIN);
    assert_eq!(
        revisions[1]["completionTargetPercent"], 90,
        "what it replaced"
    );
    assert_eq!(revisions[1]["recordedBy"], serde_json::Value::Null);
    assert_eq!(
        revisions[1]["municipalityCodes"].as_array().map(Vec::len),
        Some(2),
        "the municipalities before the revision"
    );
    app.stop().await;
}
