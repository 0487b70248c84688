//! Entry files over HTTP: streaming uploads (never held in memory, refused by content type,
//! size and deadline, and leaving nothing behind when interrupted) and downloads with HTTP
//! range requests, so the browser's audio and video players can seek.

use super::{Actor, ErrorBody};
use app::awards::model::{EntryFile, EntryStatus};
use app::awards::file_types as storage;
use app::infra::storage::Upload;
use app::awards::{entries, scoring, setup};
use app::error::AppError;
use app::vn_time::now_secs;
use app::infra::state::AppState;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sqlx::Row;

/// Room for the multipart framing around the file itself.
const MULTIPART_OVERHEAD: u64 = 64 * 1024;

/// Files per entry: a work, its script and a few photos.
const MAX_FILES: usize = 10;

/// Checks everything that can be checked before reading the body: the caller may add files to
/// this entry (its draft, while the call is open). Returns the size limit in bytes and the
/// number of files it has.
async fn draft_files(state: &AppState, actor: &app::accounts::model::CurrentUser, entry_id: i64) -> Result<(u64, usize), AppError> {
    let entry = entries::get(state, actor, entry_id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    entries::call_open(&c, now_secs())?;
    if entry.status != EntryStatus::Draft {
        return Err(AppError::conflict("err.award_not_draft"));
    }
    Ok((c.settings.max_file_mb as u64 * 1024 * 1024, entry.files.len()))
}

/// Reads the `file` field into the store. On any failure the partial object is aborted
/// (removed) before the error is returned.
async fn receive(state: &AppState, multipart: &mut Multipart, key: &str, limit: u64) -> Result<(String, storage::Declared, u64), AppError> {
    let mut field = loop {
        match multipart.next_field().await.map_err(|_| AppError::field("file", "err.upload_interrupted"))? {
            Some(f) if f.name() == Some("file") => break f,
            Some(_) => continue,
            None => return Err(AppError::field("file", "err.import_empty")),
        }
    };
    let filename = field.file_name().unwrap_or("").trim().to_string();
    let declared = storage::declared(&filename).ok_or_else(|| AppError::field("file", "err.award_file_type"))?;
    let mut upload: Upload = state.files.begin(key).await.map_err(AppError::internal)?;
    let outcome: Result<(), AppError> = async {
        let mut checked = false;
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::field("file", "err.upload_interrupted"))? {
            if upload.bytes + chunk.len() as u64 > limit {
                return Err(AppError::PayloadTooLarge);
            }
            upload.write(chunk).await.map_err(AppError::internal)?;
            if !checked && upload.head.len() >= storage::SNIFF_BYTES {
                checked = true;
                if !storage::content_matches(&declared, &upload.head) {
                    return Err(AppError::field("file", "err.award_file_content"));
                }
            }
        }
        if upload.bytes == 0 {
            return Err(AppError::field("file", "err.import_empty"));
        }
        if !checked && !storage::content_matches(&declared, &upload.head) {
            return Err(AppError::field("file", "err.award_file_content"));
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            let bytes = upload.bytes;
            upload.finish().await.map_err(AppError::internal)?;
            Ok((filename, declared, bytes))
        }
        Err(e) => {
            upload.abort().await;
            Err(e)
        }
    }
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
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
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

/// Stores an uploaded file of a draft entry and records it. A refused upload is read to its
/// end (see `drain`), so the client gets the answer rather than a reset connection.
pub async fn store_upload(state: &AppState, actor: &app::accounts::model::CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<EntryFile, AppError> {
    let result = store(state, actor, entry_id, headers, multipart).await;
    if result.is_err() {
        drain(multipart, headers).await;
    }
    result
}

/// The row is written only after the file is complete; if that write fails, the file is
/// deleted again.
async fn store(state: &AppState, actor: &app::accounts::model::CurrentUser, entry_id: i64, headers: &HeaderMap, multipart: &mut Multipart) -> Result<EntryFile, AppError> {
    let (limit, files) = draft_files(state, actor, entry_id).await?;
    if files >= MAX_FILES {
        return Err(AppError::field("file", "err.award_too_many_files"));
    }
    let declared_length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > limit + MULTIPART_OVERHEAD) {
        return Err(AppError::PayloadTooLarge);
    }
    let key = format!("awards/entries/{entry_id}/{}", uuid::Uuid::new_v4().simple());
    let (filename, declared, bytes) = receive(state, multipart, &key, limit).await?;
    let name: String = filename.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    let insert = async {
        let mut tx = state.db.begin_write().await?;
        // The entry may have been submitted meanwhile: the file only joins a draft.
        let still_draft: Option<i64> = sqlx::query_scalar("SELECT id FROM award_entries WHERE id = $1 AND status = 'draft'").bind(entry_id).fetch_optional(&mut *tx).await?;
        if still_draft.is_none() {
            return Err(AppError::conflict("err.award_not_draft"));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO award_files (entry_id, kind, content_type, original_name, storage_key, size_bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(entry_id)
        .bind(declared.kind)
        .bind(declared.content_type)
        .bind(&name)
        .bind(&key)
        .bind(bytes as i64)
        .bind(actor.id)
        .bind(now_secs())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<i64, AppError>(id)
    };
    match insert.await {
        Ok(id) => Ok(EntryFile { id, kind: declared.kind.into(), content_type: declared.content_type.into(), original_name: name, size_bytes: bytes as i64 }),
        Err(e) => {
            let _ = state.files.delete(&key).await;
            Err(e)
        }
    }
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
    let actor = actor.required()?;
    let row = sqlx::query("SELECT entry_id, storage_key FROM award_files WHERE id = $1").bind(id).fetch_optional(&state.db.pool).await?.ok_or(AppError::NotFound)?;
    let entry_id: i64 = row.get("entry_id");
    draft_files(&state, &actor, entry_id).await?;
    sqlx::query("DELETE FROM award_files WHERE id = $1").bind(id).execute(&state.db.pool).await?;
    if let Err(e) = state.files.delete(&row.get::<String, _>("storage_key")).await {
        tracing::warn!(error = %e, file = id, "file row removed but the object could not be deleted");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Serves a file, whole or the requested byte range (`Range: bytes=a-b`, one range).
#[utoipa::path(get, path = "/api/v1/award-files/{id}", tag = "awards", params(("id" = i64, Path)),
    responses((status = 200, description = "The whole file"), (status = 206, description = "The requested range"), (status = 416, description = "Range outside the file")))]
pub async fn download(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, headers: HeaderMap) -> Result<Response, AppError> {
    let row = sqlx::query("SELECT entry_id, content_type, original_name, storage_key, size_bytes FROM award_files WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let blind = scoring::file_access(&state, actor.0.as_ref(), row.get("entry_id")).await?;
    let (key, size): (String, i64) = (row.get("storage_key"), row.get("size_bytes"));
    let size = size as u64;
    let content_type: String = row.get("content_type");
    let name: String = row.get("original_name");
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let shown = if blind { format!("tep-{id}.{ext}") } else { name };
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
    let got = state.files.get(&key, span.clone()).await.map_err(AppError::internal)?;
    let length = span.as_ref().map(|r| r.end - r.start).unwrap_or(size);
    let mut response = Response::new(Body::from_stream(got.into_stream()));
    *response.status_mut() = status;
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    if let Some(r) = span {
        h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start, r.end - 1)).map_err(AppError::internal)?);
    }
    // RFC 6266: an ASCII fallback and the UTF-8 name, so Vietnamese names survive.
    let ascii: String = app::text::fold(&shown).chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    let encoded: String = shown.bytes().map(|b| if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") }).collect();
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")).map_err(AppError::internal)?);
    Ok(response)
}
