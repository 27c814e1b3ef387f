//! Hostile queries are refused quickly, and every error carries a code without internals.

use jobtrack_tests::fixtures::{self, ADMIN};
use jobtrack_tests::{TestApp, assert_error};
use serde_json::json;

#[tokio::test]
async fn deep_and_alias_flooded_queries_are_refused() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    let deep = "{ viewer { employer { contactOwner { employer { contactOwner { employer { contactOwner { employer {
        contactOwner { employer { contactOwner { employer { contactOwner { name } } } } } } } } } } } } }";
    let response = app.gql(Some(&admin), deep, json!({})).await;
    assert_error(&response, "BAD_USER_INPUT");
    assert_eq!(
        response["data"],
        serde_json::Value::Null,
        "refused before running"
    );

    let aliases: String = (0..3000)
        .map(|i| format!("a{i}: municipalities {{ code name }} "))
        .collect();
    let flood = app
        .gql(Some(&admin), &format!("{{ {aliases} }}"), json!({}))
        .await;
    assert_error(&flood, "BAD_USER_INPUT");
    app.stop().await;
}

#[tokio::test]
async fn errors_carry_codes_and_no_internals() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    let syntax = app.gql(Some(&admin), "{ employers { ", json!({})).await;
    assert_error(&syntax, "BAD_USER_INPUT");
    let unknown = app.gql(Some(&admin), "{ nothingHere }", json!({})).await;
    assert_error(&unknown, "BAD_USER_INPUT");
    let bad_id = app.gql(Some(&admin), r#"mutation { withdrawCompetenceNeed(input: {competenceNeedId: "???"}) { competenceNeed { id } } }"#, json!({})).await;
    assert_error(&bad_id, "BAD_USER_INPUT");
    let missing = app
        .gql(
            Some(&admin),
            r#"{ node(id: "RW1wbG95ZXI6OTk5OTk") { id } }"#,
            json!({}),
        )
        .await;
    assert_eq!(missing["data"]["node"], serde_json::Value::Null);
    for response in [syntax, unknown, bad_id] {
        let text = response.to_string().to_lowercase();
        for leak in ["sqlx", "sqlite", "postgres", "select ", ".rs:", "panicked"] {
            assert!(!text.contains(leak), "{leak} leaked in {text}");
        }
    }
    app.stop().await;
}
