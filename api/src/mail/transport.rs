//! Delivery through lettre: SMTP when `SMTP_URL` is set (`smtp://` plain, `?tls=required`
//! for STARTTLS, `smtps://` for implicit TLS, credentials in the URL), otherwise `.eml`
//! files in the mail directory.

use std::time::Duration;

use jobtrack_entity::email_outbox;
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;
use crate::error::{Error, Result};

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| Error::Internal(format!("MAIL_FROM: {e}")))?;
        let transport = if let Some(url) = &config.smtp_url {
            Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| Error::Internal(format!("SMTP_URL: {e}")))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            )
        } else {
            std::fs::create_dir_all(&config.mail_dir)
                .map_err(|e| Error::Internal(format!("mail dir: {e}")))?;
            Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(&config.mail_dir))
        };
        Ok(Self { transport, from })
    }

    /// Sends one outbox row; the error text is kept on the row for operators.
    pub async fn send(&self, row: &email_outbox::Model) -> std::result::Result<(), SendError> {
        let to: Mailbox = row
            .recipient
            .parse()
            .map_err(|e| SendError::permanent(format!("recipient: {e}")))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone());
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(row.body_text.clone());
        let message = match &row.body_html {
            Some(html) => builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
            None => builder.singlepart(text),
        }
        .map_err(|e| SendError::permanent(format!("message: {e}")))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                SendError {
                    // A 5xx reply (no such mailbox, message refused) will not change
                    // by trying again; anything else (refused connection, timeout,
                    // a 4xx "try later") will.
                    permanent: e.is_permanent(),
                    message: e.to_string(),
                }
            }),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| SendError::transient(e.to_string())),
        }
    }
}

/// Why an email was not sent, and whether trying again can help.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl SendError {
    pub fn permanent(message: String) -> Self {
        Self {
            permanent: true,
            message,
        }
    }

    pub fn transient(message: String) -> Self {
        Self {
            permanent: false,
            message,
        }
    }
}
