//! The council's decisions (`award_decisions`): a pool's tier counts (JSON [{name, count}]) or
//! one entry moved to a tier ('' = no prize), or a pool's tie at a cut-off accepted, each with
//! its reason.

use crate::awards::model::{Decision, DecisionKind};
use crate::codes::stored_json;
use crate::error::AppError;
use crate::infra::db::{Db, WriteTx};
use crate::prizes::PrizeTier;

#[derive(sqlx::FromRow)]
struct DecisionRow {
    id: i64,
    kind: DecisionKind,
    pool: String,
    entry_id: Option<i64>,
    tier: Option<String>,
    counts: Option<String>,
    reason: String,
    full_name: Option<String>,
    decided_at: i64,
}

/// An edition's decisions, in the order they were taken.
pub async fn of_competition(db: &Db, competition_id: i64) -> Result<Vec<Decision>, AppError> {
    let rows: Vec<DecisionRow> = sqlx::query_as(
        "SELECT d.id, d.kind, d.pool, d.entry_id, d.tier, d.counts, d.reason, u.full_name, d.decided_at FROM award_decisions d
         LEFT JOIN users u ON u.id = d.decided_by WHERE d.competition_id = $1 ORDER BY d.id",
    )
    .bind(competition_id)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Decision {
                id: r.id,
                kind: r.kind,
                pool: r.pool,
                entry_id: r.entry_id,
                tier: r.tier,
                counts: r.counts.map(|text| stored_json::<Vec<PrizeTier>>(&text, "council's tier counts")).transpose()?,
                reason: r.reason,
                decided_by: r.full_name.unwrap_or_default(),
                decided_at: r.decided_at,
            })
        })
        .collect()
}

/// A decision as taken: who, when, why.
pub struct Taken<'a> {
    pub competition_id: i64,
    pub pool: &'a str,
    pub reason: &'a str,
    pub decided_by: i64,
    pub at: i64,
}

pub async fn insert_counts(tx: &mut WriteTx, taken: &Taken<'_>, counts: &[PrizeTier]) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO award_decisions (competition_id, kind, pool, counts, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(taken.competition_id)
        .bind(DecisionKind::TierCounts)
        .bind(taken.pool)
        .bind(serde_json::to_string(counts).map_err(AppError::internal)?)
        .bind(taken.reason)
        .bind(taken.decided_by)
        .bind(taken.at)
        .fetch_one(&mut **tx)
        .await?)
}

/// The council accepts a pool's tie at a cut-off as it stands.
pub async fn insert_accept_tie(tx: &mut WriteTx, taken: &Taken<'_>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO award_decisions (competition_id, kind, pool, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(taken.competition_id)
        .bind(DecisionKind::AcceptTie)
        .bind(taken.pool)
        .bind(taken.reason)
        .bind(taken.decided_by)
        .bind(taken.at)
        .fetch_one(&mut **tx)
        .await?)
}

pub async fn insert_move(tx: &mut WriteTx, taken: &Taken<'_>, entry_id: i64, tier: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO award_decisions (competition_id, kind, pool, entry_id, tier, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(taken.competition_id)
        .bind(DecisionKind::Move)
        .bind(taken.pool)
        .bind(entry_id)
        .bind(tier)
        .bind(taken.reason)
        .bind(taken.decided_by)
        .bind(taken.at)
        .fetch_one(&mut **tx)
        .await?)
}
