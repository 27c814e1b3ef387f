//! A candidate's application to a job track.

use sea_orm::entity::prelude::*;

use crate::values::{ApplicationStatus, WithdrawalReason};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub job_track_id: i64,
    pub candidate_id: i64,
    pub status: ApplicationStatus,
    pub version: i32,
    pub nominated_by: Option<i64>,
    pub nominated_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub nomination_note: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub language_assessment: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub motivation: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_reason: Option<String>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// Set when WITHDRAWN.
    pub withdrawal_reason: Option<WithdrawalReason>,
    /// The earlier application this nomination carried over (passed trial, not admitted).
    pub carried_over_from: Option<i64>,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    job_track_id,
    candidate_id,
    status,
    version,
    nominated_by,
    nominated_at,
    nomination_note,
    language_assessment,
    motivation,
    decision_reason,
    started_at,
    finished_at,
    updated_at,
    withdrawal_reason,
    carried_over_from,
);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::candidate::Entity",
        from = "Column::CandidateId",
        to = "super::candidate::Column::Id"
    )]
    Candidate,
    #[sea_orm(
        belongs_to = "super::job_track::Entity",
        from = "Column::JobTrackId",
        to = "super::job_track::Column::Id"
    )]
    JobTrack,
    #[sea_orm(has_one = "super::outcome::Entity")]
    Outcome,
}

impl Related<super::candidate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Candidate.def()
    }
}

impl Related<super::job_track::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JobTrack.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
