//! Configuration: built-in defaults, then a TOML file, then the environment. With nothing set
//! at all the platform runs on `./data/haiphong-cchc.db` (SQLite) at http://127.0.0.1:3000.
//!
//! - File: `config.toml` in the working directory, or the path in `APP_CONFIG`.
//! - Environment: `APP_<KEY>` (e.g. `APP_BIND=0.0.0.0:8080`), nested keys with `__`
//!   (`APP_SESSION__IDLE_MINUTES=30`), and the conventional `DATABASE_URL`, which wins.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize)]
pub struct Config {
    /// `sqlite://PATH?mode=rwc` or `postgres://…`. Printed only redacted.
    pub database_url: String,
    pub bind: String,
    /// The address users reach the platform at; `https://…` turns on Secure cookies.
    pub public_url: String,
    /// Where the built browser bundle (`pkg/`) lives.
    pub site_root: String,
    pub max_connections: u32,
    /// Run migrations when the server starts (safe to repeat).
    pub auto_migrate: bool,
    pub session: SessionConfig,
    pub login: LoginConfig,
    pub max_body_kib: usize,
    /// Concurrent password hashes (each ~19 MiB, tens of ms). Default: CPU cores − 1 (at least 1).
    pub max_concurrent_hashes: usize,
    /// Behind a reverse proxy, the header carrying the client address (e.g. `x-forwarded-for`).
    /// Leave unset when clients connect directly, or anyone could claim any address.
    pub client_ip_header: Option<String>,
    /// `host:port` to serve Prometheus metrics on (time per phase of answer saves, starts and
    /// submissions, the writer's batches). Unset: no metrics endpoint. Keep it on an internal
    /// address.
    pub metrics_addr: Option<String>,
    /// A secret that opens `/metrics` on the application's own address to a scraper sending
    /// `Authorization: Bearer <token>` (for nodes behind a proxy, where only the proxy's port
    /// is reachable). Unset: `/metrics` answers 404 there.
    pub metrics_token: Option<String>,
    /// Where entry files (audio, video, PDF, images) are kept on local disk, unless `s3` is set.
    /// Several app nodes must then share it (a network folder); better, use `s3`.
    pub files_dir: String,
    /// Entry files in an S3-compatible bucket instead of `files_dir` (`APP_S3__BUCKET`,
    /// `APP_S3__ENDPOINT`, `APP_S3__REGION`; credentials from `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY`).
    pub s3: Option<S3Config>,
    /// The SMTP server for password-reset e-mail: `smtp://host:587?tls=required`,
    /// `smtps://user:password@host:465`, or `smtp://127.0.0.1:25` for a local relay. Unset:
    /// messages are written to the log (development only).
    pub smtp_url: Option<String>,
    /// The sender of those e-mails.
    pub mail_from: String,
    /// The SMS gateway for citizens' one-time codes (`APP_SMS__URL`, `APP_SMS__TOKEN`). Unset:
    /// codes are written to the log and to `/admin/ma-xac-nhan` (development only).
    #[serde(default)]
    pub sms: SmsConfig,
    /// Evidence of proxy-taking (`APP_INTEGRITY__RETENTION_DAYS`, `APP_INTEGRITY__SHARED_DEVICE_ACCOUNTS`).
    pub integrity: IntegrityConfig,
}

/// An HTTP SMS gateway: each code is a POST of `{"phone", "message"}` as JSON to `url` with
/// `Authorization: Bearer <token>`. The token is never printed.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SmsConfig {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig").field("url", &self.url).finish_non_exhaustive()
    }
}

/// How long device tokens and addresses are kept, and when a device counts as shared.
#[derive(Clone, Serialize, Deserialize)]
pub struct IntegrityConfig {
    /// Days after a contest's last round closes before its device records are deleted.
    pub retention_days: i64,
    /// A device used for a round by this many accounts or more is flagged.
    pub shared_device_accounts: usize,
    /// A device that registered this many accounts or more is flagged.
    pub registrations_per_device: usize,
}

impl Default for IntegrityConfig {
    fn default() -> Self {
        let t = app::integrity::model::Thresholds::default();
        IntegrityConfig { retention_days: 180, shared_device_accounts: t.shared_device_accounts, registrations_per_device: t.registrations_per_device }
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub struct SessionConfig {
    pub idle_minutes: i64,
    pub absolute_hours: i64,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct LoginConfig {
    /// Failures on one account from one source (address or known device) per window.
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
    pub window_minutes: i64,
    /// Failures on one account from every source but its known devices per `account_window_minutes`.
    pub max_failures_all_sources: i64,
    pub account_window_minutes: i64,
    /// Registrations per client address per hour, and those answered "already registered"
    /// per window.
    pub max_registrations_per_ip: i64,
    pub max_taken_answers_per_ip: i64,
}

impl Default for Config {
    fn default() -> Self {
        let s = app::infra::state::Settings::default();
        Config {
            database_url: "sqlite://data/haiphong-cchc.db?mode=rwc".into(),
            bind: "127.0.0.1:3000".into(),
            public_url: "http://127.0.0.1:3000".into(),
            site_root: "target/site".into(),
            max_connections: 16,
            auto_migrate: true,
            session: SessionConfig { idle_minutes: s.session_idle_secs / 60, absolute_hours: s.session_absolute_secs / 3600 },
            login: LoginConfig {
                max_failures_per_account: s.login_max_failures_per_account,
                max_failures_per_ip: s.login_max_failures_per_ip,
                window_minutes: s.login_window_secs / 60,
                max_failures_all_sources: s.login_max_failures_all_sources,
                account_window_minutes: s.login_account_window_secs / 60,
                max_registrations_per_ip: s.register_max_per_ip,
                max_taken_answers_per_ip: s.register_max_taken_per_ip,
            },
            max_body_kib: s.max_body_bytes / 1024,
            // One core is always left to everything else: measured with 2,000 people in a
            // round while others log in, hashing on every core took answer-save p99 from
            // 22 ms to 1.1 s (README, "Performance").
            max_concurrent_hashes: std::thread::available_parallelism().map(|n| n.get().saturating_sub(1).max(1)).unwrap_or(1),
            client_ip_header: None,
            metrics_addr: None,
            metrics_token: None,
            files_dir: "data/files".into(),
            s3: None,
            smtp_url: None,
            mail_from: "Hội thi CCHC Hải Phòng <no-reply@localhost>".into(),
            sms: SmsConfig::default(),
            integrity: IntegrityConfig::default(),
        }
    }
}

#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct S3Config {
    pub bucket: String,
    /// The store's address when it is not Amazon's, e.g. `https://s3.example.gov.vn`.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default = "default_region")]
    pub region: String,
    /// Normally unset: the key comes from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, or
    /// `APP_S3__ACCESS_KEY_ID` / `APP_S3__SECRET_ACCESS_KEY`. Never printed.
    #[serde(default)]
    pub access_key_id: Option<String>,
    #[serde(default)]
    pub secret_access_key: Option<String>,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config").field("bucket", &self.bucket).field("endpoint", &self.endpoint).field("region", &self.region).finish_non_exhaustive()
    }
}

fn default_region() -> String {
    "us-east-1".into()
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &app::infra::db::redact(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("site_root", &self.site_root)
            .finish_non_exhaustive()
    }
}

impl Config {
    pub fn load() -> Result<Config, figment::Error> {
        let file = std::env::var("APP_CONFIG").unwrap_or_else(|_| "config.toml".into());
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("APP_").split("__").ignore(&["config"]));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database_url", url));
        }
        figment.extract()
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn settings(&self) -> app::infra::state::Settings {
        app::infra::state::Settings {
            session_idle_secs: self.session.idle_minutes * 60,
            session_absolute_secs: self.session.absolute_hours * 3600,
            login_max_failures_per_account: self.login.max_failures_per_account,
            login_max_failures_per_ip: self.login.max_failures_per_ip,
            login_window_secs: self.login.window_minutes * 60,
            login_max_failures_all_sources: self.login.max_failures_all_sources,
            login_account_window_secs: self.login.account_window_minutes * 60,
            register_max_per_ip: self.login.max_registrations_per_ip,
            register_max_taken_per_ip: self.login.max_taken_answers_per_ip,
            max_body_bytes: self.max_body_kib * 1024,
            client_ip_header: self.client_ip_header.clone(),
            public_url: self.public_url.trim_end_matches('/').to_string(),
            integrity: app::integrity::model::Thresholds {
                shared_device_accounts: self.integrity.shared_device_accounts.max(2),
                registrations_per_device: self.integrity.registrations_per_device.max(2),
                ..Default::default()
            },
            integrity_retention_days: self.integrity.retention_days.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_file_then_environment() {
        figment::Jail::expect_with(|jail| {
            assert!(Config::load()?.database_url.starts_with("sqlite://data/"));
            jail.create_file("config.toml", "bind = \"0.0.0.0:8080\"\n[session]\nidle_minutes = 30\nabsolute_hours = 8\n")?;
            let c = Config::load()?;
            assert_eq!((c.bind.as_str(), c.session.idle_minutes), ("0.0.0.0:8080", 30));
            jail.set_env("APP_BIND", "127.0.0.1:9000");
            jail.set_env("APP_SESSION__IDLE_MINUTES", "10");
            jail.set_env("DATABASE_URL", "postgres://app:pw@db/hp");
            let c = Config::load()?;
            assert_eq!((c.bind.as_str(), c.session.idle_minutes, c.session.absolute_hours), ("127.0.0.1:9000", 10, 8));
            assert_eq!(c.database_url, "postgres://app:pw@db/hp");
            assert!(!format!("{c:?}").contains("pw@"));
            jail.set_env("APP_SMS__URL", "https://sms.example.vn/send");
            jail.set_env("APP_SMS__TOKEN", "sekret");
            let c = Config::load()?;
            assert_eq!((c.sms.url.as_deref(), c.sms.token.as_deref()), (Some("https://sms.example.vn/send"), Some("sekret")));
            assert!(!format!("{:?}", c.sms).contains("sekret"));
            Ok(())
        });
    }
}
