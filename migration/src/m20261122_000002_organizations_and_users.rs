//! Organisations, agreements on collaboration, users with their roles and
//! municipality scope, sign-in tokens, invitations, settings and login throttling.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, boolean, create_link, date, date_null, drop_tables, fk, id, index, integer,
    one_of, string, string_null, string_uniq, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null, unique, values,
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
                    .table("organization")
                    .col(id())
                    .col(string("name"))
                    // Not unique alone: Arbetsförmedlingen's local offices are separate
                    // parties to agreements but share the authority's one number.
                    .col(string("org_number"))
                    .col(one_of("kind", values::ORGANIZATION_KIND))
                    .col(string_null("municipality_code"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "organization",
                        "municipality_code",
                        "municipality",
                        "code",
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique("organization", &["org_number", "name"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("agreement")
                    .col(id())
                    .col(string("name"))
                    .col(date("valid_from"))
                    .col(date_null("valid_until"))
                    .col(date_null("revision_due"))
                    .col(
                        integer("completion_target_percent")
                            .check(Expr::col("completion_target_percent").between(0, 100)),
                    )
                    .col(
                        integer("escalation_threshold")
                            .check(Expr::col("escalation_threshold").gte(0)),
                    )
                    .col(timestamp_with_time_zone("created_at"))
                    .take(),
            )
            .await?;
        create_link(
            manager,
            "agreement_party",
            ("agreement_id", "agreement", "id"),
            ("organization_id", "organization", "id"),
        )
        .await?;
        create_link(
            manager,
            "agreement_municipality",
            ("agreement_id", "agreement", "id"),
            ("municipality_code", "municipality", "code"),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("app_user")
                    .col(id())
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string_null("password_hash"))
                    .col(big_integer("organization_id").null())
                    .col(boolean("active"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "app_user",
                        "organization_id",
                        "organization",
                        "id",
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("app_user", &["organization_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("user_role")
                    .col(big_integer("user_id"))
                    .col(one_of("role", values::ROLE))
                    .primary_key(Index::create().col("user_id").col("role"))
                    .foreign_key(&mut fk("user_role", "user_id", "app_user", "id", Cascade))
                    .take(),
            )
            .await?;
        manager.create_index(index("user_role", &["role"])).await?;
        create_link(
            manager,
            "user_municipality",
            ("user_id", "app_user", "id"),
            ("municipality_code", "municipality", "code"),
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("refresh_token")
                    .col(id())
                    .col(big_integer("user_id"))
                    .col(string("family"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "refresh_token",
                        "user_id",
                        "app_user",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("refresh_token", &["user_id"]))
            .await?;
        manager
            .create_index(index("refresh_token", &["family"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("invitation")
                    .col(id())
                    .col(big_integer("user_id"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(big_integer("invited_by").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("invitation", "user_id", "app_user", "id", Cascade))
                    .foreign_key(&mut fk(
                        "invitation",
                        "invited_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("invitation", &["user_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("setting")
                    .col(string("key").primary_key())
                    .col(text("value"))
                    .take(),
            )
            .await?;

        // One row per account ("user:<email>") and per client address ("addr:<ip>").
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string("key").primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "login_throttle",
                "setting",
                "invitation",
                "refresh_token",
                "user_municipality",
                "user_role",
                "app_user",
                "agreement_municipality",
                "agreement_party",
                "agreement",
                "organization",
            ],
        )
        .await
    }
}
