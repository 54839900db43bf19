//! `casebook serve`: the case library in a browser and a JSON API for helpdesks, over the same
//! store the CLI reads.
//!
//! Takes an open [`Store`], the rules ([`Config`]) and [`Options`]; gives an axum [`Router`]
//! ([`router`]) and a server loop ([`run`]). Every answer is built with the library's own
//! functions (`Store::search`, `Store::get`, `suggest::suggest`, `kb::build`, `Store::stats`),
//! passed through [`publish`] (the KB's PII guard unless `--keep-pii`), and rendered either as
//! the CLI's `--json` shapes (`api`) or as server-rendered minijinja pages (`pages`, templates
//! under `templates/web/`).
//!
//! - `security`: loopback-or-token rule, Bearer auth, id/slug validation, response headers.
//! - `live`: follows the store's commits so a concurrent `casebook ingest` shows up.
//! - `i18n`: the zh/en UI strings and `Accept-Language` negotiation.
//! - `views`: what a page shows that the stored case does not say directly (field sources,
//!   snippet segments, facet links).
//!
//! Nothing here writes to the store: the server never takes the writer lock.

mod api;
pub mod i18n;
mod live;
mod pages;
pub mod publish;
pub mod security;
mod state;
pub mod views;
mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

use crate::config::Config;
use crate::index::Store;
pub use state::AppState;

/// Request bodies larger than this get 413 (a pasted ticket or one `.eml` is far smaller).
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// How often the server looks for a new commit of the store.
pub const RELOAD_EVERY: Duration = Duration::from_millis(250);

/// How `casebook serve` runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    /// Required on any address but loopback; when set, every request must carry it.
    pub token: Option<String>,
    /// Show names, addresses and phone numbers the store holds (the KB guard is skipped).
    pub keep_pii: bool,
    pub max_body: usize,
    pub reload_every: Duration,
}

impl Options {
    pub fn new(addr: SocketAddr) -> Options {
        Options {
            addr,
            token: None,
            keep_pii: false,
            max_body: MAX_BODY_BYTES,
            reload_every: RELOAD_EVERY,
        }
    }
}

/// Why the server would not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "{addr} is not a loopback address: refusing to serve the case library to the network \
         without a token (pass --token T or set CASEBOOK_TOKEN; clients then send \
         `Authorization: Bearer T`)"
    )]
    NeedsToken { addr: SocketAddr },
    #[error("the token must be at least {min} characters")]
    ShortToken { min: usize },
    #[error(
        "{store}: its cases hold names or addresses (ingested with --keep-pii); serve it with \
         --keep-pii, or ingest again without it"
    )]
    Unredacted { store: PathBuf },
    #[error("{addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] crate::Error),
    #[error("web templates: {0}")]
    Template(String),
}

/// The routes, with auth, limits and security headers.
pub fn router(state: Arc<AppState>, max_body: usize) -> Router {
    let routes = Router::new()
        .route("/", get(pages::search))
        .route("/cases/{id}", get(pages::case))
        .route("/suggest", get(pages::suggest_form).post(pages::suggest))
        .route("/kb", get(pages::kb_index))
        .route("/kb/{slug}", get(pages::kb_article))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/static/{file}", get(pages::asset))
        .route("/api/search", get(api::search))
        .route("/api/cases/{id}", get(api::case))
        .route("/api/suggest", post(api::suggest))
        .route("/api/stats", get(api::stats))
        .route("/api/kb", get(api::kb_index))
        .route("/api/kb/{slug}", get(api::kb_article))
        .route("/healthz", get(api::healthz))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed);
    routes
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::authorize,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Checks the options, makes the state and serves on `listener` until `shutdown` resolves. The
/// store's commits are followed every `reload_every`.
pub async fn run(
    store: Store,
    config: Config,
    options: Options,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let state = Arc::new(AppState::new(store, config, &options)?);
    let watcher = tokio::spawn(live::follow(state.clone(), options.reload_every));
    let app = router(state, options.max_body);
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    served.map_err(|source| ServeError::Bind {
        addr: options.addr,
        source,
    })
}
