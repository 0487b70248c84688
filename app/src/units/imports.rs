//! The import workflow: upload → preview (stored, so the organizer can look before applying)
//! → apply all or nothing. The plan is recomputed at apply time against the tree as it is
//! then, so a preview that went stale cannot apply something different from what it says.

use crate::codes::Code;
use super::model::{Block, ImportPreview};
use super::service::infer_kind;
use super::{repo, transfer};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::uploads;
use std::collections::HashMap;

const KIND: &str = "units";

fn plan_bytes(units: &[super::model::Unit], bytes: &[u8], filename: &str) -> ImportPreview {
    match transfer::read_rows(bytes) {
        Ok(rows) => transfer::plan(units, &rows, filename),
        Err(err) => ImportPreview { import_id: None, filename: filename.into(), rows: vec![], errors: vec![err], applied: false },
    }
}

/// Previews a file without storing it (the API's dry run).
pub async fn dry_run(state: &AppState, actor: &CurrentUser, filename: &str, bytes: &[u8]) -> Result<ImportPreview, AppError> {
    crate::policy::organizer(actor)?;
    Ok(plan_bytes(&repo::all(&state.db).await?, bytes, filename))
}

/// Stores an uploaded file and returns its preview.
pub async fn stage(state: &AppState, actor: &CurrentUser, filename: &str, bytes: Vec<u8>) -> Result<ImportPreview, AppError> {
    crate::policy::organizer(actor)?;
    let mut preview = plan_bytes(&repo::all(&state.db).await?, &bytes, filename);
    preview.import_id = Some(uploads::stage(&state.db, actor.id, KIND, filename, bytes).await?);
    Ok(preview)
}

async fn load(state: &AppState, actor: &CurrentUser, import_id: i64) -> Result<(String, Vec<u8>), AppError> {
    crate::policy::organizer(actor)?;
    uploads::load(&state.db, actor.id, KIND, import_id).await
}

pub async fn preview(state: &AppState, actor: &CurrentUser, import_id: i64) -> Result<ImportPreview, AppError> {
    let (filename, bytes) = load(state, actor, import_id).await?;
    let mut preview = plan_bytes(&repo::all(&state.db).await?, &bytes, &filename);
    preview.import_id = Some(import_id);
    Ok(preview)
}

/// Applies a staged import if its plan has no errors; otherwise returns the plan unchanged.
pub async fn apply(state: &AppState, actor: &CurrentUser, import_id: i64) -> Result<ImportPreview, AppError> {
    let (filename, bytes) = load(state, actor, import_id).await?;
    let mut preview = apply_bytes(state, actor, &filename, &bytes).await?;
    if preview.applied {
        uploads::discard(&state.db, import_id).await?;
    }
    preview.import_id = Some(import_id);
    Ok(preview)
}

/// Plans and, if clean, applies in one transaction.
pub async fn apply_bytes(state: &AppState, actor: &CurrentUser, filename: &str, bytes: &[u8]) -> Result<ImportPreview, AppError> {
    crate::policy::organizer(actor)?;
    // Plan against the tree as it is inside the transaction, after taking the tree lock.
    let mut tx = state.db.begin_write().await?;
    state.db.lock_tree(&mut tx).await?;
    let units = repo::all_tx(&mut tx).await?;
    let mut preview = plan_bytes(&units, bytes, filename);
    if !preview.errors.is_empty() {
        return Ok(preview);
    }
    let mut ids: HashMap<String, i64> = units.iter().map(|u| (u.code.clone(), u.id)).collect();
    // Creates go parents-first: a row waits until its parent exists (in the tree or created
    // earlier in this pass). The plan has ruled out cycles and unknown parents.
    let mut pending: Vec<_> = preview.rows.iter().filter(|r| r.action != "unchanged").collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for row in pending {
            let parent_id = if row.parent_code.is_empty() { None } else { ids.get(&row.parent_code).copied() };
            if !row.parent_code.is_empty() && parent_id.is_none() {
                waiting.push(row);
                continue;
            }
            let block = Block::parse(&row.block).unwrap_or(Block::SuNghiep);
            let detail = serde_json::json!({ "file": filename, "line": row.line, "name": row.name, "parent_code": row.parent_code, "block": block.code(), "headcount": row.headcount });
            if let Some(&id) = ids.get(&row.code) {
                repo::update_fields(&mut tx, id, &row.name, block, row.headcount).await?;
                if parent_id.is_some() {
                    repo::set_parent(&mut tx, id, parent_id).await?;
                }
                crate::audit::record(&mut tx, Some(actor.id), "unit.update", "unit", Some(id), detail).await?;
            } else {
                let kind = infer_kind(block, &row.name, parent_id.is_some());
                let id = repo::insert(&mut tx, &repo::InsertUnit { code: &row.code, name: &row.name, kind, block, parent_id, headcount: row.headcount }).await?;
                crate::audit::record(&mut tx, Some(actor.id), "unit.create", "unit", Some(id), detail).await?;
                ids.insert(row.code.clone(), id);
            }
        }
        if waiting.len() == before {
            return Err(AppError::internal("unit import could not order its rows"));
        }
        pending = waiting;
    }
    crate::audit::record(&mut tx, Some(actor.id), "unit.import", "units", None, serde_json::json!({
        "file": filename, "created": preview.count("create"), "updated": preview.count("update")
    })).await?;
    tx.commit().await?;
    preview.applied = true;
    Ok(preview)
}
