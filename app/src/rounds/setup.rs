//! Organizers set up contests and their rounds. Every change is checked as a whole (all
//! problems reported at once) and written in one transaction, or not at all.

use super::draw;
use super::form::{code, code_of};
use super::model::*;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use crate::vn_time::now_ms;
use crate::rounds::winners::TieBreak;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Answers in flight when the deadline passes are still accepted this long after it: the
/// network's share, not the participant's.
pub const LATE_TOLERANCE_MS: i64 = 3_000;

pub fn require_organizer(actor: &CurrentUser) -> Result<(), AppError> {
    if actor.is_organizer() { Ok(()) } else { Err(AppError::Forbidden) }
}

pub fn phase(opens_at: i64, closes_at: i64, grace_secs: i64, now_ms: i64) -> RoundPhase {
    if now_ms < opens_at * 1000 {
        RoundPhase::Upcoming
    } else if now_ms < closes_at * 1000 {
        RoundPhase::Open
    } else if now_ms <= (closes_at + grace_secs) * 1000 + LATE_TOLERANCE_MS {
        RoundPhase::Closing
    } else {
        RoundPhase::Closed
    }
}

fn tie_breaks_code(list: &[TieBreak]) -> String {
    list.iter().map(code_of).collect::<Vec<_>>().join(",")
}

fn tie_breaks_of(code: &str) -> Vec<TieBreak> {
    code.split(',').filter(|s| !s.is_empty()).filter_map(super::form::code).collect()
}



fn validate_contest(input: &ContestInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 300 {
        v.add("title", "err.too_long");
    }
    if !(2000..=2100).contains(&input.year) {
        v.add("year", "err.year_range");
    }
    let mut seen = input.tie_breaks.clone();
    seen.sort_by_key(|t| *t as u8);
    seen.dedup();
    if seen.len() != input.tie_breaks.len() {
        v.add("tie_breaks", "err.tie_breaks_repeat");
    }
    v.finish()
}

pub async fn create_contest(state: &AppState, actor: &CurrentUser, input: ContestInput) -> Result<Contest, AppError> {
    require_organizer(actor)?;
    validate_contest(&input)?;
    let mut tx = state.db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contests (title, year, description, tie_breaks, name_display, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(input.title.trim())
    .bind(input.year)
    .bind(input.description.trim())
    .bind(tie_breaks_code(&input.tie_breaks))
    .bind(code_of(&input.name_display))
    .bind(actor.id)
    .bind(now_secs())
    .fetch_one(&mut *tx)
    .await?;
    crate::audit::record(&mut tx, Some(actor.id), "contest.create", "contest", Some(id), serde_json::json!({ "title": input.title })).await?;
    tx.commit().await?;
    get_contest(state, id).await
}

pub async fn update_contest(state: &AppState, actor: &CurrentUser, id: i64, input: ContestInput) -> Result<Contest, AppError> {
    require_organizer(actor)?;
    validate_contest(&input)?;
    let mut tx = state.db.begin_write().await?;
    let done = sqlx::query("UPDATE contests SET title = $1, year = $2, description = $3, tie_breaks = $4, name_display = $5, updated_at = $6 WHERE id = $7")
        .bind(input.title.trim())
        .bind(input.year)
        .bind(input.description.trim())
        .bind(tie_breaks_code(&input.tie_breaks))
        .bind(code_of(&input.name_display))
        .bind(now_secs())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    crate::audit::record(&mut tx, Some(actor.id), "contest.update", "contest", Some(id), serde_json::to_value(&input).unwrap_or_default()).await?;
    tx.commit().await?;
    get_contest(state, id).await
}

pub async fn get_contest(state: &AppState, id: i64) -> Result<Contest, AppError> {
    let row = sqlx::query("SELECT id, title, year, description, tie_breaks, name_display FROM contests WHERE id = $1").bind(id).fetch_optional(&state.db.pool).await?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok(Contest {
        id: row.get("id"),
        title: row.get("title"),
        year: row.get("year"),
        description: row.get("description"),
        tie_breaks: tie_breaks_of(&row.get::<String, _>("tie_breaks")),
        name_display: code(&row.get::<String, _>("name_display")).unwrap_or(NameDisplay::Masked),
        rounds: list_rounds(state, Some(id)).await?,
    })
}

pub async fn list_contests(state: &AppState) -> Result<Vec<Contest>, AppError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM contests ORDER BY year DESC, id DESC").fetch_all(&state.db.pool).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(get_contest(state, id).await?);
    }
    Ok(out)
}

const ROUND_COLUMNS: &str = "r.id, r.contest_id, c.title AS contest_title, r.title, r.opens_at, r.closes_at, r.audience, r.draw_rules, r.shuffle_questions,
    r.shuffle_options, r.time_limit_secs, r.max_attempts, r.counting, r.grace_secs, r.review_after_submit, r.review_after_close,
    r.prediction_question, r.prediction_metric, r.prediction_truth, r.truth_frozen_at, r.prizes, r.published_at";

fn round_of(r: &AnyRow) -> Round {
    let settings = RoundInput {
        title: r.get("title"),
        opens_at: r.get("opens_at"),
        closes_at: r.get("closes_at"),
        audience: r.get("audience"),
        draw_rules: serde_json::from_str(&r.get::<String, _>("draw_rules")).unwrap_or_default(),
        shuffle_questions: r.get::<i64, _>("shuffle_questions") == 1,
        shuffle_options: r.get::<i64, _>("shuffle_options") == 1,
        time_limit_secs: r.get("time_limit_secs"),
        max_attempts: r.get("max_attempts"),
        counting: code(&r.get::<String, _>("counting")).unwrap_or(Counting::Best),
        grace_secs: r.get("grace_secs"),
        review_after_submit: code(&r.get::<String, _>("review_after_submit")).unwrap_or(ReviewLevel::Score),
        review_after_close: code(&r.get::<String, _>("review_after_close")).unwrap_or(ReviewLevel::Full),
        prediction_question: r.get("prediction_question"),
        prediction_metric: code(&r.get::<String, _>("prediction_metric")).unwrap_or(PredictionMetric::Entries),
        prizes: serde_json::from_str(&r.get::<String, _>("prizes")).unwrap_or_default(),
    };
    Round {
        id: r.get("id"),
        contest_id: r.get("contest_id"),
        contest_title: r.get("contest_title"),
        phase: phase(settings.opens_at, settings.closes_at, settings.grace_secs, now_ms()),
        question_count: settings.draw_rules.iter().map(|d| d.count).sum(),
        settings,
        prediction_truth: r.get("prediction_truth"),
        truth_frozen_at: r.get("truth_frozen_at"),
        published_at: r.get("published_at"),
    }
}

pub fn summary_of(round: &Round) -> RoundSummary {
    RoundSummary {
        id: round.id,
        contest_id: round.contest_id,
        contest_title: round.contest_title.clone(),
        title: round.settings.title.clone(),
        opens_at: round.settings.opens_at,
        closes_at: round.settings.closes_at,
        phase: round.phase,
        published: round.published_at.is_some(),
    }
}

pub async fn get_round(state: &AppState, id: i64) -> Result<Round, AppError> {
    let row = sqlx::query(&format!("SELECT {ROUND_COLUMNS} FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
    row.as_ref().map(round_of).ok_or(AppError::NotFound)
}

/// Rounds of one contest, or of every contest, newest contest first, each in opening order.
pub async fn list_rounds(state: &AppState, contest_id: Option<i64>) -> Result<Vec<RoundSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r JOIN contests c ON c.id = r.contest_id WHERE ($1 = 0 OR r.contest_id = $1) ORDER BY c.year DESC, r.contest_id DESC, r.opens_at, r.id"
    ))
    .bind(contest_id.unwrap_or(0))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.iter().map(|r| summary_of(&round_of(r))).collect())
}

/// Active questions of a round's audience pool, current versions.
pub async fn pool(state: &AppState, audience: &str) -> Result<Vec<draw::PoolQuestion>, AppError> {
    let rows = sqlx::query(
        "SELECT q.id, q.current_version, q.topic, q.difficulty, v.kind, v.options FROM questions q
         JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
         WHERE q.status = 'active' AND q.audience = $1 ORDER BY q.id",
    )
    .bind(audience)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| draw::PoolQuestion {
            id: r.get("id"),
            version: r.get("current_version"),
            topic: r.get("topic"),
            difficulty: r.get("difficulty"),
            kind: crate::quiz::repo::kind_of(&r.get::<String, _>("kind")),
            option_count: serde_json::from_str::<Vec<String>>(&r.get::<String, _>("options")).map(|o| o.len()).unwrap_or(0),
        })
        .collect())
}

async fn validate_round(state: &AppState, input: &RoundInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 300 {
        v.add("title", "err.too_long");
    }
    if input.closes_at <= input.opens_at {
        v.add("closes_at", "err.closes_before_opens");
    }
    if !crate::quiz::model::AUDIENCES.contains(&input.audience.as_str()) {
        v.add("audience", "err.audience_unknown");
    }
    if !(60..=4 * 3600).contains(&input.time_limit_secs) {
        v.add("time_limit_secs", "err.time_limit_range");
    }
    if !(1..=100).contains(&input.max_attempts) {
        v.add("max_attempts", "err.max_attempts_range");
    }
    if !(0..=3600).contains(&input.grace_secs) {
        v.add("grace_secs", "err.grace_range");
    }
    if input.prediction_question.trim().is_empty() {
        v.add("prediction_question", "err.required");
    } else if crate::text::too_long(&input.prediction_question, crate::text::LABEL_MAX_CHARS) {
        v.add("prediction_question", "err.too_long");
    }
    let total: i64 = input.draw_rules.iter().map(|r| r.count).sum();
    if input.draw_rules.is_empty() || input.draw_rules.iter().any(|r| r.count < 1) || total > 200 {
        v.add("draw_rules", "err.draw_rules_invalid");
    } else if input.draw_rules.iter().any(|r| !r.difficulty.is_empty() && !crate::quiz::model::DIFFICULTIES.contains(&r.difficulty.as_str())) {
        v.add("draw_rules", "err.difficulty_unknown");
    } else if !draw::shortfalls(&pool(state, &input.audience).await?, &input.draw_rules).is_empty() {
        v.add("draw_rules", "err.pool_too_small");
    }
    if input.prizes.len() > 50 || input.prizes.iter().any(|p| p.name.trim().is_empty() || crate::text::too_long(&p.name, crate::text::LABEL_MAX_CHARS) || !(1..=10_000).contains(&p.count)) {
        v.add("prizes", "err.prizes_invalid");
    }
    v.finish()
}

fn bind_round<'q>(q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, input: &'q RoundInput) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(input.title.trim())
        .bind(input.opens_at)
        .bind(input.closes_at)
        .bind(input.audience.as_str())
        .bind(serde_json::to_string(&input.draw_rules).unwrap_or_default())
        .bind(input.shuffle_questions as i64)
        .bind(input.shuffle_options as i64)
        .bind(input.time_limit_secs)
        .bind(input.max_attempts)
        .bind(code_of(&input.counting))
        .bind(input.grace_secs)
        .bind(code_of(&input.review_after_submit))
        .bind(code_of(&input.review_after_close))
        .bind(input.prediction_question.trim())
        .bind(code_of(&input.prediction_metric))
        .bind(serde_json::to_string(&input.prizes).unwrap_or_default())
}

pub async fn create_round(state: &AppState, actor: &CurrentUser, contest_id: i64, input: RoundInput) -> Result<Round, AppError> {
    require_organizer(actor)?;
    get_contest(state, contest_id).await?;
    validate_round(state, &input).await?;
    let mut tx = state.db.begin_write().await?;
    let sql = "INSERT INTO rounds (title, opens_at, closes_at, audience, draw_rules, shuffle_questions, shuffle_options, time_limit_secs, max_attempts,
        counting, grace_secs, review_after_submit, review_after_close, prediction_question, prediction_metric, prizes, contest_id, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id";
    let id: i64 = bind_round(sqlx::query(sql), &input).bind(contest_id).bind(now_secs()).fetch_one(&mut *tx).await?.get("id");
    crate::audit::record(&mut tx, Some(actor.id), "round.create", "round", Some(id), serde_json::to_value(&input).unwrap_or_default()).await?;
    tx.commit().await?;
    get_round(state, id).await
}

/// Changes a round's settings. Once attempts exist, what they were drawn and timed by must
/// not move under them: only the closing time, grace, review policy, prize plan and titles
/// can change then.
pub async fn update_round(state: &AppState, actor: &CurrentUser, id: i64, input: RoundInput) -> Result<Round, AppError> {
    require_organizer(actor)?;
    let current = get_round(state, id).await?;
    validate_round(state, &input).await?;
    let mut tx = state.db.begin_write().await?;
    let started: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1").bind(id).fetch_one(&mut *tx).await?;
    let s = &current.settings;
    let locked_changed = s.opens_at != input.opens_at
        || s.audience != input.audience
        || s.draw_rules != input.draw_rules
        || s.shuffle_questions != input.shuffle_questions
        || s.shuffle_options != input.shuffle_options
        || s.time_limit_secs != input.time_limit_secs
        || s.max_attempts > input.max_attempts
        || s.counting != input.counting
        || s.prediction_question != input.prediction_question.trim()
        || s.prediction_metric != input.prediction_metric;
    if started > 0 && locked_changed {
        return Err(AppError::conflict("err.round_has_attempts"));
    }
    let sql = "UPDATE rounds SET title = $1, opens_at = $2, closes_at = $3, audience = $4, draw_rules = $5, shuffle_questions = $6, shuffle_options = $7,
        time_limit_secs = $8, max_attempts = $9, counting = $10, grace_secs = $11, review_after_submit = $12, review_after_close = $13,
        prediction_question = $14, prediction_metric = $15, prizes = $16, updated_at = $17 WHERE id = $18";
    bind_round(sqlx::query(sql), &input).bind(now_secs()).bind(id).execute(&mut *tx).await?;
    crate::audit::record(&mut tx, Some(actor.id), "round.update", "round", Some(id), serde_json::to_value(&input).unwrap_or_default()).await?;
    tx.commit().await?;
    get_round(state, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_the_clock() {
        let (opens, closes, grace) = (1_000, 2_000, 60);
        assert_eq!(phase(opens, closes, grace, 999_999), RoundPhase::Upcoming);
        assert_eq!(phase(opens, closes, grace, 1_000_000), RoundPhase::Open);
        assert_eq!(phase(opens, closes, grace, 2_000_000), RoundPhase::Closing);
        assert_eq!(phase(opens, closes, grace, 2_060_000 + LATE_TOLERANCE_MS), RoundPhase::Closing);
        assert_eq!(phase(opens, closes, grace, 2_060_001 + LATE_TOLERANCE_MS), RoundPhase::Closed);
    }

    #[test]
    fn tie_break_codes_round_trip() {
        let list = vec![TieBreak::SubmittedAt, TieBreak::PredictionGap];
        assert_eq!(tie_breaks_code(&list), "submitted_at,prediction_gap");
        assert_eq!(tie_breaks_of("submitted_at,prediction_gap"), list);
        assert_eq!(tie_breaks_of(""), vec![]);
    }
}
