//! The citizens' persistence: sign-ups waiting for their code (`phone_signups`), the citizen
//! accounts they become, and the per-commune counts of a public round.

use super::model::CommuneParticipation;
use crate::infra::db::{Db, WriteTx};

pub struct NewSignup<'a> {
    pub phone: &'a str,
    pub code_hash: &'a str,
    pub full_name: &'a str,
    pub residence_unit_id: i64,
    pub password_hash: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert_signup(tx: &mut WriteTx, s: &NewSignup<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO phone_signups (phone, code_hash, full_name, residence_unit_id, password_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(s.phone)
    .bind(s.code_hash)
    .bind(s.full_name)
    .bind(s.residence_unit_id)
    .bind(s.password_hash)
    .bind(s.created_at)
    .bind(s.expires_at)
    .fetch_one(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
pub struct PendingSignup {
    pub id: i64,
    pub code_hash: String,
    pub full_name: String,
    pub residence_unit_id: i64,
    pub password_hash: String,
    pub tries: i64,
    pub expires_at: i64,
}

/// The newest unused sign-up of a phone: only the last code sent works. Read inside the write
/// transaction that uses it, so a code cannot be used twice.
pub async fn latest_open(tx: &mut WriteTx, phone: &str) -> sqlx::Result<Option<PendingSignup>> {
    sqlx::query_as(
        "SELECT id, code_hash, full_name, residence_unit_id, password_hash, tries, expires_at FROM phone_signups
         WHERE phone = $1 AND used_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn count_try(tx: &mut WriteTx, id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE phone_signups SET tries = tries + 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// Uses up every open sign-up of a phone (the account is made, or the message never left).
pub async fn use_all(tx: &mut WriteTx, phone: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE phone_signups SET used_at = $2 WHERE phone = $1 AND used_at IS NULL").bind(phone).bind(now).execute(&mut **tx).await?;
    Ok(())
}

/// Whether an account (citizen or staff) already has this phone.
pub async fn phone_taken(db: &Db, phone: &str) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM users WHERE phone = $1").bind(phone).fetch_optional(&db.pool).await?.is_some())
}

pub struct NewCitizen<'a> {
    pub full_name: &'a str,
    pub phone: &'a str,
    pub residence_unit_id: i64,
    pub password_hash: &'a str,
    pub at: i64,
}

pub async fn insert_citizen(tx: &mut WriteTx, c: &NewCitizen<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (full_name, search_key, email, phone, cccd, position, unit_id, password_hash, status, created_at, updated_at, kind, residence_unit_id, phone_confirmed_at)
         VALUES ($1, $2, $3, $4, NULL, '', NULL, $5, 'active', $6, $6, $7, $8, $6) RETURNING id",
    )
    .bind(c.full_name)
    .bind(crate::text::fold(c.full_name))
    .bind(super::rules::placeholder_email(c.phone))
    .bind(c.phone)
    .bind(c.password_hash)
    .bind(c.at)
    .bind(crate::accounts::repo::CITIZEN)
    .bind(c.residence_unit_id)
    .fetch_one(&mut **tx)
    .await
}

/// A public round's submitted entries and people by the residence of whoever made them; every
/// active commune, ward and special zone is listed, with zeros where nobody took part.
pub async fn commune_counts(db: &Db, round_id: i64) -> sqlx::Result<Vec<CommuneParticipation>> {
    sqlx::query_as(
        "SELECT n.id AS unit_id, n.name AS unit_name,
                CAST(COUNT(a.id) AS BIGINT) AS entries, CAST(COUNT(DISTINCT a.user_id) AS BIGINT) AS people
         FROM units n
         LEFT JOIN users u ON u.residence_unit_id = n.id
         LEFT JOIN attempts a ON a.user_id = u.id AND a.round_id = $1 AND a.status = 'submitted'
         WHERE n.block = 'xa_phuong' AND n.status = 'active'
         GROUP BY n.id, n.name
         UNION ALL
         SELECT NULL AS unit_id, NULL AS unit_name,
                CAST(COUNT(a.id) AS BIGINT) AS entries, CAST(COUNT(DISTINCT a.user_id) AS BIGINT) AS people
         FROM attempts a JOIN users u ON u.id = a.user_id
         WHERE a.round_id = $1 AND a.status = 'submitted' AND u.residence_unit_id IS NULL",
    )
    .bind(round_id)
    .fetch_all(&db.pool)
    .await
}

/// A round's submitted entries and the people who made them.
pub async fn round_totals(db: &Db, round_id: i64) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT), CAST(COUNT(DISTINCT user_id) AS BIGINT) FROM attempts WHERE round_id = $1 AND status = 'submitted'")
        .bind(round_id)
        .fetch_one(&db.pool)
        .await
}
