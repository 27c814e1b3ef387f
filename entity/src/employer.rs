//! An employer (arbetsgivare).

use sea_orm::entity::prelude::*;

use crate::values::EmployerSize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub search_name: String,
    pub org_number: String,
    pub sni_code: Option<String>,
    pub municipality_code: String,
    pub size: Option<EmployerSize>,
    pub contact_owner_id: Option<i64>,
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
    name,
    search_name,
    org_number,
    sni_code,
    municipality_code,
    size,
    contact_owner_id,
    created_by,
    created_at,
    updated_at,
);
