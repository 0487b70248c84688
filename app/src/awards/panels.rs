//! Tiểu ban: panels of judges per stage and genre, balanced automatic assignment that never
//! gives a judge an entry of their own organisation, manual assignment, recusal with a
//! reason, each judge's progress, and closing a panel.

use super::entries::id_list;
use super::model::*;
use super::setup::{self, require_organizer};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::db::Db;
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Unit → parent, to tell whether two units belong to one organisation.
pub struct UnitTree(BTreeMap<i64, Option<i64>>);

impl UnitTree {
    pub async fn load(db: &Db) -> Result<UnitTree, AppError> {
        let rows = sqlx::query("SELECT id, parent_id FROM units").fetch_all(&db.pool).await?;
        Ok(UnitTree(rows.iter().map(|r| (r.get("id"), r.get("parent_id"))).collect()))
    }

    fn is_within(&self, unit: i64, ancestor: i64) -> bool {
        let mut cur = Some(unit);
        let mut steps = 0;
        while let Some(u) = cur {
            if u == ancestor {
                return true;
            }
            steps += 1;
            if steps > 64 {
                return false;
            }
            cur = self.0.get(&u).copied().flatten();
        }
        false
    }

    /// A judge of unit `judge` has a conflict with an entry of unit `entry` when one unit is
    /// the other or contains it: a department's judge does not score its own sub-units' works.
    pub fn conflict(&self, judge: Option<i64>, entry: Option<i64>) -> bool {
        match (judge, entry) {
            (Some(j), Some(e)) => self.is_within(e, j) || self.is_within(j, e),
            _ => false,
        }
    }
}

/// The judges to add to an entry: the least loaded first, skipping those already on it (or
/// recused from it) and those in conflict. `load` is updated as judges are chosen.
pub fn pick_judges(candidates: &[(i64, Option<i64>)], excluded: &BTreeSet<i64>, entry_unit: Option<i64>, needed: usize, load: &mut BTreeMap<i64, i64>, tree: &UnitTree) -> Vec<i64> {
    let mut eligible: Vec<i64> = candidates.iter().filter(|(j, unit)| !excluded.contains(j) && !tree.conflict(*unit, entry_unit)).map(|(j, _)| *j).collect();
    eligible.sort_by_key(|j| (load.get(j).copied().unwrap_or(0), *j));
    let chosen: Vec<i64> = eligible.into_iter().take(needed).collect();
    for j in &chosen {
        *load.entry(*j).or_insert(0) += 1;
    }
    chosen
}

async fn panel_row(db: &Db, competition_id: i64, stage: Stage, genre: Genre) -> Result<Option<(i64, Option<i64>)>, AppError> {
    Ok(sqlx::query("SELECT id, closed_at FROM award_panels WHERE competition_id = $1 AND stage = $2 AND genre = $3")
        .bind(competition_id)
        .bind(stage.code())
        .bind(genre.code())
        .fetch_optional(&db.pool)
        .await?
        .map(|r| (r.get("id"), r.get("closed_at"))))
}

/// Sets a panel's judges (creating the panel). Judges must hold the judge role. A judge who
/// has already scored cannot be taken off; one who has not loses their assignments.
pub async fn set_judges(state: &AppState, actor: &CurrentUser, competition_id: i64, stage: Stage, genre: Genre, judge_ids: Vec<i64>) -> Result<Panel, AppError> {
    require_organizer(actor)?;
    let c = setup::get(state, competition_id).await?;
    if !c.settings.genres.contains(&genre) {
        return Err(AppError::field("genre", "err.award_genre"));
    }
    let allowed = match stage {
        Stage::Preliminary => matches!(c.phase, Phase::Entries | Phase::Preliminary),
        Stage::Final => matches!(c.phase, Phase::Entries | Phase::Preliminary | Phase::Final),
    };
    if !allowed {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let judges: BTreeSet<i64> = judge_ids.into_iter().collect();
    if judges.is_empty() {
        return Err(AppError::field("judges", "err.award_judges_required"));
    }
    let with_role: Vec<i64> = sqlx::query_scalar(&format!("SELECT user_id FROM user_roles WHERE role = 'judge' AND user_id IN ({})", id_list(&judges.iter().copied().collect::<Vec<_>>())))
        .fetch_all(&state.db.pool)
        .await?;
    if with_role.len() != judges.len() {
        return Err(AppError::field("judges", "err.award_not_judge"));
    }
    let mut tx = state.db.begin_write().await?;
    let existing = sqlx::query("SELECT id, closed_at FROM award_panels WHERE competition_id = $1 AND stage = $2 AND genre = $3")
        .bind(competition_id)
        .bind(stage.code())
        .bind(genre.code())
        .fetch_optional(&mut *tx)
        .await?;
    let panel_id: i64 = match existing {
        Some(r) if r.get::<Option<i64>, _>("closed_at").is_some() => return Err(AppError::conflict("err.award_panel_closed")),
        Some(r) => r.get("id"),
        None => sqlx::query_scalar("INSERT INTO award_panels (competition_id, stage, genre) VALUES ($1, $2, $3) RETURNING id")
            .bind(competition_id)
            .bind(stage.code())
            .bind(genre.code())
            .fetch_one(&mut *tx)
            .await?,
    };
    let current: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM award_panel_judges WHERE panel_id = $1").bind(panel_id).fetch_all(&mut *tx).await?;
    for gone in current.iter().filter(|j| !judges.contains(j)) {
        let scored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE panel_id = $1 AND judge_id = $2 AND status IN ('draft', 'scored')")
            .bind(panel_id)
            .bind(gone)
            .fetch_one(&mut *tx)
            .await?;
        if scored > 0 {
            return Err(AppError::field("judges", "err.award_judge_has_scores"));
        }
        sqlx::query("DELETE FROM award_assignments WHERE panel_id = $1 AND judge_id = $2 AND status = 'assigned'").bind(panel_id).bind(gone).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM award_panel_judges WHERE panel_id = $1 AND user_id = $2").bind(panel_id).bind(gone).execute(&mut *tx).await?;
    }
    for j in judges.iter().filter(|j| !current.contains(j)) {
        sqlx::query("INSERT INTO award_panel_judges (panel_id, user_id) VALUES ($1, $2)").bind(panel_id).bind(j).execute(&mut *tx).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.panel", "award_panel", Some(panel_id), serde_json::json!({ "stage": stage.code(), "genre": genre.code(), "judges": judges })).await?;
    tx.commit().await?;
    panels(state, competition_id).await?.into_iter().find(|p| p.id == panel_id).ok_or(AppError::NotFound)
}

/// The entries a stage judges: eligible ones in the preliminary, finalists in the final.
fn stage_filter(stage: Stage) -> &'static str {
    match stage {
        Stage::Preliminary => "e.status = 'eligible'",
        Stage::Final => "e.status = 'eligible' AND e.finalist = 1",
    }
}

fn phase_of(stage: Stage) -> Phase {
    match stage {
        Stage::Preliminary => Phase::Preliminary,
        Stage::Final => Phase::Final,
    }
}

/// Phân công tự động: tops every entry of the stage up to the planned number of judges from
/// its genre's panel, least-loaded judge first, never a judge of the entry's own organisation
/// nor one who recused from it. Most constrained entries are served first. Running it again
/// after recusals fills the gaps and changes nothing else.
pub async fn auto_assign(state: &AppState, actor: &CurrentUser, competition_id: i64, stage: Stage) -> Result<AssignmentReport, AppError> {
    require_organizer(actor)?;
    let c = setup::get(state, competition_id).await?;
    if c.phase != phase_of(stage) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let tree = UnitTree::load(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let panels = sqlx::query("SELECT id, genre FROM award_panels WHERE competition_id = $1 AND stage = $2 AND closed_at IS NULL")
        .bind(competition_id)
        .bind(stage.code())
        .fetch_all(&mut *tx)
        .await?;
    let mut report = AssignmentReport { created: 0, short: vec![] };
    let t = now_secs();
    let per_entry = c.settings.judges_per_entry as usize;
    for p in panels {
        let (panel_id, genre): (i64, String) = (p.get("id"), p.get("genre"));
        let judges: Vec<(i64, Option<i64>)> = sqlx::query("SELECT u.id, u.unit_id FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id WHERE pj.panel_id = $1 ORDER BY u.id")
            .bind(panel_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get("id"), r.get("unit_id")))
            .collect();
        let entries: Vec<(i64, Option<i64>)> = sqlx::query(&format!("SELECT e.id, e.unit_id FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {} ORDER BY e.id", stage_filter(stage)))
            .bind(competition_id)
            .bind(&genre)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get("id"), r.get("unit_id")))
            .collect();
        let existing = sqlx::query("SELECT entry_id, judge_id, status FROM award_assignments WHERE panel_id = $1").bind(panel_id).fetch_all(&mut *tx).await?;
        let mut on_entry: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
        let mut active: BTreeMap<i64, usize> = BTreeMap::new();
        let mut load: BTreeMap<i64, i64> = BTreeMap::new();
        for r in &existing {
            let (e, j, status): (i64, i64, String) = (r.get("entry_id"), r.get("judge_id"), r.get("status"));
            on_entry.entry(e).or_default().insert(j);
            if status != "recused" {
                *active.entry(e).or_insert(0) += 1;
                *load.entry(j).or_insert(0) += 1;
            }
        }
        // Most constrained first: entries with the fewest judges free of conflict.
        let mut order: Vec<&(i64, Option<i64>)> = entries.iter().collect();
        order.sort_by_key(|(e, unit)| (judges.iter().filter(|(_, ju)| !tree.conflict(*ju, *unit)).count(), *e));
        for (entry_id, unit) in order {
            let have = active.get(entry_id).copied().unwrap_or(0);
            if have >= per_entry {
                continue;
            }
            let excluded = on_entry.get(entry_id).cloned().unwrap_or_default();
            let chosen = pick_judges(&judges, &excluded, *unit, per_entry - have, &mut load, &tree);
            for j in &chosen {
                sqlx::query("INSERT INTO award_assignments (panel_id, entry_id, judge_id, assigned_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
                    .bind(panel_id)
                    .bind(entry_id)
                    .bind(j)
                    .bind(t)
                    .execute(&mut *tx)
                    .await?;
            }
            report.created += chosen.len() as i64;
            if have + chosen.len() < per_entry {
                report.short.push(*entry_id);
            }
        }
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.auto_assign", "award_competition", Some(competition_id), serde_json::json!({ "stage": stage.code(), "created": report.created, "short": report.short })).await?;
    tx.commit().await?;
    Ok(report)
}

/// Phân công thủ công: one judge to one entry. Refused for a judge outside the entry's panel,
/// a conflict of interest, or a judge who recused from it.
pub async fn assign(state: &AppState, actor: &CurrentUser, entry_id: i64, stage: Stage, judge_id: i64) -> Result<i64, AppError> {
    require_organizer(actor)?;
    let entry = super::entries::load_one(&state.db, entry_id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    if c.phase != phase_of(stage) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    if entry.status != EntryStatus::Eligible || (stage == Stage::Final && !entry.finalist) {
        return Err(AppError::conflict("err.award_not_in_stage"));
    }
    let (panel_id, closed) = panel_row(&state.db, c.id, stage, entry.input.genre).await?.ok_or_else(|| AppError::conflict("err.award_no_panel"))?;
    if closed.is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    let judge_unit = sqlx::query("SELECT u.unit_id FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id WHERE pj.panel_id = $1 AND pj.user_id = $2")
        .bind(panel_id)
        .bind(judge_id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::field("judge_id", "err.award_not_in_panel"))?
        .get::<Option<i64>, _>("unit_id");
    if UnitTree::load(&state.db).await?.conflict(judge_unit, entry.input.unit_id) {
        return Err(AppError::conflict("err.award_conflict_unit"));
    }
    let mut tx = state.db.begin_write().await?;
    let prior: Option<String> = sqlx::query_scalar("SELECT status FROM award_assignments WHERE panel_id = $1 AND entry_id = $2 AND judge_id = $3")
        .bind(panel_id)
        .bind(entry_id)
        .bind(judge_id)
        .fetch_optional(&mut *tx)
        .await?;
    match prior.as_deref() {
        Some("recused") => return Err(AppError::conflict("err.award_recused_before")),
        Some(_) => return Err(AppError::conflict("err.award_already_assigned")),
        None => {}
    }
    let t = now_secs();
    let id: i64 = sqlx::query_scalar("INSERT INTO award_assignments (panel_id, entry_id, judge_id, assigned_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
        .bind(panel_id)
        .bind(entry_id)
        .bind(judge_id)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.assign", "award_assignment", Some(id), serde_json::json!({ "entry": entry_id, "judge": judge_id })).await?;
    tx.commit().await?;
    Ok(id)
}

/// Từ chối chấm: a judge steps back from an entry, with a reason kept for the record. The
/// entry then needs another judge (the organizer reruns the automatic assignment).
pub async fn recuse(state: &AppState, actor: &CurrentUser, assignment_id: i64, reason: &str) -> Result<(), AppError> {
    if reason.trim().chars().count() < 3 {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    let mut tx = state.db.begin_write().await?;
    let row = sqlx::query("SELECT a.judge_id, a.status, p.closed_at FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id WHERE a.id = $1")
        .bind(assignment_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.get::<i64, _>("judge_id") != actor.id {
        return Err(AppError::NotFound);
    }
    if row.get::<Option<i64>, _>("closed_at").is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    if matches!(row.get::<String, _>("status").as_str(), "scored" | "recused") {
        return Err(AppError::conflict("err.award_cannot_recuse"));
    }
    sqlx::query("UPDATE award_assignments SET status = 'recused', recusal_reason = $1, criteria = '{}', total = NULL, updated_at = $2 WHERE id = $3")
        .bind(reason.trim())
        .bind(now_secs())
        .bind(assignment_id)
        .execute(&mut *tx)
        .await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.recuse", "award_assignment", Some(assignment_id), serde_json::json!({ "reason": reason.trim() })).await?;
    tx.commit().await?;
    Ok(())
}

/// Every panel of an edition with its judges' progress. Counts only, never scores.
pub async fn panels(state: &AppState, competition_id: i64) -> Result<Vec<Panel>, AppError> {
    let c = setup::get(state, competition_id).await?;
    let rows = sqlx::query("SELECT id, stage, genre, closed_at FROM award_panels WHERE competition_id = $1 ORDER BY stage DESC, genre").bind(competition_id).fetch_all(&state.db.pool).await?;
    let mut out = vec![];
    for r in rows {
        let id: i64 = r.get("id");
        let stage = Stage::from_code(&r.get::<String, _>("stage")).unwrap_or(Stage::Preliminary);
        let genre = Genre::from_code(&r.get::<String, _>("genre")).unwrap_or(Genre::Radio);
        let judges = sqlx::query(
            "SELECT u.id, u.full_name, un.name AS unit_name,
                CAST(COALESCE(SUM(CASE WHEN a.status <> 'recused' THEN 1 ELSE 0 END), 0) AS BIGINT) AS assigned,
                CAST(COALESCE(SUM(CASE WHEN a.status = 'draft' THEN 1 ELSE 0 END), 0) AS BIGINT) AS drafts,
                CAST(COALESCE(SUM(CASE WHEN a.status = 'scored' THEN 1 ELSE 0 END), 0) AS BIGINT) AS scored,
                CAST(COALESCE(SUM(CASE WHEN a.status = 'recused' THEN 1 ELSE 0 END), 0) AS BIGINT) AS recused
             FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id LEFT JOIN units un ON un.id = u.unit_id
             LEFT JOIN award_assignments a ON a.panel_id = pj.panel_id AND a.judge_id = pj.user_id
             WHERE pj.panel_id = $1 GROUP BY u.id, u.full_name, un.name ORDER BY u.full_name",
        )
        .bind(id)
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|j| JudgeProgress {
            user_id: j.get("id"),
            full_name: j.get("full_name"),
            unit_name: j.get("unit_name"),
            assigned: j.get("assigned"),
            drafts: j.get("drafts"),
            scored: j.get("scored"),
            recused: j.get("recused"),
        })
        .collect();
        let short: i64 = sqlx::query_scalar(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {}
             AND (SELECT COUNT(*) FROM award_assignments a WHERE a.entry_id = e.id AND a.panel_id = $3 AND a.status <> 'recused') < $4",
            stage_filter(stage)
        ))
        .bind(competition_id)
        .bind(genre.code())
        .bind(id)
        .bind(c.settings.judges_per_entry)
        .fetch_one(&state.db.pool)
        .await?;
        out.push(Panel { id, stage, genre, closed_at: r.get("closed_at"), judges, entries_short_of_judges: short });
    }
    Ok(out)
}

/// Khóa tiểu ban: once every assignment is scored (or recused) and every entry has a score,
/// the panel closes, its scores become final and visible to the organizers. Closing the last
/// final panel hands the edition to the council.
pub async fn close_panel(state: &AppState, actor: &CurrentUser, panel_id: i64) -> Result<(), AppError> {
    require_organizer(actor)?;
    let mut tx = state.db.begin_write().await?;
    let p = sqlx::query("SELECT competition_id, stage, genre, closed_at FROM award_panels WHERE id = $1").bind(panel_id).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    if p.get::<Option<i64>, _>("closed_at").is_some() {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    let (competition_id, stage): (i64, String) = (p.get("competition_id"), p.get("stage"));
    let stage = Stage::from_code(&stage).unwrap_or(Stage::Preliminary);
    let open: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE panel_id = $1 AND status IN ('assigned', 'draft')")
        .bind(panel_id)
        .fetch_one(&mut *tx)
        .await?;
    if open > 0 {
        return Err(AppError::conflict("err.award_panel_unfinished"));
    }
    let unscored: i64 = sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {}
         AND NOT EXISTS (SELECT 1 FROM award_assignments a WHERE a.entry_id = e.id AND a.panel_id = $3 AND a.status = 'scored')",
        stage_filter(stage)
    ))
    .bind(competition_id)
    .bind(p.get::<String, _>("genre"))
    .bind(panel_id)
    .fetch_one(&mut *tx)
    .await?;
    if unscored > 0 {
        return Err(AppError::conflict("err.award_entries_unscored"));
    }
    sqlx::query("UPDATE award_panels SET closed_at = $1 WHERE id = $2").bind(now_secs()).bind(panel_id).execute(&mut *tx).await?;
    if stage == Stage::Final {
        let still_open: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_panels WHERE competition_id = $1 AND stage = 'final' AND closed_at IS NULL")
            .bind(competition_id)
            .fetch_one(&mut *tx)
            .await?;
        if still_open == 0 {
            setup::advance(&mut tx, competition_id, Phase::Final, Phase::Council).await?;
        }
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.close_panel", "award_panel", Some(panel_id), serde_json::json!({ "stage": stage.code() })).await?;
    tx.commit().await?;
    Ok(())
}

/// Recusals of an edition, for the organizers and the minutes.
pub async fn recusals(state: &AppState, competition_id: i64) -> Result<Vec<Recusal>, AppError> {
    let rows = sqlx::query(
        "SELECT a.id, p.stage, a.entry_id, u.full_name, a.recusal_reason, a.updated_at FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id
         JOIN users u ON u.id = a.judge_id WHERE p.competition_id = $1 AND a.status = 'recused' ORDER BY a.updated_at",
    )
    .bind(competition_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Recusal {
            assignment_id: r.get("id"),
            stage: Stage::from_code(&r.get::<String, _>("stage")).unwrap_or(Stage::Preliminary),
            entry_id: r.get("entry_id"),
            judge_name: r.get("full_name"),
            reason: r.get("recusal_reason"),
            at: r.get("updated_at"),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> UnitTree {
        // 1 = Sở, 2 and 3 its sub-units; 10 = a ward with station 11.
        UnitTree([(1, None), (2, Some(1)), (3, Some(1)), (10, None), (11, Some(10))].into_iter().collect())
    }

    #[test]
    fn conflicts_follow_the_unit_tree() {
        let t = tree();
        // (judge unit, entry unit, conflict)
        for (j, e, want) in [(Some(1), Some(1), true), (Some(1), Some(2), true), (Some(2), Some(1), true), (Some(2), Some(3), false), (Some(1), Some(11), false), (None, Some(1), false), (Some(1), None, false)] {
            assert_eq!(t.conflict(j, e), want, "{j:?} {e:?}");
        }
    }

    #[test]
    fn picking_balances_load_and_skips_conflicts() {
        let t = tree();
        let judges = vec![(100, Some(1)), (101, Some(10)), (102, None), (103, Some(3))];
        let mut load = BTreeMap::new();
        // An entry of unit 2 (under 1): judge 100 (unit 1) is out.
        let a = pick_judges(&judges, &BTreeSet::new(), Some(2), 2, &mut load, &t);
        assert_eq!(a, vec![101, 102]);
        // Next entry of unit 11: judge 101 conflicts; 100 and 103 are the least loaded.
        let b = pick_judges(&judges, &BTreeSet::new(), Some(11), 2, &mut load, &t);
        assert_eq!(b, vec![100, 103]);
        // Already on it (or recused): skipped. Only 102 and 103 remain; 102 has load 1, 103 too.
        let c = pick_judges(&judges, &[100, 101].into_iter().collect(), None, 3, &mut load, &t);
        assert_eq!(c, vec![102, 103]);
        assert_eq!(load.values().sum::<i64>(), 6);
        // Over many entries the load stays within one of even.
        let mut load = BTreeMap::new();
        for _ in 0..10 {
            pick_judges(&judges, &BTreeSet::new(), None, 3, &mut load, &t);
        }
        let (min, max) = (load.values().min().unwrap(), load.values().max().unwrap());
        assert!(max - min <= 1, "{load:?}");
    }
}
