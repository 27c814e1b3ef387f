//! Outcomes tell subsidised employment apart, as the agreements do: introduktionsjobb,
//! lönebidrag or another subsidy. Stored EMPLOYED_WITH_SUBSIDY rows become
//! EMPLOYED_OTHER_SUBSIDY (which subsidy was not recorded); the CHECK constraint lists
//! the new values. Down maps the three back to EMPLOYED_WITH_SUBSIDY.
//!
//! PostgreSQL replaces the CHECK constraint in place. SQLite cannot alter a constraint,
//! so the `outcome` table is rebuilt (no table references it) with the same columns and
//! foreign keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::util::{big_integer, date_null, fk, one_of, timestamp_with_time_zone, values};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SUBSIDIES: &str =
    "'EMPLOYED_INTRODUKTIONSJOBB', 'EMPLOYED_LONEBIDRAG', 'EMPLOYED_OTHER_SUBSIDY'";

fn outcome_table(name: &'static str, kinds: &[&'static str]) -> TableCreateStatement {
    use ForeignKeyAction::{Cascade, Restrict, SetNull};
    Table::create()
        .table(name)
        .col(big_integer("application_id").primary_key())
        .col(one_of("kind", kinds))
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
        .take()
}

/// Rewrites the kinds with `mapping` (an SQL CASE over `kind`) under a CHECK listing `kinds`.
async fn convert(
    manager: &SchemaManager<'_>,
    kinds: &[&'static str],
    mapping: &str,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if manager.get_database_backend() == DbBackend::Postgres {
        let allowed: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
        db.execute_unprepared("ALTER TABLE outcome DROP CONSTRAINT outcome_kind_check")
            .await?;
        db.execute_unprepared(&format!("UPDATE outcome SET kind = {mapping}"))
            .await?;
        db.execute_unprepared(&format!(
            "ALTER TABLE outcome ADD CONSTRAINT outcome_kind_check CHECK (kind IN ({}))",
            allowed.join(", ")
        ))
        .await?;
        return Ok(());
    }
    // One batch on one connection: a pooled SQLite connection with a stale schema would
    // still see the dropped table when the rename runs.
    let create = DbBackend::Sqlite.build(&outcome_table("outcome_next", kinds));
    db.execute_unprepared(&format!(
        "{create};\n\
         INSERT INTO outcome_next (application_id, kind, employer_id, starts_on, recorded_by, recorded_at) \
         SELECT application_id, {mapping}, employer_id, starts_on, recorded_by, recorded_at FROM outcome;\n\
         DROP TABLE outcome;\n\
         ALTER TABLE outcome_next RENAME TO outcome;"
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        convert(
            manager,
            values::OUTCOME_KIND_11,
            "CASE kind WHEN 'EMPLOYED_WITH_SUBSIDY' THEN 'EMPLOYED_OTHER_SUBSIDY' ELSE kind END",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        convert(
            manager,
            values::OUTCOME_KIND,
            &format!("CASE WHEN kind IN ({SUBSIDIES}) THEN 'EMPLOYED_WITH_SUBSIDY' ELSE kind END"),
        )
        .await
    }
}
