//! Configuration from the environment, with every default in one place. Nothing else
//! reads the environment.

use std::path::PathBuf;

/// Debug shows no secret: the JWT secret and CLI password are redacted, and so are the
/// credentials in the database and SMTP URLs (see the manual `Debug` below).
#[derive(Clone)]
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
    /// Keeps the text of every SQL statement for [`crate::app::AppState::take_statements`]
    /// (tests only; not read from the environment).
    pub record_statements: bool,
    /// How often the server withdraws the open applications of candidates whose
    /// COLLABORATION consent ran out (every minute); `None` only in tests that count
    /// statements, whose counts a sweep would add to (not read from the environment).
    pub consent_sweep: Option<std::time::Duration>,
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
            record_statements: false,
            consent_sweep: Some(std::time::Duration::from_mins(1)),
        }
    }

    /// The database URL without credentials, for the startup log.
    pub fn database_for_log(&self) -> String {
        without_credentials(&self.database_url)
    }

    /// Checks everything that can be checked before connecting, so a mistyped setting
    /// stops the start with a message naming it, not an "internal error" later.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.database_url.starts_with("sqlite:") || self.database_url.starts_with("postgres"))
        {
            return Err(format!(
                "DATABASE_URL must be a sqlite: or postgres:// URL, not {}",
                self.database_for_log()
            ));
        }
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(format!(
                "JOBTRACK_LISTEN must be an address and port such as 127.0.0.1:8080, not {:?}",
                self.listen
            ));
        }
        if let Some(metrics) = &self.metrics_listen
            && metrics.parse::<std::net::SocketAddr>().is_err()
        {
            return Err(format!(
                "JOBTRACK_METRICS_LISTEN must be an address and port, not {metrics:?}"
            ));
        }
        if let Some(secret) = &self.jwt_secret
            && secret.len() < MIN_SECRET_BYTES
        {
            return Err(format!(
                "JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes (it has {})",
                secret.len()
            ));
        }
        if let Err(e) = self.mail_from.parse::<lettre::message::Mailbox>() {
            return Err(format!(
                "MAIL_FROM must be an address such as \"Jobtrack <no-reply@example.se>\", not {:?} ({e})",
                self.mail_from
            ));
        }
        if let Some(url) = &self.smtp_url
            && let Err(e) = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
        {
            return Err(format!(
                "SMTP_URL must be smtp://host:port or smtps://host (optionally ?tls=required), not {} ({e})",
                without_credentials(url)
            ));
        }
        if !(self.portal_url.starts_with("http://") || self.portal_url.starts_with("https://")) {
            return Err(format!(
                "PORTAL_URL must start with http:// or https://, not {:?}",
                self.portal_url
            ));
        }
        Ok(())
    }
}

/// A signing secret shorter than this is refused (HS256 wants at least its 256 bits).
pub const MIN_SECRET_BYTES: usize = 32;

/// `scheme://user:password@host/…` without `user:password`.
fn without_credentials(url: &str) -> String {
    match url.rsplit_once('@') {
        Some((scheme_and_user, host)) => {
            let scheme = scheme_and_user.split("://").next().unwrap_or("url");
            format!("{scheme}://…@{host}")
        }
        None => url.to_owned(),
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |secret: &Option<String>| secret.as_ref().map(|_| "<redacted>");
        f.debug_struct("Config")
            .field("database_url", &self.database_for_log())
            .field("listen", &self.listen)
            .field("jwt_secret", &redacted(&self.jwt_secret))
            .field(
                "smtp_url",
                &self.smtp_url.as_deref().map(without_credentials),
            )
            .field("mail_from", &self.mail_from)
            .field("mail_dir", &self.mail_dir)
            .field("portal_url", &self.portal_url)
            .field("log_filter", &self.log_filter)
            .field("send_mail", &self.send_mail)
            .field("mail_poll", &self.mail_poll)
            .field("mail_retry_base", &self.mail_retry_base)
            .field("mail_retry_max", &self.mail_retry_max)
            .field("mail_lease", &self.mail_lease)
            .field("cli_password", &redacted(&self.cli_password))
            .field("cors_origins", &self.cors_origins)
            .field("introspection", &self.introspection)
            .field("metrics_listen", &self.metrics_listen)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("record_statements", &self.record_statements)
            .field("consent_sweep", &self.consent_sweep)
            .finish()
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::Config;

    fn with(pairs: &[(&str, &str)]) -> Config {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn the_defaults_are_valid() {
        assert_eq!(with(&[]).validate(), Ok(()));
    }

    #[test]
    fn a_bad_setting_is_named() {
        for (name, value) in [
            ("MAIL_FROM", "not an address"),
            ("SMTP_URL", "http://mail.example.se"),
            ("JWT_SECRET", "short"),
            ("JOBTRACK_LISTEN", "everywhere"),
            ("DATABASE_URL", "mysql://db"),
            ("PORTAL_URL", "portal.example.se"),
        ] {
            let refused = with(&[(name, value)]).validate();
            assert!(
                refused.as_ref().is_err_and(|m| m.starts_with(name)),
                "{name}={value}: {refused:?}"
            );
        }
    }

    #[test]
    fn debug_shows_no_secret() {
        let config = with(&[
            (
                "JWT_SECRET",
                "a-signing-secret-that-is-long-enough-for-hs256",
            ),
            (
                "DATABASE_URL",
                "postgres://jobtrack:db-password@db.internal/jobtrack",
            ),
            ("SMTP_URL", "smtps://mailer:smtp-password@smtp.example.se"),
            ("JOBTRACK_PASSWORD", "cli-password-123"),
        ]);
        let shown = format!("{config:?}");
        for secret in [
            "a-signing-secret",
            "db-password",
            "smtp-password",
            "cli-password",
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("db.internal"), "{shown}");
    }
}
