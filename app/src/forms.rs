//! Forms that work before (or without) the wasm: when a plain HTML form post fails, its server
//! function keeps the error and what was typed in the session, and the page it returns to shows
//! both. With the wasm loaded the same forms submit by fetch and nothing leaves the page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// A failed plain-form submission, kept for one page view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedSubmission {
    /// The server function's endpoint, so only the form that failed picks it up.
    pub form: String,
    pub error: AppError,
    /// The submitted values, secrets removed.
    pub values: serde_json::Value,
}

impl FailedSubmission {
    /// The submitted values as the form's draft type, if they fit it.
    pub fn values_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.values.clone()).ok()
    }
}

/// Takes (and forgets) the failed submission of `form`, if the last plain post of it failed.
#[server(endpoint = "take_failed_submission")]
pub async fn take_failed_submission(form: String) -> AppResult<Option<FailedSubmission>> {
    use tower_sessions::Session;
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return Ok(None);
    };
    let kept: Option<FailedSubmission> = session.get(FAILED_SUBMISSION_KEY).await?;
    match kept {
        Some(failed) if failed.form == form => {
            session
                .remove::<FailedSubmission>(FAILED_SUBMISSION_KEY)
                .await?;
            Ok(Some(failed))
        }
        _ => Ok(None),
    }
}

/// The session key of the failed submission.
pub const FAILED_SUBMISSION_KEY: &str = "failed_submission";

/// The error to show: the latest fetch submission's, else the failed plain post's.
pub fn current_error<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    failed: Option<FailedSubmission>,
) -> Signal<Option<AppError>> {
    let initial = failed.map(|f| f.error);
    Signal::derive(move || match value.get() {
        Some(result) => result.err(),
        None => initial.clone(),
    })
}
