//! Entry files (`award_files`): the rows that point at objects in the file store. The objects
//! themselves are the file service's (`awards::files`).

use super::id_list;
use crate::awards::model::{EntryFile, FileKind};
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct FileRow {
    id: i64,
    entry_id: i64,
    kind: FileKind,
    content_type: String,
    original_name: String,
    size_bytes: i64,
}

/// The files of each entry, in upload order.
pub async fn of_entries(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, Vec<EntryFile>>, AppError> {
    let rows: Vec<FileRow> = sqlx::query_as(&format!("SELECT id, entry_id, kind, content_type, original_name, size_bytes FROM award_files WHERE entry_id IN ({}) ORDER BY id", id_list(ids)))
        .fetch_all(&db.pool)
        .await?;
    let mut out: BTreeMap<i64, Vec<EntryFile>> = BTreeMap::new();
    for r in rows {
        out.entry(r.entry_id).or_default().push(EntryFile { id: r.id, kind: r.kind, content_type: r.content_type, original_name: r.original_name, size_bytes: r.size_bytes });
    }
    Ok(out)
}

/// A file's row with where its object is stored.
#[derive(sqlx::FromRow)]
pub struct StoredFile {
    pub id: i64,
    pub entry_id: i64,
    pub content_type: String,
    pub original_name: String,
    pub storage_key: String,
    pub size_bytes: i64,
}

pub async fn get(db: &Db, id: i64) -> Result<Option<StoredFile>, AppError> {
    Ok(sqlx::query_as("SELECT id, entry_id, content_type, original_name, storage_key, size_bytes FROM award_files WHERE id = $1").bind(id).fetch_optional(&db.pool).await?)
}

/// A file to record once its object is complete.
pub struct NewFile<'a> {
    pub entry_id: i64,
    pub kind: FileKind,
    pub content_type: &'a str,
    pub original_name: &'a str,
    pub storage_key: &'a str,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

pub async fn insert(tx: &mut WriteTx, file: &NewFile<'_>, at: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO award_files (entry_id, kind, content_type, original_name, storage_key, size_bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(file.entry_id)
    .bind(file.kind)
    .bind(file.content_type)
    .bind(file.original_name)
    .bind(file.storage_key)
    .bind(file.size_bytes)
    .bind(file.uploaded_by)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?)
}

pub async fn delete(db: &Db, id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_files WHERE id = $1").bind(id).execute(&db.pool).await?;
    Ok(())
}

/// Deletes every file row of an entry; returns their storage keys, for the objects to go too.
pub async fn delete_of_entry(tx: &mut WriteTx, entry_id: i64) -> Result<Vec<String>, AppError> {
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM award_files WHERE entry_id = $1").bind(entry_id).fetch_all(&mut **tx).await?;
    sqlx::query("DELETE FROM award_files WHERE entry_id = $1").bind(entry_id).execute(&mut **tx).await?;
    Ok(keys)
}
