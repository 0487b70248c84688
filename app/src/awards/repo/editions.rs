//! Editions (`award_competitions`): their settings and the phase they are in (stored in the
//! column `stage`).

use crate::awards::model::{Aggregation, Competition, CompetitionInput, Genre, Phase, ShortlistRule};
use crate::codes::{Code, stored_json};
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use sqlx::Row;

/// Whether the prize plan applies to all entries at once or to each genre (`prize_scope`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum PrizeScope {
    Overall,
    Genre,
}
crate::stored_code!(PrizeScope { Overall => "overall", Genre => "genre" });

/// The kind of shortlist rule (`shortlist_rule`); its number is `shortlist_value`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum ShortlistKind {
    Top,
    Threshold,
}
crate::stored_code!(ShortlistKind { Top => "top", Threshold => "threshold" });

#[derive(sqlx::FromRow)]
struct CompetitionRow {
    id: i64,
    edition: i64,
    title: String,
    description: String,
    /// Genre codes, comma-separated.
    genres: String,
    window_from: String,
    window_to: String,
    deadline: i64,
    max_entries_per_author: i64,
    max_file_mb: i64,
    /// Field names, comma-separated.
    required_fields: String,
    prize_scope: PrizeScope,
    prize_plan: String,
    rubric_preliminary: String,
    rubric_final: String,
    judges_per_entry: i64,
    aggregation: Aggregation,
    trim_each_side: i64,
    normalise: i64,
    shortlist_rule: ShortlistKind,
    shortlist_value: i64,
    blind: i64,
    stage: Phase,
    call_closed_at: Option<i64>,
    published_at: Option<i64>,
    entries_submitted: i64,
    created_at: i64,
}

impl CompetitionRow {
    fn into_competition(self) -> Result<Competition, AppError> {
        let genres = self
            .genres
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|code| <Genre as Code>::from_code(code).ok_or_else(|| AppError::internal(format!("stored genre {code:?} is unknown"))))
            .collect::<Result<Vec<_>, _>>()?;
        let settings = CompetitionInput {
            edition: self.edition,
            title: self.title,
            description: self.description,
            genres,
            window_from: self.window_from,
            window_to: self.window_to,
            deadline: self.deadline,
            max_entries_per_author: self.max_entries_per_author,
            max_file_mb: self.max_file_mb,
            required_fields: self.required_fields.split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
            prize_per_genre: self.prize_scope == PrizeScope::Genre,
            prize_plan: stored_json(&self.prize_plan, "award prize plan")?,
            rubric_preliminary: stored_json(&self.rubric_preliminary, "award preliminary rubric")?,
            rubric_final: stored_json(&self.rubric_final, "award final rubric")?,
            judges_per_entry: self.judges_per_entry,
            aggregation: self.aggregation,
            trim_each_side: self.trim_each_side,
            normalise: self.normalise != 0,
            shortlist: match self.shortlist_rule {
                ShortlistKind::Top => ShortlistRule::Top(self.shortlist_value),
                ShortlistKind::Threshold => ShortlistRule::Threshold(self.shortlist_value),
            },
            blind: self.blind != 0,
        };
        Ok(Competition {
            id: self.id,
            settings,
            phase: self.stage,
            call_closed_at: self.call_closed_at,
            published_at: self.published_at,
            entries_submitted: self.entries_submitted,
            created_at: self.created_at,
        })
    }
}

const SELECT: &str = "SELECT c.id, c.edition, c.title, c.description, c.genres, c.window_from, c.window_to, c.deadline, c.max_entries_per_author, c.max_file_mb,
    c.required_fields, c.prize_scope, c.prize_plan, c.rubric_preliminary, c.rubric_final, c.judges_per_entry, c.aggregation, c.trim_each_side, c.normalise,
    c.shortlist_rule, c.shortlist_value, c.blind, c.stage, c.call_closed_at, c.published_at, c.created_at,
    CAST((SELECT COUNT(*) FROM award_entries e WHERE e.competition_id = c.id AND e.status IN ('submitted', 'eligible', 'ineligible')) AS BIGINT) AS entries_submitted
    FROM award_competitions c";

pub async fn get(db: &Db, id: i64) -> Result<Option<Competition>, AppError> {
    let row: Option<CompetitionRow> = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1")).bind(id).fetch_optional(&db.pool).await?;
    row.map(CompetitionRow::into_competition).transpose()
}

/// Every edition, newest first.
pub async fn list(db: &Db) -> Result<Vec<Competition>, AppError> {
    let rows: Vec<CompetitionRow> = sqlx::query_as(&format!("{SELECT} ORDER BY c.edition DESC, c.id DESC")).fetch_all(&db.pool).await?;
    rows.into_iter().map(CompetitionRow::into_competition).collect()
}

/// The edition with this title, if any (the demo seed is idempotent by title).
pub async fn id_by_title(db: &Db, title: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM award_competitions WHERE title = $1").bind(title).fetch_optional(&db.pool).await?)
}

/// The settings' columns, in the order `bind_settings` binds them ($1…$21), shared by the
/// INSERT and the UPDATE so the two cannot drift apart.
const COLUMNS: [&str; 21] = [
    "edition", "title", "description", "genres", "window_from", "window_to", "deadline", "max_entries_per_author", "max_file_mb",
    "required_fields", "prize_scope", "prize_plan", "rubric_preliminary", "rubric_final", "judges_per_entry", "aggregation",
    "trim_each_side", "normalise", "shortlist_rule", "shortlist_value", "blind",
];

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(AppError::internal)
}

/// The settings as stored: trimmed text, codes, JSON.
struct Stored<'a> {
    input: &'a CompetitionInput,
    genres: String,
    required_fields: String,
    prize_plan: String,
    rubric_preliminary: String,
    rubric_final: String,
}

impl<'a> Stored<'a> {
    fn of(input: &'a CompetitionInput) -> Result<Stored<'a>, AppError> {
        Ok(Stored {
            input,
            genres: input.genres.iter().map(|g| g.code()).collect::<Vec<_>>().join(","),
            required_fields: input.required_fields.join(","),
            prize_plan: json(&input.prize_plan)?,
            rubric_preliminary: json(&input.rubric_preliminary)?,
            rubric_final: json(&input.rubric_final)?,
        })
    }
}

fn bind_settings<'q>(query: AnyQuery<'q>, s: &'q Stored<'q>) -> AnyQuery<'q> {
    let input = s.input;
    let (kind, value) = match input.shortlist {
        ShortlistRule::Top(n) => (ShortlistKind::Top, n),
        ShortlistRule::Threshold(t) => (ShortlistKind::Threshold, t),
    };
    query
        .bind(input.edition)
        .bind(input.title.trim())
        .bind(input.description.trim())
        .bind(s.genres.as_str())
        .bind(input.window_from.trim())
        .bind(input.window_to.trim())
        .bind(input.deadline)
        .bind(input.max_entries_per_author)
        .bind(input.max_file_mb)
        .bind(s.required_fields.as_str())
        .bind(if input.prize_per_genre { PrizeScope::Genre } else { PrizeScope::Overall })
        .bind(s.prize_plan.as_str())
        .bind(s.rubric_preliminary.as_str())
        .bind(s.rubric_final.as_str())
        .bind(input.judges_per_entry)
        .bind(input.aggregation)
        .bind(input.trim_each_side)
        .bind(input.normalise as i64)
        .bind(kind)
        .bind(value)
        .bind(input.blind as i64)
}

pub async fn insert(tx: &mut WriteTx, input: &CompetitionInput, created_by: i64, at: i64) -> Result<i64, AppError> {
    let stored = Stored::of(input)?;
    let placeholders = (1..=COLUMNS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("INSERT INTO award_competitions ({}, created_by, created_at, updated_at) VALUES ({placeholders}, $22, $23, $23) RETURNING id", COLUMNS.join(", "));
    let row = bind_settings(sqlx::query(&sql), &stored).bind(created_by).bind(at).fetch_one(&mut **tx).await?;
    Ok(row.try_get(0)?)
}

pub async fn update(tx: &mut WriteTx, id: i64, input: &CompetitionInput, at: i64) -> Result<(), AppError> {
    let stored = Stored::of(input)?;
    let assignments = COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE award_competitions SET {assignments}, updated_at = $22 WHERE id = $23");
    bind_settings(sqlx::query(&sql), &stored).bind(at).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Moves the edition from phase `from` to `to`, stamping when the call closed or the results
/// were published. False if it was not in `from` (another organizer moved it first).
pub async fn advance(tx: &mut WriteTx, id: i64, from: Phase, to: Phase, at: i64) -> Result<bool, AppError> {
    let stamp = match to {
        Phase::Preliminary => ", call_closed_at = $4",
        Phase::Published => ", published_at = $4",
        _ => "",
    };
    let sql = format!("UPDATE award_competitions SET stage = $1, updated_at = $4{stamp} WHERE id = $2 AND stage = $3");
    let done = sqlx::query(&sql).bind(to).bind(id).bind(from).bind(at).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// The call reopened: the edition no longer has a closing time.
pub async fn clear_call_closed_at(tx: &mut WriteTx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_competitions SET call_closed_at = NULL WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Publication withdrawn: the edition no longer has a publication time.
pub async fn clear_published_at(tx: &mut WriteTx, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE award_competitions SET published_at = NULL WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}
