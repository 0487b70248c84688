//! A few suspicious patterns in the demo's latest closed round, so a newcomer sees the
//! integrity page (`/admin/rounds/{id}/gian-lan`) working: one phone that registered four
//! accounts and took the round for each of them, two accounts with the same answers (mistakes
//! included) submitted minutes apart, a perfect score in a little over a minute, and one
//! account active on a laptop and a phone at once.

use app::error::AppError;
use app::infra::state::AppState;
use app::integrity::digest::AnswerDigest;
use app::integrity::origin::{Happened, Origin, record};
use app::integrity::signals::EventKind;
use app::rounds::scoring::FULL_CREDIT;

#[derive(sqlx::FromRow)]
struct Taken {
    id: i64,
    user_id: i64,
    started_at_ms: i64,
    submitted_at_ms: i64,
    score: i64,
    max_score: i64,
}

fn device(name: &str) -> Origin {
    Origin { device_hash: app::accounts::devices::hash(name), client_ip: "113.160.92.14".into() }
}

/// The attempt ids given each pattern, for tests: (shared phone, identical pair, too fast, two devices).
#[derive(Debug, Default)]
pub struct Patterns {
    pub shared_phone: Vec<i64>,
    pub identical: Vec<i64>,
    pub too_fast: Option<i64>,
    pub two_devices: Option<i64>,
}

/// Adds the patterns to the submitted attempts of `round_id` (seeded, not yet closed).
pub async fn seed_patterns(state: &AppState, round_id: i64) -> Result<Patterns, AppError> {
    let taken: Vec<Taken> = sqlx::query_as("SELECT id, user_id, started_at_ms, submitted_at_ms, score, max_score FROM attempts WHERE round_id = $1 AND status = 'submitted' ORDER BY id")
        .bind(round_id)
        .fetch_all(&state.db.pool)
        .await?;
    let mut patterns = Patterns::default();
    if taken.len() < 20 {
        return Ok(patterns);
    }
    let mut used = std::collections::BTreeSet::new();
    let mut tx = state.db.begin_write().await?;
    let event = |kind, a: &Taken, at_ms| Happened { kind, user_id: a.user_id, round_id: Some(round_id), attempt_id: Some(a.id), at_ms };

    // One phone registers four accounts and takes the round for each, an hour apart.
    let phone = device("demo-phone-shared");
    for a in taken.iter().take(4) {
        used.insert(a.id);
        let registered = Happened { kind: EventKind::Register, user_id: a.user_id, round_id: None, attempt_id: None, at_ms: a.started_at_ms - 86_400_000 };
        record(&mut tx, Some(&phone), registered).await?;
        record(&mut tx, Some(&phone), event(EventKind::Start, a, a.started_at_ms)).await?;
        record(&mut tx, Some(&phone), event(EventKind::Submit, a, a.submitted_at_ms)).await?;
        patterns.shared_phone.push(a.id);
    }

    // Two accounts with one answer sheet: the second copies the first's questions and answers
    // and submits three minutes later, each from their own computer.
    let first = taken.iter().find(|a| !used.contains(&a.id) && a.score <= a.max_score - 2 * FULL_CREDIT);
    let second = taken.iter().rev().find(|a| !used.contains(&a.id) && first.is_some_and(|f| f.id != a.id));
    if let (Some(first), Some(second)) = (first, second) {
        used.extend([first.id, second.id]);
        let taken_ms = first.submitted_at_ms - first.started_at_ms;
        let (started, submitted) = (first.started_at_ms + 180_000, first.submitted_at_ms + 180_000);
        sqlx::query("DELETE FROM attempt_items WHERE attempt_id = $1").bind(second.id).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order, answer, answered_at_ms, points) \
             SELECT $1, position, question_id, version, option_order, answer, answered_at_ms, points FROM attempt_items WHERE attempt_id = $2",
        )
        .bind(second.id)
        .bind(first.id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE attempts SET started_at_ms = $1, submitted_at_ms = $2, deadline_ms = $3, time_taken_ms = $4, \
             score = (SELECT score FROM attempts WHERE id = $5), correct_count = (SELECT correct_count FROM attempts WHERE id = $5) WHERE id = $6",
        )
        .bind(started)
        .bind(submitted)
        .bind(started + 20 * 60_000)
        .bind(taken_ms)
        .bind(first.id)
        .bind(second.id)
        .execute(&mut *tx)
        .await?;
        let items: Vec<(i64, Option<String>, Option<i64>)> = sqlx::query_as("SELECT question_id, answer, points FROM attempt_items WHERE attempt_id = $1").bind(first.id).fetch_all(&mut *tx).await?;
        let mut digest = AnswerDigest::default();
        for (question, answer, points) in items {
            let chosen: Vec<usize> = answer.as_deref().map(|a| serde_json::from_str::<Vec<usize>>(a)).transpose().map_err(AppError::internal)?.unwrap_or_default();
            digest.add(question, &chosen, points == Some(FULL_CREDIT));
        }
        if let Some(d) = digest.finish(2) {
            for (a, at) in [(first, first.submitted_at_ms), (second, submitted)] {
                app::integrity::repo::set_answer_digest(&mut tx, a.id, &d).await?;
                let own = device(&format!("demo-pc-{}", a.user_id));
                record(&mut tx, Some(&own), event(EventKind::Submit, a, at)).await?;
            }
            patterns.identical = vec![first.id, second.id];
        }
    }

    // A perfect score in 70 seconds, in a round whose participants usually take about eight
    // minutes.
    if let Some(fast) = taken.iter().find(|a| !used.contains(&a.id) && a.score == a.max_score) {
        used.insert(fast.id);
        sqlx::query("UPDATE attempts SET submitted_at_ms = started_at_ms + 70000, time_taken_ms = 70000 WHERE id = $1").bind(fast.id).execute(&mut *tx).await?;
        patterns.too_fast = Some(fast.id);
    }

    // A laptop takes the attempt while the account's owner signs in on their phone.
    if let Some(both) = taken.iter().find(|a| !used.contains(&a.id) && a.submitted_at_ms - a.started_at_ms > 180_000) {
        let laptop = device(&format!("demo-laptop-{}", both.user_id));
        record(&mut tx, Some(&laptop), event(EventKind::Start, both, both.started_at_ms)).await?;
        let signed_in = Happened { kind: EventKind::SignIn, user_id: both.user_id, round_id: None, attempt_id: None, at_ms: both.started_at_ms + 120_000 };
        record(&mut tx, Some(&device(&format!("demo-phone-{}", both.user_id))), signed_in).await?;
        record(&mut tx, Some(&laptop), event(EventKind::Submit, both, both.submitted_at_ms)).await?;
        patterns.two_devices = Some(both.id);
    }
    tx.commit().await?;
    Ok(patterns)
}
