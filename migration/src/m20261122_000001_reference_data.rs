//! Reference tables and their data: municipalities, SSYK occupations, SNI industries.

use sea_orm_migration::prelude::*;

use crate::reference::{INDUSTRIES, MUNICIPALITIES, OCCUPATIONS};
use crate::util::{drop_tables, string};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Creates a two-column code table and fills it.
async fn code_table(
    manager: &SchemaManager<'_>,
    table: &'static str,
    key: &'static str,
    rows: &[(&str, &str)],
) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(string(key).primary_key())
                .col(string("name"))
                .take(),
        )
        .await?;
    let mut insert = Query::insert();
    insert.into_table(table).columns([key, "name"]);
    for (code, name) in rows {
        insert
            .values([(*code).into(), (*name).into()])
            .map_err(|e| DbErr::Migration(e.to_string()))?;
    }
    manager.exec_stmt(insert).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        code_table(manager, "municipality", "code", MUNICIPALITIES).await?;
        code_table(manager, "occupation", "ssyk_code", OCCUPATIONS).await?;
        code_table(manager, "industry", "sni_code", INDUSTRIES).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["industry", "occupation", "municipality"]).await
    }
}
