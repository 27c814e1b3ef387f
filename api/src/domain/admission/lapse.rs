//! Applications withdrawn because the candidate's COLLABORATION consent was withdrawn or
//! ran out: without it the parties may no longer collaborate about the candidate.

use crate::db::Tx;
use chrono::Utc;
use jobtrack_entity::{application, job_track};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::stages;
use crate::auth::Actor;
use crate::domain::audit;
use crate::domain::values::{ApplicationStatus, Stage, WithdrawalReason};
use crate::error::Result;

/// The statuses of an application still in the admission process (before a start).
pub const OPEN_STATUSES: &[ApplicationStatus] = &[
    ApplicationStatus::Nominated,
    ApplicationStatus::Invited,
    ApplicationStatus::Applied,
    ApplicationStatus::InTrial,
    ApplicationStatus::Admitted,
];

/// Withdraws the open applications of `candidates` with reason CONSENT_WITHDRAWN, in the
/// caller's transaction: locks their tracks (in id order, as every change does: track,
/// then application), then the applications, and records history and audit. A started
/// participation stays; `actor` is `None` when the consent ran out by itself.
pub async fn withdraw_for_lost_consent(
    tx: &Tx,
    actor: Option<&Actor>,
    candidates: &[i64],
) -> Result<Vec<i64>> {
    let open: Vec<(i64, i64, i64)> = application::Entity::find()
        .select_only()
        .columns([
            application::Column::Id,
            application::Column::JobTrackId,
            application::Column::CandidateId,
        ])
        .filter(application::Column::CandidateId.is_in(candidates.iter().copied()))
        .filter(application::Column::Status.is_in(OPEN_STATUSES.iter().copied()))
        .into_tuple()
        .all(tx)
        .await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let mut tracks: Vec<i64> = open.iter().map(|(_, track, _)| *track).collect();
    tracks.sort_unstable();
    tracks.dedup();
    job_track::Entity::find()
        .filter(job_track::Column::Id.is_in(tracks))
        .order_by_asc(job_track::Column::Id)
        .lock_exclusive()
        .all(tx)
        .await?;
    let ids: Vec<i64> = open.iter().map(|(id, _, _)| *id).collect();
    let now = Utc::now();
    // Re-read under the locks: only those still open are withdrawn.
    let still_open: Vec<i64> = application::Entity::find()
        .select_only()
        .column(application::Column::Id)
        .filter(application::Column::Id.is_in(ids))
        .filter(application::Column::Status.is_in(OPEN_STATUSES.iter().copied()))
        .lock_exclusive()
        .into_tuple()
        .all(tx)
        .await?;
    application::Entity::update_many()
        .col_expr(
            application::Column::Status,
            Expr::value(ApplicationStatus::Withdrawn),
        )
        .col_expr(
            application::Column::WithdrawalReason,
            Expr::value(WithdrawalReason::ConsentWithdrawn),
        )
        .col_expr(application::Column::FinishedAt, Expr::value(now))
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            application::Column::Version,
            Expr::col(application::Column::Version).add(1),
        )
        .filter(application::Column::Id.is_in(still_open.iter().copied()))
        .exec(tx)
        .await?;
    stages::reach(tx, &still_open, Stage::Withdrawn, now).await?;
    for (id, track, candidate) in open.iter().filter(|(id, _, _)| still_open.contains(id)) {
        audit::record(
            tx,
            actor,
            "application.withdraw",
            Some(*candidate),
            Some(format!(
                "application {id} on track {track}: CONSENT_WITHDRAWN"
            )),
        )
        .await?;
    }
    Ok(still_open)
}

/// Whether `status` is one a lost consent leaves flagged rather than withdrawn.
pub fn flagged_when_consent_lapses(status: ApplicationStatus) -> bool {
    status == ApplicationStatus::Started
}
