//! Entry files over HTTP: the multipart upload handed to `awards::files` chunk by chunk (the
//! service checks and stores), a refused upload drained so the client reads the answer, and
//! downloads with HTTP range requests, so the browser's audio and video players can seek.

use super::{Actor, ErrorBody};
use app::accounts::model::CurrentUser;
use app::awards::files;
use app::awards::model::EntryFile;
use app::error::AppError;
use app::infra::state::AppState;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
}

/// The most of a refused upload read (and discarded) so the client sees the answer, and for
/// how long: a client still sending when the answer comes (a browser, reqwest) sees a reset
/// connection instead of the answer. Past either bound the connection is simply closed, so a
/// refused upload cannot hold a connection and its bandwidth for long.
const DRAIN_BYTES: u64 = 64 * 1024 * 1024;
const DRAIN_SECS: u64 = 30;

/// Reads and discards what is left of a refused upload, within the bounds above; once the
/// body is read, the client gets the 413 or 422 with its message. Nothing is kept.
async fn drain(multipart: &mut Multipart, headers: &HeaderMap) {
    if content_length(headers).is_some_and(|n| n > DRAIN_BYTES) {
        return;
    }
    let rest = async {
        let mut read = 0u64;
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                read += chunk.len() as u64;
                if read > DRAIN_BYTES {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(DRAIN_SECS), rest).await;
}

/// Stores an uploaded file of a draft entry and records it (`awards::files`). A refused upload
/// is read to its end (see `drain`), so the client gets the answer rather than a reset
/// connection.
pub async fn store_upload(state: &AppState, actor: &CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<EntryFile, AppError> {
    let result = store(state, actor, entry_id, headers, multipart).await;
    if result.is_err() {
        drain(multipart, headers).await;
    }
    result
}

/// The most of one text field of the entry form read from a plain post (the script is the
/// longest; a field beyond this is refused rather than held in memory).
const TEXT_FIELD_BYTES: usize = 1024 * 1024;

/// The entry page without JavaScript: its file button posts the whole entry form with the file
/// (`form[…]` fields first, then `file`). The fields are saved as the draft first, so nothing
/// typed is lost; then the file, if one was chosen, is stored. `None`: saved, no file chosen.
pub async fn save_and_store(state: &AppState, actor: &CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<Option<EntryFile>, AppError> {
    let result = save_then_store(state, actor, entry_id, headers, multipart).await;
    if result.is_err() {
        drain(multipart, headers).await;
    }
    result
}

async fn save_then_store(state: &AppState, actor: &CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<Option<EntryFile>, AppError> {
    let interrupted = |_| AppError::field("file", "err.upload_interrupted");
    let mut fields: Vec<(String, String)> = vec![];
    let field = loop {
        let Some(mut field) = multipart.next_field().await.map_err(interrupted)? else { break None };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            break Some(field);
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(interrupted)? {
            if text.len() + chunk.len() > TEXT_FIELD_BYTES {
                return Err(AppError::field("script", "err.too_long"));
            }
            text.extend_from_slice(&chunk);
        }
        fields.push((name, String::from_utf8_lossy(&text).into_owned()));
    };
    if let Some(form) = app::awards::forms::EntryForm::from_fields(&fields) {
        if form.id != entry_id {
            return Err(AppError::NotFound);
        }
        app::awards::entries::save_form(state, actor, &form).await?;
    }
    let Some(field) = field.filter(|f| f.file_name().is_some_and(|n| !n.is_empty())) else {
        return if fields.is_empty() { Err(AppError::field("file", "err.import_empty")) } else { Ok(None) };
    };
    let slot = files::open_upload(state, actor, entry_id, content_length(headers)).await?;
    receive_field(state, actor, slot, field).await.map(Some)
}

/// Everything that can be refused is refused before the body is read; then the file's chunks
/// go to the service as they arrive.
async fn store(state: &AppState, actor: &CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<EntryFile, AppError> {
    let slot = files::open_upload(state, actor, entry_id, content_length(headers)).await?;
    // The form's `file` field (other fields are skipped).
    let field = loop {
        match multipart.next_field().await.map_err(|_| AppError::field("file", "err.upload_interrupted"))? {
            Some(f) if f.name() == Some("file") => break f,
            Some(_) => continue,
            None => return Err(AppError::field("file", "err.import_empty")),
        }
    };
    receive_field(state, actor, slot, field).await
}

#[utoipa::path(post, path = "/api/v1/award-entries/{id}/files", tag = "awards", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", description = "Field `file`: mp3, m4a, wav, mp4, pdf, jpg, png or webp; the content must match the extension"),
    responses((status = 201, body = EntryFile), (status = 413, description = "Larger than the edition's limit", body = ErrorBody),
        (status = 409, description = "Not a draft, or the call has closed", body = ErrorBody), (status = 422, description = "Unknown type, or content not matching it", body = ErrorBody)))]
pub async fn upload(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, headers: HeaderMap, multipart: Multipart) -> Result<(StatusCode, axum::Json<EntryFile>), AppError> {
    let actor = actor.required()?;
    let mut multipart = multipart;
    Ok((StatusCode::CREATED, axum::Json(store_upload(&state, &actor, id, &headers, &mut multipart).await?)))
}

#[utoipa::path(delete, path = "/api/v1/award-files/{id}", tag = "awards", params(("id" = i64, Path)), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn remove(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    files::remove(&state, &actor.required()?, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Serves a file, whole or the requested byte range (`Range: bytes=a-b`, one range).
#[utoipa::path(get, path = "/api/v1/award-files/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "The whole file"), (status = 206, description = "The requested range"), (status = 416, description = "Range outside the file")))]
pub async fn download(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, headers: HeaderMap) -> Result<Response, AppError> {
    let file = files::open_download(&state, actor.0.as_ref(), id).await?;
    let size = file.size;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(|v| http_range_header::parse_range_header(v).and_then(|r| r.validate(size)));
    let (status, span) = match range {
        None => (StatusCode::OK, None),
        Some(Ok(ranges)) if ranges.len() == 1 => {
            let r = &ranges[0];
            (StatusCode::PARTIAL_CONTENT, Some(*r.start()..*r.end() + 1))
        }
        // Several ranges at once: the whole file is a valid answer (RFC 9110 §14.2).
        Some(Ok(_)) => (StatusCode::OK, None),
        Some(Err(_)) => {
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, [(header::CONTENT_RANGE, format!("bytes */{size}"))]).into_response());
        }
    };
    let got = file.read(&state, span.clone()).await?;
    let length = span.as_ref().map(|r| r.end - r.start).unwrap_or(size);
    let mut response = Response::new(Body::from_stream(got.into_stream()));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if let Some(r) = span {
        h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start, r.end - 1)).map_err(AppError::internal)?);
    }
    // RFC 6266: an ASCII fallback and the UTF-8 name, so Vietnamese names survive.
    let shown = &file.name;
    let ascii: String = app::text::fold(shown).chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    let encoded: String = shown.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")).map_err(AppError::internal)?);
    Ok(response)
}

/// Streams a multipart field's chunks into an opened upload slot; a broken body is reported on
/// the `file` field and the service removes what was written.
async fn receive_field(state: &AppState, actor: &CurrentUser, slot: files::UploadSlot, field: axum::extract::multipart::Field<'_>) -> Result<EntryFile, AppError> {
    let filename = field.file_name().unwrap_or("").to_string();
    let chunks = futures_util::stream::unfold(field, |mut field| async move {
        match field.chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), field)),
            Ok(None) => None,
            Err(_) => Some((Err(AppError::field("file", "err.upload_interrupted")), field)),
        }
    });
    files::receive(state, actor, slot, &filename, Box::pin(chunks)).await
}
