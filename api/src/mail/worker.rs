//! The outbox worker: claims due emails with a lease (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL, so several server processes never claim the same row; SQLite's write lock
//! serialises the claim), sends them, and marks them sent — or retries with exponential
//! backoff and jitter, capped at a minute, until `MAX_ATTEMPTS`, then marks them failed.
//! A row whose lease ran out (its sender died) is claimed again, so a restart resumes.

use crate::db::Db;
use std::time::Duration;

use chrono::Utc;
use jobtrack_entity::email_outbox;
use rand::Rng;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query},
};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::transport::{Mailer, SendError};
use crate::domain::values::OutboxStatus;
use crate::error::Result;

const BATCH: u64 = 20;
/// The longest wait between two tries, by default.
pub const MAX_BACKOFF: Duration = Duration::from_mins(1);

#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub poll: Duration,
    /// First retry delay; it doubles per attempt up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How long a claim holds a row; longer than any send takes.
    pub lease: Duration,
}

/// The delay before retry number `attempt` (1-based): doubling, capped at `max`, ±20 %
/// jitter (never above `max`).
pub fn backoff(attempt: i32, base: Duration, max: Duration) -> Duration {
    let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX);
    let exponent = Ord::min(u32::try_from(attempt.saturating_sub(1)).unwrap_or(0), 20);
    let base_ms = u64::try_from(base.as_millis()).unwrap_or(u64::MAX);
    let ms = Ord::min(base_ms.saturating_mul(1_u64 << exponent), max_ms);
    let jitter = rand::thread_rng().gen_range(0.8..1.2);
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        clippy::as_conversions,
        reason = "ms fit easily"
    )]
    let jittered = ((ms as f64) * jitter) as u64;
    Duration::from_millis(Ord::min(jittered, max_ms))
}

/// Claims up to `BATCH` due rows for `worker` and returns them.
async fn claim(db: &Db, worker: &str, lease: Duration) -> Result<Vec<email_outbox::Model>> {
    let now = Utc::now();
    let due = Condition::any()
        .add(
            Condition::all()
                .add(email_outbox::Column::Status.eq(OutboxStatus::Pending))
                .add(email_outbox::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(email_outbox::Column::Status.eq(OutboxStatus::Sending))
                .add(email_outbox::Column::LockedUntil.lt(now)),
        );
    let candidates = Query::select()
        .column(email_outbox::Column::Id)
        .from(email_outbox::Entity)
        .cond_where(due.clone())
        .order_by(email_outbox::Column::Id, sea_orm::Order::Asc)
        .limit(BATCH)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let tx = db.begin_write().await?;
    email_outbox::Entity::update_many()
        .col_expr(
            email_outbox::Column::Status,
            Expr::value(OutboxStatus::Sending),
        )
        .col_expr(email_outbox::Column::LockedBy, Expr::value(worker))
        .col_expr(
            email_outbox::Column::LockedUntil,
            Expr::value(now + chrono::Duration::from_std(lease).unwrap_or_default()),
        )
        .col_expr(
            email_outbox::Column::Attempts,
            Expr::col(email_outbox::Column::Attempts).add(1),
        )
        .filter(email_outbox::Column::Id.in_subquery(candidates))
        // Re-checked here: on PostgreSQL the subquery's rows are locked, not re-read.
        .filter(due)
        .exec(&tx)
        .await?;
    let claimed = email_outbox::Entity::find()
        .filter(email_outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(email_outbox::Column::LockedBy.eq(worker))
        .order_by_asc(email_outbox::Column::Id)
        .all(&tx)
        .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// An invitation link is worth nothing after its validity: it is not sent late.
fn expired(row: &email_outbox::Model, now: chrono::DateTime<Utc>) -> bool {
    row.template == "invitation"
        && now - row.created_at > chrono::Duration::days(crate::domain::users::INVITATION_DAYS)
}

async fn finish(
    db: &Db,
    worker: &str,
    row: &email_outbox::Model,
    result: std::result::Result<(), SendError>,
    timing: Timing,
) -> Result<()> {
    let now = Utc::now();
    let update = email_outbox::Entity::update_many()
        .filter(email_outbox::Column::Id.eq(row.id))
        .filter(email_outbox::Column::LockedBy.eq(worker))
        .col_expr(
            email_outbox::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            email_outbox::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        );
    let update = match result {
        Ok(()) => update
            .col_expr(
                email_outbox::Column::Status,
                Expr::value(OutboxStatus::Sent),
            )
            .col_expr(email_outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                email_outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            ),
        Err(error) if error.permanent || expired(row, now) => {
            tracing::warn!(
                email = row.id,
                attempts = row.attempts,
                "email failed for good"
            );
            let reason = if error.permanent {
                error.message
            } else {
                format!(
                    "the invitation expired before it could be sent ({})",
                    error.message
                )
            };
            update
                .col_expr(
                    email_outbox::Column::Status,
                    Expr::value(OutboxStatus::Failed),
                )
                .col_expr(email_outbox::Column::LastError, Expr::value(reason))
        }
        Err(SendError { message: error, .. }) => {
            let delay = backoff(row.attempts, timing.retry_base, timing.retry_max);
            tracing::info!(
                email = row.id,
                attempts = row.attempts,
                retry_in_ms = delay.as_millis(),
                "email not sent; will retry"
            );
            update
                .col_expr(
                    email_outbox::Column::Status,
                    Expr::value(OutboxStatus::Pending),
                )
                .col_expr(email_outbox::Column::LastError, Expr::value(error))
                .col_expr(
                    email_outbox::Column::NextAttemptAt,
                    Expr::value(now + chrono::Duration::from_std(delay).unwrap_or_default()),
                )
        }
    };
    update.exec(db).await?;
    Ok(())
}

/// Runs until `stop` says so; an email being sent when it does is finished first.
pub fn spawn(
    db: Db,
    mailer: Mailer,
    timing: Timing,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let worker = format!("worker-{}", uuid::Uuid::new_v4().simple());
    tokio::spawn(async move {
        loop {
            if *stop.borrow() {
                break;
            }
            match claim(&db, &worker, timing.lease).await {
                Ok(batch) => {
                    for row in &batch {
                        let result = mailer.send(row).await;
                        if let Err(err) = finish(&db, &worker, row, result, timing).await {
                            tracing::error!(error = %err, "recording a send failed");
                        }
                    }
                    if !batch.is_empty() {
                        continue;
                    }
                }
                Err(err) => tracing::error!(error = %err, "claiming emails failed"),
            }
            tokio::select! {
                _ = stop.changed() => {}
                () = tokio::time::sleep(timing.poll) => {}
            }
        }
        // Rows claimed but not sent (none: each batch is finished above) would be
        // reclaimed by the next process when their lease runs out.
        tracing::info!("email worker stopped");
    })
}

/// How many emails wait (pending or being sent), failed and were sent, and how long the
/// oldest waiting one has waited: for `/readyz` and `/metrics`.
pub struct Counts {
    pub pending: u64,
    pub failed: u64,
    pub sent: u64,
    pub oldest_pending_seconds: i64,
}

pub async fn counts(db: &Db) -> Result<Counts> {
    use sea_orm::PaginatorTrait;
    const WAITING: &[OutboxStatus] = &[OutboxStatus::Pending, OutboxStatus::Sending];
    let count = |statuses: &'static [OutboxStatus]| {
        email_outbox::Entity::find()
            .filter(email_outbox::Column::Status.is_in(statuses.iter().copied()))
            .count(db)
    };
    let oldest = email_outbox::Entity::find()
        .filter(email_outbox::Column::Status.is_in(WAITING.iter().copied()))
        .order_by_asc(email_outbox::Column::CreatedAt)
        .one(db)
        .await?;
    Ok(Counts {
        pending: count(WAITING).await?,
        failed: count(&[OutboxStatus::Failed]).await?,
        sent: count(&[OutboxStatus::Sent]).await?,
        oldest_pending_seconds: oldest.map_or(0, |row| {
            Ord::max((Utc::now() - row.created_at).num_seconds(), 0)
        }),
    })
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_its_cap() {
        let base = Duration::from_millis(100);
        for _ in 0..50 {
            let first = backoff(1, base, MAX_BACKOFF).as_millis();
            assert!((80..=120).contains(&first), "{first}");
            let fourth = backoff(4, base, MAX_BACKOFF).as_millis();
            assert!((640..=960).contains(&fourth), "{fourth}");
            assert!(backoff(40, base, MAX_BACKOFF) <= MAX_BACKOFF);
            assert!(backoff(40, base, MAX_BACKOFF) >= MAX_BACKOFF * 4 / 5);
        }
    }
}
