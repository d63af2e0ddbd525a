//! Putting the server together: open the store, build the router, serve.

use crate::auth::require_session;
use crate::caching;
use crate::config::Config;
pub use crate::config::LogFormat;
use crate::http;
use crate::private_files;
use crate::security;
use crate::telemetry::{self, Telemetry};
use anyhow::Context;
use app::{shell, App, AppState};
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Extension;
use axum::Router;
use collector::Collector;
use leptos::config::{get_configuration, LeptosOptions};
use leptos_axum::{generate_route_list, LeptosRoutes};
use overview::OverviewService;
use registry::clusters::ClusterService;
use registry::secrets::SecretBox;
use registry::users::UserService;
use std::net::SocketAddr;
use std::sync::Arc;
use store::db;
use tower_http::compression::CompressionLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

const SESSION_COOKIE: &str = "sro_session";
const SESSION_TABLE: &str = "sessions";

/// The opened stores and services, before any socket is bound.
pub struct Prepared {
    pub state: AppState,
    pub sessions: SqliteStore,
    /// The bootstrap admin password when this start generated one.
    pub generated_admin_password: Option<String>,
}

/// Opens the database, the key and the services; creates `admin` on a fresh
/// database. The collector announces its ticks to the overview's alerts task.
pub async fn prepare(config: &Config, leptos_options: LeptosOptions) -> anyhow::Result<Prepared> {
    if config.database_url.is_none() {
        private_files::directory(&config.data_dir)?;
    }
    let url = config.database_url();
    if let Some(file) = private_files::sqlite_path(&url) {
        private_files::file(&file)?;
    }
    let pool = db::connect(&url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let sealed = registry::clusters::sealed_password_count(&pool)
        .await
        .context("cannot read the cluster registry")?;
    let sealed_channels = notify::channels::sealed_count(&pool)
        .await
        .context("cannot read the notification channels")?;
    let (secrets, new_key) =
        SecretBox::load_or_create(&config.secret_key_path(), sealed + sealed_channels)?;
    private_files::tighten(&config.secret_key_path())?;
    let sessions = SqliteStore::new(pool.clone())
        .with_table_name(SESSION_TABLE)
        .map_err(anyhow::Error::msg)
        .context("cannot set up the session store")?;
    sessions
        .migrate()
        .await
        .context("cannot create the session table")?;
    let users = UserService::new(pool.clone())
        .await
        .context("cannot read the accounts")?;
    let generated_admin_password = users
        .bootstrap_admin(config.admin_password.as_deref())
        .await
        .context("cannot create the first account")?;
    let clusters = ClusterService::new(pool.clone(), secrets.clone(), config.starrocks_timeouts());
    if new_key {
        clusters
            .reseal_empty_passwords()
            .await
            .context("cannot seal the empty cluster passwords with the new key")?;
    }
    let (ticks, tick_listener) = store::ticks::channel();
    let collector = Collector::new(
        pool.clone(),
        clusters.clone(),
        config.collector(),
        Some(ticks),
    )
    .await
    .context("cannot set up the collector")?;
    let overview = OverviewService::new(
        pool.clone(),
        clusters.clone(),
        (config.collect_interval_s * 1000) as i64,
        config.max_points,
    );
    overview.spawn_alerts(tick_listener);
    let queries = overview::queries::QueryService::new(pool.clone(), clusters.clone())
        .context("cannot set up the query service")?;
    if config.public_url.is_none() {
        tracing::warn!(
            "--public-url is not set: notifications will not link to the cluster's overview"
        );
    }
    let sender = notify::Sender::new(pool.clone(), secrets.clone(), config.notify());
    let notify = notify::NotifyService::new(pool.clone(), secrets, sender);
    let state = AppState {
        notify,
        leptos_options,
        clusters,
        collector,
        overview,
        queries,
        users,
        pool,
        api_operations: Arc::new(http::openapi::operations()),
        trusted_proxies: Arc::new(config.trusted_proxy.clone()),
    };
    Ok(Prepared {
        state,
        sessions,
        generated_admin_password,
    })
}

/// The whole HTTP surface: REST API, server functions, pages, static files,
/// all behind the session guard; beside it the probes `/healthz` and
/// `/readyz`, and `/metrics` (behind the guard unless `--metrics-public`).
/// Every request is logged at debug and counted.
pub fn router(prepared: &Prepared, config: &Config) -> Router {
    let state = prepared.state.clone();
    let telemetry = Arc::new(Telemetry::new(&state));
    let routes = generate_route_list(App);
    let session_layer = SessionManagerLayer::new(prepared.sessions.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookie)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(i64::from(
            config.session_hours,
        ))));
    let options = state.leptos_options.clone();
    let site = std::path::Path::new(options.site_root.as_ref());
    let mut private = Router::new()
        .merge(http::api_router())
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            caching::static_files(&site.join(options.site_pkg_dir.as_ref())),
        )
        .nest_service("/assets", caching::static_files(&site.join("assets")))
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));
    let mut public = Router::new()
        .route("/healthz", get(telemetry::healthz))
        .route("/readyz", get(telemetry::readyz));
    if config.metrics_public {
        public = public.route("/metrics", get(telemetry::metrics));
    } else {
        private = private.route("/metrics", get(telemetry::metrics));
    }
    private
        // Inside the guard: the account's language needs the signed-in user.
        .layer(axum::middleware::from_fn(crate::locale::choose))
        .layer(axum::middleware::from_fn(http::server_fns::error_status))
        .layer(from_fn_with_state(state.clone(), require_session))
        .layer(session_layer)
        .merge(public)
        .layer(axum::middleware::from_fn(security::guard))
        .layer(axum::middleware::from_fn(caching::no_store_by_default))
        .layer(axum::middleware::from_fn(telemetry::observe))
        .layer(Extension(telemetry))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The Leptos settings: from the workspace's Cargo.toml, found in the current
/// directory or the nearest one above it (tests run in their crate's
/// directory), else from the LEPTOS_* environment that cargo-leptos documents.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    for dir in cwd.ancestors() {
        let file = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !text.contains("[[workspace.metadata.leptos]]") {
            continue;
        }
        let mut options = leptos::config::get_config_from_str(&text)
            .with_context(|| format!("cannot read the Leptos settings in {}", file.display()))?;
        // The site is beside that Cargo.toml, wherever the server started.
        if dir != cwd && std::env::var_os("LEPTOS_SITE_ROOT").is_none() {
            options.site_root = dir.join(&*options.site_root).to_string_lossy().into();
        }
        return Ok(options);
    }
    get_configuration(None).map(|c| c.leptos_options).context(
        "cannot read the Leptos configuration (start inside the repository, \
         or set LEPTOS_OUTPUT_NAME and LEPTOS_SITE_ROOT)",
    )
}

/// Logs to standard error at `level` (a level or a tracing directive), as
/// text for people or JSON lines for log shippers.
pub fn init_logging(level: &str, format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    init_logging(&config.log_level, config.log_format);
    let prepared = prepare(&config, leptos_options()?).await?;
    if let Some(pw) = &prepared.generated_admin_password {
        // Printed once, on the start that created the account; the hash is all that is kept.
        tracing::warn!(
            "created the first account: user `admin`, password `{pw}`; it must be changed at the first sign-in"
        );
    }
    // Kept alive for as long as the server runs.
    let _demo = if crate::demo::wanted(&config, &prepared.state.clusters)
        .await
        .context("cannot list the registered clusters")?
    {
        Some(crate::demo::start(&prepared.state.clusters).await?)
    } else {
        None
    };
    if config.no_collector {
        tracing::warn!("the collector is off (--no-collector): no new history is recorded");
    } else {
        prepared.state.collector.spawn();
    }
    // Delivery goes on without the collector: what is in the outbox (or
    // failed before a restart) still goes out.
    prepared.state.notify.sender().spawn();
    let sessions = prepared.sessions.clone();
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        if let Err(e) = sessions
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600))
            .await
        {
            tracing::warn!(error = %e, "expired-session cleanup stopped");
        }
    });
    let app = router(&prepared, &config);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    tracing::info!("serving on http://{}", config.listen);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
