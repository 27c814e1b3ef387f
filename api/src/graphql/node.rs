//! Relay's `Node` interface and `node(id:)`: any object by its global id, if the viewer may see it.

use crate::domain::admission;
use crate::domain::agreements;
use crate::domain::audit;
use crate::domain::candidates;
use crate::domain::contacts;
use crate::domain::employers;
use crate::domain::needs;
use crate::domain::tracks;
use crate::domain::users;
use crate::error::Error;
use crate::graphql::applications::Application;
use crate::graphql::candidates::Candidate;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::employers::CompetenceNeed;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::tracks::JobTrack;
use crate::graphql::users::Agreement;
use crate::graphql::users::AuditEvent;
use crate::graphql::users::Organization;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Interface;
use async_graphql::Object;
use jobtrack_entity::organization;
use sea_orm::EntityTrait;

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global id; `null` when it does not exist or the viewer may not see it.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        let actor = actor(ctx)?;
        let db = db(ctx)?;
        let Some((type_name, number)) = ids::decode_any(&id) else {
            return Ok(None);
        };
        let found = match type_name.as_str() {
            "Organization" => organization::Entity::find_by_id(number)
                .one(db)
                .await?
                .map(|o| Node::Organization(Organization(o))),
            "Agreement" => found(agreements::visible_agreement(db, actor, number).await)?
                .map(|a| Node::Agreement(Agreement(a))),
            "User" => found(users::visible_user(db, actor, number).await)?
                .map(|u| User::of(ctx, u).map(Node::User))
                .transpose()?,
            "Employer" => found(employers::visible_employer(db, actor, number).await)?
                .map(|e| Node::Employer(Employer(e))),
            "CompetenceNeed" => found(needs::visible_need(db, actor, number).await)?
                .map(|n| Node::CompetenceNeed(CompetenceNeed(n))),
            "JobTrack" => found(tracks::visible_track(db, actor, number).await)?
                .map(|t| Node::JobTrack(JobTrack(t))),
            "Candidate" => found(candidates::visible_candidate(db, actor, number).await)?
                .map(|c| Candidate::of(ctx, c).map(Node::Candidate))
                .transpose()?,
            "EmployerContact" => found(contacts::visible_contact(db, actor, number).await)?
                .map(|c| Node::EmployerContact(crate::graphql::contacts::EmployerContact(c))),
            "Application" => found(admission::visible_application(db, actor, number).await)?
                .map(|a| Application::of(ctx, a).map(Node::Application))
                .transpose()?,
            "AuditEvent" => found(audit::visible_event(db, actor, number).await)?
                .map(|e| Node::AuditEvent(AuditEvent(e))),
            _ => None,
        };
        Ok(found)
    }
}

/// NOT_FOUND becomes `None`; other errors stay errors.
fn found<T>(result: Result<T, Error>) -> Result<Option<T>, Error> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(Error::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

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
    EmployerContact(crate::graphql::contacts::EmployerContact),
}
