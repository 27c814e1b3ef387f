//! Job tracks (lokala jobbspår): the track with its eligibility, its municipalities,
//! employers, competence needs and design team, and its ordered chain of components.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, boolean, create_link, date_null, drop_tables, fk, id, index, integer,
    integer_null, one_of, one_of_null, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, unique, values,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("job_track")
                    .col(id())
                    .col(string("title"))
                    // Lowercased by the application for Unicode-aware search.
                    .col(string("search_title"))
                    .col(text_null("description"))
                    .col(string("ssyk_code"))
                    .col(big_integer("agreement_id"))
                    .col(integer("seats").check(Expr::col("seats").gt(0)))
                    .col(one_of("status", values::TRACK_STATUS))
                    .col(integer("version"))
                    .col(date_null("application_deadline"))
                    .col(date_null("start_date"))
                    .col(date_null("end_date"))
                    // Comma-separated enum names; empty means "any".
                    .col(text("eligible_programmes"))
                    .col(text("eligible_target_groups"))
                    .col(boolean("requires_driving_licence"))
                    .col(one_of_null("minimum_swedish_level", values::SWEDISH_LEVEL))
                    .col(one_of_null("minimum_education", values::EDUCATION_LEVEL))
                    .col(text_null("other_requirements"))
                    .col(timestamp_with_time_zone_null("escalated_at"))
                    .col(big_integer("created_by").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "job_track",
                        "ssyk_code",
                        "occupation",
                        "ssyk_code",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "job_track",
                        "agreement_id",
                        "agreement",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "job_track",
                        "created_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("job_track", &["agreement_id"]))
            .await?;
        manager
            .create_index(index("job_track", &["status"]))
            .await?;
        manager
            .create_index(index("job_track", &["ssyk_code"]))
            .await?;
        manager
            .create_index(index("job_track", &["search_title"]))
            .await?;

        create_link(
            manager,
            "job_track_municipality",
            ("job_track_id", "job_track", "id"),
            ("municipality_code", "municipality", "code"),
        )
        .await?;
        create_link(
            manager,
            "job_track_employer",
            ("job_track_id", "job_track", "id"),
            ("employer_id", "employer", "id"),
        )
        .await?;
        create_link(
            manager,
            "job_track_competence_need",
            ("job_track_id", "job_track", "id"),
            ("competence_need_id", "competence_need", "id"),
        )
        .await?;
        create_link(
            manager,
            "job_track_design_member",
            ("job_track_id", "job_track", "id"),
            ("user_id", "app_user", "id"),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("track_component")
                    .col(id())
                    .col(big_integer("job_track_id"))
                    .col(integer("position"))
                    .col(one_of("kind", values::COMPONENT_KIND))
                    .col(string("title"))
                    .col(string_null("provider"))
                    .col(date_null("start_date"))
                    .col(date_null("end_date"))
                    .col(
                        integer_null("hours_per_week")
                            .check(Expr::col("hours_per_week").between(0, 80)),
                    )
                    .foreign_key(&mut fk(
                        "track_component",
                        "job_track_id",
                        "job_track",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique("track_component", &["job_track_id", "position"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "track_component",
                "job_track_design_member",
                "job_track_competence_need",
                "job_track_employer",
                "job_track_municipality",
                "job_track",
            ],
        )
        .await
    }
}
