//! Job tracks, candidates and the audit log.

use async_graphql::{Context, ID, InputObject, Object};

use crate::domain::audit;
use crate::domain::candidates::{self, CandidateFilter as DomainCandidateFilter};
use crate::domain::pagination::PageRequest;
use crate::domain::tracks::{self, TrackFilter};
use crate::domain::values::{JobTrackStatus, Programme, TargetGroup};
use crate::graphql::context::{actor, db};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::object::applications::{AuditEventConnection, CandidateConnection};
use crate::graphql::object::tracks::JobTrackConnection;
use crate::graphql::object::{AuditEvent, Candidate, JobTrack};

#[derive(InputObject, Default)]
pub struct JobTrackFilter {
    pub status: Option<Vec<JobTrackStatus>>,
    pub agreement_id: Option<ID>,
    pub municipality_code: Option<String>,
    pub ssyk_code: Option<String>,
    pub employer_id: Option<ID>,
    /// Case-insensitive match on title.
    pub search: Option<String>,
}

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
        let request = PageRequest::new(first, ids::decode_cursor(after.as_deref())?)?;
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
        };
        let page = tracks::tracks(db(ctx)?, actor, filter, request).await?;
        Ok(JobTrackConnection::new(page, |t| t.id, JobTrack))
    }

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
        let request = PageRequest::new(first, ids::decode_cursor(after.as_deref())?)?;
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

    /// ADMIN and COORDINATOR; newest first.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        candidate_id: Option<ID>,
        actor_id: Option<ID>,
    ) -> ApiResult<AuditEventConnection> {
        let actor = actor(ctx)?;
        let request = PageRequest::new(first, ids::decode_cursor(after.as_deref())?)?;
        let candidate_id = candidate_id
            .as_ref()
            .map(|id| ids::decode("candidateId", "Candidate", id))
            .transpose()?;
        let actor_id = actor_id
            .as_ref()
            .map(|id| ids::decode("actorId", "User", id))
            .transpose()?;
        let page = audit::events(db(ctx)?, actor, candidate_id, actor_id, request).await?;
        Ok(AuditEventConnection::new(page, |e| e.id, AuditEvent))
    }
}
