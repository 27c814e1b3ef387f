//! createOrganization, createAgreement.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::domain::agreements::{self, NewAgreement, NewOrganization};
use crate::domain::values::OrganizationKind;
use crate::graphql::context::{actor, db};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::object::{Agreement, Organization};
use crate::graphql::scalars::Date;

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub org_number: String,
    pub kind: OrganizationKind,
    pub municipality_code: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateOrganizationPayload {
    pub organization: Organization,
}

#[derive(InputObject)]
pub struct CreateAgreementInput {
    pub name: String,
    pub party_ids: Vec<ID>,
    pub municipality_codes: Vec<String>,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub revision_due: Option<Date>,
    pub completion_target_percent: i32,
    pub escalation_threshold: i32,
}

#[derive(SimpleObject)]
pub struct CreateAgreementPayload {
    pub agreement: Agreement,
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> ApiResult<CreateOrganizationPayload> {
        let actor = actor(ctx)?;
        let input = NewOrganization {
            name: input.name,
            org_number: input.org_number,
            kind: input.kind,
            municipality_code: input.municipality_code,
        };
        let organization = agreements::create_organization(db(ctx)?, actor, input).await?;
        Ok(CreateOrganizationPayload {
            organization: Organization(organization),
        })
    }

    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        input: CreateAgreementInput,
    ) -> ApiResult<CreateAgreementPayload> {
        let actor = actor(ctx)?;
        let party_ids = input
            .party_ids
            .iter()
            .map(|id| ids::decode("partyIds", "Organization", id))
            .collect::<Result<_, _>>()?;
        let input = NewAgreement {
            name: input.name,
            party_ids,
            municipality_codes: input.municipality_codes,
            valid_from: input.valid_from.0,
            valid_until: input.valid_until.map(|d| d.0),
            revision_due: input.revision_due.map(|d| d.0),
            completion_target_percent: input.completion_target_percent,
            escalation_threshold: input.escalation_threshold,
        };
        let agreement = agreements::create_agreement(db(ctx)?, actor, input).await?;
        Ok(CreateAgreementPayload {
            agreement: Agreement(agreement),
        })
    }
}
