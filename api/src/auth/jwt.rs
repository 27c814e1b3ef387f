//! Access tokens: HS256 JWTs with `iss`, `aud`, `exp` (15 minutes), `sub` = user id and
//! `sid` = the session (refresh-token family), so that ending a session ends its access
//! tokens too. The algorithm is pinned; nothing but the two ids is taken from a token.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const ISSUER: &str = "jobtrack";
pub const AUDIENCE: &str = "jobtrack-api";
pub const ACCESS_TOKEN_MINUTES: i64 = 15;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
}

/// What a valid access token says.
pub struct Verified {
    pub user_id: i64,
    /// The session it belongs to; checked against revocation per request.
    pub session: Option<String>,
}

pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn issue(
        &self,
        user_id: i64,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>)> {
        let expires_at = now + Duration::minutes(ACCESS_TOKEN_MINUTES);
        let claims = Claims {
            sub: user_id.to_string(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            sid: Some(session.to_owned()),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(Error::internal)?;
        Ok((token, expires_at))
    }

    /// The user and session of a valid token.
    pub fn verify(&self, token: &str) -> Result<Verified> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|err| {
                Error::Unauthenticated(match err.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                        "the access token has expired; get a new one with refreshToken".into()
                    }
                    _ => "the access token is invalid; sign in again".into(),
                })
            })?;
        let user_id = data.claims.sub.parse().map_err(|_not_a_number| {
            Error::Unauthenticated("the access token is invalid; sign in again".into())
        })?;
        Ok(Verified {
            user_id,
            session: data.claims.sid,
        })
    }
}
