//! The HTTP server loop: axum's router on hyper, with the connection limits `axum::serve` does
//! not set.
//!
//! `axum::serve` gives hyper no timer, so hyper's header-read timeout never fires: a client that
//! opens a connection and sends a request head without its final CRLF (or nothing at all) holds
//! a connection and a task for as long as it likes, and a few thousand of them exhaust the
//! process. Here every connection must deliver each request head within
//! [`HEADER_READ_TIMEOUT`], and that clock also runs while a kept-alive connection sits idle
//! between requests, so idle connections are closed too.

use std::future::Future;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long a client has to send a request's head, and how long an idle connection stays open.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long requests in flight may take to finish once shutdown begins.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
/// How long, once shutdown begins, kept-alive connections are still served (each answer saying
/// `Connection: close`) before idle ones are closed. Closing an idle keep-alive connection at
/// once races a client that is just sending its next request on it: that request would get no
/// answer. Clients that are active in this second learn to reconnect (elsewhere) instead.
pub const LAME_DUCK: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` completes, then lets requests in flight
/// finish (for at most [`SHUTDOWN_GRACE`]). Handlers see the peer's address as
/// `ConnectInfo<SocketAddr>`, as with axum's own `serve`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(HEADER_READ_TIMEOUT));
    let graceful = GracefulShutdown::new();
    let draining = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    tokio::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // out of file descriptors, say: wait a moment rather than spin
                    tracing::warn!(error = %err, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // streamed pages are written in several chunks: without TCP_NODELAY, Nagle's
        // algorithm holds each small chunk back until the client's delayed ACK (~40 ms a page)
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "could not set TCP_NODELAY");
        }
        let closing = draining.clone();
        let service = router
            .clone()
            .map_request(move |mut request: axum::extract::Request<_>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            })
            .map_response(move |mut response: axum::response::Response| {
                if closing.load(std::sync::atomic::Ordering::Relaxed) {
                    response.headers_mut().insert(
                        axum::http::header::CONNECTION,
                        axum::http::HeaderValue::from_static("close"),
                    );
                }
                response
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, %remote, "connection ended with an error");
            }
        });
    }
    // stop accepting; serve what comes on open connections a moment longer, telling each to close
    drop(listener);
    draining.store(true, std::sync::atomic::Ordering::Relaxed);
    tokio::time::sleep(LAME_DUCK).await;
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period; stopping");
    }
    Ok(())
}
