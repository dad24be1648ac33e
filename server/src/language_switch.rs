//! `POST /lang/{code}` with `next=/path`: switches the interface language with a plain form, so
//! it works before the wasm loads. The choice is kept in a cookie, and on the account when signed in.

use app::auth::server::{language_cookie, set_user_language, user_of_session};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
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
    Form(query): Form<Next>,
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
        .as_deref()
        .and_then(domain::redirect::local_path)
        .unwrap_or_else(|| "/".to_owned());
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&next) {
        headers.insert(header::LOCATION, location);
    }
    if let Ok(cookie) = HeaderValue::from_str(&language_cookie(lang)) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}
