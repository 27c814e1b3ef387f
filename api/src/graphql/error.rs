//! The one place where domain errors become GraphQL errors with `extensions.code`.
//! `ApiError` deliberately has no `Display`, so async-graphql's blanket conversion from
//! displayable errors can never bypass this mapping.

use async_graphql::ErrorExtensions;

use crate::error::Error;

#[derive(Clone)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        Self(err)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self(err.into())
    }
}

impl From<std::sync::Arc<Error>> for ApiError {
    fn from(err: std::sync::Arc<Error>) -> Self {
        Self(Error::Internal(err.to_string()))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(ApiError(err): ApiError) -> Self {
        let message = match &err {
            Error::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                "internal error".to_owned()
            }
            Error::BadInput { message, .. } => message.clone(),
            other => other.to_string(),
        };
        let code = err.code();
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", code);
            if let Error::BadInput { field, .. } = &err {
                ext.set("field", field.as_str());
            }
            if let Error::RateLimited(seconds) = &err {
                ext.set("retryAfter", *seconds);
            }
            if let Error::NotEligible { unmet, .. } = &err {
                let rules = unmet
                    .iter()
                    .map(|rule| async_graphql::Value::String(rule.clone()))
                    .collect();
                ext.set("unmet", async_graphql::Value::List(rules));
            }
            if let Error::BlockedBy { applications, .. } = &err {
                let ids: Vec<async_graphql::Value> = applications
                    .iter()
                    .map(|id| {
                        async_graphql::Value::String(super::ids::encode("Application", *id).0)
                    })
                    .collect();
                ext.set("applications", async_graphql::Value::List(ids));
            }
        })
    }
}
