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
use async_graphql::MaybeUndefined;
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

/// Leave a field out to keep it. The organisationsnummer does not change.
#[derive(InputObject)]
pub struct UpdateEmployerInput {
    pub employer_id: ID,
    pub name: Option<String>,
    /// `null` clears it.
    pub sni_code: MaybeUndefined<String>,
    pub municipality_code: Option<String>,
    /// `null` clears it.
    pub size: MaybeUndefined<EmployerSize>,
    /// Replaces the contact persons, in order; they receive the trial-placement notices.
    pub contact_persons: Option<Vec<ContactPersonInput>>,
}

#[derive(SimpleObject)]
pub struct UpdateEmployerPayload {
    pub employer: Employer,
}

fn contact_persons(persons: Vec<ContactPersonInput>) -> Vec<NewContactPerson> {
    persons
        .into_iter()
        .map(|p| NewContactPerson {
            name: p.name,
            title: p.title,
            email: p.email,
            phone: p.phone,
        })
        .collect()
}

/// Leave a field out to keep it; `requirements` replaces them all.
#[derive(InputObject)]
pub struct UpdateCompetenceNeedInput {
    pub competence_need_id: ID,
    pub title: Option<String>,
    /// `null` clears it.
    pub description: MaybeUndefined<String>,
    pub positions: Option<i32>,
    pub requirements: Option<RequirementsInput>,
    /// `null` clears it.
    pub earliest_start: MaybeUndefined<Date>,
    /// `true` marks the need FILLED (a track answering it also fills it when it
    /// completes with participants).
    pub filled: Option<bool>,
}

#[derive(SimpleObject)]
pub struct UpdateCompetenceNeedPayload {
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
            contact_persons: contact_persons(input.contact_persons.unwrap_or_default()),
        };
        let employer = employers::create_employer(db(ctx)?, actor, input).await?;
        Ok(CreateEmployerPayload {
            employer: Employer(employer),
        })
    }

    /// COORDINATOR, WORKING_GROUP, BUSINESS_ADVISER, for an employer they may see: the
    /// name, SNI code, municipality, size and contact persons (replaced as a list).
    async fn update_employer(
        &self,
        ctx: &Context<'_>,
        input: UpdateEmployerInput,
    ) -> ApiResult<UpdateEmployerPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("employerId", "Employer", &input.employer_id)?;
        let changes = employers::EmployerChanges {
            name: input.name,
            sni_code: input.sni_code.into(),
            municipality_code: input.municipality_code,
            size: input.size.into(),
            contact_persons: input.contact_persons.map(contact_persons),
        };
        let employer = employers::update_employer(db(ctx)?, actor, id, changes).await?;
        Ok(UpdateEmployerPayload {
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

    /// The employer's users and staff who manage employers, while the need is OPEN or
    /// IN_TRACK; `filled: true` marks it FILLED.
    async fn update_competence_need(
        &self,
        ctx: &Context<'_>,
        input: UpdateCompetenceNeedInput,
    ) -> ApiResult<UpdateCompetenceNeedPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode(
            "competenceNeedId",
            "CompetenceNeed",
            &input.competence_need_id,
        )?;
        let earliest_start: Option<Option<Date>> = input.earliest_start.into();
        let changes = needs::NeedChanges {
            title: input.title,
            description: input.description.into(),
            positions: input.positions,
            requirements: input.requirements.map(Into::into),
            earliest_start: earliest_start.map(|d| d.map(|d| d.0)),
            filled: input.filled.unwrap_or(false),
        };
        let need = needs::update_need(db(ctx)?, actor, id, changes).await?;
        Ok(UpdateCompetenceNeedPayload {
            competence_need: CompetenceNeed(need),
        })
    }
}
