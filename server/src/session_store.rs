//! Sessions live in the platform's database (SQLite or PostgreSQL), so several stateless app
//! nodes on one PostgreSQL share them. tower-sessions' sqlx stores are typed per backend, so
//! this enum picks one at start-up.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

#[derive(Clone, Debug)]
pub enum DbSessionStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl DbSessionStore {
    /// Connects a small typed pool beside the main one and creates the session table.
    pub async fn connect(db: &app::infra::db::Db, url: &str) -> Result<Self, sqlx::Error> {
        use app::infra::db::Backend;
        Ok(match db.backend {
            Backend::Sqlite => {
                use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
                use std::str::FromStr;
                let opts = SqliteConnectOptions::from_str(url)?
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(std::time::Duration::from_secs(10));
                let pool = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
                let store = SqliteStore::new(pool);
                store.migrate().await?;
                DbSessionStore::Sqlite(store)
            }
            Backend::Postgres => {
                // Every request reads its session: over the network, a few more connections
                // than SQLite's in-process reads need.
                let pool = sqlx::postgres::PgPoolOptions::new().max_connections(8).connect(url).await?;
                let store = PostgresStore::new(pool);
                store.migrate().await?;
                DbSessionStore::Postgres(store)
            }
        })
    }
}

impl DbSessionStore {
    /// Opens a signed-in session for `user_id` without a request, expiring after `idle_secs`;
    /// returns the value of the `hp_session` cookie.
    pub async fn open_session(&self, user_id: i64, idle_secs: i64) -> session_store::Result<String> {
        let at_ms = app::vn_time::now_ms();
        let mut record = Record {
            id: Id::default(),
            data: app::accounts::session::signed_in_data(user_id, at_ms).into_iter().collect(),
            expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc() + tower_sessions::cookie::time::Duration::seconds(idle_secs),
        };
        self.create(&mut record).await?;
        Ok(record.id.to_string())
    }
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.create(record).await,
            DbSessionStore::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.save(record).await,
            DbSessionStore::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            DbSessionStore::Sqlite(s) => s.load(id).await,
            DbSessionStore::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete(id).await,
            DbSessionStore::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            DbSessionStore::Sqlite(s) => s.delete_expired().await,
            DbSessionStore::Postgres(s) => s.delete_expired().await,
        }
    }
}
