//! Carrying candidates over: when a track is COMPLETED, those who passed its trial
//! placement but were not admitted (rejected, withdrawn, or still in trial) can be
//! nominated to the next track of the same occupation with one call; the new
//! application points at the old one, so staff keep seeing its steps.

use crate::db::Db;
use jobtrack_entity::{admission_step, application, job_track};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Query,
};

use super::nomination::nominate_with;
use super::visible_application;
use crate::auth::Actor;
use crate::domain::values::{AdmissionStepKind, ApplicationStatus, JobTrackStatus, StepResult};
use crate::domain::{policy, tracks};
use crate::error::{Error, Result};

/// Not admitted, though the trial placement was passed.
const NOT_ADMITTED: [ApplicationStatus; 3] = [
    ApplicationStatus::Rejected,
    ApplicationStatus::Withdrawn,
    ApplicationStatus::InTrial,
];

fn passed_trial() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(admission_step::Column::ApplicationId)
        .from(admission_step::Entity)
        .and_where(admission_step::Column::Kind.eq(AdmissionStepKind::TrialPlacement))
        .and_where(admission_step::Column::Result.eq(StepResult::Passed))
        .to_owned()
}

/// The carry-over candidates of a COMPLETED track that the viewer may see (empty before
/// the track is completed); `None` for viewers who get no suggestions (employers).
pub async fn carry_over_candidates(
    db: &impl ConnectionTrait,
    actor: &Actor,
    track_id: i64,
) -> Result<Option<Vec<application::Model>>> {
    if !policy::may_read_suggestions(actor) {
        return Ok(None);
    }
    let track = tracks::visible_track(db, actor, track_id).await?;
    if track.status != JobTrackStatus::Completed {
        return Ok(Some(Vec::new()));
    }
    Ok(Some(
        policy::scoped(
            application::Entity::find(),
            policy::application_scope(actor),
        )
        .filter(application::Column::JobTrackId.eq(track.id))
        .filter(application::Column::Status.is_in(NOT_ADMITTED))
        .filter(application::Column::Id.in_subquery(passed_trial()))
        .order_by_asc(application::Column::Id)
        .all(db)
        .await?,
    ))
}

/// Nominates the candidate of a carry-over application to `track_id`, a track of the
/// same occupation (SSYK code), with the usual nomination rules (consent, eligibility,
/// RECRUITING, the caseworker's municipalities).
pub async fn nominate_carry_over(
    db: &Db,
    actor: &Actor,
    application_id: i64,
    track_id: i64,
) -> Result<application::Model> {
    policy::require(policy::may_nominate_any(actor))?;
    let source = visible_application(db, actor, application_id).await?;
    let from = job_track::Entity::find_by_id(source.job_track_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let passed = admission_step::Entity::find()
        .filter(admission_step::Column::ApplicationId.eq(source.id))
        .filter(admission_step::Column::Kind.eq(AdmissionStepKind::TrialPlacement))
        .filter(admission_step::Column::Result.eq(StepResult::Passed))
        .one(db)
        .await?
        .is_some();
    if from.status != JobTrackStatus::Completed || !passed || !NOT_ADMITTED.contains(&source.status)
    {
        return Err(Error::InvalidState(format!(
            "only a candidate who passed the trial placement of a completed track and was \
             not admitted is carried over (the track is {}, the application {}{})",
            from.status.as_str(),
            source.status.as_str(),
            if passed {
                ""
            } else {
                ", no passed trial placement"
            }
        )));
    }
    let to = tracks::visible_track(db, actor, track_id).await?;
    if to.ssyk_code != from.ssyk_code {
        return Err(Error::bad_input(
            "jobTrackId",
            format!(
                "must be a track of the same occupation (SSYK {}), not {}",
                from.ssyk_code, to.ssyk_code
            ),
        ));
    }
    nominate_with(
        db,
        actor,
        track_id,
        source.candidate_id,
        Some(format!(
            "Överförd från {}: godkänd praktik, inte antagen.",
            from.title
        )),
        source.language_assessment.clone(),
        Some(source.id),
    )
    .await
}
