//! The durable outbox: an email is a row written in the transaction of the change that
//! causes it, so none is lost and none is sent for a change that rolled back.

use crate::db::Db;
use chrono::Utc;
use jobtrack_entity::email_outbox;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::domain::values::OutboxStatus;
use crate::error::Result;

/// One email to send.
pub struct Email {
    /// Which notification this is, e.g. `escalation`.
    pub template: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
}

pub async fn enqueue(db: &impl ConnectionTrait, email: Email) -> Result<()> {
    let now = Utc::now();
    email_outbox::Entity::insert(email_outbox::ActiveModel {
        template: Set(email.template.to_owned()),
        recipient: Set(email.recipient),
        subject: Set(email.subject),
        body_text: Set(email.body_text),
        body_html: Set(email.body_html),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// The outbox as operators see it (ADMIN), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &crate::auth::Actor,
    statuses: &[OutboxStatus],
    page: super::pagination::PageRequest,
) -> Result<super::pagination::Page<email_outbox::Model>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    super::policy::require(super::policy::may_administer(actor))?;
    let mut select = email_outbox::Entity::find();
    if !statuses.is_empty() {
        select = select.filter(email_outbox::Column::Status.is_in(statuses.iter().copied()));
    }
    super::pagination::fetch(
        db,
        select,
        email_outbox::Column::Id,
        page,
        super::pagination::Direction::Descending,
    )
    .await
}

/// ADMIN: puts a FAILED email back in the queue.
pub async fn retry(db: &Db, actor: &crate::auth::Actor, id: i64) -> Result<email_outbox::Model> {
    use sea_orm::sea_query::Expr;
    transition(db, actor, id, OutboxStatus::Failed, "retried", |update| {
        update
            .col_expr(
                email_outbox::Column::Status,
                Expr::value(OutboxStatus::Pending),
            )
            .col_expr(email_outbox::Column::Attempts, Expr::value(0))
            .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(Utc::now()))
    })
    .await
}

/// ADMIN: gives up on an email still waiting (say, to an address that will never
/// answer). It becomes FAILED with the reason, and can be retried later.
pub async fn cancel(db: &Db, actor: &crate::auth::Actor, id: i64) -> Result<email_outbox::Model> {
    use sea_orm::sea_query::Expr;
    transition(
        db,
        actor,
        id,
        OutboxStatus::Pending,
        "cancelled",
        |update| {
            update
                .col_expr(
                    email_outbox::Column::Status,
                    Expr::value(OutboxStatus::Failed),
                )
                .col_expr(
                    email_outbox::Column::LastError,
                    Expr::value("cancelled by an administrator"),
                )
        },
    )
    .await
}

/// Moves an email from status `from` by `change`, if it is still in `from`.
async fn transition(
    db: &Db,
    actor: &crate::auth::Actor,
    id: i64,
    from: OutboxStatus,
    verb: &str,
    change: impl FnOnce(
        sea_orm::UpdateMany<email_outbox::Entity>,
    ) -> sea_orm::UpdateMany<email_outbox::Entity>,
) -> Result<email_outbox::Model> {
    use sea_orm::{ColumnTrait, QueryFilter};
    super::policy::require(super::policy::may_administer(actor))?;
    // One write transaction: the row returned is the one this change left, not one a
    // sending worker changed in between (it claims rows in write transactions too).
    let tx = db.begin_write().await?;
    let found = email_outbox::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(crate::error::Error::NotFound)?;
    let updated = change(email_outbox::Entity::update_many())
        .filter(email_outbox::Column::Id.eq(found.id))
        .filter(email_outbox::Column::Status.eq(from))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(crate::error::Error::InvalidState(format!(
            "only a {} email can be {verb}; this one is {}",
            from.as_str(),
            found.status.as_str()
        )));
    }
    let changed = email_outbox::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or(crate::error::Error::NotFound)?;
    tx.commit().await?;
    Ok(changed)
}
