//! A job seeker; personal data, read only through the domain's policy.

use sea_orm::entity::prelude::*;

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
    pub gender: String,
    pub municipality_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: String,
    pub swedish_level: String,
    pub driving_licence: bool,
    pub programme: String,
    pub caseworker_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
