//! Password reset by email: a single-use token (stored as a hash) that expires.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, drop_tables, fk, id, index, string_uniq, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = "password_reset";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(id())
                    .col(big_integer("user_id"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        table,
                        "user_id",
                        "app_user",
                        "id",
                        ForeignKeyAction::Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager.create_index(index(table, &["user_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["password_reset"]).await
    }
}
