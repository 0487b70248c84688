//! Entry files: streaming uploads (never held in memory, refused by content type, size and
//! deadline, and leaving nothing behind when interrupted), who may open a file and under which
//! name, and removal. The HTTP side (multipart, ranges, headers) stays with the server's
//! handler, which hands this service the file's name and its chunks as they arrive.

use super::entry_checks::call_open;
use super::file_types::{self, Declared};
use super::model::*;
use super::repo::files::{self as file_rows, NewFile};
use super::repo::{entries as entry_rows, scores};
use super::{entries, setup};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::infra::storage::Upload;
use crate::vn_time::now_secs;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

/// Room for the multipart framing around the file itself.
pub const MULTIPART_OVERHEAD: u64 = 64 * 1024;

/// Files per entry: a work, its script and a few photos.
pub const MAX_FILES: usize = 10;

/// Checks everything that can be checked before reading the body: the caller may add files to
/// this entry (its draft, while the call is open). Returns the size limit in bytes and the
/// number of files it has.
async fn draft_files(state: &AppState, actor: &CurrentUser, entry_id: i64) -> Result<(u64, usize), AppError> {
    let entry = entries::get(state, actor, entry_id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    call_open(&c, now_secs())?;
    if entry.status != EntryStatus::Draft {
        return Err(AppError::conflict("err.award_not_draft"));
    }
    Ok((c.settings.max_file_mb as u64 * 1024 * 1024, entry.files.len()))
}

/// An upload the caller may make, checked before any of its body is read.
pub struct UploadSlot {
    entry_id: i64,
    limit: u64,
    key: String,
}

/// Opens an upload to a draft entry. `declared_length` is the request's Content-Length, if
/// any: one larger than the edition allows is refused before the body is read.
pub async fn open_upload(state: &AppState, actor: &CurrentUser, entry_id: i64, declared_length: Option<u64>) -> Result<UploadSlot, AppError> {
    let (limit, files) = draft_files(state, actor, entry_id).await?;
    if files >= MAX_FILES {
        return Err(AppError::field("file", "err.award_too_many_files"));
    }
    if declared_length.is_some_and(|n| n > limit + MULTIPART_OVERHEAD) {
        return Err(AppError::PayloadTooLarge);
    }
    Ok(UploadSlot { entry_id, limit, key: format!("awards/entries/{entry_id}/{}", uuid::Uuid::new_v4().simple()) })
}

/// Streams the file `filename` into the store and records it. Its type is declared by the
/// extension and must match the content's first bytes; the size limit holds as chunks arrive.
/// On any failure nothing is left behind: a partial object is aborted, and if recording fails
/// the stored file is deleted again.
pub async fn receive<S>(state: &AppState, actor: &CurrentUser, slot: UploadSlot, filename: &str, chunks: S) -> Result<EntryFile, AppError>
where
    S: Stream<Item = Result<Bytes, AppError>> + Unpin,
{
    let filename = filename.trim();
    let declared = file_types::declared(filename).ok_or_else(|| AppError::field("file", "err.award_file_type"))?;
    let bytes = store(state, &slot, &declared, chunks).await?;
    let name: String = filename.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    let record = async {
        let mut tx = state.db.begin_write().await?;
        // The entry may have been submitted meanwhile: the file only joins a draft.
        if !entry_rows::is_draft(&mut tx, slot.entry_id).await? {
            return Err(AppError::conflict("err.award_not_draft"));
        }
        let file = NewFile {
            entry_id: slot.entry_id,
            kind: declared.kind,
            content_type: declared.content_type,
            original_name: &name,
            storage_key: &slot.key,
            size_bytes: bytes as i64,
            uploaded_by: actor.id,
        };
        let id = file_rows::insert(&mut tx, &file, now_secs()).await?;
        tx.commit().await?;
        Ok::<i64, AppError>(id)
    };
    match record.await {
        Ok(id) => Ok(EntryFile { id, kind: declared.kind, content_type: declared.content_type.into(), original_name: name, size_bytes: bytes as i64 }),
        Err(e) => {
            let _ = state.files.delete(&slot.key).await;
            Err(e)
        }
    }
}

/// Writes the chunks to the store under the slot's key; returns the size.
async fn store<S>(state: &AppState, slot: &UploadSlot, declared: &Declared, mut chunks: S) -> Result<u64, AppError>
where
    S: Stream<Item = Result<Bytes, AppError>> + Unpin,
{
    let mut upload: Upload = state.files.begin(&slot.key).await.map_err(AppError::internal)?;
    let outcome: Result<(), AppError> = async {
        let mut checked = false;
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk?;
            if upload.bytes + chunk.len() as u64 > slot.limit {
                return Err(AppError::PayloadTooLarge);
            }
            upload.write(chunk).await.map_err(AppError::internal)?;
            if !checked && upload.head.len() >= file_types::SNIFF_BYTES {
                checked = true;
                if !file_types::content_matches(declared, &upload.head) {
                    return Err(AppError::field("file", "err.award_file_content"));
                }
            }
        }
        if upload.bytes == 0 {
            return Err(AppError::field("file", "err.import_empty"));
        }
        if !checked && !file_types::content_matches(declared, &upload.head) {
            return Err(AppError::field("file", "err.award_file_content"));
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => {
            let bytes = upload.bytes;
            upload.finish().await.map_err(AppError::internal)?;
            Ok(bytes)
        }
        Err(e) => {
            upload.abort().await;
            Err(e)
        }
    }
}

/// A file made at once (the demo seed's generated audio and articles), through the same
/// checks as an upload.
pub async fn attach(state: &AppState, actor: &CurrentUser, entry_id: i64, filename: &str, bytes: Vec<u8>) -> Result<EntryFile, AppError> {
    let slot = open_upload(state, actor, entry_id, Some(bytes.len() as u64)).await?;
    receive(state, actor, slot, filename, futures_util::stream::iter([Ok(Bytes::from(bytes))])).await
}

/// Removes a file of a draft entry (its submitter, or an organizer, while the call is open).
pub async fn remove(state: &AppState, actor: &CurrentUser, id: i64) -> Result<(), AppError> {
    let file = file_rows::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    draft_files(state, actor, file.entry_id).await?;
    file_rows::delete(&state.db, id).await?;
    if let Err(e) = state.files.delete(&file.storage_key).await {
        tracing::warn!(error = %e, file = id, "file row removed but the object could not be deleted");
    }
    Ok(())
}

/// A file the viewer may open, and the name it is offered under.
pub struct Download {
    pub content_type: String,
    /// The original name, or "tep-{id}.{ext}" for a judge in blind mode.
    pub name: String,
    pub size: u64,
    key: String,
}

impl Download {
    /// The file, or the byte range `start..end` of it.
    pub async fn read(&self, state: &AppState, range: Option<std::ops::Range<u64>>) -> Result<object_store::GetResult, AppError> {
        state.files.get(&self.key, range).await.map_err(AppError::internal)
    }
}

/// Opens file `id` for `viewer` (`None`: not signed in), as `policy::award_entry_files` allows.
pub async fn open_download(state: &AppState, viewer: Option<&CurrentUser>, id: i64) -> Result<Download, AppError> {
    let file = file_rows::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let entry = entry_rows::visibility(&state.db, file.entry_id).await?.ok_or(AppError::NotFound)?;
    let published = entry.stage == Phase::Published && entry.prize.is_some();
    let assigned = match viewer {
        Some(v) if v.id != entry.submitted_by && !published => scores::judge_is_on(&state.db, file.entry_id, v.id).await?,
        _ => false,
    };
    let view = crate::policy::award_entry_files(viewer, entry.submitted_by, published, assigned, entry.blind != 0)?;
    let ext = file.original_name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let name = match view {
        crate::policy::FileView::Named => file.original_name,
        crate::policy::FileView::Anonymous => format!("tep-{id}.{ext}"),
    };
    Ok(Download { content_type: file.content_type, name, size: file.size_bytes as u64, key: file.storage_key })
}
