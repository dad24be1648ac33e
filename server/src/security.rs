//! Protections every request and response passes through, in one place: security headers,
//! cross-site request refusal, body size limits, a time limit, and panics turned into answers.
//! `SECURITY.md` lists the values.

use std::time::Duration;

use app::error::AppError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::api::ApiError;

/// What a non-page response may do: nothing. Pages replace it with their own policy, which
/// carries the render's nonce (`app::security::page_policy`).
pub const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
/// How long browsers keep to HTTPS once they have seen it (two years), when served over TLS.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";
/// A request that takes longer is answered 503 and its work dropped.
pub const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Adds the security headers to a response, keeping a page's own Content-Security-Policy.
pub async fn security_headers(
    State(secure_transport): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_POLICY));
    let fixed: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if secure_transport {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}

/// Refuses a state-changing request that a browser says came from another site.
///
/// SameSite=Lax cookies already keep the session off most cross-site posts; this is the second,
/// independent check OWASP recommends, and it also stops log-in CSRF (where the attacker signs
/// the victim into the attacker's account, and no cookie is involved). Browsers send
/// `Sec-Fetch-Site` and `Origin` with every POST, PUT, PATCH and DELETE; a request with neither
/// comes from a program, which has no victim's cookies to ride on.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_site(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = %request.uri().path(),
        "cross-site request refused"
    );
    let lang = app::i18n::language_of_request(request.headers());
    ApiError {
        error: AppError::CrossSite,
        lang,
    }
    .into_response()
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser's headers show the request came from this site (or from no browser).
fn is_same_site(headers: &HeaderMap) -> bool {
    let value = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = value(&HeaderName::from_static("sec-fetch-site")) {
        // "none": the user typed the address or used a bookmark
        return matches!(site, "same-origin" | "none");
    }
    let host = value(&header::HOST);
    let origin_host = |url: &str| {
        url.parse::<axum::http::Uri>()
            .ok()
            .and_then(|uri| uri.authority().map(|a| a.as_str().to_owned()))
    };
    match (value(&header::ORIGIN), value(&header::REFERER)) {
        // an opaque origin ("null": sandboxed frames, data: pages) is never ours
        (Some(origin), _) => host.is_some() && origin_host(origin).as_deref() == host,
        (None, Some(referer)) => host.is_some() && origin_host(referer).as_deref() == host,
        (None, None) => true,
    }
}

/// The most a request body may hold, by what the route takes. Role descriptions are the largest
/// thing anyone types: two of 10,000 characters, which a form post percent-encodes to up to nine
/// bytes a Japanese character.
pub fn body_limit(method: &Method, path: &str) -> usize {
    const KB: usize = 1024;
    if is_safe_method(method) {
        return 16 * KB;
    }
    let roles = path.starts_with("/api/v1/roles") && !path.contains("/applications")
        || path.starts_with("/api/save_role");
    let accounts = matches!(path, "/api/v1/users" | "/api/v1/session")
        || path.starts_with("/api/log_in")
        || path.starts_with("/api/sign_up");
    // the 履歴書's photo: at most 2 MB, with a form's multipart envelope around it
    let photo = path == "/api/v1/me/photo" || path == "/profile/photo";
    // a message's PDF: at most 5 MB, with the text and the multipart envelope
    let message = path.starts_with("/api/v1/applications/") && path.ends_with("/messages")
        || path.starts_with("/applications/") && path.ends_with("/messages");
    if message {
        domain::messaging::MAX_ATTACHMENT_BYTES + 128 * KB
    } else if photo {
        2 * 1024 * KB + 64 * KB
    } else if roles {
        256 * KB
    } else if accounts {
        16 * KB
    } else {
        64 * KB
    }
}

/// Refuses a body larger than its route takes: at once when it says its length, and while
/// reading when it does not.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let limit = body_limit(request.method(), request.uri().path());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return too_large(request.headers());
    }
    let (parts, body) = request.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

fn too_large(headers: &HeaderMap) -> Response {
    let lang = app::i18n::language_of_request(headers);
    let mut response = ApiError {
        error: AppError::TooLarge,
        lang,
    }
    .into_response();
    *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
    // the body was refused unread: the connection cannot carry another request, and a client
    // that reused it would see it cut mid-answer
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a request whose handler panicked: logged, and a 500 like any internal error,
/// so the connection is answered and kept usable.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "request handler panicked");
    ApiError::from(AppError::Internal).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    #[test]
    fn requests_from_this_site_or_from_no_browser_pass() {
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_site(&headers(&[
            ("host", "setubashi.example"),
            ("origin", "https://setubashi.example")
        ])));
        assert!(is_same_site(&headers(&[
            ("host", "127.0.0.1:3000"),
            ("referer", "http://127.0.0.1:3000/login?next=/profile")
        ])));
        assert!(is_same_site(&headers(&[("host", "127.0.0.1:3000")])));
    }

    #[test]
    fn requests_another_site_sent_are_refused() {
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_same_site(&headers(&[
            ("host", "setubashi.example"),
            ("origin", "https://evil.example")
        ])));
        assert!(!is_same_site(&headers(&[
            ("host", "setubashi.example"),
            ("origin", "null")
        ])));
        assert!(!is_same_site(&headers(&[
            ("host", "setubashi.example"),
            ("origin", "https://setubashi.example.evil.example")
        ])));
        assert!(!is_same_site(&headers(&[
            ("host", "setubashi.example"),
            ("referer", "https://evil.example/setubashi.example")
        ])));
    }

    #[tokio::test]
    async fn a_panicking_handler_is_answered_with_an_internal_error() {
        use tower::ServiceExt;
        let router: axum::Router = axum::Router::new()
            .route(
                "/boom",
                axum::routing::get(|| async {
                    // a bug: indexing past the end panics, which is what is tested
                    let parts: Vec<&str> = "one".split(',').collect();
                    parts[3].to_owned()
                }),
            )
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                panic_response,
            ));
        let response = router
            .oneshot(
                axum::http::Request::get("/boom")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("\"code\":\"internal\""));
    }

    #[test]
    fn bodies_are_limited_to_what_each_route_takes() {
        assert_eq!(body_limit(&Method::POST, "/api/v1/users"), 16 * 1024);
        assert_eq!(body_limit(&Method::POST, "/api/log_in"), 16 * 1024);
        assert_eq!(body_limit(&Method::PUT, "/api/v1/roles/3"), 256 * 1024);
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/roles/3/applications"),
            64 * 1024
        );
        assert_eq!(body_limit(&Method::POST, "/api/save_profile"), 64 * 1024);
        assert_eq!(
            body_limit(&Method::PUT, "/api/v1/me/photo"),
            2 * 1024 * 1024 + 64 * 1024
        );
        assert_eq!(
            body_limit(&Method::POST, "/profile/photo/delete"),
            64 * 1024
        );
    }
}
