use crate::domain::employers;
use crate::domain::employers::NewContactPerson;
use crate::domain::employers::NewEmployer;
use crate::domain::needs;
use crate::domain::needs::NewNeed;
use crate::domain::needs::Requirements;
use crate::domain::values::EducationLevel;
use crate::domain::values::EmployerSize;
use crate::domain::values::SwedishLevel;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::employers::CompetenceNeed;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;
use async_graphql::SimpleObject;

#[derive(InputObject)]
pub struct ContactPersonInput {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct CreateEmployerInput {
    pub name: String,
    pub org_number: String,
    pub sni_code: Option<String>,
    pub municipality_code: String,
    pub size: Option<EmployerSize>,
    pub contact_persons: Option<Vec<ContactPersonInput>>,
}

#[derive(SimpleObject)]
pub struct CreateEmployerPayload {
    pub employer: Employer,
}

#[derive(InputObject)]
pub struct SetContactOwnerInput {
    pub employer_id: ID,
    pub user_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct SetContactOwnerPayload {
    pub employer: Employer,
}

#[derive(InputObject)]
pub struct RequirementsInput {
    /// Null means the default, false.
    #[graphql(default_with = "Some(false)")]
    pub driving_licence: Option<bool>,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
    pub other: Option<String>,
}

impl From<RequirementsInput> for Requirements {
    fn from(r: RequirementsInput) -> Self {
        Self {
            driving_licence: r.driving_licence.unwrap_or(false),
            minimum_swedish_level: r.minimum_swedish_level,
            minimum_education: r.minimum_education,
            other: r.other,
        }
    }
}

#[derive(InputObject)]
pub struct PostCompetenceNeedInput {
    /// Defaults to the viewer's own employer for EMPLOYER users.
    pub employer_id: Option<ID>,
    pub ssyk_code: String,
    pub title: String,
    pub description: Option<String>,
    pub positions: i32,
    pub requirements: Option<RequirementsInput>,
    pub earliest_start: Option<Date>,
}

#[derive(SimpleObject)]
pub struct PostCompetenceNeedPayload {
    pub competence_need: CompetenceNeed,
}

#[derive(InputObject)]
pub struct WithdrawCompetenceNeedInput {
    pub competence_need_id: ID,
}

#[derive(SimpleObject)]
pub struct WithdrawCompetenceNeedPayload {
    pub competence_need: CompetenceNeed,
}

#[derive(Default)]
pub struct EmployerMutation;

#[Object]
impl EmployerMutation {
    async fn create_employer(
        &self,
        ctx: &Context<'_>,
        input: CreateEmployerInput,
    ) -> ApiResult<CreateEmployerPayload> {
        let actor = actor(ctx)?;
        let input = NewEmployer {
            name: input.name,
            org_number: input.org_number,
            sni_code: input.sni_code,
            municipality_code: input.municipality_code,
            size: input.size,
            contact_persons: input
                .contact_persons
                .unwrap_or_default()
                .into_iter()
                .map(|p| NewContactPerson {
                    name: p.name,
                    title: p.title,
                    email: p.email,
                    phone: p.phone,
                })
                .collect(),
        };
        let employer = employers::create_employer(db(ctx)?, actor, input).await?;
        Ok(CreateEmployerPayload {
            employer: Employer(employer),
        })
    }

    /// Names the adviser who coordinates contacts with the employer; `userId: null` clears it.
    async fn set_contact_owner(
        &self,
        ctx: &Context<'_>,
        input: SetContactOwnerInput,
    ) -> ApiResult<SetContactOwnerPayload> {
        let actor = actor(ctx)?;
        let employer_id = ids::decode("employerId", "Employer", &input.employer_id)?;
        let user_id = input
            .user_id
            .as_ref()
            .map(|id| ids::decode("userId", "User", id))
            .transpose()?;
        let employer = employers::set_contact_owner(db(ctx)?, actor, employer_id, user_id).await?;
        Ok(SetContactOwnerPayload {
            employer: Employer(employer),
        })
    }

    async fn post_competence_need(
        &self,
        ctx: &Context<'_>,
        input: PostCompetenceNeedInput,
    ) -> ApiResult<PostCompetenceNeedPayload> {
        let actor = actor(ctx)?;
        let employer_id = input
            .employer_id
            .as_ref()
            .map(|id| ids::decode("employerId", "Employer", id))
            .transpose()?;
        let input = NewNeed {
            employer_id,
            ssyk_code: input.ssyk_code,
            title: input.title,
            description: input.description,
            positions: input.positions,
            requirements: input.requirements.map(Into::into).unwrap_or_default(),
            earliest_start: input.earliest_start.map(|d| d.0),
        };
        let need = needs::post_need(db(ctx)?, actor, input).await?;
        Ok(PostCompetenceNeedPayload {
            competence_need: CompetenceNeed(need),
        })
    }

    async fn withdraw_competence_need(
        &self,
        ctx: &Context<'_>,
        input: WithdrawCompetenceNeedInput,
    ) -> ApiResult<WithdrawCompetenceNeedPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode(
            "competenceNeedId",
            "CompetenceNeed",
            &input.competence_need_id,
        )?;
        let need = needs::withdraw_need(db(ctx)?, actor, id).await?;
        Ok(WithdrawCompetenceNeedPayload {
            competence_need: CompetenceNeed(need),
        })
    }
}
