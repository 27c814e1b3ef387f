use crate::domain::tracks;
use crate::domain::tracks::TrackFilter;
use crate::domain::values::JobTrackStatus;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::tracks::JobTrack;
use crate::graphql::tracks::JobTrackConnection;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;

#[derive(InputObject, Default)]
pub struct JobTrackFilter {
    pub status: Option<Vec<JobTrackStatus>>,
    pub agreement_id: Option<ID>,
    pub municipality_code: Option<String>,
    pub ssyk_code: Option<String>,
    pub employer_id: Option<ID>,
    /// Case-insensitive match on title.
    pub search: Option<String>,
    /// Tracks whose design team includes this user.
    pub design_team_member: Option<ID>,
    /// `true`: tracks whose applicants passed the agreement's escalation threshold;
    /// `false`: the others.
    pub escalated: Option<bool>,
    /// With `escalated: true`, e.g. `false` for escalations no section manager has
    /// acknowledged yet.
    pub escalation_acknowledged: Option<bool>,
}

#[derive(Default)]
pub struct TrackQuery;

#[Object]
impl TrackQuery {
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn job_tracks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<JobTrackFilter>,
    ) -> ApiResult<JobTrackConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let f = filter.unwrap_or_default();
        let filter = TrackFilter {
            statuses: f.status.unwrap_or_default(),
            agreement_id: f
                .agreement_id
                .as_ref()
                .map(|id| ids::decode("filter.agreementId", "Agreement", id))
                .transpose()?,
            municipality_code: f.municipality_code,
            ssyk_code: f.ssyk_code,
            employer_id: f
                .employer_id
                .as_ref()
                .map(|id| ids::decode("filter.employerId", "Employer", id))
                .transpose()?,
            search: f.search,
            design_team_member: f
                .design_team_member
                .as_ref()
                .map(|id| ids::decode("filter.designTeamMember", "User", id))
                .transpose()?,
            escalated: f.escalated,
            escalation_acknowledged: f.escalation_acknowledged,
        };
        let page = tracks::tracks(db(ctx)?, actor, filter, request).await?;
        Ok(JobTrackConnection::new(page, |t| t.id, JobTrack))
    }
}
