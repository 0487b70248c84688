//! The demo contest: four rounds (two closed with simulated entries, frozen participation and
//! published results, one open now, one upcoming), with a roster for every unit that has
//! simulated staff, so a newcomer sees every screen with realistic figures: some units at
//! 100%, some far below.
//!
//! The simulated entries follow what such contests show: most civil servants prepare and score
//! high, a minority guesses more; time taken is log-normal around eight minutes; predictions
//! scatter log-normally around the true number of entries, with a taste for round numbers; and
//! submissions crowd toward the closing day.

use app::error::AppError;
use app::infra::state::AppState;
use app::rounds::draw;
use app::prizes::PrizeTier;
use app::rounds::model::*;
use app::rounds::scoring::{FULL_CREDIT, Key};
use rand::Rng;
use sqlx::Row;

pub const DEMO_CONTEST: &str = "Hội thi trực tuyến tìm hiểu công tác cải cách hành chính thành phố Hải Phòng năm 2026";

#[derive(Debug)]
pub struct DemoContest {
    pub contest_id: i64,
    pub round_ids: Vec<i64>,
    pub simulated: usize,
    pub created: bool,
}

fn normal(rng: &mut impl Rng) -> f64 {
    // Box–Muller.
    let (u, v): (f64, f64) = (rng.r#gen::<f64>().max(1e-12), rng.r#gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn round_input(title: &str, opens_at: i64, closes_at: i64, questions: i64) -> RoundInput {
    RoundInput {
        title: title.into(),
        opens_at,
        closes_at,
        audience: "staff".into(),
        draw_rules: vec![DrawRule { count: questions, topic: String::new(), difficulty: String::new() }],
        shuffle_questions: true,
        shuffle_options: true,
        time_limit_secs: 20 * 60,
        max_attempts: 2,
        counting: Counting::Best,
        grace_secs: 5 * 60,
        review_after_submit: ReviewLevel::Score,
        review_after_close: ReviewLevel::Full,
        prediction_question: "Đợt thi này có bao nhiêu lượt dự thi?".into(),
        prediction_metric: PredictionMetric::Entries,
        prizes: vec![
            PrizeTier { name: "Giải Nhất".into(), count: 1 },
            PrizeTier { name: "Giải Nhì".into(), count: 2 },
            PrizeTier { name: "Giải Ba".into(), count: 3 },
            PrizeTier { name: "Giải Khuyến khích".into(), count: 10 },
        ],
    }
}

/// Creates the demo contest unless it exists, with `participants` simulated civil servants
/// taking its closed rounds. Needs the demo organizer and the question bank (see `seed`).
pub async fn seed_demo_contest(state: &AppState, participants: usize) -> Result<DemoContest, AppError> {
    if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM contests WHERE title = $1").bind(DEMO_CONTEST).fetch_optional(&state.db.pool).await? {
        let round_ids = sqlx::query_scalar("SELECT id FROM rounds WHERE contest_id = $1 ORDER BY opens_at").bind(id).fetch_all(&state.db.pool).await?;
        return Ok(DemoContest { contest_id: id, round_ids, simulated: 0, created: false });
    }
    let organizer_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bantochuc@demo.haiphong.gov.vn'").fetch_one(&state.db.pool).await?;
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await?.ok_or(AppError::NotFound)?;
    let contest = app::rounds::setup::create_contest(
        state,
        &organizer,
        ContestInput { title: DEMO_CONTEST.into(), year: 2026, description: "Cuộc thi mẫu để làm quen với nền tảng.".into(), tie_breaks: default_tie_breaks(), name_display: NameDisplay::Masked },
    )
    .await?;
    let now = app::vn_time::now_secs();
    let day = 86_400;
    let questions = 10.min(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM questions WHERE status = 'active' AND audience = 'staff'").fetch_one(&state.db.pool).await?);
    let mut round_ids = Vec::new();
    let plan = [("Đợt 1", now - 60 * day, now - 53 * day), ("Đợt 2", now - 30 * day, now - 23 * day), ("Đợt 3", now - day, now + 7 * day), ("Đợt 4", now + 14 * day, now + 21 * day)];
    for (title, opens, closes) in plan {
        round_ids.push(app::rounds::setup::create_round(state, &organizer, contest.id, round_input(title, opens, closes, questions)).await?.id);
    }
    let people = create_people(state, participants, now - 61 * day).await?;
    let mut simulated = 0;
    // Participation grows from the first closed round to the second, as units chase laggards.
    for (round_id, boost) in [(round_ids[0], 0.0), (round_ids[1], 0.05)] {
        let closed = app::rounds::setup::get_round(state, round_id).await?;
        simulated += simulate(state, &closed, &people, boost).await?;
        // The simulated people and entries went in directly: count them before freezing.
        app::counters::rebuild(&state.db).await?;
        app::sweeper::close_round(state, closed.id).await?;
        app::rounds::results::set_published(state, &organizer, closed.id, true).await?;
    }
    Ok(DemoContest { contest_id: contest.id, round_ids, simulated, created: true })
}

fn simulated_name(rng: &mut impl Rng) -> String {
    const FAMILY: [&str; 12] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
    const MIDDLE: [&str; 10] = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Thanh", "Ngọc", "Đức", "Hải", "Hồng"];
    const GIVEN: [&str; 20] = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Yến"];
    format!("{} {} {}", FAMILY[rng.gen_range(0..FAMILY.len())], MIDDLE[rng.gen_range(0..MIDDLE.len())], GIVEN[rng.gen_range(0..GIVEN.len())])
}

/// A simulated civil servant: on their unit's roster, with an account unless they never
/// registered, and how likely their unit is to take part.
struct Person {
    user_id: Option<i64>,
    unit: i64,
    turnout: f64,
}

/// Creates `n` people spread over the units, each on their unit's roster (matched to their
/// account by e-mail). A quarter of the units aim for 100%; the others between 35% and 95%,
/// and some of their staff never registered.
async fn create_people(state: &AppState, n: usize, created_at: i64) -> Result<Vec<Person>, AppError> {
    let units: Vec<i64> = sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NOT NULL AND status = 'active' ORDER BY id").fetch_all(&state.db.pool).await?;
    // Simulated people never sign in: one hash of a random password serves them all.
    let hash = state.hasher.hash(crate::seed::random_password()).await?;
    let mut rng = rand::thread_rng();
    let turnout: Vec<f64> = units.iter().map(|_| if rng.gen_bool(0.25) { 1.0 } else { rng.gen_range(0.35..0.95) }).collect();
    let mut people = Vec::with_capacity(n);
    let mut tx = state.db.begin_write().await?;
    for k in 0..n {
        let u = rng.gen_range(0..units.len().max(1));
        let (unit, target) = (units[u], turnout[u]);
        let name = simulated_name(&mut rng);
        let email = format!("mophong{}@demo.haiphong.gov.vn", k + 1);
        let registered = target >= 1.0 || rng.gen_bool(0.9);
        let user_id = if registered {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (full_name, search_key, email, position, unit_id, password_hash, status, created_at, updated_at)
                 VALUES ($1, $2, $3, 'Chuyên viên', $4, $5, 'active', $6, $6) RETURNING id",
            )
            .bind(&name)
            .bind(app::text::fold(&name))
            .bind(&email)
            .bind(unit)
            .bind(&hash.0)
            .bind(created_at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO user_roles (user_id, role, unit_id, granted_at) VALUES ($1, 'participant', NULL, $2)").bind(id).bind(created_at).execute(&mut *tx).await?;
            Some(id)
        } else {
            None
        };
        sqlx::query(
            "INSERT INTO roster_entries (roster_unit_id, unit_id, full_name, search_key, staff_code, email, position, status, created_at) VALUES ($1, $1, $2, $3, $4, $5, 'Chuyên viên', 'active', $6)",
        )
        .bind(unit)
        .bind(&name)
        .bind(app::text::fold(&name))
        .bind(format!("MP-{}", k + 1))
        .bind(&email)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        people.push(Person { user_id, unit, turnout: target });
    }
    tx.commit().await?;
    Ok(people)
}

/// Submitted attempts of the people who take part in `round`, in one transaction.
async fn simulate(state: &AppState, round: &Round, people: &[Person], boost: f64) -> Result<usize, AppError> {
    let pool = app::rounds::setup::pool(state, &round.settings.audience).await?;
    let keys: Vec<(i64, Key)> = sqlx::query("SELECT q.id, v.kind, v.answer_key FROM questions q JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version")
        .fetch_all(&state.db.pool)
        .await?
        .iter()
        .map(|r| (r.get("id"), Key::from_stored(app::quiz::repo::kind_of(&r.get::<String, _>("kind")), &r.get::<String, _>("answer_key"), false)))
        .collect();
    let mut rng = rand::thread_rng();
    let s = &round.settings;
    let span_ms = (s.closes_at - s.opens_at) * 1000;
    let takers: Vec<&Person> = people.iter().filter(|p| p.user_id.is_some() && (p.turnout >= 1.0 || rng.gen_bool((p.turnout + boost).min(1.0)))).collect();
    let expected = takers.len() as f64;
    let mut tx = state.db.begin_write().await?;
    for person in &takers {
        let (user_id, unit) = (person.user_id.unwrap_or_default(), person.unit);
        let ability = if rng.gen_bool(0.7) { rng.gen_range(0.8..1.0) } else { rng.gen_range(0.35..0.8) };
        let time_ms = ((480.0 * (0.45 * normal(&mut rng)).exp()).clamp(60.0, s.time_limit_secs as f64) * 1000.0) as i64;
        // Crowding toward the deadline: the cube root skews uniform draws toward 1.
        let started = s.opens_at * 1000 + (rng.r#gen::<f64>().cbrt() * (span_ms - time_ms) as f64) as i64;
        let guess = (expected * (0.5 * normal(&mut rng)).exp()).round() as i64;
        let prediction = if rng.gen_bool(0.2) { (guess + 50) / 100 * 100 } else { guess }.max(0);
        let drawn = draw::draw(&pool, &s.draw_rules, true, true, &mut rng).ok_or_else(|| AppError::conflict("err.pool_too_small"))?;
        let mut items = Vec::new();
        let (mut score, mut correct) = (0, 0);
        for d in &drawn {
            let key = &keys.iter().find(|(id, _)| *id == d.question_id).ok_or(AppError::NotFound)?.1;
            let right = key.correct_indices();
            let answer = if rng.gen_bool(ability) { right } else { vec![(0..key.correct.len()).find(|i| !key.correct[*i]).unwrap_or(0)] };
            let points = app::rounds::scoring::credit(key, &answer);
            score += points;
            correct += (points == FULL_CREDIT) as i64;
            items.push((d, answer, points));
        }
        let attempt_id: i64 = sqlx::query_scalar(
            "INSERT INTO attempts (round_id, user_id, unit_id, number, status, started_at_ms, deadline_ms, submitted_at_ms, submitted_by, prediction, score, max_score, correct_count, time_taken_ms)
             VALUES ($1, $2, $3, 1, 'submitted', $4, $5, $6, 'participant', $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(round.id)
        .bind(user_id)
        .bind(unit)
        .bind(started)
        .bind(started + s.time_limit_secs * 1000)
        .bind(started + time_ms)
        .bind(prediction)
        .bind(score)
        .bind(drawn.len() as i64 * FULL_CREDIT)
        .bind(correct)
        .bind(time_ms)
        .fetch_one(&mut *tx)
        .await?;
        for (position, (d, answer, points)) in items.iter().enumerate() {
            sqlx::query("INSERT INTO attempt_items (attempt_id, position, question_id, version, option_order, answer, answered_at_ms, points) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(attempt_id)
                .bind(position as i64 + 1)
                .bind(d.question_id)
                .bind(d.version)
                .bind(serde_json::to_string(&d.option_order).unwrap_or_default())
                .bind(serde_json::to_string(answer).unwrap_or_default())
                .bind(started + time_ms / 2)
                .bind(points)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(takers.len())
}
