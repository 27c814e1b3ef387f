//! Configuration from the environment, with every default in one place. Nothing else
//! reads the environment.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite:` or `postgres:` URL.
    pub database_url: String,
    /// Address to serve on.
    pub listen: String,
    /// HS256 signing secret; `None`: generated once and stored in the database.
    pub jwt_secret: Option<String>,
    /// `smtp://`, `smtps://` or `smtp://…?tls=required`; `None`: `.eml` files in `mail_dir`.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    /// Base of links in emails.
    pub portal_url: String,
    pub log_filter: String,
    /// Whether the outbox worker runs in this process.
    pub send_mail: bool,
    /// How often the outbox worker looks for due emails.
    pub mail_poll: std::time::Duration,
    /// The first retry delay of a failed send; it doubles up to `mail_retry_max`.
    pub mail_retry_base: std::time::Duration,
    /// The longest wait between two tries of an email (a minute).
    pub mail_retry_max: std::time::Duration,
    /// How long a server holds an email it is sending before another may take it over
    /// (JOBTRACK_MAIL_LEASE_SECONDS, default 300); longer than any send takes.
    pub mail_lease: std::time::Duration,
    /// `create-user`'s password from JOBTRACK_PASSWORD (else read from standard input).
    pub cli_password: Option<String>,
    /// Origins (`https://portal.example.se`) whose browser pages may call the API;
    /// empty: same origin only. From JOBTRACK_CORS_ORIGINS, comma-separated.
    pub cors_origins: Vec<String>,
    /// Whether schema introspection is answered (JOBTRACK_INTROSPECTION=off turns it off).
    pub introspection: bool,
    /// A separate address for `GET /metrics`; `None`: served beside the API.
    pub metrics_listen: Option<String>,
    /// Reverse proxies (IP addresses) whose `X-Forwarded-For`/`Forwarded` names the
    /// client; from JOBTRACK_TRUSTED_PROXIES, comma-separated. Empty: the peer is the client.
    pub trusted_proxies: Vec<String>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://jobtrack.db?mode=rwc";

impl Config {
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            database_url: get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            listen: get("JOBTRACK_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            jwt_secret: get("JWT_SECRET"),
            smtp_url: get("SMTP_URL"),
            mail_from: get("MAIL_FROM")
                .unwrap_or_else(|| "Jobtrack <no-reply@jobtrack.local>".to_owned()),
            mail_dir: PathBuf::from("mail"),
            portal_url: get("PORTAL_URL").unwrap_or_else(|| "http://localhost:8080".to_owned()),
            log_filter: get("RUST_LOG").unwrap_or_else(|| "info".to_owned()),
            send_mail: true,
            mail_poll: std::time::Duration::from_millis(500),
            mail_retry_base: std::time::Duration::from_secs(2),
            mail_retry_max: crate::mail::worker::MAX_BACKOFF,
            mail_lease: std::time::Duration::from_secs(
                get("JOBTRACK_MAIL_LEASE_SECONDS")
                    .and_then(|s| s.parse().ok())
                    .filter(|s| *s > 0)
                    .unwrap_or(300),
            ),
            cli_password: get("JOBTRACK_PASSWORD"),
            cors_origins: get("JOBTRACK_CORS_ORIGINS")
                .map(|list| {
                    list.split(',')
                        .map(|o| o.trim().trim_end_matches('/').to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            introspection: !matches!(
                get("JOBTRACK_INTROSPECTION")
                    .map(|v| v.to_ascii_lowercase())
                    .as_deref(),
                Some("off" | "false" | "0" | "no")
            ),
            metrics_listen: get("JOBTRACK_METRICS_LISTEN"),
            trusted_proxies: get("JOBTRACK_TRUSTED_PROXIES")
                .map(|list| {
                    list.split(',')
                        .map(|p| p.trim().to_owned())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The database URL without credentials, for the startup log.
    pub fn database_for_log(&self) -> String {
        match self.database_url.split_once('@') {
            Some((scheme_and_user, host)) => {
                let scheme = scheme_and_user.split("://").next().unwrap_or("db");
                format!("{scheme}://…@{host}")
            }
            None => self.database_url.clone(),
        }
    }
}
