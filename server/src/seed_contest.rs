//! The demo contest: four rounds (two closed with simulated entries, frozen participation and
//! published results, one open now, one upcoming), with a roster for every unit that has
//! simulated staff, so a newcomer sees every screen with realistic figures: some units at
//! 100%, some far below.
//!
//! The simulated entries follow what such contests show: most civil servants prepare and score
//! high, a minority guesses more; time taken is log-normal around eight minutes; predictions
//! scatter log-normally around the true number of entries, with a taste for round numbers; and
//! submissions crowd toward the closing day. The second closed round carries a few suspicious
//! patterns for the integrity page (`seed_integrity`).

use app::error::AppError;
use app::infra::state::AppState;
use app::rounds::draw;
use app::prizes::PrizeTier;
use app::rounds::model::*;
use app::rounds::repo::attempts::{FinishedAttempt, FinishedItem};
use app::rounds::repo::{contests, rounds};
use app::rounds::scoring::{FULL_CREDIT, Key};
use rand::Rng;

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
        audience: app::quiz::model::Audience::Staff,
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
    if let Some(id) = contests::id_by_title(&state.db, DEMO_CONTEST).await? {
        let round_ids = rounds::ids_of_contest(&state.db, id).await?;
        return Ok(DemoContest { contest_id: id, round_ids, simulated: 0, created: false });
    }
    let organizer_id = app::accounts::repo::id_by_email(&state.db, crate::seed::DEMO_ORGANIZER_EMAIL).await?.ok_or(AppError::NotFound)?;
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await?.ok_or(AppError::NotFound)?;
    let contest = app::rounds::setup::create_contest(
        state,
        &organizer,
        ContestInput { title: DEMO_CONTEST.into(), year: 2026, description: "Cuộc thi mẫu để làm quen với nền tảng.".into(), tie_breaks: default_tie_breaks(), name_display: NameDisplay::Masked },
        Visibility::Public,
    )
    .await?;
    let now = app::vn_time::now_secs();
    let day = 86_400;
    let questions = 10.min(app::rounds::setup::pool(state, app::quiz::model::Audience::Staff).await?.len() as i64);
    let mut round_ids = Vec::new();
    // The two closed rounds are created still open (closing tomorrow) and closed once their
    // entries are in: the server's sweeper, running beside the seed, would otherwise freeze a
    // closed round's figures before its entries are counted.
    let plan = [("Đợt 1", now - 60 * day, now - 53 * day), ("Đợt 2", now - 30 * day, now - 23 * day), ("Đợt 3", now - day, now + 7 * day), ("Đợt 4", now + 14 * day, now + 21 * day)];
    for (title, opens, closes) in plan {
        let closes_while_seeding = if closes < now { now + day } else { closes };
        round_ids.push(app::rounds::setup::create_round(state, &organizer, contest.id, round_input(title, opens, closes_while_seeding, questions), Visibility::Public).await?.id);
    }
    let people = create_people(state, participants, now - 61 * day).await?;
    let mut simulated = 0;
    // Participation grows from the first closed round to the second, as units chase laggards.
    for (index, boost) in [(0, 0.0), (1, 0.05)] {
        let (round_id, closes) = (round_ids[index], plan[index].2);
        let round = app::rounds::setup::get_round(state, round_id).await?;
        simulated += simulate(state, &round, &people, closes, boost).await?;
        // The latest closed round shows the integrity page at work.
        if index == 1 {
            crate::seed_integrity::seed_patterns(state, round_id).await?;
        }
        // The simulated people and entries went in directly: count them, then close.
        app::counters::rebuild(&state.db).await?;
        app::rounds::setup::update_round(state, &organizer, round_id, RoundInput { closes_at: closes, ..round.settings.clone() }).await?;
        app::sweeper::close_round(state, round_id).await?;
        app::rounds::results::set_published(state, &organizer, round_id, true).await?;
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
    let units: Vec<i64> = app::units::repo::all(&state.db)
        .await?
        .into_iter()
        .filter(|u| u.parent_id.is_some() && u.status == app::units::model::UnitStatus::Active)
        .map(|u| u.id)
        .collect();
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
            let account = app::accounts::repo::NewUser { full_name: &name, email: &email, phone: None, cccd: None, position: "Chuyên viên", unit_id: Some(unit), hash: &hash };
            let id = app::accounts::repo::insert_user_at(&mut tx, &account, created_at).await?;
            app::accounts::repo::grant_role(&mut tx, id, app::accounts::model::Role::Participant, None).await?;
            Some(id)
        } else {
            None
        };
        let entry = app::participation::roster::RosterRow {
            line: k + 1,
            full_name: name,
            cccd: None,
            staff_code: Some(format!("MP-{}", k + 1)),
            email: Some(email),
            phone: None,
            position: "Chuyên viên".into(),
            unit_id: unit,
            unit_name: String::new(),
        };
        app::participation::repo::rosters::insert_entry(&mut tx, unit, &entry, created_at).await?;
        people.push(Person { user_id, unit, turnout: target });
    }
    tx.commit().await?;
    Ok(people)
}

/// Submitted attempts of the people who take part in `round`, in one transaction.
/// `closes_at`: when the round closes once seeded (it is still open while its entries go in).
async fn simulate(state: &AppState, round: &Round, people: &[Person], closes_at: i64, boost: f64) -> Result<usize, AppError> {
    let pool = app::rounds::setup::pool(state, round.settings.audience).await?;
    let keys: Vec<(i64, Key)> = app::quiz::repo::current_keys(&state.db).await?.into_iter().map(|(id, kind, key)| Ok((id, Key::from_stored(kind, &key, false)?))).collect::<Result<_, app::error::AppError>>()?;
    let mut rng = rand::thread_rng();
    let s = &round.settings;
    let span_ms = (closes_at - s.opens_at) * 1000;
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
        let finished = FinishedAttempt {
            round_id: round.id,
            user_id,
            unit_id: Some(unit),
            started_at_ms: started,
            deadline_ms: started + s.time_limit_secs * 1000,
            submitted_at_ms: started + time_ms,
            prediction: Some(prediction),
            score,
            max_score: drawn.len() as i64 * FULL_CREDIT,
            correct_count: correct,
        };
        let items: Vec<FinishedItem> = items
            .into_iter()
            .map(|(d, answer, points)| FinishedItem { question_id: d.question_id, version: d.version, option_order: d.option_order.clone(), answer, answered_at_ms: started + time_ms / 2, points })
            .collect();
        app::rounds::repo::attempts::insert_finished(&mut tx, &finished, &items).await?;
    }
    tx.commit().await?;
    Ok(takers.len())
}
