//! An information meeting of a job track: when, where and for how many.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "info_meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_track_id: i64,
    pub starts_at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub location: String,
    pub capacity: Option<i32>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
