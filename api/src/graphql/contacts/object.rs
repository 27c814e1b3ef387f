use crate::domain::values::ContactChannel;
use crate::domain::values::ContactPurpose;
use crate::graphql::connection::connection;
use crate::graphql::context::load_required;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::EmployerById;
use crate::graphql::loader::OrganizationById;
use crate::graphql::loader::UserById;
use crate::graphql::scalars::Date;
use crate::graphql::users::Organization;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use jobtrack_entity::employer_contact;

pub struct EmployerContact(pub employer_contact::Model);

connection!(
    EmployerContactConnection,
    EmployerContactEdge,
    EmployerContact
);

#[Object]
impl EmployerContact {
    pub async fn id(&self) -> ID {
        ids::encode("EmployerContact", self.0.id)
    }

    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Employer> {
        Ok(Employer(
            load_required(ctx, EmployerById(self.0.employer_id)).await?,
        ))
    }

    async fn logged_by(&self, ctx: &Context<'_>) -> ApiResult<User> {
        Ok(User(load_required(ctx, UserById(self.0.logged_by)).await?))
    }

    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Organization> {
        Ok(Organization(
            load_required(ctx, OrganizationById(self.0.organization_id)).await?,
        ))
    }

    async fn occurred_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.occurred_at.into()
    }

    async fn channel(&self) -> ContactChannel {
        self.0.channel
    }

    async fn purpose(&self) -> ContactPurpose {
        self.0.purpose
    }

    async fn contact_person(&self) -> Option<&str> {
        self.0.contact_person.as_deref()
    }

    async fn summary(&self) -> &str {
        &self.0.summary
    }

    async fn follow_up_on(&self) -> Option<Date> {
        self.0.follow_up_on.map(Date)
    }
}
