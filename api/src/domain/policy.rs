//! Who may see and do what (DOMAIN.md, "Who may do what"), one function per question.
//! Visibility is expressed as SQL conditions so scoping happens inside each query, never
//! by filtering rows after loading them.

use jobtrack_entity::{
    agreement, agreement_municipality, agreement_party, app_user, application, candidate,
    competence_need, consent, employer, job_track, job_track_employer,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};

use crate::auth::Actor;
use crate::domain::values::{AdmissionStepKind, ConsentScope, JobTrackStatus, Role};
use crate::error::{Error, Result};

/// Fails unless the actor holds one of `roles` (ADMIN always may).
pub fn require_role(actor: &Actor, roles: &[Role]) -> Result<()> {
    if actor.has_any(roles) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

pub fn require_staff(actor: &Actor) -> Result<()> {
    if actor.is_staff() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// inviteUser: ADMIN anyone; a COORDINATOR non-admin users of its own organisation, or
/// EMPLOYER users (of an employer it may see: checked by the caller, which loads it),
/// and only with municipalities it has itself, so it can never grant more than it holds.
pub fn may_invite(
    actor: &Actor,
    roles: &[Role],
    organization_id: Option<i64>,
    municipality_codes: &[String],
) -> Result<()> {
    require_role(actor, &[Role::Coordinator])?;
    if actor.is_admin() {
        return Ok(());
    }
    let employer_user = roles == [Role::Employer];
    let own_staff = !roles.contains(&Role::Admin) && organization_id == actor.organization_id;
    if !(employer_user || own_staff) {
        return Err(Error::Forbidden);
    }
    if let Some(code) = municipality_codes
        .iter()
        .find(|code| !actor.municipalities.iter().any(|m| m == code.trim()))
    {
        return Err(Error::bad_input(
            "municipalityCodes",
            format!("you may only grant municipalities you have yourself ({code} is not one)"),
        ));
    }
    Ok(())
}

/// An employer's contact persons, contact owner and competence needs: staff who may see
/// the employer, and its own employer users. Another employer sharing a track sees the
/// employer's name and public register data, nothing more.
pub fn may_read_employer_details(actor: &Actor, employer_id: i64) -> bool {
    actor.is_staff() || (actor.has(Role::Employer) && actor.employer_id == Some(employer_id))
}

/// The employer contact log: every staff role; never EMPLOYER.
pub fn may_read_employer_contacts(actor: &Actor) -> bool {
    actor.is_staff()
}

pub const MANAGE_EMPLOYERS: &[Role] =
    &[Role::Coordinator, Role::WorkingGroup, Role::BusinessAdviser];
pub const POST_NEEDS: &[Role] = &[
    Role::Employer,
    Role::BusinessAdviser,
    Role::WorkingGroup,
    Role::Coordinator,
];

/// Agreements the actor's organisation is party to.
fn own_agreement_ids(organization_id: i64) -> SelectStatement {
    Query::select()
        .column(agreement_party::Column::AgreementId)
        .from(agreement_party::Entity)
        .and_where(agreement_party::Column::OrganizationId.eq(organization_id))
        .to_owned()
}

/// Tracks an employer user may see: non-DRAFT tracks its employer is an employer of.
fn employer_track_ids(employer_id: i64) -> SelectStatement {
    Query::select()
        .column((
            job_track_employer::Entity,
            job_track_employer::Column::JobTrackId,
        ))
        .from(job_track_employer::Entity)
        .inner_join(
            job_track::Entity,
            Expr::col((job_track::Entity, job_track::Column::Id)).equals((
                job_track_employer::Entity,
                job_track_employer::Column::JobTrackId,
            )),
        )
        .and_where(job_track_employer::Column::EmployerId.eq(employer_id))
        .and_where(job_track::Column::Status.ne(JobTrackStatus::Draft.as_str()))
        .to_owned()
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
        let track_employers = Query::select()
            .column((
                job_track_employer::Entity,
                job_track_employer::Column::EmployerId,
            ))
            .from(job_track_employer::Entity)
            .inner_join(
                job_track::Entity,
                Expr::col((job_track::Entity, job_track::Column::Id)).equals((
                    job_track_employer::Entity,
                    job_track_employer::Column::JobTrackId,
                )),
            )
            .and_where(job_track::Column::AgreementId.in_subquery(own_agreement_ids(org)))
            .to_owned();
        any = any
            .add(employer::Column::MunicipalityCode.in_subquery(municipalities))
            .add(employer::Column::Id.in_subquery(track_employers));
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

pub const DESIGN_TRACKS: &[Role] = &[Role::WorkingGroup, Role::Coordinator];
pub const MANAGE_CANDIDATES: &[Role] = &[Role::Caseworker, Role::Coordinator];

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

/// Candidates with an active (not withdrawn) consent of `scope`.
pub fn with_active_consent(scope: ConsentScope) -> SelectStatement {
    Query::select()
        .column(consent::Column::CandidateId)
        .from(consent::Entity)
        .and_where(consent::Column::Scope.eq(scope.as_str()))
        .and_where(consent::Column::WithdrawnAt.is_null())
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
                .add(
                    application::Column::CandidateId
                        .in_subquery(with_active_consent(ConsentScope::EmployerSharing)),
                ),
        );
    }
    Some(if any.is_empty() { nothing() } else { any })
}

/// Whether the actor sees applications as an employer: applicants, never candidates,
/// and none of the case details (DOMAIN.md, "EMPLOYER reads").
pub fn sees_as_employer(actor: &Actor) -> bool {
    actor.is_employer_only()
}

/// The full personnummer: ADMIN, and CASEWORKER/COORDINATOR for candidates of their own
/// municipalities (everyone else who may read the candidate sees it masked).
pub fn may_read_full_personal_identity_number(actor: &Actor, candidate: &candidate::Model) -> bool {
    actor.is_admin()
        || (actor.has_any(MANAGE_CANDIDATES)
            && in_own_municipalities(actor, &candidate.municipality_code))
}

/// An employer user sees the assessment of a trial placement it hosts, and no other
/// step's (the working group's decision reason stays with staff).
pub fn employer_sees_step_assessment(
    actor: &Actor,
    kind: AdmissionStepKind,
    host: Option<i64>,
) -> bool {
    kind == AdmissionStepKind::TrialPlacement && host.is_some() && host == actor.employer_id
}

/// How much of a user another user sees when reaching it through an object it may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserDetail {
    /// Roles, municipalities and employer link too.
    Full,
    /// Name, work email and organisation: how an employer user sees the staff it works
    /// with (its contact owner, a track's design team). Staff's roles and municipalities
    /// are internal; who handles a candidate's case is never shown to an employer.
    Contact,
}

pub fn user_detail(actor: &Actor, user_id: i64, _organization_id: Option<i64>) -> UserDetail {
    if actor.is_staff() || actor.user_id == user_id {
        UserDetail::Full
    } else {
        UserDetail::Contact
    }
}

/// Whether a candidate lives in one of the actor's own municipalities.
pub fn in_own_municipalities(actor: &Actor, municipality_code: &str) -> bool {
    actor.municipalities.iter().any(|m| m == municipality_code)
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
