use crate::domain::values::AdmissionStepKind;
use crate::domain::values::ApplicationStatus;
use crate::domain::values::EducationLevel;
use crate::domain::values::OutcomeKind;
use crate::domain::values::StepResult;
use crate::domain::values::SwedishLevel;
use crate::domain::values::WithdrawalReason;
use crate::domain::views::ApplicantView;
use crate::domain::views::ApplicationView;
use crate::domain::views::OutcomeView;
use crate::domain::views::StepView;
use crate::graphql::candidates::Candidate;
use crate::graphql::connection::connection;
use crate::graphql::context::load;
use crate::graphql::context::load_list;
use crate::graphql::context::load_required;
use crate::graphql::context::reader;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::ApplicantById;
use crate::graphql::loader::CandidateById;
use crate::graphql::loader::ConsentsOfCandidate;
use crate::graphql::loader::EmployerById;
use crate::graphql::loader::FollowUpsOfApplication;
use crate::graphql::loader::OutcomeOfApplication;
use crate::graphql::loader::StepsOfApplication;
use crate::graphql::loader::TrackById;
use crate::graphql::loader::UserById;
use crate::graphql::tracks::JobTrack;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use jobtrack_entity::application;

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
    /// Why it was WITHDRAWN: on request, or because the candidate's COLLABORATION consent
    /// was withdrawn or ran out. Null otherwise and for EMPLOYER users.
    async fn withdrawal_reason(&self) -> Option<WithdrawalReason> {
        self.0.case.as_ref()?.withdrawal_reason
    }

    /// A started participation whose candidate no longer has an active COLLABORATION
    /// consent (withdrawn or run out): it is not undone, but the caseworker must act.
    /// Null for EMPLOYER users.
    async fn consent_lapsed(&self, ctx: &Context<'_>) -> ApiResult<Option<bool>> {
        if self.0.case.is_none() {
            return Ok(None);
        }
        if !crate::domain::admission::flagged_when_consent_lapses(self.0.status) {
            return Ok(Some(false));
        }
        let now = chrono::Utc::now();
        let consents = load_list(ctx, ConsentsOfCandidate(self.0.candidate_id)).await?;
        Ok(Some(!consents.iter().any(|c| {
            c.scope == crate::domain::values::ConsentScope::Collaboration && c.is_active(now)
        })))
    }

    async fn decision_reason(&self) -> Option<&str> {
        self.0.case.as_ref()?.decision_reason.as_deref()
    }

    /// Where the participant was 90 and 180 days after the exit, as recorded; empty for
    /// EMPLOYER users.
    async fn follow_ups(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<crate::graphql::applications::follow_up::FollowUp>> {
        if !self.0.shows_candidate() {
            return Ok(Vec::new());
        }
        Ok(
            load_list(ctx, FollowUpsOfApplication(self.0.id, self.0.candidate_id))
                .await?
                .into_iter()
                .map(crate::graphql::applications::follow_up::FollowUp)
                .collect(),
        )
    }

    /// The earlier application this nomination carried over (a passed trial placement on a
    /// completed track of the same occupation), with its steps; staff only.
    async fn carried_over_from(&self, ctx: &Context<'_>) -> ApiResult<Option<Application>> {
        let Some(id) = self.0.case.as_ref().and_then(|c| c.carried_over_from) else {
            return Ok(None);
        };
        match load(ctx, crate::graphql::loader::ApplicationById(id)).await? {
            Some(found) => Ok(Some(Application::of(ctx, found)?)),
            None => Ok(None),
        }
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

connection!(ApplicationConnection, ApplicationEdge, Application);

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
