//! Panels (`award_panels`, tiểu ban: one per edition, stage and genre) and their members
//! (`award_panel_judges`), with each member's progress.

use super::entries::stage_filter;
use crate::awards::model::{Genre, JudgeProgress, Stage};
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};

#[derive(sqlx::FromRow)]
pub struct PanelRow {
    pub id: i64,
    pub competition_id: i64,
    pub stage: Stage,
    pub genre: Genre,
    pub closed_at: Option<i64>,
}

const COLUMNS: &str = "id, competition_id, stage, genre, closed_at";

/// The panel of an edition's stage and genre, if it exists.
pub async fn find(db: &Db, competition_id: i64, stage: Stage, genre: Genre) -> Result<Option<PanelRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM award_panels WHERE competition_id = $1 AND stage = $2 AND genre = $3"))
        .bind(competition_id)
        .bind(stage)
        .bind(genre)
        .fetch_optional(&db.pool)
        .await?)
}

/// [`find`] inside the transaction that would create it.
pub async fn find_tx(tx: &mut WriteTx, competition_id: i64, stage: Stage, genre: Genre) -> Result<Option<PanelRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM award_panels WHERE competition_id = $1 AND stage = $2 AND genre = $3"))
        .bind(competition_id)
        .bind(stage)
        .bind(genre)
        .fetch_optional(&mut **tx)
        .await?)
}

pub async fn get_tx(tx: &mut WriteTx, id: i64) -> Result<Option<PanelRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM award_panels WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?)
}

/// An edition's panels, the preliminary ones first.
pub async fn of_competition(db: &Db, competition_id: i64) -> Result<Vec<PanelRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM award_panels WHERE competition_id = $1 ORDER BY stage DESC, genre")).bind(competition_id).fetch_all(&db.pool).await?)
}

/// The open panels of a stage.
pub async fn open_of_stage(tx: &mut WriteTx, competition_id: i64, stage: Stage) -> Result<Vec<PanelRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM award_panels WHERE competition_id = $1 AND stage = $2 AND closed_at IS NULL"))
        .bind(competition_id)
        .bind(stage)
        .fetch_all(&mut **tx)
        .await?)
}

/// How many panels of a stage are still open.
pub async fn open_count(tx: &mut WriteTx, competition_id: i64, stage: Stage) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_panels WHERE competition_id = $1 AND stage = $2 AND closed_at IS NULL")
        .bind(competition_id)
        .bind(stage)
        .fetch_one(&mut **tx)
        .await?)
}

/// Genres whose panel of `stage` has closed.
pub async fn closed_genres(db: &Db, competition_id: i64, stage: Stage) -> Result<Vec<Genre>, AppError> {
    Ok(sqlx::query_scalar("SELECT genre FROM award_panels WHERE competition_id = $1 AND stage = $2 AND closed_at IS NOT NULL")
        .bind(competition_id)
        .bind(stage)
        .fetch_all(&db.pool)
        .await?)
}

pub async fn insert(tx: &mut WriteTx, competition_id: i64, stage: Stage, genre: Genre) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO award_panels (competition_id, stage, genre) VALUES ($1, $2, $3) RETURNING id")
        .bind(competition_id)
        .bind(stage)
        .bind(genre)
        .fetch_one(&mut **tx)
        .await?)
}

pub async fn close(tx: &mut WriteTx, id: i64, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_panels SET closed_at = $1 WHERE id = $2").bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The members' ids.
pub async fn member_ids(tx: &mut WriteTx, panel_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT user_id FROM award_panel_judges WHERE panel_id = $1").bind(panel_id).fetch_all(&mut **tx).await?)
}

pub async fn add_member(tx: &mut WriteTx, panel_id: i64, user_id: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO award_panel_judges (panel_id, user_id) VALUES ($1, $2)").bind(panel_id).bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn remove_member(tx: &mut WriteTx, panel_id: i64, user_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_panel_judges WHERE panel_id = $1 AND user_id = $2").bind(panel_id).bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

/// The members with their units: (user, unit), by id.
pub async fn members_with_units(tx: &mut WriteTx, panel_id: i64) -> Result<Vec<(i64, Option<i64>)>, AppError> {
    Ok(sqlx::query_as("SELECT u.id, u.unit_id FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id WHERE pj.panel_id = $1 ORDER BY u.id")
        .bind(panel_id)
        .fetch_all(&mut **tx)
        .await?)
}

/// A member's unit; `None` if `user_id` is not on the panel.
pub async fn member_unit(db: &Db, panel_id: i64, user_id: i64) -> Result<Option<Option<i64>>, AppError> {
    Ok(sqlx::query_scalar("SELECT u.unit_id FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id WHERE pj.panel_id = $1 AND pj.user_id = $2")
        .bind(panel_id)
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await?)
}

#[derive(sqlx::FromRow)]
struct ProgressRow {
    id: i64,
    full_name: String,
    unit_name: Option<String>,
    assigned: i64,
    drafts: i64,
    scored: i64,
    recused: i64,
}

/// Each member's progress: counts only, never scores.
pub async fn progress(db: &Db, panel_id: i64) -> Result<Vec<JudgeProgress>, AppError> {
    let rows: Vec<ProgressRow> = sqlx::query_as(
        "SELECT u.id, u.full_name, un.name AS unit_name,
            CAST(COALESCE(SUM(CASE WHEN a.status <> 'recused' THEN 1 ELSE 0 END), 0) AS BIGINT) AS assigned,
            CAST(COALESCE(SUM(CASE WHEN a.status = 'draft' THEN 1 ELSE 0 END), 0) AS BIGINT) AS drafts,
            CAST(COALESCE(SUM(CASE WHEN a.status = 'scored' THEN 1 ELSE 0 END), 0) AS BIGINT) AS scored,
            CAST(COALESCE(SUM(CASE WHEN a.status = 'recused' THEN 1 ELSE 0 END), 0) AS BIGINT) AS recused
         FROM award_panel_judges pj JOIN users u ON u.id = pj.user_id LEFT JOIN units un ON un.id = u.unit_id
         LEFT JOIN award_assignments a ON a.panel_id = pj.panel_id AND a.judge_id = pj.user_id
         WHERE pj.panel_id = $1 GROUP BY u.id, u.full_name, un.name ORDER BY u.full_name",
    )
    .bind(panel_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|j| JudgeProgress { user_id: j.id, full_name: j.full_name, unit_name: j.unit_name, assigned: j.assigned, drafts: j.drafts, scored: j.scored, recused: j.recused })
        .collect())
}

/// The names of everyone on a final panel of the edition, for the minutes.
pub async fn final_judge_names(db: &Db, competition_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT u.full_name FROM award_panel_judges pj JOIN award_panels p ON p.id = pj.panel_id JOIN users u ON u.id = pj.user_id
         WHERE p.competition_id = $1 AND p.stage = $2 ORDER BY u.full_name",
    )
    .bind(competition_id)
    .bind(Stage::Final)
    .fetch_all(&db.pool)
    .await?)
}

/// Entries of the panel's genre and stage with fewer than `planned` judges (recusals aside).
pub async fn entries_short_of_judges(db: &Db, panel: &PanelRow, planned: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {}
         AND (SELECT COUNT(*) FROM award_assignments a WHERE a.entry_id = e.id AND a.panel_id = $3 AND a.status <> 'recused') < $4",
        stage_filter(panel.stage)
    ))
    .bind(panel.competition_id)
    .bind(panel.genre)
    .bind(panel.id)
    .bind(planned)
    .fetch_one(&db.pool)
    .await?)
}

/// Entries of the panel's genre and stage that no member has scored.
pub async fn unscored_entries(tx: &mut WriteTx, panel: &PanelRow) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {}
         AND NOT EXISTS (SELECT 1 FROM award_assignments a WHERE a.entry_id = e.id AND a.panel_id = $3 AND a.status = 'scored')",
        stage_filter(panel.stage)
    ))
    .bind(panel.competition_id)
    .bind(panel.genre)
    .bind(panel.id)
    .fetch_one(&mut **tx)
    .await?)
}
