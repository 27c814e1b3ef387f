use crate::domain::admission;
use crate::domain::admission::TrialPlacement;
use crate::domain::values::AdmissionStepKind;
use crate::domain::values::OutcomeKind;
use crate::domain::values::StepResult;
use crate::graphql::applications::Application;
use crate::graphql::candidates::candidate_id;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::Enum;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::MaybeUndefined;
use async_graphql::Object;
use async_graphql::SimpleObject;

#[derive(InputObject)]
pub struct NominateCandidateInput {
    pub job_track_id: ID,
    pub candidate_id: ID,
    pub note: Option<String>,
    pub language_assessment: Option<String>,
}

#[derive(SimpleObject)]
pub struct NominateCandidatePayload {
    pub application: Application,
    /// True when this nomination made the track pass the agreement's escalation threshold.
    /// Escalation counts applicants (from APPLIED on), so a nomination never does: always
    /// false; `submitApplication` may escalate the track (see `JobTrack.escalatedAt`).
    pub escalated: bool,
}

#[derive(InputObject)]
pub struct InviteToInfoMeetingInput {
    pub application_id: ID,
    pub expected_version: Option<i32>,
    pub scheduled_at: crate::graphql::scalars::DateTime,
    pub location: String,
}

#[derive(InputObject)]
pub struct SubmitApplicationInput {
    pub application_id: ID,
    pub expected_version: Option<i32>,
    pub motivation: String,
}

#[derive(InputObject)]
pub struct ScheduleTrialPlacementInput {
    pub application_id: ID,
    pub expected_version: Option<i32>,
    pub employer_id: ID,
    pub starts_at: crate::graphql::scalars::DateTime,
    pub ends_at: crate::graphql::scalars::DateTime,
    pub location: Option<String>,
}

#[derive(InputObject)]
pub struct RecordStepResultInput {
    pub application_id: ID,
    pub kind: AdmissionStepKind,
    pub result: StepResult,
    pub assessment: Option<String>,
}

#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum Decision {
    Admit,
    Reject,
}

#[derive(InputObject)]
pub struct DecideApplicationInput {
    pub application_id: ID,
    pub expected_version: Option<i32>,
    pub decision: Decision,
    pub reason: Option<String>,
}

/// Leave a field out to keep it, `null` to clear it.
#[derive(InputObject)]
pub struct UpdateNominationInput {
    pub application_id: ID,
    pub expected_version: Option<i32>,
    pub note: MaybeUndefined<String>,
    /// The SFI teacher's view of the candidate's Swedish.
    pub language_assessment: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct WithdrawApplicationInput {
    pub application_id: ID,
    pub reason: Option<String>,
}

#[derive(InputObject)]
pub struct CompleteParticipationInput {
    pub application_id: ID,
}

#[derive(InputObject)]
pub struct RecordDropOutInput {
    pub application_id: ID,
    pub reason: String,
}

#[derive(InputObject)]
pub struct RecordOutcomeInput {
    pub application_id: ID,
    pub kind: OutcomeKind,
    pub employer_id: Option<ID>,
    pub starts_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct ApplicationPayload {
    pub application: Application,
}

fn application_id(id: &ID) -> crate::error::Result<i64> {
    ids::decode("applicationId", "Application", id)
}

fn payload(
    ctx: &Context<'_>,
    app: jobtrack_entity::application::Model,
) -> ApiResult<ApplicationPayload> {
    Ok(ApplicationPayload {
        application: Application::of(ctx, app)?,
    })
}

#[derive(Default)]
pub struct AdmissionMutation;

#[Object]
impl AdmissionMutation {
    async fn nominate_candidate(
        &self,
        ctx: &Context<'_>,
        input: NominateCandidateInput,
    ) -> ApiResult<NominateCandidatePayload> {
        let actor = actor(ctx)?;
        let track = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let candidate = candidate_id(&input.candidate_id)?;
        let application = admission::nominate(
            db(ctx)?,
            actor,
            track,
            candidate,
            input.note,
            input.language_assessment,
        )
        .await?;
        Ok(NominateCandidatePayload {
            application: Application::of(ctx, application)?,
            // Escalation counts applicants (from APPLIED on): a nomination never passes it.
            escalated: false,
        })
    }

    async fn invite_to_info_meeting(
        &self,
        ctx: &Context<'_>,
        input: InviteToInfoMeetingInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        let app = admission::invite_to_info_meeting(
            db(ctx)?,
            actor,
            id,
            input.expected_version,
            input.scheduled_at.0,
            &input.location,
        )
        .await?;
        payload(ctx, app)
    }

    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        input: SubmitApplicationInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        payload(
            ctx,
            admission::submit_application(
                db(ctx)?,
                actor,
                id,
                input.expected_version,
                &input.motivation,
            )
            .await?,
        )
    }

    async fn schedule_trial_placement(
        &self,
        ctx: &Context<'_>,
        input: ScheduleTrialPlacementInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        let trial = TrialPlacement {
            employer_id: ids::decode("employerId", "Employer", &input.employer_id)?,
            starts_at: input.starts_at.0,
            ends_at: input.ends_at.0,
            location: input.location,
        };
        payload(
            ctx,
            admission::schedule_trial_placement(db(ctx)?, actor, id, input.expected_version, trial)
                .await?,
        )
    }

    async fn record_step_result(
        &self,
        ctx: &Context<'_>,
        input: RecordStepResultInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        payload(
            ctx,
            admission::record_step_result(
                db(ctx)?,
                actor,
                id,
                input.kind,
                input.result,
                input.assessment,
            )
            .await?,
        )
    }

    async fn decide_application(
        &self,
        ctx: &Context<'_>,
        input: DecideApplicationInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        let decision = match input.decision {
            Decision::Admit => admission::Decision::Admit,
            Decision::Reject => admission::Decision::Reject,
        };
        payload(
            ctx,
            admission::decide(
                db(ctx)?,
                actor,
                id,
                input.expected_version,
                decision,
                input.reason,
            )
            .await?,
        )
    }

    /// The nomination note and the SFI teacher's view, while the application is open
    /// (NOMINATED, INVITED, APPLIED, IN_TRIAL): the working group, the track's
    /// coordinator and the candidate's caseworker.
    async fn update_nomination(
        &self,
        ctx: &Context<'_>,
        input: UpdateNominationInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        let changes = admission::NominationChanges {
            note: input.note.into(),
            language_assessment: input.language_assessment.into(),
        };
        payload(
            ctx,
            admission::update_nomination(db(ctx)?, actor, id, input.expected_version, changes)
                .await?,
        )
    }

    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        input: WithdrawApplicationInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        payload(
            ctx,
            admission::withdraw(db(ctx)?, actor, id, input.reason).await?,
        )
    }

    async fn complete_participation(
        &self,
        ctx: &Context<'_>,
        input: CompleteParticipationInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        payload(ctx, admission::complete(db(ctx)?, actor, id).await?)
    }

    async fn record_drop_out(
        &self,
        ctx: &Context<'_>,
        input: RecordDropOutInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        payload(
            ctx,
            admission::drop_out(db(ctx)?, actor, id, &input.reason).await?,
        )
    }

    async fn record_outcome(
        &self,
        ctx: &Context<'_>,
        input: RecordOutcomeInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let id = application_id(&input.application_id)?;
        let employer = input
            .employer_id
            .as_ref()
            .map(|e| ids::decode("employerId", "Employer", e))
            .transpose()?;
        let app = admission::record_outcome(
            db(ctx)?,
            actor,
            id,
            input.kind,
            employer,
            input.starts_on.map(|d| d.0),
        )
        .await?;
        payload(ctx, app)
    }
}
