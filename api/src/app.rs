//! Application state and start-up: connect, migrate, resolve the signing secret, serve.

use crate::db::Db;
use std::net::SocketAddr;
use std::sync::Arc;

use jobtrack_entity::setting;
use jobtrack_migration::{Migrator, MigratorTrait};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::auth::jwt::Keys;
use crate::config::Config;
use crate::error::{Error, Result};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: Arc<Keys>,
    pub config: Arc<Config>,
    /// Their text, when `Config::record_statements` is set.
    statement_log: Arc<std::sync::Mutex<Vec<String>>>,
    pub reference: Arc<crate::reference_cache::Reference>,
    pub metrics: Arc<crate::metrics::Metrics>,
    pub budgets: Arc<crate::graphql::budget::Budgets>,
    /// JOBTRACK_TRUSTED_PROXIES, parsed once at start.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
}

impl AppState {
    /// Connects, migrates and resolves the JWT secret.
    pub async fn init(config: Config) -> Result<Self> {
        let mut db = crate::db::connect(&config.database_url).await?;
        let metrics = Arc::new(crate::metrics::Metrics::new()?);
        let counted = metrics.clone();
        let statement_log = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = config.record_statements.then(|| statement_log.clone());
        db.set_metric_callback(move |info| {
            counted.statement(info.elapsed);
            if let Some(log) = &log
                && let Ok(mut log) = log.lock()
            {
                log.push(info.statement.sql.clone());
            }
        });
        Migrator::up(db.orm(), None).await?;
        let secret = match &config.jwt_secret {
            Some(secret) => secret.clone().into_bytes(),
            None => stored_secret(&db).await?,
        };
        let reference = Arc::new(crate::reference_cache::Reference::load(&db).await?);
        let trusted_proxies = crate::auth::trusted_proxies(&config.trusted_proxies)?.into();
        Ok(Self {
            db,
            keys: Arc::new(Keys::new(&secret)),
            config: Arc::new(config),
            statement_log,
            reference,
            metrics,
            budgets: Arc::default(),
            trusted_proxies,
        })
    }

    pub fn statement_count(&self) -> u64 {
        self.metrics.statement_count()
    }

    /// The statements recorded since the last call (empty unless
    /// `Config::record_statements`).
    pub fn take_statements(&self) -> Vec<String> {
        self.statement_log
            .lock()
            .map(|mut log| std::mem::take(&mut *log))
            .unwrap_or_default()
    }
}

/// The signing secret kept in the database, generated on first use. Two processes
/// starting at once agree: the first insert wins and both read it back.
async fn stored_secret(db: &Db) -> Result<Vec<u8>> {
    const KEY: &str = "jwt_secret";
    if let Some(row) = setting::Entity::find_by_id(KEY.to_owned()).one(db).await? {
        return Ok(row.value.into_bytes());
    }
    let mut bytes = [0_u8; 48];
    rand::thread_rng().fill_bytes(&mut bytes);
    setting::Entity::insert(setting::ActiveModel {
        key: Set(KEY.to_owned()),
        value: Set(hex::encode(bytes)),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    tracing::warn!(
        "JWT_SECRET is not set; using a secret generated once and stored in the database"
    );
    let row = setting::Entity::find_by_id(KEY.to_owned()).one(db).await?;
    row.map(|r| r.value.into_bytes())
        .ok_or_else(|| Error::Internal("secret not stored".into()))
}

/// A running server: its address, state, and a handle to stop it gracefully.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: watch::Sender<bool>,
    handle: JoinHandle<std::io::Result<()>>,
    mail_worker: Option<JoinHandle<()>>,
    housekeeping: Option<JoinHandle<()>>,
}

/// Background work that is due by the clock rather than by a request: consents that run
/// out (see `domain::candidates::lapse_expired`). Stops with the server.
fn spawn_housekeeping(
    db: Db,
    every: std::time::Duration,
    mut stopped: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match crate::domain::candidates::lapse_expired(&db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(applications = n, "withdrawn: consent ran out"),
                Err(err) => tracing::warn!(error = %err, "the consent sweep failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                _ = stopped.wait_for(|s| *s) => return,
            }
        }
    })
}

impl Server {
    /// Stops accepting, lets in-flight requests and an in-flight email finish, and waits.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.handle.await;
        for worker in [self.mail_worker, self.housekeeping].into_iter().flatten() {
            let _ = worker.await;
        }
    }

    /// Waits until the server stops (on SIGTERM or ctrl-c when started by `serve`).
    pub async fn wait(self) -> std::io::Result<()> {
        let served = self.handle.await.map_err(std::io::Error::other)?;
        for worker in [self.mail_worker, self.housekeeping].into_iter().flatten() {
            let _ = worker.await;
        }
        served
    }
}

/// Serves `state` on `listener` until stopped.
pub fn start(state: AppState, listener: TcpListener) -> Result<Server> {
    let addr = listener.local_addr().map_err(Error::internal)?;
    let (shutdown, mut stopped) = watch::channel(false);
    let mail_worker = if state.config.send_mail {
        let mailer = crate::mail::transport::Mailer::from_config(&state.config)?;
        let timing = crate::mail::worker::Timing {
            poll: state.config.mail_poll,
            retry_base: state.config.mail_retry_base,
            retry_max: state.config.mail_retry_max,
            lease: state.config.mail_lease,
        };
        Some(crate::mail::worker::spawn(
            state.db.clone(),
            mailer,
            timing,
            shutdown.subscribe(),
        ))
    } else {
        None
    };
    let housekeeping = state
        .config
        .consent_sweep
        .map(|every| spawn_housekeeping(state.db.clone(), every, shutdown.subscribe()));
    let router = crate::http::router(state.clone())?;
    let handle = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.wait_for(|s| *s).await;
        })
        .await
    });
    Ok(Server {
        addr,
        state,
        shutdown,
        handle,
        mail_worker,
        housekeeping,
    })
}

/// Resolves when the process is asked to stop (ctrl-c or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

impl Server {
    /// Stops gracefully when the process is signalled.
    pub fn stop_on_signal(&self) {
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutting down; letting in-flight requests finish");
            let _ = shutdown.send(true);
        });
    }
}
