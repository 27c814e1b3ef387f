//! End of track: the working group's review of a completed track (what worked, the
//! employer's view, how many got work), and which earlier application a carried-over
//! nomination came from (a candidate who passed the trial placement but was not
//! admitted, nominated to the next track of the same occupation).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::util::{big_integer, drop_tables, fk, integer, text, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let table = "track_review";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_integer("job_track_id").primary_key())
                    .col(text("what_worked"))
                    .col(text("employer_view"))
                    .col(
                        integer("employed_count")
                            .check(Expr::col("employed_count").gte(0))
                            .take(),
                    )
                    .col(big_integer("recorded_by").null())
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk(table, "job_track_id", "job_track", "id", Cascade))
                    .foreign_key(&mut fk(table, "recorded_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        let integer = if db.get_database_backend() == DatabaseBackend::Sqlite {
            "INTEGER"
        } else {
            "BIGINT"
        };
        db.execute_unprepared(&format!(
            "ALTER TABLE application ADD COLUMN carried_over_from {integer} \
             REFERENCES application (id) ON DELETE SET NULL"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("application")
                    .drop_column("carried_over_from")
                    .take(),
            )
            .await?;
        drop_tables(manager, &["track_review"]).await
    }
}
