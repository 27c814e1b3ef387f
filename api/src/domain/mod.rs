//! The rules of Jobtrack: policy (who may), validation, state changes, audit — no GraphQL
//! types. Each mutation is one function doing the whole change in one transaction.

pub mod admission;
pub mod agreements;
pub mod audit;
pub mod calendar;
pub mod candidates;
pub mod contacts;
pub mod eligibility;
pub mod employers;
pub mod identifiers;
pub mod matching;
pub mod needs;
pub mod notifications;
pub mod outbox;
pub mod pagination;
pub mod policy;
pub mod reference;
pub mod reports;
pub mod tracks;
pub mod unique;
pub mod users;
pub mod values;
pub mod views;

use crate::error::{Error, Result};

/// Trims a required text input and checks its length.
pub fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::bad_input(field, "is required"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(Error::bad_input(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Trims an optional text input; empty becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max_chars: usize) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() > max_chars => Err(Error::bad_input(
            field,
            format!("must be at most {max_chars} characters"),
        )),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

/// A light check of an email address's shape; delivery is the real test.
pub fn email_address(field: &str, value: &str) -> Result<String> {
    let email = value.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(Error::bad_input(field, "is not an email address"))
    }
}

/// As [`email_address`] for an optional one: blank or left out is `None`.
pub fn optional_email_address(field: &str, value: Option<&str>) -> Result<Option<String>> {
    value
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| email_address(field, e))
        .transpose()
}

pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;

/// A case-insensitive "contains" match on a column holding lowercased text; `%`, `_`
/// and `\\` in the needle are matched literally.
pub fn contains_folded<C: sea_orm::ColumnTrait>(
    column: C,
    needle: &str,
) -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{ExprTrait, LikeExpr};
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::Expr::col(column).like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
}
