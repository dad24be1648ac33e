//! `GET /lang/{code}?next=/path`: switches the interface language with a plain link, so it works
//! before the wasm loads. The choice is kept in a cookie, and on the account when signed in.

use app::auth::server::{language_cookie, set_user_language, user_of_session};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::language::UiLanguage;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

pub async fn switch_language(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(query): Query<Next>,
) -> Response {
    let Some(lang) = UiLanguage::parse(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    if let Ok(Some(user)) = user_of_session(&state.db, &session).await {
        if let Err(err) = set_user_language(&state.db, user.id, lang).await {
            tracing::warn!(error = ?err, "could not save language preference");
        }
    }
    // only local paths: never an open redirect
    let next = query
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&encode_non_ascii(&next)) {
        headers.insert(header::LOCATION, location);
    }
    if let Ok(cookie) = HeaderValue::from_str(&language_cookie(lang)) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Percent-encodes what a `Location` header cannot carry raw (non-ASCII, controls, spaces).
fn encode_non_ascii(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_carry_japanese_queries_percent_encoded() {
        assert_eq!(encode_non_ascii("/roles?q=組"), "/roles?q=%E7%B5%84");
        assert_eq!(encode_non_ascii("/a b"), "/a%20b");
    }
}
