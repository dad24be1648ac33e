//! The state every request handler and server function shares, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use domain::skills::Taxonomy;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::auth::server::LoginLimiter;

/// Handed to `leptos_routes_with_context` and to the JSON API's router.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub taxonomy: Arc<Taxonomy>,
    /// The search index, derived from the database.
    pub search: Arc<search::SearchIndex>,
    /// The one task that writes to the index; saves wait on it.
    pub indexer: Arc<crate::indexing::Indexer>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Which request header carries the client's address when behind a trusted proxy
    /// (`Fly-Client-IP` on fly.io); `None` uses the socket's peer address.
    pub client_ip_header: Option<http::HeaderName>,
}

impl AppState {
    /// Builds the state and starts the index writer task (so it must run inside the runtime).
    pub fn new(
        leptos_options: LeptosOptions,
        db: DatabaseConnection,
        search: Arc<search::SearchIndex>,
    ) -> Self {
        let indexer = crate::indexing::Indexer::start(db.clone(), Arc::clone(&search));
        Self {
            leptos_options,
            indexer,
            db,
            taxonomy: Arc::new(Taxonomy::builtin()),
            search,
            login_limiter: Arc::new(LoginLimiter::default()),
            client_ip_header: None,
        }
    }
}
