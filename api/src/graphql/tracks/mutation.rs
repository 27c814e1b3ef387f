use crate::domain::tracks;
use crate::domain::tracks::Eligibility;
use crate::domain::tracks::NewComponent;
use crate::domain::tracks::NewTrack;
use crate::domain::tracks::TrackChanges;
use crate::domain::values::ComponentKind;
use crate::domain::values::JobTrackStatus;
use crate::domain::values::Programme;
use crate::domain::values::TargetGroup;
use crate::error::Result;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::employers::RequirementsInput;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use crate::graphql::tracks::JobTrack;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;
use async_graphql::SimpleObject;

#[derive(InputObject)]
pub struct TrackComponentInput {
    pub kind: ComponentKind,
    pub title: String,
    pub provider: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub hours_per_week: Option<i32>,
}

impl From<TrackComponentInput> for NewComponent {
    fn from(c: TrackComponentInput) -> Self {
        Self {
            kind: c.kind,
            title: c.title,
            provider: c.provider,
            start_date: c.start_date.map(|d| d.0),
            end_date: c.end_date.map(|d| d.0),
            hours_per_week: c.hours_per_week,
        }
    }
}

#[derive(InputObject)]
pub struct EligibilityInput {
    pub programmes: Option<Vec<Programme>>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub requirements: Option<RequirementsInput>,
}

impl From<EligibilityInput> for Eligibility {
    fn from(e: EligibilityInput) -> Self {
        Self {
            programmes: e.programmes.unwrap_or_default(),
            target_groups: e.target_groups.unwrap_or_default(),
            requirements: e.requirements.map(Into::into).unwrap_or_default(),
        }
    }
}

#[derive(InputObject)]
pub struct CreateJobTrackInput {
    pub title: String,
    pub description: Option<String>,
    pub ssyk_code: String,
    pub agreement_id: ID,
    pub municipality_codes: Vec<String>,
    pub employer_ids: Vec<ID>,
    pub competence_need_ids: Option<Vec<ID>>,
    pub seats: i32,
    pub application_deadline: Option<Date>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub eligibility: Option<EligibilityInput>,
    /// In order.
    pub components: Option<Vec<TrackComponentInput>>,
    pub design_team_user_ids: Option<Vec<ID>>,
}

#[derive(SimpleObject)]
pub struct CreateJobTrackPayload {
    pub job_track: JobTrack,
}

#[derive(InputObject)]
pub struct UpdateJobTrackInput {
    pub job_track_id: ID,
    pub expected_version: i32,
    pub title: Option<String>,
    pub description: Option<String>,
    pub seats: Option<i32>,
    pub application_deadline: Option<Date>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
    pub eligibility: Option<EligibilityInput>,
    /// Replaces the whole chain, in order.
    pub components: Option<Vec<TrackComponentInput>>,
    pub employer_ids: Option<Vec<ID>>,
    pub design_team_user_ids: Option<Vec<ID>>,
}

#[derive(SimpleObject)]
pub struct UpdateJobTrackPayload {
    pub job_track: JobTrack,
}

/// Allowed: DRAFT->RECRUITING->SELECTION->RUNNING->COMPLETED, and any but COMPLETED ->CANCELLED. RUNNING starts every ADMITTED application.
#[derive(InputObject)]
pub struct ChangeJobTrackStatusInput {
    pub job_track_id: ID,
    pub expected_version: i32,
    pub status: JobTrackStatus,
}

#[derive(SimpleObject)]
pub struct ChangeJobTrackStatusPayload {
    pub job_track: JobTrack,
}

fn decode_all(field: &str, type_name: &str, ids: &[ID]) -> Result<Vec<i64>> {
    ids.iter()
        .map(|id| ids::decode(field, type_name, id))
        .collect()
}

#[derive(InputObject)]
pub struct AcknowledgeEscalationInput {
    pub job_track_id: ID,
    /// What is done about it, e.g. "Extra informationsmöte bokat; fler platser begärda".
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct AcknowledgeEscalationPayload {
    pub job_track: JobTrack,
}

#[derive(Default)]
pub struct TrackMutation;

#[Object]
impl TrackMutation {
    async fn create_job_track(
        &self,
        ctx: &Context<'_>,
        input: CreateJobTrackInput,
    ) -> ApiResult<CreateJobTrackPayload> {
        let actor = actor(ctx)?;
        let input = NewTrack {
            title: input.title,
            description: input.description,
            ssyk_code: input.ssyk_code,
            agreement_id: ids::decode("agreementId", "Agreement", &input.agreement_id)?,
            municipality_codes: input.municipality_codes,
            employer_ids: decode_all("employerIds", "Employer", &input.employer_ids)?,
            competence_need_ids: decode_all(
                "competenceNeedIds",
                "CompetenceNeed",
                &input.competence_need_ids.unwrap_or_default(),
            )?,
            seats: input.seats,
            application_deadline: input.application_deadline.map(|d| d.0),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            eligibility: input.eligibility.map(Into::into),
            components: input
                .components
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            design_team_user_ids: decode_all(
                "designTeamUserIds",
                "User",
                &input.design_team_user_ids.unwrap_or_default(),
            )?,
        };
        let track = tracks::create_track(db(ctx)?, actor, input).await?;
        Ok(CreateJobTrackPayload {
            job_track: JobTrack(track),
        })
    }

    async fn update_job_track(
        &self,
        ctx: &Context<'_>,
        input: UpdateJobTrackInput,
    ) -> ApiResult<UpdateJobTrackPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let changes = TrackChanges {
            title: input.title,
            description: input.description,
            seats: input.seats,
            application_deadline: input.application_deadline.map(|d| d.0),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            eligibility: input.eligibility.map(Into::into),
            components: input
                .components
                .map(|c| c.into_iter().map(Into::into).collect()),
            employer_ids: input
                .employer_ids
                .as_deref()
                .map(|ids| decode_all("employerIds", "Employer", ids))
                .transpose()?,
            design_team_user_ids: input
                .design_team_user_ids
                .as_deref()
                .map(|ids| decode_all("designTeamUserIds", "User", ids))
                .transpose()?,
        };
        let track =
            tracks::update_track(db(ctx)?, actor, id, input.expected_version, changes).await?;
        Ok(UpdateJobTrackPayload {
            job_track: JobTrack(track),
        })
    }

    async fn change_job_track_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeJobTrackStatusInput,
    ) -> ApiResult<ChangeJobTrackStatusPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let track =
            tracks::change_status(db(ctx)?, actor, id, input.expected_version, input.status)
                .await?;
        Ok(ChangeJobTrackStatusPayload {
            job_track: JobTrack(track),
        })
    }

    /// SECTION_MANAGER of the track's agreement: the escalation is seen and handled.
    /// Once per track; INVALID_STATE when the track is not escalated, CONFLICT when it
    /// is already acknowledged.
    async fn acknowledge_escalation(
        &self,
        ctx: &Context<'_>,
        input: AcknowledgeEscalationInput,
    ) -> ApiResult<AcknowledgeEscalationPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let track = tracks::escalation::acknowledge(db(ctx)?, actor, id, input.note).await?;
        Ok(AcknowledgeEscalationPayload {
            job_track: JobTrack(track),
        })
    }
}
