//! The authorisation matrix: every JSON endpoint and every server function, called by each kind
//! of caller on the same records, against one table of expected statuses. A cell that differs
//! fails the test, and so does an endpoint or server function missing from the table.
//!
//! The records: `R` is an open role of the verified organisation of `V`; `A` applied to it
//! (application `P`). Requests that change something are sent with bodies that pass the
//! authorisation check and then fail validation (or name a record that does not exist), so a
//! caller who may make the call gets 422/404 and one who may not gets 401/403 — and the fixture
//! is the same for every cell.

use std::collections::BTreeSet;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{new_client, valid_role, verify_organisation_of, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

/// The callers, in the order of each row's statuses.
const CALLERS: [&str; 8] = [
    "visitor",
    "engineer",
    "other engineer",
    "unverified employer",
    "verified employer",
    "other organisation's employer",
    "suspended user",
    "administrator",
];

/// Ids the requests name.
struct Records {
    role: i64,
    application: i64,
    engineer: i64,
    /// The verified employer's organisation, and the one awaiting verification.
    organisation: i64,
    unverified_organisation: i64,
    /// An interview proposed on the application (times to pick), and the verified employer's
    /// saved talent search.
    interview: i64,
    saved_search: i64,
}

enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

/// One row: what is called, how, and the status each caller gets.
struct Row {
    method: Method,
    /// The route as the router (or OpenAPI) names it.
    route: &'static str,
    path: fn(&Records) -> String,
    body: fn(&Records) -> Body,
    expect: [u16; 8],
}

fn none(_: &Records) -> Body {
    Body::None
}

macro_rules! row {
    ($method:ident $route:literal, $path:expr, $body:expr, $expect:expr) => {
        Row {
            method: Method::$method,
            route: $route,
            path: $path,
            body: $body,
            expect: $expect,
        }
    };
}

/// A server function called as the pages call it: a form post asking for JSON.
macro_rules! server_fn {
    ($name:literal, $form:expr, $expect:expr) => {
        row!(POST $name, |_| $name.to_owned(), $form, $expect)
    };
}

/// A well-formed role that fails validation (no title in either language).
fn untitled_role() -> Value {
    let mut role = valid_role();
    role["title_ja"] = json!("");
    role["title_en"] = json!("");
    role
}

fn form(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

//                 visitor eng  other unverif verified other-org suspended admin
fn table() -> Vec<Row> {
    vec![
        // accounts (log-out comes last, in its own loop)
        row!(POST "/api/v1/users", |_| "/api/v1/users".into(),
            |_| Body::Json(json!({"email": "", "password": "", "role": "engineer", "display_name": ""})),
            [422, 422, 422, 422, 422, 422, 422, 422]),
        row!(POST "/api/v1/session", |_| "/api/v1/session".into(),
            |_| Body::Json(json!({"email": "nobody@example.in", "password": "not-the-password-123"})),
            [401, 401, 401, 401, 401, 401, 401, 401]),
        row!(GET "/api/v1/me", |_| "/api/v1/me".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        // recovery: the same answer for every caller and any address; a change needs a session
        row!(POST "/api/v1/password-reset", |_| "/api/v1/password-reset".into(),
            |_| Body::Json(json!({"email": "nobody@example.in"})),
            [202, 202, 202, 202, 202, 202, 202, 202]),
        row!(POST "/api/v1/password-reset/confirm", |_| "/api/v1/password-reset/confirm".into(),
            |_| Body::Json(json!({"token": "not-a-token", "password": STRONG_PASSWORD})),
            [422, 422, 422, 422, 422, 422, 422, 422]),
        row!(PUT "/api/v1/me/password", |_| "/api/v1/me/password".into(),
            |_| Body::Json(json!({"current_password": "not-the-password-123", "new_password": STRONG_PASSWORD})),
            [401, 422, 422, 422, 422, 422, 401, 422]),
        // people's rights: one's own data and account; an administrator erases others (an id
        // that does not exist here: the cell must not erase the fixture)
        row!(GET "/api/v1/me/export", |_| "/api/v1/me/export".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(DELETE "/api/v1/me", |_| "/api/v1/me".into(),
            |_| Body::Json(json!({"password": "not-the-password-123"})),
            [401, 422, 422, 422, 422, 422, 401, 422]),
        // one's own devices; another's device id is no one's here
        row!(GET "/api/v1/me/sessions", |_| "/api/v1/me/sessions".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(DELETE "/api/v1/me/sessions", |_| "/api/v1/me/sessions".into(), none,
            [401, 204, 204, 204, 204, 204, 401, 204]),
        row!(DELETE "/api/v1/me/sessions/{id}", |_| "/api/v1/me/sessions/999999".into(), none,
            [401, 404, 404, 404, 404, 404, 401, 404]),
        // an organisation's members: its employers only; joining needs the link's token
        row!(GET "/api/v1/organisation/members", |_| "/api/v1/organisation/members".into(), none,
            [401, 403, 403, 200, 200, 200, 401, 403]),
        row!(POST "/api/v1/organisation/invitations", |_| "/api/v1/organisation/invitations".into(),
            |_| Body::Json(json!({"email": "not an address"})),
            [401, 403, 403, 422, 422, 422, 401, 403]),
        row!(DELETE "/api/v1/organisation/members/{id}", |r| format!("/api/v1/organisation/members/{}", r.engineer), none,
            [401, 403, 403, 404, 404, 404, 401, 403]),
        row!(POST "/api/v1/organisation/join", |_| "/api/v1/organisation/join".into(),
            |_| Body::Json(json!({"token": "not-a-token", "display_name": "X", "password": STRONG_PASSWORD})),
            [422, 422, 422, 422, 422, 422, 422, 422]),
        row!(GET "/api/v1/me/mail-preferences", |_| "/api/v1/me/mail-preferences".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(PUT "/api/v1/me/mail-preferences", |_| "/api/v1/me/mail-preferences".into(),
            |_| Body::Json(json!({"invitations": true, "applications": true, "offers": true, "new_sign_ins": true})),
            [401, 200, 200, 200, 200, 200, 401, 200]),
        // one click from a message: the link's key decides, for anyone (none here is right)
        row!(POST "/unsubscribe/one-click", |r| format!("/unsubscribe/one-click?user={}&topic=offers&key=wrong", r.engineer), none,
            [404, 404, 404, 404, 404, 404, 404, 404]),
        row!(GET "/api/v1/me/consents", |_| "/api/v1/me/consents".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(DELETE "/api/v1/admin/users/{id}", |_| "/api/v1/admin/users/999999".into(), none,
            [401, 403, 403, 403, 403, 403, 401, 404]),
        // consent is the application's engineer's alone to give or withdraw
        row!(PUT "/api/v1/applications/{id}/consent", |r| format!("/api/v1/applications/{}/consent", r.application), none,
            [401, 204, 404, 403, 403, 403, 401, 403]),
        row!(DELETE "/api/v1/applications/{id}/consent", |r| format!("/api/v1/applications/{}/consent", r.application), none,
            [401, 204, 404, 403, 403, 403, 401, 403]),
        // proving an address: a new link for oneself; a confirmation by the link's token alone
        row!(POST "/api/v1/me/email-verification", |_| "/api/v1/me/email-verification".into(), none,
            [401, 202, 202, 202, 202, 202, 401, 202]),
        row!(POST "/api/v1/email-verification/confirm", |_| "/api/v1/email-verification/confirm".into(),
            |_| Body::Json(json!({"token": "not-a-token"})),
            [422, 422, 422, 422, 422, 422, 422, 422]),
        // the engineer's own profile and matches
        row!(GET "/api/v1/me/profile", |_| "/api/v1/me/profile".into(), none,
            [401, 200, 200, 403, 403, 403, 401, 403]),
        row!(PUT "/api/v1/me/profile", |_| "/api/v1/me/profile".into(),
            |_| Body::Json(json!({"full_name": "", "years_experience": 1})),
            [401, 422, 422, 403, 403, 403, 401, 403]),
        row!(GET "/api/v1/me/career", |_| "/api/v1/me/career".into(), none,
            [401, 200, 200, 403, 403, 403, 401, 403]),
        row!(PUT "/api/v1/me/career", |_| "/api/v1/me/career".into(),
            |_| Body::Json(json!({"education": [{"level": "bogus", "field": "", "institution": "", "country": "", "started": ""}]})),
            [401, 422, 422, 403, 403, 403, 401, 403]),
        row!(GET "/api/v1/me/documents/{file}", |_| "/api/v1/me/documents/cv.pdf".into(), none,
            [401, 200, 200, 403, 403, 403, 401, 403]),
        row!(GET "/api/v1/me/document-details", |_| "/api/v1/me/document-details".into(), none,
            [401, 200, 200, 403, 403, 403, 401, 403]),
        row!(PUT "/api/v1/me/document-details", |_| "/api/v1/me/document-details".into(),
            |_| Body::Json(json!({"name_kana": "Priya"})),
            [401, 422, 422, 403, 403, 403, 401, 403]),
        // an application's readiness: its two sides and administrators read it; each side ticks
        // its own documents, from the offer on (the fixture has no offer yet: refused)
        row!(GET "/api/v1/applications/{id}/readiness", |r| format!("/api/v1/applications/{}/readiness", r.application), none,
            [401, 200, 404, 404, 200, 404, 401, 200]),
        row!(PUT "/api/v1/applications/{id}/checklist/{key}", |r| format!("/api/v1/applications/{}/checklist/photo", r.application),
            |_| Body::Json(json!({"done": true})),
            [401, 403, 404, 404, 403, 404, 401, 403]),
        // the candidate's documents: the engineer and the organisation applied to; nobody else
        row!(GET "/api/v1/applications/{id}/documents/{file}", |r| format!("/api/v1/applications/{}/documents/cv.pdf", r.application), none,
            [401, 200, 404, 404, 200, 404, 401, 403]),
        // the organisation's sponsorship profile: its employers only
        row!(GET "/api/v1/organisation/sponsorship", |_| "/api/v1/organisation/sponsorship".into(), none,
            [401, 403, 403, 200, 200, 200, 401, 403]),
        row!(PUT "/api/v1/organisation/sponsorship", |_| "/api/v1/organisation/sponsorship".into(),
            |_| Body::Json(json!({"coe_category": "9"})),
            [401, 403, 403, 422, 422, 422, 401, 403]),
        // the 履歴書's photo: the engineer's own; the page's forms answer with redirects
        row!(PUT "/api/v1/me/photo", |_| "/api/v1/me/photo".into(),
            |_| Body::Json(json!({"not": "an image"})),
            [401, 422, 422, 403, 403, 403, 401, 403]),
        row!(GET "/api/v1/me/photo", |_| "/api/v1/me/photo".into(), none,
            [401, 404, 404, 403, 403, 403, 401, 403]),
        row!(DELETE "/api/v1/me/photo", |_| "/api/v1/me/photo".into(), none,
            [401, 204, 204, 403, 403, 403, 401, 403]),
        row!(POST "/profile/photo", |_| "/profile/photo".into(), |_| form(&[("photo", "not an image")]),
            [303, 303, 303, 403, 403, 403, 303, 403]),
        row!(POST "/profile/photo/delete", |_| "/profile/photo/delete".into(), none,
            [303, 303, 303, 403, 403, 403, 303, 403]),
        row!(GET "/api/v1/me/matches", |_| "/api/v1/me/matches".into(), none,
            [401, 200, 200, 403, 403, 403, 401, 403]),
        // roles
        row!(GET "/api/v1/roles", |_| "/api/v1/roles?q=embedded".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        // a company's public page: anyone for a verified organisation; one awaiting verification
        // only for its members and administrators
        row!(GET "/api/v1/organisations/{id}", |r| format!("/api/v1/organisations/{}", r.organisation), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        row!(GET "/api/v1/organisations/{id}", |r| format!("/api/v1/organisations/{}", r.unverified_organisation), none,
            [404, 404, 404, 200, 404, 404, 404, 200]),
        row!(POST "/api/v1/roles", |_| "/api/v1/roles".into(), |_| Body::Json(untitled_role()),
            [401, 403, 403, 422, 422, 422, 401, 403]),
        // administrators oversee every role, and change none
        row!(GET "/api/v1/roles/{id}", |r| format!("/api/v1/roles/{}", r.role), none,
            [401, 403, 403, 403, 200, 403, 401, 200]),
        row!(PUT "/api/v1/roles/{id}", |r| format!("/api/v1/roles/{}", r.role), |_| Body::Json(untitled_role()),
            [401, 403, 403, 403, 422, 403, 401, 403]),
        row!(GET "/api/v1/roles/{id}/matches", |r| format!("/api/v1/roles/{}/matches", r.role), none,
            [401, 403, 403, 403, 200, 403, 401, 200]),
        row!(POST "/api/v1/roles/{id}/applications", |r| format!("/api/v1/roles/{}/applications", r.role),
            |_| Body::Json(json!({"note": "x".repeat(3_000)})),
            [401, 422, 422, 403, 403, 403, 401, 403]),
        row!(POST "/api/v1/roles/{id}/invitations", |r| format!("/api/v1/roles/{}/invitations", r.role),
            |_| Body::Json(json!({"engineer_id": 999_999, "message": ""})),
            [401, 403, 403, 403, 404, 403, 401, 403]),
        // applications
        row!(GET "/api/v1/applications", |_| "/api/v1/applications".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(GET "/api/v1/applications/{id}", |r| format!("/api/v1/applications/{}", r.application), none,
            [401, 200, 404, 404, 200, 404, 401, 200]),
        row!(POST "/api/v1/applications/{id}/moves", |r| format!("/api/v1/applications/{}/moves", r.application),
            |_| Body::Json(json!({"to": "no-such-stage"})),
            [401, 422, 404, 404, 422, 404, 401, 403]),
        // the application's thread: its two sides; an administrator reads (audited), never writes
        row!(GET "/api/v1/applications/{id}/messages", |r| format!("/api/v1/applications/{}/messages", r.application), none,
            [401, 200, 404, 404, 200, 404, 401, 200]),
        row!(POST "/api/v1/applications/{id}/messages", |r| format!("/api/v1/applications/{}/messages", r.application),
            |_| Body::Json(json!({"body": ""})),
            [401, 422, 404, 404, 422, 404, 401, 403]),
        row!(GET "/api/v1/applications/{id}/messages/{message}/attachment", |r| format!("/api/v1/applications/{}/messages/999999/attachment", r.application), none,
            [401, 404, 404, 404, 404, 404, 401, 404]),
        row!(POST "/applications/{id}/messages", |r| format!("/applications/{}/messages", r.application),
            |_| form(&[("body", "")]),
            [303, 303, 404, 404, 303, 404, 303, 403]),
        // interviews: the employer proposes and reschedules, the engineer picks, either cancels
        row!(GET "/api/v1/applications/{id}/interviews", |r| format!("/api/v1/applications/{}/interviews", r.application), none,
            [401, 200, 404, 404, 200, 404, 401, 200]),
        row!(POST "/api/v1/applications/{id}/interviews", |r| format!("/api/v1/applications/{}/interviews", r.application),
            |_| Body::Json(json!({"slots": [], "minutes": 60, "format": "video"})),
            [401, 403, 404, 404, 422, 404, 401, 403]),
        row!(POST "/api/v1/interviews/{id}/pick", |r| format!("/api/v1/interviews/{}/pick", r.interview),
            |_| Body::Json(json!({"slot_id": 0, "version": 1})),
            [401, 422, 404, 404, 403, 404, 401, 403]),
        row!(POST "/api/v1/interviews/{id}/reschedule", |r| format!("/api/v1/interviews/{}/reschedule", r.interview),
            |_| Body::Json(json!({"slots": [], "reason": ""})),
            [401, 403, 404, 404, 422, 404, 401, 403]),
        row!(POST "/api/v1/interviews/{id}/cancel", |r| format!("/api/v1/interviews/{}/cancel", r.interview),
            |_| Body::Json(json!({"reason": ""})),
            [401, 422, 404, 404, 422, 404, 401, 403]),
        // no time picked yet: no invitation for anyone
        row!(GET "/api/v1/interviews/{id}/invitation.ics", |r| format!("/api/v1/interviews/{}/invitation.ics", r.interview), none,
            [401, 404, 404, 404, 404, 404, 401, 404]),
        // saved searches: one's own; the talent pool's only for those who may search it
        row!(GET "/api/v1/saved-searches", |_| "/api/v1/saved-searches".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(POST "/api/v1/saved-searches", |_| "/api/v1/saved-searches".into(),
            |_| Body::Json(json!({"name": "", "kind": "talent", "query": "", "frequency": "daily"})),
            [401, 403, 403, 403, 422, 422, 401, 422]),
        row!(GET "/api/v1/saved-searches/{id}", |r| format!("/api/v1/saved-searches/{}", r.saved_search), none,
            [401, 404, 404, 404, 200, 404, 401, 404]),
        row!(DELETE "/api/v1/saved-searches/{id}", |_| "/api/v1/saved-searches/999999".into(), none,
            [401, 404, 404, 404, 404, 404, 401, 404]),
        // bulk moves: only the role's own organisation; an empty list is refused after the check
        row!(POST "/api/v1/roles/{id}/moves", |r| format!("/api/v1/roles/{}/moves", r.role),
            |_| Body::Json(json!({"applications": [], "to": "shortlisted"})),
            [401, 403, 403, 403, 422, 403, 401, 403]),
        row!(GET "/api/v1/notifications", |_| "/api/v1/notifications".into(), none,
            [401, 200, 200, 200, 200, 200, 401, 200]),
        row!(POST "/api/v1/notifications/read", |_| "/api/v1/notifications/read".into(), none,
            [401, 204, 204, 204, 204, 204, 401, 204]),
        // the talent pool and scoring
        row!(GET "/api/v1/engineers", |_| "/api/v1/engineers?q=embedded".into(), none,
            [401, 403, 403, 403, 200, 200, 401, 200]),
        // the talent pool ranked for a role: only the role's own organisation (and administrators)
        row!(GET "/api/v1/engineers", |r| format!("/api/v1/engineers?role={}", r.role), none,
            [401, 403, 403, 403, 200, 403, 401, 200]),
        row!(GET "/api/v1/hsp-points", |r| format!("/api/v1/hsp-points?role={}&engineer={}", r.role, r.engineer), none,
            [401, 200, 400, 403, 200, 403, 401, 200]),
        // open to all
        row!(POST "/api/v1/language", |_| "/api/v1/language".into(), |_| Body::Json(json!({"text": "組み込みエンジニア"})),
            [200, 200, 200, 200, 200, 200, 200, 200]),
        row!(GET "/api/v1/skills", |_| "/api/v1/skills?q=rust".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        row!(GET "/api/v1/openapi.json", |_| "/api/v1/openapi.json".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        // the routes outside the API: the language switch (a form post) and the health checks
        row!(POST "/lang/{code}", |_| "/lang/en".into(), |_| form(&[("next", "/")]),
            [303, 303, 303, 303, 303, 303, 303, 303]),
        // the demo mailbox exists only where mail is not really sent (not in this app)
        row!(GET "/dev/mail", |_| "/dev/mail".into(), none,
            [404, 404, 404, 404, 404, 404, 404, 404]),
        row!(GET "/livez", |_| "/livez".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        row!(GET "/healthz", |_| "/healthz".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        row!(GET "/readyz", |_| "/readyz".into(), none,
            [200, 200, 200, 200, 200, 200, 200, 200]),
        // the programme
        row!(GET "/api/v1/programme/summary", |_| "/api/v1/programme/summary".into(), none,
            [401, 403, 403, 403, 403, 403, 401, 200]),
        row!(GET "/api/v1/admin/mail", |_| "/api/v1/admin/mail?status=failed".into(), none,
            [401, 403, 403, 403, 403, 403, 401, 200]),
        row!(POST "/api/v1/admin/mail/{id}/retry", |_| "/api/v1/admin/mail/999999/retry".into(), none,
            [401, 403, 403, 403, 403, 403, 401, 404]),
        row!(GET "/admin/export/{file}", |_| "/admin/export/funnel.csv".into(), none,
            [401, 403, 403, 403, 403, 403, 401, 200]),
        // server functions
        server_fn!(
            "/api/load_programme",
            |_| form(&[("filters[from]", "")]),
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/load_settings",
            none,
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/save_settings",
            |_| form(&[
                ("draft[target_people]", "0"),
                ("draft[start]", ""),
                ("draft[horizon_years]", ""),
                ("draft[counted_stage]", "")
            ]),
            [401, 403, 403, 403, 403, 403, 401, 422]
        ),
        server_fn!(
            "/api/load_verification_queue",
            none,
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/load_verified_organisations",
            |_| form(&[("page", "1")]),
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/decide_verification",
            |_| form(&[
                ("organisation_id", "999999"),
                ("decision", "approve"),
                ("reason", "")
            ]),
            [401, 403, 403, 403, 403, 403, 401, 404]
        ),
        server_fn!(
            "/api/find_users",
            |_| form(&[("q", ""), ("role", "")]),
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/set_suspended",
            |_| form(&[("user_id", "999999"), ("suspend", "true")]),
            [401, 403, 403, 403, 403, 403, 401, 404]
        ),
        server_fn!(
            "/api/load_outbox",
            |_| form(&[("status", "failed"), ("page", "0")]),
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/retry_mail",
            |_| form(&[("id", "999999")]),
            [401, 403, 403, 403, 403, 403, 401, 404]
        ),
        server_fn!(
            "/api/load_audit",
            |_| form(&[("filters[action]", "")]),
            [401, 403, 403, 403, 403, 403, 401, 200]
        ),
        server_fn!(
            "/api/search_talent",
            |_| form(&[("query[q]", "embedded")]),
            [401, 403, 403, 403, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/search_talent",
            |r| form(&[("query[role]", &r.role.to_string())]),
            [401, 403, 403, 403, 200, 403, 401, 200]
        ),
        server_fn!(
            "/api/search_jobs",
            |_| form(&[("query[q]", "embedded")]),
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        server_fn!(
            "/api/load_company",
            |r| Body::Form(vec![
                ("id", r.unverified_organisation.to_string()),
                ("page", "1".into())
            ]),
            [404, 404, 404, 200, 404, 404, 404, 200]
        ),
        server_fn!(
            "/api/load_job",
            |r| Body::Form(vec![("id", r.role.to_string())]),
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        server_fn!(
            "/api/load_dashboard",
            none,
            [401, 200, 200, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/take_plain_submission",
            |_| form(&[("form", "log_in")]),
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        // the caller's own session's kept failure, nobody else's (each has its own session)
        server_fn!(
            "/api/take_kept_failure",
            none,
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        server_fn!(
            "/api/current_user",
            none,
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        server_fn!(
            "/api/sign_up",
            |_| form(&[
                ("form[email]", ""),
                ("form[password]", ""),
                ("form[role]", "engineer"),
                ("form[display_name]", "")
            ]),
            [422, 422, 422, 422, 422, 422, 422, 422]
        ),
        server_fn!(
            "/api/log_in",
            |_| form(&[
                ("email", "nobody@example.in"),
                ("password", "not-the-password-123")
            ]),
            [401, 401, 401, 401, 401, 401, 401, 401]
        ),
        // recovery: the same for everyone; the link's token decides
        server_fn!(
            "/api/request_password_reset",
            |_| form(&[("email", "nobody@example.in")]),
            [200, 200, 200, 200, 200, 200, 200, 200]
        ),
        server_fn!(
            "/api/reset_password",
            |_| form(&[("token", "not-a-token"), ("password", STRONG_PASSWORD)]),
            [422, 422, 422, 422, 422, 422, 422, 422]
        ),
        server_fn!(
            "/api/change_my_password",
            |_| form(&[
                ("current_password", "not-the-password-123"),
                ("password", STRONG_PASSWORD)
            ]),
            [401, 422, 422, 422, 422, 422, 401, 422]
        ),
        server_fn!(
            "/api/delete_my_account",
            |_| form(&[("password", "not-the-password-123")]),
            [401, 422, 422, 422, 422, 422, 401, 422]
        ),
        server_fn!(
            "/api/load_my_devices",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/sign_out_devices",
            |_| form(&[("id", "999999")]),
            [401, 404, 404, 404, 404, 404, 401, 404]
        ),
        server_fn!(
            "/api/load_members",
            none,
            [401, 403, 403, 200, 200, 200, 401, 403]
        ),
        server_fn!(
            "/api/invite_member",
            |_| form(&[("email", "not an address")]),
            [401, 403, 403, 422, 422, 422, 401, 403]
        ),
        server_fn!(
            "/api/remove_member",
            |r| Body::Form(vec![("member_id", r.engineer.to_string())]),
            [401, 403, 403, 404, 404, 404, 401, 403]
        ),
        server_fn!(
            "/api/join_organisation",
            |_| form(&[
                ("token", "not-a-token"),
                ("display_name", "X"),
                ("password", STRONG_PASSWORD)
            ]),
            [422, 422, 422, 422, 422, 422, 422, 422]
        ),
        server_fn!(
            "/api/load_mail_preferences",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/save_mail_preferences",
            |_| form(&[("offers", "on")]),
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/unsubscribe",
            |r| Body::Form(vec![
                ("user", r.engineer.to_string()),
                ("topic", "offers".into()),
                ("key", "wrong".into())
            ]),
            [404, 404, 404, 404, 404, 404, 404, 404]
        ),
        server_fn!(
            "/api/load_my_consents",
            |_| form(&[("page", "0")]),
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/set_contact_sharing",
            |r| Body::Form(vec![
                ("application_id", r.application.to_string()),
                ("share", "true".into())
            ]),
            [401, 200, 404, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/resend_verification",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/confirm_email",
            |_| form(&[("token", "not-a-token")]),
            [422, 422, 422, 422, 422, 422, 422, 422]
        ),
        server_fn!(
            "/api/load_profile",
            none,
            [401, 200, 200, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/save_profile",
            |_| form(&[("draft[full_name]", ""), ("draft[years_experience]", "1")]),
            [401, 422, 422, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/load_career",
            none,
            [401, 200, 200, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/save_career",
            |_| form(&[("draft[education][0][level]", "bogus")]),
            [401, 422, 422, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/load_document_details",
            none,
            [401, 200, 200, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/save_document_details",
            |_| form(&[("draft[name_kana]", "Priya")]),
            [401, 422, 422, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/load_organisation",
            none,
            [401, 403, 403, 200, 200, 200, 401, 403]
        ),
        server_fn!(
            "/api/save_organisation",
            |_| form(&[("draft[prefecture]", "nowhere")]),
            [401, 403, 403, 422, 422, 422, 401, 403]
        ),
        server_fn!(
            "/api/save_sponsorship",
            |_| form(&[("draft[employees]", "none")]),
            [401, 403, 403, 422, 422, 422, 401, 403]
        ),
        server_fn!(
            "/api/load_readiness",
            |r| Body::Form(vec![("application_id", r.application.to_string())]),
            [401, 200, 404, 404, 200, 404, 401, 200]
        ),
        server_fn!(
            "/api/tick_checklist",
            |r| Body::Form(vec![
                ("application_id", r.application.to_string()),
                ("item_key", "return_envelope".into()),
                ("done", "on".into())
            ]),
            [401, 403, 404, 404, 403, 404, 401, 403]
        ),
        // a candidate's page: the talent pool's readers; the profile here is searchable
        server_fn!(
            "/api/load_candidate",
            |r| Body::Form(vec![("engineer_id", r.engineer.to_string())]),
            [401, 403, 403, 403, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/list_messages",
            |r| Body::Form(vec![("application_id", r.application.to_string())]),
            [401, 200, 404, 404, 200, 404, 401, 200]
        ),
        server_fn!(
            "/api/list_interviews",
            |r| Body::Form(vec![("application_id", r.application.to_string())]),
            [401, 200, 404, 404, 200, 404, 401, 200]
        ),
        server_fn!(
            "/api/propose_interview",
            |r| Body::Form(vec![
                ("application_id", r.application.to_string()),
                ("draft[minutes]", "60".into()),
                ("draft[format]", "video".into())
            ]),
            [401, 403, 404, 404, 422, 404, 401, 403]
        ),
        server_fn!(
            "/api/pick_interview_slot",
            |r| Body::Form(vec![
                ("interview_id", r.interview.to_string()),
                ("slot_id", "0".into()),
                ("version", "1".into())
            ]),
            [401, 422, 404, 404, 403, 404, 401, 403]
        ),
        server_fn!(
            "/api/cancel_interview",
            |r| Body::Form(vec![
                ("interview_id", r.interview.to_string()),
                ("reason", String::new())
            ]),
            [401, 422, 404, 404, 422, 404, 401, 403]
        ),
        server_fn!(
            "/api/save_search",
            |_| form(&[
                ("draft[kind]", "talent"),
                ("draft[name]", ""),
                ("draft[frequency]", "daily")
            ]),
            [401, 403, 403, 403, 422, 422, 401, 422]
        ),
        server_fn!(
            "/api/list_saved_searches",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/open_saved_search",
            |r| Body::Form(vec![("id", r.saved_search.to_string())]),
            [401, 404, 404, 404, 200, 404, 401, 404]
        ),
        server_fn!(
            "/api/delete_saved_search",
            |_| form(&[("id", "999999")]),
            [401, 404, 404, 404, 404, 404, 401, 404]
        ),
        server_fn!(
            "/api/list_notifications",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/mark_notifications_read",
            none,
            [401, 200, 200, 200, 200, 200, 401, 200]
        ),
        server_fn!(
            "/api/load_candidates",
            |r| Body::Form(vec![
                ("role_id", r.role.to_string()),
                ("query[jlpt]", "N5".to_owned())
            ]),
            [401, 403, 403, 403, 200, 403, 401, 403]
        ),
        server_fn!(
            "/api/list_my_roles",
            none,
            [401, 403, 403, 200, 200, 200, 401, 403]
        ),
        server_fn!(
            "/api/load_role_editor",
            |r| Body::Form(vec![("id", r.role.to_string())]),
            [401, 403, 403, 403, 200, 403, 401, 403]
        ),
        server_fn!(
            "/api/save_role",
            |r| Body::Form(vec![
                ("id", r.role.to_string()),
                ("draft[title_en]", String::new())
            ]),
            [401, 403, 403, 403, 422, 403, 401, 403]
        ),
        server_fn!(
            "/api/list_my_applications",
            none,
            [401, 200, 200, 200, 200, 200, 401, 403]
        ),
        server_fn!(
            "/api/load_application",
            |r| Body::Form(vec![("id", r.application.to_string())]),
            [401, 200, 404, 404, 200, 404, 401, 200]
        ),
        server_fn!(
            "/api/apply_to_role",
            |r| Body::Form(vec![
                ("role_id", r.role.to_string()),
                ("note", "x".repeat(3_000))
            ]),
            [401, 422, 422, 403, 403, 403, 401, 403]
        ),
        server_fn!(
            "/api/move_application",
            |r| Body::Form(vec![
                ("id", r.application.to_string()),
                ("version", "0".into()),
                ("draft[to]", "no-such-stage".into())
            ]),
            [401, 409, 404, 404, 409, 404, 401, 403]
        ),
        server_fn!(
            "/api/move_applications",
            |r| Body::Form(vec![
                ("role_id", r.role.to_string()),
                ("to", "shortlisted".into())
            ]),
            [401, 403, 403, 403, 422, 403, 401, 403]
        ),
        server_fn!(
            "/api/load_pipeline",
            |r| Body::Form(vec![("role_id", r.role.to_string())]),
            [401, 403, 403, 403, 200, 403, 401, 403]
        ),
        server_fn!(
            "/api/invite_candidate",
            |r| Body::Form(vec![
                ("role_id", r.role.to_string()),
                ("engineer_id", "999999".into()),
                ("message", String::new())
            ]),
            [401, 403, 403, 403, 404, 403, 401, 403]
        ),
    ]
}

/// A client that signs up as `body` from its own address; returns it and the user.
async fn signed_up(app: &TestApp, address: &str, body: Value) -> (Client, Value) {
    let client = new_client();
    let response = client
        .post(app.url("/api/v1/users"))
        .header("x-client-ip", address)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let user = response.json().await.unwrap();
    crate::helpers::verify_email_of(app, &user).await;
    (client, user)
}

fn engineer_body(email: &str) -> Value {
    json!({"email": email, "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Engineer"})
}

fn employer_body(email: &str, name: &str) -> Value {
    json!({"email": email, "password": STRONG_PASSWORD, "role": "employer", "display_name": "Employer",
           "organisation": {"name_en": name, "prefecture": "tokyo", "sector": "software", "size": "small"}})
}

async fn with_profile(app: &TestApp, client: &Client) {
    let saved = client
        .put(app.url("/api/v1/me/profile"))
        .json(
            &json!({"full_name": "Engineer", "years_experience": 5, "date_of_birth": "1995-04-02",
                      "skills": [{"skill": "embedded-software", "years": 5}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
}

/// Builds the records and the eight callers, each on its own client and address.
async fn callers(app: &TestApp) -> (Vec<Client>, Records) {
    let visitor = new_client();
    let (engineer, engineer_user) = signed_up(app, "10.0.0.1", engineer_body("a@example.in")).await;
    with_profile(app, &engineer).await;
    let (other_engineer, _) = signed_up(app, "10.0.0.2", engineer_body("b@example.in")).await;
    with_profile(app, &other_engineer).await;
    let (unverified, unverified_user) = signed_up(
        app,
        "10.0.0.3",
        employer_body("u@example.jp", "Unchecked K.K."),
    )
    .await;
    let (employer, employer_user) = signed_up(
        app,
        "10.0.0.4",
        employer_body("v@example.jp", "Verified K.K."),
    )
    .await;
    verify_organisation_of(app, &employer_user).await;
    let (other_org, other_org_user) =
        signed_up(app, "10.0.0.5", employer_body("w@example.jp", "Other K.K.")).await;
    verify_organisation_of(app, &other_org_user).await;
    let (suspended, suspended_user) =
        signed_up(app, "10.0.0.6", engineer_body("s@example.in")).await;
    with_profile(app, &suspended).await;

    let created = employer
        .post(app.url("/api/v1/roles"))
        .json(&valid_role())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let role = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let applied = engineer
        .post(app.url(&format!("/api/v1/roles/{role}/applications")))
        .json(&json!({"note": "hello"}))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), StatusCode::CREATED);
    let application = applied.json::<Value>().await.unwrap()["summary"]["id"]
        .as_i64()
        .unwrap();
    let day = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive();
    let proposed = employer
        .post(app.url(&format!("/api/v1/applications/{application}/interviews")))
        .json(&json!({"slots": [format!("{day}T10:00")], "minutes": 60, "format": "video"}))
        .send()
        .await
        .unwrap();
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let interview = proposed.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let kept = employer
        .post(app.url("/api/v1/saved-searches"))
        .json(&json!({"name": "Embedded", "kind": "talent", "query": "q=embedded", "frequency": "weekly"}))
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), StatusCode::CREATED);
    let saved_search = kept.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    app::auth::server::create_admin(&app.db, "admin@example.org", STRONG_PASSWORD, "Admin")
        .await
        .unwrap();
    let admin = new_client();
    let logged_in = admin
        .post(app.url("/api/v1/session"))
        .header("x-client-ip", "10.0.0.8")
        .json(&json!({"email": "admin@example.org", "password": STRONG_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(logged_in.status(), StatusCode::OK);
    let admin_user: Value = admin
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    app::admin::server::set_suspended(
        &app.db,
        &app::auth::api::CurrentUser {
            id: admin_user["id"].as_i64().unwrap() as i32,
            email: "admin@example.org".into(),
            display_name: "Admin".into(),
            role: domain::account::UserRole::Admin,
            ui_language: domain::language::UiLanguage::En,
            organisation_id: None,
            unread_notifications: 0,
            email_verified: true,
            organisation_verified: None,
        },
        suspended_user["id"].as_i64().unwrap() as i32,
        true,
    )
    .await
    .unwrap();
    (
        vec![
            visitor,
            engineer,
            other_engineer,
            unverified,
            employer,
            other_org,
            suspended,
            admin,
        ],
        Records {
            role,
            application,
            engineer: engineer_user["id"].as_i64().unwrap(),
            organisation: employer_user["organisation_id"].as_i64().unwrap(),
            unverified_organisation: unverified_user["organisation_id"].as_i64().unwrap(),
            interview,
            saved_search,
        },
    )
}

/// Every route the app serves that a caller could be refused: the OpenAPI document's operations,
/// the routes outside it, and every registered server function.
fn served_routes() -> BTreeSet<(String, String)> {
    use utoipa::OpenApi;
    let mut routes = BTreeSet::new();
    for (path, item) in server::api::openapi::ApiDoc::openapi().paths.paths {
        for (method, operation) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ] {
            if operation.is_some() {
                routes.insert((method.to_owned(), path.clone()));
            }
        }
    }
    // the routes `server::router` adds beside the API and the server functions
    for (method, path) in [
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/admin/export/{file}"),
        ("POST", "/lang/{code}"),
        ("GET", "/dev/mail"),
        ("GET", "/livez"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("POST", "/profile/photo"),
        ("POST", "/profile/photo/delete"),
        ("POST", "/applications/{id}/messages"),
    ] {
        routes.insert((method.into(), path.into()));
    }
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        routes.insert((method.to_string(), path.to_owned()));
    }
    routes
}

on_both_databases!(
    every_endpoint_answers_each_caller_as_the_matrix_says,
    async |app: &TestApp| {
        let (clients, records) = callers(app).await;
        let table = table();
        let mut listed: BTreeSet<(String, String)> = table
            .iter()
            .map(|row| (row.method.to_string(), row.route.to_owned()))
            .collect();
        listed.insert(("DELETE".into(), "/api/v1/session".into()));
        listed.insert(("POST".into(), "/api/log_out".into()));
        let missing: Vec<_> = served_routes().difference(&listed).cloned().collect();
        assert!(
            missing.is_empty(),
            "routes missing from the matrix: {missing:?}"
        );

        let mut wrong = Vec::new();
        for row in &table {
            for (i, client) in clients.iter().enumerate() {
                let url = app.url(&(row.path)(&records));
                let request = client
                    .request(row.method.clone(), &url)
                    .header("x-client-ip", format!("10.0.1.{i}"))
                    .header("accept", "application/json");
                let request = match (row.body)(&records) {
                    Body::None => request,
                    Body::Json(body) => request.json(&body),
                    Body::Form(pairs) => request.form(&pairs),
                };
                let status = request.send().await.unwrap().status().as_u16();
                if status != row.expect[i] {
                    wrong.push(format!(
                        "{} {} as {}: {status}, expected {}",
                        row.method, row.route, CALLERS[i], row.expect[i]
                    ));
                }
            }
        }
        // last: logging out answers everyone, signed in or not
        for client in &clients {
            let api = client
                .delete(app.url("/api/v1/session"))
                .send()
                .await
                .unwrap();
            assert_eq!(api.status(), StatusCode::NO_CONTENT);
            let page = client
                .post(app.url("/api/log_out"))
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            assert!(page.status().is_success() || page.status().is_redirection());
        }
        assert!(
            wrong.is_empty(),
            "{} cells differ:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
);
