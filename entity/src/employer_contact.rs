//! A logged contact between an adviser and an employer.

use sea_orm::entity::prelude::*;

use crate::values::{ContactChannel, ContactPurpose};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employer_contact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employer_id: i64,
    pub logged_by: i64,
    pub organization_id: i64,
    pub occurred_at: DateTimeUtc,
    pub channel: ContactChannel,
    pub purpose: ContactPurpose,
    pub contact_person: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub follow_up_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(
    id,
    employer_id,
    logged_by,
    organization_id,
    occurred_at,
    channel,
    purpose,
    contact_person,
    summary,
    follow_up_on,
    created_at,
);

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
