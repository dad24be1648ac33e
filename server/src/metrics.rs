//! Prometheus metrics, served on their own listener (`SETUBASHI_METRICS_ADDR`, e.g.
//! `0.0.0.0:9091` on fly's private network, where fly's `[metrics]` scraper reads them), never
//! on the public port: per-route counts and latencies show what people use and when.
//!
//! Recorded: `setubashi_http_requests_total` and `setubashi_http_request_seconds` by method,
//! route template (`/api/v1/roles/{id}`, never the concrete path) and status class; the search
//! crate's `setubashi_search_seconds`; role searches answered from a kept page or not
//! (`setubashi_search_pages_total` by `kept`) and dashboard views the same way
//! (`setubashi_dashboard_views_total`); the indexer's `setubashi_index_changes_applied_total` and
//! `setubashi_index_round_seconds`; login throttling (`setubashi_login_throttled_total`). At
//! each scrape: the index's staleness, mark and document counts, the change log's size, and the
//! database pool's connections.

use std::sync::OnceLock;
use std::time::Instant;

use app::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::ConnectionTrait;

/// The process's recorder, installed on first use (however many routers a test builds);
/// `None` if another recorder was installed first.
pub fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), &buckets)
                .and_then(|builder| builder.install_recorder())
                .inspect_err(|err| tracing::error!(error = %err, "no metrics recorder"))
                .ok()
        })
        .as_ref()
}

/// Counts and times every request by its route template.
pub async fn record_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = format!("{}xx", response.status().as_u16() / 100);
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("setubashi_http_requests_total", &labels).increment(1);
    metrics::histogram!("setubashi_http_request_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> String {
    let status = state.indexer.status();
    metrics::gauge!("setubashi_index_staleness_seconds").set(status.staleness.as_secs_f64());
    metrics::gauge!("setubashi_index_mark").set(status.mark.0 as f64);
    metrics::gauge!("setubashi_index_rebuilding").set(f64::from(u8::from(status.rebuilding)));
    for (kind, label) in [
        (search::Kind::Engineer, "engineer"),
        (search::Kind::Role, "role"),
    ] {
        if let Ok(count) = state.search.count(kind) {
            metrics::gauge!("setubashi_index_documents", "kind" => label).set(count as f64);
        }
    }
    if let Ok((rows, oldest)) =
        app::indexing::change_log::pending(&state.db, app::indexing::change_log::Mark(0)).await
    {
        metrics::gauge!("setubashi_change_log_rows").set(rows as f64);
        metrics::gauge!("setubashi_change_log_oldest_seconds")
            .set(oldest.map_or(0.0, |age| age.as_secs_f64()));
    }
    if let Ok((behind, _)) = app::indexing::change_log::pending(&state.db, status.mark).await {
        metrics::gauge!("setubashi_change_log_rows_at_or_above_mark").set(behind as f64);
    }
    let (size, idle) = pool_connections(&state.db);
    metrics::gauge!("setubashi_db_connections", "state" => "open").set(f64::from(size));
    metrics::gauge!("setubashi_db_connections", "state" => "idle").set(idle as f64);
    handle().map(PrometheusHandle::render).unwrap_or_default()
}

fn pool_connections(db: &sea_orm::DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    }
}
