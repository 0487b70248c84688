//! The demo edition of the press and broadcast award: entries with small generated audio
//! (WAV) and PDF files, six judges, both stages scored (with one recusal), the council's
//! override of the plan, and published prizes. Built through the same services the pages use.

use app::accounts::model::{CurrentUser, Role};
use app::awards::model::*;
use app::awards::repo::{editions, scores};
use app::awards::{entries, files, panels, results, scoring};
use app::error::AppError;
use app::infra::state::AppState;
use app::prizes::PrizeTier;
use app::units::model::UnitStatus;
use rand::{Rng, SeedableRng};

const DEMO_AWARD: &str = "Giải báo chí và tuyên truyền cải cách hành chính trên hệ thống phát thanh cơ sở (mẫu)";
/// A second demo edition, open for entries for a month from seeding, so a newcomer can try
/// submitting a work.
const DEMO_OPEN_AWARD: &str = "Giải báo chí về cải cách hành chính — đang nhận tác phẩm (mẫu)";

/// One second of a tone as 8 kHz, 8-bit mono WAV: a real, playable file of 8 KB.
pub fn tone_wav(hz: f64, seconds: f64) -> Vec<u8> {
    let rate = 8000u32;
    let n = (rate as f64 * seconds) as u32;
    let mut out = Vec::with_capacity(44 + n as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + n).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes()); // bytes per second
    out.extend_from_slice(&1u16.to_le_bytes()); // block align
    out.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&n.to_le_bytes());
    for i in 0..n {
        let v = (i as f64 * hz * std::f64::consts::TAU / rate as f64).sin();
        out.push((128.0 + 60.0 * v) as u8);
    }
    out
}

async fn user(state: &AppState, id: i64) -> Result<CurrentUser, AppError> {
    app::accounts::repo::current_user(&state.db, id).await?.ok_or(AppError::NotFound)
}

async fn by_email(state: &AppState, email: &str) -> Result<CurrentUser, AppError> {
    let id = app::accounts::repo::id_by_email(&state.db, email).await?.ok_or(AppError::NotFound)?;
    user(state, id).await
}

/// Every open assignment of a stage scored by its judge: the entry's quality, the judge's
/// leniency and some noise, within the rubric.
async fn score_all(state: &AppState, competition_id: i64, stage: Stage, quality: &std::collections::BTreeMap<i64, f64>, rng: &mut impl Rng) -> Result<(), AppError> {
    for open in scores::unfinished_of_stage(&state.db, competition_id, stage).await? {
        let (id, judge_id, entry_id) = (open.id, open.judge_id, open.entry_id);
        let judge = user(state, judge_id).await?;
        let a = scoring::get(state, &judge, id).await?;
        let leniency = ((judge_id % 5) as f64 - 2.0) * 0.03;
        let q = quality.get(&entry_id).copied().unwrap_or(0.6);
        let criteria = a
            .rubric
            .iter()
            .map(|c| {
                let share = (q + leniency + rng.gen_range(-0.05..0.05)).clamp(0.2, 1.0);
                // Judges give whole or half points.
                let points = ((c.max as f64 * share * 2.0).round() / 2.0 * 100.0) as i64;
                (c.code.clone(), points)
            })
            .collect();
        scoring::save(state, &judge, id, ScoreInput { criteria, submit: true }).await?;
    }
    Ok(())
}

async fn close_stage(state: &AppState, organizer: &CurrentUser, competition_id: i64, stage: Stage) -> Result<(), AppError> {
    for p in panels::panels(state, competition_id).await?.into_iter().filter(|p| p.stage == stage && p.closed_at.is_none()) {
        panels::close_panel(state, organizer, p.id).await?;
    }
    Ok(())
}

/// Creates the demo edition unless it exists; returns its id and whether it was created.
pub async fn seed_demo_award(state: &AppState) -> Result<(i64, bool), AppError> {
    if let Some(id) = editions::id_by_title(&state.db, DEMO_AWARD).await? {
        return Ok((id, false));
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let organizer = by_email(state, "bantochuc@demo.haiphong.gov.vn").await?;
    let entrant = by_email(state, "thisinh@demo.haiphong.gov.vn").await?;
    let mut wards = app::units::repo::all(&state.db).await?;
    wards.retain(|u| matches!(u.kind.as_str(), "ward" | "commune" | "special_zone") && u.status == UnitStatus::Active);
    wards.sort_by(|a, b| a.code.cmp(&b.code));
    let wards: Vec<(i64, String)> = wards.into_iter().map(|u| (u.id, u.name)).collect();
    if wards.len() < 12 {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let now = app::vn_time::now_secs();
    let rubric = |a: &str, b: &str, c: &str| {
        vec![
            Criterion { code: "c1".into(), label: a.into(), max: 40 },
            Criterion { code: "c2".into(), label: b.into(), max: 30 },
            Criterion { code: "c3".into(), label: c.into(), max: 30 },
        ]
    };
    let plan = vec![
        PrizeTier { name: "Giải A".into(), count: 2 },
        PrizeTier { name: "Giải B".into(), count: 3 },
        PrizeTier { name: "Giải C".into(), count: 4 },
        PrizeTier { name: "Giải Khuyến khích".into(), count: 10 },
    ];
    let competition = app::awards::setup::create(
        state,
        &organizer,
        CompetitionInput {
            edition: 2026,
            title: DEMO_AWARD.into(),
            description: "Giải mẫu: tác phẩm phát thanh và báo in về cải cách hành chính của các xã, phường, đặc khu.".into(),
            genres: vec![Genre::Radio, Genre::Print],
            window_from: "2025-11-01".into(),
            window_to: "2026-10-31".into(),
            deadline: now + 86_400,
            max_entries_per_author: 3,
            max_file_mb: 500,
            required_fields: vec!["outlet".into(), "file".into()],
            prize_per_genre: false,
            prize_plan: plan,
            rubric_preliminary: rubric("Nội dung, tư tưởng", "Hình thức thể hiện", "Hiệu quả tuyên truyền"),
            rubric_final: rubric("Nội dung, tính phát hiện", "Nghệ thuật thể hiện", "Sức lan tỏa"),
            judges_per_entry: 3,
            aggregation: Aggregation::Trimmed,
            trim_each_side: 1,
            normalise: true,
            shortlist: ShortlistRule::Top(24),
            blind: true,
        },
    )
    .await?;
    let cid = competition.id;
    // Six more judges besides the demo judge. They come from outside the city's units (press
    // association, university), so the demo's participation figures stay as they were; the
    // conflict-of-interest rule is exercised by the tests.
    let mut judges = vec![by_email(state, "giamkhao@demo.haiphong.gov.vn").await?.id];
    let judge_names = ["Nguyễn Thị Thu Hà", "Đỗ Mạnh Hùng", "Vũ Thị Lan Anh", "Bùi Quang Vinh", "Hoàng Minh Châu", "Lương Đức Thắng"];
    for (i, name) in judge_names.iter().enumerate() {
        let password = format!("{}-{}", uuid::Uuid::new_v4().simple(), "giám-khảo");
        let email = format!("giamkhao{}@demo.haiphong.gov.vn", i + 1);
        let id = match app::accounts::repo::id_by_email(&state.db, &email).await? {
            Some(id) => id,
            None => app::accounts::service::create_staff_account(state, name, &email, password, &[(Role::Judge, None)]).await?,
        };
        judges.push(id);
    }
    let topics = [
        "Một cửa điện tử",
        "Dịch vụ công trực tuyến toàn trình",
        "Chính quyền hai cấp",
        "Chuyển đổi số ở khu dân cư",
        "Số hóa hồ sơ hộ tịch",
        "Thanh toán không dùng tiền mặt",
        "Tiếp công dân",
        "Căn cước và định danh điện tử",
        "Cải cách thủ tục đất đai",
        "Trả kết quả tại nhà",
        "Tổ công nghệ số cộng đồng",
        "Đánh giá sự hài lòng",
    ];
    let families = ["Trần", "Phạm", "Ngô", "Đặng", "Lê", "Phan", "Mai", "Trịnh", "Cao", "Hà", "Tô"];
    let givens = ["Thị Mai", "Văn Đức", "Thị Hồng", "Văn Long", "Thị Thanh Hương", "Quốc Tuấn", "Thị Ngọc"];
    let person = |n: usize| format!("{} {}", families[n % families.len()], givens[n % givens.len()]);
    let mut quality = std::collections::BTreeMap::new();
    for i in 0..30usize {
        let genre = if i % 3 == 2 { Genre::Print } else { Genre::Radio };
        let (unit_id, unit_name) = wards[(i * 5 + 1) % wards.len()].clone();
        let topic = topics[i % topics.len()];
        let title = match genre {
            Genre::Radio => format!("Phóng sự: {topic} ở {unit_name}"),
            _ => format!("Bài viết: {topic} — chuyện ở {unit_name}"),
        };
        // A few people write several works; the quota of 3 stops one of them (a draft stays).
        let lead = person(if i >= 26 { 3 } else { i });
        let co = person(i + 40);
        let input = EntryInput {
            genre,
            title: title.clone(),
            authors: if i % 2 == 0 {
                vec![Author { full_name: lead.clone(), share_percent: 100 }]
            } else {
                vec![Author { full_name: lead.clone(), share_percent: 60 }, Author { full_name: co.clone(), share_percent: 40 }]
            },
            unit_id: Some(unit_id),
            outlet: if genre == Genre::Radio { format!("Đài truyền thanh {unit_name}") } else { "Báo Hải Phòng".into() },
            published_on: format!("2026-{:02}-{:02}", 1 + i % 9, 1 + (i * 7) % 27),
            duration_secs: (genre == Genre::Radio).then_some(240 + (i as i64 * 37) % 420),
            script: format!(
                "{title}.\n\nPhát thanh viên: Thưa quý thính giả, {topic} đang giúp người dân {unit_name} giải quyết thủ tục hành chính nhanh hơn, ít giấy tờ hơn.\n\nPhỏng vấn người dân: Trước đây tôi phải đi lại nhiều lần; nay chỉ cần nộp hồ sơ trực tuyến và nhận kết quả đúng hẹn."
            ),
        };
        let entry = entries::create(state, &entrant, cid, input).await?;
        match genre {
            Genre::Radio => files::attach(state, &entrant, entry.id, "phong-su.wav", tone_wav(330.0 + i as f64 * 20.0, 1.0)).await?,
            _ => {
                files::attach(state, &entrant, entry.id, "bai-bao.pdf", app::awards::document_views::article_pdf(&title, &entry.input.script).map_err(AppError::internal)?).await?
            }
        };
        // The per-author quota (3) is part of the demo: a busy author's fourth entry is refused
        // and stays a draft.
        if entries::submit(state, &entrant, entry.id).await.is_ok() {
            quality.insert(entry.id, rng.gen_range(0.55..0.95));
        }
    }
    entries::close_call(state, &organizer, cid).await?;
    for stage in [Stage::Preliminary, Stage::Final] {
        let members: Vec<i64> = match stage {
            Stage::Preliminary => judges[..5].to_vec(),
            Stage::Final => vec![judges[0], judges[3], judges[4], judges[5], judges[6]],
        };
        for genre in [Genre::Radio, Genre::Print] {
            panels::set_judges(state, &organizer, cid, stage, genre, members.clone()).await?;
        }
        panels::auto_assign(state, &organizer, cid, stage).await?;
        if stage == Stage::Preliminary {
            // One judge steps back from an entry and the gap is filled.
            let first = scores::first_of_competition(&state.db, cid).await?.ok_or(AppError::NotFound)?;
            panels::recuse(state, &user(state, first.judge_id).await?, first.id, "Tác giả là người thân trong gia đình").await?;
            panels::auto_assign(state, &organizer, cid, stage).await?;
        }
        score_all(state, cid, stage, &quality, &mut rng).await?;
        close_stage(state, &organizer, cid, stage).await?;
        if stage == Stage::Preliminary {
            results::shortlist(state, &organizer, cid).await?;
        }
    }
    // The council gives 3 A and 2 B instead of the planned 2 A and 3 B, and moves one entry.
    let counts = vec![
        PrizeTier { name: "Giải A".into(), count: 3 },
        PrizeTier { name: "Giải B".into(), count: 2 },
        PrizeTier { name: "Giải C".into(), count: 4 },
        PrizeTier { name: "Giải Khuyến khích".into(), count: 10 },
    ];
    let alloc = results::decide(
        state,
        &organizer,
        cid,
        Override::TierCounts {
            pool: "all".into(), counts, reason: "Ba tác phẩm dẫn đầu có chất lượng tương đương, Hội đồng thống nhất trao 3 giải A và 2 giải B".into()
        },
    )
    .await?;
    if let Some(row) = alloc.pools[0].rows.iter().find(|r| r.decided.is_none()) {
        results::decide(
            state,
            &organizer,
            cid,
            Override::Move { entry_id: row.entry_id, tier: "Giải Khuyến khích".into(), reason: "Đề tài mới, có tính phát hiện ở cơ sở".into() },
        )
        .await?;
    }
    // Should the scores tie at a cut-off, the council says so in its minutes: it accepts the
    // counts the tie gives rather than letting publication change them silently.
    let alloc = results::allocation(state, &organizer, cid).await?;
    for pool in alloc.open_ties() {
        results::decide(
            state,
            &organizer,
            cid,
            Override::AcceptTie {
                pool: pool.to_string(), reason: "Các tác phẩm đồng điểm có chất lượng ngang nhau, Hội đồng thống nhất cùng trao giải cao hơn".into()
            },
        )
        .await?;
    }
    results::set_published(state, &organizer, cid, true).await?;
    Ok((cid, true))
}

/// Creates the open demo edition unless it exists; returns its id and whether it was created.
pub async fn seed_open_award(state: &AppState) -> Result<(i64, bool), AppError> {
    if let Some(id) = editions::id_by_title(&state.db, DEMO_OPEN_AWARD).await? {
        return Ok((id, false));
    }
    let organizer = by_email(state, "bantochuc@demo.haiphong.gov.vn").await?;
    let now = app::vn_time::now_secs();
    let today = app::vn_time::day_of_ms(now * 1000);
    let rubric = vec![
        Criterion { code: "c1".into(), label: "Nội dung".into(), max: 50 },
        Criterion { code: "c2".into(), label: "Hình thức".into(), max: 30 },
        Criterion { code: "c3".into(), label: "Hiệu quả tuyên truyền".into(), max: 20 },
    ];
    let competition = app::awards::setup::create(
        state,
        &organizer,
        CompetitionInput {
            edition: app::vn_time::civil_from_days(today).0,
            title: DEMO_OPEN_AWARD.into(),
            description: "Giải mẫu đang mở: hãy thử gửi một tác phẩm (bản nháp, tệp đính kèm, nộp bài).".into(),
            genres: vec![Genre::Radio, Genre::Online, Genre::Photo],
            window_from: app::vn_time::day_iso(today - 365),
            window_to: app::vn_time::day_iso(today + 30),
            deadline: now + 30 * 86_400,
            max_entries_per_author: 3,
            max_file_mb: 200,
            required_fields: vec!["outlet".into(), "file".into()],
            prize_per_genre: false,
            prize_plan: vec![PrizeTier { name: "Giải A".into(), count: 1 }, PrizeTier { name: "Giải B".into(), count: 2 }, PrizeTier { name: "Giải C".into(), count: 3 }],
            rubric_preliminary: rubric.clone(),
            rubric_final: rubric,
            judges_per_entry: 3,
            aggregation: Aggregation::Mean,
            trim_each_side: 0,
            normalise: false,
            shortlist: ShortlistRule::Top(10),
            blind: true,
        },
    )
    .await?;
    Ok((competition.id, true))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_generated_audio_is_a_wav_file() {
        let wav = super::tone_wav(440.0, 1.0);
        assert_eq!(wav.len(), 44 + 8000);
        let d = app::awards::file_types::declared("a.wav").unwrap();
        assert!(app::awards::file_types::content_matches(&d, &wav[..wav.len().min(4096)]));
    }
}
