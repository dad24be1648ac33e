//! The router: pages and server functions (Leptos), the JSON API, the language switch, health,
//! static files; all behind the session layer.

use app::state::AppState;
use app::{shell, App};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_sessions::SessionManagerLayer;

use crate::sessions::DbSessionStore;

/// The app's routes, generated once per process.
///
/// Generating them renders the app with resource loading suppressed through a *process-wide*
/// flag (leptos_server's `SuppressResourceLoad`): a resource first polled by another request while
/// that flag is up waits forever (leptos issue #4773). A server generates its routes once before
/// serving, but tests start many apps in one process while others are rendering pages — which is
/// what made a page render hang, rarely, in the test suite. Generating them once closes that window.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application. Tests drive it directly; `main` serves it.
pub fn app_router(state: AppState, sessions: SessionManagerLayer<DbSessionStore>) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let fallback_state = state.clone();
    Router::new()
        .route("/lang/{code}", get(crate::language_switch::switch_language))
        .route("/healthz", get(health))
        .route("/admin/export/{file}", get(crate::exports::export))
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_context(fallback_state.clone()), shell
        ))
        .layer(sessions)
        .with_state(state)
}

/// Liveness and database reachability, for the platform's health check.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::http::StatusCode {
    match state.db.ping().await {
        Ok(()) => axum::http::StatusCode::OK,
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
