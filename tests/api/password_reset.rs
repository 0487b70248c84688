//! "Quên mật khẩu" end to end against a real SMTP server: aiosmtpd (PyPI), started by the test
//! with its Maildir handler, so the message the platform sends is read back from disk.
//! `scripts/test.sh` installs aiosmtpd into `target/aiosmtpd-venv`; `AIOSMTPD_PYTHON` names
//! the interpreter that has it (default `python3`).

use crate::helpers::{Backend, TestApp, registration, spawn_app_with};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: std::path::PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

async fn start_smtp() -> SmtpServer {
    let python = std::env::var("AIOSMTPD_PYTHON").unwrap_or_else(|_| "python3".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let maildir = std::env::temp_dir().join(format!("hp_maildir_{}", uuid::Uuid::new_v4().simple()));
    let child = Command::new(&python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {python} -m aiosmtpd ({e}); scripts/test.sh installs it (pip install aiosmtpd)"));
    let mut server = SmtpServer { child, port, maildir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return server;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("aiosmtpd exited ({status}): is it installed for {python}? scripts/test.sh installs it (pip install aiosmtpd)");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.child.kill().ok();
    panic!("aiosmtpd did not listen on 127.0.0.1:{}", server.port);
}

impl SmtpServer {
    /// The messages delivered so far (raw RFC 5322 text).
    fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return vec![] };
        entries.filter_map(|e| std::fs::read(e.ok()?.path()).ok()).map(|b| String::from_utf8_lossy(&b).into_owned()).collect()
    }

    async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let found = self.messages();
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {n} message(s), found {}", self.messages().len());
    }
}

/// The text of a message and the reset link in it, decoded as a mail client would.
fn link_in(message: &str) -> (String, String) {
    let parsed = mail_parser::MessageParser::default().parse(message.as_bytes()).expect("a well-formed message");
    let text = parsed.body_text(0).expect("a text body").into_owned();
    let start = text.find("/dat-lai-mat-khau?token=").unwrap_or_else(|| panic!("a reset link in: {text}"));
    let token: String = text[start + "/dat-lai-mat-khau?token=".len()..].chars().take_while(|c| c.is_ascii_hexdigit()).collect();
    assert_eq!(token.len(), 32, "{text}");
    let subject = parsed.subject().unwrap_or_default().to_string();
    (format!("{subject}\n{text}"), format!("/dat-lai-mat-khau?token={token}"))
}

async fn reset_by_email(backend: Backend) {
    let smtp = start_smtp().await;
    let Some(app) = spawn_app_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        c.mail_from = "Hội thi CCHC <no-reply@haiphong.gov.vn>".into();
    })
    .await
    else {
        return;
    };
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await;
    let r = app.post_json("/api/v1/auth/register?sign_in=true", &registration(7, unit)).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let email = "anh.duong7@haiphong.gov.vn";
    // This client stays signed in with the old password: the reset must end its session.
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);

    let login_page = app.client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login_page.contains("href=\"/quen-mat-khau\""), "the sign-in page links to the reset");

    // An unknown address gets the same answer and sends nothing.
    let other = app.new_client();
    let ask = app::accounts::server_fns::RequestPasswordReset::PATH;
    let r = app.form_post_as(&other, ask, "/quen-mat-khau", &[("email", "khong-co@haiphong.gov.vn")]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/quen-mat-khau?sent=1");
    let r = app.form_post_as(&other, ask, "/quen-mat-khau", &[("email", "Anh.Duong7@HaiPhong.gov.vn ")]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/quen-mat-khau?sent=1", "the same answer for a real account");
    let messages = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "one message, to the real account only");
    let message = &messages[0];
    assert!(message.contains(&format!("<{email}>")), "{message}");
    assert!(message.contains("no-reply@haiphong.gov.vn"), "{message}");
    let (text, link) = link_in(message);
    assert!(text.starts_with("Đặt lại mật khẩu — Hội thi"), "Vietnamese subject: {text}");
    assert!(text.contains("Kính gửi Nguyễn Thị Ánh Dương"), "{text}");
    assert!(text.contains("http://127.0.0.1:3000/dat-lai-mat-khau?token="), "a full link to the public address: {text}");

    // The link opens the form; a new password is set; the old session ends.
    let page = other.get(app.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("name=\"password_confirm\""));
    let token = link.split("token=").nth(1).unwrap();
    let set = app::accounts::server_fns::ResetPassword::PATH;
    let r = app.form_post_as(&other, set, &link, &[("token", token), ("password", "mật-khẩu-mới-2026"), ("password_confirm", "khác")]).send().await.unwrap();
    assert!(r.headers()["location"].to_str().unwrap().contains("__err="), "a mismatch comes back to the form");
    let r = app.form_post_as(&other, set, &link, &[("token", token), ("password", "mật-khẩu-mới-2026"), ("password_confirm", "mật-khẩu-mới-2026")]).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/login?reset=1");
    assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED, "the session signed in before the reset has ended");

    // The link works once; the old password no longer signs in, the new one does.
    let again = other.get(app.url(&link)).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::GONE);
    assert!(again.text().await.unwrap().contains("không còn dùng được"));
    let r = app.form_post_as(&other, set, &link, &[("token", token), ("password", "mật-khẩu-khác-nữa"), ("password_confirm", "mật-khẩu-khác-nữa")]).send().await.unwrap();
    assert!(r.headers()["location"].to_str().unwrap().contains("__err="));
    let old = app.post_json("/api/v1/auth/login", &serde_json::json!({ "identifier": email, "password": "mật-khẩu-đủ-dài" })).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = app.post_json("/api/v1/auth/login", &serde_json::json!({ "identifier": email, "password": "mật-khẩu-mới-2026" })).await;
    assert_eq!(new.status(), StatusCode::OK, "{}", new.text().await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_by_email_sets_a_new_password_once_sqlite() {
    reset_by_email(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_link_by_email_sets_a_new_password_once_postgres() {
    reset_by_email(Backend::Postgres).await;
}

crate::on_both_backends!(an_admin_makes_a_reset_link_and_it_is_audited);

async fn an_admin_makes_a_reset_link_and_it_is_audited(app: TestApp) {
    app.seed_units().await;
    let unit = app.unit_id("Phường Hải An").await;
    let someone = app.new_client();
    let r = someone.post(app.url("/api/v1/auth/register")).json(&registration(8, unit)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let user_id = app::accounts::repo::id_by_email(&app.state.db, "anh.duong8@haiphong.gov.vn").await.unwrap().unwrap();
    let path = app::accounts::server_fns::AdminResetLink::PATH;
    let id = user_id.to_string();
    // An organizer is not an admin.
    app.sign_in_organizer().await;
    let r = app.client.post(app.url(path)).header("origin", app.base.clone()).form(&[("user_id", id.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.sign_in_as("quan.tri@haiphong.gov.vn", &[(app::accounts::model::Role::Admin, None)]).await;
    let r = app.client.post(app.url(path)).header("origin", app.base.clone()).form(&[("user_id", id.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let link: String = r.json().await.unwrap();
    assert!(link.starts_with("http://127.0.0.1:3000/dat-lai-mat-khau?token="), "{link}");
    let page = someone.get(app.url(link.trim_start_matches("http://127.0.0.1:3000"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'password.reset_link' AND entity_id = $1")
        .bind(user_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
}
