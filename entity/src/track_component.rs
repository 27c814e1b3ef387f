//! One link in a track's ordered chain of components.

use sea_orm::entity::prelude::*;

use crate::values::ComponentKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "track_component")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_track_id: i64,
    pub position: i32,
    pub kind: ComponentKind,
    pub title: String,
    pub provider: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub hours_per_week: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
