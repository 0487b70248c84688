//! Assignments (`award_assignments`): one judge on one entry in one stage, with the judge's
//! points (JSON {criterion code: hundredths}) and total, or their recusal.

use crate::awards::judging::JudgeTotal;
use crate::awards::model::{AssignmentStatus, Recusal, Stage};
use crate::codes::stored_json;
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct AssignmentRow {
    id: i64,
    entry_id: i64,
    judge_id: i64,
    status: AssignmentStatus,
    criteria: String,
    total: Option<i64>,
    recusal_reason: String,
    stage: Stage,
    closed_at: Option<i64>,
    competition_id: i64,
}

/// An assignment with its panel's stage, state and edition.
pub struct AssignmentRecord {
    pub id: i64,
    pub entry_id: i64,
    pub judge_id: i64,
    pub stage: Stage,
    pub status: AssignmentStatus,
    pub criteria: BTreeMap<String, i64>,
    pub total: Option<i64>,
    pub recusal_reason: String,
    pub panel_closed: bool,
    pub competition_id: i64,
}

async fn records(db: &Db, filter: &str, bind: i64) -> Result<Vec<AssignmentRecord>, AppError> {
    let rows: Vec<AssignmentRow> = sqlx::query_as(&format!(
        "SELECT a.id, a.entry_id, a.judge_id, a.status, a.criteria, a.total, a.recusal_reason, p.stage, p.closed_at, p.competition_id
         FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id WHERE {filter} ORDER BY p.stage DESC, a.entry_id"
    ))
    .bind(bind)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AssignmentRecord {
                id: r.id,
                entry_id: r.entry_id,
                judge_id: r.judge_id,
                stage: r.stage,
                status: r.status,
                criteria: stored_json(&r.criteria, "award score")?,
                total: r.total,
                recusal_reason: r.recusal_reason,
                panel_closed: r.closed_at.is_some(),
                competition_id: r.competition_id,
            })
        })
        .collect()
}

pub async fn get(db: &Db, id: i64) -> Result<Option<AssignmentRecord>, AppError> {
    Ok(records(db, "a.id = $1", id).await?.pop())
}

/// A judge's assignments, the final stage first.
pub async fn of_judge(db: &Db, judge_id: i64) -> Result<Vec<AssignmentRecord>, AppError> {
    records(db, "a.judge_id = $1", judge_id).await
}

/// Who is on which entry of a panel.
#[derive(sqlx::FromRow)]
pub struct PanelAssignment {
    pub entry_id: i64,
    pub judge_id: i64,
    pub status: AssignmentStatus,
}

pub async fn of_panel(tx: &mut WriteTx, panel_id: i64) -> Result<Vec<PanelAssignment>, AppError> {
    Ok(sqlx::query_as("SELECT entry_id, judge_id, status FROM award_assignments WHERE panel_id = $1").bind(panel_id).fetch_all(&mut **tx).await?)
}

pub async fn insert(tx: &mut WriteTx, panel_id: i64, entry_id: i64, judge_id: i64, at: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO award_assignments (panel_id, entry_id, judge_id, assigned_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
        .bind(panel_id)
        .bind(entry_id)
        .bind(judge_id)
        .bind(at)
        .fetch_one(&mut **tx)
        .await?)
}

/// The state of a judge's assignment to an entry in a panel, if there is one.
pub async fn status_of(tx: &mut WriteTx, panel_id: i64, entry_id: i64, judge_id: i64) -> Result<Option<AssignmentStatus>, AppError> {
    Ok(sqlx::query_scalar("SELECT status FROM award_assignments WHERE panel_id = $1 AND entry_id = $2 AND judge_id = $3")
        .bind(panel_id)
        .bind(entry_id)
        .bind(judge_id)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Assignments of an entry with points saved (draft or scored).
pub async fn started_on_entry(tx: &mut WriteTx, entry_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE entry_id = $1 AND status IN ('draft', 'scored')").bind(entry_id).fetch_one(&mut **tx).await?)
}

/// A judge's assignments in a panel with points saved (draft or scored).
pub async fn started_by_judge(tx: &mut WriteTx, panel_id: i64, judge_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE panel_id = $1 AND judge_id = $2 AND status IN ('draft', 'scored')")
        .bind(panel_id)
        .bind(judge_id)
        .fetch_one(&mut **tx)
        .await?)
}

/// Takes an entry off its judges' lists where nothing was saved yet.
pub async fn delete_unstarted_of_entry(tx: &mut WriteTx, entry_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_assignments WHERE entry_id = $1 AND status = 'assigned'").bind(entry_id).execute(&mut **tx).await?;
    Ok(())
}

/// Takes a judge's unstarted assignments in a panel away.
pub async fn delete_unstarted_of_judge(tx: &mut WriteTx, panel_id: i64, judge_id: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_assignments WHERE panel_id = $1 AND judge_id = $2 AND status = 'assigned'").bind(panel_id).bind(judge_id).execute(&mut **tx).await?;
    Ok(())
}

/// What a recusal needs to know about an assignment.
#[derive(sqlx::FromRow)]
pub struct RecusalTarget {
    pub judge_id: i64,
    pub status: AssignmentStatus,
    pub closed_at: Option<i64>,
}

pub async fn recusal_target(tx: &mut WriteTx, id: i64) -> Result<Option<RecusalTarget>, AppError> {
    Ok(sqlx::query_as("SELECT a.judge_id, a.status, p.closed_at FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id WHERE a.id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?)
}

/// Records a recusal; any points saved are dropped.
pub async fn recuse(tx: &mut WriteTx, id: i64, reason: &str, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_assignments SET status = 'recused', recusal_reason = $1, criteria = '{}', total = NULL, updated_at = $2 WHERE id = $3")
        .bind(reason)
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Assignments of a panel not finished yet (assigned or draft).
pub async fn unfinished_in_panel(tx: &mut WriteTx, panel_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE panel_id = $1 AND status IN ('assigned', 'draft')").bind(panel_id).fetch_one(&mut **tx).await?)
}

/// Saves a judge's points, unless they recused or the panel closed meanwhile (then false).
pub async fn save(tx: &mut WriteTx, id: i64, criteria: &BTreeMap<String, i64>, total: Option<i64>, status: AssignmentStatus, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE award_assignments SET criteria = $1, total = $2, status = $3, updated_at = $4 WHERE id = $5 AND status <> 'recused'
         AND (SELECT closed_at FROM award_panels p WHERE p.id = award_assignments.panel_id) IS NULL",
    )
    .bind(serde_json::to_string(criteria).map_err(AppError::internal)?)
    .bind(total)
    .bind(status)
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether a judge is (or was) assigned to an entry, in any stage.
pub async fn judge_is_on(db: &Db, entry_id: i64, judge_id: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE entry_id = $1 AND judge_id = $2").bind(entry_id).bind(judge_id).fetch_one(&db.pool).await?;
    Ok(n > 0)
}

/// Finished scores of one stage: (entry, judge, total) of every scored assignment in the
/// stage's closed panels, the only scores anyone but their judge may see.
pub async fn closed_totals(db: &Db, competition_id: i64, stage: Stage) -> Result<Vec<JudgeTotal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        entry_id: i64,
        judge_id: i64,
        total: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.entry_id, a.judge_id, a.total FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id
         WHERE p.competition_id = $1 AND p.stage = $2 AND p.closed_at IS NOT NULL AND a.status = 'scored' AND a.total IS NOT NULL",
    )
    .bind(competition_id)
    .bind(stage)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| JudgeTotal { entry_id: r.entry_id, judge_id: r.judge_id, total: r.total }).collect())
}

/// Recusals of an edition, in the order they happened.
pub async fn recusals(db: &Db, competition_id: i64) -> Result<Vec<Recusal>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        stage: Stage,
        entry_id: i64,
        full_name: String,
        recusal_reason: String,
        updated_at: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, p.stage, a.entry_id, u.full_name, a.recusal_reason, a.updated_at FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id
         JOIN users u ON u.id = a.judge_id WHERE p.competition_id = $1 AND a.status = 'recused' ORDER BY a.updated_at",
    )
    .bind(competition_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| Recusal { assignment_id: r.id, stage: r.stage, entry_id: r.entry_id, judge_name: r.full_name, reason: r.recusal_reason, at: r.updated_at }).collect())
}

/// An assignment as the demo seed walks them: (id, judge, entry).
#[derive(sqlx::FromRow)]
pub struct Open {
    pub id: i64,
    pub judge_id: i64,
    pub entry_id: i64,
}

/// The unfinished assignments of a stage, in the order they were made.
pub async fn unfinished_of_stage(db: &Db, competition_id: i64, stage: Stage) -> Result<Vec<Open>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.judge_id, a.entry_id FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id
         WHERE p.competition_id = $1 AND p.stage = $2 AND a.status IN ('assigned', 'draft') ORDER BY a.id",
    )
    .bind(competition_id)
    .bind(stage)
    .fetch_all(&db.pool)
    .await?)
}

/// How many assignments the edition has (any stage, any status).
pub async fn count_of_competition(tx: &mut WriteTx, competition_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id WHERE p.competition_id = $1")
        .bind(competition_id)
        .fetch_one(&mut **tx)
        .await?)
}

/// The edition's first assignment, if any.
pub async fn first_of_competition(db: &Db, competition_id: i64) -> Result<Option<Open>, AppError> {
    Ok(sqlx::query_as("SELECT a.id, a.judge_id, a.entry_id FROM award_assignments a JOIN award_panels p ON p.id = a.panel_id WHERE p.competition_id = $1 ORDER BY a.id LIMIT 1")
        .bind(competition_id)
        .fetch_optional(&db.pool)
        .await?)
}
