//! SSYK 2012 occupation group at any level; unit groups (level 4) are what tracks and
//! needs name.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "occupation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ssyk_code: String,
    pub name: String,
    /// 1 (major group) to 4 (unit group).
    pub level: i32,
    pub parent: Option<String>,
    /// JobTech Taxonomy's concept id, where JobTech has the same code.
    pub jobtech_concept_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
