//! Keeping accounts in order: deactivating and reactivating users, and resetting a
//! forgotten password by email.

use crate::db::Db;
use chrono::Utc;
use jobtrack_entity::{app_user, password_reset, refresh_token, user_role};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use super::visible_user;
use crate::auth::{Actor, password};
use crate::domain::values::Role;
use crate::domain::{audit, email_address, policy};
use crate::error::{Error, Result};

/// deactivateUser / reactivateUser: ADMIN any user, COORDINATOR the users of its own
/// organisation (never an ADMIN), never oneself. A deactivated user's sign-ins end at
/// once: its refresh tokens are revoked and its access tokens are refused (the viewer
/// is loaded per request and must be active). Reactivating needs an accepted invitation.
pub async fn set_active(db: &Db, actor: &Actor, id: i64, active: bool) -> Result<app_user::Model> {
    let user = visible_user(db, actor, id).await?;
    let target = load_roles(db, id).await?;
    policy::require(policy::may_deactivate_user(actor, &user, &target))?;
    if id == actor.user_id {
        return Err(Error::bad_input(
            "userId",
            "you cannot deactivate or reactivate yourself",
        ));
    }
    if active && user.password_hash.is_none() {
        return Err(Error::InvalidState(
            "the user has not accepted the invitation yet".into(),
        ));
    }
    if user.active == active {
        return Ok(user);
    }
    let tx = db.begin_write().await?;
    let now = Utc::now();
    let mut row = user.into_active_model();
    row.active = Set(active);
    row.updated_at = Set(now);
    let updated = row.update(&tx).await?;
    if !active {
        end_sessions(&tx, id, now).await?;
    }
    audit::record(
        &tx,
        Some(actor),
        if active {
            "user.reactivate"
        } else {
            "user.deactivate"
        },
        None,
        Some(format!("user {id}")),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

async fn load_roles(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<Role>> {
    Ok(user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role)
        .collect())
}

/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;
/// At most this many unused links per user and hour; more requests send nothing.
const RESETS_PER_HOUR: u64 = 3;

/// requestPasswordReset: emails an active user with a password a single-use link. Says
/// nothing about whether the address is known: unknown, inactive and throttled requests
/// succeed alike and send nothing.
pub async fn request_password_reset(db: &Db, email: &str, portal_url: &str) -> Result<()> {
    let Ok(email) = email_address("email", email) else {
        return Ok(());
    };
    let Some(user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(db)
        .await?
        .filter(|u| u.active && u.password_hash.is_some())
    else {
        return Ok(());
    };
    let now = Utc::now();
    let tx = db.begin_write().await?;
    // The user's row is locked: parallel requests are counted one after the other.
    app_user::Entity::find_by_id(user.id)
        .lock_exclusive()
        .one(&tx)
        .await?;
    let recent = password_reset::Entity::find()
        .filter(password_reset::Column::UserId.eq(user.id))
        .filter(password_reset::Column::CreatedAt.gt(now - chrono::Duration::hours(1)))
        .count(&tx)
        .await?;
    if recent >= RESETS_PER_HOUR {
        return Ok(());
    }
    let (token, token_hash) = crate::auth::session::new_token();
    password_reset::Entity::insert(password_reset::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(token_hash),
        expires_at: Set(now + chrono::Duration::minutes(RESET_MINUTES)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&tx)
    .await?;
    let link = format!(
        "{}/reset-password?token={token}",
        portal_url.trim_end_matches('/')
    );
    crate::domain::outbox::enqueue(
        &tx,
        crate::domain::notifications::password_reset(&user, &link)?,
    )
    .await?;
    audit::record(
        &tx,
        None,
        "user.password_reset.request",
        None,
        Some(format!("user {}", user.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// resetPassword: sets a new password with a link from requestPasswordReset, once, while
/// it is valid and the user active; every other sign-in of the user ends.
pub async fn reset_password(db: &Db, token: &str, new_password: &str) -> Result<i64> {
    let invalid = || Error::bad_input("token", "the link is invalid, used or expired");
    let now = Utc::now();
    let found = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(crate::auth::session::hash_token(token)))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if found.used_at.is_some() || found.expires_at <= now {
        return Err(invalid());
    }
    password::check_strength(new_password)?;
    let hash = password::hash(new_password.to_owned()).await?;
    let tx = db.begin_write().await?;
    let claimed = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(now))
        .filter(password_reset::Column::Id.eq(found.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    // A deactivated user stays out, whatever links it still holds.
    let changed = app_user::Entity::update_many()
        .col_expr(app_user::Column::PasswordHash, Expr::value(hash))
        .col_expr(app_user::Column::UpdatedAt, Expr::value(now))
        .filter(app_user::Column::Id.eq(found.user_id))
        .filter(app_user::Column::Active.eq(true))
        .exec(&tx)
        .await?;
    if changed.rows_affected != 1 {
        return Err(invalid());
    }
    end_sessions(&tx, found.user_id, now).await?;
    audit::record(
        &tx,
        None,
        "user.password_reset",
        None,
        Some(format!("user {}", found.user_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(found.user_id)
}

/// Revokes every refresh token of the user: each of its sign-ins ends.
async fn end_sessions(
    db: &impl ConnectionTrait,
    user_id: i64,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
