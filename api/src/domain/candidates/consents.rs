//! Consent to share a candidate's data: recorded and withdrawn by the staff who manage
//! the candidate, one active consent per scope, each change audited.

use chrono::Utc;
use jobtrack_entity::{candidate, consent};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::Expr,
};

use super::managed;
use crate::auth::Actor;
use crate::domain::audit;
use crate::domain::values::{ConsentMethod, ConsentScope};
use crate::error::{Error, Result};

pub async fn record_consent(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    scope: ConsentScope,
    method: ConsentMethod,
) -> Result<(consent::Model, candidate::Model)> {
    let tx = crate::db::begin_write(db).await?;
    let found = managed(&tx, actor, id).await?;
    if active_consent(&tx, id, scope).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the candidate already has an active {} consent",
            scope.as_str()
        )));
    }
    let given = consent::Entity::insert(consent::ActiveModel {
        candidate_id: Set(id),
        scope: Set(scope),
        method: Set(method),
        given_at: Set(Utc::now()),
        recorded_by: Set(actor.user_id),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "consent.record",
        Some(id),
        Some(format!("{} {}", scope.as_str(), method.as_str())),
    )
    .await?;
    tx.commit().await?;
    Ok((given, found))
}

pub async fn active_consent(
    db: &impl ConnectionTrait,
    id: i64,
    scope: ConsentScope,
) -> Result<Option<consent::Model>> {
    Ok(consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(id))
        .filter(consent::Column::Scope.eq(scope))
        .filter(consent::Column::WithdrawnAt.is_null())
        .one(db)
        .await?)
}

/// Withdrawing stops further sharing; the consent stays in the history.
pub async fn withdraw_consent(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    scope: ConsentScope,
) -> Result<candidate::Model> {
    let tx = crate::db::begin_write(db).await?;
    let found = managed(&tx, actor, id).await?;
    let active = active_consent(&tx, id, scope).await?.ok_or_else(|| {
        Error::InvalidState(format!(
            "the candidate has no active {} consent",
            scope.as_str()
        ))
    })?;
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(Utc::now()))
        .col_expr(consent::Column::WithdrawnBy, Expr::value(actor.user_id))
        .filter(consent::Column::Id.eq(active.id))
        .exec(&tx)
        .await?;
    audit::record(
        &tx,
        Some(actor),
        "consent.withdraw",
        Some(id),
        Some(scope.as_str().to_owned()),
    )
    .await?;
    tx.commit().await?;
    Ok(found)
}
