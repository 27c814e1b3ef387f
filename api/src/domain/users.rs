//! User accounts: creation from the command line, listing, and lookup.

use chrono::Utc;
use jobtrack_entity::{
    app_user, employer, organization, user_employer, user_municipality, user_role,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Query,
};

use super::identifiers::{EmployerNumber, OrgNumber};
use super::pagination::{Direction, Page, PageRequest, fetch};
use super::values::Role;
use super::{NAME_MAX, email_address, policy, reference, required_text};
use crate::auth::{Actor, password};
use crate::error::{Error, Result};

/// A user to create; organisation and employer are named by their numbers (CLI) or ids.
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub organization_id: Option<i64>,
    pub employer_id: Option<i64>,
    pub municipality_codes: Vec<String>,
    /// `None`: inactive until the user accepts an invitation.
    pub password: Option<String>,
}

/// Checks a new user's shape: roles, and that EMPLOYER users have an employer and staff
/// an organisation. Returns the normalised email, name and municipality codes.
async fn validate(
    db: &impl ConnectionTrait,
    input: &NewUser,
) -> Result<(String, String, Vec<String>)> {
    let email = email_address("email", &input.email)?;
    let name = required_text("name", &input.name, NAME_MAX)?;
    if input.roles.is_empty() {
        return Err(Error::bad_input("roles", "at least one role is required"));
    }
    let is_employer = input.roles.contains(&Role::Employer);
    if is_employer && input.roles.len() > 1 {
        return Err(Error::bad_input(
            "roles",
            "an EMPLOYER user holds no other role",
        ));
    }
    if is_employer && input.employer_id.is_none() {
        return Err(Error::bad_input(
            "employerId",
            "is required for an EMPLOYER user",
        ));
    }
    if !is_employer && input.employer_id.is_some() {
        return Err(Error::bad_input("employerId", "is only for EMPLOYER users"));
    }
    if !is_employer && !input.roles.contains(&Role::Admin) && input.organization_id.is_none() {
        return Err(Error::bad_input(
            "organizationId",
            "staff users belong to an organisation",
        ));
    }
    if let Some(id) = input.organization_id {
        organization::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| Error::bad_input("organizationId", "no such organisation"))?;
    }
    if let Some(id) = input.employer_id {
        employer::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| Error::bad_input("employerId", "no such employer"))?;
    }
    let mut codes = Vec::new();
    for code in &input.municipality_codes {
        codes.push(reference::municipality_code(db, "municipalityCodes", code).await?);
    }
    codes.sort_unstable();
    codes.dedup();
    Ok((email, name, codes))
}

/// Creates a user and its roles, scope and employer link in one transaction.
pub async fn create_user(db: &DatabaseConnection, input: NewUser) -> Result<app_user::Model> {
    let (email, name, codes) = validate(db, &input).await?;
    let password_hash = match input.password {
        Some(p) => {
            password::check_strength(&p)?;
            Some(password::hash(p).await?)
        }
        None => None,
    };
    let now = Utc::now();
    let tx = crate::db::begin_write(db).await?;
    let user = app_user::Entity::insert(app_user::ActiveModel {
        email: Set(email),
        name: Set(name),
        active: Set(password_hash.is_some()),
        password_hash: Set(password_hash),
        organization_id: Set(input.organization_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    let mut roles = input.roles.clone();
    roles.sort_unstable();
    roles.dedup();
    user_role::Entity::insert_many(roles.iter().map(|r| user_role::ActiveModel {
        user_id: Set(user.id),
        role: Set(r.as_str().to_owned()),
    }))
    .exec(&tx)
    .await?;
    user_municipality::Entity::insert_many(codes.into_iter().map(|code| {
        user_municipality::ActiveModel {
            user_id: Set(user.id),
            municipality_code: Set(code),
        }
    }))
    .exec(&tx)
    .await?;
    if let Some(employer_id) = input.employer_id {
        user_employer::Entity::insert(user_employer::ActiveModel {
            user_id: Set(user.id),
            employer_id: Set(employer_id),
        })
        .exec(&tx)
        .await?;
    }
    tx.commit().await?;
    Ok(user)
}

/// Resolves the CLI's `--organization ORGNR` to an id.
pub async fn organization_by_number(db: &impl ConnectionTrait, number: &str) -> Result<i64> {
    let number = OrgNumber::parse(number).map_err(|m| Error::bad_input("organization", m))?;
    organization::Entity::find()
        .filter(organization::Column::OrgNumber.eq(number.as_str()))
        .one(db)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| Error::bad_input("organization", "no organisation with this number"))
}

/// Resolves the CLI's `--employer ORGNR` to an id.
pub async fn employer_by_number(db: &impl ConnectionTrait, number: &str) -> Result<i64> {
    let number = EmployerNumber::parse(number, Utc::now().date_naive())
        .map_err(|m| Error::bad_input("employer", m))?;
    employer::Entity::find()
        .filter(employer::Column::OrgNumber.eq(number.stored()))
        .one(db)
        .await?
        .map(|e| e.id)
        .ok_or_else(|| Error::bad_input("employer", "no employer with this number"))
}

pub async fn users(
    db: &impl ConnectionTrait,
    actor: &Actor,
    role: Option<Role>,
    page: PageRequest,
) -> Result<Page<app_user::Model>> {
    let mut select = policy::scoped(app_user::Entity::find(), policy::user_scope(actor));
    if let Some(role) = role {
        let holders = Query::select()
            .column(user_role::Column::UserId)
            .from(user_role::Entity)
            .and_where(user_role::Column::Role.eq(role.as_str()))
            .to_owned();
        select = select.filter(app_user::Column::Id.in_subquery(holders));
    }
    fetch(db, select, app_user::Column::Id, page, Direction::Ascending).await
}

pub async fn visible_user(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<app_user::Model> {
    policy::scoped(app_user::Entity::find_by_id(id), policy::user_scope(actor))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}
