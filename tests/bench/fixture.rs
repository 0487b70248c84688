//! What the load scenarios prepare alike: an organizer, the demo question bank, an open round,
//! and many participant accounts that share one password hash.

use app::accounts::model::Role;
use app::infra::state::AppState;
use serde_json::json;

pub const PASSWORD: &str = "mật khẩu đo tải";
const DEMO_QUESTIONS: &[u8] = include_bytes!("../../server/seed/demo-questions-cchc.csv");

/// An organizer (`organizer_email`), the demo bank, and a round of `questions` questions open
/// from a minute ago for three hours, with an hour to answer. Returns the round's id.
pub async fn open_round(state: &AppState, organizer_email: &str, contest_title: &str, round_title: &str, questions: usize) -> i64 {
    let organizer_id = app::accounts::service::create_staff_account(state, "Ban Tổ Chức Đo Tải", organizer_email, PASSWORD.into(), &[(Role::Organizer, None)]).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    app::quiz::bank::import(state, &organizer, app::quiz::bank::ImportFormat::Table, DEMO_QUESTIONS, "", true).await.unwrap();
    let contest = app::rounds::setup::create_contest(state, &organizer, serde_json::from_value(json!({ "title": contest_title, "year": 2026 })).unwrap(), app::rounds::model::Visibility::Public).await.unwrap();
    let now = app::vn_time::now_secs();
    let round: app::rounds::model::RoundInput = serde_json::from_value(json!({
        "title": round_title, "opens_at": now - 60, "closes_at": now + 3 * 3600, "draw_rules": [{ "count": questions }],
        "time_limit_secs": 3600, "prediction_question": "Bao nhiêu lượt dự thi?",
    }))
    .unwrap();
    app::rounds::setup::create_round(state, &organizer, contest.id, round, app::rounds::model::Visibility::Public).await.unwrap().id
}

/// `n` participant accounts `{prefix}{i}@bench.haiphong.gov.vn` in the first sub-unit, all with
/// [`PASSWORD`]. They share one hash: sign-ins still verify argon2id each time, but preparing
/// 10,000 accounts does not take 10,000 hashes. Written directly, in one transaction, because
/// registering them one by one would take longer than the benchmark. Returns their ids.
pub async fn participants(state: &AppState, prefix: &str, n: usize) -> Vec<i64> {
    let now = app::vn_time::now_secs();
    let hash = state.hasher.hash(PASSWORD.into()).await.unwrap().0;
    let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&state.db.pool).await.unwrap();
    let mut ids = Vec::with_capacity(n);
    let mut tx = state.db.pool.begin().await.unwrap();
    for i in 0..n {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (full_name, search_key, email, position, unit_id, password_hash, status, created_at, updated_at) VALUES ($1, $2, $3, 'Chuyên viên', $4, $5, 'active', $6, $6) RETURNING id",
        )
        .bind("Cán Bộ Đo Tải")
        .bind("can bo do tai")
        .bind(format!("{prefix}{i}@bench.haiphong.gov.vn"))
        .bind(unit)
        .bind(&hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO user_roles (user_id, role, unit_id, granted_at) VALUES ($1, 'participant', NULL, $2)").bind(id).bind(now).execute(&mut *tx).await.unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

/// Acknowledged answers that are not in the database as acknowledged. A later save of the same
/// question overwrites an earlier one, so only each question's last acknowledged answer counts.
pub async fn lost_answers(db: &app::infra::db::Db, acked: &[(i64, i64, Vec<usize>)]) -> usize {
    let mut last: std::collections::HashMap<(i64, i64), &Vec<usize>> = std::collections::HashMap::new();
    for (a, p, answer) in acked {
        last.insert((*a, *p), answer);
    }
    let rows = sqlx::query_as::<_, (i64, i64, String, Option<String>)>("SELECT attempt_id, position, option_order, answer FROM attempt_items").fetch_all(&db.pool).await.unwrap();
    let stored: std::collections::HashMap<(i64, i64), Vec<usize>> = rows
        .into_iter()
        .map(|(a, p, order, answer)| {
            let order: Vec<usize> = serde_json::from_str(&order).unwrap();
            let answer: Vec<usize> = answer.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
            let mut shown: Vec<usize> = answer.iter().filter_map(|s| order.iter().position(|o| o == s)).collect();
            shown.sort_unstable();
            ((a, p), shown)
        })
        .collect();
    last.iter().filter(|(key, answer)| stored.get(key) != Some(**answer)).count()
}

/// Another round of the benchmark's contest (made by [`open_round`]), of 5 questions, open from
/// a minute ago until `closes_in_secs` from now, with ten minutes to answer.
pub async fn extra_round(state: &AppState, title: &str, closes_in_secs: i64) -> i64 {
    let organizer_id: i64 = sqlx::query_scalar("SELECT user_id FROM user_roles WHERE role = 'organizer' ORDER BY user_id LIMIT 1").fetch_one(&state.db.pool).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    let contest: i64 = sqlx::query_scalar("SELECT id FROM contests ORDER BY id DESC LIMIT 1").fetch_one(&state.db.pool).await.unwrap();
    let now = app::vn_time::now_secs();
    let round: app::rounds::model::RoundInput = serde_json::from_value(json!({
        "title": title, "opens_at": now - 60, "closes_at": now + closes_in_secs, "draw_rules": [{ "count": 5 }],
        "time_limit_secs": 600, "prediction_question": "Bao nhiêu lượt dự thi?",
    }))
    .unwrap();
    app::rounds::setup::create_round(state, &organizer, contest, round, app::rounds::model::Visibility::Public).await.unwrap().id
}
