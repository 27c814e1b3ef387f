//! The database pool: what goes over the wire to PostgreSQL besides the statements, and
//! what a transaction dropped without commit leaves behind (`api/src/db`).

use std::sync::{Arc, Mutex};

use jobtrack_api::domain::values::Gender;
use jobtrack_tests::fixtures::{self, CASEWORKER, WORKING_GROUP};
use jobtrack_tests::{TestApp, fresh_database, global_id, test_config};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Frontend messages of PostgreSQL's protocol seen by [`WireCounter`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Seen {
    /// `Execute` (a statement of the extended protocol) and `Query` (simple protocol).
    statements: u64,
    /// `Sync` with nothing before it since the previous `Sync` or `Query`: a round trip
    /// that runs no statement, which is how sqlx pings a connection.
    pings: u64,
}

/// A loopback TCP proxy in front of PostgreSQL that reads what clients send.
struct WireCounter {
    addr: std::net::SocketAddr,
    seen: Arc<Mutex<Seen>>,
}

impl WireCounter {
    async fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let seen = Arc::new(Mutex::new(Seen::default()));
        let counts = seen.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = TcpStream::connect(&upstream).await.expect("PostgreSQL");
                tokio::spawn(relay(client, server, counts.clone()));
            }
        });
        Self { addr, seen }
    }

    fn take(&self) -> Seen {
        std::mem::take(&mut *self.seen.lock().expect("counts"))
    }
}

async fn relay(client: TcpStream, server: TcpStream, seen: Arc<Mutex<Seen>>) {
    let (mut from_client, mut to_server) = (client.into_split(), server.into_split());
    let back = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut to_server.0, &mut from_client.1).await;
    });
    let mut parser = Frontend::default();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let n = match from_client.0.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        parser.feed(&buffer[..n], &seen);
        if to_server.1.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    back.abort();
}

/// Splits the client's byte stream into messages: first the startup message (length
/// first), then each message as a type byte and a length that counts itself.
#[derive(Default)]
struct Frontend {
    pending: Vec<u8>,
    started: bool,
    since_sync: u64,
}

impl Frontend {
    fn feed(&mut self, bytes: &[u8], seen: &Mutex<Seen>) {
        self.pending.extend_from_slice(bytes);
        loop {
            let header = usize::from(self.started);
            let Some(length) = self
                .pending
                .get(header..header + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
            else {
                return;
            };
            if self.pending.len() < header + length {
                return;
            }
            let kind = self.started.then(|| self.pending[0]);
            self.pending.drain(..header + length);
            self.started = true;
            let mut seen = seen.lock().expect("counts");
            match kind {
                Some(b'E') => {
                    seen.statements += 1;
                    self.since_sync += 1;
                }
                Some(b'Q') => {
                    seen.statements += 1;
                    self.since_sync = 0;
                }
                Some(b'S') => {
                    if self.since_sync == 0 {
                        seen.pings += 1;
                    }
                    self.since_sync = 0;
                }
                _ => self.since_sync += 1,
            }
        }
    }
}

const SHORTLIST: &str = "query($id: ID!) { node(id: $id) { ... on JobTrack { title
    employers { name } competenceNeeds { title } designTeam { name }
    applications(first: 50) { totalCount edges { node { status candidate { firstName consents { scope } } steps { kind } } } } } } }";
const TRACKS: &str = "{ jobTracks(first: 20) { edges { node { title employers { name } competenceNeeds { title } } } } }";
const NOMINATE: &str = "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }";

/// Requests read and write without one ping: sqlx's pool pinged each connection it took
/// back, a round trip per statement outside a transaction (issue 13). PostgreSQL only:
/// on SQLite there is no wire to watch.
#[tokio::test]
async fn requests_send_postgresql_no_pings() {
    let database = fresh_database().await;
    let Some(rest) = database.url().strip_prefix("postgres://") else {
        eprintln!("SQLite: no wire protocol to watch; this test runs with TEST_DATABASE_URL");
        return;
    };
    let (credentials, rest) = rest.split_once('@').unwrap_or(("", rest));
    let (host, name) = rest.split_once('/').expect("host/database");
    let wire = WireCounter::start(host.to_owned()).await;
    let at = if credentials.is_empty() {
        String::new()
    } else {
        format!("{credentials}@")
    };
    // Without TLS, so that the proxy can read the protocol.
    let mut config = test_config(&format!(
        "postgres://{at}{}/{name}?sslmode=disable",
        wire.addr
    ));
    config.send_mail = false;
    config.consent_sweep = None;
    let app = TestApp::spawn_with(config).await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 50).await;
    let caseworker = app.login(CASEWORKER).await;
    let working_group = app.login(WORKING_GROUP).await;
    let vars =
        |c: i64| json!({ "t": global_id("JobTrack", track), "c": global_id("Candidate", c) });
    let mut candidates = Vec::new();
    for n in 0..12 {
        let candidate = fixtures::candidate(&app, 800 + n, Gender::Woman, true).await;
        candidates.push(candidate);
        if n < 8 {
            app.ok(Some(&caseworker), NOMINATE, vars(candidate)).await;
        }
    }
    wire.take();

    // Reads, one at a time and eight at once.
    let shortlist = json!({ "id": global_id("JobTrack", track) });
    let data = app
        .ok(Some(&working_group), SHORTLIST, shortlist.clone())
        .await;
    assert_eq!(data["node"]["applications"]["totalCount"], 8);
    app.ok(Some(&working_group), TRACKS, json!({})).await;
    futures::future::join_all(
        (0..8).map(|_| app.ok(Some(&working_group), SHORTLIST, shortlist.clone())),
    )
    .await;
    // Writes: nominations that commit, and one refused inside its transaction (a
    // candidate already nominated), which is rolled back.
    for candidate in &candidates[8..] {
        app.ok(Some(&caseworker), NOMINATE, vars(*candidate)).await;
    }
    let refused = app
        .gql(Some(&caseworker), NOMINATE, vars(candidates[0]))
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "CONFLICT");
    app.ok(Some(&working_group), SHORTLIST, shortlist).await;

    // The rollback runs in a task of its own; let it land before counting.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let seen = wire.take();
    assert!(
        seen.statements >= 50,
        "the proxy sees the requests' statements: {seen:?}"
    );
    assert_eq!(seen.pings, 0, "{seen:?}");
    app.stop().await;
    drop(database);
}

/// The column `value` of the one row `sql` returns.
async fn value<T: sea_orm::TryGetable>(db: &impl ConnectionTrait, sql: &str) -> Option<T> {
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let row = db.query_one_raw(statement).await.expect("query");
    row.and_then(|r| r.try_get::<T>("", "value").ok())
}

/// A transaction dropped without commit (an error, a cancelled request) is rolled back:
/// its writes are gone, its locks released, and its connection is not handed out still
/// inside it, where the next transaction's COMMIT would commit its writes too.
#[tokio::test]
async fn a_dropped_transaction_is_rolled_back_and_leaves_nothing_open() {
    // No outbox worker or consent sweep: their transactions would run on the pooled
    // connections too, and could hide one left inside a transaction by committing it.
    let app = TestApp::spawn_configured(|config| {
        config.send_mail = false;
        config.consent_sweep = None;
    })
    .await;
    let world = fixtures::world(&app).await;
    let mut tracks = Vec::new();
    for _ in 0..3 {
        tracks.push(fixtures::recruiting_track(&app, &world, 5).await);
    }
    let db = app.db();
    let backend = db.get_database_backend();
    let lock = |id: i64| match backend {
        DbBackend::Postgres => format!("SELECT id FROM job_track WHERE id = {id} FOR UPDATE"),
        _ => format!("UPDATE job_track SET seats = seats WHERE id = {id}"),
    };
    // Three open at once on PostgreSQL (each on a connection of its own), one after
    // another on SQLite (one writer at a time), each dropped holding its lock.
    let rounds = if backend == DbBackend::Postgres { 1 } else { 3 };
    for round in 0..rounds {
        let mut open = Vec::new();
        for track in tracks.iter().skip(round).take(3 / rounds) {
            let tx = db.begin_write().await.expect("begin");
            tx.execute_unprepared(&lock(*track)).await.expect("lock");
            tx.execute_unprepared(&format!(
                "UPDATE job_track SET title = 'dropped' WHERE id = {track}"
            ))
            .await
            .expect("write");
            open.push(tx);
        }
        drop(open);
    }
    if backend == DbBackend::Postgres {
        // PostgreSQL soon has no session of this database idle inside a transaction (the
        // rollbacks run in tasks of their own)...
        let stuck = "SELECT count(*) AS value FROM pg_stat_activity \
                     WHERE datname = current_database() AND state LIKE 'idle in transaction%'";
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let n = value::<i64>(db, stuck).await;
            if n == Some(0) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{n:?} sessions left inside a dropped transaction"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        // ...and no pooled connection is handed out inside one.
        for _ in 0..20 {
            let free = "SELECT txid_current_if_assigned() IS NULL AS value";
            assert_eq!(value::<bool>(db, free).await, Some(true));
        }
    }
    // Each of these would wait for the lock of a transaction left open.
    for n in 0..20 {
        let tx = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            let tx = db.begin_write().await.expect("begin");
            tx.execute_unprepared(&lock(tracks[n % 3]))
                .await
                .expect("lock");
            tx
        })
        .await
        .unwrap_or_else(|_| panic!("lock {n} still held by a dropped transaction"));
        tx.commit().await.expect("commit");
    }
    let dropped = "SELECT count(*) AS value FROM job_track WHERE title = 'dropped'";
    assert_eq!(
        value::<i64>(db, dropped).await,
        Some(0),
        "a dropped transaction's write was committed"
    );
    app.stop().await;
}
