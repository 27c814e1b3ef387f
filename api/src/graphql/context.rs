//! What a resolver gets from the request: the database, the loaders and the viewer.

use crate::db::Db;
use async_graphql::Context;

use super::error::{ApiError, ApiResult};
use super::loader::RequestLoader;
use crate::app::AppState;
use crate::auth::Actor;
use crate::domain::audit::Reads;
use crate::domain::views::Reader;
use crate::error::Error;
use async_graphql::dataloader::Loader as LoaderTrait;

pub use crate::auth::Viewer;
use crate::graphql::loader::Loader;

pub fn state<'a>(ctx: &Context<'a>) -> ApiResult<&'a AppState> {
    ctx.data::<AppState>()
        .map_err(|_missing| ApiError(Error::Internal("no app state".into())))
}

pub fn db<'a>(ctx: &Context<'a>) -> ApiResult<&'a Db> {
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

/// Loads one value through the request's DataLoader.
pub async fn load<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<Option<<Loader as LoaderTrait<K>>::Value>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    Loader: LoaderTrait<K, Error = std::sync::Arc<Error>>,
{
    Ok(loader(ctx)?.load_one(key).await?)
}

/// Loads a list through the request's DataLoader; a parent without rows has an empty list.
pub async fn load_list<K, V>(ctx: &Context<'_>, key: K) -> ApiResult<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Loader: LoaderTrait<K, Value = Vec<V>, Error = std::sync::Arc<Error>>,
{
    Ok(load(ctx, key).await?.unwrap_or_default())
}

/// Loads a value that must exist (a foreign key); its absence is an internal error.
pub async fn load_required<K>(
    ctx: &Context<'_>,
    key: K,
) -> ApiResult<<Loader as LoaderTrait<K>>::Value>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + std::fmt::Debug + 'static,
    Loader: LoaderTrait<K, Error = std::sync::Arc<Error>>,
{
    load(ctx, key.clone())
        .await?
        .ok_or_else(|| Error::Internal(format!("dangling reference {key:?}")).into())
}
