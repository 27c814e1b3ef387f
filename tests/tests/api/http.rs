//! Health checks, GraphiQL, the body limit and request ids.

use jobtrack_tests::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let health = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(health.status(), 200);
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ready.status(), 200);
    assert!(
        ready.headers().contains_key("x-request-id"),
        "every response carries a request id"
    );
    app.stop().await;
}

#[tokio::test]
async fn graphiql_is_served_on_get() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), 200);
    let body = page.text().await.expect("the response body reads");
    assert!(body.contains("graphiql.min.js"), "GraphiQL page expected");
    app.stop().await;
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_refused() {
    let app = TestApp::spawn().await;
    let padding = "x".repeat(1024 * 1024 + 10);
    let body =
        serde_json::json!({ "query": format!("{{ municipalities {{ code }} }} # {padding}") });
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 413);
    app.stop().await;
}

#[tokio::test]
async fn graceful_stop_lets_the_server_finish() {
    let app = TestApp::spawn().await;
    let base = app.base.clone();
    let client = app.client.clone();
    app.stop().await;
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "stopped server no longer answers"
    );
}
