//! `GET /metrics` in Prometheus' text format: GraphQL requests and their latency by
//! operation and outcome, sign-ins (throttled ones too), SQL statements and their time,
//! how long statements waited for a pooled connection, and, read when scraped, the
//! database pool and the email outbox. One registry per server, so that several servers
//! in one process (the tests) keep their own counts — except the pool wait, which sqlx
//! (SQLite) reports without naming its pool, so it is the process's on both backends.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::error::{Error, Result};

/// Operation names become label values only this many times; later new names are
/// counted as `other`, so a client cannot grow the metrics without bound.
const MAX_OPERATION_NAMES: usize = 200;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    logins: IntCounterVec,
    statements: prometheus::IntCounter,
    statement_time: prometheus::Histogram,
    pool: IntGaugeVec,
    outbox: IntGaugeVec,
    oldest_pending: prometheus::IntGauge,
    operation_names: Mutex<HashSet<String>>,
}

/// The target and field of the event sqlx emits after each pool acquisition when its
/// `acquire_time_level` is set (see `db::connect`).
const ACQUIRE_TARGET: &str = "sqlx::pool::acquire";
const ACQUIRED_AFTER: &str = "acquired_after_secs";

/// How long each statement (or transaction) waited for a connection from the pool,
/// measured by sqlx itself; `None` only if its options were invalid.
static POOL_WAIT: LazyLock<Option<prometheus::Histogram>> = LazyLock::new(|| {
    prometheus::Histogram::with_opts(
        HistogramOpts::new(
            "jobtrack_db_pool_wait_seconds",
            "Time a statement or transaction waited for a database connection from the pool \
             (the whole process)",
        )
        .buckets(vec![
            0.000_1, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0,
        ]),
    )
    .ok()
});

/// Feeds sqlx's acquisition times into `jobtrack_db_pool_wait_seconds`. A tracing layer
/// that sees only sqlx's acquisition events, whatever the log filter says.
fn pool_wait_layer<S>() -> impl tracing_subscriber::Layer<S> + Send + Sync
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    use tracing_subscriber::Layer as _;
    PoolWait.with_filter(tracing_subscriber::filter::filter_fn(|metadata| {
        metadata.target() == ACQUIRE_TARGET
    }))
}

/// Records a wait for a connection from the PostgreSQL pool (`db::postgres`), which,
/// unlike sqlx's, reports it directly.
pub fn observe_pool_wait(waited: std::time::Duration) {
    if let Some(histogram) = POOL_WAIT.as_ref() {
        histogram.observe(waited.as_secs_f64());
    }
}

struct PoolWait;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for PoolWait {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Seconds(Option<f64>);
        impl tracing::field::Visit for Seconds {
            fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
                if field.name() == ACQUIRED_AFTER {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut seconds = Seconds(None);
        event.record(&mut seconds);
        if let (Some(seconds), Some(histogram)) = (seconds.0, POOL_WAIT.as_ref()) {
            histogram.observe(seconds);
        }
    }
}

/// The process's tracing: log lines as `filter` says (`RUST_LOG` syntax; `off` for
/// none), and the pool wait metric. Once per process; later calls change nothing.
pub fn init_tracing(filter: &str) {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _already = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .fmt_fields(crate::http::WithRequestId::default())
                .with_filter(filter),
        )
        .with(pool_wait_layer())
        .try_init();
}

/// Registers `collector` (or the error making it) in `registry`.
fn register<T: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    collector: prometheus::Result<T>,
) -> Result<T> {
    let collector = collector.map_err(Error::internal)?;
    registry
        .register(Box::new(collector.clone()))
        .map_err(Error::internal)?;
    Ok(collector)
}

impl Metrics {
    pub fn new() -> Result<Self> {
        let registry = Registry::new();
        let r = &registry;
        if let Some(wait) = POOL_WAIT.as_ref() {
            register(r, Ok(wait.clone()))?;
        }
        Ok(Self {
            requests: register(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "jobtrack_graphql_requests_total",
                        "GraphQL requests by operation name and outcome",
                    ),
                    &["operation", "outcome"],
                ),
            )?,
            latency: register(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "jobtrack_graphql_request_duration_seconds",
                        "Time from a GraphQL request's arrival to its response",
                    )
                    .buckets(vec![
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                    ]),
                    &["operation", "outcome"],
                ),
            )?,
            logins: register(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "jobtrack_logins_total",
                        "Sign-in attempts: ok, failed (wrong email or password) or throttled",
                    ),
                    &["outcome"],
                ),
            )?,
            statements: register(
                r,
                prometheus::IntCounter::new(
                    "jobtrack_db_statements_total",
                    "SQL statements sent to the database (divide by requests for statements per request)",
                ),
            )?,
            statement_time: register(
                r,
                prometheus::Histogram::with_opts(
                    HistogramOpts::new(
                        "jobtrack_db_statement_duration_seconds",
                        "Time the database took per statement, once a connection was in hand",
                    )
                    .buckets(vec![
                        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0,
                    ]),
                ),
            )?,
            pool: register(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "jobtrack_db_pool_connections",
                        "Database pool connections by state (idle, in_use) and the pool's maximum",
                    ),
                    &["state"],
                ),
            )?,
            outbox: register(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "jobtrack_outbox_emails",
                        "Emails in the outbox by status (pending, failed, sent)",
                    ),
                    &["status"],
                ),
            )?,
            oldest_pending: register(
                r,
                prometheus::IntGauge::new(
                    "jobtrack_outbox_oldest_pending_seconds",
                    "How long the oldest email not yet sent has waited (0: none waits)",
                ),
            )?,
            operation_names: Mutex::new(HashSet::new()),
            registry,
        })
    }

    /// A label value for a client-chosen operation name: bounded in length, alphabet
    /// and number of distinct values.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| {
            !n.is_empty()
                && n.len() <= 64
                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }) else {
            return "anonymous".to_owned();
        };
        let Ok(mut seen) = self.operation_names.lock() else {
            return "other".to_owned();
        };
        if seen.contains(name) || seen.len() < MAX_OPERATION_NAMES {
            seen.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    pub fn graphql_request(&self, operation: Option<&str>, outcome: &str, seconds: f64) {
        let operation = self.operation_label(operation);
        let labels = [operation.as_str(), outcome];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    /// One SQL statement ran, taking `elapsed`.
    pub fn statement(&self, elapsed: std::time::Duration) {
        self.statements.inc();
        self.statement_time.observe(elapsed.as_secs_f64());
    }

    /// SQL statements run so far.
    pub fn statement_count(&self) -> u64 {
        self.statements.get()
    }

    pub fn login(&self, outcome: &str) {
        self.logins.with_label_values(&[outcome]).inc();
    }

    /// The text exposition, with the pool and outbox read now.
    pub async fn render(&self, db: &crate::db::Db) -> Result<String> {
        let (size, idle, max) = db.pool_status();
        let gauge = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        self.pool.with_label_values(&["idle"]).set(gauge(idle));
        self.pool
            .with_label_values(&["in_use"])
            .set(gauge(size.saturating_sub(idle)));
        self.pool.with_label_values(&["max"]).set(gauge(max));
        let counts = crate::mail::worker::counts(db).await?;
        for (status, count) in [
            ("pending", counts.pending),
            ("failed", counts.failed),
            ("sent", counts.sent),
        ] {
            self.outbox
                .with_label_values(&[status])
                .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
        self.oldest_pending.set(counts.oldest_pending_seconds);
        let mut buffer = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buffer)
            .map_err(Error::internal)?;
        String::from_utf8(buffer).map_err(Error::internal)
    }
}
