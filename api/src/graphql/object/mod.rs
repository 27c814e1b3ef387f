//! Output types. They wrap entity models and expose only the contract's fields, so a new
//! column never becomes an API field by accident.

pub mod applications;
pub mod employers;
pub mod people;
pub mod reports;
pub mod tracks;

use async_graphql::{Context, Interface, dataloader::Loader as LoaderTrait};

use super::context::loader;
use super::error::ApiResult;
use super::loader::Loader;
use crate::error::Error;

pub use applications::{Application, AuditEvent, Candidate};
pub use employers::{CompetenceNeed, Employer};
pub use people::{Agreement, Organization, User};
pub use tracks::JobTrack;

/// Relay's `Node`: every object with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "async_graphql::ID"))]
pub enum Node {
    Organization(Organization),
    Agreement(Agreement),
    User(User),
    Employer(Employer),
    CompetenceNeed(CompetenceNeed),
    JobTrack(JobTrack),
    Candidate(Candidate),
    Application(Application),
    AuditEvent(AuditEvent),
    EmployerContact(reports::EmployerContact),
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
    let debug = format!("{key:?}");
    load(ctx, key)
        .await?
        .ok_or_else(|| Error::Internal(format!("dangling reference {debug}")).into())
}
