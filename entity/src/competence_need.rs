//! A competence need posted by or for an employer.

use sea_orm::entity::prelude::*;

use crate::values::{CompetenceNeedStatus, EducationLevel, SwedishLevel};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competence_need")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employer_id: i64,
    pub ssyk_code: String,
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub description: Option<String>,
    pub positions: i32,
    pub driving_licence: bool,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
    #[sea_orm(column_type = "Text", nullable)]
    pub other_requirements: Option<String>,
    pub earliest_start: Option<Date>,
    pub status: CompetenceNeedStatus,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    employer_id,
    ssyk_code,
    title,
    description,
    positions,
    driving_licence,
    minimum_swedish_level,
    minimum_education,
    other_requirements,
    earliest_start,
    status,
    created_by,
    created_at,
    updated_at,
);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
