//! Sign-in: login, refreshToken, logout.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use jobtrack_entity::app_user;
use sea_orm::EntityTrait;

use crate::auth::session::{self, Session};
use crate::error::Error;
use crate::graphql::context::{db, state, viewer};
use crate::graphql::error::ApiResult;
use crate::graphql::object::User;

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct RefreshTokenInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutInput {
    pub refresh_token: String,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    /// Opaque, single use: refreshing rotates it.
    pub refresh_token: String,
    pub expires_at: crate::graphql::scalars::DateTime,
    pub user: User,
}

/// Builds the payload of a new session.
pub async fn auth_payload(ctx: &Context<'_>, session: Session) -> ApiResult<AuthPayload> {
    let user = app_user::Entity::find_by_id(session.user_id)
        .one(db(ctx)?)
        .await?
        .ok_or_else(|| Error::Internal("session for a missing user".into()))?;
    Ok(AuthPayload {
        access_token: session.access_token,
        refresh_token: session.refresh_token,
        expires_at: session.expires_at.into(),
        user: User(crate::domain::views::UserView::signed_in(user)),
    })
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Wrong email and wrong password fail alike; repeated failures are slowed down.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let address = viewer(ctx)?.client_address.clone();
        let session = session::login(
            &state.db,
            &state.keys,
            &input.email,
            &input.password,
            &address,
        )
        .await;
        state.metrics.login(match &session {
            Ok(_) => "ok",
            Err(err) if session::is_lockout(err) => "throttled",
            Err(_) => "failed",
        });
        auth_payload(ctx, session?).await
    }

    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let session = session::refresh(&state.db, &state.keys, &input.refresh_token).await?;
        auth_payload(ctx, session).await
    }

    /// Ends the sign-in the refresh token belongs to; always `ok`, so it reveals nothing.
    async fn logout(&self, ctx: &Context<'_>, input: LogoutInput) -> ApiResult<LogoutPayload> {
        session::logout(db(ctx)?, &input.refresh_token).await?;
        Ok(LogoutPayload { ok: true })
    }
}
