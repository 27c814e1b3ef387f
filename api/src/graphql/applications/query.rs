use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::admission::{self, ApplicationFilter as DomainFilter};
use crate::domain::values::ApplicationStatus;
use crate::graphql::applications::{Application, ApplicationConnection};
use crate::graphql::context::{actor, db};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;

#[derive(InputObject, Default)]
pub struct ApplicationFilter {
    pub status: Option<Vec<ApplicationStatus>>,
    pub job_track_id: Option<ID>,
    pub candidate_id: Option<ID>,
    /// Only applications of candidates whose caseworker is the viewer: a caseworker's
    /// "my candidates in process".
    pub my_candidates: Option<bool>,
    /// Only started participations whose candidate's COLLABORATION consent was withdrawn
    /// or ran out (`Application.consentLapsed`); staff only.
    pub consent_lapsed: Option<bool>,
}

#[derive(Default)]
pub struct ApplicationQuery;

#[Object]
impl ApplicationQuery {
    /// Applications across tracks that the viewer may see, oldest first: staff by the
    /// tracks of their agreements and the candidates they may read, employers their
    /// applicants (as `applicant`).
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ApplicationFilter>,
    ) -> ApiResult<ApplicationConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let f = filter.unwrap_or_default();
        let filter = DomainFilter {
            statuses: f.status.unwrap_or_default(),
            job_track_id: f
                .job_track_id
                .as_ref()
                .map(|id| ids::decode("filter.jobTrackId", "JobTrack", id))
                .transpose()?,
            candidate_id: f
                .candidate_id
                .as_ref()
                .map(|id| ids::decode("filter.candidateId", "Candidate", id))
                .transpose()?,
            my_candidates: f.my_candidates.unwrap_or(false),
            consent_lapsed: f.consent_lapsed.unwrap_or(false),
        };
        let page = admission::applications(db(ctx)?, actor, filter, request).await?;
        let page = page.try_map(|a| Application::of(ctx, a))?;
        Ok(ApplicationConnection::new(page, |a| a.0.id, |a| a))
    }
}
