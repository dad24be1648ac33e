//! Database access: connection, migrations, sea-orm entities, and turning constraint violations
//! into field errors.

pub mod entities;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, TransactionTrait,
};

/// Connections to PostgreSQL in the pool.
const POSTGRES_CONNECTIONS: u32 = 16;

/// A pooled PostgreSQL connection idle longer than this is checked (a ping) before it is
/// handed out; one used more recently is not.
pub const CHECK_IDLE_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

/// Connects to `url` (a `postgres://` or `sqlite://` URL) and brings its schema up to date.
pub async fn connect_and_migrate(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = if url.starts_with("sqlite:") {
        let mut options = ConnectOptions::new(url.to_owned());
        options.sqlx_logging(false);
        // SQLite allows one writer at a time: a small pool and a busy timeout avoid
        // "database is locked" under concurrent requests.
        options.max_connections(4);
        Database::connect(options).await?
    } else {
        connect_postgres(url).await?
    };
    if url.starts_with("sqlite:") {
        db.execute_unprepared(
            "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
        )
        .await?;
    }
    migrate(&db).await?;
    Ok(db)
}

/// The pool for PostgreSQL. sqlx's default pings every connection before handing it out: a
/// round trip to the database before each statement, about a tenth of a cached page's time.
/// Like HikariCP's bypass window, only a connection idle longer than [`CHECK_IDLE_AFTER`] is
/// pinged, so one the database closed while it sat idle (a restart, a failover, an idle
/// timeout) is replaced before a request uses it; a connection that breaks between two uses
/// within the second fails its statement, and the pool drops it.
/// On release a connection is settled, not pinged (the patched sqlx-core,
/// `vendor/sqlx-core/PATCHED.md`).
async fn connect_postgres(url: &str) -> Result<DatabaseConnection, DbErr> {
    use sea_orm::sqlx::postgres::{PgConnectOptions, PgPoolOptions};
    use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
    let options: PgConnectOptions = url
        .parse()
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::Internal(format!("{e}"))))?;
    let pool = PgPoolOptions::new()
        .max_connections(POSTGRES_CONNECTIONS)
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                if meta.idle_for >= CHECK_IDLE_AFTER {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(options.disable_statement_logging())
        .await
        .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)))?;
    Ok(sea_orm::SqlxPostgresConnector::from_sqlx_postgres_pool(
        pool,
    ))
}

/// The advisory lock that serialises migrations across instances (an arbitrary constant:
/// "setubasi" in ASCII).
const MIGRATION_LOCK: i64 = 0x7365_7475_6261_7369;

/// Brings the schema up to date. On PostgreSQL, under a transaction-scoped advisory lock: two
/// instances starting at once (a deploy of two machines) would otherwise both create the same
/// tables, and one would fail half-way; the second now waits, then finds nothing to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let lock = db.begin().await?;
    lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    // the migrations run on the pool; the lock's connection holds the lock until it commits
    let migrated = Migrator::up(db, None).await;
    lock.commit().await?;
    migrated
}

/// A select that yields one value (or none), as an expression another statement can read beside
/// its own columns: `(SELECT …)`, null when the select finds no row.
pub fn scalar_subquery(
    select: sea_orm::sea_query::SelectStatement,
) -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::SimpleExpr::SubQuery(
        None,
        Box::new(sea_orm::sea_query::SubQueryStatement::SelectStatement(
            select,
        )),
    )
}

/// Whether `err` is a violation of the unique constraint named `constraint`. Both PostgreSQL
/// and SQLite name the index in their message, which is why our constraints have deliberate
/// names.
pub fn violates(err: &DbErr, constraint: &str) -> bool {
    let message = err.to_string();
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(detail)) => {
            detail.contains(constraint)
                || message.contains(constraint)
                || constraint_columns_match(&detail, constraint)
        }
        _ => false,
    }
}

/// SQLite reports a unique violation by column (`UNIQUE constraint failed: users.email`), not by
/// index name; map our named constraints to their columns.
fn constraint_columns_match(detail: &str, constraint: &str) -> bool {
    match constraint {
        migrations::UQ_USERS_EMAIL => detail.contains("users.email"),
        migrations::UQ_APPLICATIONS_ROLE_ENGINEER => {
            detail.contains("applications.role_id, applications.engineer_user_id")
        }
        migrations::UQ_INVITATIONS_ROLE_ENGINEER => {
            detail.contains("invitations.role_id, invitations.engineer_user_id")
        }
        _ => false,
    }
}
