use crate::domain::values::ConsentMethod;
use crate::domain::values::ConsentScope;
use crate::domain::values::EducationLevel;
use crate::domain::values::Gender;
use crate::domain::values::Programme;
use crate::domain::values::SwedishLevel;
use crate::domain::values::TargetGroup;
use crate::domain::views::CandidateView;
use crate::domain::views::ConsentView;
use crate::graphql::applications::Application;
use crate::graphql::connection::connection;
use crate::graphql::context::load;
use crate::graphql::context::load_list;
use crate::graphql::context::load_required;
use crate::graphql::context::reader;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::ApplicationsOfCandidate;
use crate::graphql::loader::ConsentsOfCandidate;
use crate::graphql::loader::EmployerById;
use crate::graphql::loader::MunicipalityByCode;
use crate::graphql::loader::TargetGroupsOfCandidate;
use crate::graphql::loader::UserById;
use crate::graphql::reference::Municipality;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use jobtrack_entity::candidate;
use jobtrack_entity::consent;

pub struct Candidate(pub CandidateView);

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

    /// Open (RECRUITING) tracks the candidate fits or is one requirement short of, best
    /// first, explained as in `JobTrack.suggestedCandidates`; null for viewers who get
    /// no suggestions.
    async fn suggested_tracks(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<crate::graphql::matching::TrackSuggestion>>> {
        let found = crate::domain::matching::suggested_tracks(
            crate::graphql::context::db(ctx)?,
            crate::graphql::context::actor(ctx)?,
            self.0.id,
        )
        .await?;
        Ok(found.map(|list| {
            list.into_iter()
                .map(crate::graphql::matching::TrackSuggestion)
                .collect()
        }))
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

connection!(CandidateConnection, CandidateEdge, Candidate);

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

    /// Who recorded the withdrawal.
    async fn withdrawn_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        Ok(match self.0.withdrawn_by {
            Some(id) => load(ctx, UserById(id)).await?.map(User),
            None => None,
        })
    }

    /// The consent counts from then (givenAt unless recorded as given earlier or later).
    async fn valid_from(&self) -> crate::graphql::scalars::DateTime {
        self.0.valid_from.into()
    }

    /// The consent runs out then, if set.
    async fn valid_until(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.valid_until.map(Into::into)
    }

    /// Not withdrawn, begun and not run out.
    async fn active(&self) -> bool {
        self.0.is_active(chrono::Utc::now())
    }

    /// Who receives the data. COLLABORATION: the parties of the agreements covering the
    /// candidate's municipality (null here). EMPLOYER_SHARING: the one employer named,
    /// or null for every employer of the tracks the candidate applies to.
    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Option<Employer>> {
        Ok(match self.0.employer_id {
            Some(id) => load(ctx, EmployerById(id)).await?.map(Employer),
            None => None,
        })
    }
}
