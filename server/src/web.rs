//! HTTP plumbing around the routes: request ids, CSRF protection, security headers, and the
//! few plain routes that are not pages or API calls (language switch, file upload, health).

use app::codes::Code;
use app::error::AppError;
use app::i18n::Lang;
use app::infra::state::AppState;
use axum::extract::{Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;
use tracing::Instrument;

/// Gives every request an id (or keeps a sane one from a proxy), logs the request under it,
/// and returns it in `x-request-id` so support can find the log lines a user reports.
pub async fn request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()[..16].to_string());
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let started = std::time::Instant::now();
    let mut response = app::infra::request_id::scope(id.clone(), next.run(req)).instrument(span.clone()).await;
    span.in_scope(|| tracing::info!(status = response.status().as_u16(), ms = started.elapsed().as_millis() as u64, "served"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

/// Pages render to their end even when the browser leaves halfway (a phone losing its
/// network, a reload). Leptos 0.8 keeps rendering a page's suspended parts on tasks of their
/// own; when the response is dropped mid-render, the page's reactive owner goes while those
/// tasks still read it, which panics ("expected context") or, when its last reference is
/// dropped at the wrong moment, blocks the worker thread for good (found by the test suite:
/// a worker stuck in `Owner::use_context`). So a page is rendered on a task of its own that
/// drains the body to its end whatever the client does, forwarding what the client still
/// reads. API calls, files and bundles are not pages and pass straight through.
pub async fn render_to_end(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let is_page = matches!(*req.method(), Method::GET | Method::HEAD) && !path.starts_with("/api/") && !path.starts_with("/pkg/") && path != "/healthz" && path != "/readyz";
    if !is_page {
        return next.run(req).await;
    }
    let (head, answer) = tokio::sync::oneshot::channel();
    let render = async move {
        use futures_util::StreamExt;
        let (parts, body) = next.run(req).await.into_parts();
        let (forward, forwarded) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, axum::Error>>(16);
        let client_body = axum::body::Body::from_stream(futures_util::stream::unfold(forwarded, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) }));
        let _ = head.send(Response::from_parts(parts, client_body));
        let mut chunks = body.into_data_stream();
        let mut client_left = false;
        while let Some(chunk) = chunks.next().await {
            // Once the client has gone, the rest is rendered and dropped.
            client_left = client_left || forward.send(chunk).await.is_err();
        }
    };
    // The request's id (in the logs and in error messages) follows the render.
    tokio::spawn(app::infra::request_id::scope(app::infra::request_id::current(), render).instrument(tracing::Span::current()));
    answer.await.unwrap_or_else(|_| AppError::internal("a page render ended without an answer").into_response())
}

/// Refuses cross-site state-changing requests. Browsers send `Sec-Fetch-Site` (all current
/// ones) or at least `Origin` with every POST; a request that carries neither is not from a
/// browser and cannot ride on a victim's cookies. Together with SameSite=Lax cookies this is
/// OWASP's "verifying origin with standard headers" defence, and it needs no token in forms,
/// so forms keep working before the WASM has loaded.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || same_origin(req.headers()) {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, axum::Json(serde_json::json!({
        "error": "forbidden",
        "message": "Yêu cầu bị từ chối vì không xuất phát từ trang của hệ thống (chống CSRF).",
    })))
        .into_response()
}

fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    let Some(host) = get(header::HOST) else { return false };
    let authority_of = |url: &str| url.split("://").nth(1).map(|rest| rest.split('/').next().unwrap_or("").to_string());
    if let Some(origin) = get(header::ORIGIN) {
        return authority_of(origin).as_deref() == Some(host);
    }
    if let Some(referer) = get(header::REFERER) {
        return authority_of(referer).as_deref() == Some(host);
    }
    true
}

pub async fn security_headers(https: bool, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Pages set their own policy (with their nonce); the rest cannot run anything.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(app::infra::csp::OTHER_POLICY));
    }
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(app::infra::csp::HSTS));
    }
    // Same-origin referrers are kept: a form posted without JavaScript is sent back to its page.
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// Hands a browser the device cookie (`hp_device`, random, first-party, no fingerprinting) on
/// its first visit, and runs the request with its origin (the token's hash and the client
/// address) known to the services that record sign-ins, registrations, starts and submissions
/// (`app::integrity::origin`). A first request carries the new token onward as if the browser
/// had sent it, so a sign-in on the very first visit remembers the same device.
pub async fn device_cookie(settings: std::sync::Arc<app::infra::state::Settings>, https: bool, mut req: Request, next: Next) -> Response {
    use app::accounts::devices;
    let path = req.uri().path();
    if path.starts_with("/pkg/") || matches!(path, "/healthz" | "/readyz" | "/metrics") {
        return next.run(req).await;
    }
    let fresh = devices::from_headers(req.headers()).is_none().then(devices::new_token);
    if let Some(token) = &fresh
        && let Ok(value) = HeaderValue::from_str(&format!("{}={token}", devices::COOKIE))
    {
        req.headers_mut().append(header::COOKIE, value);
    }
    let token = fresh.clone().or_else(|| devices::from_headers(req.headers())).unwrap_or_default();
    let socket = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0);
    let origin = app::integrity::origin::Origin { device_hash: devices::hash(&token), client_ip: app::infra::state::client_ip(&settings, req.headers(), socket) };
    let mut response = app::integrity::origin::scope(origin, next.run(req)).await;
    if let Some(token) = fresh
        && let Ok(value) = HeaderValue::from_str(&devices::set_cookie(&token, https))
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `/lang/en?next=/path`: sets the locale cookie and returns to the page. A link, not a
/// script, so the switch works before the WASM loads. The cookie is readable by the page
/// (not HttpOnly) because the hydrating client must render in the same locale.
pub async fn switch_lang(Path(code): Path<String>, Query(q): Query<NextQuery>) -> Response {
    let lang = Lang::from_code(&code);
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    let mut response = Redirect::to(&app::ui::safe_next(q.next.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

/// The file and the text fields of a multipart import form.
struct Upload {
    file: Option<(String, Vec<u8>)>,
    fields: std::collections::HashMap<String, String>,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload { file: None, fields: Default::default() };
    while let Some(field) = form.next_field().await.map_err(|_| AppError::field("file", "err.import_empty"))? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let filename = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::PayloadTooLarge)?;
            upload.file = Some((filename, bytes.to_vec()));
        } else {
            upload.fields.insert(name, field.text().await.unwrap_or_default());
        }
    }
    Ok(upload)
}

/// The signed-in user of a plain form post, or the redirect to the login page that returns
/// to `back` afterwards.
async fn form_user(state: &AppState, session: &Session, back: &str) -> Result<app::accounts::model::CurrentUser, Response> {
    match app::accounts::session::current_user(state, session).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(Redirect::to(&format!("/login?next={}", app::ui::urlencode(back))).into_response()),
        Err(e) => Err(e.into_response()),
    }
}

/// The unit import form posts its file here (a multipart upload cannot go through a URL-encoded
/// server function); the preview page then takes over.
pub async fn upload_unit_import(State(state): State<AppState>, session: Session, form: Multipart) -> Response {
    let user = match form_user(&state, &session, "/admin/units").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let result = async {
        let (name, bytes) = read_upload(form).await?.file.ok_or_else(|| AppError::field("file", "err.required"))?;
        app::units::imports::stage(&state, &user, &name, bytes).await
    }
    .await;
    match result {
        Ok(preview) => Redirect::to(&format!("/admin/units/import/{}", preview.import_id.unwrap_or(0))).into_response(),
        Err(e) => back_with_error("/admin/units", e, "import-heading"),
    }
}

/// The question import form: the file waits in the database while the organizer reviews the
/// preview.
pub async fn upload_question_import(State(state): State<AppState>, session: Session, form: Multipart) -> Response {
    let user = match form_user(&state, &session, "/admin/questions").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let result = async {
        app::policy::organizer(&user)?;
        let upload = read_upload(form).await?;
        let (name, bytes) = upload.file.ok_or_else(|| AppError::field("file", "err.required"))?;
        let format = upload.fields.get("format").cloned().unwrap_or_default();
        if app::quiz::bank::ImportFormat::parse(&format).is_none() {
            return Err(AppError::field("format", "err.import_format"));
        }
        let topic = upload.fields.get("topic").cloned().unwrap_or_default();
        let id = app::uploads::stage(&state.db, user.id, &app::quiz::server_fns::upload_kind(&format), &name, bytes).await?;
        Ok(app::quiz::pages::preview_path(id, &format, topic.trim()))
    }
    .await;
    match result {
        Ok(path) => Redirect::to(&path).into_response(),
        Err(e) => back_with_error("/admin/questions", e, "q-import"),
    }
}

/// A unit manager's roster file posts here; the preview page then takes over.
pub async fn upload_roster(State(state): State<AppState>, session: Session, Path(unit): Path<i64>, form: Multipart) -> Response {
    let user = match form_user(&state, &session, "/tham-gia").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let result = async {
        let (name, bytes) = read_upload(form).await?.file.ok_or_else(|| AppError::field("file", "err.required"))?;
        // Checks the unit is in the user's subtree before keeping anything.
        app::participation::service::import_roster(&state, &user, unit, &bytes, false).await?;
        app::uploads::stage(&state.db, user.id, &app::participation::server_fns::upload_kind(unit), &name, bytes).await
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/don-vi/{unit}/danh-sach/{id}")).into_response(),
        Err(e) => back_with_error("/tham-gia", e, "roster"),
    }
}

/// Liveness and database reachability, for load balancers and monitoring.
pub async fn healthz(State(state): State<AppState>) -> Response {
    let db = state.db.ping().await;
    let body = serde_json::json!({
        "status": if db.is_ok() { "ok" } else { "degraded" },
        "version": env!("CARGO_PKG_VERSION"),
        "database": { "backend": state.db.backend.name(), "status": if db.is_ok() { "ok" } else { "unreachable" } },
    });
    let status = if db.is_ok() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body)).into_response()
}

/// Readiness, for the proxy in front of several nodes: 200 only when this node can serve, its
/// database reachable and its migrations current; 503 otherwise (the proxy sends the request to
/// another node). `/healthz` stays the cheap liveness check.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let database = state.db.ping().await.is_ok();
    let migrations = database && matches!(state.db.migrations_current().await, Ok(true));
    let ready = database && migrations;
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "not_ready" },
        "database": if database { "ok" } else { "unreachable" },
        "migrations": if migrations { "current" } else if database { "behind" } else { "unknown" },
    });
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn origin_checks() {
        let cases = [
            (vec![("sec-fetch-site", "same-origin")], true),
            (vec![("sec-fetch-site", "cross-site"), ("origin", "http://x:3000"), ("host", "x:3000")], false),
            (vec![("origin", "http://x:3000"), ("host", "x:3000")], true),
            (vec![("origin", "http://evil.example"), ("host", "x:3000")], false),
            (vec![("origin", "null"), ("host", "x:3000")], false),
            (vec![("referer", "http://x:3000/register"), ("host", "x:3000")], true),
            (vec![("referer", "http://evil.example/x"), ("host", "x:3000")], false),
            (vec![("host", "x:3000")], true),
        ];
        for (pairs, expected) in cases {
            assert_eq!(same_origin(&headers(&pairs)), expected, "{pairs:?}");
        }
    }
}

/// The entry page's file form (works without JavaScript): streams the file to storage, then
/// returns to the entry with either the new file or the reason it was refused beside the field.
pub async fn upload_entry_file(State(state): State<AppState>, session: Session, Path(entry): Path<i64>, headers: axum::http::HeaderMap, form: Multipart) -> Response {
    let back = format!("/tac-pham/{entry}");
    let user = match form_user(&state, &session, &back).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let mut form = form;
    match crate::api::award_files::save_and_store(&state, &user, entry, &headers, &mut form).await {
        Ok(Some(_)) => Redirect::to(&format!("{back}?tep=ok#files")).into_response(),
        Ok(None) => Redirect::to(&format!("{back}?luu=ok#files")).into_response(),
        Err(e) => back_with_error(&back, e, "files"),
    }
}

/// The entry page's "Xóa tệp" without JavaScript: the button posts the entry form (saved first,
/// so nothing typed is lost), then the file goes; back to the entry either way.
pub async fn delete_entry_file(State(state): State<AppState>, session: Session, Path((entry, file)): Path<(i64, i64)>, axum::Form(fields): axum::Form<Vec<(String, String)>>) -> Response {
    let back = format!("/tac-pham/{entry}");
    let user = match form_user(&state, &session, &back).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let result = async {
        if let Some(form) = app::awards::forms::EntryForm::from_fields(&fields).filter(|f| f.id == entry) {
            app::awards::entries::save_form(&state, &user, &form).await?;
        }
        app::awards::files::remove(&state, &user, file).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("{back}?xoa=ok#files")).into_response(),
        Err(e) => back_with_error(&back, e, "files"),
    }
}

/// The panel form of an edition's control room (works without JavaScript): the judges ticked
/// for one stage and genre. A plain form because the ticked boxes repeat one field name.
pub async fn set_award_panel(State(state): State<AppState>, session: Session, Path(competition): Path<i64>, axum::Form(fields): axum::Form<Vec<(String, String)>>) -> Response {
    use app::awards::model::{Genre, Stage};
    let back = format!("/admin/giai-thuong/{competition}");
    let user = match form_user(&state, &session, &back).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let judges: Vec<i64> = fields.iter().filter(|(k, _)| k == "judges").filter_map(|(_, v)| v.parse().ok()).collect();
    let result = match (<Stage as Code>::from_code(&value("stage")), <Genre as Code>::from_code(&value("genre"))) {
        (Some(stage), Some(genre)) => app::awards::panels::set_judges(&state, &user, competition, stage, genre, judges).await.map(|_| ()),
        _ => Err(AppError::field("stage", "err.award_stage")),
    };
    match result {
        Ok(()) => Redirect::to(&format!("{back}#panels")).into_response(),
        Err(e) => back_with_error(&back, e, "panels"),
    }
}

/// A plain form's refusal: back to the page with the message key in `?loi=`, which the page
/// shows beside the form (`#anchor`). Internal errors answer as usual (request id only).
/// Back to the form's page with the error's message key in `?loi=`, shown next to the file
/// field (`ui::forms::UploadError`): a plain form gets a page, never a JSON error body.
fn back_with_error(back: &str, err: AppError, anchor: &str) -> Response {
    if let AppError::Internal { .. } | AppError::Unauthenticated | AppError::Forbidden = err {
        return err.into_response();
    }
    let key = err.field_errors().and_then(|f| f.values().next().cloned()).unwrap_or_else(|| err.message_key().to_string());
    Redirect::to(&format!("{back}?loi={}#{anchor}", app::ui::urlencode(&key))).into_response()
}
