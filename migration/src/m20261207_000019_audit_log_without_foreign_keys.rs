//! The audit log keeps the ids of the reader and the candidate as recorded facts, not as
//! foreign keys. Candidates and users are never deleted (a candidate is erased by
//! anonymising the row), so the keys checked nothing the code does not already hold; and
//! `ON DELETE SET NULL` would have erased the very thing a log is for. What they cost:
//! PostgreSQL checks a foreign key per inserted row with `SELECT … FOR KEY SHARE`, a
//! WAL-logged row lock on the candidate and on the reader, which turns into a multixact
//! when two requests read the same candidates. A shortlist writes 50 events per request;
//! with the keys, that INSERT ran at a third of the rate it runs at without them.
//!
//! PostgreSQL drops the constraints. SQLite cannot, so `audit_event` is rebuilt with the
//! same columns, rows, ids and indexes (no table references it). Down puts the keys back,
//! first clearing an id whose row is gone, as `ON DELETE SET NULL` would have.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::util::{big_integer, fk, id, index, string, text_null, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: &str = "id, at, actor_id, action, candidate_id, detail";
const KEYS: [(&str, &str); 2] = [("actor_id", "app_user"), ("candidate_id", "candidate")];

fn audit_table(name: &'static str, with_keys: bool) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(name)
        .col(id())
        .col(timestamp_with_time_zone("at"))
        .col(big_integer("actor_id").null())
        .col(string("action"))
        .col(big_integer("candidate_id").null())
        .col(text_null("detail"));
    if with_keys {
        for (column, target) in KEYS {
            table.foreign_key(&mut fk(
                "audit_event",
                column,
                target,
                "id",
                ForeignKeyAction::SetNull,
            ));
        }
    }
    table.take()
}

async fn rebuild(manager: &SchemaManager<'_>, with_keys: bool) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if with_keys {
        // What `ON DELETE SET NULL` would have done to an id whose row is gone.
        for (column, target) in KEYS {
            db.execute_unprepared(&format!(
                "UPDATE audit_event SET {column} = NULL \
                 WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {target})"
            ))
            .await?;
        }
    }
    if manager.get_database_backend() == DbBackend::Postgres {
        for (column, target) in KEYS {
            let statement = if with_keys {
                format!(
                    "ALTER TABLE audit_event ADD CONSTRAINT fk_audit_event_{column} \
                     FOREIGN KEY ({column}) REFERENCES {target} (id) ON DELETE SET NULL"
                )
            } else {
                format!("ALTER TABLE audit_event DROP CONSTRAINT fk_audit_event_{column}")
            };
            db.execute_unprepared(&statement).await?;
        }
        return Ok(());
    }
    // One batch on one connection: a pooled SQLite connection with a stale schema would
    // still see the dropped table when the rename runs. The rows keep their ids, and
    // AUTOINCREMENT carries on after the largest.
    let create = DbBackend::Sqlite.build(&audit_table("audit_event_next", with_keys));
    let indexes = ["candidate_id", "actor_id"].map(|column| {
        DbBackend::Sqlite
            .build(&index("audit_event", &[column]))
            .to_string()
    });
    db.execute_unprepared(&format!(
        "{create};\n\
         INSERT INTO audit_event_next ({COLUMNS}) SELECT {COLUMNS} FROM audit_event ORDER BY id;\n\
         DROP TABLE audit_event;\n\
         ALTER TABLE audit_event_next RENAME TO audit_event;\n\
         {};",
        indexes.join(";\n")
    ))
    .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, true).await
    }
}
