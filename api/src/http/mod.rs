//! HTTP: the router, GraphQL over HTTP (`graphql`), GraphiQL served from the binary
//! (`graphiql`), health checks, metrics, CORS, compression, security headers, the body
//! limit, request ids and tracing.

pub mod graphiql;
pub mod graphql;
pub mod media;

use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Router};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::error::{Error, Result};
use crate::graphql::build_schema;

pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

pub fn router(state: AppState) -> Result<Router> {
    let schema = build_schema();
    let cors = cors(&state.config.cors_origins)?;
    let mut router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphiql/{version}/{file}", get(graphiql::asset))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route(
            "/reports/completion.csv",
            get(crate::csv_export::completion_csv),
        )
        .route(
            "/reports/completion.svg",
            get(crate::report_chart::completion_svg),
        )
        .route(
            "/reports/completion.html",
            get(crate::report_chart::completion_html),
        );
    if state.config.metrics_listen.is_none() {
        router = router.route("/metrics", get(metrics));
    }
    let mut router = router
        .layer(Extension(schema))
        .with_state(state)
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                // The span is DEBUG: entered at INFO, sqlx entered it again for every
                // row it streams (7 % of the server's instructions on a shortlist,
                // counted with callgrind). At INFO each log line names its request
                // (`WithRequestId`).
                .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                    tracing::debug_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id_of(request))
                }))
                .layer(axum::middleware::from_fn(in_request_scope))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("no-referrer"),
                ))
                .layer(CompressionLayer::new())
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES)),
        );
    if let Some(cors) = cors {
        router = router.layer(cors);
    }
    Ok(router)
}

tokio::task_local! {
    static REQUEST_ID: std::sync::Arc<str>;
}

fn id_of<B>(request: &axum::http::Request<B>) -> &str {
    request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
}

/// Runs the rest of the request with its id at hand for [`request_id`].
async fn in_request_scope(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let id = std::sync::Arc::from(id_of(&request));
    REQUEST_ID.scope(id, next.run(request)).await
}

/// The `x-request-id` of the request being served on this task; `None` outside one.
pub fn request_id() -> Option<std::sync::Arc<str>> {
    REQUEST_ID.try_with(std::sync::Arc::clone).ok()
}

/// Log lines' fields as tracing-subscriber writes them, then the `request_id` of the
/// request the line was written in: every line of a request names it, ours and the
/// libraries' alike, without a span per request (at INFO sqlx entered it again for every
/// row it streamed).
#[derive(Default)]
pub struct WithRequestId(tracing_subscriber::fmt::format::DefaultFields);

impl<'writer> tracing_subscriber::fmt::FormatFields<'writer> for WithRequestId {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        mut writer: tracing_subscriber::fmt::format::Writer<'writer>,
        fields: R,
    ) -> std::fmt::Result {
        self.0.format_fields(writer.by_ref(), fields)?;
        match request_id() {
            Some(id) => write!(writer, " request_id={id}"),
            None => Ok(()),
        }
    }
}

/// The router of the separate metrics address (`JOBTRACK_METRICS_LISTEN`).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Browsers on the listed origins may call `/graphql` (and the report download) with
/// a bearer token; any other origin gets no `Access-Control-*` headers, so the browser
/// keeps its page from reading the answer (and from sending JSON at all).
fn cors(origins: &[String]) -> Result<Option<CorsLayer>> {
    if origins.is_empty() {
        return Ok(None);
    }
    let mut allowed = Vec::new();
    for origin in origins {
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let valid = host.is_some_and(|h| {
            !h.is_empty() && !h.contains('/') && !h.chars().any(char::is_whitespace)
        });
        let value = HeaderValue::from_str(origin).ok().filter(|_| valid).ok_or_else(|| {
            Error::Internal(format!(
                "JOBTRACK_CORS_ORIGINS: {origin:?} is not an origin such as https://portal.example.se"
            ))
        })?;
        allowed.push(value);
    }
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                HeaderName::from_static("x-request-id"),
            ])
            .expose_headers([HeaderName::from_static("x-request-id")])
            .max_age(std::time::Duration::from_mins(10)),
    ))
}

/// `GET /metrics`: Prometheus' text format.
async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    match state.metrics.render(&state.db).await {
        Ok(text) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            )],
            text,
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = %err, "rendering metrics failed");
            (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n").into_response()
        }
    }
}

/// Ready when the database answers; also tells how many emails wait or failed.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await.is_err() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable\n".to_owned(),
        );
    }
    match crate::mail::worker::counts(&state.db).await {
        Ok(counts) => (
            StatusCode::OK,
            format!(
                "ready\nemails_pending {}\nemails_failed {}\nemails_oldest_pending_seconds {}\n",
                counts.pending, counts.failed, counts.oldest_pending_seconds
            ),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable\n".to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt as _;

    use super::*;

    /// What a request's log lines name: the id it came with (or was given), and `-`
    /// outside a request.
    #[tokio::test]
    async fn a_request_knows_its_id() {
        let app = Router::new()
            .route(
                "/",
                get(|| async { request_id().as_deref().unwrap_or("none").to_owned() }),
            )
            .layer(
                tower::ServiceBuilder::new()
                    .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                    .layer(axum::middleware::from_fn(in_request_scope)),
            );
        let request = Request::builder()
            .uri("/")
            .header("x-request-id", "from-the-client")
            .body(Body::empty())
            .expect("a request");
        let response = app.oneshot(request).await.expect("an answer");
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .expect("a body");
        assert_eq!(&body[..], b"from-the-client");
        assert_eq!(request_id(), None);
    }

    /// A line written while a request is served ends with its id; one outside names none.
    #[tokio::test]
    async fn a_log_line_names_its_request() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Lines(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Lines {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("lines").extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let lines = Lines::default();
        let writer = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .fmt_fields(WithRequestId::default())
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        REQUEST_ID
            .scope(Arc::from("abc"), async {
                tracing::warn!(user_id = 7, "inside");
            })
            .await;
        tracing::warn!("outside");
        let text = String::from_utf8(lines.0.lock().expect("lines").clone()).expect("text");
        let mut text = text.lines();
        assert!(
            text.next()
                .is_some_and(|l| l.ends_with("inside user_id=7 request_id=abc")),
            "{text:?}"
        );
        assert!(
            text.next().is_some_and(|l| l.ends_with("outside")),
            "{text:?}"
        );
    }
}
