//! One step of the admission process of an application.

use sea_orm::entity::prelude::*;

use crate::values::{AdmissionStepKind, StepResult};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admission_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub kind: AdmissionStepKind,
    pub scheduled_at: Option<DateTimeUtc>,
    pub ends_at: Option<DateTimeUtc>,
    pub location: Option<String>,
    pub employer_id: Option<i64>,
    pub result: StepResult,
    #[sea_orm(column_type = "Text", nullable)]
    pub assessment: Option<String>,
    pub assessed_by: Option<i64>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    application_id,
    kind,
    scheduled_at,
    ends_at,
    location,
    employer_id,
    result,
    assessment,
    assessed_by,
    completed_at,
    created_at,
);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
