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

/// Loads an active user as an actor; `None` for unknown or inactive users.
pub async fn load_actor(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<Actor>> {
    Ok(match load_signed_in(db, user_id, None).await? {
        SignedIn::Actor(actor) => Some(actor),
        SignedIn::SessionEnded | SignedIn::NotActive => None,
    })
}

/// Who a verified access token names, as [`load_signed_in`] finds them.
pub enum SignedIn {
    Actor(Actor),
    /// The token's session was signed out or revoked for reuse (a revoked refresh
    /// token of its family): its access tokens stop working at once, not when they expire.
    SessionEnded,
    /// No such user, or deactivated.
    NotActive,
}

/// The user of an access token and whether its `session` has ended, in one statement
/// (on every request, so signing out, roles, municipalities and deactivation take effect
/// at once): whether the session has ended, the user's row with each role, then each
/// municipality, then the employer link.
pub async fn load_signed_in(
    db: &impl ConnectionTrait,
    user_id: i64,
    session: Option<&str>,
) -> Result<SignedIn> {
    const SQL: &str = "SELECT 'u' AS part, u.active, u.organization_id, r.role AS text, CAST(NULL AS BIGINT) AS employer_id
        FROM app_user u LEFT JOIN user_role r ON r.user_id = u.id WHERE u.id = $1
        UNION ALL SELECT 'm', NULL, NULL, m.municipality_code, NULL FROM user_municipality m WHERE m.user_id = $1
        UNION ALL SELECT 'e', NULL, NULL, NULL, e.employer_id FROM user_employer e WHERE e.user_id = $1
        UNION ALL SELECT 's', NULL, NULL, NULL, NULL WHERE EXISTS
            (SELECT 1 FROM refresh_token t WHERE t.family = $2 AND t.revoked_at IS NOT NULL)";
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            SQL,
            [user_id.into(), session.map(str::to_owned).into()],
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
                    return Ok(SignedIn::NotActive);
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
            "s" => return Ok(SignedIn::SessionEnded),
            _ => employer_id = row.try_get("", "employer_id")?,
        }
    }
    if !found {
        return Ok(SignedIn::NotActive);
    }
    if roles.is_empty() {
        return Err(Error::Internal(format!("user {user_id} has no role")));
    }
    Ok(SignedIn::Actor(Actor {
        user_id,
        roles,
        organization_id,
        employer_id,
        municipalities,
    }))
}
