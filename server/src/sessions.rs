//! Sessions stored in the application database through tower-sessions' sqlx stores, on
//! whichever of PostgreSQL or SQLite the app runs.

use async_trait::async_trait;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use tower_sessions::cookie::SameSite;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "setubashi_session";

/// The store of the database the app runs on.
#[derive(Debug, Clone)]
pub enum DbSessionStore {
    Postgres(PostgresStore),
    Sqlite(SqliteStore),
}

impl DbSessionStore {
    /// Uses the app's own connection pool and creates the store's table if missing.
    pub async fn new(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let store = match db.get_database_backend() {
            DatabaseBackend::Postgres => DbSessionStore::Postgres(PostgresStore::new(
                db.get_postgres_connection_pool().clone(),
            )),
            DatabaseBackend::Sqlite => {
                DbSessionStore::Sqlite(SqliteStore::new(db.get_sqlite_connection_pool().clone()))
            }
            DatabaseBackend::MySql => anyhow::bail!("MySQL is not supported"),
        };
        match &store {
            DbSessionStore::Postgres(s) => s.migrate().await?,
            DbSessionStore::Sqlite(s) => s.migrate().await?,
        }
        Ok(store)
    }

    /// Deletes expired sessions every hour, for as long as the server runs.
    pub fn spawn_expiry_sweeper(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            let period = tokio::time::Duration::from_secs(3600);
            let result = match store {
                DbSessionStore::Postgres(s) => s.continuously_delete_expired(period).await,
                DbSessionStore::Sqlite(s) => s.continuously_delete_expired(period).await,
            };
            if let Err(err) = result {
                tracing::error!(error = %err, "session expiry sweeper stopped");
            }
        });
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Postgres(s) => s.create(record).await,
            DbSessionStore::Sqlite(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Postgres(s) => s.save(record).await,
            DbSessionStore::Sqlite(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbSessionStore::Postgres(s) => s.load(id).await,
            DbSessionStore::Sqlite(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbSessionStore::Postgres(s) => s.delete(id).await,
            DbSessionStore::Sqlite(s) => s.delete(id).await,
        }
    }
}

/// The session layer: HttpOnly, SameSite=Lax, Secure when served over TLS, expiring after a
/// week without use.
pub fn session_layer(store: DbSessionStore, secure: bool) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(7)))
}
