//! An application's message thread over HTTP: `GET /applications/{id}/messages` (a page,
//! newest page first, `before` for earlier ones), `POST` a message (JSON `{"body"}`, or
//! `multipart/form-data` with `body` and a PDF `attachment`), `GET …/messages/{m}/attachment`;
//! and the application page's form, `POST /applications/{id}/messages`, which works without
//! JavaScript and answers with a redirect back to the thread.

use app::auth::api::CurrentUser;
use app::error::AppError;
use app::forms::{PlainSubmission, PLAIN_SUBMISSION_KEY};
use app::messages::api::{MessageView, MessagesPage};
use app::messages::server::{self as messages, Upload};
use app::state::AppState;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use domain::account::UserRole;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, InLanguage, RequestLanguage};

const EVERYONE: [UserRole; 3] = [UserRole::Engineer, UserRole::Employer, UserRole::Admin];

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// Messages before this id (the previous page's `next_before`).
    before: Option<i32>,
}

/// A page of an application's messages (the two sides; an administrator's read is audited).
#[utoipa::path(get, path = "/api/v1/applications/{id}/messages", tag = "messages",
    params(("id" = i32, Path, description = "The application"), ThreadQuery),
    responses(
        (status = 200, description = "A page of the thread, oldest first", body = MessagesPage),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 404, description = "No such application, or not on either side of it", body = super::error::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    Query(query): Query<ThreadQuery>,
) -> Result<Json<MessagesPage>, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    let page = messages::list(&state.db, &user, id, query.before)
        .await
        .in_language(lang)?;
    Ok(Json(page))
}

/// A message as JSON.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MessageBody {
    pub body: String,
}

fn bad_request(field: &str) -> AppError {
    AppError::InvalidParameters(vec![domain::validation::FieldError::new(
        field,
        domain::validation::Problem::NotAllowed,
    )])
}

/// Reads a message from JSON or from a multipart form (`body`, `attachment`).
async fn read_message(
    state: &AppState,
    request: Request,
) -> Result<(String, Option<Upload>), AppError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if !multipart {
        let Json(body) = Json::<MessageBody>::from_request(request, state)
            .await
            .map_err(|_| bad_request("body"))?;
        return Ok((body.body, None));
    }
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|_| bad_request("attachment"))?;
    let mut text = String::new();
    let mut upload = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // a body over the route's limit ends the stream here
            Err(_) => return Err(AppError::TooLarge),
        };
        match field.name() {
            Some("body") => text = field.text().await.map_err(|_| AppError::TooLarge)?,
            Some("attachment") => {
                let file_name = field.file_name().unwrap_or("").to_owned();
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                // a file input left empty sends a part with no name and no bytes
                if !(bytes.is_empty() && file_name.is_empty()) {
                    upload = Some(Upload {
                        file_name,
                        content_type,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok((text, upload))
}

/// Sends a message on the caller's side of the application: JSON `{"body"}`, or
/// `multipart/form-data` with `body` and one PDF `attachment` (at most 5 MB). The other side
/// is notified.
#[utoipa::path(post, path = "/api/v1/applications/{id}/messages", tag = "messages",
    params(("id" = i32, Path, description = "The application")),
    request_body = MessageBody,
    responses(
        (status = 201, description = "Sent", body = MessageView),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "An administrator (who reads, never writes), or the application's text was removed", body = super::error::ErrorBody),
        (status = 404, description = "No such application, or not on either side of it", body = super::error::ErrorBody),
        (status = 413, description = "Larger than 5 MB", body = super::error::ErrorBody),
        (status = 422, description = "No text and no file, too long, or the file is not a PDF", body = super::error::ErrorBody),
    ))]
pub async fn send(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    request: Request,
) -> Result<(StatusCode, Json<MessageView>), ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    // who may write is known before the body is read
    messages::require_writer(&state.db, &user, id)
        .await
        .in_language(lang)?;
    let (body, upload) = read_message(&state, request).await.in_language(lang)?;
    let sent = messages::send(&state, &user, id, &body, upload)
        .await
        .in_language(lang)?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// A message's PDF.
#[utoipa::path(get, path = "/api/v1/applications/{id}/messages/{message}/attachment", tag = "messages",
    params(("id" = i32, Path, description = "The application"), ("message" = i32, Path, description = "The message")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 404, description = "No such application, message or attachment, or not on either side", body = super::error::ErrorBody),
    ))]
pub async fn attachment(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path((id, message)): Path<(i32, i32)>,
) -> Result<Response, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    let (name, bytes) = messages::attachment(&state.db, &user, id, message)
        .await
        .in_language(lang)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, content_disposition(&name)),
            // personal data: never kept by a shared cache
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// `attachment` with an ASCII name for old clients and the real one in RFC 8187's encoding.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

async fn form_user(state: &AppState, session: &Session, id: i32) -> Result<CurrentUser, Response> {
    match super::require(state, session, &EVERYONE).await {
        Ok(user) => Ok(user),
        Err(AppError::Unauthenticated) => {
            Err(Redirect::to(&format!("/login?next=%2Fapplications%2F{id}")).into_response())
        }
        Err(_) => Err(StatusCode::FORBIDDEN.into_response()),
    }
}

/// The application page's message form (`multipart/form-data`: `body`, `attachment`). A
/// refused message comes back to the page with its text and the reason (the file must be
/// chosen again: browsers never refill a file field).
pub async fn send_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i32>,
    request: Request,
) -> Response {
    let user = match form_user(&state, &session, id).await {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    if let Err(error) = messages::require_writer(&state.db, &user, id).await {
        return ApiError {
            error,
            lang: user.ui_language,
        }
        .into_response();
    }
    let back = format!("/applications/{id}");
    let (body, result) = match read_message(&state, request).await {
        Ok((body, upload)) => {
            let result = messages::send(&state, &user, id, &body, upload).await;
            (body, result.map(|_| ()))
        }
        Err(error) => (String::new(), Err(error)),
    };
    match result {
        Ok(()) => Redirect::to(&format!("{back}?message=sent#messages")).into_response(),
        Err(
            error @ (AppError::Validation(_) | AppError::InvalidParameters(_) | AppError::TooLarge),
        ) => {
            let kept = PlainSubmission {
                form: app::messages::thread::SEND_FORM.to_owned(),
                error: Some(error),
                values: serde_json::json!({ "body": body }),
                at: chrono::Utc::now().timestamp(),
            };
            if session.insert(PLAIN_SUBMISSION_KEY, kept).await.is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            Redirect::to(&format!("{back}#messages")).into_response()
        }
        Err(error) => ApiError {
            error,
            lang: user.ui_language,
        }
        .into_response(),
    }
}
