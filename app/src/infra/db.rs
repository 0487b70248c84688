//! The database handle. One schema runs on embedded SQLite (the default) and on PostgreSQL
//! (production); queries are plain SQL with `$1` placeholders that both accept, run through
//! sqlx's `Any` driver so each rule is written once.
//!
//! Conventions that keep the two backends interchangeable:
//! - integers are `INTEGER` in SQLite and `BIGINT` in PostgreSQL, always decoded as `i64`;
//! - timestamps are Unix seconds (UTC) in those integer columns; the UI shows Asia/Ho_Chi_Minh;
//! - flags are 0/1 integers, aggregates are `CAST(... AS BIGINT)` (PostgreSQL's `SUM` is NUMERIC,
//!   which `Any` cannot decode).

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A write transaction (one commit, one fsync on SQLite, for everything in it).
pub type WriteTx = sqlx::Transaction<'static, sqlx::Any>;

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// SQLite settings applied to every connection: WAL lets readers run beside the writer;
/// `synchronous=FULL` makes an acknowledged write survive power loss (the platform records
/// exam answers, so losing the last second is not acceptable); the busy timeout makes writers
/// queue instead of failing under a burst.
pub const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

/// PostgreSQL settings applied to every connection.
pub const POSTGRES_SETTINGS: &str = "SET lock_timeout = '15s'";

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| sqlx::Error::Configuration(format!("unsupported DATABASE_URL scheme: {}", redact(url)).into()))?;
        if backend == Backend::Sqlite {
            ensure_sqlite_dir(url);
        }
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(15))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        Backend::Sqlite => conn.execute(SQLITE_PRAGMAS).await?,
                        // No request waits long for a lock: a stuck transaction elsewhere turns
                        // into an error (the attempt page retries) instead of a hung server.
                        Backend::Postgres => conn.execute(POSTGRES_SETTINGS).await?,
                    };
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await,
        }
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction that reads and then writes would otherwise fail with
    /// SQLITE_BUSY_SNAPSHOT whenever another connection commits in between, and the busy
    /// timeout cannot help with that. On PostgreSQL it is a plain `BEGIN`.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Serialises changes to the unit tree until the transaction ends, so two concurrent moves
    /// cannot each pass the cycle check and together create a cycle. SQLite's `BEGIN IMMEDIATE`
    /// already serialises writers; PostgreSQL takes a transaction-scoped advisory lock.
    pub async fn lock_tree(&self, tx: &mut WriteTx) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_advisory_xact_lock(727001)) AS l").execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Serialises transactions that pass the same `key` until they end: a check-then-insert
    /// (a per-author quota, say) cannot then be passed twice by two concurrent requests.
    /// SQLite's `BEGIN IMMEDIATE` already serialises writers; PostgreSQL takes an advisory lock.
    pub async fn lock_key(&self, tx: &mut WriteTx, key: i64) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT CAST(1 AS BIGINT) FROM (SELECT pg_advisory_xact_lock($1)) AS l").bind(key).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// A savepoint in `tx`: what follows can be undone alone with [`Db::rollback_to`].
    pub async fn savepoint(tx: &mut WriteTx, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("SAVEPOINT {name}")).execute(&mut **tx).await.map(|_| ())
    }

    /// Undoes what was written since the savepoint `name` (which stays open).
    pub async fn rollback_to(tx: &mut WriteTx, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}")).execute(&mut **tx).await.map(|_| ())
    }

    /// Ends the savepoint `name`, keeping what was written since.
    pub async fn release(tx: &mut WriteTx, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("RELEASE SAVEPOINT {name}")).execute(&mut **tx).await.map(|_| ())
    }

    /// Whether every migration this build carries has been applied (and none is left failed):
    /// a node whose code is newer than its database must not take requests.
    pub async fn migrations_current(&self) -> Result<bool, sqlx::Error> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> = sqlx::query_scalar("SELECT CAST(MAX(version) AS BIGINT) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .or_else(|e| match &e {
                // No migrations table: nothing applied yet.
                sqlx::Error::Database(_) => Ok(None),
                _ => Err(e),
            })?;
        Ok(applied.unwrap_or(0) >= latest)
    }

    /// A cheap round trip for the health check.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

/// Creates the folder of a SQLite file (e.g. `./data/`) so a fresh clone runs without setup.
fn ensure_sqlite_dir(url: &str) {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(dir);
        }
    }
}

/// Hides the password of a database URL in logs and error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}://{}:***{}", &url[..scheme_end], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_and_redaction() {
        assert_eq!(Backend::from_url("sqlite://data/app.db?mode=rwc"), Some(Backend::Sqlite));
        assert_eq!(Backend::from_url("postgres://u@h/db"), Some(Backend::Postgres));
        assert_eq!(Backend::from_url("mysql://x"), None);
        assert_eq!(redact("postgres://app:secret@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact("sqlite://data/app.db"), "sqlite://data/app.db");
    }
}
