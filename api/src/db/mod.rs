//! The database as the server uses it: connecting, running statements, and opening write
//! transactions that serialise correctly on both backends: `BEGIN IMMEDIATE` on SQLite,
//! row locks (`FOR UPDATE`) on PostgreSQL.
//!
//! [`Db`] and [`Tx`] are what every query takes; they implement sea-orm's
//! `ConnectionTrait`, so queries are written once for both backends. On SQLite they are
//! sea-orm's own pool and transactions. On PostgreSQL, statements and transactions go
//! through [`postgres::Pool`], which returns a connection to the pool without sqlx's
//! ping; sea-orm's pool is kept only for the migrations.

mod postgres;

use postgres::{Kind, Work};

use std::sync::Arc;
use std::time::Duration;

use sea_orm::metric::Info;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};

const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections a server opens for its requests.
const MAX_CONNECTIONS_POSTGRES: usize = 20;
const MAX_CONNECTIONS_SQLITE: u32 = 8;

#[derive(Clone)]
pub struct Db {
    orm: DatabaseConnection,
    postgres: Option<postgres::Pool>,
}

pub async fn connect(url: &str) -> Result<Db, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // sqlx pings a connection when it is taken and again when it is given back. Ping
        // on taking only a connection that sat idle long enough for a server, proxy or
        // firewall to have dropped it; the ping on giving back cannot be turned off (on
        // PostgreSQL, `postgres::Pool` serves the requests without it).
        .test_before_acquire_if_idle_for(postgres::PING_IF_IDLE_FOR)
        // sqlx reports how long each acquisition waited, as a TRACE event that only the
        // pool wait metric listens to (metrics::pool_wait_layer).
        .map_sqlx_sqlite_pool_opts(|pool| pool.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        });
    if url.starts_with("sqlite") {
        options.max_connections(MAX_CONNECTIONS_SQLITE);
        Ok(Db {
            orm: Database::connect(options).await?,
            postgres: None,
        })
    } else {
        // Only the migrations use sea-orm's pool on PostgreSQL; it closes what it opened
        // once idle.
        options
            .max_connections(2)
            .min_connections(0)
            .idle_timeout(Duration::from_secs(30));
        Ok(Db {
            orm: Database::connect(options).await?,
            postgres: Some(postgres::Pool::new(
                url,
                MAX_CONNECTIONS_POSTGRES,
                ACQUIRE_TIMEOUT,
            )?),
        })
    }
}

impl Db {
    /// sea-orm's own connection: for the migrations, which need that type.
    pub fn orm(&self) -> &DatabaseConnection {
        &self.orm
    }

    pub fn get_database_backend(&self) -> DbBackend {
        self.orm.get_database_backend()
    }

    /// Has `observer` called after every statement, with its text and time.
    pub fn set_metric_callback<F>(&mut self, observer: F)
    where
        F: Fn(&Info<'_>) + Send + Sync + 'static,
    {
        let observer: postgres::Observer = Arc::new(observer);
        if let Some(pool) = &mut self.postgres {
            pool.observe(observer.clone());
        }
        self.orm.set_metric_callback(move |info| observer(info));
    }

    /// Connections open, idle, and the most there may be, of the pool requests use.
    pub fn pool_status(&self) -> (usize, usize, usize) {
        if let Some(pool) = &self.postgres {
            return pool.status();
        }
        let pool = self.orm.get_sqlite_connection_pool();
        (
            usize::try_from(pool.size()).unwrap_or(usize::MAX),
            pool.num_idle(),
            usize::try_from(pool.options().get_max_connections()).unwrap_or(usize::MAX),
        )
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), DbErr> {
        match &self.postgres {
            Some(pool) => pool.run(Work::Ping).await.map(drop),
            None => self.orm.ping().await,
        }
    }

    pub async fn close(self) -> Result<(), DbErr> {
        if let Some(pool) = &self.postgres {
            pool.close();
        }
        self.orm.close().await
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once, so
    /// two writers queue instead of failing on lock upgrade.
    pub async fn begin_write(&self) -> Result<Tx, DbErr> {
        if let Some(pool) = &self.postgres {
            // Boxed: it would otherwise sit inline in every write's future.
            return Ok(Tx::Postgres(Box::pin(pool.begin()).await?));
        }
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(Tx::Orm(self.orm.begin_with_options(options).await?))
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.orm.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match &self.postgres {
            Some(pool) => pool
                .run(Work::Statement(&stmt, Kind::Execute))
                .await?
                .exec(),
            None => self.orm.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match &self.postgres {
            Some(pool) => pool.run(Work::Unprepared(sql)).await?.exec(),
            None => self.orm.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match &self.postgres {
            Some(pool) => pool.run(Work::Statement(&stmt, Kind::One)).await?.one(),
            None => self.orm.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.postgres {
            Some(pool) => pool.run(Work::Statement(&stmt, Kind::All)).await?.all(),
            None => self.orm.query_all_raw(stmt).await,
        }
    }
}

/// A write transaction (see [`Db::begin_write`]). Dropped without [`Tx::commit`], it is
/// rolled back.
pub enum Tx {
    Orm(DatabaseTransaction),
    Postgres(postgres::Transaction),
}

impl Tx {
    pub async fn commit(self) -> Result<(), DbErr> {
        match self {
            Self::Orm(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        match self {
            Self::Orm(tx) => tx.rollback().await,
            Self::Postgres(tx) => tx.rollback().await,
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Tx {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Orm(tx) => tx.get_database_backend(),
            Self::Postgres(_) => DbBackend::Postgres,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Orm(tx) => tx.execute_raw(stmt).await,
            Self::Postgres(tx) => tx.run(Work::Statement(&stmt, Kind::Execute)).await?.exec(),
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Orm(tx) => tx.execute_unprepared(sql).await,
            Self::Postgres(tx) => tx.run(Work::Unprepared(sql)).await?.exec(),
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Orm(tx) => tx.query_one_raw(stmt).await,
            Self::Postgres(tx) => tx.run(Work::Statement(&stmt, Kind::One)).await?.one(),
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Orm(tx) => tx.query_all_raw(stmt).await,
            Self::Postgres(tx) => tx.run(Work::Statement(&stmt, Kind::All)).await?.all(),
        }
    }
}

/// Every row of `select`, each read by column position instead of by name
/// (`jobtrack_entity::positional`): for the loaders that read the most rows.
pub async fn all_by_position<E>(
    select: sea_orm::Select<E>,
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Vec<E::Model>, DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: jobtrack_entity::positional::Positional + Send + Sync,
{
    use jobtrack_entity::positional::ByPosition;
    Ok(select
        .into_model::<ByPosition<E::Model>>()
        .all(db)
        .await?
        .into_iter()
        .map(|ByPosition(model)| model)
        .collect())
}
