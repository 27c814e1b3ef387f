//! The admission process (antagningsprocess): nomination, information meeting,
//! application, trial placement (kortare praktik), decision, start, completion or
//! drop-out, and outcome. Each step is one transaction that locks the track, then the
//! application, checks the rule, writes, audits and queues its email.

use chrono::{DateTime, NaiveDate, Utc};
use jobtrack_entity::{
    admission_step, app_user, application, candidate, candidate_target_group, employer,
    employer_contact_person, job_track, job_track_employer, job_track_municipality, outcome,
    user_role,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::candidates::active_consent;
use super::outbox;
use super::tracks::{self, ACTIVE, SEAT_HOLDING, status_names};
use super::values::{
    AdmissionStepKind, ApplicationStatus, ConsentScope, EducationLevel, JobTrackStatus,
    OrganizationKind, OutcomeKind, Programme, Role, StepResult, SwedishLevel, TargetGroup,
    parse_list,
};
use super::{TEXT_MAX, audit, eligibility, optional_text, policy, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

use ApplicationStatus::{
    Admitted, Applied, Completed, DroppedOut, InTrial, Invited, Nominated, Rejected, Started,
    Withdrawn,
};

/// An application with its track and candidate, locked for one change.
struct Locked {
    app: application::Model,
    track: job_track::Model,
    candidate: candidate::Model,
}

/// Loads an application the actor may see, locks its track and then the application
/// (always in that order, so concurrent changes cannot deadlock), and checks the role.
async fn lock(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
    may: policy::ApplicationRule,
) -> Result<Locked> {
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

fn status_of(app: &application::Model) -> Result<ApplicationStatus> {
    ApplicationStatus::from_db(&app.status)
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
    let status = status_of(app)?;
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
    tx: &DatabaseTransaction,
    actor: &Actor,
    locked: &Locked,
    mut row: application::ActiveModel,
    action: &str,
) -> Result<application::Model> {
    let now = Utc::now();
    row.version = Set(locked.app.version + 1);
    row.updated_at = Set(now);
    let result = application::Entity::update_many()
        .set(row)
        .filter(application::Column::Id.eq(locked.app.id))
        .filter(application::Column::Version.eq(locked.app.version))
        .exec(tx)
        .await?;
    if result.rows_affected != 1 {
        return Err(Error::Conflict(
            "the application was changed meanwhile".into(),
        ));
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
        status: Set(status.as_str().to_owned()),
        ..Default::default()
    }
}

/// Creates or replaces the step of `kind` of an application.
async fn put_step(
    tx: &DatabaseTransaction,
    application_id: i64,
    kind: AdmissionStepKind,
    mut row: admission_step::ActiveModel,
) -> Result<()> {
    admission_step::Entity::delete_many()
        .filter(admission_step::Column::ApplicationId.eq(application_id))
        .filter(admission_step::Column::Kind.eq(kind.as_str()))
        .exec(tx)
        .await?;
    row.application_id = Set(application_id);
    row.kind = Set(kind.as_str().to_owned());
    row.created_at = Set(Utc::now());
    if matches!(row.result, sea_orm::ActiveValue::NotSet) {
        row.result = Set(StepResult::Pending.as_str().to_owned());
    }
    admission_step::Entity::insert(row)
        .exec_without_returning(tx)
        .await?;
    Ok(())
}

async fn step(
    tx: &impl ConnectionTrait,
    application_id: i64,
    kind: AdmissionStepKind,
) -> Result<Option<admission_step::Model>> {
    Ok(admission_step::Entity::find()
        .filter(admission_step::Column::ApplicationId.eq(application_id))
        .filter(admission_step::Column::Kind.eq(kind.as_str()))
        .one(tx)
        .await?)
}

/// Every requirement of the track's eligibility the candidate does not meet.
async fn unmet_requirements(
    db: &impl ConnectionTrait,
    track: &job_track::Model,
    candidate: &candidate::Model,
) -> Result<Vec<String>> {
    let municipalities: Vec<String> = job_track_municipality::Entity::find()
        .filter(job_track_municipality::Column::JobTrackId.eq(track.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect();
    let target_groups: Vec<TargetGroup> = candidate_target_group::Entity::find()
        .filter(candidate_target_group::Column::CandidateId.eq(candidate.id))
        .all(db)
        .await?
        .iter()
        .map(|g| TargetGroup::from_db(&g.target_group))
        .collect::<Result<_>>()?;
    let programmes = parse_list(&track.eligible_programmes, Programme::from_db)?;
    let groups = parse_list(&track.eligible_target_groups, TargetGroup::from_db)?;
    let asks = eligibility::Asks {
        municipalities: &municipalities,
        programmes: &programmes,
        target_groups: &groups,
        driving_licence: track.requires_driving_licence,
        minimum_swedish_level: track
            .minimum_swedish_level
            .as_deref()
            .map(SwedishLevel::from_db)
            .transpose()?,
        minimum_education: track
            .minimum_education
            .as_deref()
            .map(EducationLevel::from_db)
            .transpose()?,
    };
    let has = eligibility::Has {
        municipality_code: &candidate.municipality_code,
        programme: Programme::from_db(&candidate.programme)?,
        target_groups: &target_groups,
        driving_licence: candidate.driving_licence,
        swedish_level: SwedishLevel::from_db(&candidate.swedish_level)?,
        education_level: EducationLevel::from_db(&candidate.education_level)?,
    };
    Ok(eligibility::unmet(&asks, &has))
}

/// Nominates a candidate to a recruiting track. Returns the application and whether this
/// nomination made the track pass the agreement's escalation threshold.
pub async fn nominate(
    db: &DatabaseConnection,
    actor: &Actor,
    track_id: i64,
    candidate_id: i64,
    note: Option<String>,
    language_assessment: Option<String>,
) -> Result<(application::Model, bool)> {
    policy::require(policy::may_nominate_any(actor))?;
    let note = optional_text("note", note.as_deref(), TEXT_MAX)?;
    let language_assessment = optional_text(
        "languageAssessment",
        language_assessment.as_deref(),
        TEXT_MAX,
    )?;
    let tx = crate::db::begin_write(db).await?;
    let track = tracks::lock_track(&tx, actor, track_id).await?;
    let candidate = candidate::Entity::find_by_id(candidate_id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    if !policy::may_nominate(actor, &candidate) {
        return Err(Error::NotFound);
    }
    if candidate.erased_at.is_some() {
        return Err(Error::InvalidState("the candidate has been erased".into()));
    }
    if JobTrackStatus::from_db(&track.status)? != JobTrackStatus::Recruiting {
        return Err(Error::InvalidState(format!(
            "the track is {}, not RECRUITING",
            track.status
        )));
    }
    let today = Utc::now().date_naive();
    if track
        .application_deadline
        .is_some_and(|deadline| deadline < today)
    {
        return Err(Error::InvalidState(
            "the track's application deadline has passed".into(),
        ));
    }
    if active_consent(&tx, candidate_id, ConsentScope::Collaboration)
        .await?
        .is_none()
    {
        return Err(Error::ConsentRequired(
            "the candidate has not consented to collaboration (COLLABORATION)".into(),
        ));
    }
    let unmet = unmet_requirements(&tx, &track, &candidate).await?;
    if !unmet.is_empty() {
        return Err(Error::NotEligible(format!(
            "not eligible: {}",
            unmet.join("; ")
        )));
    }
    let existing = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track_id))
        .filter(application::Column::CandidateId.eq(candidate_id))
        .count(&tx)
        .await?;
    if existing > 0 {
        return Err(Error::Conflict(
            "the candidate already has an application to this track".into(),
        ));
    }
    let now = Utc::now();
    let created = application::Entity::insert(application::ActiveModel {
        job_track_id: Set(track_id),
        candidate_id: Set(candidate_id),
        status: Set(Nominated.as_str().to_owned()),
        version: Set(1),
        nominated_by: Set(Some(actor.user_id)),
        nominated_at: Set(now),
        nomination_note: Set(note),
        language_assessment: Set(language_assessment),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "application.nominate",
        Some(candidate_id),
        Some(format!("track {track_id}")),
    )
    .await?;
    let escalated = escalate_if_needed(&tx, &track).await?;
    tx.commit().await?;
    Ok((created, escalated))
}

/// Alerts the section managers once, when the track's active applications first exceed
/// the agreement's threshold. Runs with the track locked.
async fn escalate_if_needed(tx: &DatabaseTransaction, track: &job_track::Model) -> Result<bool> {
    if track.escalated_at.is_some() {
        return Ok(false);
    }
    let agreement = jobtrack_entity::agreement::Entity::find_by_id(track.agreement_id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    let active = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track.id))
        .filter(application::Column::Status.is_in(status_names(ACTIVE)))
        .count(tx)
        .await?;
    if active <= u64::try_from(agreement.escalation_threshold).unwrap_or(0) {
        return Ok(false);
    }
    let marked = job_track::Entity::update_many()
        .col_expr(job_track::Column::EscalatedAt, Expr::value(Utc::now()))
        .filter(job_track::Column::Id.eq(track.id))
        .filter(job_track::Column::EscalatedAt.is_null())
        .exec(tx)
        .await?;
    if marked.rows_affected != 1 {
        return Ok(false);
    }
    for manager in section_managers(tx, track.agreement_id).await? {
        outbox::enqueue(
            tx,
            super::notifications::escalation(&manager, track, &agreement, active)?,
        )
        .await?;
    }
    Ok(true)
}

/// Active SECTION_MANAGER users of the agreement's employment-service parties.
async fn section_managers(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<app_user::Model>> {
    use jobtrack_entity::{agreement_party, organization};
    use sea_orm::sea_query::Query;
    let af_parties = Query::select()
        .column((
            agreement_party::Entity,
            agreement_party::Column::OrganizationId,
        ))
        .from(agreement_party::Entity)
        .inner_join(
            organization::Entity,
            Expr::col((organization::Entity, organization::Column::Id)).equals((
                agreement_party::Entity,
                agreement_party::Column::OrganizationId,
            )),
        )
        .and_where(agreement_party::Column::AgreementId.eq(agreement_id))
        .and_where(organization::Column::Kind.eq(OrganizationKind::EmploymentService.as_str()))
        .to_owned();
    let managers = Query::select()
        .column(user_role::Column::UserId)
        .from(user_role::Entity)
        .and_where(user_role::Column::Role.eq(Role::SectionManager.as_str()))
        .to_owned();
    Ok(app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.in_subquery(af_parties))
        .filter(app_user::Column::Id.in_subquery(managers))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?)
}

pub async fn invite_to_info_meeting(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    scheduled_at: DateTime<Utc>,
    location: &str,
) -> Result<application::Model> {
    let location = required_text("location", location, 300)?;
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    // Inviting again reschedules the meeting.
    expect_status(
        &locked.app,
        &[Nominated, Invited],
        "invite to an information meeting",
    )?;
    put_step(
        &tx,
        id,
        AdmissionStepKind::InfoMeeting,
        admission_step::ActiveModel {
            scheduled_at: Set(Some(scheduled_at)),
            location: Set(Some(location.clone())),
            ..Default::default()
        },
    )
    .await?;
    let saved = save(
        &tx,
        actor,
        &locked,
        with_status(Invited),
        "application.invite",
    )
    .await?;
    if let Some(email) = &locked.candidate.email {
        outbox::enqueue(
            &tx,
            super::notifications::info_meeting(
                email,
                &locked.candidate,
                &locked.track,
                scheduled_at,
                &location,
            )?,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(saved)
}

pub async fn submit_application(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    motivation: &str,
) -> Result<application::Model> {
    let motivation = required_text("motivation", motivation, TEXT_MAX)?;
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_version(&locked.app, expected_version)?;
    expect_status(&locked.app, &[Invited], "submit")?;
    put_step(
        &tx,
        id,
        AdmissionStepKind::Application,
        admission_step::ActiveModel {
            result: Set(StepResult::Passed.as_str().to_owned()),
            assessed_by: Set(Some(actor.user_id)),
            completed_at: Set(Some(Utc::now())),
            ..Default::default()
        },
    )
    .await?;
    let mut row = with_status(Applied);
    row.motivation = Set(Some(motivation));
    let saved = save(&tx, actor, &locked, row, "application.submit").await?;
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
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    trial: TrialPlacement,
) -> Result<application::Model> {
    if trial.ends_at <= trial.starts_at {
        return Err(Error::bad_input("endsAt", "must be after startsAt"));
    }
    let location = optional_text("location", trial.location.as_deref(), 300)?;
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    expect_status(
        &locked.app,
        &[Applied, InTrial],
        "schedule a trial placement for",
    )?;
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
    let shares = active_consent(&tx, locked.candidate.id, ConsentScope::EmployerSharing)
        .await?
        .is_some();
    let employer = employer::Entity::find_by_id(trial.employer_id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    let contacts = employer_contact_person::Entity::find()
        .filter(employer_contact_person::Column::EmployerId.eq(trial.employer_id))
        .all(&tx)
        .await?;
    for contact in contacts.iter().filter(|c| c.email.is_some()) {
        let email = super::notifications::trial_placement(
            contact,
            &employer,
            &locked.track,
            &locked.candidate,
            shares,
            &trial,
            location.as_deref(),
        )?;
        outbox::enqueue(&tx, email).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

pub async fn record_step_result(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    kind: AdmissionStepKind,
    result: StepResult,
    assessment: Option<String>,
) -> Result<application::Model> {
    let assessment = optional_text("assessment", assessment.as_deref(), TEXT_MAX)?;
    let tx = crate::db::begin_write(db).await?;
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
    let status = status_of(&locked.app)?;
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
        .col_expr(admission_step::Column::Result, Expr::value(result.as_str()))
        .col_expr(admission_step::Column::Assessment, Expr::value(assessment))
        .col_expr(
            admission_step::Column::AssessedBy,
            Expr::value(actor.user_id),
        )
        .col_expr(admission_step::Column::CompletedAt, Expr::value(Utc::now()))
        .filter(admission_step::Column::Id.eq(existing.id))
        .exec(&tx)
        .await?;
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

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Admit,
    Reject,
}

pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    decision: Decision,
    reason: Option<String>,
) -> Result<application::Model> {
    let reason = optional_text("reason", reason.as_deref(), TEXT_MAX)?;
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_run_admission).await?;
    expect_version(&locked.app, expected_version)?;
    let (status, result) = match decision {
        Decision::Admit => {
            expect_status(&locked.app, &[InTrial], "admit")?;
            let trial = step(&tx, id, AdmissionStepKind::TrialPlacement).await?;
            if trial
                .as_ref()
                .is_none_or(|t| t.result != StepResult::Passed.as_str())
            {
                return Err(Error::InvalidState(
                    "admission needs a passed trial placement".into(),
                ));
            }
            let track_status = JobTrackStatus::from_db(&locked.track.status)?;
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
                .filter(application::Column::Status.is_in(status_names(SEAT_HOLDING)))
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
                .filter(application::Column::Status.is_in(status_names(&[Admitted, Started])))
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
            result: Set(result.as_str().to_owned()),
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
            super::notifications::decision(&caseworker, &locked.candidate, &locked.track, &saved)?,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(saved)
}

pub async fn withdraw(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: Option<String>,
) -> Result<application::Model> {
    let reason = optional_text("reason", reason.as_deref(), TEXT_MAX)?;
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(
        &locked.app,
        &[Nominated, Invited, Applied, InTrial, Admitted],
        "withdraw",
    )?;
    let mut row = with_status(Withdrawn);
    row.decision_reason = Set(reason);
    row.finished_at = Set(Some(Utc::now()));
    let saved = save(&tx, actor, &locked, row, "application.withdraw").await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<application::Model> {
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(&locked.app, &[Started], "complete")?;
    let mut row = with_status(Completed);
    row.finished_at = Set(Some(Utc::now()));
    let saved = save(&tx, actor, &locked, row, "application.complete").await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn drop_out(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> Result<application::Model> {
    let reason = required_text("reason", reason, TEXT_MAX)?;
    let tx = crate::db::begin_write(db).await?;
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
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    kind: OutcomeKind,
    employer_id: Option<i64>,
    starts_on: Option<NaiveDate>,
) -> Result<application::Model> {
    let tx = crate::db::begin_write(db).await?;
    let locked = lock(&tx, actor, id, policy::may_act_for_applicant).await?;
    expect_status(
        &locked.app,
        &[Completed, DroppedOut],
        "record an outcome for",
    )?;
    if let Some(employer_id) = employer_id {
        // Only an employer the actor may see: naming one would otherwise open its
        // contact log and contact persons through `outcome.employer`.
        super::employers::visible_employer(&tx, actor, employer_id)
            .await
            .map_err(|_out_of_scope| Error::bad_input("employerId", "no such employer"))?;
    }
    if employer_id.is_some()
        && !matches!(
            kind,
            OutcomeKind::Employed | OutcomeKind::EmployedWithSubsidy
        )
    {
        return Err(Error::bad_input(
            "employerId",
            "is only for employment outcomes",
        ));
    }
    outcome::Entity::delete_by_id(id).exec(&tx).await?;
    outcome::Entity::insert(outcome::ActiveModel {
        application_id: Set(id),
        kind: Set(kind.as_str().to_owned()),
        employer_id: Set(employer_id),
        starts_on: Set(starts_on),
        recorded_by: Set(Some(actor.user_id)),
        recorded_at: Set(Utc::now()),
    })
    .exec_without_returning(&tx)
    .await?;
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

#[derive(Default)]
pub struct ApplicationFilter {
    pub statuses: Vec<ApplicationStatus>,
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
