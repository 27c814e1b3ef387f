//! The audit log of personal data: every change to a candidate, consent or application is
//! written in the same transaction as the change; every read is collected per request
//! and written once when the request ends.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::Utc;
use jobtrack_entity::audit_event;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

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

    /// Writes one `candidate.read` event per candidate read, in one statement.
    pub async fn flush(&self, db: &impl ConnectionTrait, actor: Option<&Actor>) -> Result<()> {
        let reads = match self.reads.lock() {
            Ok(mut reads) => std::mem::take(&mut *reads),
            Err(_) => return Err(Error::Internal("audit reads lock poisoned".into())),
        };
        if reads.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let rows = reads
            .into_iter()
            .map(|(candidate_id, fields)| audit_event::ActiveModel {
                at: Set(now),
                actor_id: Set(actor.map(|a| a.user_id)),
                action: Set("candidate.read".to_owned()),
                candidate_id: Set(Some(candidate_id)),
                detail: Set(Some(fields.into_iter().collect::<Vec<_>>().join(","))),
                ..Default::default()
            });
        audit_event::Entity::insert_many(rows).exec(db).await?;
        Ok(())
    }
}

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
