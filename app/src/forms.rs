//! Forms as plain HTML. The pages are not hydrated (islands mode: only the `#[island]` parts run
//! in the browser), so every form posts to its server function as a browser does, and is
//! answered with a redirect back to its page; the server function keeps the outcome in the
//! session for that page to show: the error and what was typed when it failed, the answer (a
//! confirmation, what a bulk move did) when it saved. The helpers still read an action's own
//! value first, which a form inside an island would have.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// The outcome of a plain form post, kept for one page view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlainSubmission {
    /// The server function's endpoint, so only the form that was sent picks it up.
    pub form: String,
    /// Why it failed; `None`: it was saved.
    pub error: Option<AppError>,
    /// What was submitted when it failed, secrets removed; the server function's answer when
    /// it was saved (`null` when too big to keep).
    pub values: serde_json::Value,
    /// When it was sent (seconds since the epoch).
    #[serde(default)]
    pub at: i64,
}

impl PlainSubmission {
    /// What was typed, as the form's draft type, if it failed and they fit it.
    pub fn values_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.error
            .as_ref()
            .and_then(|_| serde_json::from_value(self.values.clone()).ok())
    }

    /// What was typed in one field, if it failed.
    pub fn typed(&self, field: &str) -> Option<&serde_json::Value> {
        self.error.as_ref().and_then(|_| self.values.get(field))
    }

    /// The text typed in one field, if it failed; empty otherwise.
    pub fn typed_text(&self, field: &str) -> String {
        self.typed(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    }

    /// The number sent in one field (a hidden id saying which form it was), if it failed.
    pub fn typed_number(&self, field: &str) -> Option<i64> {
        self.typed(field).and_then(|v| v.as_i64())
    }

    /// The server function's answer, if it was saved.
    pub fn answer_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.saved()
            .then(|| serde_json::from_value(self.values.clone()).ok())
            .flatten()
    }

    /// Whether it was saved.
    pub fn saved(&self) -> bool {
        self.error.is_none()
    }
}

/// How long a confirmation waits for its page: one whose post redirected elsewhere is not
/// shown on a later visit. (A failure waits as long as the session: it holds what was typed.)
pub const SAVED_CONFIRMATION_SECS: i64 = 60;

/// Takes (and forgets) the outcome of the last plain post of `form`, if it was that form's.
#[server(endpoint = "take_plain_submission")]
pub async fn take_plain_submission(form: String) -> AppResult<Option<PlainSubmission>> {
    use tower_sessions::Session;
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return Ok(None);
    };
    let kept: Option<PlainSubmission> = session.get(PLAIN_SUBMISSION_KEY).await?;
    match kept {
        Some(kept) if kept.form == form => {
            session
                .remove::<PlainSubmission>(PLAIN_SUBMISSION_KEY)
                .await?;
            let stale =
                kept.saved() && chrono::Utc::now().timestamp() - kept.at > SAVED_CONFIRMATION_SECS;
            Ok((!stale).then_some(kept))
        }
        _ => Ok(None),
    }
}

/// The session key of the kept submission (one at a time: a page shows the last).
pub const PLAIN_SUBMISSION_KEY: &str = "plain_submission";

/// Whether to confirm a save: the latest fetch submission succeeded, or (before any) the plain
/// post this page returned from did.
pub fn succeeded<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    kept: Option<&PlainSubmission>,
) -> Signal<bool> {
    let saved_before = kept.is_some_and(PlainSubmission::saved);
    Signal::derive(move || match value.get() {
        Some(result) => result.is_ok(),
        None => saved_before,
    })
}

/// The error to show: the latest fetch submission's, else the failed plain post's.
pub fn current_error<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
    failed: Option<PlainSubmission>,
) -> Signal<Option<AppError>> {
    let initial = failed.and_then(|f| f.error);
    Signal::derive(move || match value.get() {
        Some(result) => result.err(),
        None => initial.clone(),
    })
}

/// The forms whose pages show a failed plain post in place: most with [`take_plain_submission`]
/// (beside its fields, with what was typed); `save_search`, `set_suspended` and
/// `tick_checklist` from the action's value, which leptos sets on the server from the error it
/// adds to the redirect's address. Any other form's failure is shown by [`KeptFailure`] at the
/// top of the page it returned to.
pub const SHOWN_IN_PLACE: &[&str] = &[
    "apply_to_role",
    "cancel_interview",
    "change_my_password",
    "confirm_email",
    "decide_verification",
    "delete_my_account",
    "invite_member",
    "join_organisation",
    "log_in",
    "move_application",
    "move_applications",
    "pick_interview_slot",
    "propose_interview",
    "request_password_reset",
    "resend_verification",
    "reset_password",
    "save_career",
    "save_document_details",
    "save_organisation",
    "save_profile",
    "save_role",
    "save_search",
    "save_settings",
    "save_sponsorship",
    "send_message",
    "set_suspended",
    "sign_up",
    "tick_checklist",
    "unsubscribe",
];

/// Takes (and forgets) a failed plain post of a form whose page does not show it in place.
#[server(endpoint = "take_kept_failure")]
pub async fn take_kept_failure() -> AppResult<Option<AppError>> {
    use tower_sessions::Session;
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return Ok(None);
    };
    let kept: Option<PlainSubmission> = session.get(PLAIN_SUBMISSION_KEY).await?;
    match kept {
        Some(PlainSubmission {
            form,
            error: Some(error),
            ..
        }) if !SHOWN_IN_PLACE.contains(&form.as_str()) => {
            session
                .remove::<PlainSubmission>(PLAIN_SUBMISSION_KEY)
                .await?;
            Ok(Some(error))
        }
        _ => Ok(None),
    }
}

/// The error of a plain form post that its page does not show in place (a button's refusal,
/// say), at the top of the page the post returned to.
#[component]
pub fn KeptFailure() -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let failure = Resource::new(|| (), |_| take_kept_failure());
    view! {
        <Suspense fallback=|| ()>
            {move || failure.get().and_then(|f| f.ok()).flatten().map(|error| view! {
                <p class="alert alert-error kept-failure" role="alert">{error.message(lang)}</p>
            })}
        </Suspense>
    }
}
