use crate::domain::candidates;
use crate::domain::candidates::CandidateFilter as DomainCandidateFilter;
use crate::domain::values::Programme;
use crate::domain::values::TargetGroup;
use crate::graphql::candidates::Candidate;
use crate::graphql::candidates::CandidateConnection;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use async_graphql::Context;
use async_graphql::InputObject;
use async_graphql::Object;

#[derive(InputObject, Default)]
pub struct CandidateFilter {
    pub municipality_code: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub programme: Option<Programme>,
    /// Case-insensitive match on first or last name.
    pub search: Option<String>,
    /// Only candidates with no active application.
    pub available: Option<bool>,
}

#[derive(Default)]
pub struct CandidateQuery;

#[Object]
impl CandidateQuery {
    /// Candidates whose data the viewer may read.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<CandidateFilter>,
    ) -> ApiResult<CandidateConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let f = filter.unwrap_or_default();
        let filter = DomainCandidateFilter {
            municipality_code: f.municipality_code,
            target_group: f.target_group,
            programme: f.programme,
            search: f.search,
            available: f.available,
        };
        let page = candidates::candidates(db(ctx)?, actor, filter, request).await?;
        let page = page.try_map(|c| Candidate::of(ctx, c))?;
        Ok(CandidateConnection::new(page, |c| c.0.id, |c| c))
    }
}
