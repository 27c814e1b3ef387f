//! The audit log of personal data: every change to a candidate, consent or application is
//! written in the same transaction as the change; every read is collected per request
//! and written once when the request ends.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::Utc;
use jobtrack_entity::audit_event;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Statement,
};

use super::pagination::{Direction, Page, PageRequest, fetch};
use super::policy;
use crate::auth::Actor;
use crate::error::{Error, Result};

/// Records one change, inside the caller's transaction.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    action: &str,
    candidate_id: Option<i64>,
    detail: Option<String>,
) -> Result<()> {
    audit_event::Entity::insert(audit_event::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(actor.map(|a| a.user_id)),
        action: Set(action.to_owned()),
        candidate_id: Set(candidate_id),
        detail: Set(detail),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Reads of candidates' personal data during one request: candidate id → what was read.
#[derive(Default)]
pub struct Reads {
    reads: Mutex<BTreeMap<i64, std::collections::BTreeSet<&'static str>>>,
}

impl Reads {
    pub fn note(&self, candidate_id: i64, what: &'static str) {
        if let Ok(mut reads) = self.reads.lock() {
            reads.entry(candidate_id).or_default().insert(what);
        }
    }

    /// Writes one `candidate.read` event per candidate read, in one statement whose
    /// rows arrive as one JSON parameter: a page of 50 candidates is 4 parameters to
    /// bind instead of 250, and the same prepared statement whatever the page's size.
    pub async fn flush(&self, db: &impl ConnectionTrait, actor: Option<&Actor>) -> Result<()> {
        let reads = match self.reads.lock() {
            Ok(mut reads) => std::mem::take(&mut *reads),
            Err(_) => return Err(Error::Internal("audit reads lock poisoned".into())),
        };
        if reads.is_empty() {
            return Ok(());
        }
        let rows: Vec<(i64, String)> = reads
            .into_iter()
            .map(|(candidate_id, fields)| {
                (
                    candidate_id,
                    fields.into_iter().collect::<Vec<_>>().join(","),
                )
            })
            .collect();
        let rows = serde_json::to_string(&rows)
            .map_err(|e| Error::Internal(format!("audit rows as JSON: {e}")))?;
        let backend = db.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => READS_POSTGRES,
            _ => READS_SQLITE,
        };
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                Utc::now().into(),
                actor.map(|a| a.user_id).into(),
                READ.into(),
                rows.into(),
            ],
        ))
        .await?;
        Ok(())
    }
}

/// The action of a read of a candidate's personal data.
const READ: &str = "candidate.read";
/// `[[candidate id, what was read], …]` as `$4` to one row each.
const READS_POSTGRES: &str = "INSERT INTO audit_event (at, actor_id, action, candidate_id, detail) \
    SELECT $1, $2, $3, (r.value->>0)::bigint, r.value->>1 \
    FROM json_array_elements($4::json) WITH ORDINALITY AS r(value, n) ORDER BY r.n";
const READS_SQLITE: &str = "INSERT INTO audit_event (at, actor_id, action, candidate_id, detail) \
    SELECT ?, ?, ?, json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]') \
    FROM json_each(?) AS r ORDER BY r.key";

/// The part of the log the actor may read (policy::audit_scope).
fn readable(actor: &Actor) -> Result<sea_orm::Select<audit_event::Entity>> {
    Ok(policy::scoped(
        audit_event::Entity::find(),
        policy::audit_scope(actor)?,
    ))
}

/// ADMIN and COORDINATOR read the log, newest first.
pub async fn events(
    db: &impl ConnectionTrait,
    actor: &Actor,
    candidate_id: Option<i64>,
    actor_id: Option<i64>,
    page: PageRequest,
) -> Result<Page<audit_event::Model>> {
    let mut select = readable(actor)?;
    if let Some(id) = candidate_id {
        select = select.filter(audit_event::Column::CandidateId.eq(id));
    }
    if let Some(id) = actor_id {
        select = select.filter(audit_event::Column::ActorId.eq(id));
    }
    fetch(
        db,
        select,
        audit_event::Column::Id,
        page,
        Direction::Descending,
    )
    .await
}

/// One event of the log, for `node(id:)`: NOT_FOUND when the actor may not read it.
pub async fn visible_event(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<audit_event::Model> {
    readable(actor)
        .map_err(|_forbidden_told_as_not_found| Error::NotFound)?
        .filter(audit_event::Column::Id.eq(id))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}
