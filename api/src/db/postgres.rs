//! PostgreSQL connections pooled without a round trip per statement.
//!
//! sqlx's pool pings every connection it takes back ("test on release"): the ping flushes
//! the `ROLLBACK` a dropped transaction queued and drains a result a cancelled statement
//! left half-read. That costs a round trip for each statement outside a transaction, and
//! sqlx 0.9 cannot turn it off. Here the pool (deadpool) takes a connection back as it is
//! whenever its work finished, and otherwise does the repair itself, only when needed:
//! - a statement abandoned mid-flight (its request cancelled) or broken by an I/O error
//!   closes its connection instead of returning it; PostgreSQL then rolls back whatever
//!   that connection had open;
//! - a transaction dropped without commit is rolled back in a task of its own, which
//!   returns the connection once PostgreSQL has confirmed;
//! - a statement PostgreSQL refused (a constraint, a lock timeout) leaves the connection
//!   ready, as sqlx reads on to PostgreSQL's "ready for query" before the next statement.
//!
//! A connection idle for [`PING_IF_IDLE_FOR`] is pinged when taken, as sea-orm's pool is
//! configured for SQLite (`db::connect`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool::managed;
use sea_orm::metric::Info;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgQueryResult, PgRow};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use sea_orm::{ConnAcquireErr, DbErr, ExecResult, QueryResult, RuntimeErr, Statement};
use sea_query_sqlx::SqlxValues;

/// A pooled connection idle at least this long is pinged before it is used: a server,
/// proxy or firewall may have dropped it meanwhile.
pub const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// Called after each statement, as sea-orm calls its metric callback.
pub type Observer = Arc<dyn Fn(&Info<'_>) + Send + Sync>;

pub struct Manager {
    options: PgConnectOptions,
}

impl managed::Manager for Manager {
    type Type = PgConnection;
    type Error = sqlx::Error;

    async fn create(&self) -> Result<PgConnection, sqlx::Error> {
        PgConnection::connect_with(&self.options).await
    }

    async fn recycle(
        &self,
        conn: &mut PgConnection,
        metrics: &managed::Metrics,
    ) -> managed::RecycleResult<sqlx::Error> {
        if metrics.last_used() >= PING_IF_IDLE_FOR {
            conn.ping().await?;
        }
        Ok(())
    }
}

#[derive(Clone)]
pub struct Pool {
    pool: managed::Pool<Manager>,
    observer: Option<Observer>,
}

impl Pool {
    /// A pool of at most `max` connections to `url`; none is opened until needed.
    pub fn new(url: &str, max: usize, acquire_timeout: Duration) -> Result<Self, DbErr> {
        let options = url
            .parse::<PgConnectOptions>()
            .map_err(|e| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))))?
            .disable_statement_logging();
        let pool = managed::Pool::builder(Manager { options })
            .max_size(max)
            .wait_timeout(Some(acquire_timeout))
            .create_timeout(Some(acquire_timeout))
            .recycle_timeout(Some(acquire_timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| DbErr::Custom(format!("database pool: {e}")))?;
        Ok(Self {
            pool,
            observer: None,
        })
    }

    pub fn observe(&mut self, observer: Observer) {
        self.observer = Some(observer);
    }

    /// Connections open, idle, and the most there may be.
    pub fn status(&self) -> (usize, usize, usize) {
        let status = self.pool.status();
        (status.size, status.available, status.max_size)
    }

    pub fn close(&self) {
        self.pool.close();
    }

    async fn take(&self) -> Result<Taken, DbErr> {
        let started = Instant::now();
        let conn = self.pool.get().await.map_err(|e| match e {
            managed::PoolError::Timeout(_) => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            managed::PoolError::Closed => {
                DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
            }
            managed::PoolError::Backend(e) => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(e))),
            other => DbErr::Conn(RuntimeErr::Internal(other.to_string())),
        })?;
        crate::metrics::observe_pool_wait(started.elapsed());
        Ok(Taken {
            conn: Some(conn),
            busy: false,
            in_transaction: false,
        })
    }

    /// Does `work` on a connection taken for it.
    pub async fn run(&self, work: Work<'_>) -> Result<Done, DbErr> {
        let mut taken = self.take().await?;
        taken.serve(work, self.observer.as_ref()).await
    }

    /// Begins a transaction on a connection of its own.
    pub async fn begin(&self) -> Result<Transaction, DbErr> {
        let mut taken = self.take().await?;
        taken.serve(Work::Begin, None).await?;
        Ok(Transaction {
            conn: tokio::sync::Mutex::new(taken),
            observer: self.observer.clone(),
        })
    }
}

/// A transaction on one pooled connection. Dropped without [`Transaction::commit`], it is
/// rolled back (see the module's documentation).
pub struct Transaction {
    conn: tokio::sync::Mutex<Taken>,
    observer: Option<Observer>,
}

impl Transaction {
    /// Does `work` inside the transaction.
    pub async fn run(&self, work: Work<'_>) -> Result<Done, DbErr> {
        let mut taken = self.conn.lock().await;
        taken.serve(work, self.observer.as_ref()).await
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.conn.into_inner().serve(Work::Commit, None).await?;
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.conn.into_inner().serve(Work::Rollback, None).await?;
        Ok(())
    }
}

/// What a statement returns.
#[derive(Clone, Copy)]
pub enum Kind {
    Execute,
    One,
    All,
}

/// What [`Pool::run`] and [`Transaction::run`] do on a connection.
#[derive(Clone, Copy)]
pub enum Work<'a> {
    Statement(&'a Statement, Kind),
    Unprepared(&'a str),
    Ping,
    Begin,
    Commit,
    Rollback,
}

/// What PostgreSQL answered, as sqlx read it.
pub enum Done {
    Executed(PgQueryResult),
    Row(Option<PgRow>),
    Rows(Vec<PgRow>),
    Nothing,
}

impl Done {
    pub fn exec(self) -> Result<ExecResult, DbErr> {
        match self {
            Self::Executed(result) => Ok(result.into()),
            _ => Err(unexpected()),
        }
    }

    pub fn one(self) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Row(row) => Ok(row.map(QueryResult::from)),
            _ => Err(unexpected()),
        }
    }

    pub fn all(self) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Rows(rows) => Ok(rows.into_iter().map(QueryResult::from).collect()),
            _ => Err(unexpected()),
        }
    }
}

fn unexpected() -> DbErr {
    DbErr::Custom("unexpected result kind".to_owned())
}

/// A connection taken from the pool, returned on drop if its work finished; see the
/// module's documentation for what happens otherwise.
struct Taken {
    conn: Option<managed::Object<Manager>>,
    /// A statement was sent and not seen through (abandoned, or broken mid-flight).
    busy: bool,
    /// A transaction is open on it.
    in_transaction: bool,
}

impl Taken {
    /// Does `work`, reporting a statement to `observer` as sea-orm would, and failing
    /// with the errors sea-orm gives.
    async fn serve(&mut self, work: Work<'_>, observer: Option<&Observer>) -> Result<Done, DbErr> {
        let started = Instant::now();
        let result = self.run(work).await;
        if let (Work::Statement(stmt, _), Some(observer)) = (work, observer) {
            observer(&Info {
                elapsed: started.elapsed(),
                statement: stmt,
                failed: result.is_err(),
            });
        }
        result.map_err(|e| {
            let e = RuntimeErr::SqlxError(Arc::new(e));
            match work {
                Work::Statement(_, Kind::Execute) | Work::Unprepared(_) => DbErr::Exec(e),
                _ => DbErr::Query(e),
            }
        })
    }

    async fn run(&mut self, work: Work<'_>) -> Result<Done, sqlx::Error> {
        let Some(conn) = self.conn.as_deref_mut() else {
            return Err(sqlx::Error::PoolClosed);
        };
        // What the transaction is after the work, if it succeeds.
        let in_transaction = match work {
            Work::Begin => true,
            Work::Commit | Work::Rollback => false,
            _ => self.in_transaction,
        };
        self.busy = true;
        let result = send(conn, work).await;
        // Seen through, or refused by PostgreSQL (which leaves the connection ready);
        // anything else (I/O, protocol) leaves it in a state no one should inherit.
        self.busy = !matches!(result, Ok(_) | Err(sqlx::Error::Database(_)));
        if result.is_ok() {
            self.in_transaction = in_transaction;
        }
        result
    }
}

async fn send(conn: &mut PgConnection, work: Work<'_>) -> Result<Done, sqlx::Error> {
    use sqlx::Executor as _;
    match work {
        Work::Statement(stmt, kind) => {
            let values = stmt.values.clone().unwrap_or(sea_orm::Values(Vec::new()));
            let query =
                sqlx::query_with(sqlx::AssertSqlSafe(stmt.sql.as_str()), SqlxValues(values));
            match kind {
                Kind::Execute => query.execute(&mut *conn).await.map(Done::Executed),
                Kind::One => query.fetch_optional(&mut *conn).await.map(Done::Row),
                Kind::All => query.fetch_all(&mut *conn).await.map(Done::Rows),
            }
        }
        Work::Unprepared(sql) => conn
            .execute(sqlx::AssertSqlSafe(sql.to_owned()))
            .await
            .map(Done::Executed),
        Work::Ping => conn.ping().await.map(|()| Done::Nothing),
        Work::Begin => conn.execute("BEGIN").await.map(|_| Done::Nothing),
        Work::Commit => conn.execute("COMMIT").await.map(|_| Done::Nothing),
        Work::Rollback => conn.execute("ROLLBACK").await.map(|_| Done::Nothing),
    }
}

impl Drop for Taken {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else {
            return;
        };
        if self.busy {
            // Closing the socket is the repair: PostgreSQL rolls back what it had open.
            drop(managed::Object::take(conn));
        } else if self.in_transaction {
            // Until the rollback has run, the connection counts as busy: a task dropped
            // before it ran (a runtime shutting down) closes it.
            let taken = Self {
                conn: Some(conn),
                busy: true,
                in_transaction: false,
            };
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                drop(runtime.spawn(roll_back(taken)));
            }
        }
        // Otherwise `conn` goes back to the pool as it is.
    }
}

/// Rolls back what a dropped transaction left open; the connection goes back to the pool
/// once PostgreSQL has confirmed, or is closed.
async fn roll_back(mut taken: Taken) {
    if let Err(error) = taken.run(Work::Rollback).await {
        tracing::warn!(%error, "rolling back a dropped transaction failed");
        taken.busy = true;
    }
}
