//! JSON errors: `{"error": {"code", "message", "fields"?}}` with the right status, messages in
//! the language the client asked for.

use app::error::AppError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::language::UiLanguage;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer: the error and the language to explain it in.
#[derive(Debug)]
pub struct ApiError {
    pub error: AppError,
    pub lang: UiLanguage,
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError {
            error,
            lang: UiLanguage::En,
        }
    }
}

/// One rejected field.
#[derive(Serialize, ToSchema)]
pub struct FieldErrorBody {
    /// The field's path in the request body, e.g. `skills[0].skill`.
    pub field: String,
    /// A stable code, e.g. `unknown_skill`.
    pub problem: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let lang = self.lang;
        let fields = match &self.error {
            AppError::Validation(errors) | AppError::InvalidParameters(errors) => errors
                .iter()
                .map(|e| FieldErrorBody {
                    field: e.field.clone(),
                    problem: e.problem.key().to_owned(),
                    message: app::i18n::t(lang, &format!("errors.{}", e.problem.key())),
                })
                .collect(),
            _ => Vec::new(),
        };
        let message = match &self.error {
            AppError::Transport(detail) => detail.clone(),
            other => other.message(lang),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.error.code().to_owned(),
                message,
                fields,
            },
        };
        let mut response = (self.error.status(), Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = self.error {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// The language of an API request (cookie, then Accept-Language), for error messages.
pub struct RequestLanguage(pub UiLanguage);

impl<S: Send + Sync> FromRequestParts<S> for RequestLanguage {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLanguage(app::i18n::language_of_request(
            &parts.headers,
        )))
    }
}

/// `Json<T>` whose rejections (bad JSON, wrong content type) are our JSON errors with 400.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let lang = app::i18n::language_of_request(req.headers());
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError {
                error: AppError::Transport(rejection.body_text()),
                lang,
            }),
        }
    }
}

pub async fn not_found(RequestLanguage(lang): RequestLanguage) -> ApiError {
    ApiError {
        error: AppError::NotFound,
        lang,
    }
}

/// Attaches the request's language to an error.
pub trait InLanguage<T> {
    fn in_language(self, lang: UiLanguage) -> Result<T, ApiError>;
}

impl<T> InLanguage<T> for Result<T, AppError> {
    fn in_language(self, lang: UiLanguage) -> Result<T, ApiError> {
        self.map_err(|error| ApiError { error, lang })
    }
}

/// Makes every error answer of the API the JSON error body, including the ones axum writes as
/// plain text (a path parameter that is not a number, a method the route does not take).
pub async fn json_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = app::i18n::language_of_request(request.headers());
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let error = match status.as_u16() {
        401 => AppError::Unauthenticated,
        403 => AppError::Forbidden,
        404 => AppError::NotFound,
        413 => AppError::TooLarge,
        500..=599 => AppError::Internal,
        _ => AppError::Transport(
            status
                .canonical_reason()
                .unwrap_or("bad request")
                .to_lowercase(),
        ),
    };
    let mut answer = ApiError { error, lang }.into_response();
    *answer.status_mut() = status;
    // keep what the original said about the method (Allow) or a retry (Retry-After)
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}
