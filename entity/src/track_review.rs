//! The working group's review of a completed track.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "track_review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_track_id: i64,
    #[sea_orm(column_type = "Text")]
    pub what_worked: String,
    #[sea_orm(column_type = "Text")]
    pub employer_view: String,
    pub employed_count: i32,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
