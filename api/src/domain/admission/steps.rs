//! The steps before the decision: information meeting, application, trial placement and
//! their results.

use crate::db::{Db, Tx};
use chrono::{DateTime, Utc};
use jobtrack_entity::{
    admission_step, application, employer, employer_contact_person, info_meeting_invitation,
    job_track_employer,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr,
};

use crate::auth::Actor;
use crate::domain::candidates::shares_with_employer;
use crate::domain::outbox;
use crate::domain::values::{AdmissionStepKind, ApplicationStatus, Stage, StepResult};
use crate::domain::{TEXT_MAX, optional_text, policy, required_text};
use crate::error::{Error, Result};

use ApplicationStatus::{
    Applied, Completed, DroppedOut, InTrial, Invited, Nominated, Rejected, Withdrawn,
};

use super::{Locked, expect_status, expect_version, lock, put_step, save, step, with_status};

pub async fn invite_to_info_meeting(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    scheduled_at: DateTime<Utc>,
    location: &str,
) -> Result<application::Model> {
    let location = required_text("location", location, 300)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    // Inviting again reschedules the meeting.
    expect_status(
        &locked.app,
        &[Nominated, Invited],
        "invite to an information meeting",
    )?;
    let (saved, _) = invite(&tx, actor, &locked, scheduled_at, &location).await?;
    // A meeting of its own: no longer one of the track's scheduled meetings.
    info_meeting_invitation::Entity::delete_by_id(id)
        .exec(&tx)
        .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Invites a locked application to an information meeting at `at` in `location`: the
/// INFO_MEETING step (PENDING again when re-invited), status INVITED, and the candidate's
/// email when there is an address. Returns the application and whether it was emailed.
pub(super) async fn invite(
    tx: &Tx,
    actor: &Actor,
    locked: &Locked,
    at: DateTime<Utc>,
    location: &str,
) -> Result<(application::Model, bool)> {
    put_step(
        tx,
        locked.app.id,
        AdmissionStepKind::InfoMeeting,
        admission_step::ActiveModel {
            scheduled_at: Set(Some(at)),
            location: Set(Some(location.to_owned())),
            ..Default::default()
        },
    )
    .await?;
    super::stages::retract(tx, locked.app.id, Stage::Attended).await?;
    let saved = save(
        tx,
        actor,
        locked,
        with_status(Invited),
        "application.invite",
    )
    .await?;
    let Some(email) = &locked.candidate.email else {
        return Ok((saved, false));
    };
    outbox::enqueue(
        tx,
        crate::domain::notifications::info_meeting(
            email,
            &locked.candidate,
            &locked.track,
            at,
            location,
        )?,
    )
    .await?;
    Ok((saved, true))
}

pub async fn submit_application(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    motivation: &str,
) -> Result<application::Model> {
    let motivation = required_text("motivation", motivation, TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_version(&locked.app, expected_version)?;
    expect_status(&locked.app, &[Invited], "submit")?;
    if step(&tx, id, AdmissionStepKind::InfoMeeting)
        .await?
        .is_some_and(|meeting| meeting.result == StepResult::NoShow)
    {
        return Err(Error::InvalidState(
            "the candidate did not come to the information meeting: the working group \
             invites them again (inviteToInfoMeeting) before they can apply"
                .into(),
        ));
    }
    put_step(
        &tx,
        id,
        AdmissionStepKind::Application,
        admission_step::ActiveModel {
            result: Set(StepResult::Passed),
            assessed_by: Set(Some(actor.user_id)),
            completed_at: Set(Some(Utc::now())),
            ..Default::default()
        },
    )
    .await?;
    let mut row = with_status(Applied);
    row.motivation = Set(Some(motivation));
    let saved = save(&tx, actor, &locked, row, "application.submit").await?;
    crate::domain::tracks::escalation::escalate_if_needed(&tx, &locked.track).await?;
    tx.commit().await?;
    Ok(saved)
}

pub struct TrialPlacement {
    pub employer_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
}

pub async fn schedule_trial_placement(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    trial: TrialPlacement,
) -> Result<application::Model> {
    if trial.ends_at <= trial.starts_at {
        return Err(Error::bad_input("endsAt", "must be after startsAt"));
    }
    let location = optional_text("location", trial.location.as_deref(), 300)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    expect_status(
        &locked.app,
        &[Applied, InTrial],
        "schedule a trial placement for",
    )?;
    if !super::has_trial_placement(&tx, locked.track.id).await? {
        return Err(Error::InvalidState(
            "the track's design has no trial placement; add a TRIAL_PLACEMENT component \
             with updateJobTrack to use one"
                .into(),
        ));
    }
    let of_track = job_track_employer::Entity::find()
        .filter(job_track_employer::Column::JobTrackId.eq(locked.track.id))
        .filter(job_track_employer::Column::EmployerId.eq(trial.employer_id))
        .count(&tx)
        .await?;
    if of_track == 0 {
        return Err(Error::bad_input(
            "employerId",
            "must be one of the track's employers",
        ));
    }
    // The employer will see the applicant: that needs the candidate's consent first,
    // for this employer (a consent may name another one).
    if !shares_with_employer(&tx, locked.candidate.id, trial.employer_id).await? {
        return Err(Error::ConsentRequired(
            "a trial placement shows the candidate to the employer: record the candidate's \
             EMPLOYER_SHARING consent (for this employer) first"
                .into(),
        ));
    }
    put_step(
        &tx,
        id,
        AdmissionStepKind::TrialPlacement,
        admission_step::ActiveModel {
            scheduled_at: Set(Some(trial.starts_at)),
            ends_at: Set(Some(trial.ends_at)),
            location: Set(location.clone()),
            employer_id: Set(Some(trial.employer_id)),
            ..Default::default()
        },
    )
    .await?;
    let saved = save(
        &tx,
        actor,
        &locked,
        with_status(InTrial),
        "application.trial",
    )
    .await?;
    let employer = employer::Entity::find_by_id(trial.employer_id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    let contacts = employer_contact_person::Entity::find()
        .filter(employer_contact_person::Column::EmployerId.eq(trial.employer_id))
        .all(&tx)
        .await?;
    for contact in contacts.iter().filter(|c| c.email.is_some()) {
        let email = crate::domain::notifications::trial_placement(
            contact,
            &employer,
            &locked.track,
            &locked.candidate,
            &trial,
            location.as_deref(),
        )?;
        outbox::enqueue(&tx, email).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

pub async fn record_step_result(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: AdmissionStepKind,
    result: StepResult,
    assessment: Option<String>,
) -> Result<application::Model> {
    let assessment = optional_text("assessment", assessment.as_deref(), TEXT_MAX)?;
    let tx = db.begin_write().await?;
    // Employers record the result of trial placements on their own tracks, nothing else.
    let may = if kind == AdmissionStepKind::TrialPlacement {
        policy::may_record_trial_placement_result
    } else {
        policy::may_run_admission
    };
    let locked = lock(&tx, actor, id, may).await?;
    let allowed: &[StepResult] = match kind {
        AdmissionStepKind::InfoMeeting => &[StepResult::Attended, StepResult::NoShow],
        AdmissionStepKind::TrialPlacement | AdmissionStepKind::Application => {
            &[StepResult::Passed, StepResult::NotPassed]
        }
        AdmissionStepKind::Decision => {
            return Err(Error::bad_input(
                "kind",
                "a decision is recorded with decideApplication",
            ));
        }
    };
    if !allowed.contains(&result) {
        let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
        return Err(Error::bad_input(
            "result",
            format!(
                "{} {} step takes {}",
                crate::error::article(kind.as_str()),
                kind.as_str(),
                names.join(" or ")
            ),
        ));
    }
    let existing = step(&tx, id, kind).await?.ok_or_else(|| {
        Error::InvalidState(format!("the application has no {} step yet", kind.as_str()))
    })?;
    let status = locked.app.status;
    if matches!(status, Rejected | Withdrawn | DroppedOut | Completed) {
        return Err(Error::InvalidState(format!(
            "the application is {}",
            status.as_str()
        )));
    }
    if kind == AdmissionStepKind::TrialPlacement && status != InTrial {
        return Err(Error::InvalidState(format!(
            "the trial placement is over: the application is {}",
            status.as_str()
        )));
    }
    admission_step::Entity::update_many()
        .col_expr(admission_step::Column::Result, Expr::value(result))
        .col_expr(admission_step::Column::Assessment, Expr::value(assessment))
        .col_expr(
            admission_step::Column::AssessedBy,
            Expr::value(actor.user_id),
        )
        .col_expr(admission_step::Column::CompletedAt, Expr::value(Utc::now()))
        .filter(admission_step::Column::Id.eq(existing.id))
        .exec(&tx)
        .await?;
    if kind == AdmissionStepKind::InfoMeeting {
        if result == StepResult::Attended {
            super::stages::reach(&tx, &[id], Stage::Attended, Utc::now()).await?;
        } else {
            super::stages::retract(&tx, id, Stage::Attended).await?;
        }
    }
    // The step changed: bump the application's version so readers see a new state.
    let saved = save(
        &tx,
        actor,
        &locked,
        application::ActiveModel::default(),
        "application.step",
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
