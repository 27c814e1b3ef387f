//! The test app is the real app: each test starts the real server on a free loopback
//! port against a fresh database (a new SQLite file, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set) and talks GraphQL over HTTP.
#![allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::map_err_ignore,
    reason = "test code: an out-of-bounds index or a lost error is a failed test, not a bug in production"
)]
#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::items_after_statements,
    clippy::assigning_clones,
    clippy::unused_self,
    clippy::case_sensitive_file_extension_comparisons,
    reason = "test code builds hostile documents with format! and keeps imports beside their use"
)]

pub mod fixtures;
pub mod smtp;

use jobtrack_api::app::{self, AppState, Server};
use jobtrack_api::config::Config;
use jobtrack_api::db::Db;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-signing";
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestApp {
    pub base: String,
    pub server: Server,
    pub client: reqwest::Client,
    pub database_url: String,
    /// The app's own database, when `spawn` made it; removed when the app is dropped.
    database: Option<TestDatabase>,
    _mail_dir: RemoveDir,
}

/// Removes a directory the test made when it goes out of scope.
struct RemoveDir(std::path::PathBuf);

impl Drop for RemoveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One test's database: a copy of a migrated template (a SQLite file in the temp dir, or
/// a PostgreSQL database named after `TEST_DATABASE_URL`'s, so a CI run can drop exactly
/// its own). Dropped — file removed, database dropped — when the guard goes out of scope,
/// also when the test panics.
pub struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

impl TestDatabase {
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                // A database a test finished with is emptied and used again (emptying
                // takes ~40 ms, creating one ~550 ms); after a failed test it is dropped.
                let reuse = !std::thread::panicking();
                let (admin_url, url, database) =
                    (admin_url.clone(), self.url.clone(), name.clone());
                let done = std::thread::spawn(move || -> Result<bool, std::io::Error> {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        if reuse && empty(&url).await.is_ok() {
                            return Ok(true);
                        }
                        drop_database(&admin_url, &database)
                            .await
                            .map(|()| false)
                            .map_err(std::io::Error::other)
                    })
                });
                match done.join() {
                    Ok(Ok(true)) => pool().free.push(name.clone()),
                    Ok(Ok(false)) => pool().all.retain(|n| n != name),
                    _ => eprintln!("could not empty or drop test database {name}"),
                }
            }
        }
    }
}

/// The PostgreSQL databases this test process made: all of them, and those free for the
/// next test. A test binary has no exit hook, so the free ones (at most one per test
/// thread) outlive the process: the next run drops them (`drop_stale`), and `.ci/run`
/// drops every database of its run.
#[derive(Default)]
struct Pool {
    admin_url: String,
    all: Vec<String>,
    free: Vec<String>,
}

fn pool() -> std::sync::MutexGuard<'static, Pool> {
    static POOL: std::sync::Mutex<Pool> = std::sync::Mutex::new(Pool {
        admin_url: String::new(),
        all: Vec::new(),
        free: Vec::new(),
    });
    POOL.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Tables whose rows the migrations put there: kept when a database is emptied.
const REFERENCE_TABLES: &str = "'industry', 'occupation', 'municipality', 'seaql_migrations'";

/// Empties a test database back to what the template holds: every row but the reference
/// data deleted, every sequence restarted, no other session left on it.
async fn empty(url: &str) -> Result<(), sea_orm::DbErr> {
    let db = Database::connect(url).await?;
    let emptied = db
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE datname = current_database() AND pid <> pg_backend_pid();
             DO $$ DECLARE r record; BEGIN
               PERFORM set_config('session_replication_role', 'replica', true);
               FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
                   AND tablename NOT IN ({REFERENCE_TABLES}) LOOP
                 EXECUTE format('DELETE FROM %I', r.tablename);
               END LOOP;
               FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
                 EXECUTE format('ALTER SEQUENCE %I RESTART', r.sequencename);
               END LOOP;
             END $$;"
        ))
        .await;
    let _ = db.close().await;
    emptied.map(|_| ())
}

/// Drops the test databases beside `base` whose process has ended (named
/// `{base}_t{pid}_…`), once per process.
async fn drop_stale(admin: &DatabaseConnection, base: &str) {
    static ONCE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    ONCE.get_or_init(|| async {
        let prefix = format!("{base}_t");
        let Ok(rows) = admin
            .query_all_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                format!("SELECT datname FROM pg_database WHERE datname LIKE '{prefix}%'"),
            ))
            .await
        else {
            return;
        };
        for row in rows {
            let Ok(name) = row.try_get::<String>("", "datname") else {
                continue;
            };
            let pid = name
                .strip_prefix(&prefix)
                .and_then(|rest| rest.split_once('_'))
                .and_then(|(pid, _)| pid.parse::<u32>().ok());
            let ended =
                pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
            if ended {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    })
    .await;
}

async fn drop_database(admin_url: &str, name: &str) -> Result<(), sea_orm::DbErr> {
    let admin = Database::connect(admin_url).await?;
    let dropped = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
    let _ = admin.close().await;
    dropped.map(|_| ())
}

/// A name for the migrations this build knows: a template made by another set is never
/// used.
fn migrations_fingerprint() -> String {
    use jobtrack_migration::MigratorTrait;
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    for migration in jobtrack_migration::Migrator::migrations() {
        migration.name().hash(&mut hasher);
    }
    format!("{:08x}", hasher.finish() & 0xffff_ffff)
}

/// Migrates the database at `url`; the error says what failed.
async fn migrate(url: &str) -> Result<(), String> {
    use jobtrack_migration::MigratorTrait;
    let db = jobtrack_api::db::connect(url)
        .await
        .map_err(|e| format!("connect {url}: {e}"))?;
    let migrated = jobtrack_migration::Migrator::up(db.orm(), None).await;
    let _ = db.close().await;
    migrated.map_err(|e| format!("migrate template: {e}"))
}

/// Removes a SQLite database file with its WAL and shared-memory files.
fn remove_sqlite(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.to_path_buf().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// The migrated SQLite template, made once per set of migrations and kept in the temp
/// dir as a cache (made under a temporary name and renamed, so concurrent runs agree).
async fn sqlite_template() -> &'static std::path::Path {
    static TEMPLATE: tokio::sync::OnceCell<std::path::PathBuf> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let path = std::env::temp_dir()
                .join(format!("jobtrack_template_{}.db", migrations_fingerprint()));
            if !path.exists() {
                let building = std::env::temp_dir().join(format!(
                    "jobtrack_template_{}.building.db",
                    uuid::Uuid::new_v4().simple()
                ));
                if let Err(e) = migrate(&format!("sqlite://{}?mode=rwc", building.display())).await
                {
                    // A failed migration leaves nothing behind.
                    remove_sqlite(&building);
                    panic!("{e}");
                }
                std::fs::rename(&building, &path)
                    .unwrap_or_else(|e| panic!("template {}: {e}", path.display()));
                remove_sqlite(&building);
            }
            path
        })
        .await
}

/// The migrated PostgreSQL template beside `TEST_DATABASE_URL`'s database, made once.
async fn postgres_template(admin: &DatabaseConnection, url: &str, base: &str) -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("{base}_tpl_{}", migrations_fingerprint());
            let exists = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    admin.get_database_backend(),
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await
                .unwrap_or_else(|e| panic!("look for the template: {e}"))
                .is_some();
            if !exists {
                let building = format!(
                    "{base}_b_{}",
                    &uuid::Uuid::new_v4().simple().to_string()[..16]
                );
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {building}"))
                    .await
                    .unwrap_or_else(|e| panic!("create template: {e}"));
                let (server, _) = url.rsplit_once('/').unwrap_or((url, ""));
                if let Err(e) = migrate(&format!("{server}/{building}")).await {
                    // A failed migration leaves no half-built template behind.
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {building} WITH (FORCE)"
                        ))
                        .await;
                    panic!("{e}");
                }
                // Another process may have finished first: then ours is not needed.
                if admin
                    .execute_unprepared(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .await
                    .is_err()
                {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS {building} WITH (FORCE)"
                        ))
                        .await;
                }
            }
            name
        })
        .await
}

/// A new PostgreSQL database for tests, copied from the template, known to the pool.
async fn create_postgres(url: &str, base: &str, id: &str) -> String {
    let admin = Database::connect(url)
        .await
        .unwrap_or_else(|e| panic!("connect {url}: {e}"));
    let template = postgres_template(&admin, url, base).await;
    drop_stale(&admin, base).await;
    let name = format!("{base}_t{}_{id}", std::process::id());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    // A test database need not survive a crash of the server: commits need not wait
    // for the disk (consistency and isolation are unchanged).
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {name} SET synchronous_commit = off"
        ))
        .await
        .unwrap_or_else(|e| panic!("configure database: {e}"));
    let _ = admin.close().await;
    let mut pool = pool();
    pool.admin_url = url.to_owned();
    pool.all.push(name.clone());
    name
}

/// A database for one test, already migrated and empty: a copy of the template (on
/// PostgreSQL one emptied after an earlier test of this process, if there is one).
pub async fn fresh_database() -> TestDatabase {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if let Some(url) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let (server, base) = url.rsplit_once('/').unwrap_or((&url, "postgres"));
        let base = base.split('?').next().unwrap_or(base).to_owned();
        let reused = pool().free.pop();
        let name = match reused {
            Some(name) => name,
            None => create_postgres(&url, &base, &id[..16]).await,
        };
        TestDatabase {
            url: format!("{server}/{name}"),
            cleanup: Cleanup::Postgres {
                admin_url: url.clone(),
                name,
            },
        }
    } else {
        let path = std::env::temp_dir().join(format!("jobtrack_test_{id}.db"));
        std::fs::copy(sqlite_template().await, &path)
            .unwrap_or_else(|e| panic!("copy the template: {e}"));
        TestDatabase {
            url: format!("sqlite://{}?mode=rwc", path.display()),
            cleanup: Cleanup::File(path),
        }
    }
}

/// A fresh database holding the demo data (filled by the app, which is then stopped),
/// and a connection of its own to it.
pub async fn demo_database() -> (TestDatabase, Db) {
    let database = fresh_database().await;
    let app = TestApp::spawn_with(test_config(database.url())).await;
    jobtrack_api::demo::fill_if_empty(app.db())
        .await
        .unwrap_or_else(|e| panic!("demo: {e}"));
    app.stop().await;
    let db = jobtrack_api::db::connect(database.url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (database, db)
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
        Self::spawn_configured(|_| {}).await
    }

    /// Starts the app on a fresh database with the test configuration as `configure`
    /// leaves it; the app keeps the database.
    pub async fn spawn_configured(configure: impl FnOnce(&mut Config)) -> Self {
        let database = fresh_database().await;
        let mut config = test_config(database.url());
        configure(&mut config);
        let mut app = Self::spawn_with(config).await;
        app.database = Some(database);
        app
    }

    /// Starts the app on `config`; the caller keeps the database's guard alive.
    pub async fn spawn_with(config: Config) -> Self {
        jobtrack_api::auth::password::use_test_parameters();
        // No log lines; the pool wait metric as in production.
        jobtrack_api::metrics::init_tracing("off");
        let database_url = config.database_url.clone();
        let mail_dir = config.mail_dir.clone();
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
            database: None,
            _mail_dir: RemoveDir(mail_dir),
        }
    }

    pub fn db(&self) -> &Db {
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

    /// Waits (at most `seconds`) until the outbox has settled: see [`outbox_settled`].
    pub async fn outbox_settled(&self, seconds: u64) {
        outbox_settled(self.db(), seconds).await;
    }

    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// Waits (at most `seconds`) until every email in `db`'s outbox is settled: none is
/// PENDING or SENDING, so what has arrived by then is all that ever will.
pub async fn outbox_settled(db: &Db, seconds: u64) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let open = jobtrack_entity::email_outbox::Entity::find()
            .filter(jobtrack_entity::email_outbox::Column::Status.is_in(["PENDING", "SENDING"]))
            .count(db)
            .await
            .unwrap_or_else(|e| panic!("outbox: {e}"));
        if open == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} email(s) still open after {seconds} s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
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

/// Asserts that the response failed with CONFLICT saying `message`: the same words
/// whether the domain's check or the database's unique constraint caught it.
pub fn assert_conflict(response: &Value, message: &str) {
    assert_error(response, "CONFLICT");
    assert_eq!(
        response["errors"][0]["message"], message,
        "response: {response:#}"
    );
}

/// Asserts that the response failed with `code` and a message that says `says`.
pub fn assert_refused(response: &Value, code: &str, says: &str) {
    assert_error(response, code);
    let message = response["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains(says), "expected {says:?} in: {response:#}");
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

/// Runs a benchmark on a new PostgreSQL database made beside `BENCH_DATABASE_URL` (a
/// database the user may create databases from), giving `bench` its URL; drops it
/// afterwards, also when the benchmark panics, unless `BENCH_KEEP_DATABASE` is set (for
/// `tests/benches/instructions.sh`). Without `BENCH_DATABASE_URL` it says so and returns.
pub fn on_bench_database<F, Fut>(bench: F)
where
    F: FnOnce(String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let Some(admin_url) = std::env::var("BENCH_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    else {
        eprintln!("set BENCH_DATABASE_URL to a PostgreSQL URL to run this benchmark");
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(async move {
        let name = format!("jobtrack_bench_{}", uuid::Uuid::new_v4().simple());
        admin_execute(&admin_url, &format!("CREATE DATABASE {name}")).await;
        let (base, _) = admin_url.rsplit_once('/').unwrap_or((&admin_url, ""));
        let ran = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(bench(format!(
            "{base}/{name}"
        ))))
        .await;
        if std::env::var_os("BENCH_KEEP_DATABASE").is_some() {
            eprintln!("kept the bench database: {base}/{name}");
        } else {
            admin_execute(&admin_url, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
        }
        if let Err(panic) = ran {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Runs `sql` on the database at `admin_url`.
async fn admin_execute(admin_url: &str, sql: &str) {
    Database::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
