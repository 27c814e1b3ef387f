//! Employers with their contact persons and users, competence needs, and the log of
//! contacts that advisers have with employers.

use sea_orm_migration::prelude::*;

use crate::util::{
    big_integer, boolean, date_null, drop_tables, fk, id, index, integer, one_of, one_of_null,
    string, string_null, string_uniq, text, text_null, timestamp_with_time_zone, values,
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
                    .table("employer")
                    .col(id())
                    .col(string("name"))
                    // The name lowercased by the application, so that searches fold
                    // å, ä and ö the same way on SQLite and PostgreSQL.
                    .col(string("search_name"))
                    .col(string_uniq("org_number"))
                    .col(string_null("sni_code"))
                    .col(string("municipality_code"))
                    .col(one_of_null("size", values::EMPLOYER_SIZE))
                    .col(big_integer("contact_owner_id").null())
                    .col(big_integer("created_by").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "employer", "sni_code", "industry", "sni_code", Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "employer",
                        "municipality_code",
                        "municipality",
                        "code",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "employer",
                        "contact_owner_id",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .foreign_key(&mut fk("employer", "created_by", "app_user", "id", SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("employer", &["municipality_code"]))
            .await?;
        manager
            .create_index(index("employer", &["search_name"]))
            .await?;
        manager
            .create_index(index("employer", &["contact_owner_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("employer_contact_person")
                    .col(id())
                    .col(big_integer("employer_id"))
                    .col(integer("position"))
                    .col(string("name"))
                    .col(string_null("title"))
                    .col(string_null("email"))
                    .col(string_null("phone"))
                    .foreign_key(&mut fk(
                        "employer_contact_person",
                        "employer_id",
                        "employer",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("employer_contact_person", &["employer_id"]))
            .await?;

        // An EMPLOYER user acts for exactly one employer.
        manager
            .create_table(
                Table::create()
                    .table("user_employer")
                    .col(big_integer("user_id").primary_key())
                    .col(big_integer("employer_id"))
                    .foreign_key(&mut fk(
                        "user_employer",
                        "user_id",
                        "app_user",
                        "id",
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "user_employer",
                        "employer_id",
                        "employer",
                        "id",
                        Cascade,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("user_employer", &["employer_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("competence_need")
                    .col(id())
                    .col(big_integer("employer_id"))
                    .col(string("ssyk_code"))
                    .col(string("title"))
                    .col(text_null("description"))
                    .col(integer("positions").check(Expr::col("positions").gt(0)))
                    .col(boolean("driving_licence"))
                    .col(one_of_null("minimum_swedish_level", values::SWEDISH_LEVEL))
                    .col(one_of_null("minimum_education", values::EDUCATION_LEVEL))
                    .col(text_null("other_requirements"))
                    .col(date_null("earliest_start"))
                    .col(one_of("status", values::NEED_STATUS))
                    .col(big_integer("created_by").null())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "competence_need",
                        "employer_id",
                        "employer",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "competence_need",
                        "ssyk_code",
                        "occupation",
                        "ssyk_code",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "competence_need",
                        "created_by",
                        "app_user",
                        "id",
                        SetNull,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("competence_need", &["employer_id"]))
            .await?;
        manager
            .create_index(index("competence_need", &["status"]))
            .await?;
        manager
            .create_index(index("competence_need", &["ssyk_code"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("employer_contact")
                    .col(id())
                    .col(big_integer("employer_id"))
                    .col(big_integer("logged_by"))
                    .col(big_integer("organization_id"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(one_of("channel", values::CONTACT_CHANNEL))
                    .col(one_of("purpose", values::CONTACT_PURPOSE))
                    .col(string_null("contact_person"))
                    .col(text("summary"))
                    .col(date_null("follow_up_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "employer_contact",
                        "employer_id",
                        "employer",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "employer_contact",
                        "logged_by",
                        "app_user",
                        "id",
                        Restrict,
                    ))
                    .foreign_key(&mut fk(
                        "employer_contact",
                        "organization_id",
                        "organization",
                        "id",
                        Restrict,
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("employer_contact", &["employer_id", "occurred_at"]))
            .await?;
        manager
            .create_index(index("employer_contact", &["logged_by"]))
            .await?;
        manager
            .create_index(index("employer_contact", &["follow_up_on"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "employer_contact",
                "competence_need",
                "user_employer",
                "employer_contact_person",
                "employer",
            ],
        )
        .await
    }
}
