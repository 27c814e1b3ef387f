//! Who is calling: the authenticated viewer as an axum extractor. Every handler that
//! acts for someone takes a [`Viewer`]; it holds the client's address (for throttling)
//! and, from the bearer token, the actor read from the database — or why a presented
//! token was not accepted, so the request can say so instead of "sign in".

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};

use super::Actor;
use super::actor::{SignedIn, load_signed_in};
use crate::app::AppState;
use crate::error::{Error, Result};

#[derive(Clone, Default)]
pub struct Viewer {
    pub actor: Option<Actor>,
    /// Why a presented token was not accepted.
    pub token_problem: Option<String>,
    /// The client's address, for login throttling.
    pub client_address: String,
}

impl Viewer {
    /// The signed-in actor, or UNAUTHENTICATED saying what was wrong with the token.
    pub fn actor(&self) -> Result<&Actor> {
        self.actor.as_ref().ok_or_else(|| {
            Error::Unauthenticated(
                self.token_problem
                    .clone()
                    .unwrap_or_else(|| "sign in first".to_owned()),
            )
        })
    }
}

/// Never rejects: a request without a token, or with one that is not accepted, still
/// gets a viewer (without an actor); what needs an actor refuses with UNAUTHENTICATED.
/// Only a token whose signature verifies costs a database read.
impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            // The server always serves with connect info; without it, no address.
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        let client_address =
            client_address(&state.trusted_proxies, peer, &parts.headers).to_string();
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Self {
                client_address,
                ..Self::default()
            });
        };
        let (actor, token_problem) = match authenticate(state, value).await {
            Ok(actor) => (Some(actor), None),
            Err(problem) => (None, Some(problem)),
        };
        Ok(Self {
            actor,
            token_problem,
            client_address,
        })
    }
}

/// The actor an `Authorization` header names, or what is wrong with it.
async fn authenticate(state: &AppState, value: &HeaderValue) -> std::result::Result<Actor, String> {
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or("the Authorization header must be `Bearer <access token>`")?;
    let verified = state.keys.verify(token).map_err(|err| err.to_string())?;
    let unverifiable = |err: Error| {
        tracing::error!(error = %err, "verifying the token failed");
        "could not verify the token; try again".to_owned()
    };
    match load_signed_in(&state.db, verified.user_id, verified.session.as_deref())
        .await
        .map_err(unverifiable)?
    {
        SignedIn::Actor(actor) => Ok(actor),
        SignedIn::SessionEnded => {
            Err("the access token is invalid: its session has ended; sign in again".into())
        }
        SignedIn::NotActive => Err("the access token is invalid: its user is not active".into()),
    }
}

/// JOBTRACK_TRUSTED_PROXIES as addresses; a malformed one stops the server at start.
pub fn trusted_proxies(list: &[String]) -> Result<Vec<IpAddr>> {
    list.iter()
        .map(|p| {
            p.parse::<IpAddr>().map_err(|_unparsable| {
                Error::Internal(format!(
                    "JOBTRACK_TRUSTED_PROXIES: {p:?} is not an IP address"
                ))
            })
        })
        .collect()
}

/// The client's address: the peer, or behind a trusted reverse proxy the nearest
/// address in `X-Forwarded-For` (or `Forwarded: for=`) that is not itself a trusted
/// proxy. A client cannot choose its address by sending the header itself, because the
/// header is read only when the peer is trusted.
fn client_address(trusted: &[IpAddr], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut chain: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        if let Ok(text) = value.to_str() {
            chain.extend(
                text.split(',')
                    .filter_map(|a| a.trim().parse::<IpAddr>().ok()),
            );
        }
    }
    if chain.is_empty() {
        for value in headers.get_all(header::FORWARDED) {
            if let Ok(text) = value.to_str() {
                chain.extend(text.split([',', ';']).filter_map(|part| {
                    let (name, value) = part.trim().split_once('=')?;
                    if !name.trim().eq_ignore_ascii_case("for") {
                        return None;
                    }
                    let value = value.trim().trim_matches('"');
                    let host = match value.strip_prefix('[') {
                        Some(v6) => v6.split(']').next().unwrap_or_default(),
                        None => value.split(':').next().unwrap_or_default(),
                    };
                    host.parse::<IpAddr>().ok()
                }));
            }
        }
    }
    chain
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or_else(|| chain.first())
        .copied()
        .unwrap_or(peer)
}
