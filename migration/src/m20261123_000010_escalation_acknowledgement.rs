//! A section manager acknowledges a track's escalation, with a note: who, when and why
//! are kept beside the track (one acknowledgement per track; removed with the track).

use sea_orm_migration::prelude::*;

use crate::util::{big_integer, drop_tables, fk, text_null, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let table = "escalation_acknowledgement";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_integer("job_track_id").primary_key())
                    .col(big_integer("acknowledged_by").null())
                    .col(timestamp_with_time_zone("acknowledged_at"))
                    .col(text_null("note"))
                    .foreign_key(&mut fk(table, "job_track_id", "job_track", "id", Cascade))
                    .foreign_key(&mut fk(table, "acknowledged_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["escalation_acknowledgement"]).await
    }
}
