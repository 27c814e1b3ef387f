//! Escalation: when a track has more applicants than its agreement's threshold (agreement
//! 003: "jobbspår med fler än 10 sökande"), the section managers of the agreement's
//! employment-service parties are alerted, once. Applicants are the applications from
//! APPLIED on that have not left the process (APPLIED, IN_TRIAL, ADMITTED, STARTED,
//! COMPLETED): a nomination or an invitation is not an application. A section manager
//! acknowledges the escalation with a note; the track shows who did and when.

use crate::db::{Db, Tx};
use chrono::Utc;
use jobtrack_entity::{
    agreement, agreement_party, app_user, application, escalation_acknowledgement, job_track,
    organization, user_role,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
    sea_query::{Expr, Query},
};

use crate::auth::Actor;
use crate::domain::values::{ApplicationStatus, OrganizationKind, Role};
use crate::domain::{TEXT_MAX, audit, optional_text, outbox, policy};
use crate::error::{Error, Result};

/// The statuses of a track's applicants.
pub const APPLICANTS: &[ApplicationStatus] = &[
    ApplicationStatus::Applied,
    ApplicationStatus::InTrial,
    ApplicationStatus::Admitted,
    ApplicationStatus::Started,
    ApplicationStatus::Completed,
];

/// Alerts the section managers once, when the track's applicants first exceed the
/// agreement's threshold. Runs with the track locked, after an application was
/// submitted.
pub async fn escalate_if_needed(tx: &Tx, track: &job_track::Model) -> Result<()> {
    if track.escalated_at.is_some() {
        return Ok(());
    }
    let agreement = agreement::Entity::find_by_id(track.agreement_id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    let applicants = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track.id))
        .filter(application::Column::Status.is_in(APPLICANTS.iter().copied()))
        .count(tx)
        .await?;
    if applicants <= u64::try_from(agreement.escalation_threshold).unwrap_or(0) {
        return Ok(());
    }
    let marked = job_track::Entity::update_many()
        .col_expr(job_track::Column::EscalatedAt, Expr::value(Utc::now()))
        .filter(job_track::Column::Id.eq(track.id))
        .filter(job_track::Column::EscalatedAt.is_null())
        .exec(tx)
        .await?;
    if marked.rows_affected != 1 {
        return Ok(());
    }
    for manager in section_managers(tx, track.agreement_id).await? {
        outbox::enqueue(
            tx,
            crate::domain::notifications::escalation(&manager, track, &agreement, applicants)?,
        )
        .await?;
    }
    Ok(())
}

/// Active SECTION_MANAGER users of the agreement's employment-service parties.
async fn section_managers(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<app_user::Model>> {
    let af_parties = agreement_party::Entity::find()
        .select_only()
        .column(agreement_party::Column::OrganizationId)
        .inner_join(organization::Entity)
        .filter(agreement_party::Column::AgreementId.eq(agreement_id))
        .filter(organization::Column::Kind.eq(OrganizationKind::EmploymentService))
        .into_query();
    let managers = Query::select()
        .column(user_role::Column::UserId)
        .from(user_role::Entity)
        .and_where(user_role::Column::Role.eq(Role::SectionManager))
        .to_owned();
    Ok(app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.in_subquery(af_parties))
        .filter(app_user::Column::Id.in_subquery(managers))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?)
}

/// acknowledgeEscalation: a section manager of the track's agreement notes that the
/// escalation is seen and handled. Once per track; the track must be escalated.
pub async fn acknowledge(
    db: &Db,
    actor: &Actor,
    track_id: i64,
    note: Option<String>,
) -> Result<job_track::Model> {
    let note = optional_text("note", note.as_deref(), TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let track = super::lock_track(&tx, actor, track_id).await?;
    policy::require(policy::may_acknowledge_escalation(actor))?;
    if track.escalated_at.is_none() {
        return Err(Error::InvalidState(
            "the track has not been escalated".into(),
        ));
    }
    // The track row is locked: no concurrent acknowledgement can slip past this check.
    if escalation_acknowledgement::Entity::find_by_id(track.id)
        .one(&tx)
        .await?
        .is_some()
    {
        return Err(Error::Conflict(
            "the escalation is already acknowledged".into(),
        ));
    }
    escalation_acknowledgement::Entity::insert(escalation_acknowledgement::ActiveModel {
        job_track_id: Set(track.id),
        acknowledged_by: Set(Some(actor.user_id)),
        acknowledged_at: Set(Utc::now()),
        note: Set(note),
    })
    .exec_without_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "track.escalation.acknowledge",
        None,
        Some(format!("track {}", track.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(track)
}
