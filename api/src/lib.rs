//! Jobtrack: the GraphQL backend of a job-track marketplace for Swedish municipalities
//! and the Public Employment Service.

pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod csv_export;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod reference_cache;
pub mod report_chart;
pub mod report_page;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::{Error, Result};

/// `jobtrack serve`: migrate, optionally fill demo data, serve until signalled.
pub async fn serve(config: Config, demo: bool) -> Result<()> {
    let listen = config.listen.clone();
    tracing::info!(database = %config.database_for_log(), "connecting and migrating");
    match &config.smtp_url {
        Some(_) => tracing::info!("mail goes to the SMTP server in SMTP_URL"),
        None => {
            tracing::info!(dir = %config.mail_dir.display(), "SMTP_URL is not set; mail is written as .eml files");
        }
    }
    let state = app::AppState::init(config).await?;
    if demo {
        demo::fill_if_empty(&state.db).await?;
    }
    let listener = TcpListener::bind(&listen)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {listen}: {e}")))?;
    let metrics = match &state.config.metrics_listen {
        Some(address) => Some((
            TcpListener::bind(address)
                .await
                .map_err(|e| Error::Internal(format!("cannot listen on {address}: {e}")))?,
            http::metrics_router(state.clone()),
        )),
        None => None,
    };
    let server = app::start(state, listener)?;
    if let Some((listener, router)) = metrics {
        tracing::info!(address = ?listener.local_addr().ok(), "serving /metrics");
        tokio::spawn(async move { axum::serve(listener, router).await });
    }
    tracing::info!(address = %server.addr, "listening");
    println!(
        "Jobtrack is listening on http://{}  —  GraphiQL: http://{}/graphql",
        server.addr, server.addr
    );
    server.stop_on_signal();
    server.wait().await.map_err(Error::internal)
}
