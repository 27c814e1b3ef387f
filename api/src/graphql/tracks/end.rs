//! End of track: the working group's review (`recordTrackReview`, `JobTrack.review`),
//! the candidates who passed the trial placement but were not admitted
//! (`JobTrack.carryOverCandidates`) and carrying one over to the next track of the same
//! occupation (`nominateCarryOver`).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use jobtrack_entity::track_review;

use crate::domain::admission;
use crate::domain::tracks::review::{self, NewReview};
use crate::graphql::applications::{Application, ApplicationPayload};
use crate::graphql::context::{actor, db, load, load_required};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::{TrackById, UserById};
use crate::graphql::tracks::JobTrack;
use crate::graphql::users::User;

/// The working group's review of a completed track.
pub struct TrackReview(pub track_review::Model);

#[Object]
impl TrackReview {
    async fn what_worked(&self) -> &str {
        &self.0.what_worked
    }

    async fn employer_view(&self) -> &str {
        &self.0.employer_view
    }

    /// How many of the participants got work, as the working group counted them.
    async fn employed_count(&self) -> i32 {
        self.0.employed_count
    }

    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        Ok(match self.0.recorded_by {
            Some(id) => load(ctx, UserById(id)).await?.map(User),
            None => None,
        })
    }

    async fn recorded_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.recorded_at.into()
    }
}

#[derive(InputObject)]
pub struct RecordTrackReviewInput {
    pub job_track_id: ID,
    pub what_worked: String,
    pub employer_view: String,
    /// At most the number of participants who finished.
    pub employed_count: i32,
}

#[derive(SimpleObject)]
pub struct RecordTrackReviewPayload {
    pub review: TrackReview,
    pub job_track: JobTrack,
}

#[derive(InputObject)]
pub struct NominateCarryOverInput {
    /// The application on the completed track (passed trial placement, not admitted).
    pub application_id: ID,
    /// A RECRUITING track of the same occupation (SSYK code).
    pub job_track_id: ID,
}

#[derive(Default)]
pub struct EndOfTrackMutation;

#[Object]
impl EndOfTrackMutation {
    /// Records (or replaces) the end-of-track review of a COMPLETED track: WORKING_GROUP,
    /// COORDINATOR of the track.
    async fn record_track_review(
        &self,
        ctx: &Context<'_>,
        input: RecordTrackReviewInput,
    ) -> ApiResult<RecordTrackReviewPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let saved = review::record_review(
            db(ctx)?,
            actor,
            id,
            NewReview {
                what_worked: input.what_worked,
                employer_view: input.employer_view,
                employed_count: input.employed_count,
            },
        )
        .await?;
        Ok(RecordTrackReviewPayload {
            review: TrackReview(saved),
            job_track: JobTrack(load_required(ctx, TrackById(id)).await?),
        })
    }

    /// Nominates a carry-over candidate (`JobTrack.carryOverCandidates`) to the next track
    /// of the same occupation; the new application's `carriedOverFrom` keeps the earlier
    /// steps in view. The nomination rules apply (CASEWORKER, COORDINATOR of the
    /// candidate's municipality; consent; eligibility; RECRUITING).
    async fn nominate_carry_over(
        &self,
        ctx: &Context<'_>,
        input: NominateCarryOverInput,
    ) -> ApiResult<ApplicationPayload> {
        let actor = actor(ctx)?;
        let from = ids::decode("applicationId", "Application", &input.application_id)?;
        let to = ids::decode("jobTrackId", "JobTrack", &input.job_track_id)?;
        let created = admission::nominate_carry_over(db(ctx)?, actor, from, to).await?;
        Ok(ApplicationPayload {
            application: Application::of(ctx, created)?,
        })
    }
}
