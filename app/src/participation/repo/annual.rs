//! The year's report: the contests of a year, what was submitted in them, and the units merged
//! since. Contest ids are integers from the database, written into the statements.

use crate::infra::db::Db;

/// The contests of `year`, by id.
pub async fn contests_of_year(db: &Db, year: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM contests WHERE year = $1 ORDER BY id").bind(year).fetch_all(&db.pool).await
}

/// `a,b,c` for an `IN (…)`; `0` (no contest) when there are none.
fn id_list(contests: &[i64]) -> String {
    if contests.is_empty() { "0".to_string() } else { contests.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(",") }
}

/// Submitted entries in any staff round of `contests`, and the distinct people who submitted
/// them (public rounds have their own report, per commune).
pub async fn entries_and_participants(db: &Db, contests: &[i64]) -> sqlx::Result<(i64, i64)> {
    let ids = id_list(contests);
    let entries: i64 = sqlx::query_scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE r.contest_id IN ({ids}) AND r.audience = 'staff' AND a.status = 'submitted'"))
        .fetch_one(&db.pool)
        .await?;
    let participants: i64 =
        sqlx::query_scalar(&format!("SELECT CAST(COUNT(DISTINCT a.user_id) AS BIGINT) FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE r.contest_id IN ({ids}) AND r.audience = 'staff' AND a.status = 'submitted'"))
            .fetch_one(&db.pool)
            .await?;
    Ok((entries, participants))
}

/// Each merged unit with the unit it went into and its submitted entries in `contests`.
pub async fn merged_units(db: &Db, contests: &[i64]) -> sqlx::Result<Vec<crate::participation::model::MergedUnit>> {
    let ids = id_list(contests);
    sqlx::query_as(&format!(
        "SELECT o.code AS old_code, o.name AS old_name, n.code AS new_code, n.name AS new_name,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE a.unit_id = o.id AND r.contest_id IN ({ids}) AND r.audience = 'staff' AND a.status = 'submitted') AS entries
         FROM units o JOIN units n ON n.id = o.merged_into_id WHERE o.status = $1 ORDER BY n.name, o.name"
    ))
    .bind(crate::units::model::UnitStatus::Merged)
    .fetch_all(&db.pool)
    .await
}
