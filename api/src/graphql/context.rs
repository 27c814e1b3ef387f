//! What a resolver gets from the request: the database, the loaders and the viewer.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use super::error::{ApiError, ApiResult};
use super::loader::RequestLoader;
use crate::app::AppState;
use crate::auth::Actor;
use crate::domain::audit::Reads;
use crate::domain::views::Reader;
use crate::error::Error;

pub use crate::auth::Viewer;

pub fn state<'a>(ctx: &Context<'a>) -> ApiResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_missing| ApiError(Error::Internal("no app state".into())))
}

pub fn db<'a>(ctx: &Context<'a>) -> ApiResult<&'a DatabaseConnection> {
    Ok(&state(ctx)?.db)
}

pub fn viewer<'a>(ctx: &Context<'a>) -> ApiResult<&'a Viewer> {
    ctx.data::<Viewer>()
        .map_err(|_missing| ApiError(Error::Internal("no viewer".into())))
}

/// The signed-in actor, or UNAUTHENTICATED.
pub fn actor<'a>(ctx: &Context<'a>) -> ApiResult<&'a Actor> {
    Ok(viewer(ctx)?.actor()?)
}

pub fn loader<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestLoader> {
    ctx.data::<RequestLoader>()
        .map_err(|_missing| ApiError(Error::Internal("no loader".into())))
}

/// The signed-in actor with the request's audit batch: what domain views are built for.
pub fn reader<'a>(ctx: &Context<'a>) -> ApiResult<Reader<'a>> {
    let reads = ctx
        .data::<std::sync::Arc<Reads>>()
        .map_err(|_missing| ApiError(Error::Internal("no audit batch".into())))?;
    Ok(Reader {
        actor: actor(ctx)?,
        reads,
    })
}
