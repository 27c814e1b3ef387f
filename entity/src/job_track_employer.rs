//! An employer of a track.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_track_employer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_track_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub employer_id: i64,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(job_track_id, employer_id,);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::job_track::Entity",
        from = "Column::JobTrackId",
        to = "super::job_track::Column::Id"
    )]
    JobTrack,
    #[sea_orm(
        belongs_to = "super::employer::Entity",
        from = "Column::EmployerId",
        to = "super::employer::Column::Id"
    )]
    Employer,
}

impl ActiveModelBehavior for ActiveModel {}

impl Related<super::job_track::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JobTrack.def()
    }
}

impl Related<super::employer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Employer.def()
    }
}
