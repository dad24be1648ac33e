//! `server`: Setubashi's command line. `server serve` (the default) runs the web app.

use std::net::SocketAddr;
use std::sync::Arc;

use app::state::AppState;
use clap::{Parser, Subcommand};
use domain::skills::Taxonomy;
use leptos::config::{get_configuration, LeptosOptions};
use rand::Rng;
use server::config::Config;
use server::seed::{self, SeedOptions};
use server::sessions::{session_layer, DbSessionStore};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "server", about = "Setubashi: the India–Japan talent bridge")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default). Migrates first; seeds demo data into an empty database
    /// unless --no-demo is given.
    Serve {
        #[arg(long)]
        no_demo: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Add synthetic demo data (deterministic for a given seed).
    Seed {
        #[arg(long, default_value_t = 200)]
        engineers: usize,
        #[arg(long, default_value_t = 40)]
        roles: usize,
        #[arg(long, default_value_t = 600)]
        applications: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Only seed when the database has no users yet.
        #[arg(long)]
        if_empty: bool,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Check the search index in the data directory against the database (with this instance
    /// stopped: the index is opened for writing); exits 1 if they differ.
    VerifyIndex,
    /// Check the programme dashboard's rollups against a recount from the applications (safe
    /// while the servers run: one snapshot); exits 1 if they differ.
    VerifyRollups,
    /// Compute the programme dashboard's rollups again from the applications (while moves
    /// wait: on PostgreSQL it holds a share lock on the applications).
    RebuildRollups,
    /// Employer organisations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator. The password is read from SETUBASHI_ADMIN_PASSWORD or asked for
    /// on the terminal, never taken as an argument (arguments show in process lists).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Verify an organisation, publishing its open roles to engineers.
    Verify {
        /// The organisation's id (shown on its page and in the API).
        id: i32,
    },
}

/// Worker threads' stacks: rendering a page walks its whole view tree, which in a debug build
/// (`make run`) takes more than tokio's default 2 MiB on the deepest pages.
const WORKER_STACK: usize = 8 * 1024 * 1024;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK)
        .build()?
        .block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,tantivy=warn"));
    // one JSON object a line for a log collector; readable lines otherwise
    if std::env::var("SETUBASHI_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let cli = Cli::parse();
    let config = Config::from_env()?;
    let db = app::db::connect_and_migrate(&config.database_url).await?;
    match cli.command.unwrap_or(Command::Serve { no_demo: false }) {
        Command::Migrate => {
            println!("database schema is up to date");
            Ok(())
        }
        Command::Seed {
            engineers,
            roles,
            applications,
            seed,
            if_empty,
        } => {
            if if_empty && !seed::is_empty(&db).await? {
                println!("database already has users; not seeding");
                return Ok(());
            }
            run_seed(
                &config,
                &db,
                SeedOptions {
                    engineers,
                    roles,
                    applications,
                    seed,
                    progress: true,
                },
            )
            .await
        }
        Command::Admin {
            command: AdminCommand::Create { email, name },
        } => {
            let password = match std::env::var("SETUBASHI_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => rpassword::prompt_password("Password for the new administrator: ")?,
            };
            match app::auth::server::create_admin(&db, &email, &password, &name).await {
                Ok(user) => {
                    println!("administrator {} created (id {})", user.email, user.id);
                    Ok(())
                }
                Err(app::error::AppError::Validation(errors)) => {
                    for e in errors {
                        eprintln!(
                            "{}: {}",
                            e.field,
                            app::i18n::t(
                                domain::language::UiLanguage::En,
                                &format!("errors.{}", e.problem.key())
                            )
                        );
                    }
                    std::process::exit(2);
                }
                Err(other) => anyhow::bail!("could not create the administrator: {other}"),
            }
        }
        Command::Org {
            command: OrgCommand::Verify { id },
        } => {
            app::organisation::server::set_verified(&db, None, id, true)
                .await
                .map_err(|e| anyhow::anyhow!("could not verify organisation {id}: {e}"))?;
            // the change is queued for the search index: a running server publishes the roles
            // within a second, a stopped one when it starts
            println!("organisation {id} verified; its open roles are being published");
            Ok(())
        }
        Command::Reindex => {
            let opened = server::indexing::open(&config, &db, true).await?;
            // a missing or outdated index was just filled; otherwise rebuild it, as asked
            if !opened.rebuilt {
                server::indexing::rebuild(&db, &opened.index, true).await?;
            }
            let index = &opened.index;
            println!(
                "indexed {} searchable profiles and {} open roles",
                index.count(search::Kind::Engineer)?,
                index.count(search::Kind::Role)?
            );
            Ok(())
        }
        Command::VerifyIndex => {
            let (index, created) = server::indexing::open_or_create(&config).await?;
            if created {
                println!(
                    "there was no complete index (a new one is filled when the server starts)"
                );
                std::process::exit(1);
            }
            let report = app::indexing::verify(&db, &Arc::new(index))
                .await
                .map_err(|e| anyhow::anyhow!("could not read the database: {e}"))?;
            println!(
                "the database has {} searchable profiles and {} open roles",
                report.profiles, report.roles
            );
            for difference in &report.differences {
                let first = |ids: &[i32]| ids.iter().take(20).copied().collect::<Vec<_>>();
                println!(
                    "{:?}: {} missing from the index (first: {:?}), {} in the index but not findable (first: {:?}), {} in the index more than once (first: {:?})",
                    difference.kind,
                    difference.missing.len(),
                    first(&difference.missing),
                    difference.extra.len(),
                    first(&difference.extra),
                    difference.duplicated.len(),
                    first(&difference.duplicated)
                );
            }
            if !report.matches() {
                std::process::exit(1);
            }
            println!("the index matches the database");
            Ok(())
        }
        Command::VerifyRollups => {
            let (slices, people) = app::admin::stats::verify_rollups(&db)
                .await
                .map_err(|e| anyhow::anyhow!("could not read the database: {e}"))?;
            if slices + people > 0 {
                println!(
                    "the rollups differ from the applications: {slices} slice rows and {people} \
                     counted-people rows (run `server rebuild-rollups`)"
                );
                std::process::exit(1);
            }
            println!("the rollups match the applications");
            Ok(())
        }
        Command::RebuildRollups => {
            let started = std::time::Instant::now();
            app::admin::stats::rebuild_rollups(&db)
                .await
                .map_err(|e| anyhow::anyhow!("could not rebuild the rollups: {e}"))?;
            println!(
                "the rollups were computed again in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Serve { no_demo } => {
            if !no_demo && seed::is_empty(&db).await? {
                run_seed(
                    &config,
                    &db,
                    SeedOptions {
                        engineers: 200,
                        roles: 40,
                        applications: 600,
                        seed: 2026,
                        progress: true,
                    },
                )
                .await?;
            }
            serve(config, db).await
        }
    }
}

async fn run_seed(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
    options: SeedOptions,
) -> anyhow::Result<()> {
    let password = match std::env::var("SETUBASHI_DEMO_PASSWORD") {
        Ok(p) if p.chars().count() >= 12 => p,
        _ => {
            let mut rng = rand::thread_rng();
            (0..16)
                .map(|_| rng.gen_range(b'a'..=b'z') as char)
                .collect()
        }
    };
    let started = std::time::Instant::now();
    let report = seed::seed(db, &Taxonomy::builtin(), options, &password).await?;
    println!(
        "seeded {} engineers, {} organisations, {} roles and {} applications in {:.1}s (synthetic demo data)",
        report.engineers,
        report.organisations,
        report.roles,
        report.applications,
        started.elapsed().as_secs_f64()
    );
    println!("demo log-ins (password: {password}):");
    println!("  engineer: {}", report.demo_engineer_email);
    println!("  employer: {}", report.demo_employer_email);
    // the index is derived from the database: bring it up to date with the new records
    // a new index is filled as it is opened; an existing one is rebuilt with the new records
    let opened = server::indexing::open(config, db, false).await?;
    if !opened.rebuilt {
        server::indexing::rebuild(db, &opened.index, true).await?;
    }
    Ok(())
}

async fn serve(config: Config, db: sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    // cargo-leptos bakes the site's settings into the binary (and LEPTOS_* variables override
    // them); a binary built by plain cargo falls back to the workspace's defaults
    let mut leptos_options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(err) => {
            tracing::warn!(error = %err, "no leptos configuration baked in; using defaults");
            LeptosOptions::builder()
                .output_name("setubashi")
                .site_root(
                    std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned()),
                )
                .build()
        }
    };
    if leptos_options.output_name.is_empty() {
        // a binary built by plain cargo: the name cargo-leptos gives the site's files
        leptos_options.output_name = "setubashi".into();
    }
    // cargo-leptos names the site's files by their content's hash (hash-files) and leaves the
    // names in hash.txt beside the binary; it sets LEPTOS_HASH_FILES only when it runs the server
    // itself, so a binary started directly finds the file instead
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        leptos_options.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(&*leptos_options.hash_file)))
            .is_some_and(|file| file.exists());
    }
    let addr: SocketAddr = match std::env::var("SETUBASHI_ADDR") {
        Ok(addr) => addr.parse()?,
        Err(_) => leptos_options.site_addr,
    };
    let store = DbSessionStore::new(&db).await?;
    store.spawn_expiry_sweeper();
    let index = server::indexing::open(&config, &db, true).await?.index;
    let mut state = AppState::new(leptos_options, db, index);
    if config.dashboard_columns {
        state.load_dashboard_columns();
    } else {
        state.dashboard_columns = Arc::new(app::admin::stats::DashboardColumns::off());
    }
    state.client_ip_header = config
        .client_ip_header
        .as_deref()
        .map(str::parse)
        .transpose()?;
    if config.signup_burst != app::auth::limits::SignUpLimiter::DEFAULT_BURST {
        state.set_signup_burst(config.signup_burst);
    }
    state.taxonomy = Arc::new(Taxonomy::builtin());
    state.secure_transport = config.secure_cookies;
    state.public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let transport = app::mail::transport::Transport::from_config(
        config.smtp_url.as_deref(),
        config.mailbox_dir(),
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let from = config
        .mail_from
        .parse()
        .map_err(|e| anyhow::anyhow!("SETUBASHI_MAIL_FROM: {e}"))?;
    state.mail = Some(app::mail::sender::Sender::start(
        state.db.clone(),
        transport,
        from,
    ));
    app::rights::retention::spawn_scheduler(
        state.db.clone(),
        config.retention,
        state.public_url.clone(),
    );
    app::mail::notices::spawn_scheduler(
        state.db.clone(),
        state.public_url.clone(),
        state.mail.clone(),
    );
    app::mail::reminders::spawn_scheduler(
        state.db.clone(),
        state.public_url.clone(),
        state.mail.clone(),
    );
    app::interviews::reminders::spawn_scheduler(state.db.clone());
    app::roles::closing::spawn_scheduler(state.db.clone());
    app::saved_searches::alerts::spawn_scheduler(state.clone());
    // the demo's mailbox is listed at /dev/mail only when mail is not really sent
    if config.smtp_url.is_none() {
        state.dev_mailbox = Some(config.mailbox_dir());
    }
    // metrics on their own listener, never the public port (see server::metrics)
    if let Ok(metrics_addr) = std::env::var("SETUBASHI_METRICS_ADDR") {
        let metrics_addr: SocketAddr = metrics_addr.parse()?;
        server::metrics::handle()
            .ok_or_else(|| anyhow::anyhow!("the metrics recorder could not be installed"))?;
        let listener = tokio::net::TcpListener::bind(metrics_addr).await?;
        let metrics = server::metrics::router(state.clone());
        tracing::info!(%metrics_addr, "metrics listening");
        tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, metrics).await {
                tracing::error!(error = %err, "the metrics listener failed");
            }
        });
    }
    let indexer = state.indexer.clone();
    let router = server::app_router(state, session_layer(store, config.secure_cookies));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "setubashi listening");
    server::serve::serve(listener, router, shutdown_signal()).await?;
    // a last round: what was committed is in the index, and the index's commit records it
    indexer.sync().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what a platform sends before stopping a machine): stop accepting and let
/// requests in flight finish.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
