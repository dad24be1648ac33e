//! RFC 8058 one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click` to the
//! address in a message's `List-Unsubscribe` header, and the topic is turned off without a page.
//! The link's key is the proof; a wrong one changes nothing and says nothing more.

use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Link {
    user: i32,
    topic: String,
    key: String,
}

/// `POST /unsubscribe/one-click?user=&topic=&key=`
pub async fn one_click(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    let Some(topic) = domain::mail::MailTopic::parse(&link.topic) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::mail::notices::unsubscribe(&state.db, link.user, topic, &link.key).await {
        Ok(true) => StatusCode::OK.into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "one-click unsubscribe failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET` of the same address (a person who opened it): the page with its button.
pub async fn page(uri: axum::http::Uri) -> Redirect {
    let query = uri.query().unwrap_or_default();
    Redirect::to(&format!("/unsubscribe?{query}"))
}
