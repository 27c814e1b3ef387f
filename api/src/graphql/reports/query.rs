use crate::domain::reports;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::reports::CompletionReport;
use crate::graphql::reports::FunnelReport;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// COORDINATOR, WORKING_GROUP and SECTION_MANAGER of the agreement's parties.
    async fn completion_report(
        &self,
        ctx: &Context<'_>,
        agreement_id: ID,
        from: Date,
        to: Date,
    ) -> ApiResult<CompletionReport> {
        let actor = actor(ctx)?;
        let agreement = ids::decode("agreementId", "Agreement", &agreement_id)?;
        Ok(CompletionReport(
            reports::completion_report(db(ctx)?, actor, agreement, from.0, to.0).await?,
        ))
    }

    /// The funnel of the agreement's applications in the period: how many reached each
    /// stage (nominated … employed, and the exits) between `from` and `to`, by gender, for
    /// the agreement, per track and per municipality; from the applications' history.
    /// The same readers as `completionReport`.
    async fn funnel_report(
        &self,
        ctx: &Context<'_>,
        agreement_id: ID,
        from: Date,
        to: Date,
    ) -> ApiResult<FunnelReport> {
        let actor = actor(ctx)?;
        let agreement = ids::decode("agreementId", "Agreement", &agreement_id)?;
        Ok(FunnelReport(
            reports::funnel_report(db(ctx)?, actor, agreement, from.0, to.0).await?,
        ))
    }
}
