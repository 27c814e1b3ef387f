//! The audit log of reads and changes of personal data, and the durable email outbox.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, drop_tables, fk, id, index, integer, one_of, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, values,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::SetNull;

        manager
            .create_table(
                Table::create()
                    .table("audit_event")
                    .col(id())
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer("actor_id").null())
                    .col(string("action"))
                    .col(big_integer("candidate_id").null())
                    .col(text_null("detail"))
                    .foreign_key(&mut fk(
                        "audit_event",
                        "actor_id",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        "audit_event",
                        "candidate_id",
                        "candidate",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("audit_event", &["candidate_id"]))
            .await?;
        manager
            .create_index(index("audit_event", &["actor_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("email_outbox")
                    .col(id())
                    .col(string("template"))
                    .col(string("recipient"))
                    .col(text("subject"))
                    .col(text("body_text"))
                    .col(text_null("body_html"))
                    .col(one_of("status", values::OUTBOX_STATUS))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(string_null("locked_by"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("email_outbox", &["status", "next_attempt_at"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["email_outbox", "audit_event"]).await
    }
}
