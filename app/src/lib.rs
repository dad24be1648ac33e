//! Setubashi's user interface and server functions.
//!
//! Each feature is a module: `api` holds its server functions and the types they exchange
//! (compiled for both sides), `server` its queries (server only), `page(s)` its components.

rust_i18n::i18n!("locales", fallback = "en");

pub mod admin;
pub mod applications;
pub mod auth;
pub mod candidates;
pub mod career;
pub mod components;
pub mod error;
pub mod forms;
pub mod home;
pub mod i18n;
pub mod interviews;
pub mod jobs;
pub mod messages;
pub mod notifications;
pub mod organisation;
pub mod profile;
pub mod readiness;
pub mod rights;
pub mod roles;
pub mod saved_searches;
pub mod talent;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod indexing;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod searching;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod turns;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode, StaticSegment};

use crate::components::{Footer, Header, PageTitle, UserResource};
use crate::i18n::{t, use_lang};

/// The HTML document around the app, rendered on the server for each request in the request's
/// language.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = auth::server::request_language();
    provide_context(lang);
    security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // the site's files carry a hash of their content in their names (cargo-leptos'
                // hash-files), so they can be cached for a year; these read the names
                <leptos_meta::HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = use_lang();
    provide_context(lang);

    view! {
        <Link rel="icon" href="data:," />
        <Meta name="description" content=t(lang, "brand.description") />
        <PageTitle text=t(lang, "brand.title") />
        <Router>
            <Frame />
        </Router>
    }
}

/// Everything inside the router: the signed-in user (reloaded on every navigation and after
/// logging out, so the header never shows a stale account), the header, the routes, the footer.
#[component]
fn Frame() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let log_out = ServerAction::<auth::api::LogOut>::new();
    provide_context(log_out);
    // the query too: a form that changes the account redirects to the same page with a new
    // query (`/verify-email?done=1`), and the header and banner must follow
    let user: UserResource = Resource::new(
        move || {
            (
                location.pathname.get(),
                location.search.get(),
                log_out.version().get(),
            )
        },
        |_| auth::api::fetch_current_user(),
    );
    provide_context(user);
    view! {
        <Header />
        <components::VerifyBanner />
        <main id="main" tabindex="-1">
            <forms::KeptFailure />
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=home::HomePage />
                <Route path=path!("/signup") view=auth::pages::SignUpPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=auth::pages::LogInPage ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view=auth::pages::ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/reset-password") view=auth::pages::ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/verify-email") view=auth::pages::VerifyEmailPage ssr=SsrMode::Async />
                <Route path=path!("/profile") view=profile::page::ProfilePage ssr=SsrMode::Async />
                <Route path=path!("/profile/career") view=career::page::CareerPage ssr=SsrMode::Async />
                <Route path=path!("/profile/documents") view=career::documents_page::DocumentsPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=rights::pages::AccountPage ssr=SsrMode::Async />
                <Route path=path!("/privacy") view=rights::pages::PrivacyPage />
                <Route path=path!("/unsubscribe") view=rights::pages::UnsubscribePage ssr=SsrMode::Async />
                <Route path=path!("/organisation") view=organisation::page::OrganisationPage ssr=SsrMode::Async />
                <Route path=path!("/join") view=organisation::page::JoinPage ssr=SsrMode::Async />
                <Route path=path!("/companies/:id") view=organisation::company::CompanyPage ssr=SsrMode::Async />
                <Route path=path!("/roles") view=roles::pages::MyRolesPage ssr=SsrMode::Async />
                <Route path=path!("/roles/new") view=roles::pages::NewRolePage ssr=SsrMode::Async />
                <Route path=path!("/roles/:id/edit") view=roles::pages::EditRolePage ssr=SsrMode::Async />
                <Route path=path!("/roles/:id/pipeline") view=applications::pages::PipelinePage ssr=SsrMode::Async />
                <Route path=path!("/roles/:id/candidates") view=candidates::pages::CandidatesPage ssr=SsrMode::Async />
                <Route path=path!("/talent") view=talent::pages::TalentPage ssr=SsrMode::Async />
                <Route path=path!("/talent/:id") view=candidates::profile_page::CandidatePage ssr=SsrMode::Async />
                <Route path=path!("/dashboard") view=jobs::pages::DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/jobs") view=jobs::pages::JobsPage ssr=SsrMode::Async />
                <Route path=path!("/jobs/:id") view=jobs::pages::JobPage ssr=SsrMode::Async />
                <Route path=path!("/applications") view=applications::pages::MyApplicationsPage ssr=SsrMode::Async />
                <Route path=path!("/applications/:id") view=applications::pages::ApplicationPage ssr=SsrMode::Async />
                <Route path=path!("/notifications") view=notifications::page::NotificationsPage ssr=SsrMode::Async />
                <Route path=path!("/searches") view=saved_searches::page::SavedSearchesPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=admin::pages::AdminDashboardPage ssr=SsrMode::Async />
                <Route path=path!("/admin/verification") view=admin::pages::VerificationPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=admin::pages::UsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/audit") view=admin::pages::AuditLogPage ssr=SsrMode::Async />
                <Route path=path!("/admin/mail") view=admin::pages::OutboxPage ssr=SsrMode::Async />
                <Route path=path!("/admin/settings") view=admin::pages::SettingsPage ssr=SsrMode::Async />
            </Routes>
        </main>
        <Footer />
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <PageTitle text=t(lang, "errors.not_found") />
        <h1>{t(lang, "errors.not_found")}</h1>
        <p><a href="/">{t(lang, "nav.home")}</a></p>
    }
}

/// Shows why a page's data could not be loaded: a link to log in, or the translated reason.
#[component]
pub fn PageError(error: error::AppError) -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status());
    }
    let login = auth::api::needs_login(&error);
    view! {
        <div class="alert alert-error" role="alert">
            <p>{error.message(lang)}</p>
            {login.then(|| view! { <p><a href="/login">{t(lang, "nav.log_in")}</a></p> })}
        </div>
    }
}

/// A page's parts look up their context (the request, its user, the state) from the request's
/// reactive owner, on whichever worker thread runs them; the request's owner is dropped when
/// its client goes away, at any moment. reactive_graph 0.2.16 could deadlock a worker thread
/// for good when that happened mid-lookup (see `vendor/reactive_graph/PATCHED.md`).
#[cfg(test)]
mod owner_lookups {
    use std::sync::mpsc;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use leptos::prelude::Owner;

    /// Provided by the request's owner; cloning it (as `use_context` does) drops the request,
    /// the way another thread dropping it mid-lookup would.
    struct DropsTheRequest(Arc<Mutex<Option<Owner>>>);

    impl Clone for DropsTheRequest {
        fn clone(&self) -> Self {
            self.0.lock().unwrap().take();
            Self(Arc::clone(&self.0))
        }
    }

    #[test]
    fn a_context_lookup_that_outlives_its_request_does_not_deadlock() {
        let (done, finished) = mpsc::channel();
        std::thread::spawn(move || {
            let request = Owner::new();
            let slot = Arc::new(Mutex::new(None));
            request.with(|| leptos::prelude::provide_context(DropsTheRequest(slot.clone())));
            let part = request.child();
            // the part's lookup now holds the request's last handle
            *slot.lock().unwrap() = Some(request);
            let found = part.with(leptos::prelude::use_context::<DropsTheRequest>);
            assert!(found.is_some());
            assert!(slot.lock().unwrap().is_none(), "the request was dropped");
            done.send(()).unwrap();
        });
        assert!(
            finished.recv_timeout(Duration::from_secs(10)).is_ok(),
            "the lookup never returned: its thread is deadlocked"
        );
    }
}
