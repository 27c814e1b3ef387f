//! The durable outbox: an email is a row written in the transaction of the change that
//! causes it, so none is lost and none is sent for a change that rolled back.

use chrono::Utc;
use jobtrack_entity::email_outbox;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

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
        status: Set("PENDING".to_owned()),
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
