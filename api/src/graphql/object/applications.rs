//! Candidates, consents, applications, admission steps, outcomes and audit events.
//! Reading a candidate's personal data is noted for the audit log of the request.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use jobtrack_entity::{admission_step, application, audit_event, candidate, consent, outcome};

use super::employers::Employer;
use super::people::{Municipality, User};
use super::tracks::JobTrack;
use super::{load, load_list, load_required};
use crate::domain::audit::Reads;
use crate::domain::identifiers::{format_personal_identity_number, mask_personal_identity_number};
use crate::domain::values::{
    AdmissionStepKind, ApplicationStatus, ConsentMethod, ConsentScope, EducationLevel, Gender,
    OutcomeKind, Programme, Role, StepResult, SwedishLevel, TargetGroup,
};
use crate::error::Error;
use crate::graphql::connection::connection;
use crate::graphql::context::actor;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::{EmployerById, MunicipalityByCode, TrackById, UserById};
use crate::graphql::loader_tracks::{
    ApplicantById, ApplicationsOfCandidate, CandidateById, ConsentsOfCandidate,
    OutcomeOfApplication, StepsOfApplication, TargetGroupsOfCandidate,
};

/// Notes that the viewer read `what` of a candidate.
fn note(ctx: &Context<'_>, candidate_id: i64, what: &'static str) {
    if let Ok(reads) = ctx.data::<Arc<Reads>>() {
        reads.note(candidate_id, what);
    }
}

pub struct Candidate(pub candidate::Model);

connection!(CandidateConnection, CandidateEdge, Candidate);

#[Object]
impl Candidate {
    pub async fn id(&self) -> ID {
        ids::encode("Candidate", self.0.id)
    }

    async fn first_name(&self, ctx: &Context<'_>) -> &str {
        note(ctx, self.0.id, "name");
        &self.0.first_name
    }

    async fn last_name(&self, ctx: &Context<'_>) -> &str {
        note(ctx, self.0.id, "name");
        &self.0.last_name
    }

    /// Masked as YYYYMMDD-****; full only with includeFull for CASEWORKER/COORDINATOR of the candidate's municipality.
    async fn personal_identity_number(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(false)")] include_full: Option<bool>,
    ) -> ApiResult<String> {
        // An explicit null means the default, as the contract's nullable argument allows.
        let include_full = include_full.unwrap_or(false);
        let Some(stored) = &self.0.personal_identity_number else {
            return Ok(format!("{}****-****", self.0.birth_year));
        };
        if !include_full {
            note(ctx, self.0.id, "personalIdentityNumber.masked");
            return Ok(mask_personal_identity_number(stored));
        }
        let actor = actor(ctx)?;
        let own = actor.municipalities.contains(&self.0.municipality_code);
        if !(own && (actor.has(Role::Caseworker) || actor.has(Role::Coordinator))) {
            return Err(Error::Forbidden.into());
        }
        note(ctx, self.0.id, "personalIdentityNumber.full");
        Ok(format_personal_identity_number(stored))
    }

    async fn birth_year(&self) -> i32 {
        self.0.birth_year
    }

    async fn gender(&self, ctx: &Context<'_>) -> ApiResult<Gender> {
        note(ctx, self.0.id, "gender");
        Ok(Gender::from_db(&self.0.gender)?)
    }

    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Municipality> {
        Ok(Municipality(
            load_required(ctx, MunicipalityByCode(self.0.municipality_code.clone())).await?,
        ))
    }

    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        note(ctx, self.0.id, "email");
        self.0.email.as_deref()
    }

    async fn phone(&self, ctx: &Context<'_>) -> Option<&str> {
        note(ctx, self.0.id, "phone");
        self.0.phone.as_deref()
    }

    async fn education_level(&self, ctx: &Context<'_>) -> ApiResult<EducationLevel> {
        note(ctx, self.0.id, "educationLevel");
        Ok(EducationLevel::from_db(&self.0.education_level)?)
    }

    async fn swedish_level(&self, ctx: &Context<'_>) -> ApiResult<SwedishLevel> {
        note(ctx, self.0.id, "swedishLevel");
        Ok(SwedishLevel::from_db(&self.0.swedish_level)?)
    }

    async fn driving_licence(&self, ctx: &Context<'_>) -> bool {
        note(ctx, self.0.id, "drivingLicence");
        self.0.driving_licence
    }

    async fn programme(&self, ctx: &Context<'_>) -> ApiResult<Programme> {
        note(ctx, self.0.id, "programme");
        Ok(Programme::from_db(&self.0.programme)?)
    }

    async fn target_groups(&self, ctx: &Context<'_>) -> ApiResult<Vec<TargetGroup>> {
        note(ctx, self.0.id, "targetGroups");
        load_list(ctx, TargetGroupsOfCandidate(self.0.id)).await
    }

    async fn caseworker(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.caseworker_id else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn consents(&self, ctx: &Context<'_>) -> ApiResult<Vec<Consent>> {
        Ok(load_list(ctx, ConsentsOfCandidate(self.0.id))
            .await?
            .into_iter()
            .map(Consent)
            .collect())
    }

    /// The candidate's applications that the viewer may see.
    async fn applications(&self, ctx: &Context<'_>) -> ApiResult<Vec<Application>> {
        Ok(load_list(ctx, ApplicationsOfCandidate(self.0.id))
            .await?
            .into_iter()
            .map(Application)
            .collect())
    }

    async fn created_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.created_at.into()
    }

    /// Set once the candidate has been erased; personal fields are then anonymised.
    async fn erased_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.erased_at.map(Into::into)
    }
}

pub struct Consent(pub consent::Model);

#[Object]
impl Consent {
    async fn id(&self) -> ID {
        ids::encode("Consent", self.0.id)
    }

    async fn scope(&self) -> ApiResult<ConsentScope> {
        Ok(ConsentScope::from_db(&self.0.scope)?)
    }

    async fn method(&self) -> ApiResult<ConsentMethod> {
        Ok(ConsentMethod::from_db(&self.0.method)?)
    }

    async fn given_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.given_at.into()
    }

    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<User> {
        Ok(User(
            load_required(ctx, UserById(self.0.recorded_by)).await?,
        ))
    }

    async fn withdrawn_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.withdrawn_at.map(Into::into)
    }
}

pub struct ApplicantProfile(pub candidate::Model);

/// What an EMPLOYER user sees of an applicant.
#[Object]
impl ApplicantProfile {
    async fn first_name(&self, ctx: &Context<'_>) -> &str {
        note(ctx, self.0.id, "applicant.name");
        &self.0.first_name
    }

    async fn last_name(&self, ctx: &Context<'_>) -> &str {
        note(ctx, self.0.id, "applicant.name");
        &self.0.last_name
    }

    async fn swedish_level(&self, ctx: &Context<'_>) -> ApiResult<SwedishLevel> {
        note(ctx, self.0.id, "applicant.swedishLevel");
        Ok(SwedishLevel::from_db(&self.0.swedish_level)?)
    }

    async fn driving_licence(&self, ctx: &Context<'_>) -> bool {
        note(ctx, self.0.id, "applicant.drivingLicence");
        self.0.driving_licence
    }

    async fn education_level(&self, ctx: &Context<'_>) -> ApiResult<EducationLevel> {
        note(ctx, self.0.id, "applicant.educationLevel");
        Ok(EducationLevel::from_db(&self.0.education_level)?)
    }
}

pub struct Application(pub application::Model);

connection!(ApplicationConnection, ApplicationEdge, Application);

/// Whether the viewer sees applications as an employer (applicant, not candidate).
fn employer_view(ctx: &Context<'_>) -> ApiResult<bool> {
    Ok(actor(ctx)?.is_employer_only())
}

#[Object]
impl Application {
    pub async fn id(&self) -> ID {
        ids::encode("Application", self.0.id)
    }

    async fn job_track(&self, ctx: &Context<'_>) -> ApiResult<JobTrack> {
        Ok(JobTrack(
            load_required(ctx, TrackById(self.0.job_track_id)).await?,
        ))
    }

    /// Null for EMPLOYER users, who see applicant instead.
    async fn candidate(&self, ctx: &Context<'_>) -> ApiResult<Option<Candidate>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        Ok(load(ctx, CandidateById(self.0.candidate_id))
            .await?
            .map(Candidate))
    }

    /// Set for EMPLOYER users only.
    async fn applicant(&self, ctx: &Context<'_>) -> ApiResult<Option<ApplicantProfile>> {
        if !employer_view(ctx)? {
            return Ok(None);
        }
        Ok(load(ctx, ApplicantById(self.0.candidate_id))
            .await?
            .map(ApplicantProfile))
    }

    async fn status(&self) -> ApiResult<ApplicationStatus> {
        Ok(ApplicationStatus::from_db(&self.0.status)?)
    }

    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn nominated_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        let Some(id) = self.0.nominated_by else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn nominated_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.nominated_at.into()
    }

    /// Caseworker's note; hidden from EMPLOYER users.
    async fn nomination_note(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        note(ctx, self.0.candidate_id, "nominationNote");
        Ok(self.0.nomination_note.as_deref())
    }

    /// The SFI teacher's view of language level and study ability; hidden from EMPLOYER users.
    async fn language_assessment(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        note(ctx, self.0.candidate_id, "languageAssessment");
        Ok(self.0.language_assessment.as_deref())
    }

    /// The candidate's own motivation, given with the application.
    async fn motivation(&self, ctx: &Context<'_>) -> Option<&str> {
        note(ctx, self.0.candidate_id, "motivation");
        self.0.motivation.as_deref()
    }

    async fn steps(&self, ctx: &Context<'_>) -> ApiResult<Vec<AdmissionStep>> {
        Ok(load_list(ctx, StepsOfApplication(self.0.id))
            .await?
            .into_iter()
            .map(AdmissionStep)
            .collect())
    }

    /// Hidden from EMPLOYER users.
    async fn decision_reason(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        Ok(self.0.decision_reason.as_deref())
    }

    /// Hidden from EMPLOYER users.
    async fn outcome(&self, ctx: &Context<'_>) -> ApiResult<Option<Outcome>> {
        if employer_view(ctx)? {
            return Ok(None);
        }
        Ok(load(ctx, OutcomeOfApplication(self.0.id))
            .await?
            .map(Outcome))
    }

    async fn updated_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.updated_at.into()
    }
}

pub struct AdmissionStep(pub admission_step::Model);

#[Object]
impl AdmissionStep {
    async fn id(&self) -> ID {
        ids::encode("AdmissionStep", self.0.id)
    }

    async fn kind(&self) -> ApiResult<AdmissionStepKind> {
        Ok(AdmissionStepKind::from_db(&self.0.kind)?)
    }

    async fn scheduled_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.scheduled_at.map(Into::into)
    }

    async fn ends_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.ends_at.map(Into::into)
    }

    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    /// The employer hosting a trial placement.
    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Option<Employer>> {
        let Some(id) = self.0.employer_id else {
            return Ok(None);
        };
        Ok(load(ctx, EmployerById(id)).await?.map(Employer))
    }

    async fn result(&self) -> ApiResult<StepResult> {
        Ok(StepResult::from_db(&self.0.result)?)
    }

    /// Assessment text, e.g. the employer's view after a trial placement.
    async fn assessment(&self) -> Option<&str> {
        self.0.assessment.as_deref()
    }

    async fn assessed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.assessed_by else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn completed_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.completed_at.map(Into::into)
    }
}

pub struct Outcome(pub outcome::Model);

#[Object]
impl Outcome {
    async fn kind(&self) -> ApiResult<OutcomeKind> {
        Ok(OutcomeKind::from_db(&self.0.kind)?)
    }

    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Option<Employer>> {
        let Some(id) = self.0.employer_id else {
            return Ok(None);
        };
        Ok(load(ctx, EmployerById(id)).await?.map(Employer))
    }

    async fn starts_on(&self) -> Option<crate::graphql::scalars::Date> {
        self.0.starts_on.map(crate::graphql::scalars::Date)
    }

    async fn recorded_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.recorded_at.into()
    }
}

pub struct AuditEvent(pub audit_event::Model);

connection!(AuditEventConnection, AuditEventEdge, AuditEvent);

/// One read or change of a candidate's personal data.
#[Object]
impl AuditEvent {
    pub async fn id(&self) -> ID {
        ids::encode("AuditEvent", self.0.id)
    }

    async fn at(&self) -> crate::graphql::scalars::DateTime {
        self.0.at.into()
    }

    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    /// e.g. candidate.read, candidate.update, consent.record, candidate.erase
    async fn action(&self) -> &str {
        &self.0.action
    }

    async fn candidate_id(&self) -> Option<ID> {
        self.0.candidate_id.map(|id| ids::encode("Candidate", id))
    }

    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
}
