//! The admission process (antagningsprocess): nomination, information meeting,
//! application, trial placement (kortare praktik), decision, start, completion or
//! drop-out, and outcome. Each step is one transaction that locks the track, then the
//! application, checks the rule, writes, audits and queues its email.

use crate::db::Tx;
use chrono::Utc;
use jobtrack_entity::{admission_step, application, candidate, job_track, track_component};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect,
};

use super::values::{AdmissionStepKind, ApplicationStatus, ComponentKind, StepResult};
use super::{audit, policy};
use crate::auth::Actor;
use crate::domain::unique::Unique;
use crate::error::{Error, Result};

mod carry_over;
mod decision;
pub mod follow_up;
mod lapse;
pub mod meetings;
mod nomination;
pub mod stages;
mod steps;

pub use carry_over::{carry_over_candidates, nominate_carry_over};
pub use decision::{Decision, complete, decide, drop_out, record_outcome, withdraw};
pub use lapse::{OPEN_STATUSES, flagged_when_consent_lapses, withdraw_for_lost_consent};
pub use nomination::{NominationChanges, nominate, update_nomination};
pub use steps::{
    TrialPlacement, invite_to_info_meeting, record_step_result, schedule_trial_placement,
    submit_application,
};

/// An application with its track and candidate, locked for one change.
struct Locked {
    app: application::Model,
    track: job_track::Model,
    candidate: candidate::Model,
}

/// Loads an application the actor may see, locks its track and then the application
/// (always in that order, so concurrent changes cannot deadlock), and checks the role.
async fn lock(tx: &Tx, actor: &Actor, id: i64, may: policy::ApplicationRule) -> Result<Locked> {
    let visible = policy::scoped(
        application::Entity::find_by_id(id),
        policy::application_scope(actor),
    )
    .one(tx)
    .await?
    .ok_or(Error::NotFound)?;
    let track = job_track::Entity::find_by_id(visible.job_track_id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    let app = application::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    let candidate = candidate::Entity::find_by_id(app.candidate_id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    let track_visible = policy::scoped(
        job_track::Entity::find_by_id(track.id),
        policy::track_scope(actor),
    )
    .count(tx)
    .await?
        > 0;
    if !may(actor, track_visible, &candidate) {
        return Err(Error::Forbidden);
    }
    if candidate.erased_at.is_some() {
        return Err(Error::InvalidState("the candidate has been erased".into()));
    }
    Ok(Locked {
        app,
        track,
        candidate,
    })
}

fn expect_version(app: &application::Model, expected: Option<i32>) -> Result<()> {
    match expected {
        Some(v) if v != app.version => Err(Error::Conflict(format!(
            "the application was changed meanwhile (version {} is current, not {v})",
            app.version
        ))),
        _ => Ok(()),
    }
}

fn expect_status(
    app: &application::Model,
    allowed: &[ApplicationStatus],
    action: &str,
) -> Result<ApplicationStatus> {
    let status = app.status;
    if allowed.contains(&status) {
        Ok(status)
    } else {
        Err(Error::InvalidState(format!(
            "cannot {action} an application that is {}",
            status.as_str()
        )))
    }
}

/// Writes `row` onto the application, bumping its version if it is still the one read;
/// audits the change in the same transaction.
async fn save(
    tx: &Tx,
    actor: &Actor,
    locked: &Locked,
    mut row: application::ActiveModel,
    action: &str,
) -> Result<application::Model> {
    let now = Utc::now();
    let status = row.status.clone();
    row.version = Set(locked.app.version + 1);
    row.updated_at = Set(now);
    let result = application::Entity::update_many()
        .set(row)
        .filter(application::Column::Id.eq(locked.app.id))
        .filter(application::Column::Version.eq(locked.app.version))
        .exec(tx)
        .await
        .map_err(
            Unique::ApplicationOneAdmission
                .conflict("the candidate is already admitted to or started in another track"),
        )?;
    if result.rows_affected != 1 {
        return Err(Error::Conflict(
            "the application was changed meanwhile".into(),
        ));
    }
    if let sea_orm::ActiveValue::Set(status) = status {
        stages::reach(tx, &[locked.app.id], stages::of_status(status), now).await?;
    }
    let detail = format!("application {} on track {}", locked.app.id, locked.track.id);
    audit::record(
        tx,
        Some(actor),
        action,
        Some(locked.candidate.id),
        Some(detail),
    )
    .await?;
    application::Entity::find_by_id(locked.app.id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound)
}

fn with_status(status: ApplicationStatus) -> application::ActiveModel {
    application::ActiveModel {
        status: Set(status),
        ..Default::default()
    }
}

/// Creates or replaces the step of `kind` of an application.
async fn put_step(
    tx: &Tx,
    application_id: i64,
    kind: AdmissionStepKind,
    mut row: admission_step::ActiveModel,
) -> Result<()> {
    admission_step::Entity::delete_many()
        .filter(admission_step::Column::ApplicationId.eq(application_id))
        .filter(admission_step::Column::Kind.eq(kind))
        .exec(tx)
        .await?;
    row.application_id = Set(application_id);
    row.kind = Set(kind);
    row.created_at = Set(Utc::now());
    if matches!(row.result, sea_orm::ActiveValue::NotSet) {
        row.result = Set(StepResult::Pending);
    }
    admission_step::Entity::insert(row)
        .exec_without_returning(tx)
        .await
        .map_err(Unique::AdmissionStepKind.conflict("the application was changed meanwhile"))?;
    Ok(())
}

async fn step(
    tx: &impl ConnectionTrait,
    application_id: i64,
    kind: AdmissionStepKind,
) -> Result<Option<admission_step::Model>> {
    Ok(admission_step::Entity::find()
        .filter(admission_step::Column::ApplicationId.eq(application_id))
        .filter(admission_step::Column::Kind.eq(kind))
        .one(tx)
        .await?)
}

/// Whether the track's design has a trial placement (a TRIAL_PLACEMENT component): then
/// admission needs one passed; without one, admission follows the application.
async fn has_trial_placement(tx: &impl ConnectionTrait, track_id: i64) -> Result<bool> {
    Ok(track_component::Entity::find()
        .filter(track_component::Column::JobTrackId.eq(track_id))
        .filter(track_component::Column::Kind.eq(ComponentKind::TrialPlacement))
        .count(tx)
        .await?
        > 0)
}

#[derive(Default)]
pub struct ApplicationFilter {
    pub statuses: Vec<ApplicationStatus>,
    pub job_track_id: Option<i64>,
    pub candidate_id: Option<i64>,
    /// Only applications of candidates whose caseworker is the viewer.
    pub my_candidates: bool,
    /// Only started participations whose candidate lost the COLLABORATION consent.
    pub consent_lapsed: bool,
}

/// The applications the actor may see (the policy's application scope: staff by their
/// agreements and candidates, employers their applicants), filtered, oldest first.
pub async fn applications(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: ApplicationFilter,
    page: crate::domain::pagination::PageRequest,
) -> Result<crate::domain::pagination::Page<application::Model>> {
    use sea_orm::sea_query::Query;
    let mut select = policy::scoped(
        application::Entity::find(),
        policy::application_scope(actor),
    );
    if !filter.statuses.is_empty() {
        select = select.filter(application::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(track) = filter.job_track_id {
        select = select.filter(application::Column::JobTrackId.eq(track));
    }
    if let Some(candidate) = filter.candidate_id {
        select = select.filter(application::Column::CandidateId.eq(candidate));
    }
    if filter.my_candidates {
        let mine = Query::select()
            .column(candidate::Column::Id)
            .from(candidate::Entity)
            .and_where(candidate::Column::CaseworkerId.eq(actor.user_id))
            .to_owned();
        select = select.filter(application::Column::CandidateId.in_subquery(mine));
    }
    if filter.consent_lapsed {
        policy::require(policy::may_see_lapsed_consents(actor))?;
        select =
            select
                .filter(application::Column::Status.eq(ApplicationStatus::Started))
                .filter(application::Column::CandidateId.not_in_subquery(
                    policy::with_active_consent(crate::domain::values::ConsentScope::Collaboration),
                ));
    }
    crate::domain::pagination::fetch(
        db,
        select,
        application::Column::Id,
        page,
        crate::domain::pagination::Direction::Ascending,
    )
    .await
}

/// Applications of a track the actor may see.
pub async fn visible_application(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<application::Model> {
    policy::scoped(
        application::Entity::find_by_id(id),
        policy::application_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}
