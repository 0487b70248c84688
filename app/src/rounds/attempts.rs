//! Làm bài: the attempt lifecycle. Start draws and stores the questions; each answer is saved
//! through the group-commit writer and acknowledged only once durable; submit (by the
//! participant, or by the server at the deadline) scores against the stored versions.
//!
//! Nothing in this module sends an answer key before submission: the view queries never select
//! `answer_key`, and scoring reads keys into `scoring::Key`, which cannot be serialised.

use super::draw;
use super::model::*;
use super::scoring::{self, FULL_CREDIT, Key};
use super::setup::{LATE_TOLERANCE_MS, get_round, pool, summary_of};
use crate::vn_time::now_ms;
use super::writer::{AnswerWriter, Batch, Change, Outcome, Tx};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::quiz::model::QuestionKind;
use crate::quiz::repo::kind_of;
use sqlx::Row;

/// Answer saves per second an attempt may send on average: a person answers at most a few
/// questions a second.
pub const SAVES_PER_SECOND: u32 = 10;
/// Saves an attempt may send at once (a page sending everything it queued while offline).
pub const SAVE_BURST: u32 = 40;

pub(super) struct AttemptRow {
    pub(super) id: i64,
    pub(super) round_id: i64,
    pub(super) user_id: i64,
    pub(super) unit_id: Option<i64>,
    pub(super) number: i64,
    pub(super) status: String,
    pub(super) started_at_ms: i64,
    pub(super) deadline_ms: i64,
    pub(super) submitted_at_ms: Option<i64>,
    pub(super) submitted_by: Option<String>,
    pub(super) prediction: Option<i64>,
    pub(super) prediction_seq: i64,
    pub(super) score: Option<i64>,
    pub(super) max_score: i64,
    pub(super) correct_count: Option<i64>,
    pub(super) time_taken_ms: Option<i64>,
}

const ATTEMPT_COLUMNS: &str =
    "id, round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, prediction_seq, score, max_score, correct_count, time_taken_ms";

fn attempt_of(r: &sqlx::any::AnyRow) -> AttemptRow {
    AttemptRow {
        id: r.get("id"),
        round_id: r.get("round_id"),
        user_id: r.get("user_id"),
        unit_id: r.get("unit_id"),
        number: r.get("number"),
        status: r.get("status"),
        started_at_ms: r.get("started_at_ms"),
        deadline_ms: r.get("deadline_ms"),
        submitted_at_ms: r.get("submitted_at_ms"),
        submitted_by: r.get("submitted_by"),
        prediction: r.get("prediction"),
        prediction_seq: r.get("prediction_seq"),
        score: r.get("score"),
        max_score: r.get("max_score"),
        correct_count: r.get("correct_count"),
        time_taken_ms: r.get("time_taken_ms"),
    }
}

pub(super) async fn load(state: &AppState, id: i64) -> Result<Option<AttemptRow>, AppError> {
    let row = sqlx::query(&format!("SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = $1")).bind(id).fetch_optional(&state.db.pool).await?;
    Ok(row.as_ref().map(attempt_of))
}

/// The caller's own attempt. Someone else's attempt is "not found", so ids reveal nothing.
async fn load_own(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptRow, AppError> {
    match load(state, id).await? {
        Some(a) if a.user_id == actor.id => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

async fn open_attempt_of(state: &AppState, round_id: i64, user_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM attempts WHERE round_id = $1 AND user_id = $2 AND status = 'open'")
        .bind(round_id)
        .bind(user_id)
        .fetch_optional(&state.db.pool)
        .await?)
}

fn may_enter(round: &Round, actor: &CurrentUser) -> Result<(), AppError> {
    // A civil servants' round counts toward a unit's participation, so it needs a unit.
    if round.settings.audience == "staff" && actor.unit_id.is_none() {
        return Err(AppError::conflict("err.round_for_staff"));
    }
    Ok(())
}

/// Starts an attempt, or resumes the one already open: two tabs, a reload or a second device
/// all land on the same attempt.
pub async fn start(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<AttemptView, AppError> {
    let begun = std::time::Instant::now();
    let round = get_round(state, round_id).await?;
    if let Some(open) = open_attempt_of(state, round_id, actor.id).await? {
        return view(state, actor, open).await;
    }
    may_enter(&round, actor)?;
    if round.phase != RoundPhase::Open {
        return Err(AppError::conflict("err.round_not_open"));
    }
    let s = &round.settings;
    // Drawn before the write transaction, which then holds the lock only for the inserts.
    let drawn = draw::draw(&pool(state, &s.audience).await?, &s.draw_rules, s.shuffle_questions, s.shuffle_options, &mut rand::thread_rng())
        .ok_or_else(|| AppError::conflict("err.pool_too_small"))?;
    metrics::histogram!("hp_start_seconds", "phase" => "round, pool and draw").record(begun.elapsed().as_secs_f64());
    let started = now_ms();
    let deadline = (started + s.time_limit_secs * 1000).min((s.closes_at + s.grace_secs) * 1000);
    let fresh = NewAttempt {
        round_id,
        user_id: actor.id,
        unit_id: actor.unit_id,
        max_attempts: s.max_attempts,
        started,
        deadline,
        max_score: drawn.len() as i64 * FULL_CREDIT,
        items: drawn.iter().map(|d| (d.question_id, d.version, serde_json::to_string(&d.option_order).unwrap_or_default())).collect(),
    };
    // Written with the deadline day's other writes, in the writer's next batch.
    let written = std::time::Instant::now();
    let stored = state.services.get::<AnswerWriter>()?.run(actor.id, move |batch| Box::pin(async move { fresh.insert(&mut batch.tx).await })).await;
    metrics::histogram!("hp_start_seconds", "phase" => "writer").record(written.elapsed().as_secs_f64());
    match stored {
        Ok(id) => {
            let shown = std::time::Instant::now();
            let v = view(state, actor, id).await;
            metrics::histogram!("hp_start_seconds", "phase" => "attempt view").record(shown.elapsed().as_secs_f64());
            v
        }
        // Another tab or device started one a moment earlier on another node: resume it.
        Err(AppError::Conflict { message }) if message == RACED => {
            let open = open_attempt_of(state, round_id, actor.id).await?.ok_or_else(|| AppError::conflict("err.attempts_exhausted"))?;
            view(state, actor, open).await
        }
        Err(e) => Err(e),
    }
}

/// Lost the race to start an attempt (PostgreSQL, several nodes): the other one is resumed.
const RACED: &str = "err.attempt_raced";

/// An attempt to store: its questions as drawn (question, version, option order as JSON).
struct NewAttempt {
    round_id: i64,
    user_id: i64,
    unit_id: Option<i64>,
    max_attempts: i64,
    started: i64,
    deadline: i64,
    max_score: i64,
    items: Vec<(i64, i64, String)>,
}

impl NewAttempt {
    /// Stores the attempt and its questions; resumes an open one instead, if one appeared since
    /// the caller looked. Returns the attempt's id.
    async fn insert(self, tx: &mut Tx) -> Result<i64, AppError> {
        // The open attempt, if any, and how many there are: one round trip.
        let (open, previous): (Option<i64>, i64) = sqlx::query_as(
            "SELECT (SELECT id FROM attempts WHERE round_id = $1 AND user_id = $2 AND status = 'open' LIMIT 1), (SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND user_id = $2)",
        )
        .bind(self.round_id)
        .bind(self.user_id)
        .fetch_one(&mut **tx)
        .await?;
        if let Some(id) = open {
            return Ok(id);
        }
        if previous >= self.max_attempts {
            return Err(AppError::conflict("err.attempts_exhausted"));
        }
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, max_score) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7) RETURNING id",
        )
        .bind(self.round_id)
        .bind(self.user_id)
        .bind(self.unit_id)
        .bind(previous + 1)
        .bind(self.started)
        .bind(self.deadline)
        .bind(self.max_score)
        .fetch_one(&mut **tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(AppError::conflict(RACED)),
            Err(e) => return Err(e.into()),
        };
        // All the questions in one statement: one round trip instead of one per question.
        let rows: Vec<String> = (0..self.items.len()).map(|i| format!("($1, {}, ${}, ${}, ${})", i + 1, 3 * i + 2, 3 * i + 3, 3 * i + 4)).collect();
        let sql = format!("INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order) VALUES {}", rows.join(", "));
        let mut insert = sqlx::query(&sql).bind(id);
        for (question, version, order) in self.items {
            insert = insert.bind(question).bind(version).bind(order);
        }
        insert.execute(&mut **tx).await?;
        Ok(id)
    }
}

pub(super) struct ItemRow {
    pub(super) position: i64,
    pub(super) order: Vec<usize>,
    pub(super) answer: Vec<usize>,
    pub(super) seq: i64,
    pub(super) kind: QuestionKind,
    pub(super) text: String,
    pub(super) options: Vec<String>,
    pub(super) points: Option<i64>,
}

/// The questions of an attempt as drawn, without keys.
pub(super) async fn items(state: &AppState, attempt_id: i64) -> Result<Vec<ItemRow>, AppError> {
    let rows = sqlx::query(
        "SELECT i.position, i.option_order, i.answer, i.answer_seq, i.points, v.kind, v.body, v.options FROM attempt_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version WHERE i.attempt_id = $1 ORDER BY i.position",
    )
    .bind(attempt_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ItemRow {
            position: r.get("position"),
            order: serde_json::from_str(&r.get::<String, _>("option_order")).unwrap_or_default(),
            answer: r.get::<Option<String>, _>("answer").and_then(|a| serde_json::from_str(&a).ok()).unwrap_or_default(),
            seq: r.get("answer_seq"),
            kind: kind_of(&r.get::<String, _>("kind")),
            text: r.get("body"),
            options: serde_json::from_str(&r.get::<String, _>("options")).unwrap_or_default(),
            points: r.get("points"),
        })
        .collect())
}

pub(super) fn shown_options(item: &ItemRow) -> Vec<String> {
    item.order.iter().map(|i| item.options.get(*i).cloned().unwrap_or_default()).collect()
}

/// The attempt as its taker sees it. An open attempt whose time has run out is submitted
/// first, so a late reload shows the result instead of a form that can no longer be saved.
pub async fn view(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptView, AppError> {
    let mut attempt = load_own(state, actor, id).await?;
    if attempt.status == "open" && now_ms() > attempt.deadline_ms + LATE_TOLERANCE_MS {
        submit_attempt(state, id, "server").await?;
        attempt = load_own(state, actor, id).await?;
    }
    let round = get_round(state, attempt.round_id).await?;
    let questions = items(state, id)
        .await?
        .into_iter()
        .map(|item| AttemptQuestion {
            position: item.position,
            kind: item.kind,
            text: item.text.clone(),
            options: shown_options(&item),
            answer: scoring::to_shown(&item.order, &item.answer),
            seq: item.seq,
        })
        .collect();
    Ok(AttemptView {
        id,
        round_id: round.id,
        round_title: round.settings.title,
        contest_title: round.contest_title,
        number: attempt.number,
        status: attempt.status,
        started_at_ms: attempt.started_at_ms,
        deadline_ms: attempt.deadline_ms,
        server_now_ms: now_ms(),
        prediction_question: round.settings.prediction_question,
        prediction: attempt.prediction,
        prediction_seq: attempt.prediction_seq,
        questions,
    })
}

/// The highest sequence number taken: the server's clock a day ahead. A client cannot then
/// number a save so high that every later save of the question would be ignored.
const SEQ_AHEAD_MS: i64 = 24 * 3600 * 1000;

fn checked_seq(seq: Option<i64>, now: i64) -> Result<Option<i64>, AppError> {
    match seq {
        Some(s) if s <= 0 || s > now + SEQ_AHEAD_MS => Err(AppError::field("seq", "err.seq_range")),
        other => Ok(other),
    }
}

async fn apply(state: &AppState, attempt_id: i64, change: Change, position: i64) -> Result<SaveAck, AppError> {
    let at = now_ms();
    match state.services.get::<AnswerWriter>()?.apply(attempt_id, change, at, LATE_TOLERANCE_MS).await.map_err(AppError::internal)? {
        Outcome::Saved { seq, at_ms } => Ok(SaveAck { attempt_id, position, saved_at_ms: at_ms, seq, applied: true }),
        Outcome::Superseded { seq, at_ms } => Ok(SaveAck { attempt_id, position, saved_at_ms: at_ms, seq, applied: false }),
        Outcome::Submitted => Err(AppError::conflict("err.attempt_submitted")),
        Outcome::TimeUp => Err(AppError::conflict("err.attempt_time_up")),
        Outcome::Ran(_) => Err(AppError::internal("writer answered a save with a run outcome")),
    }
}

/// What a save needs to know of one question of an attempt: whose attempt it is (an active
/// account's) and how its options were shuffled. One indexed read; whether the attempt is
/// still open is checked by the writer, inside its transaction.
async fn item_of(state: &AppState, actor_id: i64, id: i64, position: i64) -> Result<(Vec<usize>, QuestionKind), AppError> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT a.user_id, i.option_order, v.kind FROM attempts a
         JOIN attempt_items i ON i.attempt_id = a.id AND i.position = $2
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version
         WHERE a.id = $1",
    )
    .bind(id)
    .bind(position)
    .fetch_optional(&state.db.pool)
    .await?;
    match row {
        Some((owner, order, kind)) if owner == actor_id => {
            let order = serde_json::from_str(&order).map_err(|e| AppError::internal(format!("option order of attempt {id} q{position}: {e}")))?;
            Ok((order, kind_of(&kind)))
        }
        // Someone else's attempt is "not found", so ids reveal nothing.
        Some(_) => Err(AppError::NotFound),
        None => match load(state, id).await? {
            Some(a) if a.user_id == actor_id => Err(AppError::field("position", "err.question_not_in_attempt")),
            _ => Err(AppError::NotFound),
        },
    }
}

/// Saves the answer to one question: `shown` are option indices in the order displayed; `seq`
/// the client's sequence number (see `writer`), if it numbers its saves.
pub async fn save_answer(state: &AppState, actor: &CurrentUser, id: i64, position: i64, shown: Vec<usize>, seq: Option<i64>) -> Result<SaveAck, AppError> {
    save_answer_as(state, actor.id, id, position, shown, seq).await
}

/// [`save_answer`] for a caller known only by id (the save endpoint needs no roles).
pub async fn save_answer_as(state: &AppState, actor_id: i64, id: i64, position: i64, shown: Vec<usize>, seq: Option<i64>) -> Result<SaveAck, AppError> {
    let seq = checked_seq(seq, now_ms())?;
    let looked_up = std::time::Instant::now();
    let (order, kind) = item_of(state, actor_id, id, position).await?;
    metrics::histogram!("hp_save_seconds", "phase" => "attempt and question lookup").record(looked_up.elapsed().as_secs_f64());
    let stored = scoring::to_stored(&order, &shown).ok_or_else(|| AppError::field("answer", "err.option_unknown"))?;
    if kind != QuestionKind::Multiple && stored.len() > 1 {
        return Err(AppError::field("answer", "err.single_one_answer"));
    }
    let answer = serde_json::to_string(&stored).map_err(AppError::internal)?;
    apply(state, id, Change::Answer { position, answer, seq }, position).await
}

pub async fn save_prediction(state: &AppState, actor: &CurrentUser, id: i64, value: i64, seq: Option<i64>) -> Result<SaveAck, AppError> {
    save_prediction_as(state, actor.id, id, value, seq).await
}

pub async fn save_prediction_as(state: &AppState, actor_id: i64, id: i64, value: i64, seq: Option<i64>) -> Result<SaveAck, AppError> {
    let seq = checked_seq(seq, now_ms())?;
    if !(0..=MAX_PREDICTION).contains(&value) {
        return Err(AppError::field("prediction", "err.prediction_range"));
    }
    match load(state, id).await? {
        Some(a) if a.user_id == actor_id => apply(state, id, Change::Prediction { value, seq }, 0).await,
        _ => Err(AppError::NotFound),
    }
}

/// The participant's submit. Submitting twice returns the same result. After the deadline the
/// server submits what was saved and says the time was up.
pub async fn submit(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptResult, AppError> {
    let attempt = load_own(state, actor, id).await?;
    if attempt.status == "open" {
        let late = now_ms() > attempt.deadline_ms + LATE_TOLERANCE_MS;
        submit_attempt(state, id, if late { "server" } else { "participant" }).await?;
        if late {
            return Err(AppError::conflict("err.attempt_time_up_submitted"));
        }
    }
    super::review::result(state, actor, id).await
}

/// Scores and closes an attempt; a no-op when already submitted (so the server's sweep, a
/// double click and a second node can all call it). Returns whether this call submitted it.
/// It goes through the writer's queue, so every save queued before it is committed first.
pub async fn submit_attempt(state: &AppState, id: i64, by: &str) -> Result<bool, AppError> {
    let (db, by) = (state.db.clone(), by.to_string());
    state.services.get::<AnswerWriter>()?.run(id, move |batch| Box::pin(async move { score_and_close(db, batch, id, &by).await })).await
}

async fn score_and_close(db: crate::infra::db::Db, batch: &mut Batch, id: i64, by: &str) -> Result<bool, AppError> {
    let tx = &mut batch.tx;
    let row = sqlx::query(&format!("SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?;
    let Some(attempt) = row.as_ref().map(attempt_of) else { return Err(AppError::NotFound) };
    if attempt.status != "open" {
        return Ok(false);
    }
    let keyed = sqlx::query(
        "SELECT i.position, i.answer, v.kind, v.answer_key, v.partial_credit FROM attempt_items i
         JOIN question_versions v ON v.question_id = i.question_id AND v.version = i.version WHERE i.attempt_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let (mut score, mut correct) = (0i64, 0i64);
    let mut points_of = Vec::with_capacity(keyed.len());
    for r in &keyed {
        let key = Key::from_stored(kind_of(&r.get::<String, _>("kind")), &r.get::<String, _>("answer_key"), r.get::<i64, _>("partial_credit") == 1);
        let answer: Vec<usize> = r.get::<Option<String>, _>("answer").and_then(|a| serde_json::from_str(&a).ok()).unwrap_or_default();
        let points = scoring::credit(&key, &answer);
        score += points;
        correct += (points == FULL_CREDIT) as i64;
        points_of.push((r.get::<i64, _>("position"), points));
    }
    if !points_of.is_empty() {
        // Every question's points in one statement.
        let cases: String = (0..points_of.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 2, 2 * i + 3)).collect();
        let sql = format!("UPDATE attempt_items SET points = CASE position{cases} END WHERE attempt_id = $1");
        let mut update = sqlx::query(&sql).bind(id);
        for (position, points) in &points_of {
            update = update.bind(*position).bind(*points);
        }
        update.execute(&mut **tx).await?;
    }
    // An attempt ends at its deadline at the latest, whoever submits it and whenever.
    let submitted_at = now_ms().min(attempt.deadline_ms);
    let done = sqlx::query(
        "UPDATE attempts SET status = 'submitted', submitted_at_ms = $1, submitted_by = $2, score = $3, correct_count = $4, time_taken_ms = $5
         WHERE id = $6 AND status = 'open'",
    )
    .bind(submitted_at)
    .bind(by)
    .bind(score)
    .bind(correct)
    .bind(submitted_at - attempt.started_at_ms)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let submitted = done.rows_affected() == 1;
    if submitted {
        // The live participation figures change with the submission, in its transaction (at
        // the end of the batch, where the counters' lock is held briefly).
        let (round, user, unit) = (attempt.round_id, attempt.user_id, attempt.unit_id);
        batch.finally(move |tx| Box::pin(async move { crate::counters::on_submitted(&db, tx, round, user, unit, submitted_at).await }));
    }
    Ok(submitted)
}

/// A round as a participant sees it before starting or resuming.
pub async fn round_for(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<RoundForParticipant, AppError> {
    let round = get_round(state, round_id).await?;
    let rows = sqlx::query(&format!("SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE round_id = $1 AND user_id = $2 ORDER BY number"))
        .bind(round_id)
        .bind(actor.id)
        .fetch_all(&state.db.pool)
        .await?;
    let attempts: Vec<AttemptSummary> = rows
        .iter()
        .map(attempt_of)
        .map(|a| AttemptSummary { id: a.id, number: a.number, status: a.status, started_at_ms: a.started_at_ms, deadline_ms: a.deadline_ms, submitted_at_ms: a.submitted_at_ms })
        .collect();
    let has_open = attempts.iter().any(|a| a.status == "open");
    let can_start = has_open || (round.phase == RoundPhase::Open && (attempts.len() as i64) < round.settings.max_attempts && may_enter(&round, actor).is_ok());
    Ok(RoundForParticipant {
        round: summary_of(&round),
        question_count: round.question_count,
        time_limit_secs: round.settings.time_limit_secs,
        max_attempts: round.settings.max_attempts,
        counting: round.settings.counting,
        prediction_question: round.settings.prediction_question.clone(),
        attempts,
        can_start,
    })
}
