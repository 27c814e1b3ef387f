//! Candidates, their consents, applications to job tracks, the admission steps and
//! outcomes. The database itself guards one application per candidate and track and
//! at most one admission (ADMITTED or STARTED) per candidate.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, boolean, date_null, drop_tables, fk, id, index, integer, one_of, string,
    string_null, string_uniq, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
    unique, values,
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
                    .table("candidate")
                    .col(id())
                    .col(string("first_name"))
                    .col(string("last_name"))
                    // "first last", lowercased by the application for Unicode-aware search.
                    .col(string("search_name"))
                    // Canonical 12 digits; NULL once the candidate is erased.
                    .col(string_uniq("personal_identity_number").null())
                    .col(integer("birth_year"))
                    .col(one_of("gender", values::GENDER))
                    .col(string("municipality_code"))
                    .col(string_null("email"))
                    .col(string_null("phone"))
                    .col(one_of("education_level", values::EDUCATION_LEVEL))
                    .col(one_of("swedish_level", values::SWEDISH_LEVEL))
                    .col(boolean("driving_licence"))
                    .col(one_of("programme", values::PROGRAMME))
                    .col(big_integer("caseworker_id").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("erased_at"))
                    .foreign_key(&mut fk(
                        "candidate",
                        "municipality_code",
                        "municipality",
                        "code",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "candidate",
                        "caseworker_id",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("candidate", &["municipality_code"]))
            .await?;
        manager
            .create_index(index("candidate", &["search_name"]))
            .await?;
        manager
            .create_index(index("candidate", &["caseworker_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("candidate_target_group")
                    .col(big_integer("candidate_id"))
                    .col(one_of("target_group", values::TARGET_GROUP))
                    .primary_key(Index::create().col("candidate_id").col("target_group"))
                    .foreign_key(&mut fk(
                        "candidate_target_group",
                        "candidate_id",
                        "candidate",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("candidate_target_group", &["target_group"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("consent")
                    .col(id())
                    .col(big_integer("candidate_id"))
                    .col(one_of("scope", values::CONSENT_SCOPE))
                    .col(one_of("method", values::CONSENT_METHOD))
                    .col(timestamp_with_time_zone("given_at"))
                    .col(big_integer("recorded_by"))
                    .col(timestamp_with_time_zone_null("withdrawn_at"))
                    .col(big_integer("withdrawn_by").null())
                    .foreign_key(&mut fk(
                        "consent",
                        "candidate_id",
                        "candidate",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "consent",
                        "recorded_by",
                        "app_user",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "consent",
                        "withdrawn_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("consent", &["candidate_id", "scope"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("application")
                    .col(id())
                    .col(big_integer("job_track_id"))
                    .col(big_integer("candidate_id"))
                    .col(one_of("status", values::APPLICATION_STATUS))
                    .col(integer("version"))
                    .col(big_integer("nominated_by").null())
                    .col(timestamp_with_time_zone("nominated_at"))
                    .col(text_null("nomination_note"))
                    .col(text_null("language_assessment"))
                    .col(text_null("motivation"))
                    .col(text_null("decision_reason"))
                    .col(timestamp_with_time_zone_null("started_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "application",
                        "job_track_id",
                        "job_track",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "application",
                        "candidate_id",
                        "candidate",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "application",
                        "nominated_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique("application", &["job_track_id", "candidate_id"]))
            .await?;
        manager
            .create_index(index("application", &["candidate_id"]))
            .await?;
        // The completion report selects by start date.
        manager
            .create_index(index("application", &["started_at"]))
            .await?;
        manager
            .create_index(index("application", &["job_track_id", "status"]))
            .await?;
        // A partial unique index: the same SQL on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_application_one_admission ON application (candidate_id) \
                 WHERE status IN ('ADMITTED', 'STARTED')",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("admission_step")
                    .col(id())
                    .col(big_integer("application_id"))
                    .col(one_of("kind", values::STEP_KIND))
                    .col(timestamp_with_time_zone_null("scheduled_at"))
                    .col(timestamp_with_time_zone_null("ends_at"))
                    .col(string_null("location"))
                    .col(big_integer("employer_id").null())
                    .col(one_of("result", values::STEP_RESULT))
                    .col(text_null("assessment"))
                    .col(big_integer("assessed_by").null())
                    .col(timestamp_with_time_zone_null("completed_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "admission_step",
                        "application_id",
                        "application",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "admission_step",
                        "employer_id",
                        "employer",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "admission_step",
                        "assessed_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique("admission_step", &["application_id", "kind"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outcome")
                    .col(big_integer("application_id").primary_key())
                    .col(one_of("kind", values::OUTCOME_KIND))
                    .col(big_integer("employer_id").null())
                    .col(date_null("starts_on"))
                    .col(big_integer("recorded_by").null())
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut fk(
                        "outcome",
                        "application_id",
                        "application",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "outcome",
                        "employer_id",
                        "employer",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk("outcome", "recorded_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "outcome",
                "admission_step",
                "application",
                "consent",
                "candidate_target_group",
                "candidate",
            ],
        )
        .await
    }
}
