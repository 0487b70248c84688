//! Collective prizes: the contest's rules (JSON in `contests.collective_rules`). The scores a
//! unit's mean is made of are each person's counting attempt (`rounds::results::counting_scores`).

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
