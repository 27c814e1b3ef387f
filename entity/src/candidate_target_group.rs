//! A target group (målgrupp) a candidate belongs to.

use sea_orm::entity::prelude::*;

use crate::values::TargetGroup;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate_target_group")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub target_group: TargetGroup,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
