//! Follow-up after exit: what a participant's situation is 90 and 180 days after the
//! application ended (COMPLETED or DROPPED_OUT), recorded by the caseworker — one row
//! per application and day, replaced when corrected.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, big_integer_null, drop_tables, fk, id, index, integer, one_of, text_null,
    timestamp_with_time_zone, unique, values,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};
        let table = "follow_up";
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(id())
                    .col(big_integer("application_id"))
                    .col(
                        integer("day")
                            .check(Expr::col("day").is_in([90, 180]))
                            .take(),
                    )
                    .col(one_of("situation", values::FOLLOW_UP_SITUATION))
                    .col(big_integer_null("employer_id"))
                    .col(text_null("note"))
                    .col(big_integer_null("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk(
                        table,
                        "application_id",
                        "application",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(table, "employer_id", "employer", "id", Restrict))
                    .foreign_key(&mut fk(table, "recorded_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique(table, &["application_id", "day"]))
            .await?;
        manager.create_index(index(table, &["employer_id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["follow_up"]).await
    }
}
