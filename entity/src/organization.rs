//! A party to agreements: municipality, employment service, adult education.

use sea_orm::entity::prelude::*;

use crate::values::OrganizationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub org_number: String,
    pub kind: OrganizationKind,
    pub municipality_code: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

// Read by position on the hot paths (`positional`); the fields in declared order.
crate::positional!(id, name, org_number, kind, municipality_code, created_at,);
