//! Slows down password guessing without letting a stranger lock a user out. Each
//! sign-in attempt first takes a ticket on three counters — the (account, address) pair,
//! the account and the address — and is checked only if every counter allows it; the
//! ticket is taken by a conditional update, so parallel attempts cannot all slip
//! through between "check" and "record". A successful sign-in gives the tickets back
//! (it clears the pair, and does not count against the account or the address).
//!
//! | counter | free attempts in 15 minutes | then |
//! |---|---|---|
//! | account at one address | 5 | waits of 2, 4, 8 … seconds, at most 15 minutes |
//! | address (all accounts) | 50 | the same |
//! | account (all addresses) | 100 | the same |
//!
//! So a guesser at one address gets 5 tries and then slows to a crawl, while the user
//! at another address still signs in; only an attack from many addresses reaches the
//! account's ceiling. Kept in the database so every server process agrees.

use chrono::{DateTime, Duration, Utc};
use jobtrack_entity::login_throttle;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

use crate::error::{Error, Result};

const WINDOW_MINUTES: i64 = 15;
const MAX_LOCK_SECONDS: i64 = 15 * 60;
/// A ticket is retried this often when other attempts keep changing the counter.
const MAX_TRIES: usize = 50;

/// The counters of one attempt.
pub struct Keys {
    pub pair: String,
    pub account: String,
    pub address: String,
}

impl Keys {
    pub fn new(email: &str, address: &str) -> Self {
        let email = email.trim().to_lowercase();
        Self {
            pair: format!("pair:{address}:{email}"),
            account: format!("user:{email}"),
            address: format!("addr:{address}"),
        }
    }

    fn all(&self) -> [&str; 3] {
        [&self.pair, &self.address, &self.account]
    }
}

/// Attempts allowed in a window before waits start.
fn allowance(key: &str) -> i32 {
    if key.starts_with("pair:") {
        5
    } else if key.starts_with("addr:") {
        50
    } else {
        100
    }
}

/// The wait after attempt number `attempts` in a window: none within the allowance,
/// then doubling from 2 seconds up to 15 minutes.
pub fn wait_after(key: &str, attempts: i32) -> Option<Duration> {
    let over = attempts - allowance(key);
    (over > 0).then(|| {
        let seconds = 1_i64
            .checked_shl(u32::try_from(over.min(20)).unwrap_or(20))
            .unwrap_or(MAX_LOCK_SECONDS);
        Duration::seconds(seconds.min(MAX_LOCK_SECONDS))
    })
}

/// How a refusal for too many failures starts.
pub const LOCKOUT: &str = "too many failed sign-ins; try again";

fn locked(seconds: i64) -> Error {
    let seconds = u64::try_from(seconds.max(1)).unwrap_or(1);
    Error::Unauthenticated(format!("{LOCKOUT} in {}", crate::error::seconds(seconds)))
}

/// Takes a ticket on every counter, or refuses while any of them is waiting. Tickets
/// taken before a refusal are given back.
pub async fn take(db: &impl ConnectionTrait, keys: &Keys, now: DateTime<Utc>) -> Result<()> {
    let mut taken = Vec::new();
    for key in keys.all() {
        match take_one(db, key, now).await {
            Ok(()) => taken.push(key),
            Err(err) => {
                for key in taken {
                    give_back(db, key).await?;
                }
                return Err(err);
            }
        }
    }
    Ok(())
}

/// One ticket: a compare-and-set on the counter's row, retried while other attempts
/// change it in between.
async fn take_one(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> Result<()> {
    for _ in 0..MAX_TRIES {
        let row = login_throttle::Entity::find_by_id(key.to_owned())
            .one(db)
            .await?;
        let Some(row) = row else {
            let inserted = login_throttle::Entity::insert(login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(1),
                window_started_at: Set(now),
                locked_until: Set(None),
            })
            .on_conflict(
                OnConflict::column(login_throttle::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            if inserted == 1 {
                return Ok(());
            }
            continue;
        };
        if let Some(until) = row.locked_until.filter(|until| *until > now) {
            return Err(locked((until - now).num_seconds()));
        }
        let (attempts, window_started_at) =
            if now - row.window_started_at < Duration::minutes(WINDOW_MINUTES) {
                (row.failures + 1, row.window_started_at)
            } else {
                (1, now)
            };
        let locked_until = wait_after(key, attempts).map(|wait| now + wait);
        // Only if nobody changed the row since it was read.
        let updated = login_throttle::Entity::update_many()
            .col_expr(login_throttle::Column::Failures, Expr::value(attempts))
            .col_expr(
                login_throttle::Column::WindowStartedAt,
                Expr::value(window_started_at),
            )
            .col_expr(
                login_throttle::Column::LockedUntil,
                Expr::value(locked_until),
            )
            .filter(login_throttle::Column::Key.eq(key))
            .filter(login_throttle::Column::Failures.eq(row.failures))
            .filter(login_throttle::Column::WindowStartedAt.eq(row.window_started_at))
            .exec(db)
            .await?;
        if updated.rows_affected == 1 {
            return Ok(());
        }
    }
    // Only a flood of parallel attempts on one counter gets here.
    Err(locked(1))
}

/// Gives a ticket back: the attempt did not fail.
async fn give_back(db: &impl ConnectionTrait, key: &str) -> Result<()> {
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Failures,
            sea_orm::sea_query::ExprTrait::sub(Expr::col(login_throttle::Column::Failures), 1),
        )
        .filter(login_throttle::Column::Key.eq(key))
        .filter(login_throttle::Column::Failures.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// A successful sign-in: the pair starts afresh, and the attempt does not count
/// against the account or the address.
pub async fn succeeded(db: &impl ConnectionTrait, keys: &Keys) -> Result<()> {
    login_throttle::Entity::delete_by_id(keys.pair.clone())
        .exec(db)
        .await?;
    give_back(db, &keys.account).await?;
    give_back(db, &keys.address).await
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn waits_start_after_the_allowance_and_double_up_to_a_cap() {
        let pair = "pair:1.2.3.4:a@example.com";
        assert_eq!(wait_after(pair, 5), None);
        assert_eq!(wait_after(pair, 6), Some(Duration::seconds(2)));
        assert_eq!(wait_after(pair, 7), Some(Duration::seconds(4)));
        assert_eq!(
            wait_after(pair, 60),
            Some(Duration::seconds(MAX_LOCK_SECONDS))
        );
        assert_eq!(wait_after("addr:1.2.3.4", 50), None);
        assert_eq!(wait_after("user:a@example.com", 100), None);
        assert!(wait_after("user:a@example.com", 101).is_some());
    }
}
