//! The test app is the real app: each test starts the real server on a free loopback
//! port against a fresh database (a new SQLite file, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set) and talks GraphQL over HTTP.

pub mod fixtures;
pub mod smtp;

use jobtrack_api::app::{self, AppState, Server};
use jobtrack_api::config::Config;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-signing";
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub base: String,
    pub server: Server,
    pub client: reqwest::Client,
    pub database_url: String,
}

/// A database URL for one test: a SQLite file in the temp dir, or a new PostgreSQL
/// database created next to `TEST_DATABASE_URL`.
pub async fn fresh_database() -> String {
    let name = format!("jobtrack_test_{}", uuid::Uuid::new_v4().simple());
    match std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let admin = Database::connect(&url)
                .await
                .unwrap_or_else(|e| panic!("connect {url}: {e}"));
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap_or_else(|e| panic!("create database: {e}"));
            let _ = admin.close().await;
            let (base, _) = url.rsplit_once('/').unwrap_or((&url, ""));
            format!("{base}/{name}")
        }
        None => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

pub fn test_config(database_url: &str) -> Config {
    let mut config = Config::from_lookup(|_| None);
    config.database_url = database_url.to_owned();
    config.listen = "127.0.0.1:0".to_owned();
    config.jwt_secret = Some(JWT_SECRET.to_owned());
    config.mail_dir =
        std::env::temp_dir().join(format!("jobtrack-mail-{}", uuid::Uuid::new_v4().simple()));
    config
}

impl TestApp {
    pub async fn spawn() -> Self {
        let database_url = fresh_database().await;
        Self::spawn_with(test_config(&database_url)).await
    }

    pub async fn spawn_with(config: Config) -> Self {
        let database_url = config.database_url.clone();
        let state = AppState::init(config)
            .await
            .unwrap_or_else(|e| panic!("init: {e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let server = app::start(state, listener).unwrap_or_else(|e| panic!("start: {e}"));
        let base = format!("http://{}", server.addr);
        Self {
            base,
            server,
            client: reqwest::Client::new(),
            database_url,
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.server.state.db
    }

    pub fn state(&self) -> &AppState {
        &self.server.state
    }

    /// POSTs a GraphQL request and returns the whole JSON response.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base))
            .json(&json!({
                "query": query,
                "variables": variables,
            }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request: {e}"));
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("response json: {e}"))
    }

    /// Runs a request that must succeed and returns its `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let response = self.gql(token, query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, email: &str) -> String {
        let data = self
            .ok(
                None,
                "mutation($email: String!, $password: String!) { login(input: {email: $email, password: $password}) { accessToken } }",
                json!({ "email": email, "password": PASSWORD }),
            )
            .await;
        data["login"]["accessToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no error>")
}

/// Asserts that the response failed with `code` (and, for BAD_USER_INPUT, `field`).
pub fn assert_error(response: &Value, code: &str) {
    assert_eq!(error_code(response), code, "response: {response:#}");
}

pub fn assert_bad_input(response: &Value, field: &str) {
    assert_eq!(
        error_code(response),
        "BAD_USER_INPUT",
        "response: {response:#}"
    );
    assert_eq!(
        response["errors"][0]["extensions"]["field"], field,
        "response: {response:#}"
    );
}

pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}

/// The opaque global id of a row, as the API encodes it.
pub fn global_id(type_name: &str, id: i64) -> String {
    jobtrack_api::graphql::ids::encode(type_name, id).0
}
