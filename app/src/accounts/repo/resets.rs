//! Password reset links (`password_resets`) and the password change they lead to. What a
//! link is and when it works is in `accounts::reset`.

use crate::infra::db::{Db, WriteTx};

pub struct NewReset<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub issued_by: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
}

pub async fn insert(tx: &mut WriteTx, reset: &NewReset<'_>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, issued_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(reset.token_hash)
        .bind(reset.user_id)
        .bind(reset.issued_by)
        .bind(reset.created_at)
        .bind(reset.expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The account a still-usable link belongs to: not used, not expired, the account active.
/// Read inside the write transaction that uses it, so a link cannot be used twice.
pub async fn usable(tx: &mut WriteTx, token_hash: &str, now: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.status = 'active'",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await
}

/// Whether a link would work now (the reset page asks before showing its form).
pub async fn is_usable(db: &Db, token_hash: &str, now: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash)
        .bind(now)
        .fetch_one(&db.pool)
        .await?;
    Ok(n > 0)
}

/// Uses up every open link of the account: after a reset, older links stop working too.
pub async fn use_all(tx: &mut WriteTx, user_id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL").bind(user_id).bind(now).execute(&mut **tx).await?;
    Ok(())
}

/// Links asked for this account since `since` (a person may ask a few times an hour).
pub async fn asked_since(db: &Db, user_id: i64, since: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2 AND issued_by IS NULL")
        .bind(user_id)
        .bind(since)
        .fetch_one(&db.pool)
        .await
}

/// Sets a new password hash and ends every session signed in before `now_ms`.
pub async fn set_password(tx: &mut WriteTx, user_id: i64, hash: &str, now_ms: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2, sessions_valid_from_ms = $3, updated_at = $4 WHERE id = $1")
        .bind(user_id)
        .bind(hash)
        .bind(now_ms)
        .bind(now_ms / 1000)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The e-mail and name of an active account, by its e-mail (already normalised).
pub async fn active_by_email(db: &Db, email: &str) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT id, full_name FROM users WHERE email = $1 AND status = 'active'").bind(email).fetch_optional(&db.pool).await
}

/// The e-mail and name of an account, by id.
pub async fn contact(db: &Db, user_id: i64) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT email, full_name FROM users WHERE id = $1").bind(user_id).fetch_optional(&db.pool).await
}
