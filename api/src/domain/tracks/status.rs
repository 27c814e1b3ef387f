//! A track's status: DRAFT → RECRUITING → SELECTION → RUNNING → COMPLETED, or
//! CANCELLED before it ends, and what each change does to the applications.

use crate::db::{Db, Tx};
use chrono::Utc;
use jobtrack_entity::{application, job_track};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};

use crate::auth::Actor;
use crate::domain::values::{ApplicationStatus, JobTrackStatus, Stage};
use crate::domain::{audit, policy};
use crate::error::{Error, Result};

use super::{ACTIVE, bump, lock_track, stale};

fn transition_allowed(from: JobTrackStatus, to: JobTrackStatus) -> bool {
    use JobTrackStatus::{Cancelled, Completed, Draft, Recruiting, Running, Selection};
    matches!(
        (from, to),
        (Draft, Recruiting) | (Recruiting, Selection) | (Selection, Running) | (Running, Completed)
    ) || (to == Cancelled && !matches!(from, Completed | Cancelled))
}

pub async fn change_status(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    to: JobTrackStatus,
) -> Result<job_track::Model> {
    policy::require(policy::may_design_tracks(actor))?;
    let tx = db.begin_write().await?;
    let track = lock_track(&tx, actor, id).await?;
    stale(expected_version, &track)?;
    let from = track.status;
    if !transition_allowed(from, to) {
        return Err(Error::InvalidState(format!(
            "a track cannot go from {} to {}",
            from.as_str(),
            to.as_str()
        )));
    }
    require_settled(&tx, id, to).await?;
    let now = Utc::now();
    let affected: Vec<application::Model> = match to {
        // RUNNING starts every admitted participant.
        JobTrackStatus::Running => {
            let admitted = applications_in(&tx, id, &[ApplicationStatus::Admitted]).await?;
            application::Entity::update_many()
                .col_expr(
                    application::Column::Status,
                    Expr::value(ApplicationStatus::Started),
                )
                .col_expr(application::Column::StartedAt, Expr::value(now))
                .col_expr(application::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    application::Column::Version,
                    Expr::col(application::Column::Version).add(1),
                )
                .filter(application::Column::JobTrackId.eq(id))
                .filter(application::Column::Status.eq(ApplicationStatus::Admitted))
                .exec(&tx)
                .await?;
            admitted
        }
        // CANCELLED withdraws every open application, with the reason.
        JobTrackStatus::Cancelled => {
            let open: Vec<ApplicationStatus> = ACTIVE
                .iter()
                .copied()
                .filter(|s| *s != ApplicationStatus::Completed)
                .collect();
            let affected = applications_in(&tx, id, &open).await?;
            application::Entity::update_many()
                .col_expr(
                    application::Column::Status,
                    Expr::value(ApplicationStatus::Withdrawn),
                )
                .col_expr(
                    application::Column::DecisionReason,
                    Expr::value("The job track was cancelled."),
                )
                .col_expr(application::Column::FinishedAt, Expr::value(now))
                .col_expr(application::Column::UpdatedAt, Expr::value(now))
                .col_expr(
                    application::Column::Version,
                    Expr::col(application::Column::Version).add(1),
                )
                .filter(application::Column::JobTrackId.eq(id))
                .filter(application::Column::Status.is_in(open.iter().copied()))
                .exec(&tx)
                .await?;
            affected
        }
        _ => Vec::new(),
    };
    if to == JobTrackStatus::Completed {
        fill_answered_needs(&tx, id).await?;
    }
    let reached = match to {
        JobTrackStatus::Running => Some(Stage::Started),
        JobTrackStatus::Cancelled => Some(Stage::Withdrawn),
        _ => None,
    };
    if let Some(stage) = reached {
        let ids: Vec<i64> = affected.iter().map(|a| a.id).collect();
        crate::domain::admission::stages::reach(&tx, &ids, stage, now).await?;
    }
    let detail = format!("track {id} {} -> {}", from.as_str(), to.as_str());
    for app in &affected {
        audit::record(
            &tx,
            Some(actor),
            "application.status",
            Some(app.candidate_id),
            Some(detail.clone()),
        )
        .await?;
    }
    let row = job_track::ActiveModel {
        status: Set(to),
        ..Default::default()
    };
    let updated = bump(&tx, &track, row).await?;
    tx.commit().await?;
    Ok(updated)
}

/// What must be settled before a track moves on: RUNNING needs every application
/// decided or withdrawn (none still NOMINATED, INVITED, APPLIED or IN_TRIAL), so no one
/// is left waiting for an answer once the track has started; COMPLETED needs every
/// participant COMPLETED or DROPPED_OUT (and no one admitted who never started). The
/// refusal names the applications in the way (`extensions.applications`).
async fn require_settled(
    db: &impl ConnectionTrait,
    track_id: i64,
    to: JobTrackStatus,
) -> Result<()> {
    use ApplicationStatus::{Admitted, Applied, InTrial, Invited, Nominated, Started};
    let (unsettled, what): (&[ApplicationStatus], &str) = match to {
        JobTrackStatus::Running => (
            &[Nominated, Invited, Applied, InTrial],
            "cannot start while applications are undecided; decide or withdraw them first",
        ),
        JobTrackStatus::Completed => (
            &[Nominated, Invited, Applied, InTrial, Admitted, Started],
            "cannot complete while participants are still in it; record each one's completion or drop-out first",
        ),
        _ => return Ok(()),
    };
    let blocking = applications_in(db, track_id, unsettled).await?;
    if blocking.is_empty() {
        return Ok(());
    }
    let mut counts = std::collections::BTreeMap::<ApplicationStatus, usize>::new();
    for app in &blocking {
        *counts.entry(app.status).or_default() += 1;
    }
    let listed = counts
        .iter()
        .map(|(status, n)| format!("{n} {}", status.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::BlockedBy {
        message: format!("the track {what} ({listed})"),
        applications: blocking.iter().map(|a| a.id).collect(),
    })
}

async fn applications_in(
    db: &impl ConnectionTrait,
    track_id: i64,
    statuses: &[ApplicationStatus],
) -> Result<Vec<application::Model>> {
    Ok(application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track_id))
        .filter(application::Column::Status.is_in(statuses.iter().copied()))
        .all(db)
        .await?)
}

/// A track that completes with participants fills the competence needs it answers (those
/// still OPEN or IN_TRACK).
async fn fill_answered_needs(tx: &Tx, track_id: i64) -> Result<()> {
    use jobtrack_entity::{competence_need, job_track_competence_need};
    use sea_orm::{PaginatorTrait, sea_query::Query};
    let participants = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track_id))
        .filter(
            application::Column::Status.is_in(crate::domain::tracks::SEAT_HOLDING.iter().copied()),
        )
        .count(tx)
        .await?;
    if participants == 0 {
        return Ok(());
    }
    let answered = Query::select()
        .column(job_track_competence_need::Column::CompetenceNeedId)
        .from(job_track_competence_need::Entity)
        .and_where(job_track_competence_need::Column::JobTrackId.eq(track_id))
        .to_owned();
    competence_need::Entity::update_many()
        .col_expr(
            competence_need::Column::Status,
            Expr::value(crate::domain::values::CompetenceNeedStatus::Filled),
        )
        .col_expr(competence_need::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(competence_need::Column::Id.in_subquery(answered))
        .filter(competence_need::Column::Status.is_in([
            crate::domain::values::CompetenceNeedStatus::Open,
            crate::domain::values::CompetenceNeedStatus::InTrack,
        ]))
        .exec(tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::transition_allowed;
    use crate::domain::values::JobTrackStatus::{
        self, Cancelled, Completed, Draft, Recruiting, Running, Selection,
    };

    #[test]
    fn a_track_moves_forward_one_step_or_is_cancelled_before_it_ends() {
        let all = JobTrackStatus::ALL;
        let allowed: Vec<(JobTrackStatus, JobTrackStatus)> = all
            .iter()
            .flat_map(|from| all.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| transition_allowed(*from, *to))
            .collect();
        assert_eq!(
            allowed,
            [
                (Draft, Recruiting),
                (Draft, Cancelled),
                (Recruiting, Selection),
                (Recruiting, Cancelled),
                (Selection, Running),
                (Selection, Cancelled),
                (Running, Completed),
                (Running, Cancelled),
            ]
        );
    }
}
