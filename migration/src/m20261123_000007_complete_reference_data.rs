//! Every level of SSYK 2012 (429 unit groups, with JobTech's concept ids) and of SNI 2007
//! (sections to detailed groups), from SCB's lists shipped in `data/`. SNI codes are
//! stored in their dotted form (`25.620`); the first migration's rows keep their codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_query::OnConflict;

use crate::reference::{
    INDUSTRIES, OCCUPATIONS, SNI_2007_CSV, SSYK_2012_CSV, canonical_sni, csv_records,
};
use crate::util::{integer, string_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ROWS_PER_INSERT: usize = 400;

async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    // One column per statement: SQLite's ALTER TABLE takes one change at a time.
    manager
        .alter_table(Table::alter().table(table).add_column(column).take())
        .await
}

async fn drop_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: &'static str,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).take())
        .await
}

/// Inserts `rows` into `table`, or updates the row with the same code.
async fn upsert(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<SimpleExpr>>,
) -> Result<(), DbErr> {
    let Some((key, _)) = columns.split_first() else {
        return Err(DbErr::Migration(format!("no columns for {table:?}")));
    };
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert = Query::insert();
        insert.into_table(table).columns(columns.iter().copied());
        for row in chunk {
            insert
                .values(row.clone())
                .map_err(|e| DbErr::Migration(e.to_string()))?;
        }
        insert.on_conflict(
            OnConflict::column(*key)
                .update_columns(columns.iter().skip(1).copied())
                .to_owned(),
        );
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}

fn text(value: &str) -> SimpleExpr {
    if value.is_empty() {
        Option::<String>::None.into()
    } else {
        value.to_owned().into()
    }
}

fn level(value: &str) -> Result<SimpleExpr, DbErr> {
    value
        .parse::<i32>()
        .map(Into::into)
        .map_err(|e| DbErr::Migration(format!("bad level {value}: {e}")))
}

fn sni(code: &str) -> Result<String, DbErr> {
    canonical_sni(code).ok_or_else(|| DbErr::Migration(format!("bad SNI code {code}")))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(manager, "occupation", integer("level").default(4).take()).await?;
        add_column(manager, "occupation", string_null("parent")).await?;
        add_column(manager, "occupation", string_null("jobtech_concept_id")).await?;
        add_column(manager, "industry", integer("level").default(1).take()).await?;
        add_column(manager, "industry", string_null("parent")).await?;

        let mut occupations = Vec::new();
        for record in csv_records(SSYK_2012_CSV) {
            let [lvl, code, name, parent, concept] = record.as_slice() else {
                return Err(DbErr::Migration(format!("bad SSYK row {record:?}")));
            };
            occupations.push(vec![
                text(code),
                text(name),
                level(lvl)?,
                text(parent),
                text(concept),
            ]);
        }
        upsert(
            manager,
            "occupation",
            &["ssyk_code", "name", "level", "parent", "jobtech_concept_id"],
            occupations,
        )
        .await?;

        let mut industries = Vec::new();
        for record in csv_records(SNI_2007_CSV) {
            let [lvl, code, name, parent] = record.as_slice() else {
                return Err(DbErr::Migration(format!("bad SNI row {record:?}")));
            };
            let parent = if parent.is_empty() {
                String::new()
            } else {
                sni(parent)?
            };
            industries.push(vec![
                text(&sni(code)?),
                text(name),
                level(lvl)?,
                text(&parent),
            ]);
        }
        upsert(
            manager,
            "industry",
            &["sni_code", "name", "level", "parent"],
            industries,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to the first migration's rows and names. Fails (foreign key) while an
        // employer, need or track still uses a code that did not exist then.
        let keep = |rows: &[(&str, &str)]| {
            rows.iter()
                .map(|(code, _)| (*code).to_owned())
                .collect::<Vec<_>>()
        };
        manager
            .exec_stmt(
                Query::delete()
                    .from_table("occupation")
                    .cond_where(Expr::col("ssyk_code").is_not_in(keep(OCCUPATIONS)))
                    .take(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table("industry")
                    .cond_where(Expr::col("sni_code").is_not_in(keep(INDUSTRIES)))
                    .take(),
            )
            .await?;
        for (table, key, rows) in [
            ("occupation", "ssyk_code", OCCUPATIONS),
            ("industry", "sni_code", INDUSTRIES),
        ] {
            for (code, name) in rows {
                manager
                    .exec_stmt(
                        Query::update()
                            .table(table)
                            .value("name", *name)
                            .and_where(Expr::col(key).eq(*code))
                            .take(),
                    )
                    .await?;
            }
        }
        for column in ["jobtech_concept_id", "parent", "level"] {
            drop_column(manager, "occupation", column).await?;
        }
        for column in ["parent", "level"] {
            drop_column(manager, "industry", column).await?;
        }
        Ok(())
    }
}
