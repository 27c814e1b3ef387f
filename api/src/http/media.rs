//! Content negotiation for GraphQL over HTTP: which media type a client accepts (or
//! HTML for a browser, to show GraphiQL), whether a body is JSON, and the body of a
//! request error in the accepted type.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type a response is written in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MediaType {
    /// `application/graphql-response+json`: status codes tell request errors apart.
    GraphQLResponse,
    /// `application/json`: every well-formed GraphQL response is a 200.
    Json,
}

impl MediaType {
    pub fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// What the client accepts, by the `Accept` header's preferences.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Html,
    GraphQL(MediaType),
    Nothing,
}

/// Picks the response type from `Accept`: the highest `q` wins, and on a tie the one
/// listed first. No header, `*/*` and `application/*` mean JSON; HTML is only chosen
/// when named (a browser's address bar).
pub fn negotiate(headers: &HeaderMap) -> Wanted {
    let Some(accept) = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
    else {
        return Wanted::GraphQL(MediaType::Json);
    };
    let mut best: Option<(f32, Wanted)> = None;
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => Wanted::GraphQL(MediaType::GraphQLResponse),
            JSON | "application/*" | "*/*" => Wanted::GraphQL(MediaType::Json),
            "text/html" => Wanted::Html,
            _ => continue,
        };
        if q > 0.0 && best.as_ref().is_none_or(|(best_q, _)| q > *best_q) {
            best = Some((q, candidate));
        }
    }
    best.map_or(Wanted::Nothing, |(_, wanted)| wanted)
}

/// A response that is not from executing a document: a refusal of the HTTP request.
pub fn request_error(media: MediaType, status: StatusCode, message: &str) -> Response {
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": "BAD_USER_INPUT", "field": "request" } }]
    });
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, media.content_type());
    response
}

pub fn not_acceptable() -> Response {
    request_error(
        MediaType::Json,
        StatusCode::NOT_ACCEPTABLE,
        "this endpoint answers application/graphql-response+json or application/json",
    )
}

/// Whether a POST body is declared as JSON (in UTF-8, the only charset JSON has).
pub fn is_json_body(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset_ok = parts.all(|p| {
        let p = p.trim().to_ascii_lowercase();
        !p.starts_with("charset=") || p == "charset=utf-8" || p == "charset=\"utf-8\""
    });
    (media == JSON || media == GRAPHQL_RESPONSE_JSON) && charset_ok
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Wanted {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
        );
        negotiate(&headers)
    }

    #[test]
    fn accept_picks_the_preferred_type() {
        assert_eq!(
            negotiate(&HeaderMap::new()),
            Wanted::GraphQL(MediaType::Json)
        );
        assert_eq!(accept("application/json"), Wanted::GraphQL(MediaType::Json));
        assert_eq!(accept("*/*"), Wanted::GraphQL(MediaType::Json));
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Wanted::GraphQL(MediaType::GraphQLResponse)
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json"),
            Wanted::GraphQL(MediaType::Json)
        );
        assert_eq!(
            accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Wanted::Html
        );
        assert_eq!(accept("image/png"), Wanted::Nothing);
        assert_eq!(accept("application/json;q=0"), Wanted::Nothing);
    }
}
