//! The decision and what follows it: admission within the seats, rejection, withdrawal,
//! start, completion, drop-out and the outcome.

use crate::db::{Db, Tx};
use chrono::{NaiveDate, Utc};
use jobtrack_entity::{admission_step, app_user, application, outcome};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::auth::Actor;
use crate::domain::outbox;
use crate::domain::tracks::SEAT_HOLDING;
use crate::domain::values::{
    AdmissionStepKind, ApplicationStatus, JobTrackStatus, OutcomeKind, Stage, StepResult,
    WithdrawalReason, is_employment,
};
use crate::domain::{TEXT_MAX, optional_text, policy, required_text};
use crate::error::{Error, Result};

use ApplicationStatus::{
    Admitted, Applied, Completed, DroppedOut, InTrial, Invited, Nominated, Rejected, Started,
    Withdrawn,
};

use super::{Locked, expect_status, expect_version, lock, put_step, save, step, with_status};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Admit,
    Reject,
}

pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    decision: Decision,
    reason: Option<String>,
) -> Result<application::Model> {
    let reason = optional_text("reason", reason.as_deref(), TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    let (status, result) = match decision {
        Decision::Admit => {
            admissible(&tx, &locked).await?;
            let track_status = locked.track.status;
            if !matches!(
                track_status,
                JobTrackStatus::Recruiting | JobTrackStatus::Selection
            ) {
                return Err(Error::InvalidState(format!(
                    "the track is {}; admissions are closed",
                    track_status.as_str()
                )));
            }
            // The track row is locked: no concurrent admission can slip past this count.
            let holding = application::Entity::find()
                .filter(application::Column::JobTrackId.eq(locked.track.id))
                .filter(application::Column::Status.is_in(SEAT_HOLDING.iter().copied()))
                .count(&tx)
                .await?;
            if holding >= u64::try_from(locked.track.seats).unwrap_or(0) {
                return Err(Error::NoSeats(format!(
                    "all {} seats of the track are taken",
                    locked.track.seats
                )));
            }
            let elsewhere = application::Entity::find()
                .filter(application::Column::CandidateId.eq(locked.candidate.id))
                .filter(application::Column::Status.is_in([Admitted, Started]))
                .count(&tx)
                .await?;
            if elsewhere > 0 {
                return Err(Error::Conflict(
                    "the candidate is already admitted to or started in another track".into(),
                ));
            }
            (Admitted, StepResult::Passed)
        }
        Decision::Reject => {
            if reason.is_none() {
                return Err(Error::bad_input("reason", "a rejection needs a reason"));
            }
            expect_status(
                &locked.app,
                &[Nominated, Invited, Applied, InTrial],
                "reject",
            )?;
            (Rejected, StepResult::NotPassed)
        }
    };
    let now = Utc::now();
    put_step(
        &tx,
        id,
        AdmissionStepKind::Decision,
        admission_step::ActiveModel {
            result: Set(result),
            assessment: Set(reason.clone()),
            assessed_by: Set(Some(actor.user_id)),
            completed_at: Set(Some(now)),
            ..Default::default()
        },
    )
    .await?;
    let mut row = with_status(status);
    row.decision_reason = Set(reason);
    if status == Rejected {
        row.finished_at = Set(Some(now));
    }
    // A concurrent admission of the same candidate elsewhere is refused by the database's
    // unique index on admitted candidates, mapped to CONFLICT.
    let saved = save(&tx, actor, &locked, row, "application.decide").await?;
    if let Some(caseworker_id) = locked.candidate.caseworker_id
        && let Some(caseworker) = app_user::Entity::find_by_id(caseworker_id)
            .one(&tx)
            .await?
            .filter(|u| u.active)
    {
        outbox::enqueue(
            &tx,
            crate::domain::notifications::decision(
                &caseworker,
                &locked.candidate,
                &locked.track,
                &saved,
            )?,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(saved)
}

/// A track with a trial placement in its design admits only after one was passed; a
/// track without admits from APPLIED (or after a trial placement that was passed anyway).
async fn admissible(tx: &Tx, locked: &Locked) -> Result<()> {
    let status = locked.app.status;
    let trial = step(tx, locked.app.id, AdmissionStepKind::TrialPlacement).await?;
    let passed = trial
        .as_ref()
        .is_some_and(|t| t.result == StepResult::Passed);
    if super::has_trial_placement(tx, locked.track.id).await? {
        if status == InTrial && passed {
            return Ok(());
        }
        let missing = match (status, trial.map(|t| t.result)) {
            (InTrial, Some(StepResult::NotPassed)) => "the trial placement was not passed",
            (InTrial, _) => "the trial placement has no result yet",
            _ => "none has been scheduled",
        };
        return Err(Error::InvalidState(format!(
            "admission needs a passed trial placement (this track's design has one): {missing}; \
             the application is {}",
            status.as_str()
        )));
    }
    if status == Applied || (status == InTrial && passed) {
        return Ok(());
    }
    Err(Error::InvalidState(format!(
        "cannot admit an application that is {}: it needs a submitted application{}",
        status.as_str(),
        if status == InTrial {
            " (or a passed trial placement)"
        } else {
            ""
        }
    )))
}

pub async fn withdraw(
    db: &Db,
    actor: &Actor,
    id: i64,
    reason: Option<String>,
) -> Result<application::Model> {
    let reason = optional_text("reason", reason.as_deref(), TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(
        &locked.app,
        &[Nominated, Invited, Applied, InTrial, Admitted],
        "withdraw",
    )?;
    let mut row = with_status(Withdrawn);
    row.decision_reason = Set(reason);
    row.withdrawal_reason = Set(Some(WithdrawalReason::Requested));
    row.finished_at = Set(Some(Utc::now()));
    let saved = save(&tx, actor, &locked, row, "application.withdraw").await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn complete(db: &Db, actor: &Actor, id: i64) -> Result<application::Model> {
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(&locked.app, &[Started], "complete")?;
    let mut row = with_status(Completed);
    row.finished_at = Set(Some(Utc::now()));
    let saved = save(&tx, actor, &locked, row, "application.complete").await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn drop_out(db: &Db, actor: &Actor, id: i64, reason: &str) -> Result<application::Model> {
    let reason = required_text("reason", reason, TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(&locked.app, &[Started], "record a drop-out from")?;
    let mut row = with_status(DroppedOut);
    row.decision_reason = Set(Some(reason));
    row.finished_at = Set(Some(Utc::now()));
    let saved = save(&tx, actor, &locked, row, "application.drop_out").await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn record_outcome(
    db: &Db,
    actor: &Actor,
    id: i64,
    kind: OutcomeKind,
    employer_id: Option<i64>,
    starts_on: Option<NaiveDate>,
) -> Result<application::Model> {
    if kind == OutcomeKind::EmployedWithSubsidy {
        return Err(Error::bad_input(
            "kind",
            "name the subsidy: EMPLOYED_INTRODUKTIONSJOBB, EMPLOYED_LONEBIDRAG or EMPLOYED_OTHER_SUBSIDY",
        ));
    }
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(
        &locked.app,
        &[Completed, DroppedOut],
        "record an outcome for",
    )?;
    if let Some(employer_id) = employer_id {
        // Only an employer the actor may see: naming one would otherwise open its
        // contact log and contact persons through `outcome.employer`.
        crate::domain::employers::visible_employer(&tx, actor, employer_id)
            .await
            .map_err(|_out_of_scope| Error::bad_input("employerId", "no such employer"))?;
    }
    if employer_id.is_some() && !is_employment(kind) {
        return Err(Error::bad_input(
            "employerId",
            "is only for employment outcomes",
        ));
    }
    outcome::Entity::delete_by_id(id).exec(&tx).await?;
    outcome::Entity::insert(outcome::ActiveModel {
        application_id: Set(id),
        kind: Set(kind),
        employer_id: Set(employer_id),
        starts_on: Set(starts_on),
        recorded_by: Set(Some(actor.user_id)),
        recorded_at: Set(Utc::now()),
    })
    .exec_without_returning(&tx)
    .await?;
    if is_employment(kind) {
        super::stages::reach(&tx, &[id], Stage::Employed, Utc::now()).await?;
    } else {
        super::stages::retract(&tx, id, Stage::Employed).await?;
    }
    let saved = save(
        &tx,
        actor,
        &locked,
        application::ActiveModel::default(),
        "application.outcome",
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}
