use crate::domain::candidates;
use crate::domain::candidates::CandidateChanges;
use crate::domain::candidates::NewCandidate;
use crate::domain::values::ConsentMethod;
use crate::domain::values::ConsentScope;
use crate::domain::values::EducationLevel;
use crate::domain::values::Gender;
use crate::domain::values::Programme;
use crate::domain::values::SwedishLevel;
use crate::domain::values::TargetGroup;
use crate::graphql::candidates::Candidate;
use crate::graphql::candidates::Consent;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;
use async_graphql::SimpleObject;

#[derive(InputObject)]
pub struct RegisterCandidateInput {
    pub first_name: String,
    pub last_name: String,
    /// YYYYMMDD-NNNN or YYMMDD-NNNN; samordningsnummer accepted; check digit validated.
    pub personal_identity_number: String,
    pub gender: Gender,
    pub municipality_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: EducationLevel,
    pub swedish_level: SwedishLevel,
    pub driving_licence: bool,
    pub programme: Programme,
    pub target_groups: Vec<TargetGroup>,
}

#[derive(SimpleObject)]
pub struct RegisterCandidatePayload {
    pub candidate: Candidate,
}

#[derive(InputObject)]
pub struct UpdateCandidateInput {
    pub candidate_id: ID,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub swedish_level: Option<SwedishLevel>,
    pub driving_licence: Option<bool>,
    pub programme: Option<Programme>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub municipality_code: Option<String>,
}

#[derive(SimpleObject)]
pub struct UpdateCandidatePayload {
    pub candidate: Candidate,
}

#[derive(InputObject)]
pub struct RecordConsentInput {
    pub candidate_id: ID,
    pub scope: ConsentScope,
    pub method: ConsentMethod,
    /// When the consent counts from; now if not given.
    pub valid_from: Option<crate::graphql::scalars::DateTime>,
    /// When it runs out; never if not given.
    pub valid_until: Option<crate::graphql::scalars::DateTime>,
    /// EMPLOYER_SHARING only: share with this one employer, not every employer of the
    /// candidate's tracks.
    pub employer_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct RecordConsentPayload {
    pub consent: Consent,
    pub candidate: Candidate,
}

#[derive(InputObject)]
pub struct WithdrawConsentInput {
    pub candidate_id: ID,
    pub scope: ConsentScope,
}

#[derive(SimpleObject)]
pub struct WithdrawConsentPayload {
    pub candidate: Candidate,
}

/// Anonymises personal fields and keeps gender, birth year, target groups and applications for statistics.
#[derive(InputObject)]
pub struct EraseCandidateInput {
    pub candidate_id: ID,
}

#[derive(SimpleObject)]
pub struct EraseCandidatePayload {
    pub candidate: Candidate,
}

pub(crate) fn candidate_id(id: &ID) -> crate::error::Result<i64> {
    ids::decode("candidateId", "Candidate", id)
}

#[derive(Default)]
pub struct CandidateMutation;

#[Object]
impl CandidateMutation {
    async fn register_candidate(
        &self,
        ctx: &Context<'_>,
        input: RegisterCandidateInput,
    ) -> ApiResult<RegisterCandidatePayload> {
        let actor = actor(ctx)?;
        let input = NewCandidate {
            first_name: input.first_name,
            last_name: input.last_name,
            personal_identity_number: input.personal_identity_number,
            gender: input.gender,
            municipality_code: input.municipality_code,
            email: input.email,
            phone: input.phone,
            education_level: input.education_level,
            swedish_level: input.swedish_level,
            driving_licence: input.driving_licence,
            programme: input.programme,
            target_groups: input.target_groups,
        };
        let created = candidates::register(db(ctx)?, actor, input).await?;
        Ok(RegisterCandidatePayload {
            candidate: Candidate::of(ctx, created)?,
        })
    }

    async fn update_candidate(
        &self,
        ctx: &Context<'_>,
        input: UpdateCandidateInput,
    ) -> ApiResult<UpdateCandidatePayload> {
        let actor = actor(ctx)?;
        let id = candidate_id(&input.candidate_id)?;
        let changes = CandidateChanges {
            email: input.email,
            phone: input.phone,
            education_level: input.education_level,
            swedish_level: input.swedish_level,
            driving_licence: input.driving_licence,
            programme: input.programme,
            target_groups: input.target_groups,
            municipality_code: input.municipality_code,
        };
        let updated = candidates::update(db(ctx)?, actor, id, changes).await?;
        Ok(UpdateCandidatePayload {
            candidate: Candidate::of(ctx, updated)?,
        })
    }

    async fn record_consent(
        &self,
        ctx: &Context<'_>,
        input: RecordConsentInput,
    ) -> ApiResult<RecordConsentPayload> {
        let actor = actor(ctx)?;
        let id = candidate_id(&input.candidate_id)?;
        let new = candidates::NewConsent {
            scope: input.scope,
            method: input.method,
            valid_from: input.valid_from.map(|t| t.0),
            valid_until: input.valid_until.map(|t| t.0),
            employer_id: input
                .employer_id
                .as_ref()
                .map(|e| ids::decode("employerId", "Employer", e))
                .transpose()?,
        };
        let (consent, candidate) = candidates::record_consent(db(ctx)?, actor, id, new).await?;
        Ok(RecordConsentPayload {
            consent: Consent::of(ctx, &consent)?,
            candidate: Candidate::of(ctx, candidate)?,
        })
    }

    async fn withdraw_consent(
        &self,
        ctx: &Context<'_>,
        input: WithdrawConsentInput,
    ) -> ApiResult<WithdrawConsentPayload> {
        let actor = actor(ctx)?;
        let id = candidate_id(&input.candidate_id)?;
        let candidate = candidates::withdraw_consent(db(ctx)?, actor, id, input.scope).await?;
        Ok(WithdrawConsentPayload {
            candidate: Candidate::of(ctx, candidate)?,
        })
    }

    async fn erase_candidate(
        &self,
        ctx: &Context<'_>,
        input: EraseCandidateInput,
    ) -> ApiResult<EraseCandidatePayload> {
        let actor = actor(ctx)?;
        let id = candidate_id(&input.candidate_id)?;
        let candidate = candidates::erase(db(ctx)?, actor, id).await?;
        Ok(EraseCandidatePayload {
            candidate: Candidate::of(ctx, candidate)?,
        })
    }
}
