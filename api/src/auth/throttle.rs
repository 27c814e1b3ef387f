//! Slows down password guessing: failed sign-ins are counted per account and per client
//! address in a window; past a threshold each further failure locks the key for a
//! doubling time, up to 15 minutes. Kept in the database so every server process agrees.

use chrono::{DateTime, Duration, Utc};
use jobtrack_entity::login_throttle;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::error::{Error, Result};

const WINDOW_MINUTES: i64 = 15;
const MAX_LOCK_SECONDS: i64 = 15 * 60;

/// Failures allowed in a window before locking starts.
fn allowance(key: &str) -> i32 {
    if key.starts_with("addr:") { 30 } else { 5 }
}

pub fn account_key(email: &str) -> String {
    format!("user:{}", email.trim().to_lowercase())
}

pub fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// How a refusal for too many failures starts.
pub const LOCKOUT: &str = "too many failed sign-ins; try again";

/// Refuses the attempt while any key is locked.
pub async fn check(db: &impl ConnectionTrait, keys: &[String], now: DateTime<Utc>) -> Result<()> {
    for key in keys {
        let row = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?;
        if let Some(until) = row
            .and_then(|r| r.locked_until)
            .filter(|until| *until > now)
        {
            let seconds = (until - now).num_seconds().max(1);
            return Err(Error::Unauthenticated(format!(
                "{LOCKOUT} in {seconds} seconds"
            )));
        }
    }
    Ok(())
}

pub async fn record_failure(
    db: &impl ConnectionTrait,
    keys: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    for key in keys {
        let existing = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?;
        let (failures, window_started_at) = match existing {
            Some(row) if now - row.window_started_at < Duration::minutes(WINDOW_MINUTES) => {
                (row.failures + 1, row.window_started_at)
            }
            _ => (1, now),
        };
        let over = failures - allowance(key);
        let locked_until = (over > 0).then(|| {
            let seconds = 1_i64
                .checked_shl(u32::try_from(over.min(20)).unwrap_or(20))
                .unwrap_or(MAX_LOCK_SECONDS);
            now + Duration::seconds(seconds.min(MAX_LOCK_SECONDS))
        });
        let row = login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(failures),
            window_started_at: Set(window_started_at),
            locked_until: Set(locked_until),
        };
        login_throttle::Entity::insert(row)
            .on_conflict(
                OnConflict::column(login_throttle::Column::Key)
                    .update_columns([
                        login_throttle::Column::Failures,
                        login_throttle::Column::WindowStartedAt,
                        login_throttle::Column::LockedUntil,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A successful sign-in clears the account's count (not the address's).
pub async fn record_success(db: &impl ConnectionTrait, account: &str) -> Result<()> {
    login_throttle::Entity::delete_by_id(account.to_owned())
        .exec(db)
        .await?;
    Ok(())
}
