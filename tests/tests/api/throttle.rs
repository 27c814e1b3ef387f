//! The sign-in throttle: atomic under parallel guesses, per (account, address) pair so
//! a stranger cannot lock a user out, and client addresses from a trusted proxy only.

use jobtrack_tests::fixtures::{self, EMPLOYER};
use jobtrack_tests::{PASSWORD, TestApp, fresh_database, test_config};
use serde_json::{Value, json};

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }";

async fn login_from(app: &TestApp, forwarded_for: Option<&str>, password: &str) -> Value {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": LOGIN, "variables": { "e": EMPLOYER, "p": password } }));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn message(response: &Value) -> &str {
    response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_get_only_the_allowance_checked() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let guesses = (0..100).map(|_| login_from(&app, None, "wrong-password-1"));
    let answers = futures::future::join_all(guesses).await;
    let checked = answers
        .iter()
        .filter(|a| message(a) == "wrong email or password")
        .count();
    let throttled = answers
        .iter()
        .filter(|a| message(a).starts_with("too many failed sign-ins"))
        .count();
    assert_eq!(checked + throttled, 100, "{answers:?}");
    // Five free attempts, and the sixth that starts the first wait.
    assert!(
        checked <= 6,
        "{checked} of 100 parallel guesses were checked"
    );
    assert!(checked >= 5, "the allowance itself is checked: {checked}");
    app.stop().await;
}

#[tokio::test]
async fn a_stranger_cannot_lock_a_user_out_and_cannot_spoof_an_address() {
    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.trusted_proxies = vec!["127.0.0.1".to_owned()];
    let app = TestApp::spawn_with(config).await;
    fixtures::world(&app).await;
    // Behind the trusted proxy, a stranger at one address guesses 20 times.
    for _ in 0..20 {
        login_from(&app, Some("203.0.113.7"), "wrong-password-1").await;
    }
    let stranger = login_from(&app, Some("203.0.113.7"), PASSWORD).await;
    assert!(
        message(&stranger).starts_with("too many failed sign-ins"),
        "{stranger}"
    );
    // The user at another address signs in at once.
    let user = login_from(&app, Some("198.51.100.20, 127.0.0.1"), PASSWORD).await;
    assert!(user["data"]["login"]["accessToken"].is_string(), "{user}");
    app.stop().await;

    // Without a trusted proxy the header is the client's own word and is ignored: a
    // guesser cannot get fresh allowances by inventing addresses.
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    for n in 0..8 {
        login_from(&app, Some(&format!("192.0.2.{n}")), "wrong-password-1").await;
    }
    let spoofed = login_from(&app, Some("192.0.2.200"), "wrong-password-1").await;
    assert!(
        message(&spoofed).starts_with("too many failed sign-ins"),
        "{spoofed}"
    );
    app.stop().await;
}

/// Each user spends its own cost budget: expensive requests in a row are refused with
/// RATE_LIMITED and a wait, while another user's requests go on.
#[tokio::test]
async fn expensive_requests_spend_a_budget_per_user() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let employer = app.login(EMPLOYER).await;
    let other = app.login(fixtures::CASEWORKER).await;
    let aliases: String = (0..20)
        .map(|i| format!("a{i}: jobTracks(first: 100) {{ edges {{ node {{ id title employers {{ name }} }} }} }} "))
        .collect();
    let expensive = json!({ "query": format!("{{ {aliases} }}") }).to_string();
    let mut limited = None;
    for _ in 0..20 {
        let response = app
            .client
            .post(format!("{}/graphql", app.base))
            .header("content-type", "application/json")
            .header("accept", "application/graphql-response+json")
            .bearer_auth(&employer)
            .body(expensive.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status(), 200);
    }
    let limited = limited.unwrap_or_else(|| panic!("20 expensive requests in a row were all run"));
    let retry_after = limited
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    assert!(retry_after >= 1, "Retry-After: {retry_after}");
    let body: Value = limited.json().await.expect("the response body reads");
    jobtrack_tests::assert_error(&body, "RATE_LIMITED");
    assert!(
        body["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .is_some_and(|s| s >= 1)
    );
    // Another user is not slowed by it.
    app.ok(
        Some(&other),
        "{ jobTracks(first: 20) { totalCount } }",
        json!({}),
    )
    .await;
    app.stop().await;
}
