//! The consent ledger: a consent is valid from a time and optionally until one, an
//! EMPLOYER_SHARING consent may name the one employer it applies to, and an application
//! withdrawn keeps why (`REQUESTED`, or `CONSENT_WITHDRAWN` when the candidate's
//! collaboration consent was withdrawn or ran out). Consent history is append-only: a
//! trigger refuses deleting a consent and changing one, except recording its withdrawal
//! once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::util::{one_of_null, timestamp_with_time_zone_null, values};

#[derive(DeriveMigrationName)]
pub struct Migration;

const IMMUTABLE: &[&str] = &[
    "candidate_id",
    "scope",
    "method",
    "given_at",
    "recorded_by",
    "valid_from",
    "valid_until",
    "employer_id",
];

const SQLITE_TRIGGERS: &str = "
CREATE TRIGGER consent_append_only_delete BEFORE DELETE ON consent
BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for column in [
            timestamp_with_time_zone_null("valid_from"),
            timestamp_with_time_zone_null("valid_until"),
        ] {
            manager
                .alter_table(Table::alter().table("consent").add_column(column).take())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("application")
                    .add_column(one_of_null("withdrawal_reason", values::WITHDRAWAL_REASON))
                    .take(),
            )
            .await?;
        let integer = match db.get_database_backend() {
            DatabaseBackend::Sqlite => "INTEGER",
            _ => "BIGINT",
        };
        db.execute_unprepared(&format!(
            "ALTER TABLE consent ADD COLUMN employer_id {integer} REFERENCES employer (id)"
        ))
        .await?;
        db.execute_unprepared(
            "UPDATE consent SET valid_from = given_at;
             UPDATE application SET withdrawal_reason = 'REQUESTED' WHERE status = 'WITHDRAWN';",
        )
        .await?;
        let changed = IMMUTABLE
            .iter()
            .map(|c| format!("NEW.{c} IS NOT OLD.{c}"))
            .collect::<Vec<_>>()
            .join(" OR ");
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER consent_append_only_update BEFORE UPDATE ON consent
                     WHEN OLD.withdrawn_at IS NOT NULL OR {changed}
                     BEGIN SELECT RAISE(ABORT, 'consent history is append-only'); END;
                     {SQLITE_TRIGGERS}"
            ))
            .await?;
        } else {
            let changed = changed.replace(" IS NOT ", " IS DISTINCT FROM ");
            db.execute_unprepared(&format!(
                "CREATE FUNCTION consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                       IF TG_OP = 'DELETE' OR OLD.withdrawn_at IS NOT NULL OR {changed} THEN
                         RAISE EXCEPTION 'consent history is append-only';
                       END IF;
                       RETURN NEW;
                     END $$;
                     CREATE TRIGGER consent_append_only BEFORE UPDATE OR DELETE ON consent
                       FOR EACH ROW EXECUTE FUNCTION consent_append_only();"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            db.execute_unprepared(
                "DROP TRIGGER consent_append_only_update;
                     DROP TRIGGER consent_append_only_delete;",
            )
            .await?;
        } else {
            db.execute_unprepared(
                "DROP TRIGGER consent_append_only ON consent;
                     DROP FUNCTION consent_append_only();",
            )
            .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("application")
                    .drop_column("withdrawal_reason")
                    .take(),
            )
            .await?;
        for column in ["employer_id", "valid_until", "valid_from"] {
            manager
                .alter_table(Table::alter().table("consent").drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
