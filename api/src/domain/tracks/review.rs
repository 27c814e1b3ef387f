//! The end-of-track review: once a track is COMPLETED, the working group records what
//! worked, the employer's view and how many got work — one review per track, replaced
//! when corrected.

use crate::db::Db;
use chrono::Utc;
use jobtrack_entity::{application, track_review};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::auth::Actor;
use crate::domain::values::{ApplicationStatus, JobTrackStatus};
use crate::domain::{TEXT_MAX, audit, policy, required_text};
use crate::error::{Error, Result};

pub struct NewReview {
    pub what_worked: String,
    pub employer_view: String,
    pub employed_count: i32,
}

pub async fn record_review(
    db: &Db,
    actor: &Actor,
    track_id: i64,
    new: NewReview,
) -> Result<track_review::Model> {
    let what_worked = required_text("whatWorked", &new.what_worked, TEXT_MAX)?;
    let employer_view = required_text("employerView", &new.employer_view, TEXT_MAX)?;
    if new.employed_count < 0 {
        return Err(Error::bad_input("employedCount", "must not be negative"));
    }
    let tx = db.begin_write().await?;
    let track = super::lock_track(&tx, actor, track_id).await?;
    policy::require(policy::may_review_track(actor))?;
    if track.status != JobTrackStatus::Completed {
        return Err(Error::InvalidState(format!(
            "a track is reviewed once it is COMPLETED; it is {}",
            track.status.as_str()
        )));
    }
    let participants = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track.id))
        .filter(application::Column::StartedAt.is_not_null())
        .filter(
            application::Column::Status
                .is_in([ApplicationStatus::Completed, ApplicationStatus::DroppedOut]),
        )
        .count(&tx)
        .await?;
    if u64::try_from(new.employed_count).unwrap_or(u64::MAX) > participants {
        return Err(Error::bad_input(
            "employedCount",
            format!("the track had {participants} participants"),
        ));
    }
    track_review::Entity::delete_by_id(track.id)
        .exec(&tx)
        .await?;
    let saved = track_review::Entity::insert(track_review::ActiveModel {
        job_track_id: Set(track.id),
        what_worked: Set(what_worked),
        employer_view: Set(employer_view),
        employed_count: Set(new.employed_count),
        recorded_by: Set(Some(actor.user_id)),
        recorded_at: Set(Utc::now()),
    })
    .exec_with_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "track.review",
        None,
        Some(format!("track {}", track.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
