//! The authenticated caller, as the domain sees it.

use jobtrack_entity::{app_user, user_employer, user_municipality, user_role};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::values::Role;
use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: i64,
    pub roles: Vec<Role>,
    pub organization_id: Option<i64>,
    /// Set for EMPLOYER users.
    pub employer_id: Option<i64>,
    /// Municipalities whose candidates the user may see.
    pub municipalities: Vec<String>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        self.is_admin() || roles.iter().any(|r| self.has(*r))
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// Staff: any role but EMPLOYER. A user who is only an employer user is not staff.
    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|r| *r != Role::Employer)
    }

    /// An employer user without any staff role.
    pub fn is_employer_only(&self) -> bool {
        !self.is_staff() && self.has(Role::Employer)
    }
}

/// Loads an active user as an actor; `None` for unknown or inactive users.
pub async fn load_actor(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<Actor>> {
    let Some(user) = app_user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(None);
    };
    if !user.active {
        return Ok(None);
    }
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .iter()
        .map(|r| r.role)
        .collect::<Vec<_>>();
    let municipalities = user_municipality::Entity::find()
        .filter(user_municipality::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect();
    let employer_id = user_employer::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .map(|e| e.employer_id);
    if roles.is_empty() {
        return Err(Error::Internal(format!("user {user_id} has no role")));
    }
    Ok(Some(Actor {
        user_id,
        roles,
        organization_id: user.organization_id,
        employer_id,
        municipalities,
    }))
}
