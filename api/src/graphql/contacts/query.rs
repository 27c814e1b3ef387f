use crate::domain::contacts;
use crate::graphql::contacts::EmployerContact;
use crate::graphql::contacts::EmployerContactConnection;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;

#[derive(Default)]
pub struct ContactQuery;

#[Object]
impl ContactQuery {
    /// Contacts with employers the viewer may see, newest first; every staff role, never EMPLOYER.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn employer_contacts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        employer_id: Option<ID>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> ApiResult<EmployerContactConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let employer = employer_id
            .as_ref()
            .map(|id| ids::decode("employerId", "Employer", id))
            .transpose()?;
        let page = contacts::contacts(
            db(ctx)?,
            actor,
            employer,
            from.map(|d| d.0),
            to.map(|d| d.0),
            request,
        )
        .await?;
        Ok(EmployerContactConnection::new(
            page,
            |c| c.id,
            EmployerContact,
        ))
    }

    /// Contacts whose followUpOn is on or before the date and that have no later contact with the same employer.
    async fn follow_ups_due(
        &self,
        ctx: &Context<'_>,
        on_or_before: Date,
    ) -> ApiResult<Vec<EmployerContact>> {
        let actor = actor(ctx)?;
        Ok(contacts::follow_ups_due(db(ctx)?, actor, on_or_before.0)
            .await?
            .into_iter()
            .map(EmployerContact)
            .collect())
    }
}
