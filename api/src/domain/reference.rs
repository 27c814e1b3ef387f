//! Reference data: municipalities, occupations (SSYK) and industries (SNI).

use jobtrack_entity::{industry, municipality, occupation};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::identifiers::four_digit_code;
use crate::error::{Error, Result};

pub async fn municipalities(db: &impl ConnectionTrait) -> Result<Vec<municipality::Model>> {
    Ok(municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(db)
        .await?)
}

/// Occupations whose name or code contains `search` (case-insensitive), by code.
pub async fn occupations(
    db: &impl ConnectionTrait,
    search: Option<&str>,
) -> Result<Vec<occupation::Model>> {
    let mut all = occupation::Entity::find()
        .order_by_asc(occupation::Column::SsykCode)
        .all(db)
        .await?;
    // The table is small (reference data); matching here gives the same Unicode
    // case-folding of å, ä, ö on SQLite and PostgreSQL.
    if let Some(needle) = search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
    {
        all.retain(|o| o.name.to_lowercase().contains(&needle) || o.ssyk_code.starts_with(&needle));
    }
    Ok(all)
}

/// A municipality code that exists, or BAD_USER_INPUT on `field`.
pub async fn municipality_code(
    db: &impl ConnectionTrait,
    field: &str,
    input: &str,
) -> Result<String> {
    let code = four_digit_code(input).map_err(|m| Error::bad_input(field, m))?;
    match municipality::Entity::find_by_id(code.clone())
        .one(db)
        .await?
    {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(
            field,
            "is not a Swedish municipality code",
        )),
    }
}

/// An SSYK 2012 code that exists, or BAD_USER_INPUT on `field`.
pub async fn ssyk_code(db: &impl ConnectionTrait, field: &str, input: &str) -> Result<String> {
    let code = four_digit_code(input).map_err(|m| Error::bad_input(field, m))?;
    match occupation::Entity::find_by_id(code.clone()).one(db).await? {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(
            field,
            "is not a known SSYK 2012 occupation code",
        )),
    }
}

/// An SNI 2007 code that exists, or BAD_USER_INPUT on `field`.
pub async fn sni_code(db: &impl ConnectionTrait, field: &str, input: &str) -> Result<String> {
    let code = input.trim().to_uppercase();
    match industry::Entity::find()
        .filter(industry::Column::SniCode.eq(&code))
        .one(db)
        .await?
    {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(field, "is not a known SNI 2007 code")),
    }
}
