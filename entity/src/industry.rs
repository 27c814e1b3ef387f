//! SNI 2007 industry at any level: section (`C`), division (`25`), group (`25.6`),
//! class (`25.62`) or detailed group (`25.620`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "industry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub sni_code: String,
    pub name: String,
    /// 1 (section) to 5 (detailed group).
    pub level: i32,
    pub parent: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
