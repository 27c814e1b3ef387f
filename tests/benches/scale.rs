//! National scale: 2,000 tracks, 50,000 candidates, 200,000 applications and 800,000
//! admission steps (one of each kind per application) on PostgreSQL, seeded by SQL; the release binary (`jobtrack serve`)
//! as its own process; four workloads driven at 1 and 32 concurrent clients for a fixed
//! time, each beside the minimal hand-written SQL for the same data through a pool of
//! the server's size, in alternation. Run with a database the user may create databases
//! from:
//!
//! ```sh
//! cargo build --release -p jobtrack-api
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p jobtrack-tests --bench scale
//! ```
//!
//! `BENCH_SECONDS` sets the time per run (default 8); `JOBTRACK_BIN` other builds of the
//! server to measure on the same data (paths separated by `:`), taking turns with each
//! other, PostGraphile and the SQL on the two reads;
//! `BENCH_WORKLOADS` some of `shortlist,tracks,report,nominate` (default all, for
//! profiling one with `perf record -p <server pid>`). The server's CPU comes from
//! `/proc/<pid>/stat`, its peak RSS from `VmHWM` (reset before the report), statements
//! per request from its `/metrics`.
#![allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::print_stdout,
    reason = "a benchmark: an out-of-bounds index is a failed run, and it prints its table"
)]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jobtrack_tests::PASSWORD;
use jobtrack_tests::fixtures::{self, CASEWORKER, COORDINATOR, WORKING_GROUP};
use jobtrack_tests::{TestApp, global_id, test_config};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

const TRACKS: i64 = 2_000;
/// The most concurrent clients.
const CLIENTS: usize = 32;
/// The slices each read workload's window is cut into, taken by the contenders in turn.
const ROUNDS: u32 = 4;
/// Candidates with applications; as many again … see [`FREE`].
const BUSY: i64 = 30_000;
/// Candidates without applications, for the nominations (half through the server, half
/// through the hand-written SQL).
const FREE: i64 = 20_000;
const APPLICATIONS: i64 = 200_000;
/// One step of each kind (the schema allows one per kind): 800,000 in all.
const STEPS_PER_APPLICATION: i64 = 4;

const SHORTLIST: &str = "query($id: ID!) { node(id: $id) { ... on JobTrack { title
    applications(first: 50) { edges { node { status version
      candidate { firstName lastName gender swedishLevel }
      steps { kind result scheduledAt } } } } } } }";
const SHORTLIST_SQL: &str = "SELECT a.id, a.status, a.version, c.first_name, c.last_name, c.gender, c.swedish_level,
    (SELECT json_agg(json_build_object('kind', s.kind, 'result', s.result, 'scheduled_at', s.scheduled_at) ORDER BY s.id)
     FROM admission_step s WHERE s.application_id = a.id) AS steps
    FROM application a JOIN candidate c ON c.id = a.candidate_id
    WHERE a.job_track_id = $1 ORDER BY a.id LIMIT 50";
/// The same data from PostGraphile v4's schema over the same tables.
const SHORTLIST_PG: &str = "query($id: BigInt!) { jobTrackById(id: $id) { title
    applicationsByJobTrackId(first: 50, orderBy: ID_ASC) { nodes { status version
      candidateByCandidateId { firstName lastName gender swedishLevel }
      admissionStepsByApplicationId(orderBy: ID_ASC) { nodes { kind result scheduledAt } } } } } }";
const TRACK_LIST_PG: &str = "{ allJobTracks(first: 20, orderBy: ID_ASC) { nodes { title status seats
    jobTrackEmployersByJobTrackId { nodes { employerByEmployerId { name } } }
    jobTrackCompetenceNeedsByJobTrackId { nodes { competenceNeedByCompetenceNeedId { title positions } } } } } }";
/// The PostGraphile release compared with (npm).
const POSTGRAPHILE: &str = "postgraphile@4.14.1";
const TRACK_LIST: &str = "{ jobTracks(first: 20) { edges { node { title status seats
    employers { name } competenceNeeds { title positions } } } } }";
const TRACK_LIST_SQL: &str = "SELECT t.id, t.title, t.status, t.seats,
    (SELECT json_agg(e.name) FROM job_track_employer je JOIN employer e ON e.id = je.employer_id WHERE je.job_track_id = t.id),
    (SELECT json_agg(json_build_object('title', n.title, 'positions', n.positions)) FROM job_track_competence_need tn
       JOIN competence_need n ON n.id = tn.competence_need_id WHERE tn.job_track_id = t.id)
    FROM job_track t ORDER BY t.id LIMIT 20";
const REPORT: &str =
    "query($a: ID!) { completionReport(agreementId: $a, from: \"2020-01-01\", to: \"2030-12-31\") {
    started { women men total } completed { women men total } completionRatePercent
    byTrack { jobTrack { title } started { total } completed { total } }
    byMunicipality { municipality { name } started { total } } } }";
const REPORT_SQL: &str = "SELECT a.job_track_id, c.municipality_code, c.gender, a.status, count(*)
    FROM application a JOIN candidate c ON c.id = a.candidate_id JOIN job_track t ON t.id = a.job_track_id
    WHERE t.agreement_id = $1 AND a.started_at >= '2020-01-01' AND a.started_at < '2031-01-01'
    GROUP BY 1, 2, 3, 4";
const NOMINATE: &str =
    "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) {
    application { id status } } }";
const NOMINATE_SQL: &str = "INSERT INTO application (job_track_id, candidate_id, status, version, nominated_at, updated_at)
    VALUES ($1, $2, 'NOMINATED', 1, now(), now()) RETURNING id";

fn main() {
    let seconds = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    jobtrack_tests::on_bench_database(|database_url| async move {
        run(&database_url, Duration::from_secs(seconds)).await;
    });
}

/// Where a run's numbers come from.
struct Target {
    client: reqwest::Client,
    graphql: String,
    /// Jobtrack's `/metrics`; none for PostGraphile.
    metrics: Option<String>,
    pid: u32,
}

impl Target {
    /// The response to a GraphQL request, signed in with `token` unless it is empty.
    async fn graphql(&self, token: &str, query: &str, variables: Value) -> Value {
        let mut request = self.client.post(&self.graphql);
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

async fn run(database_url: &str, window: Duration) {
    // Users, organisations and the agreement through the domain, then the bulk by SQL.
    let app = TestApp::spawn_with(test_config(database_url)).await;
    let world = fixtures::world(&app).await;
    let nominate_track = fixtures::recruiting_track(&app, &world, 500).await;
    let mut sql_tracks = Vec::new();
    let mut own_tracks = Vec::new();
    for _ in 0..8 {
        sql_tracks.push(fixtures::recruiting_track(&app, &world, 500).await);
        own_tracks.push(fixtures::recruiting_track(&app, &world, 500).await);
    }
    let seeded = Instant::now();
    seed(app.db(), world.fyrbodal, world.welding).await;
    let db = app.db().clone();
    for n in 0..CLIENTS {
        // A member of the working group, a coordinator and a caseworker per client, so
        // no one client spends anyone else's cost budget.
        for (role_email, role) in [
            (
                WORKING_GROUP,
                jobtrack_api::domain::values::Role::WorkingGroup,
            ),
            (CASEWORKER, jobtrack_api::domain::values::Role::Caseworker),
        ] {
            let email = format!("{n}-{role_email}");
            let (org, municipalities): (i64, &[&str]) = match role {
                jobtrack_api::domain::values::Role::Caseworker => (world.af, &["1488", "1487"]),
                _ => (world.trollhattan, &[]),
            };
            fixtures::user(&db, &email, &[role], Some(org), None, municipalities).await;
        }
    }
    app.stop().await;
    println!(
        "seeded {TRACKS} tracks, {} candidates, {APPLICATIONS} applications, {} steps in {:.1?}",
        BUSY + FREE,
        APPLICATIONS * STEPS_PER_APPLICATION,
        seeded.elapsed()
    );

    // PostGraphile's client talks plain TCP unless told otherwise; sqlx negotiates TLS
    // with a server that offers it (Debian's does). On loopback all three go plain, so the
    // comparison is of the servers, not of the encryption.
    let database_url = &without_tls(database_url);
    // The same pool size as the server's (db::connect: 20 on PostgreSQL).
    let mut options = sea_orm::ConnectOptions::new(database_url.to_owned());
    options.max_connections(20).sqlx_logging(false);
    let pool = sea_orm::Database::connect(options)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids = Ids {
        shortlist_track: first_id(
            &pool,
            "SELECT min(id) AS id FROM job_track WHERE title LIKE 'Nat %'",
        )
        .await,
        first_free: first_id(
            &pool,
            "SELECT min(id) AS id FROM candidate WHERE first_name LIKE 'Free%'",
        )
        .await,
        first_busy: first_id(
            &pool,
            "SELECT min(id) AS id FROM candidate WHERE first_name LIKE 'Busy%'",
        )
        .await,
        agreement: world.fyrbodal,
        nominate_track,
        sql_tracks,
        own_tracks,
        database_url: database_url.clone(),
        next_free: Arc::new(AtomicU64::new(0)),
        next_sql: Arc::new(AtomicU64::new(0)),
        next_own: Arc::new(AtomicU64::new(0)),
    };
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let postgraphile = start_postgraphile(database_url).await;
    let graphile = postgraphile.as_ref().map(|(child, port)| Target {
        client: client.clone(),
        graphql: format!("http://127.0.0.1:{port}/graphql"),
        metrics: None,
        pid: child.0.id(),
    });
    let mut servers = Vec::new();
    for (n, binary) in binaries().iter().enumerate() {
        println!("build {}: {}", n + 1, binary.display());
        let (process, port) = start_server(binary, database_url);
        let target = Target {
            client: client.clone(),
            graphql: format!("http://127.0.0.1:{port}/graphql"),
            metrics: Some(format!("http://127.0.0.1:{port}/metrics")),
            pid: process.0.id(),
        };
        wait_ready(&target.client, port).await;
        servers.push(Server::signed_in(n + 1, target, process).await);
    }
    measure(&servers, graphile.as_ref(), &pool, &ids, window).await;
    drop(servers);
    println!(
        "\n× sql: Jobtrack's req/s over the hand-written SQL's (one statement per request, same pool size, no HTTP);\n\
         × graphile: over {POSTGRAPHILE}'s (same tables, no auth, no audit; `-` without node);\n\
         per round: the same ratios in each of the {ROUNDS} rounds, lowest to highest (their spread is the noise)"
    );
    drop(postgraphile);
}

/// A child process, stopped when dropped: also when the bench panics, so that no
/// server or PostGraphile outlives it holding the database and the output.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `url` with `sslmode=disable`, unless it names an sslmode.
fn without_tls(url: &str) -> String {
    if url.contains("sslmode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&sslmode=disable")
    } else {
        format!("{url}?sslmode=disable")
    }
}

/// What the workloads name.
struct Ids {
    shortlist_track: i64,
    first_free: i64,
    first_busy: i64,
    agreement: i64,
    nominate_track: i64,
    /// Fresh tracks the hand-written nominations fill, `BUSY` candidates each.
    sql_tracks: Vec<i64>,
    /// The same for the nominations through the server's own code without HTTP.
    own_tracks: Vec<i64>,
    /// Without TLS, as the server and PostGraphile are given it.
    database_url: String,
    next_free: Arc<AtomicU64>,
    next_sql: Arc<AtomicU64>,
    next_own: Arc<AtomicU64>,
}

/// One build of the server, running, with its clients signed in.
struct Server {
    /// Its place in `JOBTRACK_BIN`, from 1.
    build: usize,
    target: Target,
    /// A member of the working group per client, then a caseworker per client.
    working_group: Vec<String>,
    caseworkers: Vec<String>,
    coordinator: String,
    _process: Running,
}

impl Server {
    async fn signed_in(build: usize, target: Target, process: Running) -> Self {
        let mut working_group = Vec::new();
        let mut caseworkers = Vec::new();
        for n in 0..CLIENTS {
            working_group.push(login(&target, &format!("{n}-{WORKING_GROUP}")).await);
            caseworkers.push(login(&target, &format!("{n}-{CASEWORKER}")).await);
        }
        let coordinator = login(&target, COORDINATOR).await;
        Self {
            build,
            target,
            working_group,
            caseworkers,
            coordinator,
            _process: process,
        }
    }
}

/// The four workloads against each build. The two reads alternate, in [`ROUNDS`] slices
/// of the window each, between the builds, PostGraphile and the hand-written SQL (in a
/// rotating order), so that a change in the machine's speed during a run falls on all
/// of them alike; the report and the nominations run for each build in turn.
async fn measure(
    servers: &[Server],
    graphile: Option<&Target>,
    pool: &DatabaseConnection,
    ids: &Ids,
    window: Duration,
) {
    println!(
        "{:<28} {:>5} {:>7} {:>8} {:>8} {:>8} {:>6} {:>10} {:>9} {:>10} {:>10} {:>9} {:>7}",
        "workload",
        "build",
        "clients",
        "req/s",
        "p50 ms",
        "p99 ms",
        "stmts",
        "cpu ms/req",
        "pg ms/req",
        "graphile",
        "× graphile",
        "sql req/s",
        "× sql"
    );
    let reads = [
        Read {
            workload: "shortlist",
            name: "shortlist (50 applications)",
            query: SHORTLIST,
            variables: json!({ "id": global_id("JobTrack", ids.shortlist_track) }),
            graphile: (
                SHORTLIST_PG,
                json!({ "id": ids.shortlist_track.to_string() }),
            ),
            sql: Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                SHORTLIST_SQL,
                [ids.shortlist_track.into()],
            ),
        },
        Read {
            workload: "tracks",
            name: "track list (20 tracks)",
            query: TRACK_LIST,
            variables: json!({}),
            graphile: (TRACK_LIST_PG, json!({})),
            sql: Statement::from_string(sea_orm::DbBackend::Postgres, TRACK_LIST_SQL),
        },
    ];
    for read in &reads {
        for clients in wanted(read.workload) {
            contest(read, clients, servers, graphile, pool, window).await;
        }
    }
    for server in servers {
        report(server, pool, ids, window).await;
    }
    if !wanted("nominate").is_empty() {
        let db = jobtrack_api::db::connect(&ids.database_url)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut users = Vec::new();
        for n in 0..CLIENTS {
            let sql = format!("SELECT id FROM app_user WHERE email = '{n}-{CASEWORKER}'");
            users.push(first_id(&db, &sql).await);
        }
        for server in servers {
            nominate(server, pool, (&db, &users), ids, window).await;
        }
        db.close().await.unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A read every contender serves: the builds as the working group, PostGraphile over
/// the same tables, and the hand-written SQL as one statement.
struct Read {
    /// Its name in `BENCH_WORKLOADS`.
    workload: &'static str,
    name: &'static str,
    query: &'static str,
    variables: Value,
    /// PostGraphile's query and variables.
    graphile: (&'static str, Value),
    sql: Statement,
}

/// `read` at `clients` clients, for every contender in turn, [`ROUNDS`] times.
async fn contest(
    read: &Read,
    clients: usize,
    servers: &[Server],
    graphile: Option<&Target>,
    pool: &DatabaseConnection,
    window: Duration,
) {
    let slice = window / ROUNDS;
    let contenders = servers.len() + usize::from(graphile.is_some()) + 1;
    let mut served: Vec<Vec<Sample>> = servers.iter().map(|_| Vec::new()).collect();
    let mut theirs = Vec::new();
    let mut by_sql = Vec::new();
    for round in 0..ROUNDS as usize {
        for k in 0..contenders {
            let c = (k + round) % contenders;
            if let Some(server) = servers.get(c) {
                let wg = &server.working_group;
                let sample = drive(&server.target, clients, slice, |i| {
                    (wg[i % wg.len()].clone(), read.query, read.variables.clone())
                });
                served[c].push(sample.await);
            } else if let Some(target) = graphile
                && c == servers.len()
            {
                let (query, variables) = &read.graphile;
                let sample = drive(target, clients, slice, |_| {
                    (String::new(), *query, variables.clone())
                });
                theirs.push(sample.await);
            } else {
                by_sql.push(drive_sql(pool, clients, slice, |_| read.sql.clone()).await);
            }
        }
    }
    let graphile_total = graphile.map(|_| Sample::sum(&theirs));
    let sql_total = Sample::sum(&by_sql);
    for (server, samples) in servers.iter().zip(&served) {
        let total = Sample::sum(samples);
        row(
            read.name,
            server.build,
            clients,
            &total,
            graphile_total.as_ref(),
            &sql_total,
        );
        let mut spreads = Vec::new();
        if graphile.is_some() {
            spreads.push(("× graphile", spread(samples, &theirs)));
        }
        spreads.push(("× sql", spread(samples, &by_sql)));
        if server.build > 1 {
            spreads.push(("× build 1", spread(samples, &served[0])));
        }
        let spreads: Vec<String> = spreads
            .into_iter()
            .map(|(name, (low, high))| format!("{name} {low:.2}–{high:.2}"))
            .collect();
        println!("  per round: {}", spreads.join(", "));
    }
    if let Some(g) = graphile_total {
        println!(
            "  PostGraphile: p99 {:.1} ms, its own CPU {:.2} ms/req, PostgreSQL's {:.2} ms/req",
            g.percentile(99).as_secs_f64() * 1000.0,
            g.cpu_ms_per_request(),
            g.database_cpu_ms_per_request()
        );
    }
}

/// The lowest and the highest ratio of `ours` to `theirs` in the same round.
fn spread(ours: &[Sample], theirs: &[Sample]) -> (f64, f64) {
    ours.iter()
        .zip(theirs)
        .map(|(o, t)| o.per_second() / t.per_second())
        .fold((f64::INFINITY, 0.0_f64), |(low, high), r| {
            (low.min(r), high.max(r))
        })
}

async fn report(server: &Server, pool: &DatabaseConnection, ids: &Ids, window: Duration) {
    if wanted("report").is_empty() {
        return;
    }
    let target = &server.target;
    reset_peak_rss(target.pid);
    let rss_before = status_kib(target.pid, "VmRSS:");
    let report_vars = json!({ "a": global_id("Agreement", ids.agreement) });
    let ours = drive(target, 1, window, |_| {
        (server.coordinator.clone(), REPORT, report_vars.clone())
    })
    .await;
    let report_rss = peak_rss_kib(target.pid);
    let by_sql = drive_sql(pool, 1, window, |_| {
        Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            REPORT_SQL,
            [ids.agreement.into()],
        )
    })
    .await;
    row("completion report", server.build, 1, &ours, None, &by_sql);
    println!(
        "  peak RSS of the server during the report: {} MiB ({} MiB when it began)",
        report_rss / 1024,
        rss_before / 1024
    );
}

/// The clients counts to drive `workload` at: none unless `BENCH_WORKLOADS` names it.
fn wanted(workload: &str) -> Vec<usize> {
    let all = std::env::var("BENCH_WORKLOADS").unwrap_or_default();
    if all.is_empty() || all.split(',').any(|w| w.trim() == workload) {
        vec![1, CLIENTS]
    } else {
        Vec::new()
    }
}

/// `nominateCandidate` through `server`, beside the hand-written INSERT and beside its
/// own statements in-process through `own` (the server's pool and the caseworkers' ids).
async fn nominate(
    server: &Server,
    pool: &DatabaseConnection,
    own: (&jobtrack_api::db::Db, &[i64]),
    ids: &Ids,
    window: Duration,
) {
    let caseworkers = &server.caseworkers;
    for clients in wanted("nominate") {
        let ours = drive(&server.target, clients, window, |i| {
            let n = ids.next_free.fetch_add(1, Ordering::Relaxed).cast_signed();
            assert!(n < FREE, "out of free candidates: lower BENCH_SECONDS");
            (
                caseworkers[i % caseworkers.len()].clone(),
                NOMINATE,
                json!({ "t": global_id("JobTrack", ids.nominate_track), "c": global_id("Candidate", ids.first_free + n) }),
            )
        })
        .await;
        let by_sql = drive_sql(pool, clients, window, |_| {
            let n = ids.next_sql.fetch_add(1, Ordering::Relaxed).cast_signed();
            let track = track_for(&ids.sql_tracks, n);
            Statement::from_sql_and_values(
                sea_orm::DbBackend::Postgres,
                NOMINATE_SQL,
                [track.into(), (ids.first_busy + n % BUSY).into()],
            )
        })
        .await;
        row(
            "nominateCandidate",
            server.build,
            clients,
            &ours,
            None,
            &by_sql,
        );
        let own = own_nominations(own.0, own.1, ids, clients, window).await;
        println!(
            "  its own statements in-process (no HTTP, GraphQL or JWT): {own:.1} req/s, × own {:.2}",
            ours.per_second() / own
        );
    }
}

/// The track the `n`th nomination of `BUSY` candidates goes to: each track takes every
/// candidate once.
fn track_for(tracks: &[i64], n: i64) -> i64 {
    tracks
        .get(usize::try_from(n / BUSY).unwrap_or(usize::MAX))
        .copied()
        .unwrap_or_else(|| panic!("out of tracks for the nominations: lower BENCH_SECONDS"))
}

/// `nominateCandidate`'s own statements without HTTP, GraphQL or the JWT, through the
/// server's pool (`db::connect`): the signed-in caseworker loaded as on every request
/// (`auth::load_actor`), then the domain's `nominate` — what the issue calls "its own
/// SQL". Gives requests per second.
async fn own_nominations(
    db: &jobtrack_api::db::Db,
    users: &[i64],
    ids: &Ids,
    clients: usize,
    window: Duration,
) -> f64 {
    let started = Instant::now();
    let loops = (0..clients).map(|c| async move {
        let mut done = 0_u64;
        while started.elapsed() < window {
            let n = ids.next_own.fetch_add(1, Ordering::Relaxed).cast_signed();
            let track = track_for(&ids.own_tracks, n);
            let actor = jobtrack_api::auth::load_actor(db, users[c % users.len()])
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("no caseworker"));
            jobtrack_api::domain::admission::nominate(
                db,
                &actor,
                track,
                ids.first_busy + n % BUSY,
                None,
                None,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            done += 1;
        }
        done
    });
    let done: u64 = futures::future::join_all(loops).await.into_iter().sum();
    done as f64 / started.elapsed().as_secs_f64()
}

/// `JOBTRACK_BIN` (paths separated by `:`), or the release binary beside this bench's.
fn binaries() -> Vec<std::path::PathBuf> {
    if let Some(list) = std::env::var_os("JOBTRACK_BIN") {
        return std::env::split_paths(&list).collect();
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let dir = exe
        .parent()
        .and_then(std::path::Path::parent)
        .unwrap_or_else(|| panic!("no target directory"));
    vec![dir.join("jobtrack")]
}

async fn first_id(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(sea_orm::DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no row: {sql}"));
    row.try_get::<i64>("", "id")
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One timed run against a contender, or several added up.
#[derive(Default)]
struct Sample {
    /// Each request's time, in the order they finished per client.
    times: Vec<Duration>,
    errors: u64,
    elapsed: Duration,
    /// Statements and GraphQL requests the server counted (its `/metrics`; 0 elsewhere).
    statements: f64,
    requests: f64,
    /// The contender's CPU and every `postgres` process's, in clock ticks (1/100 s); 0
    /// for the hand-written SQL.
    cpu: f64,
    database_cpu: f64,
}

impl Sample {
    fn sum(samples: &[Sample]) -> Sample {
        let mut total = Sample::default();
        for s in samples {
            total.times.extend_from_slice(&s.times);
            total.errors += s.errors;
            total.elapsed += s.elapsed;
            total.statements += s.statements;
            total.requests += s.requests;
            total.cpu += s.cpu;
            total.database_cpu += s.database_cpu;
        }
        total
    }

    fn per_second(&self) -> f64 {
        self.times.len() as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The `p`th percentile of the request times.
    fn percentile(&self, p: usize) -> Duration {
        let mut times = self.times.clone();
        times.sort();
        times
            .get(times.len().max(1) * p / 100)
            .copied()
            .unwrap_or_default()
    }

    /// The scrape itself is not a statement-free request: /metrics reads the outbox.
    fn statements_per_request(&self) -> f64 {
        self.statements / self.requests.max(1.0)
    }

    fn cpu_ms_per_request(&self) -> f64 {
        self.cpu * 10.0 / self.times.len().max(1) as f64
    }

    fn database_cpu_ms_per_request(&self) -> f64 {
        self.database_cpu * 10.0 / self.times.len().max(1) as f64
    }
}

fn row(
    name: &str,
    build: usize,
    clients: usize,
    served: &Sample,
    graphile: Option<&Sample>,
    sql: &Sample,
) {
    let (graphile_rate, graphile_ratio) = graphile.map_or(("-".to_owned(), "-".to_owned()), |g| {
        (
            format!("{:.1}", g.per_second()),
            format!("{:.2}", served.per_second() / g.per_second()),
        )
    });
    let errors = served.errors + graphile.map_or(0, |g| g.errors);
    println!(
        "{:<28} {:>5} {:>7} {:>8.1} {:>8.1} {:>8.1} {:>6.1} {:>10.2} {:>9.2} {:>10} {:>10} {:>9.1} {:>7.3}{}",
        name,
        build,
        clients,
        served.per_second(),
        served.percentile(50).as_secs_f64() * 1000.0,
        served.percentile(99).as_secs_f64() * 1000.0,
        served.statements_per_request(),
        served.cpu_ms_per_request(),
        served.database_cpu_ms_per_request(),
        graphile_rate,
        graphile_ratio,
        sql.per_second(),
        served.per_second() / sql.per_second(),
        if errors > 0 {
            format!("  ({errors} errors)")
        } else {
            String::new()
        }
    );
}

/// `clients` loops, each sending the request `make(i)` gives (token, query, variables)
/// until `window` has passed.
async fn drive<F>(target: &Target, clients: usize, window: Duration, make: F) -> Sample
where
    F: Fn(usize) -> (String, &'static str, Value) + Send + Sync,
{
    let statements_before = scrape(target, "jobtrack_db_statements_total").await;
    let requests_before = scrape_requests(target).await;
    let cpu_before = cpu_ticks(target.pid);
    let database_before = database_cpu_ticks();
    let make = &make;
    let started = Instant::now();
    let loops = (0..clients).map(|c| async move {
        let mut times = Vec::new();
        let mut errors = 0_u64;
        let mut i = c;
        while started.elapsed() < window {
            let (token, query, variables) = make(i);
            let at = Instant::now();
            let response = target.graphql(&token, query, variables).await;
            times.push(at.elapsed());
            if let Some(errs) = response.get("errors") {
                if errors == 0 {
                    eprintln!("error: {errs}");
                }
                errors += 1;
            }
            i += clients;
        }
        (times, errors)
    });
    let results = futures::future::join_all(loops).await;
    let elapsed = started.elapsed();
    let cpu = cpu_ticks(target.pid) - cpu_before;
    let database_cpu = database_cpu_since(&database_before);
    let statements = scrape(target, "jobtrack_db_statements_total").await - statements_before;
    let requests = scrape_requests(target).await - requests_before;
    let mut sample = Sample {
        elapsed,
        statements,
        requests,
        cpu,
        database_cpu,
        ..Sample::default()
    };
    for (times, errors) in results {
        sample.times.extend(times);
        sample.errors += errors;
    }
    sample
}

/// Like [`drive`], through `pool` with one statement per request.
async fn drive_sql<F>(
    pool: &DatabaseConnection,
    clients: usize,
    window: Duration,
    make: F,
) -> Sample
where
    F: Fn(usize) -> Statement + Send + Sync,
{
    let make = &make;
    let started = Instant::now();
    let loops = (0..clients).map(|c| async move {
        let mut times = Vec::new();
        let mut i = c;
        while started.elapsed() < window {
            let at = Instant::now();
            let rows = pool
                .query_all_raw(make(i))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            times.push(at.elapsed());
            assert!(!rows.is_empty());
            i += clients;
        }
        times
    });
    let times = futures::future::join_all(loops).await.concat();
    Sample {
        times,
        elapsed: started.elapsed(),
        ..Sample::default()
    }
}

/// A metric's value (summed over its labels) from the server's `/metrics`.
async fn scrape(target: &Target, metric: &str) -> f64 {
    let Some(url) = &target.metrics else {
        return 0.0;
    };
    let text = target
        .client
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .filter(|l| l.starts_with(metric) && !l.starts_with('#'))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn scrape_requests(target: &Target) -> f64 {
    scrape(target, "jobtrack_graphql_requests_total").await
}

/// User plus system CPU of `pid`, in clock ticks (1/100 s).
fn cpu_ticks(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces), counted from `state`.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    field(11) + field(12)
}

/// User plus system CPU of each `postgres` process, in clock ticks, by pid.
fn database_cpu_ticks() -> std::collections::HashMap<u32, f64> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return std::collections::HashMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|pid| (pid, cpu_ticks(pid)))
        .collect()
}

/// The CPU the `postgres` processes spent since `before` (a process that
/// ended in between is not counted for its last part: an underestimate, never negative).
fn database_cpu_since(before: &std::collections::HashMap<u32, f64>) -> f64 {
    database_cpu_ticks()
        .into_iter()
        .map(|(pid, ticks)| ticks - before.get(&pid).copied().unwrap_or(0.0))
        .sum()
}

fn reset_peak_rss(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

fn peak_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM:")
}

/// A `/proc/<pid>/status` field in KiB.
fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// `release` serving `database_url` on a free port.
fn start_server(release: &std::path::Path, database_url: &str) -> (Running, u16) {
    assert!(
        release.exists(),
        "{} is missing: run `cargo build --release -p jobtrack-api` first",
        release.display()
    );
    let port = free_port();
    let child = Command::new(release)
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("JOBTRACK_LISTEN", format!("127.0.0.1:{port}"))
        .env("JWT_SECRET", jobtrack_tests::JWT_SECRET)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    (Running(child), port)
}

/// PostGraphile (pinned, installed with npm beside the build) on the same database, if
/// `node` and `npm` are here.
async fn start_postgraphile(database_url: &str) -> Option<(Running, u16)> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.parent()?.join("postgraphile");
    let bin = dir.join("node_modules/.bin/postgraphile");
    if !bin.exists() {
        std::fs::create_dir_all(&dir).ok()?;
        let installed = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(POSTGRAPHILE)
            .stdout(Stdio::null())
            .status();
        if !installed.is_ok_and(|s| s.success()) {
            eprintln!("no PostGraphile (npm install {POSTGRAPHILE} failed or npm is missing)");
            return None;
        }
    }
    let port = free_port();
    let child = Command::new(&bin)
        .args([
            "--connection",
            database_url,
            "--schema",
            "public",
            "--host",
            "127.0.0.1",
        ])
        .args(["--port", &port.to_string(), "--disable-query-log"])
        .stdout(Stdio::null())
        .spawn()
        .ok()
        .map(Running)?;
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if let Ok(r) = client
            .post(format!("http://127.0.0.1:{port}/graphql"))
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            && r.status().is_success()
        {
            return Some((child, port));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("PostGraphile did not start");
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or_else(|e| panic!("{e}"), |a| a.port())
}

async fn wait_ready(client: &reqwest::Client, port: u16) {
    for _ in 0..200 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

async fn login(target: &Target, email: &str) -> String {
    let response = target
        .graphql(
            "",
            "mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { accessToken } }",
            json!({ "e": email, "p": PASSWORD }),
        )
        .await;
    response["data"]["login"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("login {email}: {response}"))
        .to_owned()
}

/// Tracks with employers, needs and municipalities; candidates with consents and target
/// groups; applications in a mix of states, started over five years; a step of each
/// kind.
async fn seed(db: &impl ConnectionTrait, agreement: i64, employer: i64) {
    let statements = [
        format!(
            "INSERT INTO job_track (title, search_title, ssyk_code, agreement_id, seats, status, version, eligible_programmes,
             eligible_target_groups, requires_driving_licence, created_at, updated_at)
             SELECT 'Nat ' || g, 'nat ' || g, '5321', {agreement}, 20, (ARRAY['RECRUITING','RUNNING','COMPLETED'])[1 + g % 3],
             1, '', '', false, now(), now() FROM generate_series(1, {TRACKS}) g"
        ),
        "INSERT INTO job_track_municipality (job_track_id, municipality_code)
         SELECT id, (ARRAY['1488','1487'])[1 + id % 2] FROM job_track WHERE title LIKE 'Nat %'"
            .to_owned(),
        format!(
            "INSERT INTO job_track_employer (job_track_id, employer_id)
             SELECT id, {employer} FROM job_track WHERE title LIKE 'Nat %'"
        ),
        format!(
            "INSERT INTO competence_need (employer_id, ssyk_code, title, positions, driving_licence, status, created_at, updated_at)
             SELECT {employer}, '5321', 'Behov ' || g, 1 + g % 5, false, 'OPEN', now(), now() FROM generate_series(1, {TRACKS}) g"
        ),
        "INSERT INTO job_track_competence_need (job_track_id, competence_need_id)
         SELECT t.id, n.id FROM (SELECT id, row_number() OVER (ORDER BY id) r FROM job_track WHERE title LIKE 'Nat %') t
         JOIN (SELECT id, row_number() OVER (ORDER BY id) r FROM competence_need WHERE title LIKE 'Behov %') n ON n.r = t.r"
            .to_owned(),
        format!(
            "INSERT INTO candidate (first_name, last_name, search_name, birth_year, gender, municipality_code, education_level,
             swedish_level, driving_licence, programme, created_at, updated_at)
             SELECT CASE WHEN g <= {BUSY} THEN 'Busy' ELSE 'Free' END || g, 'E' || g, 'f' || g, 1970 + g % 40,
             (ARRAY['WOMAN','MAN','OTHER'])[1 + g % 3], (ARRAY['1488','1487'])[1 + g % 2], 'UPPER_SECONDARY',
             'SFI_D', true, 'JOB', now(), now()
             FROM generate_series(1, {BUSY} + {FREE}) g"
        ),
        "INSERT INTO candidate_target_group (candidate_id, target_group)
         SELECT id, 'LONG_TERM_UNEMPLOYED' FROM candidate WHERE first_name LIKE 'Busy%' OR first_name LIKE 'Free%'"
            .to_owned(),
        "INSERT INTO consent (candidate_id, scope, method, given_at, recorded_by, valid_from)
         SELECT c.id, 'COLLABORATION', 'WRITTEN', now(), (SELECT min(id) FROM app_user), now() - interval '1 day'
         FROM candidate c WHERE first_name LIKE 'Busy%' OR first_name LIKE 'Free%'"
            .to_owned(),
        // Candidate g % BUSY on track (g + g / BUSY) % TRACKS: a candidate's applications
        // are on different tracks.
        format!(
            "INSERT INTO application (job_track_id, candidate_id, status, version, nominated_at, started_at, updated_at)
             SELECT t.first + (g + g / {BUSY}) % {TRACKS}, c.first + g % {BUSY},
             (ARRAY['COMPLETED','COMPLETED','COMPLETED','DROPPED_OUT','STARTED','WITHDRAWN','REJECTED'])[1 + g % 7],
             1, now(), now() - (g % 1800) * interval '1 day', now()
             FROM generate_series(0, {APPLICATIONS} - 1) g,
                  (SELECT min(id) AS first FROM job_track WHERE title LIKE 'Nat %') t,
                  (SELECT min(id) AS first FROM candidate WHERE first_name LIKE 'Busy%') c"
        ),
        format!(
            "INSERT INTO admission_step (application_id, kind, result, scheduled_at, created_at)
             SELECT a.id, (ARRAY['INFO_MEETING','APPLICATION','TRIAL_PLACEMENT','DECISION'])[k],
             'PASSED', now() - k * interval '1 day', now()
             FROM application a JOIN job_track t ON t.id = a.job_track_id AND t.title LIKE 'Nat %',
                  generate_series(1, {STEPS_PER_APPLICATION}) k"
        ),
        // Vacuumed as well, so autovacuum does not run (and count as PostgreSQL's CPU) during
        // the first measurements.
        "VACUUM ANALYZE".to_owned(),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("seed: {e}\n{sql}"));
    }
}
