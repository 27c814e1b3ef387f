//! inviteUser, acceptInvitation, and the operator's view of the email outbox.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;
use jobtrack_entity::{app_user, email_outbox};
use sea_orm::EntityTrait;

use super::auth::{AuthPayload, auth_payload};
use crate::auth::session;
use crate::domain::outbox;
use crate::domain::pagination::PageRequest;
use crate::domain::users::{self, NewUser};
use crate::domain::values::{OutboxStatus, Role};
use crate::error::Error;
use crate::graphql::connection::connection;
use crate::graphql::context::{actor, db, state};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::object::User;

#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub organization_id: Option<ID>,
    pub employer_id: Option<ID>,
    pub municipality_codes: Option<Vec<String>>,
}

/// Emails a one-time link; the user sets a password with acceptInvitation.
#[derive(SimpleObject)]
pub struct InviteUserPayload {
    pub user: User,
}

#[derive(InputObject)]
pub struct AcceptInvitationInput {
    pub token: String,
    pub password: String,
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
        let request = PageRequest::new(first, ids::decode_cursor(after.as_deref())?)?;
        let statuses = status.unwrap_or_default();
        let page = outbox::list(db(ctx)?, actor, &statuses, request).await?;
        Ok(OutboxEmailConnection::new(page, |e| e.id, OutboxEmail))
    }
}

#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> ApiResult<InviteUserPayload> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let new_user = NewUser {
            email: input.email,
            name: input.name,
            roles: input.roles,
            organization_id: input
                .organization_id
                .as_ref()
                .map(|id| ids::decode("organizationId", "Organization", id))
                .transpose()?,
            employer_id: input
                .employer_id
                .as_ref()
                .map(|id| ids::decode("employerId", "Employer", id))
                .transpose()?,
            municipality_codes: input.municipality_codes.unwrap_or_default(),
            password: None,
        };
        let user = users::invite(&state.db, actor, new_user, &state.config.portal_url).await?;
        Ok(InviteUserPayload {
            user: User::of(ctx, user)?,
        })
    }

    /// Sets the invited user's password (at least 10 characters, not a common one) and signs in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let user_id = users::accept_invitation(&state.db, &input.token, &input.password).await?;
        app_user::Entity::find_by_id(user_id)
            .one(&state.db)
            .await?
            .ok_or(Error::NotFound)?;
        let session = session::start(
            &state.db,
            &state.keys,
            user_id,
            &uuid::Uuid::new_v4().to_string(),
            Utc::now(),
        )
        .await?;
        auth_payload(ctx, session).await
    }

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
