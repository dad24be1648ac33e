//! How long browsers and proxies may keep each answer.
//!
//! The wasm, JavaScript and CSS under `/pkg/` carry a hash of their content in their names
//! (cargo-leptos' `hash-files`), so a new build has new names and the old ones may be kept for
//! a year without asking again. Other files from `public/` are kept for a day. Pages and API
//! answers hold people's data and are never stored (a shared computer's cache, a proxy).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// A year: what browsers accept as "for ever" for a file whose name changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Static files whose names do not change with their content.
pub const STATIC: &str = "public, max-age=86400";
/// Site files without hashed names (a build without `hash-files`): ask every time, and get a
/// 304 when unchanged.
pub const REVALIDATE: &str = "no-cache";
/// Pages and API answers.
pub const PRIVATE: &str = "no-store";

/// The `Cache-Control` value for a successful answer to `path`.
pub fn policy(path: &str, hashed_names: bool, site_pkg_dir: &str) -> &'static str {
    let in_pkg = path
        .strip_prefix('/')
        .and_then(|rest| rest.strip_prefix(site_pkg_dir))
        .is_some_and(|rest| rest.starts_with('/'));
    if in_pkg {
        if hashed_names {
            IMMUTABLE
        } else {
            REVALIDATE
        }
    } else if is_public_file(path) {
        STATIC
    } else {
        PRIVATE
    }
}

/// Files served from `public/` (icons, robots.txt): a name with an extension at the root.
fn is_public_file(path: &str) -> bool {
    let name = path.trim_start_matches('/');
    !name.contains('/')
        && name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| matches!(ext, "ico" | "png" | "svg" | "txt" | "webmanifest"))
}

/// Sets `Cache-Control` on every answer that did not choose its own; errors are never kept.
pub async fn cache_headers(
    State(state): State<app::state::AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let value = if response.status().is_success() || response.status().is_redirection() {
        policy(
            &path,
            state.leptos_options.hash_files,
            &state.leptos_options.site_pkg_dir[..],
        )
    } else {
        PRIVATE
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_site_files_are_kept_for_a_year_and_pages_never() {
        assert_eq!(policy("/pkg/setubashi.a1b2c3.wasm", true, "pkg"), IMMUTABLE);
        assert_eq!(policy("/pkg/setubashi.js", false, "pkg"), REVALIDATE);
        assert_eq!(policy("/favicon.ico", true, "pkg"), STATIC);
        for page in [
            "/",
            "/jobs",
            "/applications/3",
            "/api/v1/me",
            "/pkgs/x.wasm",
            "/pkg",
        ] {
            assert_eq!(policy(page, true, "pkg"), PRIVATE, "{page}");
        }
    }
}
