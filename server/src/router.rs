//! The router: pages and server functions (Leptos), the JSON API, the language switch, health,
//! static files; all behind the session layer.

use app::state::AppState;
use app::{shell, App};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
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
    let provide_state = move || {
        provide_context(context_state.clone());
        // each request its own: the user its session was found to be (see `RequestUser`)
        provide_context(app::auth::server::RequestUser::default());
    };
    let fallback_state = state.clone();
    let secure_transport = state.secure_transport;
    let fallback_cache_state = state.clone();
    let site_files = std::sync::Arc::new(crate::compression::SiteFiles::new(
        &state.leptos_options.site_root,
        &state.leptos_options.site_pkg_dir,
    ));
    Router::new()
        .route(
            "/lang/{code}",
            post(crate::language_switch::switch_language),
        )
        .route("/dev/mail", get(crate::dev_mail::mailbox))
        .route(
            "/unsubscribe/one-click",
            axum::routing::post(crate::unsubscribe::one_click).get(crate::unsubscribe::page),
        )
        // the documents page's photo form, without JavaScript
        .route("/profile/photo", post(crate::api::photo::upload_form))
        .route(
            "/profile/photo/delete",
            post(crate::api::photo::remove_form),
        )
        // the application page's message form, without JavaScript
        .route(
            "/applications/{id}/messages",
            post(crate::api::messages::send_form),
        )
        .route("/livez", get(alive))
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/admin/export/{file}", get(crate::exports::export))
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_context(&state, routes, provide_state.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // counted by route template, so only matched routes (the fallback is not a route)
        .route_layer(from_fn(crate::metrics::record_request))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_context(fallback_state.clone()), shell
        ))
        .layer(sessions)
        // the site's files, compressed once at the best levels (crate::compression)
        .layer(from_fn_with_state(
            site_files,
            crate::compression::kept_site_files,
        ))
        // outermost last: a panic anywhere is answered; every answer gets the headers; a request
        // that runs too long is cut off before it reaches the body and origin checks
        .layer(from_fn(crate::security::refuse_cross_site))
        .layer(from_fn(crate::security::limit_body))
        .layer(from_fn(server_fn_argument_errors))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            crate::security::REQUEST_TIME_LIMIT,
        ))
        .layer(from_fn_with_state(
            secure_transport,
            crate::security::security_headers,
        ))
        .layer(from_fn_with_state(
            fallback_cache_state,
            crate::caching::cache_headers,
        ))
        // brotli or gzip, as the browser asks, at a level fast enough for every answer
        .layer(crate::compression::per_response_layer())
        .layer(CatchPanicLayer::custom(crate::security::panic_response))
        // each request gets an id (or keeps the proxy's), in its log span and in the response
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// A request's log span: its id, method and path. Never the query string (search terms, and
/// e-mail addresses in some links), the headers (cookies) or the body.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Whether an instance should take traffic: its database answers, its index answers, it has
/// caught up with the change log since it started, and its index is not stale.
fn readiness(database: bool, index_readable: bool, index: &app::indexing::IndexStatus) -> bool {
    database && index_readable && index.caught_up && index.staleness < READY_STALENESS
}

/// How far behind the change log an instance may be and still take traffic: a search there
/// may miss changes committed in the last this-long.
const READY_STALENESS: std::time::Duration = std::time::Duration::from_secs(10);

/// Readiness for the load balancer (see [`readiness`]). The body says each part, for an
/// operator.
async fn ready(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, axum::Json<serde_json::Value>) {
    let database = state.db.ping().await.is_ok();
    let index = state.search.clone();
    // a count is the cheapest query that proves the index opens and answers
    let index_readable =
        tokio::task::spawn_blocking(move || index.count(search::Kind::Role).is_ok())
            .await
            .unwrap_or(false);
    let status = state.indexer.status();
    let is_ready = readiness(database, index_readable, &status);
    let code = if is_ready {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        axum::Json(serde_json::json!({
            "ready": is_ready,
            "database": database,
            // whether it answers, not what it holds: this endpoint is public
            "index": index_readable,
            "caught_up": status.caught_up,
            "rebuilding": status.rebuilding,
            "lag_seconds": status.staleness.as_secs_f64(),
        })),
    )
}

/// Answers a server function's bad arguments as the caller's error. server_fn answers every
/// error 500, and the functions' own errors set their status themselves (`with_status`), but
/// arguments that cannot be deserialised never reach them: they arrive here as a 500 carrying
/// `AppError::Transport`, which is a 400.
async fn server_fn_argument_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::StatusCode;
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if matches!(
        serde_json::from_slice::<app::error::AppError>(&bytes),
        Ok(app::error::AppError::Transport(_))
    ) {
        parts.status = StatusCode::BAD_REQUEST;
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Liveness and database reachability, for the platform's health check.
/// The process answers: nothing else is asked (the load benchmark's baseline, and a liveness
/// check that a slow database never fails).
async fn alive() -> &'static str {
    "ok"
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_is_ready_only_with_its_database_its_index_and_a_fresh_index() {
        let fresh = app::indexing::IndexStatus {
            caught_up: true,
            rebuilding: false,
            staleness: std::time::Duration::from_millis(800),
            applied: 0,
            mark: app::indexing::change_log::Mark(1),
        };
        assert!(readiness(true, true, &fresh));
        assert!(!readiness(false, true, &fresh));
        assert!(!readiness(true, false, &fresh));
        let starting = app::indexing::IndexStatus {
            caught_up: false,
            ..fresh
        };
        assert!(!readiness(true, true, &starting));
        let stale = app::indexing::IndexStatus {
            staleness: READY_STALENESS,
            ..fresh
        };
        assert!(!readiness(true, true, &stale));
        let nearly = app::indexing::IndexStatus {
            staleness: READY_STALENESS - std::time::Duration::from_millis(1),
            ..fresh
        };
        assert!(readiness(true, true, &nearly));
    }
}
