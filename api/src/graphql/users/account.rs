//! Keeping accounts in order: deactivating and reactivating users, and resetting a
//! forgotten password by email.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;

use crate::auth::session;
use crate::domain::users;
use crate::graphql::context::{actor, db, state};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::users::{AuthPayload, User, auth_payload};

#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    pub email: String,
}

#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Always true: the answer does not tell whether the address is known.
    pub ok: bool,
}

#[derive(InputObject)]
pub struct ResetPasswordInput {
    pub token: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct SetUserActiveInput {
    pub user_id: ID,
}

#[derive(SimpleObject)]
pub struct SetUserActivePayload {
    pub user: User,
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// ADMIN any user; COORDINATOR the users of its own organisation (never an ADMIN);
    /// never oneself. The user's sign-ins end at once.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        input: SetUserActiveInput,
    ) -> ApiResult<SetUserActivePayload> {
        set_active(ctx, &input.user_id, false).await
    }

    /// Emails the user a link (`PORTAL_URL/reset-password?token=…`, one hour, single use)
    /// to set a new password. The same answer whether or not the address is known; at
    /// most three links per user and hour.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> ApiResult<RequestPasswordResetPayload> {
        let state = state(ctx)?;
        users::request_password_reset(&state.db, &input.email, &state.config.portal_url).await?;
        Ok(RequestPasswordResetPayload { ok: true })
    }

    /// Sets a new password (at least 10 characters, not a common one) with the emailed
    /// link and signs in; every other sign-in of the user ends.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let user_id = users::reset_password(&state.db, &input.token, &input.password).await?;
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

    /// As deactivateUser; the user must have accepted the invitation.
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        input: SetUserActiveInput,
    ) -> ApiResult<SetUserActivePayload> {
        set_active(ctx, &input.user_id, true).await
    }
}

async fn set_active(ctx: &Context<'_>, id: &ID, active: bool) -> ApiResult<SetUserActivePayload> {
    let actor = actor(ctx)?;
    let id = ids::decode("userId", "User", id)?;
    let user = users::set_active(db(ctx)?, actor, id, active).await?;
    Ok(SetUserActivePayload {
        user: User::of(ctx, user)?,
    })
}
