//! The authenticated caller, as the domain sees it.

use sea_orm::{ConnectionTrait, Statement};

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

/// Loads an active user as an actor; `None` for unknown or inactive users. One statement
/// (on every request, so roles, municipalities and deactivation take effect at once): the
/// user's row with each role, then each municipality, then the employer link.
pub async fn load_actor(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<Actor>> {
    const SQL: &str = "SELECT 'u' AS part, u.active, u.organization_id, r.role AS text, CAST(NULL AS BIGINT) AS employer_id
        FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id WHERE u.id = $1
        UNION ALL SELECT 'm', NULL, NULL, m.municipality_code, NULL FROM user_municipality m WHERE m.user_id = $1
        UNION ALL SELECT 'e', NULL, NULL, NULL, e.employer_id FROM user_employer e WHERE e.user_id = $1";
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            SQL,
            [user_id.into()],
        ))
        .await?;
    let mut found = false;
    let mut roles = Vec::new();
    let mut organization_id = None;
    let mut municipalities = Vec::new();
    let mut employer_id = None;
    for row in rows {
        let part: String = row.try_get("", "part")?;
        match part.as_str() {
            "u" => {
                if !row.try_get::<bool>("", "active")? {
                    return Ok(None);
                }
                found = true;
                organization_id = row.try_get("", "organization_id")?;
                if let Some(role) = row.try_get::<Option<String>>("", "text")? {
                    roles.push(
                        Role::parse(&role)
                            .ok_or_else(|| Error::Internal(format!("unknown role {role}")))?,
                    );
                }
            }
            "m" => municipalities.extend(row.try_get::<Option<String>>("", "text")?),
            _ => employer_id = row.try_get("", "employer_id")?,
        }
    }
    if !found {
        return Ok(None);
    }
    if roles.is_empty() {
        return Err(Error::Internal(format!("user {user_id} has no role")));
    }
    Ok(Some(Actor {
        user_id,
        roles,
        organization_id,
        employer_id,
        municipalities,
    }))
}
