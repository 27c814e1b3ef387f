//! Information meetings as objects: a track's meeting (time, place, capacity) and which
//! applications are invited to it (one current meeting per application; inviting again
//! moves the invitation).

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, drop_tables, fk, id, index, integer_null, text, timestamp_with_time_zone,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};
        manager
            .create_table(
                Table::create()
                    .table("info_meeting")
                    .col(id())
                    .col(big_integer("job_track_id"))
                    .col(timestamp_with_time_zone("starts_at"))
                    .col(text("location"))
                    .col(integer_null("capacity"))
                    .col(big_integer("created_by").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "info_meeting",
                        "job_track_id",
                        "job_track",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "info_meeting",
                        "created_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("info_meeting", &["job_track_id"]))
            .await?;
        let link = "info_meeting_invitation";
        manager
            .create_table(
                Table::create()
                    .table(link)
                    .col(big_integer("application_id").primary_key())
                    .col(big_integer("info_meeting_id"))
                    .foreign_key(&mut fk(
                        link,
                        "application_id",
                        "application",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        link,
                        "info_meeting_id",
                        "info_meeting",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(link, &["info_meeting_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["info_meeting_invitation", "info_meeting"]).await
    }
}
