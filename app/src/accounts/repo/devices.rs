//! The devices each account signed in from (`trusted_devices`), by the hash of the device
//! cookie's token. What a device is and how its token is made is in `accounts::devices`.

use crate::infra::db::{Db, WriteTx};

/// Whether `user_id` has signed in from the device whose token hashes to `token_hash`.
pub async fn is_known(db: &Db, token_hash: &str, user_id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM trusted_devices WHERE token_hash = $1 AND user_id = $2").bind(token_hash).bind(user_id).fetch_one(&db.pool).await?;
    Ok(n > 0)
}

/// Records a sign-in of `user_id` from the device at `at`.
pub async fn seen(tx: &mut WriteTx, token_hash: &str, user_id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT (token_hash, user_id) DO UPDATE SET last_seen_at = $3",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
