//! Sign-in: login, tokens, refresh rotation and reuse, logout, throttling.

use chrono::{Duration, Utc};
use jobtrack_tests::fixtures::{self, EMPLOYER};
use jobtrack_tests::{JWT_SECRET, PASSWORD, TestApp, assert_bad_input, assert_error};
use serde_json::{Value, json};

const LOGIN: &str = "mutation($email: String!, $password: String!) {
    login(input: {email: $email, password: $password}) { accessToken refreshToken expiresAt user { email roles } } }";
const REFRESH: &str = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken refreshToken } }";

async fn login(app: &TestApp, email: &str, password: &str) -> Value {
    app.gql(None, LOGIN, json!({ "email": email, "password": password }))
        .await
}

#[tokio::test]
async fn login_returns_tokens_and_viewer_reads_roles_from_the_database() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let response = login(&app, EMPLOYER, PASSWORD).await;
    let payload = &response["data"]["login"];
    assert_eq!(payload["user"]["roles"], json!(["EMPLOYER"]));
    let expires = payload["expiresAt"].as_str().unwrap_or_default();
    let expires = chrono::DateTime::parse_from_rfc3339(expires).unwrap_or_else(|e| panic!("{e}"));
    let minutes = (expires.with_timezone(&Utc) - Utc::now()).num_minutes();
    assert!(
        (14..=15).contains(&minutes),
        "access token lives 15 minutes, got {minutes}"
    );

    let token = payload["accessToken"].as_str().unwrap_or_default();
    let data = app
        .ok(
            Some(token),
            "{ viewer { email roles employer { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["viewer"]["email"], EMPLOYER);
    assert_eq!(data["viewer"]["employer"]["name"], "Trollhättans Svets AB");
    app.stop().await;
}

#[tokio::test]
async fn wrong_email_and_wrong_password_fail_alike() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let wrong_password = login(&app, EMPLOYER, "not-the-password").await;
    let wrong_email = login(&app, "nobody@example.com", PASSWORD).await;
    assert_error(&wrong_password, "UNAUTHENTICATED");
    assert_error(&wrong_email, "UNAUTHENTICATED");
    assert_eq!(
        wrong_password["errors"][0]["message"],
        wrong_email["errors"][0]["message"]
    );
    app.stop().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    for _ in 0..5 {
        assert_error(
            &login(&app, EMPLOYER, "wrong-password-1").await,
            "UNAUTHENTICATED",
        );
    }
    // The sixth failure starts the lock; then even the right password must wait.
    login(&app, EMPLOYER, "wrong-password-1").await;
    let locked = login(&app, EMPLOYER, PASSWORD).await;
    assert_error(&locked, "UNAUTHENTICATED");
    let message = locked["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("too many failed sign-ins"), "{message}");
    app.stop().await;
}

#[tokio::test]
async fn unauthenticated_requests_are_refused() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    for query in [
        "{ employers { totalCount } }",
        "{ agreements { name } }",
        "{ organizations { name } }",
        "{ users { totalCount } }",
        "{ competenceNeeds { totalCount } }",
    ] {
        assert_error(&app.gql(None, query, json!({})).await, "UNAUTHENTICATED");
    }
    let data = app.ok(None, "{ viewer { email } }", json!({})).await;
    assert_eq!(data["viewer"], Value::Null);
    app.stop().await;
}

/// Signs claims with `secret` as a JWT of `alg`.
fn token(
    secret: &str,
    alg: jsonwebtoken::Algorithm,
    sub: &str,
    exp_offset: Duration,
    aud: &str,
) -> String {
    let now = Utc::now();
    let claims = json!({ "sub": sub, "iss": "jobtrack", "aud": aud, "iat": now.timestamp(), "exp": (now + exp_offset).timestamp() });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

#[tokio::test]
async fn forged_expired_and_misdirected_tokens_are_refused() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin_id = "1";
    let hs256 = jsonwebtoken::Algorithm::HS256;
    let forged = token(
        "some-other-secret-of-sufficient-length",
        hs256,
        admin_id,
        Duration::minutes(5),
        "jobtrack-api",
    );
    let expired = token(
        JWT_SECRET,
        hs256,
        admin_id,
        Duration::minutes(-10),
        "jobtrack-api",
    );
    let wrong_audience = token(
        JWT_SECRET,
        hs256,
        admin_id,
        Duration::minutes(5),
        "someone-else",
    );
    let hs512 = token(
        JWT_SECRET,
        jsonwebtoken::Algorithm::HS512,
        admin_id,
        Duration::minutes(5),
        "jobtrack-api",
    );
    let unsigned = {
        let parts: Vec<&str> = forged.split('.').collect();
        use base64::Engine;
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"alg":"none","typ":"JWT"}"#);
        format!("{header}.{}.", parts.get(1).copied().unwrap_or_default())
    };
    for bad in [
        forged,
        expired,
        wrong_audience,
        hs512,
        unsigned,
        "garbage".to_owned(),
    ] {
        let response = app
            .gql(Some(&bad), "{ employers { totalCount } }", json!({}))
            .await;
        assert_error(&response, "UNAUTHENTICATED");
    }
    // A well-formed token for a real user is accepted: the refusals above are about the token.
    let good = token(
        JWT_SECRET,
        hs256,
        admin_id,
        Duration::minutes(5),
        "jobtrack-api",
    );
    app.ok(Some(&good), "{ employers { totalCount } }", json!({}))
        .await;
    app.stop().await;
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let first = login(&app, EMPLOYER, PASSWORD).await["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let rotated = app.ok(None, REFRESH, json!({ "t": first })).await;
    let newest = rotated["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let access = rotated["refreshToken"]["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    // Presenting the used first token again after the grace window is reuse: refused,
    // and the family is revoked, so the newest token of the same sign-in and its access
    // token no longer work either.
    {
        use jobtrack_entity::refresh_token;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        refresh_token::Entity::update_many()
            .col_expr(
                refresh_token::Column::UsedAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::seconds(60)),
            )
            .filter(refresh_token::Column::UsedAt.is_not_null())
            .exec(app.db())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    assert_error(
        &app.gql(None, REFRESH, json!({ "t": first })).await,
        "UNAUTHENTICATED",
    );
    assert_error(
        &app.gql(None, REFRESH, json!({ "t": newest })).await,
        "UNAUTHENTICATED",
    );
    let ended = app
        .gql(Some(&access), "{ viewer { email } }", json!({}))
        .await;
    assert_error(&ended, "UNAUTHENTICATED");
    assert!(
        ended["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("session has ended")),
        "{ended}"
    );
    app.stop().await;
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_keep_the_session() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let first = login(&app, EMPLOYER, PASSWORD).await["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let one = app.ok(None, REFRESH, json!({ "t": first })).await;
    // The second tab sends the same token a moment later: within the grace window it
    // gets a pair of the same session instead of ending it.
    let two = app.ok(None, REFRESH, json!({ "t": first })).await;
    for pair in [&one, &two] {
        let access = pair["refreshToken"]["accessToken"]
            .as_str()
            .unwrap_or_default();
        app.ok(Some(access), "{ viewer { email } }", json!({}))
            .await;
        let next = pair["refreshToken"]["refreshToken"]
            .as_str()
            .unwrap_or_default();
        app.ok(None, REFRESH, json!({ "t": next })).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_refresh_token_can_be_used_once_and_logout_ends_the_session() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let first = login(&app, EMPLOYER, PASSWORD).await["data"]["login"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let rotated = app.ok(None, REFRESH, json!({ "t": first })).await;
    let second = rotated["refreshToken"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(first, second);
    let access = rotated["refreshToken"]["accessToken"]
        .as_str()
        .unwrap_or_default();
    app.ok(Some(access), "{ viewer { email } }", json!({}))
        .await;

    let out = app
        .ok(
            None,
            "mutation($t: String!) { logout(input: {refreshToken: $t}) { ok } }",
            json!({ "t": second }),
        )
        .await;
    assert_eq!(out["logout"]["ok"], true);
    assert_error(
        &app.gql(None, REFRESH, json!({ "t": second })).await,
        "UNAUTHENTICATED",
    );
    // The access token of the ended session stops working at once.
    assert_error(
        &app.gql(Some(access), "{ viewer { email } }", json!({}))
            .await,
        "UNAUTHENTICATED",
    );
    app.stop().await;
}

#[tokio::test]
async fn a_deactivated_user_is_signed_out_at_once_and_can_be_reactivated() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let login = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken } }";
    let signed_in = app
        .ok(
            None,
            login,
            json!({ "e": fixtures::WORKING_GROUP, "p": PASSWORD }),
        )
        .await;
    let access = signed_in["login"]["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let refresh = signed_in["login"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let me = app
        .ok(Some(&access), "{ viewer { id active } }", json!({}))
        .await;
    let member = me["viewer"]["id"].clone();
    let deactivate =
        "mutation($u: ID!) { deactivateUser(input: {userId: $u}) { user { email active } } }";
    let reactivate =
        "mutation($u: ID!) { reactivateUser(input: {userId: $u}) { user { email active } } }";

    // Not someone of another organisation, not the user itself.
    let dalsland = app.login(fixtures::DALSLAND_CASEWORKER).await;
    assert_error(
        &app.gql(Some(&dalsland), deactivate, json!({ "u": member }))
            .await,
        "NOT_FOUND",
    );
    let coordinator = app.login(fixtures::COORDINATOR).await;
    let caseworker = app.login(fixtures::CASEWORKER).await;
    let af_user = app
        .ok(Some(&caseworker), "{ viewer { id } }", json!({}))
        .await["viewer"]["id"]
        .clone();
    assert_error(
        &app.gql(Some(&coordinator), deactivate, json!({ "u": af_user }))
            .await,
        "NOT_FOUND",
    );
    assert_error(
        &app.gql(Some(&access), deactivate, json!({ "u": member }))
            .await,
        "FORBIDDEN",
    );
    let own = app
        .ok(Some(&coordinator), "{ viewer { id } }", json!({}))
        .await["viewer"]["id"]
        .clone();
    assert_bad_input(
        &app.gql(Some(&coordinator), deactivate, json!({ "u": own }))
            .await,
        "userId",
    );
    let done = app
        .ok(Some(&coordinator), deactivate, json!({ "u": member }))
        .await;
    assert_eq!(done["deactivateUser"]["user"]["active"], false);

    // Every sign-in ends at once.
    assert_eq!(
        app.gql(Some(&access), "{ viewer { id } }", json!({})).await["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_error(
        &app.gql(
            None,
            "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }",
            json!({ "t": refresh }),
        )
        .await,
        "UNAUTHENTICATED",
    );
    assert_error(
        &app.gql(
            None,
            login,
            json!({ "e": fixtures::WORKING_GROUP, "p": PASSWORD }),
        )
        .await,
        "UNAUTHENTICATED",
    );
    // Someone invited who never accepted cannot be "reactivated" into an account.
    let organization = app
        .ok(
            Some(&coordinator),
            "{ viewer { organization { id } } }",
            json!({}),
        )
        .await["viewer"]["organization"]["id"]
        .clone();
    let invited = app
        .ok(Some(&coordinator), "mutation($o: ID!) { inviteUser(input: {email: \"ny@trollhattan.example.se\", name: \"Ny Person\", roles: [WORKING_GROUP], organizationId: $o}) { user { id } } }", json!({ "o": organization }))
        .await["inviteUser"]["user"]["id"]
        .clone();
    assert_error(
        &app.gql(Some(&coordinator), reactivate, json!({ "u": invited }))
            .await,
        "INVALID_STATE",
    );
    let back = app
        .ok(Some(&coordinator), reactivate, json!({ "u": member }))
        .await;
    assert_eq!(back["reactivateUser"]["user"]["active"], true);
    app.ok(
        None,
        login,
        json!({ "e": fixtures::WORKING_GROUP, "p": PASSWORD }),
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_single_use_link() {
    use jobtrack_entity::email_outbox;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let request = "mutation($e: String!) { requestPasswordReset(input: {email: $e}) { ok } }";
    let reset = "mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, password: $p}) { accessToken user { email } } }";
    let login = "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken refreshToken } }";
    let links = async || -> Vec<String> {
        email_outbox::Entity::find()
            .filter(email_outbox::Column::Template.eq("password_reset"))
            .order_by_asc(email_outbox::Column::Id)
            .all(app.db())
            .await
            .expect("the outbox reads")
            .into_iter()
            .map(|m| {
                assert_eq!(m.recipient, fixtures::CASEWORKER);
                let at = m.body_text.find("token=").expect("a link") + "token=".len();
                m.body_text[at..]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    };
    // Unknown addresses get the same answer, and nothing is sent.
    for unknown in ["nobody@example.com", "not an address", fixtures::CASEWORKER] {
        let answer = app.ok(None, request, json!({ "e": unknown })).await;
        assert_eq!(answer["requestPasswordReset"]["ok"], true);
    }
    let sent = links().await;
    assert_eq!(sent.len(), 1, "only the known address");
    let before = app
        .ok(
            None,
            login,
            json!({ "e": fixtures::CASEWORKER, "p": PASSWORD }),
        )
        .await;
    let old_refresh = before["login"]["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    assert_bad_input(
        &app.gql(None, reset, json!({ "t": sent[0], "p": "password12" }))
            .await,
        "password",
    );
    let done = app
        .ok(
            None,
            reset,
            json!({ "t": sent[0], "p": "ny-fras-for-svetsaren" }),
        )
        .await;
    assert_eq!(done["resetPassword"]["user"]["email"], fixtures::CASEWORKER);
    assert!(done["resetPassword"]["accessToken"].is_string());
    assert_bad_input(
        &app.gql(
            None,
            reset,
            json!({ "t": sent[0], "p": "en-annan-fras-igen" }),
        )
        .await,
        "token",
    );
    assert_error(
        &app.gql(
            None,
            login,
            json!({ "e": fixtures::CASEWORKER, "p": PASSWORD }),
        )
        .await,
        "UNAUTHENTICATED",
    );
    app.ok(
        None,
        login,
        json!({ "e": fixtures::CASEWORKER, "p": "ny-fras-for-svetsaren" }),
    )
    .await;
    assert_error(
        &app.gql(
            None,
            "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }",
            json!({ "t": old_refresh }),
        )
        .await,
        "UNAUTHENTICATED",
    );
    // At most three links an hour, also for 20 requests at once: the rest send nothing.
    let parallel = (0..20).map(|_| app.ok(None, request, json!({ "e": fixtures::CASEWORKER })));
    futures::future::join_all(parallel).await;
    assert_eq!(links().await.len(), 3);
    app.stop().await;
}
