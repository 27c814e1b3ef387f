use crate::domain::agreements;
use crate::domain::audit;
use crate::domain::users;
use crate::domain::values::Role;
use crate::graphql::connection::connection;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::context::viewer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::users::Agreement;
use crate::graphql::users::AuditEvent;
use crate::graphql::users::AuditEventConnection;
use crate::graphql::users::Organization;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use jobtrack_entity::app_user;
use sea_orm::EntityTrait;

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// ADMIN and COORDINATOR; newest first.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        candidate_id: Option<ID>,
        actor_id: Option<ID>,
    ) -> ApiResult<AuditEventConnection> {
        let actor = actor(ctx)?;
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let candidate_id = candidate_id
            .as_ref()
            .map(|id| ids::decode("candidateId", "Candidate", id))
            .transpose()?;
        let actor_id = actor_id
            .as_ref()
            .map(|id| ids::decode("actorId", "User", id))
            .transpose()?;
        let page = audit::events(db(ctx)?, actor, candidate_id, actor_id, request).await?;
        Ok(AuditEventConnection::new(page, |e| e.id, AuditEvent))
    }
}

#[derive(Default)]
pub struct UserQuery;

#[Object]
impl UserQuery {
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
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = users::users(db(ctx)?, actor, role, request).await?;
        let page = page.try_map(|u| User::of(ctx, u))?;
        Ok(UserConnection::new(page, |u| u.0.id, |u| u))
    }
}

connection!(UserConnection, UserEdge, User);
