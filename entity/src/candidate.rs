//! A job seeker; personal data, read only through the domain's policy.

use sea_orm::entity::prelude::*;

use crate::values::{EducationLevel, Gender, Programme, SwedishLevel};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub search_name: String,
    pub personal_identity_number: Option<String>,
    pub birth_year: i32,
    pub gender: Gender,
    pub municipality_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: EducationLevel,
    pub swedish_level: SwedishLevel,
    pub driving_licence: bool,
    pub programme: Programme,
    pub caseworker_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub erased_at: Option<DateTimeUtc>,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    first_name,
    last_name,
    search_name,
    personal_identity_number,
    birth_year,
    gender,
    municipality_code,
    email,
    phone,
    education_level,
    swedish_level,
    driving_licence,
    programme,
    caseworker_id,
    created_at,
    updated_at,
    erased_at,
);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
