//! The people the award works with, as it needs them: who holds the judge role, and a judge's
//! unit (for conflicts of interest). Accounts and units keep their own repos; these are the
//! award's reads of them.

use super::id_list;
use crate::accounts::model::Role;
use crate::error::AppError;
use crate::infra::db::Db;

/// A person holding the judge role, for the panel forms.
#[derive(sqlx::FromRow)]
pub struct JudgeRow {
    pub id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
}

/// Everyone holding the judge role, by name.
pub async fn judges(db: &Db) -> Result<Vec<JudgeRow>, AppError> {
    Ok(sqlx::query_as("SELECT u.id, u.full_name, un.name AS unit_name FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN units un ON un.id = u.unit_id WHERE r.role = $1 ORDER BY u.full_name")
        .bind(Role::Judge)
        .fetch_all(&db.pool)
        .await?)
}

/// Those of `ids` who hold the judge role.
pub async fn holding_judge_role(db: &Db, ids: &[i64]) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar(&format!("SELECT user_id FROM user_roles WHERE role = $1 AND user_id IN ({})", id_list(ids))).bind(Role::Judge).fetch_all(&db.pool).await?)
}

/// A person's unit as stored now.
pub async fn unit_of(db: &Db, user_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT unit_id FROM users WHERE id = $1").bind(user_id).fetch_one(&db.pool).await?)
}
