//! Which rows an actor may read, as SQL conditions applied inside each query (`None`:
//! all, for ADMIN). DOMAIN.md: staff see the tracks, employers and contacts of the
//! agreements their organisation is party to; "read candidates"; "EMPLOYER reads".

use jobtrack_entity::{
    agreement, agreement_municipality, agreement_party, app_user, application, audit_event,
    candidate, competence_need, consent, employer, job_track, job_track_employer,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};

use super::{DESIGN_TRACKS, require_role, sees_as_employer};
use crate::auth::Actor;
use crate::domain::values::{ConsentScope, JobTrackStatus, Role};
use crate::error::Result;

/// Agreements the actor's organisation is party to.
fn own_agreement_ids(organization_id: i64) -> SelectStatement {
    Query::select()
        .column(agreement_party::Column::AgreementId)
        .from(agreement_party::Entity)
        .and_where(agreement_party::Column::OrganizationId.eq(organization_id))
        .to_owned()
}

/// `column` of each track–employer link, joined to its track.
fn track_employer_links(column: job_track_employer::Column) -> Select<job_track_employer::Entity> {
    job_track_employer::Entity::find()
        .select_only()
        .column(column)
        .inner_join(job_track::Entity)
}

/// Tracks an employer user may see: non-DRAFT tracks its employer is an employer of.
fn employer_track_ids(employer_id: i64) -> SelectStatement {
    track_employer_links(job_track_employer::Column::JobTrackId)
        .filter(job_track_employer::Column::EmployerId.eq(employer_id))
        .filter(job_track::Column::Status.ne(JobTrackStatus::Draft))
        .into_query()
}

/// Nothing matches: for actors with no scope at all.
fn nothing() -> Condition {
    Condition::all().add(Expr::val(1).eq(0))
}

/// Agreements the actor may see. `None`: all.
pub fn agreement_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any();
    if let (true, Some(org)) = (actor.is_staff(), actor.organization_id) {
        any = any.add(agreement::Column::Id.in_subquery(own_agreement_ids(org)));
    }
    if let (true, Some(employer_id)) = (actor.has(Role::Employer), actor.employer_id) {
        let agreements_of_tracks = Query::select()
            .column(job_track::Column::AgreementId)
            .from(job_track::Entity)
            .and_where(job_track::Column::Id.in_subquery(employer_track_ids(employer_id)))
            .to_owned();
        any = any.add(agreement::Column::Id.in_subquery(agreements_of_tracks));
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Employers the actor may see: staff see employers in the municipalities of their
/// agreements and the employers of their agreements' tracks; an employer user its own.
pub fn employer_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any();
    if let (true, Some(org)) = (actor.is_staff(), actor.organization_id) {
        let municipalities = Query::select()
            .column(agreement_municipality::Column::MunicipalityCode)
            .from(agreement_municipality::Entity)
            .and_where(
                agreement_municipality::Column::AgreementId.in_subquery(own_agreement_ids(org)),
            )
            .to_owned();
        // Correlated, so PostgreSQL looks up the links of each employer it is asked
        // about instead of hashing every link of the agreements' tracks (`IN` beside
        // `OR` is not turned into a join) on every request.
        let of_own_tracks = track_employer_links(job_track_employer::Column::EmployerId)
            .filter(
                Expr::col((
                    job_track_employer::Entity,
                    job_track_employer::Column::EmployerId,
                ))
                .equals((employer::Entity, employer::Column::Id)),
            )
            .filter(job_track::Column::AgreementId.in_subquery(own_agreement_ids(org)))
            .into_query();
        any = any
            .add(employer::Column::MunicipalityCode.in_subquery(municipalities))
            .add(Expr::exists(of_own_tracks));
    }
    if let (true, Some(employer_id)) = (actor.has(Role::Employer), actor.employer_id) {
        any = any.add(employer::Column::Id.eq(employer_id));
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Competence needs follow their employer's visibility.
pub fn need_scope(actor: &Actor) -> Option<Condition> {
    employer_scope(actor).map(|employers| {
        let visible = Query::select()
            .column(employer::Column::Id)
            .from(employer::Entity)
            .cond_where(employers)
            .to_owned();
        Condition::all().add(competence_need::Column::EmployerId.in_subquery(visible))
    })
}

/// Users the actor may list: ADMIN all; staff the users of their own organisation;
/// an employer user only itself.
pub fn user_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any().add(app_user::Column::Id.eq(actor.user_id));
    if let (true, Some(org)) = (actor.is_staff(), actor.organization_id) {
        any = any.add(app_user::Column::OrganizationId.eq(org));
    }
    Some(any)
}

/// Applies an optional scope to a select.
pub fn scoped<E: EntityTrait>(
    select: sea_orm::Select<E>,
    scope: Option<Condition>,
) -> sea_orm::Select<E> {
    use sea_orm::QueryFilter;
    match scope {
        Some(condition) => select.filter(condition),
        None => select,
    }
}

/// Tracks of the agreements the organisation is party to.
fn tracks_of_own_agreements(organization_id: i64) -> SelectStatement {
    Query::select()
        .column(job_track::Column::Id)
        .from(job_track::Entity)
        .and_where(job_track::Column::AgreementId.in_subquery(own_agreement_ids(organization_id)))
        .to_owned()
}

/// Candidates of the given municipalities.
pub fn candidates_in(municipalities: &[String]) -> SelectStatement {
    Query::select()
        .column(candidate::Column::Id)
        .from(candidate::Entity)
        .and_where(candidate::Column::MunicipalityCode.is_in(municipalities.iter().cloned()))
        .to_owned()
}

/// Candidates with a consent of `scope` active now (not withdrawn, begun, not run out).
pub fn with_active_consent(scope: ConsentScope) -> SelectStatement {
    Query::select()
        .column(consent::Column::CandidateId)
        .from(consent::Entity)
        .and_where(consent::Column::Scope.eq(scope))
        .cond_where(crate::domain::candidates::consent_active_at(
            chrono::Utc::now(),
        ))
        .to_owned()
}

/// Candidates who share with `employer_id`: an active EMPLOYER_SHARING consent for every
/// employer of their tracks, or for this one.
pub fn sharing_with(employer_id: i64) -> SelectStatement {
    with_active_consent(ConsentScope::EmployerSharing)
        .cond_where(
            Condition::any()
                .add(consent::Column::EmployerId.is_null())
                .add(consent::Column::EmployerId.eq(employer_id)),
        )
        .to_owned()
}

/// Job tracks the actor may see: staff the tracks of their agreements, an employer user
/// the non-DRAFT tracks its employer is an employer of.
pub fn track_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any();
    if let (true, Some(org)) = (actor.is_staff(), actor.organization_id) {
        any = any.add(job_track::Column::AgreementId.in_subquery(own_agreement_ids(org)));
    }
    if let (true, Some(employer_id)) = (actor.has(Role::Employer), actor.employer_id) {
        any = any.add(job_track::Column::Id.in_subquery(employer_track_ids(employer_id)));
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Candidates whose personal data the actor may read (DOMAIN.md, "read candidates"):
/// caseworkers and coordinators those of their own municipalities; the working group
/// those with an application on a track of its agreements and an active COLLABORATION
/// consent.
pub fn candidate_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any();
    if actor.has(Role::Caseworker) || actor.has(Role::Coordinator) {
        any = any
            .add(candidate::Column::MunicipalityCode.is_in(actor.municipalities.iter().cloned()));
    }
    if let (true, Some(org)) = (actor.has(Role::WorkingGroup), actor.organization_id) {
        let applied = Query::select()
            .column(application::Column::CandidateId)
            .from(application::Entity)
            .and_where(application::Column::JobTrackId.in_subquery(tracks_of_own_agreements(org)))
            .to_owned();
        any = any.add(
            Condition::all()
                .add(candidate::Column::Id.in_subquery(applied))
                .add(
                    candidate::Column::Id
                        .in_subquery(with_active_consent(ConsentScope::Collaboration)),
                ),
        );
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Applications the actor may see. Caseworkers and coordinators: those of candidates of
/// their municipalities. Working group and coordinators: those on tracks of their
/// agreements whose candidate consents to collaboration. Employer users: those on their
/// non-DRAFT tracks that reached APPLIED (a motivation was given) and whose candidate
/// consents to sharing with employers.
pub fn application_scope(actor: &Actor) -> Option<Condition> {
    if actor.is_admin() {
        return None;
    }
    let mut any = Condition::any();
    if actor.has(Role::Caseworker) || actor.has(Role::Coordinator) {
        any = any.add(
            application::Column::CandidateId.in_subquery(candidates_in(&actor.municipalities)),
        );
    }
    if let (true, Some(org)) = (actor.has_any(DESIGN_TRACKS), actor.organization_id) {
        any = any.add(
            Condition::all()
                .add(application::Column::JobTrackId.in_subquery(tracks_of_own_agreements(org)))
                .add(
                    application::Column::CandidateId
                        .in_subquery(with_active_consent(ConsentScope::Collaboration)),
                ),
        );
    }
    if let (true, Some(employer_id)) = (actor.has(Role::Employer), actor.employer_id) {
        any = any.add(
            Condition::all()
                .add(application::Column::JobTrackId.in_subquery(employer_track_ids(employer_id)))
                .add(application::Column::Motivation.is_not_null())
                .add(application::Column::CandidateId.in_subquery(sharing_with(employer_id))),
        );
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Which applications a track's counts (`funnel`, `activeApplicationCount`,
/// `admittedCount`) include: staff of the track's agreements count all of them (counts
/// are no one's personal data and seats must add up); an employer user counts only the
/// applicants it may see, so the counts never tell it someone is hidden.
pub fn track_count_scope(actor: &Actor) -> Option<Condition> {
    if sees_as_employer(actor) {
        application_scope(actor)
    } else {
        None
    }
}

/// The audit log: ADMIN all of it, COORDINATOR the events of candidates of its own
/// municipalities; FORBIDDEN for everyone else. `Ok(None)`: all.
pub fn audit_scope(actor: &Actor) -> Result<Option<Condition>> {
    require_role(actor, &[Role::Coordinator])?;
    if actor.is_admin() {
        return Ok(None);
    }
    Ok(Some(Condition::all().add(
        audit_event::Column::CandidateId.in_subquery(candidates_in(&actor.municipalities)),
    )))
}
