//! What real clients send: GraphiQL in a browser, graphql-js's introspection query,
//! a portal on another origin, GraphQL-over-HTTP's media types and methods, stale and
//! forged tokens, persisted queries, compression and metrics.

use jobtrack_tests::fixtures::{self, ADMIN, CASEWORKER, EMPLOYER};
use jobtrack_tests::{JWT_SECRET, TestApp, assert_error, fresh_database, test_config};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{Value, json};

use jobtrack_api::domain::values::Gender;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const INTROSPECTION: &str = include_str!("introspection.graphql");

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// POSTs `body` as it is, with the given content type and accept headers.
async fn post_raw(
    app: &TestApp,
    content: Option<&str>,
    accept: Option<&str>,
    token: Option<&str>,
    body: String,
) -> reqwest::Response {
    let mut request = app.client.post(format!("{}/graphql", app.base)).body(body);
    if let Some(content) = content {
        request = request.header(CONTENT_TYPE, content);
    }
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap_or_else(|e| panic!("{e}"))
}

/// POSTs `body` as JSON.
async fn post_json(app: &TestApp, body: &Value) -> reqwest::Response {
    post_raw(app, Some("application/json"), None, None, body.to_string()).await
}

async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("the response body reads");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The same query is written the same way every time: each object's keys in alphabetical
/// order, whatever order its fields finished in (a nested list loaded in its own batch
/// finishes after the scalars beside it).
#[tokio::test]
async fn a_response_is_written_in_the_same_order_every_time() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    fixtures::recruiting_track(&app, &world, 3).await;
    let wg = app.login(jobtrack_tests::fixtures::WORKING_GROUP).await;
    let body = json!({ "query": "{ jobTracks(first: 5) { edges { node { title status municipalities { name code } seats } } } }" })
        .to_string();
    let mut texts = Vec::new();
    for _ in 0..5 {
        let response = post_raw(
            &app,
            Some("application/json"),
            None,
            Some(&wg),
            body.clone(),
        )
        .await;
        texts.push(response.text().await.expect("the response body reads"));
    }
    let first = texts.first().cloned().unwrap_or_default();
    assert!(
        texts.iter().all(|text| *text == first),
        "one text: {texts:#?}"
    );
    let at = |key: &str| {
        first
            .find(&format!("\"{key}\""))
            .unwrap_or_else(|| panic!("{key} not in {first}"))
    };
    assert!(
        at("municipalities") < at("seats")
            && at("seats") < at("status")
            && at("status") < at("title"),
        "{first}"
    );
    assert!(at("code") < at("name"), "{first}");
    app.stop().await;
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary_to_browsers() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/graphql", app.base))
        .header(
            ACCEPT,
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK);
    assert!(content_type(&page).starts_with("text/html"));
    let csp = header(&page, "content-security-policy").unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "CSP: {csp}");
    let html = page.text().await.expect("the response body reads");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no address outside this server in {html}"
    );
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/graphiql/"))
        .collect();
    assert_eq!(
        assets.len(),
        6,
        "four scripts and two style sheets: {assets:?}"
    );
    for asset in assets {
        let response = app
            .client
            .get(format!("{}{asset}", app.base))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
        let expected = if asset.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(content_type(&response).starts_with(expected), "{asset}");
        assert!(
            header(&response, "cache-control").is_some_and(|c| c.contains("immutable")),
            "{asset} is cached"
        );
        if asset.ends_with("graphiql.min.js") {
            assert_eq!(
                header(&response, "content-encoding").as_deref(),
                Some("gzip"),
                "the large script is compressed"
            );
        }
    }
    let licence = app
        .client
        .get(format!("{}/graphiql/3.8.3/LICENSE-graphiql.txt", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        licence
            .text()
            .await
            .expect("the response body reads")
            .contains("MIT")
    );
    app.stop().await;
}

#[tokio::test]
async fn graphql_js_introspection_is_answered_and_can_be_turned_off() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    for token in [None, Some(admin.as_str())] {
        let response = app.gql(token, INTROSPECTION, json!({})).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        let types = response["data"]["__schema"]["types"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let date_time = types
            .iter()
            .find(|t| t["name"] == "DateTime")
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            date_time["specifiedByURL"],
            "https://datatracker.ietf.org/doc/html/rfc3339"
        );
        assert!(
            date_time["description"]
                .as_str()
                .is_some_and(|d| d.contains("RFC 3339"))
        );
        assert!(types.iter().any(|t| t["name"] == "JobTrack"));
    }
    // The depth limit still holds for data.
    let deep = "{ viewer { employer { contactOwner { employer { contactOwner { employer { contactOwner { employer {
        contactOwner { employer { contactOwner { employer { contactOwner { name } } } } } } } } } } } } }";
    assert_error(
        &app.gql(Some(&admin), deep, json!({})).await,
        "BAD_USER_INPUT",
    );
    app.stop().await;

    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.introspection = false;
    let app = TestApp::spawn_with(config).await;
    let refused = app.gql(None, INTROSPECTION, json!({})).await;
    assert_eq!(refused["data"]["__schema"], Value::Null, "{refused:#}");
    let typename = app.ok(None, "{ __typename }", json!({})).await;
    assert_eq!(typename["__typename"], "Query");
    app.stop().await;
}

#[tokio::test]
async fn a_portal_on_an_allowed_origin_may_call_and_others_may_not() {
    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.cors_origins = vec!["https://portal.example.se".to_owned()];
    let app = TestApp::spawn_with(config).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let allowed = preflight("https://portal.example.se")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some("https://portal.example.se")
    );
    let methods = header(&allowed, "access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let headers = header(&allowed, "access-control-allow-headers")
        .unwrap_or_default()
        .to_lowercase();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );
    let other = preflight("https://evil.example.com")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(header(&other, "access-control-allow-origin").is_none());

    // The actual request from the allowed origin carries the header too.
    let actual = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("origin", "https://portal.example.se")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        header(&actual, "access-control-allow-origin").as_deref(),
        Some("https://portal.example.se")
    );
    app.stop().await;

    // Without a list: same origin only.
    let app = TestApp::spawn().await;
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
        .header("origin", "https://portal.example.se")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(header(&preflight, "access-control-allow-origin").is_none());
    app.stop().await;

    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.cors_origins = vec!["portal.example.se/path".to_owned()];
    let mail_dir = config.mail_dir.clone();
    let state = jobtrack_api::app::AppState::init(config)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        jobtrack_api::app::start(state, listener).is_err(),
        "a malformed origin stops the server at start"
    );
    let _ = std::fs::remove_dir_all(mail_dir);
}

#[tokio::test]
async fn graphql_over_http_media_types_and_status_codes() {
    let app = TestApp::spawn().await;
    let query = json!({ "query": "{ __typename }" }).to_string();

    // The response type follows Accept.
    for (accept, expected) in [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (Some(GRAPHQL_RESPONSE), GRAPHQL_RESPONSE),
    ] {
        let response = post_raw(&app, Some("application/json"), accept, None, query.clone()).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(content_type(&response).starts_with(expected), "{accept:?}");
        assert_eq!(
            header(&response, "cache-control").as_deref(),
            Some("no-store")
        );
        assert_eq!(json_of(response).await["data"]["__typename"], "Query");
    }
    let nothing = post_raw(
        &app,
        Some("application/json"),
        Some("image/png"),
        None,
        query.clone(),
    )
    .await;
    assert_eq!(nothing.status(), StatusCode::NOT_ACCEPTABLE);

    // Only JSON bodies are executed: a form or text/plain post from any web page is not.
    for content in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json; charset=latin1"),
    ] {
        let response = post_raw(&app, content, None, None, query.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content:?}"
        );
        assert!(content_type(&response).starts_with("application/json"));
        assert_error(&json_of(response).await, "BAD_USER_INPUT");
    }

    // Malformed requests get a GraphQL error body, never Rust debug text.
    for body in [
        "{ \"not a JSON",
        "[{\"query\": \"{ __typename }\"}]",
        "{\"query\": 1}",
        "{\"notquery\": \"{ __typename }\"}",
        "{\"query\": \"{ __typename }\", \"variables\": \"x\"}",
        "{\"query\": \"{ __typename }\", \"extensions\": [1]}",
        "",
    ] {
        let response = post_raw(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            None,
            body.to_owned(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        assert!(content_type(&response).starts_with(GRAPHQL_RESPONSE));
        let json = json_of(response).await;
        assert_error(&json, "BAD_USER_INPUT");
        let text = json.to_string();
        assert!(
            !text.contains("Error(") && !text.contains("Unsupported"),
            "{text}"
        );
    }

    // Documents that cannot run: 400 without data under graphql-response+json, 200
    // under application/json.
    for document in [
        json!({ "query": "{" }),
        json!({ "query": "{ notAField }" }),
        json!({ "query": "query Q($id: ID!) { __typename }", "variables": { "id": null } }),
    ] {
        let strict = post_raw(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            None,
            document.to_string(),
        )
        .await;
        assert_eq!(strict.status(), StatusCode::BAD_REQUEST, "{document}");
        let strict = json_of(strict).await;
        assert!(strict.get("data").is_none(), "{strict}");
        assert_error(&strict, "BAD_USER_INPUT");
        let legacy = post_raw(
            &app,
            Some("application/json"),
            Some("application/json"),
            None,
            document.to_string(),
        )
        .await;
        assert_eq!(legacy.status(), StatusCode::OK, "{document}");
        assert!(json_of(legacy).await.get("data").is_none());
    }

    // GET runs queries for clients that ask for JSON, never mutations.
    let get = |query: &str, accept: &'static str| {
        app.client
            .get(format!("{}/graphql", app.base))
            .query(&[("query", query), ("variables", "{\"n\": \"JobTrack\"}")])
            .header(ACCEPT, accept)
            .send()
    };
    let read = get(
        "query T($n: String!) { __type(name: $n) { name } }",
        "application/json",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(json_of(read).await["data"]["__type"]["name"], "JobTrack");
    // Also when the same text was just run over POST, so its parsed document is kept.
    let logout = "mutation { logout(input: {refreshToken: \"x\"}) { ok } }";
    let posted = post_raw(
        &app,
        Some("application/json"),
        Some(GRAPHQL_RESPONSE),
        None,
        json!({ "query": logout }).to_string(),
    )
    .await;
    assert_eq!(posted.status(), StatusCode::OK);
    assert_eq!(json_of(posted).await["data"]["logout"]["ok"], true);
    let write = get(logout, GRAPHQL_RESPONSE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(write.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&json_of(write).await, "BAD_USER_INPUT");
    app.stop().await;
}

/// An HS256 token with the test secret and the given claims.
fn token(claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_bad_token_is_refused_on_every_field_and_told_apart_from_expiry() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let user = fixtures::actor(&app, CASEWORKER).await.user_id;
    let now = chrono::Utc::now().timestamp();
    let claims = |sub: String, iss: &str, aud: &str, exp: i64| json!({ "sub": sub, "iss": iss, "aud": aud, "iat": now - 60, "exp": exp });
    let expired = token(&claims(
        user.to_string(),
        "jobtrack",
        "jobtrack-api",
        now - 3600,
    ));
    let valid = token(&claims(
        user.to_string(),
        "jobtrack",
        "jobtrack-api",
        now + 600,
    ));
    let mut tampered = valid.clone();
    tampered.replace_range(tampered.len() - 4.., "AAAA");
    let unsigned = {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
            b64.encode(claims(user.to_string(), "jobtrack", "jobtrack-api", now + 600).to_string())
        )
    };
    let invalid = [
        "garbage".to_owned(),
        tampered,
        unsigned,
        token(&claims(
            user.to_string(),
            "someone-else",
            "jobtrack-api",
            now + 600,
        )),
        token(&claims(
            user.to_string(),
            "jobtrack",
            "another-api",
            now + 600,
        )),
    ];

    for bad in &invalid {
        let response = post_raw(
            &app,
            Some("application/json"),
            Some(GRAPHQL_RESPONSE),
            Some(bad),
            json!({ "query": "{ viewer { id } municipalities { code } }" }).to_string(),
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(r#"Bearer error="invalid_token""#)
        );
        let json = json_of(response).await;
        assert_error(&json, "UNAUTHENTICATED");
        assert!(json.get("data").is_none(), "{json}");
        let message = json["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("invalid"), "{message}");
    }
    let expired_response = app
        .gql(Some(&expired), "{ viewer { id } }", json!({}))
        .await;
    assert_error(&expired_response, "UNAUTHENTICATED");
    let message = expired_response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("expired"), "{message}");

    // A client refreshing with its stale token still attached may sign in again.
    let login = app
        .gql(
            Some(&expired),
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }",
            json!({ "e": CASEWORKER, "p": jobtrack_tests::PASSWORD }),
        )
        .await;
    assert!(login.get("errors").is_none(), "{login:#}");

    // The valid token works; no header at all is anonymous.
    let ok = app
        .ok(Some(&valid), "{ viewer { email } }", json!({}))
        .await;
    assert_eq!(ok["viewer"]["email"], CASEWORKER);
    let anonymous = app.ok(None, "{ viewer { id } }", json!({})).await;
    assert_eq!(anonymous["viewer"], Value::Null);

    // A deactivated user's token stops working at once.
    sea_orm::ConnectionTrait::execute_unprepared(
        app.db(),
        &format!("UPDATE app_user SET active = false WHERE id = {user}"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_error(
        &app.gql(Some(&valid), "{ viewer { id } }", json!({})).await,
        "UNAUTHENTICATED",
    );
    app.stop().await;
}

#[tokio::test]
async fn hostile_shapes_are_refused_before_they_run() {
    let app = TestApp::spawn().await;
    let aliases: String = (0..2000)
        .map(|i| format!("a{i}: viewer {{ id }} "))
        .collect();
    let flood = app.gql(None, &format!("{{ {aliases} }}"), json!({})).await;
    assert_error(&flood, "BAD_USER_INPUT");
    assert!(flood.get("data").is_none());
    assert!(
        flood["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("aliases")),
        "{flood}"
    );
    let roots = "viewer { id } ".repeat(150);
    assert_error(
        &app.gql(None, &format!("{{ {roots} }}"), json!({})).await,
        "BAD_USER_INPUT",
    );
    let operations: String = (0..30)
        .map(|i| format!("query Q{i} {{ __typename }} "))
        .collect();
    let many = app.gql(None, &operations, json!({})).await;
    assert!(
        many["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("operations")),
        "{many}"
    );
    let mut bomb = String::from("{ viewer { ...F0 } }\n");
    for i in 0..30 {
        bomb.push_str(&format!(
            "fragment F{i} on User {{ ...F{n} ...F{n} }}\n",
            n = i + 1
        ));
    }
    bomb.push_str("fragment F30 on User { id }\n");
    assert_error(&app.gql(None, &bomb, json!({})).await, "BAD_USER_INPUT");
    app.stop().await;
}

#[tokio::test]
async fn real_register_codes_are_taken() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let adviser = app.login(fixtures::ADVISER).await;
    let create = "mutation($input: CreateEmployerInput!) { createEmployer(input: $input) {
        employer { industry { sniCode name level section { sniCode name } } } } }";
    for (n, (input, stored, level)) in [
        ("25.620", "25.620", 5),
        ("25620", "25.620", 5),
        ("25.62", "25.62", 4),
        ("25.6", "25.6", 3),
        ("25", "25", 2),
        ("c", "C", 1),
        ("01.11", "01.11", 4),
    ]
    .into_iter()
    .enumerate()
    {
        let org_number = fixtures::org_number(700 + u32::try_from(n).unwrap_or_default());
        let data = app
            .ok(
                Some(&adviser),
                create,
                json!({ "input": { "name": format!("Verkstad {n}"), "orgNumber": org_number,
                    "sniCode": input, "municipalityCode": "1488" } }),
            )
            .await;
        let industry = &data["createEmployer"]["employer"]["industry"];
        assert_eq!(industry["sniCode"], stored, "{input}");
        assert_eq!(industry["level"], level, "{input}");
        let section = if input == "01.11" { "A" } else { "C" };
        assert_eq!(industry["section"]["sniCode"], section, "{input}");
    }
    for bad in ["25.111", "2", "04", "X1", "25.620.1"] {
        let response = app
            .gql(
                Some(&adviser),
                create,
                json!({ "input": { "name": "Fel AB", "orgNumber": fixtures::org_number(799),
                    "sniCode": bad, "municipalityCode": "1488" } }),
            )
            .await;
        jobtrack_tests::assert_bad_input(&response, "sniCode");
    }

    let all = app
        .ok(
            None,
            "{ occupations { ssykCode jobtechConceptId } }",
            json!({}),
        )
        .await;
    let all = all["occupations"].as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 429, "every SSYK 2012 unit group");
    assert!(all.iter().any(|o| o["ssykCode"] == "0110"));
    let found = app
        .ok(
            None,
            r#"{ occupations(search: "underskot") { ssykCode name } }"#,
            json!({}),
        )
        .await;
    let codes: Vec<&str> = found["occupations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["ssykCode"].as_str())
        .collect();
    assert!(codes.contains(&"5321"), "{codes:?}");
    let by_prefix = app
        .ok(
            None,
            r#"{ occupations(search: "532") { ssykCode } }"#,
            json!({}),
        )
        .await;
    assert!(by_prefix["occupations"].as_array().is_some_and(|o| {
        o.len() >= 2
            && o.iter()
                .all(|o| o["ssykCode"].as_str().is_some_and(|c| c.starts_with("532")))
    }));
    let industries = app.ok(None, "{ industries { sniCode } }", json!({})).await;
    assert_eq!(
        industries["industries"].as_array().map(Vec::len),
        Some(1817)
    );

    // A need or track may name an occupation from anywhere in SSYK's unit groups.
    let employer = app.login(EMPLOYER).await;
    let need = app
        .ok(
            Some(&employer),
            r#"mutation { postCompetenceNeed(input: {ssykCode: "2611", title: "Jurist", positions: 1,
                requirements: {drivingLicence: null}}) { competenceNeed { occupation { name } requirements { drivingLicence } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        need["postCompetenceNeed"]["competenceNeed"]["requirements"]["drivingLicence"],
        false
    );
    let major_group = app
        .gql(
            Some(&employer),
            r#"mutation { postCompetenceNeed(input: {ssykCode: "261", title: "Jurist", positions: 1}) { competenceNeed { id } } }"#,
            json!({}),
        )
        .await;
    jobtrack_tests::assert_bad_input(&major_group, "ssykCode");
    app.stop().await;
}

#[tokio::test]
async fn audit_events_are_nodes_for_those_who_may_read_them() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let caseworker = app.login(CASEWORKER).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Woman, false).await;
    let read = app
        .ok(
            Some(&caseworker),
            "query($id: ID!) { node(id: $id) { ... on Candidate { personalIdentityNumber(includeFull: null) } } }",
            json!({ "id": jobtrack_tests::global_id("Candidate", candidate) }),
        )
        .await;
    assert!(
        read["node"]["personalIdentityNumber"]
            .as_str()
            .is_some_and(|p| p.ends_with("****")),
        "null means the default (masked): {read}"
    );
    let admin = app.login(ADMIN).await;
    let events = app
        .ok(
            Some(&admin),
            "{ auditEvents(first: 1) { edges { node { id action } } } }",
            json!({}),
        )
        .await;
    let id = events["auditEvents"]["edges"][0]["node"]["id"].clone();
    let as_node = app
        .ok(
            Some(&admin),
            "query($id: ID!) { node(id: $id) { id ... on AuditEvent { action } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(as_node["node"]["id"], id);
    let employer = app.login(EMPLOYER).await;
    let hidden = app
        .ok(
            Some(&employer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(hidden["node"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn persisted_queries_metrics_and_security_headers() {
    let app = TestApp::spawn().await;
    let query = "{ municipalities { code } }";
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(query.as_bytes()))
    };
    let persisted = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let unknown = post_json(&app, &json!({ "extensions": persisted })).await;
    let unknown = json_of(unknown).await;
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(unknown["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    // A text that is not the hash's, and a version other than 1, are refused and kept
    // nowhere.
    for (body, message) in [
        (
            json!({ "query": "{ __typename }", "extensions": persisted }),
            "provided sha does not match query",
        ),
        (
            json!({ "query": query, "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
            "Only the \"PersistedQuery\" extension of version \"1\" is supported, and the current version is \"2\".",
        ),
    ] {
        let refused = post_json(&app, &body).await;
        let refused = json_of(refused).await;
        assert_eq!(refused["errors"][0]["message"], message, "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert!(refused.get("data").is_none(), "{refused}");
    }
    let still_unknown = post_json(&app, &json!({ "extensions": persisted })).await;
    assert_eq!(
        json_of(still_unknown).await["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    let register = post_json(&app, &json!({ "query": query, "extensions": persisted })).await;
    assert!(json_of(register).await["data"]["municipalities"].is_array());
    let by_hash = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("extensions", persisted.to_string())])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(by_hash.status(), StatusCode::OK);
    assert_eq!(
        header(&by_hash, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        header(&by_hash, "referrer-policy").as_deref(),
        Some("no-referrer")
    );
    let by_hash = json_of(by_hash).await;
    assert_eq!(
        by_hash["data"]["municipalities"].as_array().map(Vec::len),
        Some(290)
    );

    // Named operations are counted by name and outcome.
    app.ok(
        None,
        "query Kommuner { municipalities { code } }",
        json!({}),
    )
    .await;
    let _ = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "query Kommuner { municipalities { code } }", "operationName": "Kommuner" }))
        .send()
        .await;
    let metrics = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(metrics.status(), StatusCode::OK);
    assert!(content_type(&metrics).starts_with("text/plain"));
    let text = metrics.text().await.expect("the response body reads");
    for expected in [
        r#"jobtrack_graphql_requests_total{operation="Kommuner",outcome="ok"} 1"#,
        "jobtrack_graphql_request_duration_seconds_bucket",
        r#"jobtrack_db_pool_connections{state="max"}"#,
        r#"jobtrack_outbox_emails{status="pending"} 0"#,
        "jobtrack_db_statements_total",
    ] {
        assert!(text.contains(expected), "{expected} not in\n{text}");
    }
    // How long statements waited for a connection, as sqlx measured it: the requests
    // above took connections, so the histogram has counted some.
    let waits: f64 = text
        .lines()
        .find_map(|line| line.strip_prefix("jobtrack_db_pool_wait_seconds_count "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no jobtrack_db_pool_wait_seconds_count in\n{text}"));
    assert!(waits > 0.0, "{text}");
    let _ = app.gql(
        None,
        "mutation { login(input: {email: \"nobody@example.com\", password: \"wrong-password-1\"}) { accessToken } }",
        json!({}),
    )
    .await;
    let text = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .expect("the response body reads");
    assert!(
        text.contains(r#"jobtrack_logins_total{outcome="failed"} 1"#),
        "{text}"
    );
    app.stop().await;
}
