//! Làm bài: the attempt lifecycle. Start draws and stores the questions; each answer is saved
//! through the group-commit writer and acknowledged only once durable; submit (by the
//! participant, or by the server at the deadline) scores against the stored versions.
//!
//! Nothing in this module sends an answer key before submission: the view queries never select
//! `answer_key`, and scoring reads keys into `scoring::Key`, which cannot be serialised.

use super::attempt_items::{items, load, shown_options};
use super::draw;
use super::model::*;
use super::repo::attempts::{self as repo, AttemptRow, Closing, DrawnItem, NewAttemptRow};
use super::scoring::{self, FULL_CREDIT, Key};
use super::setup::{LATE_TOLERANCE_MS, get_round, pool, summary_of};
use super::writer::{AnswerWriter, Batch, Change, Outcome, Tx};
use crate::accounts::model::CurrentUser;
use crate::codes::{Code, stored_json};
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::integrity::origin::Happened;
use crate::integrity::signals::EventKind;
use crate::quiz::model::QuestionKind;
use crate::vn_time::now_ms;

/// Answer saves per second an attempt may send on average: a person answers at most a few
/// questions a second.
pub const SAVES_PER_SECOND: u32 = 10;
/// Saves an attempt may send at once (a page sending everything it queued while offline).
pub const SAVE_BURST: u32 = 40;

/// Why an attempt takes no more changes. Answered 409 with the reason's message; callers
/// that must tell these apart from other conflicts ask [`Closed::of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Submitted before the change arrived.
    Submitted,
    /// Its deadline (plus the network's tolerance) passed before the change arrived.
    TimeUp,
    /// Its time ran out while the participant was submitting: the server submitted what was
    /// saved.
    TimeUpSubmitted,
}

impl Code for Closed {
    const ALL: &'static [Closed] = &[Closed::Submitted, Closed::TimeUp, Closed::TimeUpSubmitted];

    /// The message key the 409 carries.
    fn code(self) -> &'static str {
        match self {
            Closed::Submitted => "err.attempt_submitted",
            Closed::TimeUp => "err.attempt_time_up",
            Closed::TimeUpSubmitted => "err.attempt_time_up_submitted",
        }
    }
}

impl Closed {
    pub fn error(self) -> AppError {
        AppError::conflict(self.code())
    }

    /// The reason, when `err` says an attempt was closed.
    pub fn of(err: &AppError) -> Option<Closed> {
        match err {
            AppError::Conflict { message } => Closed::from_code(message),
            _ => None,
        }
    }
}

/// The caller's own attempt. Someone else's attempt is "not found", so ids reveal nothing.
async fn load_own(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptRow, AppError> {
    match load(state, id).await? {
        Some(a) if a.user_id == actor.id => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

/// Who may take the round (`policy::take_round`): a staff round needs a civil servant with a
/// unit; to a citizen it does not exist.
fn may_enter(round: &Round, actor: &CurrentUser) -> Result<(), AppError> {
    crate::policy::take_round(actor, round.settings.audience)
}

/// The unit an attempt counts for: the person's unit in a staff round; none in a public round,
/// which is counted per commune of residence instead, never in a unit's staff participation.
fn counted_unit(round: &Round, actor: &CurrentUser) -> Option<i64> {
    match round.settings.audience {
        crate::quiz::model::Audience::Staff => actor.unit_id,
        crate::quiz::model::Audience::Public => None,
    }
}

/// Starts an attempt, or resumes the one already open: two tabs, a reload or a second device
/// all land on the same attempt.
pub async fn start(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<AttemptView, AppError> {
    let begun = std::time::Instant::now();
    let round = super::setup::get_visible_round(state, round_id).await?;
    if let Some(open) = repo::open_of(&state.db, round_id, actor.id).await? {
        return view(state, actor, open).await;
    }
    may_enter(&round, actor)?;
    if round.phase != RoundPhase::Open {
        return Err(AppError::conflict("err.round_not_open"));
    }
    let s = &round.settings;
    // Drawn before the write transaction, which then holds the lock only for the inserts.
    let drawn = draw::draw(&pool(state, s.audience).await?, &s.draw_rules, s.shuffle_questions, s.shuffle_options, &mut rand::thread_rng())
        .ok_or_else(|| AppError::conflict("err.pool_too_small"))?;
    metrics::histogram!("hp_start_seconds", "phase" => "round, pool and draw").record(begun.elapsed().as_secs_f64());
    let started = now_ms();
    let deadline = (started + s.time_limit_secs * 1000).min((s.closes_at + s.grace_secs) * 1000);
    let fresh = NewAttempt {
        round_id,
        user_id: actor.id,
        unit_id: counted_unit(&round, actor),
        max_attempts: s.max_attempts,
        started,
        deadline,
        max_score: drawn.len() as i64 * FULL_CREDIT,
        items: drawn.iter().map(|d| Ok(DrawnItem { question_id: d.question_id, version: d.version, option_order: serde_json::to_string(&d.option_order).map_err(AppError::internal)? })).collect::<Result<_, AppError>>()?,
    };
    // Written with the deadline day's other writes, in the writer's next batch.
    let written = std::time::Instant::now();
    // The device and address it came from are recorded with it, in the same transaction.
    let origin = crate::integrity::origin::current();
    let stored = state.services.get::<AnswerWriter>()?.run(actor.id, move |batch| Box::pin(async move { fresh.insert(&mut batch.tx, origin.as_ref()).await })).await;
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
            let open = repo::open_of(&state.db, round_id, actor.id).await?.ok_or_else(|| AppError::conflict("err.attempts_exhausted"))?;
            view(state, actor, open).await
        }
        Err(e) => Err(e),
    }
}

/// Lost the race to start an attempt (PostgreSQL, several nodes): the other one is resumed.
const RACED: &str = "err.attempt_raced";

/// An attempt to store, with its questions as drawn.
struct NewAttempt {
    round_id: i64,
    user_id: i64,
    unit_id: Option<i64>,
    max_attempts: i64,
    started: i64,
    deadline: i64,
    max_score: i64,
    items: Vec<DrawnItem>,
}

impl NewAttempt {
    /// Stores the attempt and its questions; resumes an open one instead, if one appeared since
    /// the caller looked. Returns the attempt's id.
    async fn insert(self, tx: &mut Tx, origin: Option<&crate::integrity::origin::Origin>) -> Result<i64, AppError> {
        let (open, previous) = repo::open_and_count(tx, self.round_id, self.user_id).await?;
        if let Some(id) = open {
            return Ok(id);
        }
        if previous >= self.max_attempts {
            return Err(AppError::conflict("err.attempts_exhausted"));
        }
        let row = NewAttemptRow {
            round_id: self.round_id,
            user_id: self.user_id,
            unit_id: self.unit_id,
            number: previous + 1,
            started_at_ms: self.started,
            deadline_ms: self.deadline,
            max_score: self.max_score,
        };
        let id = repo::insert(tx, &row).await?.ok_or_else(|| AppError::conflict(RACED))?;
        repo::insert_items(tx, id, &self.items).await?;
        let started = Happened { kind: EventKind::Start, user_id: self.user_id, round_id: Some(self.round_id), attempt_id: Some(id), at_ms: self.started };
        crate::integrity::origin::record(tx, origin, started).await?;
        Ok(id)
    }
}

/// The attempt as its taker sees it. An open attempt whose time has run out is submitted
/// first, so a late reload shows the result instead of a form that can no longer be saved.
pub async fn view(state: &AppState, actor: &CurrentUser, id: i64) -> Result<AttemptView, AppError> {
    let mut attempt = load_own(state, actor, id).await?;
    if attempt.status == AttemptStatus::Open && now_ms() > attempt.deadline_ms + LATE_TOLERANCE_MS {
        submit_attempt(state, id, Submitter::Server).await?;
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
        attempts_left_after: (round.settings.max_attempts - attempt.number).max(0),
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
        Outcome::Submitted => Err(Closed::Submitted.error()),
        Outcome::TimeUp => Err(Closed::TimeUp.error()),
        Outcome::Ran(_) => Err(AppError::internal("writer answered a save with a run outcome")),
    }
}

/// What a save needs to know of one question of an attempt: whose attempt it is (an active
/// account's) and how its options were shuffled. One indexed read; whether the attempt is
/// still open is checked by the writer, inside its transaction.
async fn item_of(state: &AppState, actor_id: i64, id: i64, position: i64) -> Result<(Vec<usize>, QuestionKind), AppError> {
    match repo::save_target(&state.db, id, position).await? {
        Some(t) if t.user_id == actor_id => Ok((stored_json(&t.option_order, "option order")?, t.kind)),
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
    apply(state, id, Change::Answer { position, answer: stored, seq }, position).await
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
    if attempt.status == AttemptStatus::Open {
        let late = now_ms() > attempt.deadline_ms + LATE_TOLERANCE_MS;
        submit_attempt(state, id, if late { Submitter::Server } else { Submitter::Participant }).await?;
        if late {
            return Err(Closed::TimeUpSubmitted.error());
        }
    }
    super::review::result(state, actor, id).await
}

/// Scores and closes an attempt; a no-op when already submitted (so the server's sweep, a
/// double click and a second node can all call it). Returns whether this call submitted it.
/// It goes through the writer's queue, so every save queued before it is committed first.
/// A submission from a request records the device and address it came from; the sweeper's
/// records nothing (no device is involved).
pub async fn submit_attempt(state: &AppState, id: i64, by: Submitter) -> Result<bool, AppError> {
    let db = state.db.clone();
    let origin = crate::integrity::origin::current();
    state.services.get::<AnswerWriter>()?.run(id, move |batch| Box::pin(async move { score_and_close(db, batch, id, by, origin).await })).await
}

async fn score_and_close(db: crate::infra::db::Db, batch: &mut Batch, id: i64, by: Submitter, origin: Option<crate::integrity::origin::Origin>) -> Result<bool, AppError> {
    let tx = &mut batch.tx;
    let Some(attempt) = repo::get_for_update(tx, id).await? else { return Err(AppError::NotFound) };
    if attempt.status != AttemptStatus::Open {
        return Ok(false);
    }
    let (mut score, mut correct) = (0i64, 0i64);
    let mut points_of = Vec::new();
    let mut digest = crate::integrity::digest::AnswerDigest::default();
    for item in repo::keyed_items(tx, id).await? {
        let key = Key::from_stored(item.kind, &item.answer_key, item.partial_credit == 1)?;
        let answer: Vec<usize> = match &item.answer {
            Some(a) => stored_json(a, "answer")?,
            None => vec![],
        };
        let points = scoring::credit(&key, &answer);
        score += points;
        correct += (points == FULL_CREDIT) as i64;
        points_of.push((item.position, points));
        digest.add(item.question_id, &answer, points == FULL_CREDIT);
    }
    repo::set_points(tx, id, &points_of).await?;
    // An attempt ends at its deadline at the latest, whoever submits it and whenever.
    let submitted_at = now_ms().min(attempt.deadline_ms);
    let closing = Closing { submitted_at_ms: submitted_at, by, score, correct_count: correct, time_taken_ms: submitted_at - attempt.started_at_ms };
    let submitted = repo::close(tx, id, &closing).await?;
    if submitted {
        if let Some(d) = digest.finish(crate::integrity::model::Thresholds::default().identical_min_wrong) {
            crate::integrity::repo::set_answer_digest(tx, id, &d).await?;
        }
        let happened = Happened { kind: EventKind::Submit, user_id: attempt.user_id, round_id: Some(attempt.round_id), attempt_id: Some(id), at_ms: submitted_at };
        crate::integrity::origin::record(tx, origin.as_ref(), happened).await?;
        // The live participation figures change with the submission, in its transaction (at
        // the end of the batch, where the counters' lock is held briefly).
        let (round, user, unit) = (attempt.round_id, attempt.user_id, attempt.unit_id);
        batch.finally(move |tx| Box::pin(async move { crate::counters::on_submitted(&db, tx, round, user, unit, submitted_at).await }));
    }
    Ok(submitted)
}

/// A round as a participant sees it before starting or resuming.
pub async fn round_for(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<RoundForParticipant, AppError> {
    let round = super::setup::get_visible_round(state, round_id).await?;
    if let Err(AppError::NotFound) = may_enter(&round, actor) {
        return Err(AppError::NotFound);
    }
    let attempts: Vec<AttemptSummary> = repo::of_person(&state.db, round_id, actor.id)
        .await?
        .into_iter()
        .map(|a| AttemptSummary { id: a.id, number: a.number, status: a.status, started_at_ms: a.started_at_ms, deadline_ms: a.deadline_ms, submitted_at_ms: a.submitted_at_ms })
        .collect();
    let has_open = attempts.iter().any(|a| a.status == AttemptStatus::Open);
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
