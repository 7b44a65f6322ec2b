//! The Roster server: configuration, database and migrations, the HTTP router (pages, server
//! functions, assets, health), and graceful shutdown. `Application::build` is separate from
//! `main` so tests can start the real thing on port 0.

mod allocator;
mod assets;
mod branding;
pub mod config;
pub mod demo;
mod events;
mod guards;
mod operator;
mod readable;
mod render;
mod routes;
pub mod serve;
mod webhooks;

use app::ssr::{
    database, live,
    mailer::{self, Mailer},
    password_hash,
    state::AppState,
};
use config::Config;
use std::sync::Arc;
use std::{future::Future, net::SocketAddr};
use tokio::net::TcpListener;
use tokio::sync::Notify;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("could not open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("PUBLIC_URL is not a valid URL: {0}")]
    PublicUrl(#[from] url::ParseError),
    #[error("mail: {0}")]
    Mail(String),
    #[error("could not set up the demo: {0}")]
    Demo(app::error::AppError),
    #[error("the key that seals stored secrets: {0}")]
    Secret(String),
}

pub struct Application {
    listener: TcpListener,
    limits: serve::ConnectionLimits,
    router: axum::Router,
    state: AppState,
    mailer: Mailer,
    webhook: Option<config::WebhookTarget>,
    demo: bool,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        render::init();
        let db = database::connect(&config.database_url).await?;
        sqlx::migrate!("../migrations").run(&db).await?;
        let listener = TcpListener::bind(config.listen_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: config.listen_addr,
                source,
            })?;
        let local = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: config.listen_addr,
            source,
        })?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None => url::Url::parse(&format!("http://{local}"))?,
        };
        let mailer = match &config.smtp_url {
            Some(url) => Mailer::smtp(url, &config.mail_from),
            None => Mailer::files(config.mail_dir.clone(), &config.mail_from),
        }
        .map_err(StartupError::Mail)?;
        if config.secret_key.is_none() && config.database_url.starts_with("postgres") {
            // Each replica would make a key of its own and could not open the others' secrets.
            return Err(StartupError::Secret(
                "with PostgreSQL, set ROSTER_SECRET_KEY (the same on every replica)".into(),
            ));
        }
        let key =
            app::ssr::secrets::load_key(config.secret_key.as_deref(), &config.secret_key_file)
                .map_err(StartupError::Secret)?;
        let state = AppState {
            secrets: app::ssr::secrets::Secrets::new(&key),
            ai: app::ssr::ai::AiClient::new(config.ai_timeout, config.ai_allow_private),
            live: live::Hub::start(db.clone(), config.stream_recheck),
            db,
            public_url,
            clock: config.clock.clone().unwrap_or_default(),
            mail_wake: Arc::new(Notify::new()),
            throttle: app::ssr::throttle::Throttle::new(config.rate_limits),
            client_ip_header: config.client_ip_header.clone(),
        };
        if config.demo {
            demo::seed(&state).await.map_err(StartupError::Demo)?;
        }
        // The first sign-in of an unknown email should not pay for building the decoy hash.
        tokio::task::spawn_blocking(password_hash::warm_up);
        let router = routes::router(
            state.clone(),
            config.leptos.clone(),
            operator::OperatorTokens::new(&config.operator_tokens),
        );
        Ok(Self {
            listener,
            limits: serve::fit_to_open_files(config.connections),
            router,
            state,
            mailer,
            webhook: config.webhook.clone(),
            demo: config.demo,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves (and delivers mail) until `shutdown` completes, then finishes the requests in
    /// flight and the delivery in progress.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let stop_mail = Arc::new(Notify::new());
        let worker = tokio::spawn(mailer::run(
            self.state.db.clone(),
            self.state.clock.clone(),
            self.mailer,
            self.state.live.clone(),
            self.state.mail_wake.clone(),
            stop_mail.clone(),
        ));
        let stop_webhooks = Arc::new(Notify::new());
        let webhooks = tokio::spawn(webhooks::run(
            self.state.db.clone(),
            self.state.clock.clone(),
            self.webhook,
            self.state.live.clone(),
            stop_webhooks.clone(),
        ));
        let demo = self.demo.then(|| {
            tokio::spawn(demo::back_office(
                self.state.db.clone(),
                self.state.clock.clone(),
                self.state.live.clone(),
            ))
        });
        // Sign-in limits keep a bucket per recent account and address; full ones are dropped.
        let throttle = self.state.throttle.clone();
        let forgetting = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                throttle.forget_idle();
            }
        });
        let hub = self.state.live.clone();
        let shutdown = async move {
            shutdown.await;
            // Open event streams would otherwise keep the graceful shutdown waiting forever.
            hub.close_all();
        };
        serve::serve(
            self.listener,
            self.router,
            self.limits,
            shutdown,
            std::time::Duration::from_secs(30),
        )
        .await;
        forgetting.abort();
        stop_mail.notify_one();
        stop_webhooks.notify_one();
        let _ = worker.await;
        if let Some(demo) = demo {
            demo.abort();
        }
        let _ = webhooks.await;
        self.state.db.close().await;
        Ok(())
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM (what service managers and orchestrators send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
