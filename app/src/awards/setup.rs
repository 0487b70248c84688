//! Competitions: settings, validation, and the organizer's steps from the call for entries to
//! publication.

use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use sqlx::Row;
use sqlx::any::AnyRow;

pub fn require_organizer(actor: &CurrentUser) -> Result<(), AppError> {
    if actor.is_organizer() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Fields an edition may make compulsory on the entry form.
pub const OPTIONAL_FIELDS: [&str; 4] = ["outlet", "duration", "script", "file"];


/// The largest file size an edition may allow (4 GB: a long video), and what the upload
/// routes accept at most (with the multipart framing).
pub const MAX_FILE_MB: i64 = 4096;
pub const MAX_FILE_BYTES: u64 = MAX_FILE_MB as u64 * 1024 * 1024 + 64 * 1024;

fn validate_rubric(v: &mut Validator, field: &str, rubric: &[Criterion]) {
    let mut codes: Vec<&str> = vec![];
    if rubric.is_empty() || rubric.len() > 12 {
        v.add(field, "err.award_rubric");
    }
    for c in rubric {
        if c.label.trim().is_empty() || crate::text::too_long(&c.label, crate::text::LABEL_MAX_CHARS) || !(1..=1000).contains(&c.max) || c.code.trim().is_empty() || codes.contains(&c.code.as_str()) {
            v.add(field, "err.award_rubric");
        }
        codes.push(&c.code);
    }
}

/// Criteria are numbered c1, c2, … in order, whatever codes were sent: the score form has one
/// field per position.
fn number_criteria(input: &mut CompetitionInput) {
    for rubric in [&mut input.rubric_preliminary, &mut input.rubric_final] {
        for (i, c) in rubric.iter_mut().enumerate() {
            c.code = format!("c{}", i + 1);
        }
    }
}

pub fn validate(input: &CompetitionInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    if !(2000..=2100).contains(&input.edition) {
        v.add("edition", "err.year_range");
    }
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 300 {
        v.add("title", "err.too_long");
    }
    if input.genres.is_empty() {
        v.add("genres", "err.award_genres");
    }
    match (crate::vn_time::parse_date_days(&input.window_from), crate::vn_time::parse_date_days(&input.window_to)) {
        (None, _) => v.add("window_from", "err.date_format"),
        (_, None) => v.add("window_to", "err.date_format"),
        (Some(a), Some(b)) if a > b => v.add("window_to", "err.award_window_order"),
        _ => {}
    }
    if input.deadline <= 0 {
        v.add("deadline", "err.datetime_format");
    }
    if !(1..=50).contains(&input.max_entries_per_author) {
        v.add("max_entries_per_author", "err.number_range");
    }
    if !(1..=MAX_FILE_MB).contains(&input.max_file_mb) {
        v.add("max_file_mb", "err.number_range");
    }
    if input.required_fields.iter().any(|f| !OPTIONAL_FIELDS.contains(&f.as_str())) {
        v.add("required_fields", "err.award_unknown_field");
    }
    let mut names: Vec<&str> = vec![];
    if input.prize_plan.is_empty() || input.prize_plan.len() > 50 {
        v.add("prize_plan", "err.prizes_format");
    }
    if crate::text::too_long(&input.description, crate::text::EXPLANATION_MAX_CHARS) {
        v.add("description", "err.too_long");
    }
    for tier in &input.prize_plan {
        if tier.name.trim().is_empty() || crate::text::too_long(&tier.name, crate::text::LABEL_MAX_CHARS) || tier.count < 0 || tier.count > 1000 || names.contains(&tier.name.as_str()) {
            v.add("prize_plan", "err.prizes_format");
        }
        names.push(&tier.name);
    }
    validate_rubric(&mut v, "rubric_preliminary", &input.rubric_preliminary);
    validate_rubric(&mut v, "rubric_final", &input.rubric_final);
    if !(1..=15).contains(&input.judges_per_entry) {
        v.add("judges_per_entry", "err.number_range");
    }
    if !(0..=5).contains(&input.trim_each_side) {
        v.add("trim_each_side", "err.number_range");
    }
    match input.shortlist {
        ShortlistRule::Top(n) if !(1..=10_000).contains(&n) => v.add("shortlist", "err.number_range"),
        ShortlistRule::Threshold(t) if !(0..=100_000).contains(&t) => v.add("shortlist", "err.number_range"),
        _ => {}
    }
    v.finish()
}

fn genres_code(genres: &[Genre]) -> String {
    genres.iter().map(|g| g.code()).collect::<Vec<_>>().join(",")
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn from_row(row: &AnyRow) -> Result<Competition, AppError> {
    let parse = |col: &str| -> Result<serde_json::Value, AppError> { serde_json::from_str(&row.get::<String, _>(col)).map_err(AppError::internal) };
    let rule = match row.get::<String, _>("shortlist_rule").as_str() {
        "threshold" => ShortlistRule::Threshold(row.get("shortlist_value")),
        _ => ShortlistRule::Top(row.get("shortlist_value")),
    };
    let settings = CompetitionInput {
        edition: row.get("edition"),
        title: row.get("title"),
        description: row.get("description"),
        genres: row.get::<String, _>("genres").split(',').filter_map(Genre::from_code).collect(),
        window_from: row.get("window_from"),
        window_to: row.get("window_to"),
        deadline: row.get("deadline"),
        max_entries_per_author: row.get("max_entries_per_author"),
        max_file_mb: row.get("max_file_mb"),
        required_fields: row.get::<String, _>("required_fields").split(',').filter(|s| !s.is_empty()).map(String::from).collect(),
        prize_per_genre: row.get::<String, _>("prize_scope") == "genre",
        prize_plan: serde_json::from_value(parse("prize_plan")?).map_err(AppError::internal)?,
        rubric_preliminary: serde_json::from_value(parse("rubric_preliminary")?).map_err(AppError::internal)?,
        rubric_final: serde_json::from_value(parse("rubric_final")?).map_err(AppError::internal)?,
        judges_per_entry: row.get("judges_per_entry"),
        aggregation: if row.get::<String, _>("aggregation") == "trimmed" { Aggregation::Trimmed } else { Aggregation::Mean },
        trim_each_side: row.get("trim_each_side"),
        normalise: row.get::<i64, _>("normalise") != 0,
        shortlist: rule,
        blind: row.get::<i64, _>("blind") != 0,
    };
    Ok(Competition {
        id: row.get("id"),
        settings,
        phase: Phase::from_code(&row.get::<String, _>("stage")).unwrap_or(Phase::Entries),
        call_closed_at: row.get("call_closed_at"),
        published_at: row.get("published_at"),
        entries_submitted: row.get("entries_submitted"),
        created_at: row.get("created_at"),
    })
}

const SELECT: &str = "SELECT c.*, CAST((SELECT COUNT(*) FROM award_entries e WHERE e.competition_id = c.id AND e.status IN ('submitted', 'eligible', 'ineligible')) AS BIGINT) AS entries_submitted FROM award_competitions c";

pub async fn get(state: &AppState, id: i64) -> Result<Competition, AppError> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = $1")).bind(id).fetch_optional(&state.db.pool).await?.ok_or(AppError::NotFound)?;
    from_row(&row)
}

/// Every competition, newest first: anyone signed in may see the calls for entries.
pub async fn list(state: &AppState) -> Result<Vec<Competition>, AppError> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY c.edition DESC, c.id DESC")).fetch_all(&state.db.pool).await?;
    rows.iter().map(from_row).collect()
}

/// The settings' columns, in the order `bind_settings` binds them ($1…$21), shared by the
/// INSERT and the UPDATE so the two cannot drift apart.
const COLUMNS: [&str; 21] = [
    "edition", "title", "description", "genres", "window_from", "window_to", "deadline", "max_entries_per_author", "max_file_mb",
    "required_fields", "prize_scope", "prize_plan", "rubric_preliminary", "rubric_final", "judges_per_entry", "aggregation",
    "trim_each_side", "normalise", "shortlist_rule", "shortlist_value", "blind",
];

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind_settings<'q>(query: AnyQuery<'q>, input: &'q CompetitionInput) -> AnyQuery<'q> {
    let (rule, value) = shortlist_parts(input.shortlist);
    query
        .bind(input.edition)
        .bind(input.title.trim())
        .bind(input.description.trim())
        .bind(genres_code(&input.genres))
        .bind(input.window_from.trim())
        .bind(input.window_to.trim())
        .bind(input.deadline)
        .bind(input.max_entries_per_author)
        .bind(input.max_file_mb)
        .bind(input.required_fields.join(","))
        .bind(if input.prize_per_genre { "genre" } else { "overall" })
        .bind(json(&input.prize_plan))
        .bind(json(&input.rubric_preliminary))
        .bind(json(&input.rubric_final))
        .bind(input.judges_per_entry)
        .bind(if input.aggregation == Aggregation::Trimmed { "trimmed" } else { "mean" })
        .bind(input.trim_each_side)
        .bind(input.normalise as i64)
        .bind(rule)
        .bind(value)
        .bind(input.blind as i64)
}

fn shortlist_parts(rule: ShortlistRule) -> (&'static str, i64) {
    match rule {
        ShortlistRule::Top(n) => ("top", n),
        ShortlistRule::Threshold(t) => ("threshold", t),
    }
}

pub async fn create(state: &AppState, actor: &CurrentUser, mut input: CompetitionInput) -> Result<Competition, AppError> {
    require_organizer(actor)?;
    number_criteria(&mut input);
    validate(&input)?;
    let placeholders = (1..=COLUMNS.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("INSERT INTO award_competitions ({}, created_by, created_at, updated_at) VALUES ({placeholders}, $22, $23, $23) RETURNING id", COLUMNS.join(", "));
    let mut tx = state.db.begin_write().await?;
    let id: i64 = bind_settings(sqlx::query(&sql), &input).bind(actor.id).bind(now_secs()).fetch_one(&mut *tx).await?.get(0);
    crate::audit::record(&mut tx, Some(actor.id), "award.create", "award_competition", Some(id), serde_json::json!({ "title": input.title })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Settings that shape entries and the preliminary judging cannot change once the call has
/// closed (entries were made and judged under them); the final rubric cannot change once the
/// final has begun; nothing changes after publication.
fn locked_change(old: &Competition, new: &CompetitionInput) -> Option<&'static str> {
    let o = &old.settings;
    if old.phase == Phase::Published {
        return Some("err.award_published");
    }
    let entry_rules_changed = o.genres != new.genres
        || o.window_from != new.window_from
        || o.window_to != new.window_to
        || o.deadline != new.deadline
        || o.max_entries_per_author != new.max_entries_per_author
        || o.required_fields != new.required_fields
        || o.rubric_preliminary != new.rubric_preliminary
        || o.blind != new.blind
        || o.prize_per_genre != new.prize_per_genre;
    if old.phase != Phase::Entries && entry_rules_changed {
        return Some("err.award_locked");
    }
    if matches!(old.phase, Phase::Final | Phase::Council) && o.rubric_final != new.rubric_final {
        return Some("err.award_locked");
    }
    None
}

pub async fn update(state: &AppState, actor: &CurrentUser, id: i64, mut input: CompetitionInput) -> Result<Competition, AppError> {
    require_organizer(actor)?;
    number_criteria(&mut input);
    validate(&input)?;
    let old = get(state, id).await?;
    if let Some(key) = locked_change(&old, &input) {
        return Err(AppError::conflict(key));
    }
    let assignments = COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE award_competitions SET {assignments}, updated_at = $22 WHERE id = $23");
    let mut tx = state.db.begin_write().await?;
    bind_settings(sqlx::query(&sql), &input).bind(now_secs()).bind(id).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.update", "award_competition", Some(id), serde_json::json!({ "title": input.title })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Moves the edition from `from` to `to` inside `tx`, or fails with 409 if another organizer
/// moved it first (the phase is re-read under the write lock).
pub async fn advance(tx: &mut crate::infra::db::WriteTx, id: i64, from: Phase, to: Phase) -> Result<(), AppError> {
    let extra = if to == Phase::Preliminary { ", call_closed_at = $4" } else if to == Phase::Published { ", published_at = $4" } else { "" };
    let sql = format!("UPDATE award_competitions SET stage = $1, updated_at = $4{extra} WHERE id = $2 AND stage = $3");
    let done = sqlx::query(&sql).bind(to.code()).bind(id).bind(from.code()).bind(now_secs()).execute(&mut **tx).await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    Ok(())
}

/// The prize pools of an edition: one for all entries, or one per genre.
pub fn pools(c: &CompetitionInput) -> Vec<String> {
    if c.prize_per_genre { c.genres.iter().map(|g| g.code().to_string()).collect() } else { vec!["all".into()] }
}

pub fn pool_of(c: &CompetitionInput, genre: Genre) -> String {
    if c.prize_per_genre { genre.code().to_string() } else { "all".into() }
}

/// The label of a pool in pages and documents.
pub fn pool_name(pool: &str) -> String {
    Genre::from_code(pool).map(|g| g.name_vi().to_string()).unwrap_or_else(|| "Tất cả thể loại".into())
}

/// The highest total a rubric allows, in hundredths.
pub fn rubric_max(rubric: &[Criterion]) -> i64 {
    rubric.iter().map(|c| c.max * 100).sum()
}

pub fn rubric_text(rubric: &[Criterion]) -> String {
    rubric.iter().map(|c| format!("{} | {}", c.label, c.max)).collect::<Vec<_>>().join("\n")
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubrics_parse() {
        let r = super::super::server_fns::rubric_lines("Nội dung | 40\nHình thức | 30\n\nHiệu quả | 30").unwrap();
        assert_eq!(r.iter().map(|c| (c.code.as_str(), c.max)).collect::<Vec<_>>(), vec![("c1", 40), ("c2", 30), ("c3", 30)]);
        assert_eq!(rubric_max(&r), 10_000);
        assert_eq!(super::super::server_fns::rubric_lines("Nội dung 40"), None);
        assert_eq!(super::super::server_fns::rubric_lines(&rubric_text(&r)), Some(r));
    }
}
