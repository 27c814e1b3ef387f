//! An agreement on collaboration (överenskommelse om samverkan).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub revision_due: Option<Date>,
    pub completion_target_percent: i32,
    pub escalation_threshold: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
