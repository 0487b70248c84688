//! Collective prizes: the contest's rules (JSON in `contests.collective_rules`) and the score
//! totals of each unit's entries that the ranking's mean score is made of.

use crate::infra::db::{Db, WriteTx};

/// The contest's stored rules (JSON), if the contest exists.
pub async fn rules_json(db: &Db, contest_id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT collective_rules FROM contests WHERE id = $1").bind(contest_id).fetch_optional(&db.pool).await
}

/// Stores the contest's rules (JSON); false when there is no such contest.
pub async fn set_rules_json(tx: &mut WriteTx, contest_id: i64, json: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE contests SET collective_rules = $1 WHERE id = $2").bind(json).bind(contest_id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// The submitted entries of one unit in a round: their summed score (hundredths) and number.
#[derive(Debug, sqlx::FromRow)]
pub struct UnitScores {
    pub unit_id: i64,
    pub total: i64,
    pub n: i64,
}

/// Score totals of the round's submitted entries, per unit they were taken for.
pub async fn unit_scores(db: &Db, round_id: i64) -> sqlx::Result<Vec<UnitScores>> {
    sqlx::query_as(
        "SELECT unit_id, CAST(SUM(score) AS BIGINT) AS total, CAST(COUNT(*) AS BIGINT) AS n FROM attempts
         WHERE round_id = $1 AND status = 'submitted' AND unit_id IS NOT NULL GROUP BY unit_id",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}
