//! The one error type of the domain. `graphql::error` is the one place that turns it into
//! `extensions.code`; internal errors are logged there and shown as a generic message.

use sea_orm::{DbErr, SqlErr};

#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("you may not do this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{field}: {message}")]
    BadInput { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    InvalidState(String),
    /// INVALID_STATE because of these applications (ids), which the message describes.
    #[error("{message}")]
    BlockedBy {
        message: String,
        applications: Vec<i64>,
    },
    #[error("{0}")]
    ConsentRequired(String),
    /// NOT_ELIGIBLE: every unmet rule, described in the message and named in `unmet`
    /// (`programme`, `targetGroups`, `swedishLevel`, …).
    #[error("{message}")]
    NotEligible { message: String, unmet: Vec<String> },
    #[error("{0}")]
    NoSeats(String),
    /// Over the cost budget; retry after this many seconds.
    #[error("too many expensive requests; try again in {}", seconds(*.0))]
    RateLimited(u64),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// "a" or "an" before `word` as it is read aloud (enum values and type names here:
/// "an INFO_MEETING step", "an Application id", "a User id").
pub fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_uppercase()) {
        Some('A' | 'E' | 'I' | 'O') => "an",
        _ => "a",
    }
}

/// "1 second", "2 seconds".
pub fn seconds(n: u64) -> String {
    if n == 1 {
        "1 second".to_owned()
    } else {
        format!("{n} seconds")
    }
}

impl Error {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::Internal(error.to_string())
    }

    /// The `extensions.code` of this error, as DOMAIN.md lists them.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::InvalidState(_) | Self::BlockedBy { .. } => "INVALID_STATE",
            Self::ConsentRequired(_) => "CONSENT_REQUIRED",
            Self::NotEligible { .. } => "NOT_ELIGIBLE",
            Self::NoSeats(_) => "NO_SEATS",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// The database is the last line of defence: a write that may violate a unique
/// constraint maps it by name where it writes (`domain::unique`); one that slipped
/// through is still a conflict, a foreign-key violation bad input, anything else
/// internal.
impl From<DbErr> for Error {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("this already exists".to_owned())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::bad_input("input", "refers to something that does not exist")
            }
            _ => Self::Internal(err.to_string()),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::{article, seconds};

    #[test]
    fn english_messages_are_grammatical() {
        assert_eq!(article("INFO_MEETING"), "an");
        assert_eq!(article("Application"), "an");
        assert_eq!(article("User"), "a");
        assert_eq!(article("DRAFT"), "a");
        assert_eq!(seconds(1), "1 second");
        assert_eq!(seconds(30), "30 seconds");
    }
}
