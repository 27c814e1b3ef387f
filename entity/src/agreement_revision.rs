//! An agreement as one revision decided it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub revised_on: Date,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub name: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub revision_due: Option<Date>,
    pub completion_target_percent: i32,
    pub escalation_threshold: i32,
    /// The parties' organisation ids, comma-separated, ascending.
    #[sea_orm(column_type = "Text")]
    pub party_ids: String,
    /// The municipality codes, comma-separated, ascending.
    #[sea_orm(column_type = "Text")]
    pub municipality_codes: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
