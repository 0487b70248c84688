//! Error answers that leave the platform in its one JSON shape with the right status, also
//! when they did not come from its own handlers.

use app::error::AppError;
use app::i18n::{Lang, t};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions answer every error with HTTP 500 (server_fn 0.8 has no hook for the
/// status), so a wrong password or a missing field looked like a crash to the browser and to
/// anyone watching the logs. The body is the platform's `AppError` as JSON; this puts the
/// status that error stands for (422, 401, 409, 429, …) on the response. The browser-side
/// server function client reads the same body for any 4xx/5xx, so nothing else changes.
/// Form posts without JavaScript are redirects and are not touched.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 16).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let AppError::TooManyAttempts { retry_after_secs } | AppError::RateLimited { retry_after_secs } = err {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                parts.headers.insert(header::RETRY_AFTER, v);
            }
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Answers that did not come from the platform's own handlers, in the same JSON shape as
/// every other error: a 413 from the body-limit layer (everywhere), and under `/api/` the
/// plain-text rejections of axum's extractors (malformed JSON, a wrong content type, a path id
/// that is not a number or overflows, a missing query parameter), unknown paths and methods.
/// The extractor's own text stays in `detail`, for the API client's developer.
pub async fn json_errors(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let status = response.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(serde_json::json!({
            "error": "payload_too_large", "message": t(Lang::Vi, "err.too_large"),
        }))).into_response();
    }
    let is_json = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if !api || !status.is_client_error() || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let detail: String = String::from_utf8_lossy(&axum::body::to_bytes(body, 4096).await.unwrap_or_default()).chars().take(300).collect();
    let (code, key) = match status {
        StatusCode::NOT_FOUND => ("not_found", "err.not_found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "err.method_not_allowed"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "err.json_required"),
        StatusCode::UNPROCESSABLE_ENTITY => ("validation", "err.body_invalid"),
        _ => ("bad_request", "err.bad_request"),
    };
    let mut answer = serde_json::json!({ "error": code, "message": t(Lang::Vi, key), "detail": detail });
    if status == StatusCode::UNPROCESSABLE_ENTITY {
        answer["fields"] = serde_json::json!({ "body": { "code": key, "message": t(Lang::Vi, key) } });
    }
    let mut out = (status, axum::Json(answer)).into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

