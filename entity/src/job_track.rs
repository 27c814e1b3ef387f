//! A local job track (lokalt jobbspår).

use sea_orm::entity::prelude::*;

use crate::values::{EducationLevel, JobTrackStatus, SwedishLevel};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_track")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub search_title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub ssyk_code: String,
    pub agreement_id: i64,
    pub seats: i32,
    pub status: JobTrackStatus,
    pub version: i32,
    pub application_deadline: Option<Date>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub eligible_programmes: String,
    #[sea_orm(column_type = "Text")]
    pub eligible_target_groups: String,
    pub requires_driving_licence: bool,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
    #[sea_orm(column_type = "Text", nullable)]
    pub other_requirements: Option<String>,
    pub escalated_at: Option<DateTimeUtc>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    title,
    search_title,
    description,
    ssyk_code,
    agreement_id,
    seats,
    status,
    version,
    application_deadline,
    start_date,
    end_date,
    eligible_programmes,
    eligible_target_groups,
    requires_driving_licence,
    minimum_swedish_level,
    minimum_education,
    other_requirements,
    escalated_at,
    created_by,
    created_at,
    updated_at,
);
