//! Sign-in sessions: login, refresh-token rotation with reuse detection, logout.
//! Refresh tokens are random, stored only as SHA-256 hashes, and single use; presenting
//! a used one revokes every token of its family (the sign-in it came from).

use crate::db::Db;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jobtrack_entity::{app_user, refresh_token};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use super::{jwt::Keys, password, throttle};
use crate::error::{Error, Result};

pub const REFRESH_TOKEN_DAYS: i64 = 30;

pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user_id: i64,
}

/// A random token for the client and the hash we keep of it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn wrong_credentials() -> Error {
    Error::Unauthenticated("wrong email or password".into())
}

/// Whether a failed login was refused by the throttle rather than for its password.
pub fn is_lockout(err: &Error) -> bool {
    matches!(err, Error::Unauthenticated(message) if message.starts_with(throttle::LOCKOUT))
}

pub async fn login(
    db: &Db,
    keys: &Keys,
    email: &str,
    password: &str,
    client_address: &str,
) -> Result<Session> {
    let now = Utc::now();
    let email = email.trim().to_lowercase();
    let throttle_keys = throttle::Keys::new(&email, client_address);
    // The ticket is taken before the password is checked, so parallel guesses cannot
    // all be checked before any of them is counted.
    throttle::take(db, &throttle_keys, now).await?;

    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(db)
        .await?;
    let hash = user
        .as_ref()
        .filter(|u| u.active)
        .and_then(|u| u.password_hash.clone());
    if !password::verify(password.to_owned(), hash).await {
        return Err(wrong_credentials());
    }
    let user = user.ok_or_else(wrong_credentials)?;
    throttle::succeeded(db, &throttle_keys).await?;
    start(db, keys, user.id, &uuid::Uuid::new_v4().to_string(), now).await
}

/// Issues an access token and a new refresh token in `family`.
pub async fn start(
    db: &impl ConnectionTrait,
    keys: &Keys,
    user_id: i64,
    family: &str,
    now: DateTime<Utc>,
) -> Result<Session> {
    let (access_token, expires_at) = keys.issue(user_id, family, now)?;
    let (refresh, hash) = new_token();
    refresh_token::Entity::insert(refresh_token::ActiveModel {
        user_id: Set(user_id),
        family: Set(family.to_owned()),
        token_hash: Set(hash),
        expires_at: Set(now + Duration::days(REFRESH_TOKEN_DAYS)),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(Session {
        access_token,
        refresh_token: refresh,
        expires_at,
        user_id,
    })
}

/// How long after its first use a refresh token may be used again without ending the
/// session (two tabs refreshing at once).
pub const REFRESH_GRACE_SECONDS: i64 = 10;

pub async fn refresh(db: &Db, keys: &Keys, token: &str) -> Result<Session> {
    let now = Utc::now();
    let invalid = || Error::Unauthenticated("the refresh token is invalid or expired".into());
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(invalid());
    }
    // Claim the token: exactly one concurrent refresh can flip used_at.
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(now))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        // The same token again within seconds of its first use is a second tab or a
        // retried request, not a thief: it gets a new pair of the same session.
        let reread = refresh_token::Entity::find_by_id(row.id).one(db).await?;
        let in_grace = reread.as_ref().is_some_and(|r| {
            r.revoked_at.is_none()
                && r.used_at
                    .is_some_and(|used| now - used <= Duration::seconds(REFRESH_GRACE_SECONDS))
        });
        if in_grace {
            return start(db, keys, row.user_id, &row.family, now).await;
        }
        // Reuse of a rotated token: someone else holds the family. End it.
        revoke_family(db, &row.family, now).await?;
        tracing::warn!(
            user_id = row.user_id,
            "refresh token reused; family revoked"
        );
        return Err(invalid());
    }
    let active = app_user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .is_some_and(|u| u.active);
    if !active {
        return Err(invalid());
    }
    start(db, keys, row.user_id, &row.family, now).await
}

pub async fn logout(db: &Db, token: &str) -> Result<()> {
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(token)))
        .one(db)
        .await?;
    if let Some(row) = row {
        revoke_family(db, &row.family, Utc::now()).await?;
    }
    Ok(())
}

async fn revoke_family(db: &impl ConnectionTrait, family: &str, now: DateTime<Utc>) -> Result<()> {
    refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
        .filter(refresh_token::Column::Family.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
