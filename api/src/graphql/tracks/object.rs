use crate::domain::pagination::Page;
use crate::domain::tracks::ACTIVE;
use crate::domain::tracks::SEAT_HOLDING;
use crate::domain::values::ApplicationStatus;
use crate::domain::values::ComponentKind;
use crate::domain::values::JobTrackStatus;
use crate::domain::values::Programme;
use crate::domain::values::TargetGroup;
use crate::domain::values::parse_list;
use crate::graphql::applications::Application;
use crate::graphql::applications::ApplicationConnection;
use crate::graphql::connection::connection;
use crate::graphql::context::load;
use crate::graphql::context::load_list;
use crate::graphql::context::load_required;
use crate::graphql::employers::CompetenceNeed;
use crate::graphql::employers::Employer;
use crate::graphql::employers::Requirements;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::AcknowledgementOfTrack;
use crate::graphql::loader::AgreementById;
use crate::graphql::loader::ApplicationsOfTrack;
use crate::graphql::loader::ComponentsOfTrack;
use crate::graphql::loader::DesignTeamOfTrack;
use crate::graphql::loader::EmployersOfTrack;
use crate::graphql::loader::MeetingsOfTrack;
use crate::graphql::loader::MunicipalitiesOfTrack;
use crate::graphql::loader::NeedsOfTrack;
use crate::graphql::loader::OccupationByCode;
use crate::graphql::loader::StageCountsOfTrack;
use crate::graphql::loader::StatusCountsOfTrack;
use crate::graphql::loader::UserById;
use crate::graphql::reference::Municipality;
use crate::graphql::reference::Occupation;
use crate::graphql::reports::Funnel;
use crate::graphql::scalars::Date;
use crate::graphql::tracks::InfoMeeting;
use crate::graphql::users::Agreement;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use async_graphql::SimpleObject;
use jobtrack_entity::escalation_acknowledgement;
use jobtrack_entity::job_track;
use jobtrack_entity::track_component;

pub struct TrackComponent(pub track_component::Model);

#[Object]
impl TrackComponent {
    async fn id(&self) -> ID {
        ids::encode("TrackComponent", self.0.id)
    }

    async fn position(&self) -> i32 {
        self.0.position
    }

    async fn kind(&self) -> ComponentKind {
        self.0.kind
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn provider(&self) -> Option<&str> {
        self.0.provider.as_deref()
    }

    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }

    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    async fn hours_per_week(&self) -> Option<i32> {
        self.0.hours_per_week
    }
}

#[derive(SimpleObject)]
pub struct Eligibility {
    /// Empty: any.
    pub programmes: Vec<Programme>,
    /// Empty: any. Otherwise the candidate must belong to at least one.
    pub target_groups: Vec<TargetGroup>,
    pub requirements: Requirements,
}

/// A section manager's acknowledgement of a track's escalation.
pub struct EscalationAcknowledgement(escalation_acknowledgement::Model);

#[Object]
impl EscalationAcknowledgement {
    async fn acknowledged_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.acknowledged_by else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn acknowledged_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.acknowledged_at.into()
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

pub struct JobTrack(pub job_track::Model);

connection!(JobTrackConnection, JobTrackEdge, JobTrack);

impl JobTrack {
    async fn count(&self, ctx: &Context<'_>, statuses: &[ApplicationStatus]) -> ApiResult<i32> {
        let counts = load_list(ctx, StatusCountsOfTrack(self.0.id)).await?;
        let n: i64 = counts
            .iter()
            .filter(|(s, _, _)| statuses.contains(s))
            .map(|(_, _, n)| n)
            .sum();
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}

#[Object]
impl JobTrack {
    pub async fn id(&self) -> ID {
        ids::encode("JobTrack", self.0.id)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn occupation(&self, ctx: &Context<'_>) -> ApiResult<Occupation> {
        Ok(Occupation(
            load_required(ctx, OccupationByCode(self.0.ssyk_code.clone())).await?,
        ))
    }

    async fn agreement(&self, ctx: &Context<'_>) -> ApiResult<Agreement> {
        Ok(Agreement(
            load_required(ctx, AgreementById(self.0.agreement_id)).await?,
        ))
    }

    async fn municipalities(&self, ctx: &Context<'_>) -> ApiResult<Vec<Municipality>> {
        Ok(load_list(ctx, MunicipalitiesOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(Municipality)
            .collect())
    }

    async fn employers(&self, ctx: &Context<'_>) -> ApiResult<Vec<Employer>> {
        Ok(load_list(ctx, EmployersOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(Employer)
            .collect())
    }

    async fn competence_needs(&self, ctx: &Context<'_>) -> ApiResult<Vec<CompetenceNeed>> {
        Ok(load_list(ctx, NeedsOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(CompetenceNeed)
            .collect())
    }

    async fn seats(&self) -> i32 {
        self.0.seats
    }

    async fn status(&self) -> JobTrackStatus {
        self.0.status
    }

    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn application_deadline(&self) -> Option<Date> {
        self.0.application_deadline.map(Date)
    }

    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }

    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }

    async fn eligibility(&self) -> ApiResult<Eligibility> {
        Ok(Eligibility {
            programmes: parse_list(&self.0.eligible_programmes, Programme::parse)?,
            target_groups: parse_list(&self.0.eligible_target_groups, TargetGroup::parse)?,
            requirements: Requirements {
                driving_licence: self.0.requires_driving_licence,
                minimum_swedish_level: self.0.minimum_swedish_level,
                minimum_education: self.0.minimum_education,
                other: self.0.other_requirements.clone(),
            },
        })
    }

    /// The chain of components, in order.
    async fn components(&self, ctx: &Context<'_>) -> ApiResult<Vec<TrackComponent>> {
        Ok(load_list(ctx, ComponentsOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(TrackComponent)
            .collect())
    }

    async fn design_team(&self, ctx: &Context<'_>) -> ApiResult<Vec<User>> {
        load_list(ctx, DesignTeamOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(|u| User::of(ctx, u))
            .collect()
    }

    /// The applications the viewer may see, oldest first.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<ApplicationStatus>>,
    ) -> ApiResult<ApplicationConnection> {
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = load(ctx, ApplicationsOfTrack::new(self.0.id, request, status))
            .await?
            .unwrap_or_else(|| Page::empty(request));
        Ok(ApplicationConnection::new(page, |a| a.id, Application))
    }

    /// Candidates who fit this RECRUITING track, best first, each with the requirements
    /// met and unmet and a score; `includeNearMisses` adds those one requirement short.
    /// Candidates the viewer may read, in the track's municipalities, with an active
    /// COLLABORATION consent, not in its process and not in a trial placement, admitted
    /// or started elsewhere. Empty unless RECRUITING; null for employers and others who
    /// get no suggestions.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn suggested_candidates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] include_near_misses: bool,
    ) -> ApiResult<Option<crate::graphql::matching::CandidateSuggestionConnection>> {
        use crate::graphql::matching::{CandidateSuggestion, CandidateSuggestionConnection};
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = crate::domain::matching::suggested_candidates(
            crate::graphql::context::db(ctx)?,
            crate::graphql::context::actor(ctx)?,
            self.0.id,
            include_near_misses,
            request,
        )
        .await?;
        Ok(page.map(|page| {
            CandidateSuggestionConnection::new(
                page,
                |(position, _)| *position,
                |(_, s)| CandidateSuggestion(s),
            )
        }))
    }

    /// Applications not REJECTED, WITHDRAWN or DROPPED_OUT.
    async fn active_application_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        self.count(ctx, ACTIVE).await
    }

    /// Participants holding a seat: ADMITTED, STARTED or COMPLETED.
    async fn admitted_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        self.count(ctx, SEAT_HOLDING).await
    }

    /// Counts per status, split by gender; EMPLOYER users see totals only of their own tracks.
    /// Each counts the applications that ever reached the status, from their history —
    /// not where they are now: a completed track still shows how many were nominated,
    /// invited, attended the information meeting, applied … and got work.
    async fn funnel(&self, ctx: &Context<'_>) -> ApiResult<Funnel> {
        let split = !crate::domain::policy::sees_as_employer(crate::graphql::context::actor(ctx)?);
        let mut funnel = crate::domain::reports::Funnel::default();
        for (stage, gender, n) in load_list(ctx, StageCountsOfTrack(self.0.id)).await? {
            funnel.add(stage, gender, n);
        }
        Ok(Funnel::new(&funnel.shown_alone(split)))
    }

    async fn escalated_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.escalated_at.map(Into::into)
    }

    /// The track's information meetings, earliest first; empty for EMPLOYER users.
    async fn info_meetings(&self, ctx: &Context<'_>) -> ApiResult<Vec<InfoMeeting>> {
        if !crate::domain::policy::may_read_info_meetings(crate::graphql::context::actor(ctx)?) {
            return Ok(Vec::new());
        }
        Ok(load_list(ctx, MeetingsOfTrack(self.0.id))
            .await?
            .into_iter()
            .map(InfoMeeting)
            .collect())
    }

    /// Who acknowledged the escalation, when and with what note; `null` until a section
    /// manager does, and for EMPLOYER users.
    async fn escalation_acknowledgement(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<EscalationAcknowledgement>> {
        if !crate::domain::policy::may_read_escalation(crate::graphql::context::actor(ctx)?) {
            return Ok(None);
        }
        Ok(load(ctx, AcknowledgementOfTrack(self.0.id))
            .await?
            .map(EscalationAcknowledgement))
    }

    /// The working group's end-of-track review; `null` until recorded, and for EMPLOYER
    /// users.
    async fn review(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<crate::graphql::tracks::end::TrackReview>> {
        if !crate::domain::policy::may_read_track_review(crate::graphql::context::actor(ctx)?) {
            return Ok(None);
        }
        Ok(load(ctx, crate::graphql::loader::ReviewOfTrack(self.0.id))
            .await?
            .map(crate::graphql::tracks::end::TrackReview))
    }

    /// Once the track is COMPLETED: the applications whose candidate passed the trial
    /// placement but was not admitted, to carry over to the next track of the same
    /// occupation (`nominateCarryOver`). Empty before; null for EMPLOYER users.
    async fn carry_over_candidates(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<Application>>> {
        let found = crate::domain::admission::carry_over_candidates(
            crate::graphql::context::db(ctx)?,
            crate::graphql::context::actor(ctx)?,
            self.0.id,
        )
        .await?;
        found
            .map(|list| list.into_iter().map(|a| Application::of(ctx, a)).collect())
            .transpose()
    }

    async fn created_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.created_at.into()
    }
}
