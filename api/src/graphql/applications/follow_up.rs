//! Follow-up after exit: `recordFollowUp`, `exitFollowUpsDue` and `Application.followUps`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::domain::admission::follow_up as domain;
use crate::domain::values::FollowUpSituation;
use crate::domain::views::FollowUpView;
use crate::graphql::applications::Application;
use crate::graphql::context::{actor, db, load, reader};
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::{EmployerById, UserById};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::users::User;

/// Where a participant was 90 or 180 days after the application ended.
pub struct FollowUp(pub FollowUpView);

#[Object]
impl FollowUp {
    /// 90 or 180.
    async fn day(&self) -> i32 {
        self.0.day
    }

    async fn situation(&self) -> FollowUpSituation {
        self.0.situation
    }

    /// The employer, when employed and known.
    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Option<Employer>> {
        Ok(match self.0.employer_id {
            Some(id) => load(ctx, EmployerById(id)).await?.map(Employer),
            None => None,
        })
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        Ok(match self.0.recorded_by {
            Some(id) => load(ctx, UserById(id)).await?.map(User),
            None => None,
        })
    }

    async fn recorded_at(&self) -> DateTime {
        self.0.recorded_at.into()
    }
}

/// A follow-up that is due and not yet recorded.
#[derive(SimpleObject)]
pub struct ExitFollowUpDue {
    pub application: Application,
    /// 90 or 180.
    pub day: i32,
    pub due_on: Date,
}

#[derive(Default)]
pub struct FollowUpQuery;

#[Object]
impl FollowUpQuery {
    /// The caseworker's follow-ups after exit (90 and 180 days after an application
    /// ended COMPLETED or DROPPED_OUT) that are due on or before the date and not yet
    /// recorded, earliest first: the viewer's own candidates. (`followUpsDue` is the
    /// contract's list of employer contacts to follow up.)
    async fn exit_follow_ups_due(
        &self,
        ctx: &Context<'_>,
        on_or_before: Date,
    ) -> ApiResult<Vec<ExitFollowUpDue>> {
        let due = domain::follow_ups_due(db(ctx)?, actor(ctx)?, on_or_before.0).await?;
        due.into_iter()
            .map(|d| {
                Ok(ExitFollowUpDue {
                    application: Application::of(ctx, d.application)?,
                    day: d.day,
                    due_on: Date(d.due_on),
                })
            })
            .collect()
    }
}

#[derive(InputObject)]
pub struct RecordFollowUpInput {
    pub application_id: ID,
    /// 90 or 180.
    pub day: i32,
    pub situation: FollowUpSituation,
    /// Where employed (EMPLOYED, EMPLOYED_WITH_SUBSIDY), if the employer is known.
    pub employer_id: Option<ID>,
    pub note: Option<String>,
}

#[derive(SimpleObject)]
pub struct RecordFollowUpPayload {
    pub follow_up: FollowUp,
    pub application: Application,
}

#[derive(Default)]
pub struct FollowUpMutation;

#[Object]
impl FollowUpMutation {
    /// Records (or corrects) where the participant is 90 or 180 days after the
    /// application ended; from the day it is due; CASEWORKER, COORDINATOR of the
    /// candidate's municipality.
    async fn record_follow_up(
        &self,
        ctx: &Context<'_>,
        input: RecordFollowUpInput,
    ) -> ApiResult<RecordFollowUpPayload> {
        let actor = actor(ctx)?;
        let db = db(ctx)?;
        let id = ids::decode("applicationId", "Application", &input.application_id)?;
        let employer_id = input
            .employer_id
            .as_ref()
            .map(|e| ids::decode("employerId", "Employer", e))
            .transpose()?;
        let saved = domain::record_follow_up(
            db,
            actor,
            id,
            domain::NewFollowUp {
                day: input.day,
                situation: input.situation,
                employer_id,
                note: input.note,
            },
        )
        .await?;
        let application = crate::domain::admission::visible_application(db, actor, id).await?;
        let view = FollowUpView::build(&saved, application.candidate_id, reader(ctx)?)?
            .ok_or(crate::error::Error::Forbidden)?;
        Ok(RecordFollowUpPayload {
            follow_up: FollowUp(view),
            application: Application::of(ctx, application)?,
        })
    }
}
