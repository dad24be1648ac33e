//! The state every request handler and server function shares, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use domain::skills::Taxonomy;
use leptos::prelude::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::auth::limits::{LoginLimiter, SignUpLimiter};

/// Handed to `leptos_routes_with_context` and to the JSON API's router.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub taxonomy: Arc<Taxonomy>,
    /// The search index, derived from the database.
    pub search: Arc<search::SearchIndex>,
    /// How many searches run at once; the rest wait their turn.
    pub search_slots: Arc<crate::searching::SearchSlots>,
    /// Role search pages that are not personal, kept until the roles in the index change.
    pub role_pages: Arc<
        crate::jobs::kept::KeptPages<
            crate::jobs::server::RolePageKey,
            crate::jobs::api::JobResults,
        >,
    >,
    /// Talent searches (what the index found, not the profiles), kept until the engineers in
    /// the index change.
    pub talent_pages: Arc<
        crate::jobs::kept::KeptPages<
            crate::talent::server::TalentPageKey,
            (search::SearchPage, usize),
        >,
    >,
    /// Rankings of a role's candidates, kept the same way.
    pub candidate_pages: Arc<
        crate::jobs::kept::KeptPages<
            crate::candidates::server::CandidatePageKey,
            (search::RankedPage, usize),
        >,
    >,
    /// The one task that writes to the index; saves wait on it.
    pub indexer: Arc<crate::indexing::Indexer>,
    /// The applications' dashboard columns, in memory, following the change log.
    pub dashboard_columns: Arc<crate::admin::stats::DashboardColumns>,
    /// Dashboard views kept until what they count changes.
    pub dashboard_views: Arc<crate::admin::stats::KeptViews>,
    pub login_limiter: Arc<LoginLimiter>,
    pub signup_limiter: Arc<SignUpLimiter>,
    /// Which request header carries the client's address when behind a trusted proxy
    /// (`Fly-Client-IP` on fly.io); `None` uses the socket's peer address.
    pub client_ip_header: Option<http::HeaderName>,
    /// Served over TLS (`SETUBASHI_SECURE_COOKIES`): cookies are `Secure` and responses carry
    /// Strict-Transport-Security.
    pub secure_transport: bool,
    /// Where people reach the site (`SETUBASHI_PUBLIC_URL`): the links in e-mails start here.
    pub public_url: String,
    /// The mail sender to wake when a request queues a message (`None`: nothing sends here, the
    /// message waits for an instance that does).
    pub mail: Option<Arc<crate::mail::sender::Sender>>,
    /// The demo's mailbox directory, listed at `/dev/mail`; `None` (no such page) whenever mail
    /// is really sent.
    pub dev_mailbox: Option<std::path::PathBuf>,
}

impl AppState {
    /// Builds the state and starts the index writer task (so it must run inside the runtime).
    pub fn new(
        leptos_options: LeptosOptions,
        db: DatabaseConnection,
        search: Arc<search::SearchIndex>,
    ) -> Self {
        let indexer = crate::indexing::Indexer::start(db.clone(), Arc::clone(&search));
        let login_limiter = Arc::new(LoginLimiter::default());
        let signup_limiter = Arc::new(SignUpLimiter::default());
        sweep_limiters(&login_limiter, &signup_limiter);
        Self {
            leptos_options,
            indexer,
            role_pages: Arc::new(crate::jobs::kept::KeptPages::new(
                "roles",
                crate::jobs::kept::ROLE_PAGES,
            )),
            talent_pages: Arc::new(crate::jobs::kept::KeptPages::new(
                "talent",
                crate::jobs::kept::ENGINEER_PAGES,
            )),
            candidate_pages: Arc::new(crate::jobs::kept::KeptPages::new(
                "candidates",
                crate::jobs::kept::ENGINEER_PAGES,
            )),
            dashboard_columns: Arc::default(),
            dashboard_views: Arc::default(),
            db,
            taxonomy: Arc::new(Taxonomy::builtin()),
            search,
            search_slots: Arc::new(crate::searching::SearchSlots::for_machine()),
            login_limiter,
            signup_limiter,
            client_ip_header: None,
            secure_transport: false,
            public_url: "http://127.0.0.1:3000".to_owned(),
            mail: None,
            dev_mailbox: None,
        }
    }

    /// Lets one address create `burst` accounts at once (`SETUBASHI_SIGNUP_BURST`: a campus
    /// or a job fair behind one address, or a test suite) instead of the default.
    pub fn set_signup_burst(&mut self, burst: u32) {
        self.signup_limiter = Arc::new(SignUpLimiter::with_burst(burst));
        // the old sweeper stops with the old limiter; this one sweeps both
        sweep_limiters(&self.login_limiter, &self.signup_limiter);
    }

    /// Loads the dashboard's columns in the background, so the first view finds them (until
    /// they are loaded, views read the rows from the database).
    pub fn load_dashboard_columns(&self) {
        let (columns, db) = (Arc::clone(&self.dashboard_columns), self.db.clone());
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            match columns.current(&db).await {
                Ok(Some(loaded)) => tracing::info!(
                    applications = loaded.len(),
                    seconds = started.elapsed().as_secs_f64(),
                    "the dashboard's columns are loaded"
                ),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "the dashboard's columns did not load"),
            }
        });
    }

    /// The programme dashboard for `filters` today (Japan's day), kept or computed: what the
    /// page, the API and the exports show.
    pub async fn programme_summary(
        &self,
        filters: &crate::admin::api::DashboardFilters,
    ) -> crate::error::AppResult<crate::admin::api::ProgrammeSummary> {
        self.dashboard_views
            .summary(
                &self.db,
                &self.dashboard_columns,
                filters,
                domain::time::japan_date(chrono::Utc::now()),
            )
            .await
    }

    /// Tells the mail sender a message was queued.
    pub fn wake_mail(&self) {
        if let Some(mail) = &self.mail {
            mail.wake();
        }
    }
}

/// Forgets the rate limiters' refilled keys every minute, for as long as the limiters live.
fn sweep_limiters(login: &Arc<LoginLimiter>, signup: &Arc<SignUpLimiter>) {
    let (login, signup) = (Arc::downgrade(login), Arc::downgrade(signup));
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let (Some(login), Some(signup)) = (login.upgrade(), signup.upgrade()) else {
                return;
            };
            login.sweep();
            signup.sweep();
        }
    });
}
