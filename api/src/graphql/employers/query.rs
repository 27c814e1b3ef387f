use crate::domain::employers;
use crate::domain::employers::EmployerFilter;
use crate::domain::needs;
use crate::domain::needs::NeedFilter;
use crate::domain::values::CompetenceNeedStatus;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::employers::CompetenceNeed;
use crate::graphql::employers::CompetenceNeedConnection;
use crate::graphql::employers::Employer;
use crate::graphql::employers::EmployerConnection;
use crate::graphql::error::ApiResult;
use async_graphql::Context;
use async_graphql::Object;

#[derive(Default)]
pub struct EmployerQuery;

#[Object]
impl EmployerQuery {
    /// Employers the viewer may see; `search` matches the name (case-insensitive) or the
    /// start of the organisationsnummer.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn employers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        municipality_code: Option<String>,
    ) -> ApiResult<EmployerConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = employers::employers(
            db(ctx)?,
            actor,
            EmployerFilter {
                search,
                municipality_code,
            },
            request,
        )
        .await?;
        Ok(EmployerConnection::new(page, |e| e.id, Employer))
    }

    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn competence_needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<CompetenceNeedStatus>>,
        ssyk_code: Option<String>,
    ) -> ApiResult<CompetenceNeedConnection> {
        // Which needs: policy::need_scope, applied by the domain.
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let filter = NeedFilter {
            employer_id: None,
            statuses: status.unwrap_or_default(),
            ssyk_code,
        };
        let page = needs::needs(db(ctx)?, actor, filter, request).await?;
        Ok(CompetenceNeedConnection::new(
            page,
            |n| n.id,
            CompetenceNeed,
        ))
    }
}
