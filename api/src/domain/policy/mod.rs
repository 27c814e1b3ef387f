//! Who may see and do what: one function per row of DOMAIN.md's "Who may do what"
//! table, named after the question it answers, in the table's order. Which rows an actor
//! may read is in [`scope`], as SQL conditions, so scoping happens inside each query and
//! never by filtering rows after loading them. Nothing outside this module checks a role,
//! an organisation or a municipality.

mod scope;

pub use scope::*;

use jobtrack_entity::{app_user, candidate};

use crate::auth::Actor;
use crate::domain::values::{AdmissionStepKind, Role};
use crate::error::{Error, Result};

// ---- Building blocks

/// `Ok` when allowed, `FORBIDDEN` otherwise.
pub fn require(allowed: bool) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Fails unless the actor holds one of `roles` (ADMIN always may).
pub fn require_role(actor: &Actor, roles: &[Role]) -> Result<()> {
    if actor.has_any(roles) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// ADMIN may do everything: scope checks that need the database are skipped for it.
pub fn unrestricted(actor: &Actor) -> bool {
    actor.is_admin()
}

/// Whether a candidate lives in one of the actor's own municipalities.
pub fn in_own_municipalities(actor: &Actor, municipality_code: &str) -> bool {
    actor.municipalities.iter().any(|m| m == municipality_code)
}

pub const MANAGE_EMPLOYERS: &[Role] =
    &[Role::Coordinator, Role::WorkingGroup, Role::BusinessAdviser];

pub const POST_NEEDS: &[Role] = &[
    Role::Employer,
    Role::BusinessAdviser,
    Role::WorkingGroup,
    Role::Coordinator,
];

pub const DESIGN_TRACKS: &[Role] = &[Role::WorkingGroup, Role::Coordinator];

pub const MANAGE_CANDIDATES: &[Role] = &[Role::Caseworker, Role::Coordinator];

// ---- createOrganization, createAgreement; the email outbox

/// createOrganization, createAgreement, and the email outbox: ADMIN.
pub fn may_administer(actor: &Actor) -> bool {
    actor.is_admin()
}

// ---- inviteUser; the users list

/// inviteUser: ADMIN anyone; a COORDINATOR non-admin users of its own organisation, or
/// EMPLOYER users (of an employer it may see: checked by the caller, which loads it),
/// and only with municipalities it has itself, so it can never grant more than it holds.
/// deactivateUser, reactivateUser: ADMIN any user; COORDINATOR the users of its own
/// organisation, never an ADMIN.
pub fn may_deactivate_user(actor: &Actor, user: &app_user::Model, roles: &[Role]) -> bool {
    actor.is_admin()
        || (actor.has(Role::Coordinator)
            && !roles.contains(&Role::Admin)
            && user.organization_id.is_some()
            && user.organization_id == actor.organization_id)
}

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

/// The users list: staff (which users: [`user_scope`]).
pub fn may_list_users(actor: &Actor) -> bool {
    actor.is_staff()
}

// ---- createEmployer, setContactOwner; what of an employer is read

/// createEmployer, setContactOwner: COORDINATOR, WORKING_GROUP, BUSINESS_ADVISER.
pub fn may_manage_employers(actor: &Actor) -> bool {
    actor.has_any(MANAGE_EMPLOYERS)
}

/// Who can be an employer's contact owner: a staff user who is not also an employer user.
pub fn may_own_employer_contacts(user: &Actor) -> bool {
    user.is_staff() && !user.has(Role::Employer)
}

/// An employer's contact persons, contact owner and competence needs: staff who may see
/// the employer, and its own employer users. Another employer sharing a track sees the
/// employer's name and public register data, nothing more.
pub fn may_read_employer_details(actor: &Actor, employer_id: i64) -> bool {
    actor.is_staff() || (actor.has(Role::Employer) && actor.employer_id == Some(employer_id))
}

// ---- postCompetenceNeed, withdrawCompetenceNeed

/// postCompetenceNeed, withdrawCompetenceNeed: EMPLOYER, BUSINESS_ADVISER,
/// WORKING_GROUP, COORDINATOR (for which employer: [`may_post_need_for`]).
pub fn may_post_needs(actor: &Actor) -> bool {
    actor.has_any(POST_NEEDS)
}

/// … an EMPLOYER user for its own employer only (staff: employers they may see, which
/// the caller checks by loading it within [`employer_scope`]).
pub fn may_post_need_for(actor: &Actor, employer_id: i64) -> bool {
    may_post_needs(actor) && (!sees_as_employer(actor) || actor.employer_id == Some(employer_id))
}

// ---- createJobTrack, updateJobTrack, changeJobTrackStatus

/// createJobTrack, updateJobTrack, changeJobTrackStatus: WORKING_GROUP, COORDINATOR (of
/// tracks of agreements their organisation is party to).
pub fn may_design_tracks(actor: &Actor) -> bool {
    actor.has_any(DESIGN_TRACKS)
}

/// Who can be named to a track's design team: staff users.
pub fn may_be_on_design_team(user: &Actor) -> bool {
    user.is_staff()
}

// ---- registerCandidate, updateCandidate, recordConsent, withdrawConsent, eraseCandidate

/// registerCandidate, updateCandidate, recordConsent, withdrawConsent: CASEWORKER,
/// COORDINATOR (which candidates: [`may_manage_candidate_in`]).
pub fn may_manage_candidates(actor: &Actor) -> bool {
    actor.has_any(MANAGE_CANDIDATES)
}

/// … candidates of own municipalities.
pub fn may_manage_candidate_in(actor: &Actor, municipality_code: &str) -> bool {
    actor.is_admin()
        || (may_manage_candidates(actor) && in_own_municipalities(actor, municipality_code))
}

/// eraseCandidate: COORDINATOR (own municipalities, as for managing).
pub fn may_erase_candidates(actor: &Actor) -> bool {
    actor.has_any(&[Role::Coordinator])
}

// ---- nominateCandidate

/// nominateCandidate, before the candidate is known: CASEWORKER, COORDINATOR.
pub fn may_nominate_any(actor: &Actor) -> bool {
    actor.has_any(MANAGE_CANDIDATES)
}

/// nominateCandidate: CASEWORKER, COORDINATOR — candidates of own municipalities.
pub fn may_nominate(actor: &Actor, candidate: &candidate::Model) -> bool {
    actor.is_admin()
        || (may_nominate_any(actor) && in_own_municipalities(actor, &candidate.municipality_code))
}

// ---- inviteToInfoMeeting, scheduleTrialPlacement, decideApplication, submitApplication, withdrawApplication, recordStepResult, completeParticipation, recordDropOut, recordOutcome

/// A rule on one application: the actor, whether it may see the application's track,
/// and the candidate.
pub type ApplicationRule = fn(&Actor, bool, &candidate::Model) -> bool;

/// inviteToInfoMeeting, scheduleTrialPlacement, decideApplication, and the results of
/// information meetings and applications: WORKING_GROUP, COORDINATOR of the track.
pub fn may_run_admission(actor: &Actor, track_visible: bool, _: &candidate::Model) -> bool {
    actor.is_admin() || (actor.has_any(DESIGN_TRACKS) && track_visible)
}

/// scheduleInfoMeeting: WORKING_GROUP, COORDINATOR (of the track: the track scope).
pub fn may_schedule_info_meeting(actor: &Actor) -> bool {
    actor.is_admin() || actor.has_any(DESIGN_TRACKS)
}

/// A track's information meetings (time, place, counts): staff, never employers.
pub fn may_read_info_meetings(actor: &Actor) -> bool {
    actor.is_staff()
}

/// submitApplication, withdrawApplication, completeParticipation, recordDropOut,
/// recordOutcome: WORKING_GROUP, COORDINATOR of the track, and the candidate's CASEWORKER.
pub fn may_act_for_applicant(
    actor: &Actor,
    track_visible: bool,
    candidate: &candidate::Model,
) -> bool {
    may_run_admission(actor, track_visible, candidate)
        || (actor.has(Role::Caseworker) && candidate.caseworker_id == Some(actor.user_id))
}

/// updateNomination (the note, the SFI teacher's view): who nominates or acts for the
/// applicant — WORKING_GROUP, COORDINATOR of the track, the candidate's CASEWORKER.
pub fn may_update_nomination(
    actor: &Actor,
    track_visible: bool,
    candidate: &candidate::Model,
) -> bool {
    may_act_for_applicant(actor, track_visible, candidate)
}

/// recordStepResult for a TRIAL_PLACEMENT: WORKING_GROUP, COORDINATOR; EMPLOYER on its
/// own tracks.
pub fn may_record_trial_placement_result(
    actor: &Actor,
    track_visible: bool,
    candidate: &candidate::Model,
) -> bool {
    may_run_admission(actor, track_visible, candidate)
        || (actor.has(Role::Employer) && track_visible)
}

// ---- logEmployerContact; read employer contacts

/// logEmployerContact: BUSINESS_ADVISER, WORKING_GROUP, CASEWORKER, COORDINATOR.
pub fn may_log_contacts(actor: &Actor) -> bool {
    actor.has_any(&[
        Role::BusinessAdviser,
        Role::WorkingGroup,
        Role::Caseworker,
        Role::Coordinator,
    ])
}

/// The employer contact log: every staff role; never EMPLOYER.
pub fn may_read_employer_contacts(actor: &Actor) -> bool {
    actor.is_staff()
}

// ---- read candidates (which: scope::candidate_scope); the full personnummer

/// The full personnummer: ADMIN, and CASEWORKER/COORDINATOR for candidates of their own
/// municipalities (everyone else who may read the candidate sees it masked).
pub fn may_read_full_personal_identity_number(actor: &Actor, candidate: &candidate::Model) -> bool {
    actor.is_admin()
        || (actor.has_any(MANAGE_CANDIDATES)
            && in_own_municipalities(actor, &candidate.municipality_code))
}

// ---- completionReport

/// completionReport: COORDINATOR, WORKING_GROUP, SECTION_MANAGER (of agreements they see).
pub fn may_read_completion_report(actor: &Actor) -> bool {
    actor.has_any(&[Role::Coordinator, Role::WorkingGroup, Role::SectionManager])
}

/// acknowledgeEscalation: SECTION_MANAGER (of the track's agreement: the track scope).
pub fn may_acknowledge_escalation(actor: &Actor) -> bool {
    actor.is_admin() || actor.has(Role::SectionManager)
}

/// recordTrackReview: WORKING_GROUP, COORDINATOR (of the track: the caller locks a track
/// it may see).
pub fn may_review_track(actor: &Actor) -> bool {
    actor.is_admin() || actor.has_any(DESIGN_TRACKS)
}

/// A track's end-of-track review: staff, never employers.
pub fn may_read_track_review(actor: &Actor) -> bool {
    actor.is_staff()
}

/// A track's escalation acknowledgement (who, when, the note): staff, never employers.
pub fn may_read_escalation(actor: &Actor) -> bool {
    actor.is_staff()
}

// ---- EMPLOYER reads (which applications: scope::application_scope)

/// Whether the actor sees applications as an employer: applicants, never candidates,
/// and none of the case details (DOMAIN.md, "EMPLOYER reads").
pub fn sees_as_employer(actor: &Actor) -> bool {
    actor.is_employer_only()
}

/// recordFollowUp: CASEWORKER, COORDINATOR — candidates of own municipalities (as for
/// recording an outcome).
pub fn may_record_follow_up(
    actor: &Actor,
    _track_visible: bool,
    candidate: &candidate::Model,
) -> bool {
    may_manage_candidates(actor) && may_manage_candidate_in(actor, &candidate.municipality_code)
}

/// Suggestions (`suggestedCandidates`, `suggestedTracks`, `matchingTracks`): those who
/// read candidates for their work — caseworkers, coordinators, the working group, ADMIN.
/// Employers never see suggestions.
pub fn may_read_suggestions(actor: &Actor) -> bool {
    actor.is_admin() || actor.has_any(&[Role::Caseworker, Role::Coordinator, Role::WorkingGroup])
}

/// Whether the actor may ask which started participations lost their candidate's
/// COLLABORATION consent: staff, never employer users (it would tell them about a
/// consent that is not theirs).
pub fn may_see_lapsed_consents(actor: &Actor) -> bool {
    !sees_as_employer(actor)
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

pub fn user_detail(actor: &Actor, user_id: i64) -> UserDetail {
    if actor.is_staff() || actor.user_id == user_id {
        UserDetail::Full
    } else {
        UserDetail::Contact
    }
}
