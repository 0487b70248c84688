//! Test harness: each test gets the real application on a fresh database (a temporary SQLite
//! file, or a new PostgreSQL database), served on a random loopback port.
//!
//! PostgreSQL: `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When it
//! cannot be reached the PostgreSQL variants are skipped with a message, unless
//! `REQUIRE_POSTGRES=1` (set by CI), which makes them fail loudly.

use app::infra::state::AppState;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::config::Config;
use sqlx::Connection;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub database_url: String,
    /// Dropped with the app, so test databases do not pile up on a reused CI machine.
    pub _cleanup: Option<DropDatabase>,
    pub base: String,
    pub client: Client,
    pub state: AppState,
    pub backend: Backend,
    /// Where this app keeps entry files.
    pub files_dir: String,
}

pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn postgres_required() -> bool {
    std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

/// A fresh, empty database URL for `backend`, or `None` when PostgreSQL is optional and absent.
pub async fn fresh_database(backend: Backend) -> Option<String> {
    let name = format!("hp_test_{}", uuid::Uuid::new_v4().simple());
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Some(format!("sqlite://{}?mode=rwc", path.display()))
        }
        Backend::Postgres => {
            let admin = postgres_admin_url();
            let mut conn = match sqlx::PgConnection::connect(&admin).await {
                Ok(c) => c,
                Err(e) if !postgres_required() => {
                    eprintln!("SKIPPED (PostgreSQL): cannot connect to {admin}: {e}. Set REQUIRE_POSTGRES=1 to make this a failure.");
                    return None;
                }
                Err(e) => panic!("REQUIRE_POSTGRES=1 but PostgreSQL at {admin} is unreachable: {e}"),
            };
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).expect("database URL with a path");
            Some(format!("{base}/{name}"))
        }
    }
}

pub fn test_config(database_url: String) -> Config {
    let files_dir = std::env::temp_dir().join(format!("hp_files_{}", uuid::Uuid::new_v4().simple())).display().to_string();
    Config { database_url, bind: "127.0.0.1:0".into(), max_concurrent_hashes: 2, max_connections: 8, files_dir, ..Config::default() }
}

pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    if std::env::var("TEST_LOG").is_ok() {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    }
    let url = fresh_database(backend).await?;
    let mut config = test_config(url.clone());
    tweak(&mut config);
    let files_dir = config.files_dir.clone();
    let db = server::connect(&config).await.expect("connect and migrate");
    let (router, state) = server::build_app(&config, db).await.expect("build app");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum_serve(listener, router).await;
    });
    let client = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cleanup = Some(DropDatabase { backend, url: url.clone() });
    Some(TestApp { database_url: url, _cleanup: cleanup, base: format!("http://{addr}"), client, state, backend, files_dir })
}

async fn axum_serve(listener: tokio::net::TcpListener, router: axum::Router) {
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.unwrap();
}

/// A valid registration; `n` varies the unique fields.
pub fn registration(n: u32, unit_id: i64) -> Value {
    json!({
        "full_name": "Nguyễn Thị Ánh Dương",
        "unit_id": unit_id,
        "position": "Chuyên viên",
        "phone": format!("+84 91 {:03} {:04}", n / 10000, n % 10000),
        "email": format!("anh.duong{n}@haiphong.gov.vn"),
        "cccd": format!("0310950{n:05}"),
        "password": "mật-khẩu-đủ-dài",
        "password_confirm": "mật-khẩu-đủ-dài",
    })
}

impl TestApp {
    pub fn state_url(&self) -> String {
        self.database_url.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A second client with its own cookie jar (another person, another browser).
    pub fn new_client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().await.unwrap()
    }

    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Seeds the real unit tree (114 communes/wards/special zones and the demo agencies).
    pub async fn seed_units(&self) {
        server::seed::seed_units(&self.state).await.expect("seed units");
    }

    pub async fn unit_id(&self, name: &str) -> i64 {
        sqlx::query_scalar::<_, i64>("SELECT id FROM units WHERE name = $1").bind(name).fetch_one(&self.state.db.pool).await.expect(name)
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.state.db.pool).await.unwrap()
    }

    /// Creates a staff account with `roles` and signs this app's client in as it.
    pub async fn sign_in_as(&self, email: &str, roles: &[(app::accounts::model::Role, Option<i64>)]) -> i64 {
        let id = app::accounts::service::create_staff_account(&self.state, "Cán Bộ Kiểm Thử", email, "mật khẩu kiểm thử".into(), roles).await.expect("staff account");
        let r = self.post_json("/api/v1/auth/login", &json!({ "identifier": email, "password": "mật khẩu kiểm thử" })).await;
        assert_eq!(r.status(), StatusCode::OK, "login as {email}");
        id
    }

    /// Creates a staff account with `roles` and a new client (its own cookies) signed in as it.
    pub async fn client_as(&self, email: &str, roles: &[(app::accounts::model::Role, Option<i64>)]) -> (Client, i64) {
        let id = app::accounts::service::create_staff_account(&self.state, "Cán Bộ Kiểm Thử", email, "mật khẩu kiểm thử".into(), roles).await.expect("staff account");
        let client = self.new_client();
        let r = client.post(self.url("/api/v1/auth/login")).json(&json!({ "identifier": email, "password": "mật khẩu kiểm thử" })).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login as {email}");
        (client, id)
    }

    /// A plain HTML form post, as a browser without JavaScript sends it: a server function
    /// answers it with a redirect (back to `referer` with its error, or onward).
    pub fn form_post(&self, path: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
        self.form_post_as(&self.client, path, referer, form)
    }

    /// [`TestApp::form_post`] from another browser (its own cookies).
    pub fn form_post_as(&self, client: &Client, path: &str, referer: &str, form: &[(&str, &str)]) -> reqwest::RequestBuilder {
        client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", self.url(referer))
            .header("origin", self.base.clone())
            .form(form)
    }

    pub async fn sign_in_organizer(&self) -> i64 {
        self.sign_in_as("bantochuc@test.vn", &[(app::accounts::model::Role::Organizer, None)]).await
    }
}

/// Declares a test that runs once per backend, as `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use $crate::helpers::{Backend, spawn_app};

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = spawn_app(Backend::Sqlite).await.expect("SQLite is always available");
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = spawn_app(Backend::Postgres).await {
                    super::$name(app).await;
                }
            }
        }
    )*};
}

/// Removes a test database: the SQLite files, or the PostgreSQL database (`WITH (FORCE)` ends
/// the app's connections, which are still open while the test runtime shuts down).
pub struct DropDatabase {
    backend: Backend,
    url: String,
}

impl DropDatabase {
    /// Removes `url`'s database when dropped (for a second database a test makes itself).
    pub fn new(backend: Backend, url: String) -> DropDatabase {
        DropDatabase { backend, url }
    }
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (backend, url) = (self.backend, self.url.clone());
        let _ = std::thread::spawn(move || match backend {
            Backend::Sqlite => {
                let path = url.trim_start_matches("sqlite://").split('?').next().unwrap_or("").to_string();
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
            Backend::Postgres => {
                let Some(name) = url.rsplit('/').next().map(str::to_string) else { return };
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                rt.block_on(async {
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
                    }
                });
            }
        })
        .join();
    }
}
