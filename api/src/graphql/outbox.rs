//! The email outbox, for operators: the list, retrying and cancelling.

use crate::domain::outbox;
use crate::domain::values::OutboxStatus;
use crate::graphql::connection::connection;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::Object;
use async_graphql::SimpleObject;
use jobtrack_entity::email_outbox;

#[derive(Default)]
pub struct OutboxMutation;

#[Object]
impl OutboxMutation {
    /// ADMIN: puts a FAILED email back in the queue.
    async fn retry_email(
        &self,
        ctx: &Context<'_>,
        input: RetryEmailInput,
    ) -> ApiResult<RetryEmailPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("emailId", "OutboxEmail", &input.email_id)?;
        Ok(RetryEmailPayload {
            email: OutboxEmail(outbox::retry(db(ctx)?, actor, id).await?),
        })
    }

    /// ADMIN: gives up on a PENDING email; it becomes FAILED ("cancelled by an
    /// administrator") and can be retried later.
    async fn cancel_email(
        &self,
        ctx: &Context<'_>,
        input: CancelEmailInput,
    ) -> ApiResult<CancelEmailPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("emailId", "OutboxEmail", &input.email_id)?;
        Ok(CancelEmailPayload {
            email: OutboxEmail(outbox::cancel(db(ctx)?, actor, id).await?),
        })
    }
}

#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// ADMIN: the email outbox, newest first, e.g. `outbox(status: [FAILED])`.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn outbox(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<OutboxStatus>>,
    ) -> ApiResult<OutboxEmailConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let statuses = status.unwrap_or_default();
        let page = outbox::list(db(ctx)?, actor, &statuses, request).await?;
        Ok(OutboxEmailConnection::new(page, |e| e.id, OutboxEmail))
    }
}

/// An email in the outbox, for operators (ADMIN).
pub struct OutboxEmail(pub email_outbox::Model);

connection!(OutboxEmailConnection, OutboxEmailEdge, OutboxEmail);

#[Object]
impl OutboxEmail {
    async fn id(&self) -> ID {
        ids::encode("OutboxEmail", self.0.id)
    }

    /// Which notification: invitation, info_meeting, trial_placement, decision, escalation.
    async fn template(&self) -> &str {
        &self.0.template
    }

    async fn recipient(&self) -> &str {
        &self.0.recipient
    }

    async fn subject(&self) -> &str {
        &self.0.subject
    }

    async fn status(&self) -> OutboxStatus {
        self.0.status
    }

    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    async fn next_attempt_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.next_attempt_at.into()
    }

    async fn created_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.created_at.into()
    }

    async fn sent_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.sent_at.map(Into::into)
    }
}

#[derive(InputObject)]
pub struct RetryEmailInput {
    pub email_id: ID,
}

#[derive(SimpleObject)]
pub struct RetryEmailPayload {
    pub email: OutboxEmail,
}

#[derive(InputObject)]
pub struct CancelEmailInput {
    pub email_id: ID,
}

#[derive(SimpleObject)]
pub struct CancelEmailPayload {
    pub email: OutboxEmail,
}
