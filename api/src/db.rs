//! Connecting to the database and opening write transactions that serialise correctly on
//! both backends: `BEGIN IMMEDIATE` on SQLite, row locks (`FOR UPDATE`) on PostgreSQL.

use std::time::Duration;

use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a connection when it is taken and again when it is given back, so a
        // statement outside a transaction cost three round trips. Ping only a connection
        // that sat idle long enough for a server, proxy or firewall to have dropped it; a
        // connection that broke meanwhile fails its statement and is closed by sqlx.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        // sqlx reports how long each acquisition waited, as a TRACE event that only the
        // pool wait metric listens to (metrics::pool_wait_layer).
        .map_sqlx_postgres_pool_opts(|pool| pool.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_sqlite_pool_opts(|pool| pool.acquire_time_level(log::LevelFilter::Trace))
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        });
    if url.starts_with("sqlite") {
        options.max_connections(8);
    } else {
        options.max_connections(20);
    }
    Database::connect(options).await
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once, so
/// two writers queue instead of failing on lock upgrade.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: (db.get_database_backend() == DbBackend::Sqlite)
            .then_some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    db.begin_with_options(options).await
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
