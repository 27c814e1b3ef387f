//! User accounts: creation from the command line, invitations, listing, and lookup;
//! `account` deactivates them and resets passwords.

mod account;

pub use account::{RESET_MINUTES, request_password_reset, reset_password, set_active};

use crate::db::{Db, Tx};
use chrono::Utc;
use jobtrack_entity::{
    app_user, employer, invitation, organization, user_employer, user_municipality, user_role,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Query,
};

use super::identifiers::{EmployerNumber, OrgNumber};
use super::pagination::{Direction, Page, PageRequest, fetch};
use super::unique::Unique;
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
pub async fn create_user(db: &Db, input: NewUser) -> Result<app_user::Model> {
    let (email, name, codes) = validate(db, &input).await?;
    let password_hash = match input.password.clone() {
        Some(p) => {
            password::check_strength(&p)?;
            Some(password::hash(p).await?)
        }
        None => None,
    };
    let tx = db.begin_write().await?;
    let user = insert(&tx, &input, email, name, codes, password_hash).await?;
    tx.commit().await?;
    Ok(user)
}

async fn insert(
    tx: &Tx,
    input: &NewUser,
    email: String,
    name: String,
    codes: Vec<String>,
    password_hash: Option<String>,
) -> Result<app_user::Model> {
    let now = Utc::now();
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
    .exec_with_returning(tx)
    .await
    .map_err(Unique::UserEmail.conflict("a user with this email already exists"))?;
    let mut roles = input.roles.clone();
    roles.sort_unstable();
    roles.dedup();
    user_role::Entity::insert_many(roles.iter().map(|r| user_role::ActiveModel {
        user_id: Set(user.id),
        role: Set(*r),
    }))
    .exec(tx)
    .await?;
    user_municipality::Entity::insert_many(codes.into_iter().map(|code| {
        user_municipality::ActiveModel {
            user_id: Set(user.id),
            municipality_code: Set(code),
        }
    }))
    .exec(tx)
    .await?;
    if let Some(employer_id) = input.employer_id {
        user_employer::Entity::insert(user_employer::ActiveModel {
            user_id: Set(user.id),
            employer_id: Set(employer_id),
        })
        .exec(tx)
        .await?;
    }
    Ok(user)
}

pub const INVITATION_DAYS: i64 = 7;

/// Invites a user: an inactive account, a one-time token stored as a hash, and the email
/// with the link, in one transaction. ADMIN invites anyone; a COORDINATOR invites
/// non-admin users of its own organisation and employer users of employers it sees.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    input: NewUser,
    portal_url: &str,
) -> Result<app_user::Model> {
    policy::may_invite(
        actor,
        &input.roles,
        input.organization_id,
        &input.municipality_codes,
    )?;
    if input.roles == [Role::Employer] {
        let employer_id = input
            .employer_id
            .ok_or_else(|| Error::bad_input("employerId", "is required for an EMPLOYER user"))?;
        super::employers::visible_employer(db, actor, employer_id)
            .await
            .map_err(|_out_of_scope| Error::bad_input("employerId", "no such employer"))?;
    }
    let (email, name, codes) = validate(db, &input).await?;
    let existing = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(db)
        .await?;
    if existing.is_some() {
        return Err(Error::Conflict(
            "a user with this email already exists".into(),
        ));
    }
    let (token, token_hash) = crate::auth::session::new_token();
    let now = Utc::now();
    let tx = db.begin_write().await?;
    let user = insert(&tx, &input, email, name, codes, None).await?;
    invitation::Entity::insert(invitation::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(token_hash),
        expires_at: Set(now + chrono::Duration::days(INVITATION_DAYS)),
        used_at: Set(None),
        invited_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let inviter = app_user::Entity::find_by_id(actor.user_id)
        .one(&tx)
        .await?
        .map_or_else(|| "Jobtrack".to_owned(), |u| u.name);
    let link = format!(
        "{}/invitation?token={token}",
        portal_url.trim_end_matches('/')
    );
    super::outbox::enqueue(
        &tx,
        super::notifications::invitation(&user, &inviter, &link)?,
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

/// Sets the password of an invited user and activates it; the token works once.
pub async fn accept_invitation(db: &Db, token: &str, new_password: &str) -> Result<i64> {
    let invalid = || Error::bad_input("token", "the invitation is invalid, used or expired");
    let now = Utc::now();
    let found = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(crate::auth::session::hash_token(token)))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if found.used_at.is_some() || found.expires_at <= now {
        return Err(invalid());
    }
    password::check_strength(new_password)?;
    let hash = password::hash(new_password.to_owned()).await?;
    let tx = db.begin_write().await?;
    let claimed = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(invitation::Column::Id.eq(found.id))
        .filter(invitation::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    app_user::Entity::update_many()
        .col_expr(
            app_user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .col_expr(
            app_user::Column::Active,
            sea_orm::sea_query::Expr::value(true),
        )
        .col_expr(
            app_user::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(app_user::Column::Id.eq(found.user_id))
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(found.user_id)
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
    let number = EmployerNumber::parse(number, crate::domain::calendar::swedish_today())
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
            .and_where(user_role::Column::Role.eq(role))
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
