//! The SQL of the integrity evidence: recording events, loading a round's candidates (each
//! signal narrowed in SQL to the rows that could trip it, so a round of 200,000 entries does
//! not bring every event into memory), reviews, and retention.

use super::origin::{Happened, Origin};
use super::signals::{AttemptFacts, DeviceStretch, Event, EventKind};
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};

pub async fn insert_event(tx: &mut WriteTx, o: &Origin, what: &Happened) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO device_events (kind, user_id, round_id, attempt_id, device_hash, client_ip, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(what.kind.code())
        .bind(what.user_id)
        .bind(what.round_id)
        .bind(what.attempt_id)
        .bind(&o.device_hash)
        .bind(&o.client_ip)
        .bind(what.at_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    user_id: i64,
    attempt_id: Option<i64>,
    device_hash: String,
    client_ip: String,
    at_ms: i64,
}

fn events(rows: Vec<EventRow>) -> Vec<Event> {
    rows.into_iter()
        .filter_map(|r| match EventKind::from_code(&r.kind) {
            Some(kind) => Some(Event { kind, user_id: r.user_id, attempt_id: r.attempt_id, device: r.device_hash, client_ip: r.client_ip, at_ms: r.at_ms }),
            None => {
                tracing::error!(kind = %r.kind, "unknown device event kind");
                None
            }
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: i64,
    user_id: i64,
    started_at_ms: i64,
    submitted_at_ms: Option<i64>,
    time_taken_ms: Option<i64>,
    score: Option<i64>,
    max_score: i64,
    answer_digest: Option<String>,
}

/// Every submitted attempt of a round, as the signals see it.
pub async fn submitted_attempts(db: &Db, round_id: i64) -> Result<Vec<AttemptFacts>, AppError> {
    let rows: Vec<AttemptRow> = sqlx::query_as(
        "SELECT id, user_id, started_at_ms, submitted_at_ms, time_taken_ms, score, max_score, answer_digest FROM attempts WHERE round_id = $1 AND status = 'submitted'",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptFacts {
            attempt_id: r.id,
            user_id: r.user_id,
            started_at_ms: r.started_at_ms,
            submitted_at_ms: r.submitted_at_ms.unwrap_or(r.started_at_ms),
            time_taken_ms: r.time_taken_ms.unwrap_or_default(),
            score: r.score.unwrap_or_default(),
            max_score: r.max_score,
            answer_digest: r.answer_digest,
        })
        .collect())
}

/// Starts and submissions of the round on devices that `min_accounts` or more accounts used.
pub async fn shared_device_events(db: &Db, round_id: i64, min_accounts: i64) -> Result<Vec<Event>, AppError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT kind, user_id, attempt_id, device_hash, client_ip, at_ms FROM device_events WHERE round_id = $1 AND device_hash IN \
         (SELECT device_hash FROM device_events WHERE round_id = $1 GROUP BY device_hash HAVING COUNT(DISTINCT user_id) >= $2)",
    )
    .bind(round_id)
    .bind(min_accounts)
    .fetch_all(&db.pool)
    .await?;
    Ok(events(rows))
}

/// Each device's first and last request inside the time of the round's submitted attempts
/// that saw more than one device. The `EXISTS` keeps only those attempts (min and max of the
/// device over the window differ), reading `device_events_user_time_idx` alone; the hand-overs
/// among them (a start on the phone, the rest on a computer) are left to the rule.
pub async fn multi_device_stretches(db: &Db, round_id: i64) -> Result<Vec<DeviceStretch>, AppError> {
    let rows: Vec<StretchRow> = sqlx::query_as(
        "SELECT a.id AS attempt_id, e.device_hash, MIN(e.at_ms) AS first_ms, MAX(e.at_ms) AS last_ms FROM attempts a \
         JOIN device_events e ON e.user_id = a.user_id AND e.at_ms BETWEEN a.started_at_ms AND a.submitted_at_ms AND e.kind <> 'register' \
         WHERE a.round_id = $1 AND a.status = 'submitted' AND EXISTS (SELECT 1 FROM device_events d \
             WHERE d.user_id = a.user_id AND d.at_ms BETWEEN a.started_at_ms AND a.submitted_at_ms AND d.kind <> 'register' \
             GROUP BY d.user_id HAVING MIN(d.device_hash) <> MAX(d.device_hash)) \
         GROUP BY a.id, e.device_hash",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| DeviceStretch { attempt_id: r.attempt_id, device: r.device_hash, first_ms: r.first_ms, last_ms: r.last_ms }).collect())
}

#[derive(sqlx::FromRow)]
struct StretchRow {
    attempt_id: i64,
    device_hash: String,
    first_ms: i64,
    last_ms: i64,
}

/// Registrations from devices that registered `min_accounts` or more accounts, of accounts
/// that took part in the round.
pub async fn shared_registrations(db: &Db, round_id: i64, min_accounts: i64) -> Result<Vec<Event>, AppError> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT kind, user_id, attempt_id, device_hash, client_ip, at_ms FROM device_events WHERE kind = 'register' AND device_hash IN \
         (SELECT device_hash FROM device_events WHERE kind = 'register' GROUP BY device_hash HAVING COUNT(DISTINCT user_id) >= $2) \
         AND user_id IN (SELECT user_id FROM attempts WHERE round_id = $1)",
    )
    .bind(round_id)
    .bind(min_accounts)
    .fetch_all(&db.pool)
    .await?;
    Ok(events(rows))
}

/// An account's name and unit, for the page.
#[derive(sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
}

/// The names of `ids` (a page's worth of flagged accounts), in chunks the databases accept.
pub async fn people(db: &Db, ids: &[i64]) -> Result<Vec<Person>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT u.id, u.full_name, n.name AS unit_name FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE u.id IN ({})", marks.join(", "));
        let mut q = sqlx::query_as::<_, Person>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&db.pool).await?);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
pub struct ReviewRow {
    pub attempt_id: i64,
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_at: i64,
}

pub async fn reviews(db: &Db, round_id: i64) -> Result<Vec<ReviewRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.attempt_id, r.note, u.full_name AS decided_by, r.decided_at FROM integrity_reviews r LEFT JOIN users u ON u.id = r.decided_by WHERE r.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await?)
}

/// The round and owner of an attempt.
pub async fn attempt_owner(db: &Db, attempt_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    Ok(sqlx::query_as("SELECT round_id, user_id FROM attempts WHERE id = $1").bind(attempt_id).fetch_optional(&db.pool).await?)
}

/// Records a dismissal; a second one replaces the note of the first.
pub async fn dismiss(tx: &mut WriteTx, round_id: i64, attempt_id: i64, note: &str, by: i64, at: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO integrity_reviews (attempt_id, round_id, note, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (attempt_id) DO UPDATE SET note = excluded.note, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(attempt_id)
    .bind(round_id)
    .bind(note)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes events of rounds whose contest's last round closed before `cutoff_secs`, and
/// events tied to no round (sign-ins, registrations) older than the cutoff unless a contest
/// that was under way or announced when they happened has not been over for as long. Returns
/// how many rows went.
pub async fn delete_expired(db: &Db, cutoff_secs: i64) -> Result<u64, AppError> {
    let mut tx = db.begin_write().await?;
    let of_rounds = sqlx::query(
        "DELETE FROM device_events WHERE round_id IN (SELECT r.id FROM rounds r WHERE \
         (SELECT MAX(o.closes_at) FROM rounds o WHERE o.contest_id = r.contest_id) < $1)",
    )
    .bind(cutoff_secs)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let unattached = sqlx::query(
        "DELETE FROM device_events WHERE round_id IS NULL AND at_ms < $1 * 1000 AND NOT EXISTS \
         (SELECT 1 FROM contests c JOIN rounds r ON r.contest_id = c.id WHERE c.created_at * 1000 <= device_events.at_ms \
          GROUP BY c.id HAVING MAX(r.closes_at) * 1000 >= device_events.at_ms AND MAX(r.closes_at) >= $1)",
    )
    .bind(cutoff_secs)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(of_rounds + unattached)
}

pub async fn set_answer_digest(tx: &mut WriteTx, attempt_id: i64, digest: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE attempts SET answer_digest = $1 WHERE id = $2").bind(digest).bind(attempt_id).execute(&mut **tx).await?;
    Ok(())
}
