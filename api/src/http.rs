//! HTTP: the router, GraphQL over POST, GraphiQL on GET, health checks, body limit,
//! request ids and tracing.

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Extension, Router};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use crate::app::AppState;
use crate::auth::load_actor;
use crate::domain::audit::Reads;
use crate::graphql::context::Viewer;
use crate::graphql::loader::Loader;
use crate::graphql::{AppSchema, build_schema};

pub const BODY_LIMIT_BYTES: usize = 1024 * 1024;

pub fn router(state: AppState) -> Router {
    let schema = build_schema();
    Router::new()
        .route("/graphql", get(graphiql).post(graphql))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/reports/completion.csv", get(crate::csv_export::completion_csv))
        .layer(Extension(schema))
        .with_state(state)
        .layer(
            tower::ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-")
                        .to_owned();
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES)),
        )
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Jobtrack")
            .finish(),
    )
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
        Ok((pending, failed)) => (
            StatusCode::OK,
            format!("ready\nemails_pending {pending}\nemails_failed {failed}\n"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable\n".to_owned(),
        ),
    }
}

/// Reads the bearer token into a viewer: who is asking, read from the database.
pub async fn viewer(state: &AppState, headers: &HeaderMap, client_address: String) -> Viewer {
    let mut viewer = Viewer {
        client_address,
        ..Viewer::default()
    };
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return viewer;
    };
    let Some(token) = value.strip_prefix("Bearer ").map(str::trim) else {
        viewer.token_problem =
            Some("the Authorization header must be `Bearer <access token>`".into());
        return viewer;
    };
    match state.keys.verify(token) {
        Ok(user_id) => match load_actor(&state.db, user_id).await {
            Ok(Some(actor)) => viewer.actor = Some(actor),
            Ok(None) => viewer.token_problem = Some("the user of this token is not active".into()),
            Err(err) => {
                tracing::error!(error = %err, "loading the actor failed");
                viewer.token_problem = Some("could not verify the token; try again".into());
            }
        },
        Err(err) => viewer.token_problem = Some(err.to_string()),
    }
    viewer
}

async fn graphql(
    State(state): State<AppState>,
    Extension(schema): Extension<AppSchema>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let viewer = viewer(&state, &headers, addr.ip().to_string()).await;
    let actor = viewer.actor.clone();
    // Per request and per viewer, so its cache never serves one user's rows to another;
    // the cache also keeps a key fetched in one batching round from being fetched again.
    let loader = DataLoader::with_cache(
        Loader {
            db: state.db.clone(),
            actor: actor.clone(),
            reference: state.reference.clone(),
        },
        tokio::spawn,
        async_graphql::dataloader::HashMapCache::default(),
    );
    let reads = Arc::new(Reads::default());
    let request = request
        .into_inner()
        .data(viewer)
        .data(loader)
        .data(reads.clone())
        .data(state.clone());
    let mut response = schema.execute(request).await;
    // Every read of personal data is logged; a response whose reads could not be logged
    // is not delivered.
    if let Err(err) = reads.flush(&state.db, actor.as_ref()).await {
        tracing::error!(error = %err, "writing the audit log of reads failed");
        let mut failed = async_graphql::ServerError::new("internal error", None);
        failed
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", "INTERNAL");
        return async_graphql::Response::from_errors(vec![failed]).into();
    }
    // Errors raised by async-graphql itself (syntax, validation, limits, coercion)
    // carry no code: they are all about the request the client sent.
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if !has_code {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", "BAD_USER_INPUT");
        }
    }
    response.into()
}
