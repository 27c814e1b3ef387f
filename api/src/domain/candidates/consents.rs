//! The consent ledger: a candidate's consents to share data, each with its scope, how it
//! was given, who recorded it, from when and until when it is valid, and — for
//! EMPLOYER_SHARING — optionally the one employer it applies to. Recorded and withdrawn
//! by the staff who manage the candidate; one active consent per scope; history is
//! append-only (a database trigger refuses anything but recording a withdrawal once).
//!
//! A consent is *active* while it is not withdrawn, `valid_from` has come and
//! `valid_until` has not. When the COLLABORATION consent is withdrawn or runs out, the
//! working group stops seeing the candidate at once (the scope asks for an active one)
//! and the candidate's open applications become WITHDRAWN with reason
//! CONSENT_WITHDRAWN — at once on withdrawal, and within a minute of running out (see
//! [`lapse_expired`]). A started participation is not undone: `Application.consentLapsed`
//! flags it for the caseworker.

use crate::db::Db;
use chrono::{DateTime, Utc};
use jobtrack_entity::{candidate, consent, employer};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, sea_query::Expr,
};

use super::managed;
use crate::auth::Actor;
use crate::domain::admission;
use crate::domain::audit;
use crate::domain::values::{ConsentMethod, ConsentScope};
use crate::error::{Error, Result};

/// A consent to record.
pub struct NewConsent {
    pub scope: ConsentScope,
    pub method: ConsentMethod,
    /// Defaults to now; may be earlier (a written consent signed last week).
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// EMPLOYER_SHARING only: the one employer it applies to.
    pub employer_id: Option<i64>,
}

impl NewConsent {
    pub fn new(scope: ConsentScope, method: ConsentMethod) -> Self {
        Self {
            scope,
            method,
            valid_from: None,
            valid_until: None,
            employer_id: None,
        }
    }
}

/// Consents active at `now`: not withdrawn, begun, not run out.
pub fn active_at(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(consent::Column::WithdrawnAt.is_null())
        .add(consent::Column::ValidFrom.lte(now))
        .add(
            Condition::any()
                .add(consent::Column::ValidUntil.is_null())
                .add(consent::Column::ValidUntil.gt(now)),
        )
}

pub async fn record_consent(
    db: &Db,
    actor: &Actor,
    id: i64,
    new: NewConsent,
) -> Result<(consent::Model, candidate::Model)> {
    let now = Utc::now();
    let valid_from = new.valid_from.unwrap_or(now);
    if let Some(until) = new.valid_until {
        if until <= valid_from {
            return Err(Error::bad_input("validUntil", "must be after validFrom"));
        }
        if until <= now {
            return Err(Error::bad_input("validUntil", "must be in the future"));
        }
    }
    if valid_from > now + chrono::Duration::days(366) {
        return Err(Error::bad_input(
            "validFrom",
            "must be within a year from now",
        ));
    }
    if new.employer_id.is_some() && new.scope != ConsentScope::EmployerSharing {
        return Err(Error::bad_input(
            "employerId",
            "only an EMPLOYER_SHARING consent names an employer",
        ));
    }
    let tx = db.begin_write().await?;
    let found = managed(&tx, actor, id).await?;
    if let Some(employer_id) = new.employer_id {
        // Any employer may be named (the candidate decides); it must exist.
        if employer::Entity::find_by_id(employer_id).count(&tx).await? == 0 {
            return Err(Error::bad_input("employerId", "no such employer"));
        }
    }
    if open_consent(&tx, id, new.scope).await?.is_some() {
        return Err(Error::Conflict(format!(
            "the candidate already has a {} consent that is not withdrawn or run out; \
             withdraw it first",
            new.scope.as_str()
        )));
    }
    let given = consent::Entity::insert(consent::ActiveModel {
        candidate_id: Set(id),
        scope: Set(new.scope),
        method: Set(new.method),
        given_at: Set(now),
        recorded_by: Set(actor.user_id),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        valid_from: Set(Some(valid_from)),
        valid_until: Set(new.valid_until),
        employer_id: Set(new.employer_id),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    let until = new
        .valid_until
        .map(|t| format!(" until {}", t.to_rfc3339()))
        .unwrap_or_default();
    let employer = new
        .employer_id
        .map(|e| format!(" employer {e}"))
        .unwrap_or_default();
    let detail = format!(
        "{} {}{until}{employer}",
        new.scope.as_str(),
        new.method.as_str()
    );
    audit::record(&tx, Some(actor), "consent.record", Some(id), Some(detail)).await?;
    tx.commit().await?;
    Ok((given, found))
}

/// The candidate's consent of `scope` that is active now.
pub async fn active_consent(
    db: &impl ConnectionTrait,
    id: i64,
    scope: ConsentScope,
) -> Result<Option<consent::Model>> {
    Ok(consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(id))
        .filter(consent::Column::Scope.eq(scope))
        .filter(active_at(Utc::now()))
        .one(db)
        .await?)
}

/// The candidate's consent of `scope` that is not withdrawn and has not run out (it may
/// begin later): there is at most one.
async fn open_consent(
    db: &impl ConnectionTrait,
    id: i64,
    scope: ConsentScope,
) -> Result<Option<consent::Model>> {
    let now = Utc::now();
    Ok(consent::Entity::find()
        .filter(consent::Column::CandidateId.eq(id))
        .filter(consent::Column::Scope.eq(scope))
        .filter(consent::Column::WithdrawnAt.is_null())
        .filter(
            Condition::any()
                .add(consent::Column::ValidUntil.is_null())
                .add(consent::Column::ValidUntil.gt(now)),
        )
        .one(db)
        .await?)
}

/// Whether the candidate's EMPLOYER_SHARING consent, active now, covers `employer_id`.
pub async fn shares_with_employer(
    db: &impl ConnectionTrait,
    id: i64,
    employer_id: i64,
) -> Result<bool> {
    Ok(active_consent(db, id, ConsentScope::EmployerSharing)
        .await?
        .is_some_and(|c| c.employer_id.is_none_or(|named| named == employer_id)))
}

/// Withdrawing stops further sharing; the consent stays in the history. Withdrawing
/// COLLABORATION also withdraws the candidate's open applications (reason
/// CONSENT_WITHDRAWN), in the same transaction.
pub async fn withdraw_consent(
    db: &Db,
    actor: &Actor,
    id: i64,
    scope: ConsentScope,
) -> Result<candidate::Model> {
    let tx = db.begin_write().await?;
    let found = managed(&tx, actor, id).await?;
    let open = open_consent(&tx, id, scope).await?.ok_or_else(|| {
        Error::InvalidState(format!(
            "the candidate has no {} consent to withdraw",
            scope.as_str()
        ))
    })?;
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(Utc::now()))
        .col_expr(consent::Column::WithdrawnBy, Expr::value(actor.user_id))
        .filter(consent::Column::Id.eq(open.id))
        .filter(consent::Column::WithdrawnAt.is_null())
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
    if scope == ConsentScope::Collaboration {
        admission::withdraw_for_lost_consent(&tx, Some(actor), &[id]).await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Withdraws the open applications of candidates whose COLLABORATION consent ran out
/// (or was never active: a consent valid from a later date). Run by the server every
/// minute; returns how many applications it withdrew.
pub async fn lapse_expired(db: &Db) -> Result<usize> {
    use sea_orm::sea_query::Query;
    let active = Query::select()
        .column(consent::Column::CandidateId)
        .from(consent::Entity)
        .and_where(consent::Column::Scope.eq(ConsentScope::Collaboration))
        .cond_where(active_at(Utc::now()))
        .to_owned();
    let lapsed: Vec<i64> = jobtrack_entity::application::Entity::find()
        .select_only()
        .column(jobtrack_entity::application::Column::CandidateId)
        .distinct()
        .filter(
            jobtrack_entity::application::Column::Status
                .is_in(admission::OPEN_STATUSES.iter().copied()),
        )
        .filter(jobtrack_entity::application::Column::CandidateId.not_in_subquery(active))
        .limit(500)
        .into_tuple()
        .all(db)
        .await?;
    if lapsed.is_empty() {
        return Ok(0);
    }
    let tx = db.begin_write().await?;
    let withdrawn = admission::withdraw_for_lost_consent(&tx, None, &lapsed).await?;
    for candidate in &lapsed {
        audit::record(
            &tx,
            None,
            "consent.lapse",
            Some(*candidate),
            Some("COLLABORATION consent ran out".into()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(withdrawn.len())
}
