//! The history of each application: when it first reached each stage of the process
//! (nominated, invited, attended, applied, in trial, admitted, started, completed,
//! employed) or left it (rejected, withdrawn, dropped out). The funnel counts flows from
//! it instead of a snapshot of current statuses.
//!
//! Up fills the history of existing applications from what they kept: the nomination
//! time, the steps' times and results, the start and finish times and the outcome.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::util::{big_integer, drop_tables, fk, index, one_of, timestamp_with_time_zone, values};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (stage, SELECT application id and time) for the history the data already holds.
const BACKFILL: &[(&str, &str)] = &[
    ("NOMINATED", "SELECT id, nominated_at FROM application"),
    (
        "INVITED",
        "SELECT application_id, created_at FROM admission_step WHERE kind = 'INFO_MEETING'",
    ),
    (
        "ATTENDED",
        "SELECT application_id, COALESCE(completed_at, created_at) FROM admission_step \
         WHERE kind = 'INFO_MEETING' AND result = 'ATTENDED'",
    ),
    (
        "APPLIED",
        "SELECT application_id, COALESCE(completed_at, created_at) FROM admission_step \
         WHERE kind = 'APPLICATION'",
    ),
    (
        "IN_TRIAL",
        "SELECT application_id, created_at FROM admission_step WHERE kind = 'TRIAL_PLACEMENT'",
    ),
    (
        "ADMITTED",
        "SELECT application_id, COALESCE(completed_at, created_at) FROM admission_step \
         WHERE kind = 'DECISION' AND result = 'PASSED'",
    ),
    (
        "STARTED",
        "SELECT id, started_at FROM application WHERE started_at IS NOT NULL",
    ),
    (
        "COMPLETED",
        "SELECT id, COALESCE(finished_at, updated_at) FROM application WHERE status = 'COMPLETED'",
    ),
    (
        "EMPLOYED",
        "SELECT application_id, recorded_at FROM outcome WHERE kind IN \
         ('EMPLOYED', 'EMPLOYED_INTRODUKTIONSJOBB', 'EMPLOYED_LONEBIDRAG', 'EMPLOYED_OTHER_SUBSIDY')",
    ),
    (
        "REJECTED",
        "SELECT id, COALESCE(finished_at, updated_at) FROM application WHERE status = 'REJECTED'",
    ),
    (
        "WITHDRAWN",
        "SELECT id, COALESCE(finished_at, updated_at) FROM application WHERE status = 'WITHDRAWN'",
    ),
    (
        "DROPPED_OUT",
        "SELECT id, COALESCE(finished_at, updated_at) FROM application WHERE status = 'DROPPED_OUT'",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = "application_stage";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_integer("application_id"))
                    .col(one_of("stage", values::STAGE))
                    .col(timestamp_with_time_zone("reached_at"))
                    .primary_key(Index::create().col("application_id").col("stage"))
                    .foreign_key(&mut fk(
                        table,
                        "application_id",
                        "application",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager.create_index(index(table, &["reached_at"])).await?;
        let db = manager.get_connection();
        for (stage, select) in BACKFILL {
            db.execute_unprepared(&format!(
                "INSERT INTO application_stage (application_id, reached_at, stage) \
                 SELECT history.*, '{stage}' FROM ({select}) AS history"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["application_stage"]).await
    }
}
