//! A consent given by a candidate; withdrawn consents are kept as history.

use sea_orm::entity::prelude::*;

use crate::values::{ConsentMethod, ConsentScope};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub candidate_id: i64,
    pub scope: ConsentScope,
    pub method: ConsentMethod,
    pub given_at: DateTimeUtc,
    pub recorded_by: i64,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub withdrawn_by: Option<i64>,
    /// Always set (a nullable column only because SQLite cannot add a NOT NULL column
    /// without a constant default); the consent counts from then.
    pub valid_from: Option<DateTimeUtc>,
    /// The consent runs out then, if set.
    pub valid_until: Option<DateTimeUtc>,
    /// EMPLOYER_SHARING with this one employer only; `None`: every employer of the
    /// candidate's tracks.
    pub employer_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
