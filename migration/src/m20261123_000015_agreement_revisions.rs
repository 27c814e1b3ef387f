//! Agreements are revised yearly: each revision keeps the whole agreement as it was
//! decided (date, validity, target, threshold, parties, municipalities), with a note and
//! who recorded it. The first revision of an agreement created before this migration
//! also records the state it replaced.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, date, date_null, drop_tables, fk, id, index, integer, string, text, text_null,
    timestamp_with_time_zone,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        let table = "agreement_revision";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(id())
                    .col(big_integer("agreement_id"))
                    .col(date("revised_on"))
                    .col(text_null("note"))
                    .col(string("name"))
                    .col(date("valid_from"))
                    .col(date_null("valid_until"))
                    .col(date_null("revision_due"))
                    .col(integer("completion_target_percent"))
                    .col(integer("escalation_threshold"))
                    .col(text("party_ids"))
                    .col(text("municipality_codes"))
                    .col(big_integer("recorded_by").null())
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk(table, "agreement_id", "agreement", "id", Cascade))
                    .foreign_key(&mut fk(table, "recorded_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await?;
        manager.create_index(index(table, &["agreement_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["agreement_revision"]).await
    }
}
