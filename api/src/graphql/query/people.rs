//! `node`, `viewer`, organisations, agreements and users.

use async_graphql::{Context, ID, Object};
use jobtrack_entity::{app_user, organization};
use sea_orm::EntityTrait;

use crate::domain::pagination::PageRequest;
use crate::domain::values::Role;
use crate::domain::{
    admission, agreements, audit, candidates, contacts, employers, needs, tracks, users,
};
use crate::error::Error;
use crate::graphql::connection::connection;
use crate::graphql::context::{actor, db, viewer};
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::object::{
    Agreement, Application, AuditEvent, Candidate, CompetenceNeed, Employer, JobTrack, Node,
    Organization, User,
};

connection!(UserConnection, UserEdge, User);

#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
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
            "EmployerContact" => {
                found(contacts::visible_contact(db, actor, number).await)?.map(|c| {
                    Node::EmployerContact(crate::graphql::object::reports::EmployerContact(c))
                })
            }
            "Application" => found(admission::visible_application(db, actor, number).await)?
                .map(|a| Application::of(ctx, a).map(Node::Application))
                .transpose()?,
            "AuditEvent" => found(audit::visible_event(db, actor, number).await)?
                .map(|e| Node::AuditEvent(AuditEvent(e))),
            _ => None,
        };
        Ok(found)
    }

    /// The signed-in user; `null` when not signed in.
    async fn viewer(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(actor) = &viewer(ctx)?.actor else {
            return Ok(None);
        };
        Ok(app_user::Entity::find_by_id(actor.user_id)
            .one(db(ctx)?)
            .await?
            .map(|u| User::of(ctx, u))
            .transpose()?)
    }

    async fn organizations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organization>> {
        actor(ctx)?;
        Ok(agreements::organizations(db(ctx)?)
            .await?
            .into_iter()
            .map(Organization)
            .collect())
    }

    /// The agreements the viewer's organisation is party to (ADMIN: all).
    async fn agreements(&self, ctx: &Context<'_>) -> ApiResult<Vec<Agreement>> {
        let actor = actor(ctx)?;
        Ok(agreements::agreements(db(ctx)?, actor)
            .await?
            .into_iter()
            .map(Agreement)
            .collect())
    }

    /// ADMIN: all users; staff: the users of their own organisation.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        role: Option<Role>,
    ) -> ApiResult<UserConnection> {
        let actor = actor(ctx)?;
        crate::domain::policy::require(crate::domain::policy::may_list_users(actor))?;
        let request = PageRequest::new(first, ids::decode_cursor(after.as_deref())?)?;
        let page = users::users(db(ctx)?, actor, role, request).await?;
        let page = page.try_map(|u| User::of(ctx, u))?;
        Ok(UserConnection::new(page, |u| u.0.id, |u| u))
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
