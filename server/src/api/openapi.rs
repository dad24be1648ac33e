//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Setubashi API", version = "1", description = "The India–Japan talent bridge: accounts, engineer profiles, roles, explained matching and mobility applications. Errors are `{error: {code, message, fields?}}`."),
    paths(
        super::accounts::sign_up,
        super::accounts::log_in,
        super::accounts::log_out,
        super::accounts::me,
        super::accounts::request_password_reset,
        super::accounts::confirm_password_reset,
        super::accounts::change_password,
        super::accounts::resend_verification,
        super::members::list,
        super::members::invite,
        super::members::remove,
        super::members::join,
        super::accounts::sessions,
        super::accounts::end_other_sessions,
        super::accounts::end_session_by_id,
        super::accounts::confirm_email,
        super::profile::get_profile,
        super::profile::put_profile,
        super::career::get_career,
        super::career::put_career,
        super::documents::get_document,
        super::documents::get_details,
        super::documents::put_details,
        super::photo::put_photo,
        super::photo::get_photo,
        super::photo::delete_photo,
        super::readiness::get_readiness,
        super::readiness::put_checklist_item,
        super::readiness::get_application_document,
        super::companies::get_company,
        super::sponsorship::get_sponsorship,
        super::sponsorship::put_sponsorship,
        super::roles::create_role,
        super::roles::get_role,
        super::roles::put_role,
        super::skills::suggest,
        super::search::detect_language,
        super::search::search_roles,
        super::search::search_engineers,
        super::search::matches_for_role,
        super::search::my_matches,
        super::hsp::points,
        super::applications::apply,
        super::applications::list,
        super::applications::get,
        super::applications::make_move,
        super::applications::invite,
        super::applications::notifications,
        super::applications::mark_notifications_read,
        super::programme::summary,
        super::outbox::list,
        super::outbox::retry,
        super::rights::export,
        super::rights::mail_preferences,
        super::rights::put_mail_preferences,
        super::rights::delete_me,
        super::rights::delete_user,
        super::rights::consents,
        super::rights::grant_consent,
        super::rights::withdraw_consent,
        super::applications::move_many,
        super::messages::list,
        super::messages::send,
        super::messages::attachment,
        super::interviews::list,
        super::interviews::propose,
        super::interviews::reschedule,
        super::interviews::pick,
        super::interviews::cancel,
        super::interviews::invitation,
        super::saved_searches::list,
        super::saved_searches::create,
        super::saved_searches::get_one,
        super::saved_searches::remove,
    ),
    modifiers(&CommonErrors),
    tags(
        (name = "accounts", description = "Sign up, log in and out, reset and change a password"),
        (name = "profile", description = "The engineer's own profile"),
        (name = "roles", description = "The employer's roles"),
        (name = "skills", description = "The skill taxonomy in English, Japanese and Hindi"),
        (name = "search", description = "Search and explained matching in any language"),
        (name = "programme", description = "The programme against its 50,000 target (administrators)"),
        (name = "rights", description = "People's rights over their data: download, erasure, consent to share contact details"),
        (name = "applications", description = "Mobility applications from application to arrival, invitations and notifications"),
        (name = "messages", description = "The message thread of an application, between its two sides"),
        (name = "interviews", description = "Interview times across IST and JST, picks, reschedules, cancellations and .ics invitations"),
        (name = "searches", description = "Saved searches and what is new in them"),
    )
)]
pub struct ApiDoc;

/// Operations anyone may call, signed in or not.
const PUBLIC: [(&str, &str); 11] = [
    ("post", "/api/v1/users"),
    ("post", "/api/v1/organisation/join"),
    ("post", "/api/v1/email-verification/confirm"),
    ("post", "/api/v1/password-reset"),
    ("post", "/api/v1/password-reset/confirm"),
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/roles"),
    ("get", "/api/v1/organisations/{id}"),
    ("post", "/api/v1/language"),
    ("get", "/api/v1/skills"),
];

/// Documents the errors every operation can answer besides its own: a malformed request (400);
/// not signed in (401) where an account is needed; a state change refused (403: another site
/// sent it, or the caller may not); no such record (404) where the path names one; a body
/// larger than the route takes (413). Written once here rather than on each handler, so no
/// operation forgets one (schemathesis checks every status the server answers is documented).
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut Document) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                ("get", item.get.as_mut()),
                ("post", item.post.as_mut()),
                ("put", item.put.as_mut()),
                ("delete", item.delete.as_mut()),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else {
                    continue;
                };
                let public = PUBLIC.contains(&(method, path.as_str()));
                let changes = method != "get";
                add(operation, "400", "Malformed parameters or body");
                if !public {
                    add(operation, "401", "Not signed in");
                }
                if changes || !public {
                    add(
                        operation,
                        "403",
                        "Refused: not the caller's to do, or sent by another site",
                    );
                }
                if path.contains('{') {
                    add(operation, "404", "No such record visible to the caller");
                }
                if operation.request_body.is_some() {
                    add(
                        operation,
                        "413",
                        "The body is larger than this operation takes",
                    );
                }
            }
        }
    }
}

/// Adds an error response with the error body, unless the operation documents that status.
fn add(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                    )
                    .build(),
            )
        });
}

/// `GET /api/v1/openapi.json`
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
