use crate::domain::contacts;
use crate::domain::contacts::NewContact;
use crate::domain::values::ContactChannel;
use crate::domain::values::ContactPurpose;
use crate::graphql::contacts::EmployerContact;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;
use async_graphql::SimpleObject;

#[derive(InputObject)]
pub struct LogEmployerContactInput {
    pub employer_id: ID,
    pub occurred_at: crate::graphql::scalars::DateTime,
    pub channel: ContactChannel,
    pub purpose: ContactPurpose,
    pub contact_person: Option<String>,
    pub summary: String,
    pub follow_up_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct LogEmployerContactPayload {
    pub contact: EmployerContact,
    /// Contacts with the same employer by other users in the 14 days before occurredAt.
    pub recent_contacts_by_others: Vec<EmployerContact>,
}

#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    async fn log_employer_contact(
        &self,
        ctx: &Context<'_>,
        input: LogEmployerContactInput,
    ) -> ApiResult<LogEmployerContactPayload> {
        let actor = actor(ctx)?;
        let contact = NewContact {
            employer_id: ids::decode("employerId", "Employer", &input.employer_id)?,
            occurred_at: input.occurred_at.0,
            channel: input.channel,
            purpose: input.purpose,
            contact_person: input.contact_person,
            summary: input.summary,
            follow_up_on: input.follow_up_on.map(|d| d.0),
        };
        let (created, recent) = contacts::log(db(ctx)?, actor, contact).await?;
        Ok(LogEmployerContactPayload {
            contact: EmployerContact(created),
            recent_contacts_by_others: recent.into_iter().map(EmployerContact).collect(),
        })
    }
}
