//! A candidate whose application to a track was withdrawn or rejected may be nominated to
//! the same track again: a new application, the old one kept as history. One *open*
//! application per candidate and track still holds: the full unique index gives way to a
//! partial one that leaves WITHDRAWN and REJECTED rows out (the same SQL on SQLite and
//! PostgreSQL).
//!
//! Down restores the full unique index; it fails if a candidate was nominated again
//! meanwhile, rather than deleting anyone's history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const ALL: &str = "uq_application_job_track_id_candidate_id";
const OPEN: &str = "uq_application_open_per_track";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {OPEN} ON application (job_track_id, candidate_id) \
             WHERE status NOT IN ('WITHDRAWN', 'REJECTED')"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {ALL}")).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX {ALL} ON application (job_track_id, candidate_id)"
        ))
        .await?;
        db.execute_unprepared(&format!("DROP INDEX {OPEN}")).await?;
        Ok(())
    }
}
