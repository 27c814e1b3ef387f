//! A section manager's acknowledgement of a track's escalation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "escalation_acknowledgement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_track_id: i64,
    pub acknowledged_by: Option<i64>,
    pub acknowledged_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
