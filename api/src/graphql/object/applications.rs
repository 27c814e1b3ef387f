//! Candidates, consents, applications, admission steps, outcomes and audit events.
//! They render the domain's views (`domain::views`), which apply the policy and record
//! every read of personal data when they are built.

use async_graphql::{Context, ID, Object};
use jobtrack_entity::{application, audit_event, candidate, consent};

use super::employers::Employer;
use super::people::{Municipality, User};
use super::tracks::JobTrack;
use super::{load, load_list, load_required};
use crate::domain::values::{
    AdmissionStepKind, ApplicationStatus, ConsentMethod, ConsentScope, EducationLevel, Gender,
    OutcomeKind, Programme, StepResult, SwedishLevel, TargetGroup,
};
use crate::domain::views::{
    ApplicantView, ApplicationView, CandidateView, ConsentView, OutcomeView, StepView,
};
use crate::graphql::connection::connection;
use crate::graphql::context::reader;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::{
    ApplicantById, ApplicationsOfCandidate, CandidateById, ConsentsOfCandidate,
    OutcomeOfApplication, StepsOfApplication, TargetGroupsOfCandidate, UserById,
};
use crate::graphql::loader::{EmployerById, MunicipalityByCode, TrackById};

pub struct Candidate(pub CandidateView);

connection!(CandidateConnection, CandidateEdge, Candidate);

impl Candidate {
    /// A candidate the domain has let the viewer read, as a view that records the read.
    pub fn of(ctx: &Context<'_>, candidate: candidate::Model) -> ApiResult<Self> {
        Ok(Self(CandidateView::build(candidate, reader(ctx)?)?))
    }
}

#[Object]
impl Candidate {
    pub async fn id(&self) -> ID {
        ids::encode("Candidate", self.0.id)
    }

    async fn first_name(&self) -> &str {
        &self.0.first_name
    }

    async fn last_name(&self) -> &str {
        &self.0.last_name
    }

    /// Masked as YYYYMMDD-****; full only with includeFull for CASEWORKER/COORDINATOR of the candidate's municipality.
    async fn personal_identity_number(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Some(false)")] include_full: Option<bool>,
    ) -> ApiResult<String> {
        // An explicit null means the default, as the contract's nullable argument allows.
        if include_full.unwrap_or(false) {
            Ok(self.0.full_personal_identity_number(reader(ctx)?)?)
        } else {
            Ok(self.0.masked_personal_identity_number.clone())
        }
    }

    async fn birth_year(&self) -> i32 {
        self.0.birth_year
    }

    async fn gender(&self) -> Gender {
        self.0.gender
    }

    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Municipality> {
        Ok(Municipality(
            load_required(ctx, MunicipalityByCode(self.0.municipality_code.clone())).await?,
        ))
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    async fn education_level(&self) -> EducationLevel {
        self.0.education_level
    }

    async fn swedish_level(&self) -> SwedishLevel {
        self.0.swedish_level
    }

    async fn driving_licence(&self) -> bool {
        self.0.driving_licence
    }

    async fn programme(&self) -> Programme {
        self.0.programme
    }

    async fn target_groups(&self, ctx: &Context<'_>) -> ApiResult<Vec<TargetGroup>> {
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

pub struct Consent(pub ConsentView);

impl Consent {
    pub fn of(ctx: &Context<'_>, consent: &consent::Model) -> ApiResult<Self> {
        Ok(Self(ConsentView::build(consent, reader(ctx)?)?))
    }
}

#[Object]
impl Consent {
    async fn id(&self) -> ID {
        ids::encode("Consent", self.0.id)
    }

    async fn scope(&self) -> ConsentScope {
        self.0.scope
    }

    async fn method(&self) -> ConsentMethod {
        self.0.method
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

pub struct ApplicantProfile(pub ApplicantView);

/// What an EMPLOYER user sees of an applicant.
#[Object]
impl ApplicantProfile {
    async fn first_name(&self) -> &str {
        &self.0.first_name
    }

    async fn last_name(&self) -> &str {
        &self.0.last_name
    }

    async fn swedish_level(&self) -> SwedishLevel {
        self.0.swedish_level
    }

    async fn driving_licence(&self) -> bool {
        self.0.driving_licence
    }

    async fn education_level(&self) -> EducationLevel {
        self.0.education_level
    }
}

pub struct Application(pub ApplicationView);

connection!(ApplicationConnection, ApplicationEdge, Application);

impl Application {
    /// An application the domain has let the viewer see, as the viewer's view of it.
    pub fn of(ctx: &Context<'_>, application: application::Model) -> ApiResult<Self> {
        Ok(Self(ApplicationView::build(application, reader(ctx)?)?))
    }
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
        if !self.0.shows_candidate() {
            return Ok(None);
        }
        Ok(load(ctx, CandidateById(self.0.candidate_id))
            .await?
            .map(Candidate))
    }

    /// Set for EMPLOYER users only.
    async fn applicant(&self, ctx: &Context<'_>) -> ApiResult<Option<ApplicantProfile>> {
        if self.0.shows_candidate() {
            return Ok(None);
        }
        Ok(load(ctx, ApplicantById(self.0.candidate_id))
            .await?
            .map(ApplicantProfile))
    }

    async fn status(&self) -> ApplicationStatus {
        self.0.status
    }

    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn nominated_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.case.as_ref().and_then(|c| c.nominated_by) else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn nominated_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.nominated_at.into()
    }

    /// Caseworker's note; hidden from EMPLOYER users.
    async fn nomination_note(&self) -> Option<&str> {
        self.0.case.as_ref()?.nomination_note.as_deref()
    }

    /// The SFI teacher's view of language level and study ability; hidden from EMPLOYER users.
    async fn language_assessment(&self) -> Option<&str> {
        self.0.case.as_ref()?.language_assessment.as_deref()
    }

    /// The candidate's own motivation, given with the application.
    async fn motivation(&self) -> Option<&str> {
        self.0.motivation.as_deref()
    }

    async fn steps(&self, ctx: &Context<'_>) -> ApiResult<Vec<AdmissionStep>> {
        Ok(
            load_list(ctx, StepsOfApplication(self.0.id, self.0.candidate_id))
                .await?
                .into_iter()
                .map(AdmissionStep)
                .collect(),
        )
    }

    /// Hidden from EMPLOYER users.
    async fn decision_reason(&self) -> Option<&str> {
        self.0.case.as_ref()?.decision_reason.as_deref()
    }

    /// Hidden from EMPLOYER users.
    async fn outcome(&self, ctx: &Context<'_>) -> ApiResult<Option<Outcome>> {
        if !self.0.shows_candidate() {
            return Ok(None);
        }
        Ok(
            load(ctx, OutcomeOfApplication(self.0.id, self.0.candidate_id))
                .await?
                .map(Outcome),
        )
    }

    async fn updated_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.updated_at.into()
    }
}

pub struct AdmissionStep(pub StepView);

#[Object]
impl AdmissionStep {
    async fn id(&self) -> ID {
        ids::encode("AdmissionStep", self.0.id)
    }

    async fn kind(&self) -> AdmissionStepKind {
        self.0.kind
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

    async fn result(&self) -> StepResult {
        self.0.result
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

pub struct Outcome(pub OutcomeView);

#[Object]
impl Outcome {
    async fn kind(&self) -> OutcomeKind {
        self.0.kind
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
