//! Unit rules: who may change the tree and how. Organizers create, rename, move, merge and
//! retire units; unit managers may set the headcount of units in their own subtree. Units are
//! never deleted, so every record that pointed to a unit still resolves to it.

use crate::codes::Code;
use super::model::{Block, NewUnit, Unit, UnitChanges, UnitEvent, UnitNode, UnitStatus};
use super::{repo, tree};
use crate::accounts::model::CurrentUser;
use crate::audit;
use crate::error::{AppError, Validator};
use crate::infra::state::AppState;
use serde_json::json;
use std::collections::HashMap;

/// The kind of a unit follows from its block and, for communes, from its name.
pub fn infer_kind(block: Block, name: &str, has_parent: bool) -> &'static str {
    let folded = crate::text::fold(name);
    match block {
        _ if !has_parent => "city",
        Block::City => "city",
        Block::SoNganh => "department",
        Block::XaPhuong if folded.starts_with("phuong") => "ward",
        Block::XaPhuong if folded.starts_with("dac khu") => "special_zone",
        Block::XaPhuong => "commune",
        Block::SuNghiep => "subordinate",
    }
}

/// The tree for display. Anyone may read active units (the registration picker needs them);
/// retired and merged units are listed for organizers only.
pub async fn list(state: &AppState, actor: Option<&CurrentUser>, query: &str, include_inactive: bool) -> Result<Vec<UnitNode>, AppError> {
    let organizer = actor.is_some_and(|a| a.is_organizer());
    let include_inactive = include_inactive && organizer;
    let units = repo::all(&state.db).await?;
    let nodes = tree::as_tree(units);
    // Organizers see each unit's staff count as the participation figures use it.
    let sizes: HashMap<i64, i64> = if organizer { crate::participation::repo::reports::roster_sizes(&state.db, None).await?.into_iter().collect() } else { HashMap::new() };
    Ok(nodes
        .into_iter()
        .filter(|n| include_inactive || n.unit.status == UnitStatus::Active)
        .filter(|n| query.trim().is_empty() || crate::text::matches(query, &n.unit.name) || n.unit.code.eq_ignore_ascii_case(query.trim()))
        .map(|mut n| {
            if organizer {
                n.staff = Some(crate::participation::rates::staff_count(n.unit.headcount, sizes.get(&n.unit.id).copied()));
            }
            n
        })
        .collect())
}

pub async fn get(state: &AppState, id: i64) -> Result<Unit, AppError> {
    repo::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

pub async fn history(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Vec<UnitEvent>, AppError> {
    crate::policy::organizer(actor)?;
    Ok(repo::history(&state.db, id).await?)
}

fn parse_block(v: &mut Validator, text: &str) -> Option<Block> {
    let block = Block::parse(text);
    if block.is_none() {
        v.add("block", if text.trim().is_empty() { "err.required" } else { "err.block_unknown" });
    }
    block
}

fn check_headcount(v: &mut Validator, headcount: i64) {
    if !(0..=1_000_000).contains(&headcount) {
        v.add("headcount", "err.headcount_format");
    }
}

fn clean_name(v: &mut Validator, name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        v.add("name", "err.required");
    } else if name.chars().count() > 200 {
        v.add("name", "err.too_long");
    }
    name
}

/// A write transaction holding the tree lock: every unit change reads the tree it changes.
async fn begin_tree_change(state: &AppState) -> Result<crate::infra::db::WriteTx, AppError> {
    let mut tx = state.db.begin_write().await?;
    state.db.lock_tree(&mut tx).await?;
    Ok(tx)
}

async fn active_unit(tx: &mut crate::infra::db::WriteTx, id: i64, field: &str) -> Result<Unit, AppError> {
    match repo::get_tx(tx, id).await? {
        Some(u) if u.status == UnitStatus::Active => Ok(u),
        Some(_) => Err(AppError::field(field, "err.unit_retired")),
        None => Err(AppError::field(field, "err.unit_unknown")),
    }
}

pub async fn create(state: &AppState, actor: &CurrentUser, input: NewUnit) -> Result<Unit, AppError> {
    crate::policy::organizer(actor)?;
    let mut v = Validator::new();
    let code = input.code.trim().to_string();
    v.check("code", tree::validate_code(&code));
    let name = clean_name(&mut v, &input.name);
    let block = parse_block(&mut v, &input.block);
    let headcount = input.headcount.unwrap_or(0);
    check_headcount(&mut v, headcount);
    if input.parent_id.is_none() {
        v.add("parent_id", "err.required");
    }
    let mut tx = begin_tree_change(state).await?;
    if !v.has("code") && repo::code_exists(&mut tx, &code).await? {
        v.add("code", "err.code_taken");
    }
    if let Some(parent) = input.parent_id {
        if let Err(AppError::Validation { fields }) = active_unit(&mut tx, parent, "parent_id").await {
            for (f, k) in fields {
                v.add(&f, &k);
            }
        }
    }
    v.finish()?;
    let block = block.unwrap_or(Block::SuNghiep);
    let kind = infer_kind(block, &name, true);
    let id = repo::insert(&mut tx, &repo::InsertUnit { code: &code, name: &name, kind, block, parent_id: input.parent_id, headcount }).await?;
    audit::record(&mut tx, Some(actor.id), "unit.create", "unit", Some(id), json!({ "code": code, "name": name, "parent_id": input.parent_id })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Renames a unit, changes its block or headcount. Unit managers may change only the
/// headcount, and only inside their subtree.
pub async fn update(state: &AppState, actor: &CurrentUser, id: i64, changes: UnitChanges) -> Result<Unit, AppError> {
    let only_headcount = changes.name.is_none() && changes.block.is_none();
    if !actor.is_organizer() {
        if !(only_headcount && manages(state, actor, id).await?) {
            return Err(AppError::Forbidden);
        }
    }
    let mut v = Validator::new();
    let mut tx = begin_tree_change(state).await?;
    let unit = active_unit(&mut tx, id, "id").await.map_err(|_| AppError::NotFound)?;
    let name = changes.name.as_deref().map(|n| clean_name(&mut v, n)).unwrap_or_else(|| unit.name.clone());
    let block = match changes.block.as_deref() {
        Some(b) => parse_block(&mut v, b).unwrap_or(unit.block),
        None => unit.block,
    };
    let headcount = changes.headcount.unwrap_or(unit.headcount);
    check_headcount(&mut v, headcount);
    v.finish()?;
    repo::update_fields(&mut tx, id, &name, block, headcount).await?;
    audit::record(&mut tx, Some(actor.id), "unit.update", "unit", Some(id), json!({
        "name": [unit.name, name], "block": [unit.block.code(), block.code()], "headcount": [unit.headcount, headcount]
    })).await?;
    tx.commit().await?;
    get(state, id).await
}

pub async fn move_unit(state: &AppState, actor: &CurrentUser, id: i64, new_parent: i64) -> Result<Unit, AppError> {
    crate::policy::organizer(actor)?;
    let mut tx = begin_tree_change(state).await?;
    let unit = active_unit(&mut tx, id, "id").await.map_err(|_| AppError::NotFound)?;
    if unit.parent_id.is_none() {
        return Err(AppError::conflict("err.root_fixed"));
    }
    active_unit(&mut tx, new_parent, "parent_id").await?;
    let parent_of: HashMap<i64, Option<i64>> = repo::all_tx(&mut tx).await?.into_iter().map(|u| (u.id, u.parent_id)).collect();
    if tree::would_create_cycle(&parent_of, id, new_parent) {
        return Err(AppError::field("parent_id", "err.parent_cycle"));
    }
    repo::set_parent(&mut tx, id, Some(new_parent)).await?;
    crate::counters::on_tree_changed(&mut tx).await?;
    audit::record(&mut tx, Some(actor.id), "unit.move", "unit", Some(id), json!({ "from": unit.parent_id, "to": new_parent })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Sáp nhập: `source` joins `target`. The source keeps its row (status `merged`, pointing to
/// the target) so records that name it still resolve; its active sub-units move under the
/// target and its headcount is added to the target's.
pub async fn merge(state: &AppState, actor: &CurrentUser, source: i64, target: i64) -> Result<Unit, AppError> {
    crate::policy::organizer(actor)?;
    if source == target {
        return Err(AppError::field("target_id", "err.merge_same"));
    }
    let mut tx = begin_tree_change(state).await?;
    let src = active_unit(&mut tx, source, "source_id").await?;
    let dst = active_unit(&mut tx, target, "target_id").await?;
    if src.parent_id.is_none() {
        return Err(AppError::conflict("err.root_fixed"));
    }
    let all = repo::all_tx(&mut tx).await?;
    if tree::subtree(&all, source).contains(&target) {
        return Err(AppError::field("target_id", "err.merge_into_descendant"));
    }
    let moved = repo::reparent_active_children(&mut tx, source, target).await?;
    repo::set_status(&mut tx, source, UnitStatus::Merged, Some(target)).await?;
    repo::update_fields(&mut tx, target, &dst.name, dst.block, dst.headcount + src.headcount).await?;
    // The merged unit's focal points keep their job: they now manage the receiving unit.
    let managers = repo::move_manager_grants(&mut tx, source, target).await?;
    crate::counters::on_tree_changed(&mut tx).await?;
    let detail = json!({ "source": { "id": src.id, "code": src.code, "name": src.name }, "target": { "id": dst.id, "code": dst.code, "name": dst.name },
        "children_moved": moved, "headcount_added": src.headcount, "manager_grants_moved": managers });
    audit::record(&mut tx, Some(actor.id), "unit.merged_into", "unit", Some(source), detail.clone()).await?;
    audit::record(&mut tx, Some(actor.id), "unit.absorbed", "unit", Some(target), detail).await?;
    tx.commit().await?;
    get(state, target).await
}

/// Giải thể: only a unit without active sub-units can be retired.
pub async fn retire(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Unit, AppError> {
    crate::policy::organizer(actor)?;
    let mut tx = begin_tree_change(state).await?;
    let unit = active_unit(&mut tx, id, "id").await.map_err(|_| AppError::NotFound)?;
    if unit.parent_id.is_none() {
        return Err(AppError::conflict("err.root_fixed"));
    }
    if repo::active_children(&mut tx, id).await? > 0 {
        return Err(AppError::conflict("err.unit_has_children"));
    }
    repo::set_status(&mut tx, id, UnitStatus::Retired, None).await?;
    audit::record(&mut tx, Some(actor.id), "unit.retire", "unit", Some(id), json!({ "code": unit.code, "name": unit.name })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// What retiring a unit touches, for the organizer's confirmation: its active sub-units (it
/// cannot be retired while it has any), the accounts registered in it and its roster entries
/// (both stay, counted for no unit, until it is reinstated).
pub async fn retire_facts(state: &AppState, actor: &CurrentUser, id: i64) -> Result<super::model::RetireFacts, AppError> {
    crate::policy::organizer(actor)?;
    let unit = get(state, id).await?;
    let (active_children, accounts, roster_entries) = repo::retire_facts(&state.db, id).await?;
    Ok(super::model::RetireFacts { unit_id: id, name: unit.name, active_children, accounts, roster_entries })
}

/// Khôi phục: undoes a retirement. The unit comes back where it was, under its parent, which
/// must still be active.
pub async fn reinstate(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Unit, AppError> {
    crate::policy::organizer(actor)?;
    let mut tx = begin_tree_change(state).await?;
    let unit = repo::get_tx(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if unit.status != UnitStatus::Retired {
        return Err(AppError::conflict("err.unit_not_retired"));
    }
    if let Some(parent) = unit.parent_id {
        if repo::get_tx(&mut tx, parent).await?.is_none_or(|p| p.status != UnitStatus::Active) {
            return Err(AppError::conflict("err.parent_not_active"));
        }
    }
    repo::set_status(&mut tx, id, UnitStatus::Active, None).await?;
    audit::record(&mut tx, Some(actor.id), "unit.reinstate", "unit", Some(id), json!({ "code": unit.code, "name": unit.name })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// True if `actor` manages `unit` through a unit-manager grant on it or an ancestor.
pub async fn manages(state: &AppState, actor: &CurrentUser, unit: i64) -> Result<bool, AppError> {
    if actor.managed_units().is_empty() {
        return Ok(false);
    }
    let all = repo::all(&state.db).await?;
    Ok(crate::policy::manages(actor, unit, |root| tree::subtree(&all, root).into_iter().collect()))
}
