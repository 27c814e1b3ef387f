//! Gives the unique constraints that columns declared inline (`email UNIQUE`) their
//! `uq_<table>_<column>` names, like every other unique constraint, so the domain maps
//! a violation by the constraint's exact name.
//!
//! PostgreSQL named them `<table>_<column>_key`; renaming the constraint renames its
//! index. SQLite has no names for inline constraints (it reports the columns,
//! `UNIQUE constraint failed: app_user.email`, which the domain matches instead), and
//! renaming would mean rebuilding the tables, so there it changes nothing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column) of each inline unique constraint.
const INLINE: &[(&str, &str)] = &[
    ("app_user", "email"),
    ("refresh_token", "token_hash"),
    ("invitation", "token_hash"),
    ("employer", "org_number"),
    ("candidate", "personal_identity_number"),
];

async fn rename(manager: &SchemaManager<'_>, to_uq: bool) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for (table, column) in INLINE {
        let (from, to) = (
            format!("{table}_{column}_key"),
            format!("uq_{table}_{column}"),
        );
        let (from, to) = if to_uq { (from, to) } else { (to, from) };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "ALTER TABLE \"{table}\" RENAME CONSTRAINT \"{from}\" TO \"{to}\""
            ))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename(manager, false).await
    }
}
