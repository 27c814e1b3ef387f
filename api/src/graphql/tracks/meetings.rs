//! Information meetings: scheduling one for a track, inviting applications to it in one
//! call, and reading who is invited and who came.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use jobtrack_entity::info_meeting;

use crate::domain::admission::meetings::{self, NewMeeting};
use crate::graphql::applications::Application;
use crate::graphql::context::{actor, db, load, load_list, load_required};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::{InvitedToMeeting, MeetingCounts, TrackById};
use crate::graphql::scalars::DateTime;
use crate::graphql::tracks::JobTrack;

pub struct InfoMeeting(pub info_meeting::Model);

#[Object]
impl InfoMeeting {
    async fn id(&self) -> ID {
        ids::encode("InfoMeeting", self.0.id)
    }

    async fn job_track(&self, ctx: &Context<'_>) -> ApiResult<JobTrack> {
        Ok(JobTrack(
            load_required(ctx, TrackById(self.0.job_track_id)).await?,
        ))
    }

    async fn starts_at(&self) -> DateTime {
        self.0.starts_at.into()
    }

    async fn location(&self) -> &str {
        &self.0.location
    }

    /// How many may be invited; `null`: no limit.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }

    /// Applications invited to this meeting.
    async fn invited_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        let (invited, _) = load(ctx, MeetingCounts(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(i32::try_from(invited).unwrap_or(i32::MAX))
    }

    /// Of those, how many were recorded ATTENDED.
    async fn attended_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        let (_, attended) = load(ctx, MeetingCounts(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(i32::try_from(attended).unwrap_or(i32::MAX))
    }

    /// The invited applications the viewer may see; each one's INFO_MEETING step holds
    /// its attendance.
    async fn invited(&self, ctx: &Context<'_>) -> ApiResult<Vec<Application>> {
        Ok(load_list(ctx, InvitedToMeeting(self.0.id))
            .await?
            .into_iter()
            .map(Application)
            .collect())
    }
}

#[derive(InputObject)]
pub struct ScheduleInfoMeetingInput {
    pub job_track_id: ID,
    pub starts_at: DateTime,
    pub location: String,
    /// How many may be invited; leave out for no limit.
    pub capacity: Option<i32>,
}

#[derive(SimpleObject)]
pub struct ScheduleInfoMeetingPayload {
    pub info_meeting: InfoMeeting,
}

#[derive(InputObject)]
pub struct InviteToMeetingInput {
    pub meeting_id: ID,
    /// At most 200, all of the meeting's track, each NOMINATED (or INVITED to another
    /// meeting: the invitation moves).
    pub application_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct InviteToMeetingPayload {
    pub info_meeting: InfoMeeting,
    pub applications: Vec<Application>,
    /// Invited, but without an email address: no invitation was sent. Their caseworkers
    /// were emailed the list, to invite them by phone or letter.
    pub without_email: Vec<Application>,
}

#[derive(Default)]
pub struct MeetingMutation;

#[Object]
impl MeetingMutation {
    /// WORKING_GROUP, COORDINATOR of a RECRUITING or SELECTION track.
    async fn schedule_info_meeting(
        &self,
        ctx: &Context<'_>,
        input: ScheduleInfoMeetingInput,
    ) -> ApiResult<ScheduleInfoMeetingPayload> {
        let actor = actor(ctx)?;
        let meeting = NewMeeting {
            track_id: ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?,
            starts_at: input.starts_at.0,
            location: input.location,
            capacity: input.capacity,
        };
        Ok(ScheduleInfoMeetingPayload {
            info_meeting: InfoMeeting(meetings::schedule(db(ctx)?, actor, meeting).await?),
        })
    }

    /// Invites applications to a scheduled meeting in one call, all or none (NO_SEATS
    /// past its capacity). Candidates with an email get the invitation; the others are
    /// listed in `withoutEmail` and their caseworker is emailed the list.
    async fn invite_to_meeting(
        &self,
        ctx: &Context<'_>,
        input: InviteToMeetingInput,
    ) -> ApiResult<InviteToMeetingPayload> {
        let actor = actor(ctx)?;
        let meeting = ids::decode("meetingId", "InfoMeeting", &input.meeting_id)?;
        let applications = input
            .application_ids
            .iter()
            .map(|id| ids::decode("applicationIds", "Application", id))
            .collect::<crate::error::Result<Vec<i64>>>()?;
        let invited = meetings::invite(db(ctx)?, actor, meeting, &applications).await?;
        let render = |rows: Vec<jobtrack_entity::application::Model>| {
            rows.into_iter()
                .map(|a| Application::of(ctx, a))
                .collect::<ApiResult<Vec<_>>>()
        };
        Ok(InviteToMeetingPayload {
            info_meeting: InfoMeeting(invited.meeting),
            applications: render(invited.applications)?,
            without_email: render(invited.without_email)?,
        })
    }
}
