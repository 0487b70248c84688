//! Entries (`award_entries`) and their authors (`award_authors`): drafts, submission, status,
//! finalists and published prizes. An entry is always read whole, with its authors and files.

use super::id_list;
use crate::awards::model::{Author, Entry, EntryInput, EntryStatus, Genre, Phase, Stage};
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    competition_id: i64,
    competition_title: String,
    submitted_by: i64,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    genre: Genre,
    title: String,
    outlet: String,
    published_on: String,
    duration_secs: Option<i64>,
    script: String,
    status: EntryStatus,
    status_reason: String,
    finalist: i64,
    prize: Option<String>,
    submitted_at: Option<i64>,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct AuthorRow {
    entry_id: i64,
    full_name: String,
    share_percent: i64,
}

/// The entries of a stage, as SQL over `e`: eligible ones in the preliminary, finalists in the
/// final.
pub(super) fn stage_filter(stage: Stage) -> &'static str {
    match stage {
        Stage::Preliminary => "e.status = 'eligible'",
        Stage::Final => "e.status = 'eligible' AND e.finalist = 1",
    }
}

/// Entries matching `filter` (SQL over `e`, with `$1` = `bind` if given), with their authors and
/// files: three queries however many entries.
async fn load(db: &Db, filter: &str, bind: Option<i64>) -> Result<Vec<Entry>, AppError> {
    let sql = format!(
        "SELECT e.id, e.competition_id, c.title AS competition_title, e.submitted_by, e.unit_id, u.name AS unit_name, e.genre, e.title, e.outlet,
            e.published_on, e.duration_secs, e.script, e.status, e.status_reason, e.finalist, e.prize, e.submitted_at, e.updated_at
         FROM award_entries e JOIN award_competitions c ON c.id = e.competition_id LEFT JOIN units u ON u.id = e.unit_id WHERE {filter} ORDER BY e.id"
    );
    let query = sqlx::query_as::<_, EntryRow>(&sql);
    let rows = match bind {
        Some(v) => query.bind(v).fetch_all(&db.pool).await?,
        None => query.fetch_all(&db.pool).await?,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut authors = authors_of(db, &ids).await?;
    let mut files = super::files::of_entries(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            competition_id: r.competition_id,
            competition_title: r.competition_title,
            input: EntryInput {
                genre: r.genre,
                title: r.title,
                authors: authors.remove(&r.id).unwrap_or_default(),
                unit_id: r.unit_id,
                outlet: r.outlet,
                published_on: r.published_on,
                duration_secs: r.duration_secs,
                script: r.script,
            },
            unit_name: r.unit_name,
            submitted_by: r.submitted_by,
            status: r.status,
            status_reason: r.status_reason,
            finalist: r.finalist != 0,
            prize: r.prize,
            files: files.remove(&r.id).unwrap_or_default(),
            submitted_at: r.submitted_at,
            updated_at: r.updated_at,
        })
        .collect())
}

async fn authors_of(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, Vec<Author>>, AppError> {
    let rows: Vec<AuthorRow> = sqlx::query_as(&format!("SELECT entry_id, full_name, share_percent FROM award_authors WHERE entry_id IN ({}) ORDER BY entry_id, position", id_list(ids)))
        .fetch_all(&db.pool)
        .await?;
    let mut out: BTreeMap<i64, Vec<Author>> = BTreeMap::new();
    for r in rows {
        out.entry(r.entry_id).or_default().push(Author { full_name: r.full_name, share_percent: r.share_percent });
    }
    Ok(out)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Entry>, AppError> {
    Ok(load(db, "e.id = $1", Some(id)).await?.pop())
}

/// Several entries at once (e.g. a judge's list), by id.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Entry>, AppError> {
    load(db, &format!("e.id IN ({})", id_list(ids)), None).await
}

pub async fn of_competition(db: &Db, competition_id: i64) -> Result<Vec<Entry>, AppError> {
    load(db, "e.competition_id = $1", Some(competition_id)).await
}

pub async fn of_submitter(db: &Db, user_id: i64) -> Result<Vec<Entry>, AppError> {
    load(db, "e.submitted_by = $1", Some(user_id)).await
}

/// The edition an entry belongs to.
pub async fn competition_of(db: &Db, entry_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT competition_id FROM award_entries WHERE id = $1").bind(entry_id).fetch_optional(&db.pool).await?)
}

/// What decides who may open an entry's files.
#[derive(sqlx::FromRow)]
pub struct Visibility {
    pub submitted_by: i64,
    pub prize: Option<String>,
    /// The edition's phase.
    pub stage: Phase,
    pub blind: i64,
}

pub async fn visibility(db: &Db, entry_id: i64) -> Result<Option<Visibility>, AppError> {
    Ok(sqlx::query_as("SELECT e.submitted_by, e.prize, c.stage, c.blind FROM award_entries e JOIN award_competitions c ON c.id = e.competition_id WHERE e.id = $1")
        .bind(entry_id)
        .fetch_optional(&db.pool)
        .await?)
}

/// Drafts one person keeps in one edition.
pub async fn draft_count(db: &Db, competition_id: i64, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM award_entries WHERE competition_id = $1 AND submitted_by = $2 AND status = 'draft'")
        .bind(competition_id)
        .bind(user_id)
        .fetch_one(&db.pool)
        .await?)
}

/// Whether the entry is (still) a draft, as the transaction sees it.
pub async fn is_draft(tx: &mut WriteTx, id: i64) -> Result<bool, AppError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM award_entries WHERE id = $1 AND status = 'draft'").bind(id).fetch_optional(&mut **tx).await?;
    Ok(found.is_some())
}

/// A new draft (its authors go in with [`write_authors`]).
pub async fn insert(tx: &mut WriteTx, competition_id: i64, submitted_by: i64, input: &EntryInput, at: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO award_entries (competition_id, submitted_by, unit_id, genre, title, outlet, published_on, duration_secs, script, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(competition_id)
    .bind(submitted_by)
    .bind(input.unit_id)
    .bind(input.genre)
    .bind(input.title.trim())
    .bind(input.outlet.trim())
    .bind(input.published_on.trim())
    .bind(input.duration_secs)
    .bind(input.script.trim())
    .bind(at)
    .fetch_one(&mut **tx)
    .await?)
}

/// Changes a draft's fields. False if it is no longer a draft.
pub async fn update_draft(tx: &mut WriteTx, id: i64, input: &EntryInput, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE award_entries SET unit_id = $1, genre = $2, title = $3, outlet = $4, published_on = $5, duration_secs = $6, script = $7, updated_at = $8
         WHERE id = $9 AND status = 'draft'",
    )
    .bind(input.unit_id)
    .bind(input.genre)
    .bind(input.title.trim())
    .bind(input.outlet.trim())
    .bind(input.published_on.trim())
    .bind(input.duration_secs)
    .bind(input.script.trim())
    .bind(at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Replaces an entry's authors, each with the key the per-author quota counts by.
pub async fn write_authors(tx: &mut WriteTx, entry_id: i64, authors: &[(&Author, String)]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_authors WHERE entry_id = $1").bind(entry_id).execute(&mut **tx).await?;
    for (i, (a, key)) in authors.iter().enumerate() {
        sqlx::query("INSERT INTO award_authors (entry_id, position, full_name, name_key, share_percent) VALUES ($1, $2, $3, $4, $5)")
            .bind(entry_id)
            .bind(i as i64)
            .bind(a.full_name.trim())
            .bind(key.as_str())
            .bind(a.share_percent)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Other submitted (or eligible) entries of the edition with an author of this key.
pub async fn others_by_author(tx: &mut WriteTx, competition_id: i64, name_key: &str, except: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(DISTINCT e.id) AS BIGINT) FROM award_authors a JOIN award_entries e ON e.id = a.entry_id
         WHERE e.competition_id = $1 AND e.status IN ('submitted', 'eligible') AND a.name_key = $2 AND e.id <> $3",
    )
    .bind(competition_id)
    .bind(name_key)
    .bind(except)
    .fetch_one(&mut **tx)
    .await?)
}

/// Submits a draft. False if it is no longer a draft.
pub async fn submit_draft(tx: &mut WriteTx, id: i64, at: i64) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE award_entries SET status = 'submitted', status_reason = '', submitted_at = $1, updated_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(at)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Sets an entry's status and the reason its submitter sees.
pub async fn set_status(tx: &mut WriteTx, id: i64, status: EntryStatus, reason: &str, at: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_entries SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4").bind(status).bind(reason).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The call has closed: every submitted entry becomes eligible. How many did.
pub async fn admit_submitted(tx: &mut WriteTx, competition_id: i64, at: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("UPDATE award_entries SET status = 'eligible', updated_at = $1 WHERE competition_id = $2 AND status = 'submitted'")
        .bind(at)
        .bind(competition_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Undoes `admit_submitted` when the call reopens: eligible entries are submitted again (entries
/// ruled out stay ineligible).
pub async fn unadmit_eligible(tx: &mut WriteTx, competition_id: i64, at: i64) -> Result<u64, AppError> {
    Ok(sqlx::query("UPDATE award_entries SET status = 'submitted', updated_at = $1 WHERE competition_id = $2 AND status = 'eligible'")
        .bind(at)
        .bind(competition_id)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// Makes exactly `finalists` the edition's finalists.
pub async fn set_finalists(tx: &mut WriteTx, competition_id: i64, finalists: &[i64]) -> Result<(), AppError> {
    sqlx::query("UPDATE award_entries SET finalist = 0 WHERE competition_id = $1").bind(competition_id).execute(&mut **tx).await?;
    if !finalists.is_empty() {
        sqlx::query(&format!("UPDATE award_entries SET finalist = 1 WHERE competition_id = $1 AND id IN ({})", id_list(finalists))).bind(competition_id).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Clears every published prize of the edition.
pub async fn clear_prizes(tx: &mut WriteTx, competition_id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_entries SET prize = NULL WHERE competition_id = $1").bind(competition_id).execute(&mut **tx).await?;
    Ok(())
}

pub async fn set_prize(tx: &mut WriteTx, id: i64, prize: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE award_entries SET prize = $1 WHERE id = $2").bind(prize).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The entries a stage judges in one genre, with their units: (id, unit).
pub async fn in_stage(tx: &mut WriteTx, competition_id: i64, genre: Genre, stage: Stage) -> Result<Vec<(i64, Option<i64>)>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT e.id, e.unit_id FROM award_entries e WHERE e.competition_id = $1 AND e.genre = $2 AND {} ORDER BY e.id", stage_filter(stage)))
        .bind(competition_id)
        .bind(genre)
        .fetch_all(&mut **tx)
        .await?)
}
