//! The one error type at Setubashi's boundary: server functions and the JSON API return it, and
//! pages match on its variants to show a translated message beside the right field.

use domain::language::UiLanguage;
use domain::validation::FieldError;
use http::StatusCode;
use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

use crate::i18n::t;

/// What went wrong, in terms a user (or an API client) can act on. Internal causes are logged on
/// the server and never sent: `Internal` carries no detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// Bad query parameters of a read-only request (400, where a bad body is 422).
    #[error("invalid parameters")]
    InvalidParameters(Vec<FieldError>),
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("e-mail or password is wrong")]
    InvalidCredentials,
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// The request clashes with the record's current state (409).
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    /// A pipeline move that is the other side's to make (403).
    #[error("that move is the other side's")]
    NotYourMove,
    /// A state-changing request that a browser says another site sent (403).
    #[error("cross-site request refused")]
    CrossSite,
    /// A request body larger than the route takes (413).
    #[error("request too large")]
    TooLarge,
    #[error("internal error")]
    Internal,
    /// The request never reached our code, or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// A stable machine-readable code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::InvalidParameters(_) => "invalid_parameters",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Conflict(conflict) => conflict.key(),
            AppError::NotYourMove => "not_your_move",
            AppError::CrossSite => "cross_site_request",
            AppError::TooLarge => "too_large",
            AppError::Internal => "internal",
            AppError::Transport(_) => "bad_request",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::InvalidParameters(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::NotYourMove | AppError::CrossSite => {
                StatusCode::FORBIDDEN
            }
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Transport(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// The message for the whole form or page, in the user's language.
    pub fn message(&self, lang: UiLanguage) -> String {
        match self {
            AppError::Validation(_) | AppError::InvalidParameters(_) => {
                t(lang, "errors.form_has_problems")
            }
            AppError::Unauthenticated => t(lang, "errors.unauthenticated"),
            AppError::Forbidden => t(lang, "errors.forbidden"),
            AppError::NotFound => t(lang, "errors.not_found"),
            AppError::InvalidCredentials => t(lang, "errors.invalid_credentials"),
            AppError::RateLimited { retry_after_secs } => crate::i18n::t_count(
                lang,
                "errors.rate_limited",
                "seconds",
                retry_after_secs,
                &[],
            ),
            AppError::Conflict(conflict) => t(lang, &format!("errors.{}", conflict.key())),
            AppError::NotYourMove => t(lang, "errors.not_your_move"),
            AppError::CrossSite => t(lang, "errors.cross_site_request"),
            AppError::TooLarge => t(lang, "errors.too_large"),
            AppError::Internal => t(lang, "errors.internal"),
            AppError::Transport(_) => t(lang, "errors.transport"),
        }
    }

    /// The problems with one field, if this is a validation error.
    pub fn field_problems(&self, field: &str) -> Vec<domain::validation::Problem> {
        match self {
            AppError::Validation(errors) | AppError::InvalidParameters(errors) => errors
                .iter()
                .filter(|e| e.field == field)
                .map(|e| e.problem)
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Validation(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %err, "session store error");
        AppError::Internal
    }
}

/// Why a request clashed with the current state of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conflict {
    /// Someone else moved the application after the caller loaded it.
    ChangedMeanwhile,
    /// The move cannot follow the application's current stage.
    NotNext,
    /// The application is closed or has completed its path.
    Finished,
    AlreadyApplied,
    AlreadyInvited,
    /// The role no longer takes applications.
    RoleNotOpen,
    /// Applying needs a profile first.
    ProfileNeeded,
    /// The programme would be left without an active administrator.
    LastAdmin,
    /// Applying or posting a role needs a proven e-mail address.
    EmailUnverified,
    /// An organisation keeps at least one member.
    LastMember,
}

impl Conflict {
    pub fn key(self) -> &'static str {
        match self {
            Conflict::ChangedMeanwhile => "changed_meanwhile",
            Conflict::NotNext => "not_next",
            Conflict::Finished => "finished",
            Conflict::AlreadyApplied => "already_applied",
            Conflict::AlreadyInvited => "already_invited",
            Conflict::RoleNotOpen => "role_not_open",
            Conflict::ProfileNeeded => "profile_needed",
            Conflict::LastAdmin => "last_admin",
            Conflict::EmailUnverified => "email_unverified",
            Conflict::LastMember => "last_member",
        }
    }
}

impl From<domain::pipeline::Refusal> for AppError {
    fn from(refusal: domain::pipeline::Refusal) -> Self {
        use domain::pipeline::Refusal;
        match refusal {
            Refusal::Closed | Refusal::Completed => AppError::Conflict(Conflict::Finished),
            Refusal::NotNext => AppError::Conflict(Conflict::NotNext),
            Refusal::OtherSidesMove => AppError::NotYourMove,
        }
    }
}

impl From<domain::pipeline::MoveError> for AppError {
    fn from(err: domain::pipeline::MoveError) -> Self {
        match err {
            domain::pipeline::MoveError::Refused(refusal) => refusal.into(),
            domain::pipeline::MoveError::Invalid(errors) => AppError::Validation(errors),
        }
    }
}

/// The result type of every server function.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use domain::validation::Problem;

    #[test]
    fn each_error_has_a_client_error_status_except_internal() {
        let errors = [
            AppError::Validation(vec![]),
            AppError::Unauthenticated,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::InvalidCredentials,
            AppError::RateLimited {
                retry_after_secs: 3,
            },
            AppError::Transport("x".into()),
            AppError::Conflict(Conflict::ChangedMeanwhile),
            AppError::NotYourMove,
        ];
        for e in errors {
            assert!(e.status().is_client_error(), "{e:?}");
        }
        assert_eq!(
            AppError::Internal.status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn field_problems_pick_out_one_field() {
        let e = AppError::Validation(vec![
            FieldError::new("email", Problem::InvalidEmail),
            FieldError::new("password", Problem::TooShort),
        ]);
        assert_eq!(e.field_problems("password"), vec![Problem::TooShort]);
        assert!(e.field_problems("city").is_empty());
    }

    #[test]
    fn messages_are_translated() {
        let e = AppError::RateLimited {
            retry_after_secs: 42,
        };
        assert!(e.message(UiLanguage::En).contains("42"));
        assert!(e.message(UiLanguage::Ja).contains("42"));
        assert_ne!(e.message(UiLanguage::Ja), e.message(UiLanguage::En));
    }
}
