//! The accounts' persistence: users, role grants and the identity lookups of registration and
//! sign-in. The sign-in throttle's counts and the trusted devices have their own files beside
//! this one. Rows decode into typed structs; roles are stored codes.

pub mod devices;
pub mod resets;
pub mod throttle;

use super::model::{CurrentUser, Profile, Role, RoleGrant, UserSummary};
use crate::infra::db::{Db, WriteTx};
use crate::infra::hashing::StoredHash;
use crate::vn_time::now_secs;

pub struct LoginRecord {
    pub id: i64,
    pub hash: StoredHash,
    /// Whether the account may sign in (its status is `active`).
    pub active: bool,
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: String,
    active: i64,
}

/// Finds an account by e-mail, phone or CCCD (already normalised by the caller).
pub async fn find_for_login(db: &Db, email: &str, phone: &str, cccd: &str) -> sqlx::Result<Option<LoginRecord>> {
    let row: Option<LoginRow> = sqlx::query_as(
        "SELECT id, password_hash, CASE WHEN status = 'active' THEN 1 ELSE 0 END AS active FROM users WHERE email = $1 OR phone = $2 OR cccd = $3 LIMIT 1",
    )
    .bind(email)
    .bind(phone)
    .bind(cccd)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|r| LoginRecord { id: r.id, hash: StoredHash(r.password_hash), active: r.active == 1 }))
}

#[derive(sqlx::FromRow)]
struct IdentityRow {
    email: String,
    phone: Option<String>,
    cccd: Option<String>,
}

/// Which of the unique identity fields are already taken, by field name.
pub async fn taken_identity_fields(db: &Db, email: &str, phone: &str, cccd: &str) -> sqlx::Result<Vec<&'static str>> {
    let rows: Vec<IdentityRow> = sqlx::query_as("SELECT email, phone, cccd FROM users WHERE email = $1 OR phone = $2 OR cccd = $3")
        .bind(email)
        .bind(phone)
        .bind(cccd)
        .fetch_all(&db.pool)
        .await?;
    let mut taken = Vec::new();
    for r in rows {
        if r.email == email {
            taken.push("email");
        }
        if r.phone.as_deref() == Some(phone) {
            taken.push("phone");
        }
        if r.cccd.as_deref() == Some(cccd) {
            taken.push("cccd");
        }
    }
    Ok(taken)
}

pub struct NewUser<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub cccd: Option<&'a str>,
    pub position: &'a str,
    pub unit_id: Option<i64>,
    pub hash: &'a StoredHash,
}

pub async fn insert_user(tx: &mut WriteTx, user: &NewUser<'_>) -> sqlx::Result<i64> {
    insert_user_at(tx, user, now_secs()).await
}

/// [`insert_user`] with the time the account was made (simulated people of the demo contest
/// registered before its first round).
pub async fn insert_user_at(tx: &mut WriteTx, user: &NewUser<'_>, at: i64) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (full_name, search_key, email, phone, cccd, position, unit_id, password_hash, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9) RETURNING id",
    )
    .bind(user.full_name)
    .bind(crate::text::fold(user.full_name))
    .bind(user.email)
    .bind(user.phone)
    .bind(user.cccd)
    .bind(user.position)
    .bind(user.unit_id)
    .bind(&user.hash.0)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn grant_role(tx: &mut WriteTx, user_id: i64, role: Role, unit_id: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2").bind(user_id).bind(role).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO user_roles (user_id, role, unit_id, granted_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(role)
        .bind(unit_id)
        .bind(now_secs())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn revoke_role(tx: &mut WriteTx, user_id: i64, role: Role) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2").bind(user_id).bind(role).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

pub async fn touch_login(tx: &mut WriteTx, user_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2").bind(now_secs()).bind(user_id).execute(&mut **tx).await?;
    Ok(())
}

async fn roles_of(db: &Db, user_ids: &[i64]) -> sqlx::Result<Vec<(i64, RoleGrant)>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    // The id list is built from integers only, never from user text.
    let ids = user_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let rows: Vec<GrantRow> = sqlx::query_as(&format!(
        "SELECT r.user_id, r.role, r.unit_id, u.name AS unit_name FROM user_roles r LEFT JOIN units u ON u.id = r.unit_id
         WHERE r.user_id IN ({ids}) ORDER BY r.user_id, r.role"
    ))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.user_id, RoleGrant { role: r.role, unit_id: r.unit_id, unit_name: r.unit_name })).collect())
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    user_id: i64,
    role: Role,
    unit_id: Option<i64>,
    unit_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SignedInRow {
    id: i64,
    full_name: String,
    email: String,
    unit_id: Option<i64>,
    kind: String,
}

impl SignedInRow {
    fn into_user(self, roles: Vec<RoleGrant>) -> CurrentUser {
        let citizen = self.kind == CITIZEN;
        // A citizen's stored e-mail is a placeholder (see `Profile::kind`): never handed out.
        let email = if citizen { String::new() } else { self.email };
        CurrentUser { id: self.id, full_name: self.full_name, email, unit_id: self.unit_id, roles, citizen }
    }
}

/// The `users.kind` of a citizen's account (công dân); staff accounts are `staff`.
pub const CITIZEN: &str = super::model::CITIZEN_KIND;

/// One person's role grants.
async fn grants_of(db: &Db, user_id: i64) -> sqlx::Result<Vec<RoleGrant>> {
    Ok(roles_of(db, &[user_id]).await?.into_iter().map(|(_, g)| g).collect())
}

/// The account of a session signed in at `auth_ms`: active, and signed in after its password
/// was last reset (a reset ends every older session).
pub async fn signed_in_user(db: &Db, user_id: i64, auth_ms: i64) -> sqlx::Result<Option<CurrentUser>> {
    let sql = "SELECT id, full_name, email, unit_id, kind FROM users WHERE id = $1 AND status = 'active' AND sessions_valid_from_ms <= $2";
    let row: Option<SignedInRow> = sqlx::query_as(sql).bind(user_id).bind(auth_ms).fetch_optional(&db.pool).await?;
    Ok(match row {
        Some(r) => Some(r.into_user(grants_of(db, user_id).await?)),
        None => None,
    })
}

pub async fn current_user(db: &Db, user_id: i64) -> sqlx::Result<Option<CurrentUser>> {
    let sql = "SELECT id, full_name, email, unit_id, kind FROM users WHERE id = $1 AND status = 'active'";
    let row: Option<SignedInRow> = sqlx::query_as(sql).bind(user_id).fetch_optional(&db.pool).await?;
    Ok(match row {
        Some(r) => Some(r.into_user(grants_of(db, user_id).await?)),
        None => None,
    })
}

pub async fn profile(db: &Db, user_id: i64) -> sqlx::Result<Option<Profile>> {
    let sql = "SELECT u.id, u.full_name, CASE WHEN u.kind = 'citizen' THEN '' ELSE u.email END AS email, u.phone, u.cccd, u.position, u.unit_id, n.name AS unit_name, u.kind, r.name AS residence_name, u.created_at
         FROM users u LEFT JOIN units n ON n.id = u.unit_id LEFT JOIN units r ON r.id = u.residence_unit_id WHERE u.id = $1";
    let found: Option<Profile> = sqlx::query_as(sql).bind(user_id).fetch_optional(&db.pool).await?;
    Ok(match found {
        Some(profile) => Some(Profile { roles: grants_of(db, user_id).await?, ..profile }),
        None => None,
    })
}

/// Users whose folded name or e-mail (and, with `by_phone`, phone) contains `query`, at most
/// `limit`, newest first.
pub async fn search_users(db: &Db, query: &str, by_phone: bool, limit: i64) -> sqlx::Result<Vec<UserSummary>> {
    let pattern = format!("%{}%", crate::text::fold(query).replace('%', "").replace('_', ""));
    let mut users: Vec<UserSummary> = sqlx::query_as(
        "SELECT u.id, u.full_name, CASE WHEN u.kind = 'citizen' THEN '' ELSE u.email END AS email, u.phone, u.cccd, u.position, n.name AS unit_name, u.kind, r.name AS residence_name, u.status
         FROM users u LEFT JOIN units n ON n.id = u.unit_id LEFT JOIN units r ON r.id = u.residence_unit_id
         WHERE u.search_key LIKE $1 OR u.email LIKE $1 OR ($3 = 1 AND u.phone LIKE $1)
         ORDER BY u.id DESC LIMIT $2",
    )
    .bind(&pattern)
    .bind(limit)
    .bind(if by_phone { 1i64 } else { 0 })
    .fetch_all(&db.pool)
    .await?;
    let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
    let roles = roles_of(db, &ids).await?;
    for user in &mut users {
        user.roles = roles.iter().filter(|(uid, _)| *uid == user.id).map(|(_, g)| g.clone()).collect();
    }
    Ok(users)
}

pub async fn user_exists(db: &Db, user_id: i64) -> sqlx::Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM users WHERE id = $1").bind(user_id).fetch_optional(&db.pool).await?.is_some())
}

/// Maps a unique-constraint violation on `users` to the form field it concerns, so a race
/// between two registrations with the same CCCD still ends in a field error.
pub fn unique_violation_field(err: &sqlx::Error) -> Option<&'static str> {
    let sqlx::Error::Database(db_err) = err else { return None };
    let text = format!("{} {}", db_err.message(), db_err.constraint().unwrap_or(""));
    ["email", "phone", "cccd"].into_iter().find(|field| {
        text.contains(&format!("users.{field}")) || text.contains(&format!("users_{field}_key"))
    })
}

/// The account with this e-mail, if any.
pub async fn id_by_email(db: &Db, email: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_optional(&db.pool).await
}

/// Sets an account's unit, position and identity numbers (the demo participant, created as a
/// staff account without them).
pub async fn set_placement(db: &Db, user_id: i64, unit_id: Option<i64>, position: &str, phone: &str, cccd: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET unit_id = $1, position = $2, phone = $3, cccd = $4 WHERE id = $5")
        .bind(unit_id)
        .bind(position)
        .bind(phone)
        .bind(cccd)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
