//! `/dev/mail`: the embedded demo's mailbox. With no SMTP server configured, messages are
//! written as `.eml` files in the data directory and listed here, newest first, so a person
//! trying the demo can follow the links they were sent. Whenever mail is really sent (and in
//! production) the page does not exist: it would show everyone's messages.

use app::db::entities::mail_job;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

/// Messages a page.
const PAGE: u64 = 20;

#[derive(Debug, Deserialize)]
pub struct Paging {
    /// Show messages older than this id.
    before: Option<i64>,
}

use app::components::escape_text as escape;

/// The text with each `http(s)://…` made a link (everything escaped).
fn with_links(text: &str) -> String {
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let words: Vec<String> = line
            .split(' ')
            .map(|word| {
                if word.starts_with("http://") || word.starts_with("https://") {
                    let url = escape(word);
                    format!("<a href=\"{url}\">{url}</a>")
                } else {
                    escape(word)
                }
            })
            .collect();
        out.push_str(&words.join(" "));
    }
    out
}

pub async fn mailbox(State(state): State<AppState>, Query(paging): Query<Paging>) -> Response {
    if state.dev_mailbox.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut query = mail_job::Entity::find().order_by_desc(mail_job::Column::Id);
    if let Some(before) = paging.before {
        query = query.filter(mail_job::Column::Id.lt(before));
    }
    let jobs = match query.limit(PAGE).all(&state.db).await {
        Ok(jobs) => jobs,
        Err(err) => {
            tracing::error!(error = %err, "reading the demo mailbox failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Demo mailbox — Setubashi</title></head><body><main>\
         <h1>Demo mailbox</h1><p>This demo sends no e-mail: each message is written to the data \
         directory and shown here, newest first.</p>",
    );
    if jobs.is_empty() {
        html.push_str("<p>No messages.</p>");
    }
    for job in &jobs {
        html.push_str(&format!(
            "<article><h2>{}</h2><p>To: {} · {} · {}</p><pre>{}</pre></article>",
            escape(&job.subject),
            escape(&job.to_address),
            job.created_at.format("%Y-%m-%d %H:%M UTC"),
            escape(&job.status),
            with_links(&job.body_text)
        ));
    }
    if let (true, Some(last)) = (jobs.len() as u64 == PAGE, jobs.last()) {
        html.push_str(&format!(
            "<p><a href=\"/dev/mail?before={}\">Older messages</a></p>",
            last.id
        ));
    }
    html.push_str("</main></body></html>");
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_made_clickable_and_everything_else_is_escaped() {
        let html = with_links("Hi <b>\nhttps://x.example/r?token=a&b \"q\"");
        assert_eq!(
            html,
            "Hi &lt;b&gt;\n<a href=\"https://x.example/r?token=a&amp;b\">https://x.example/r?token=a&amp;b</a> &quot;q&quot;"
        );
        assert!(!with_links("javascript:alert(1)").contains("href"));
    }
}
