//! The demo's contest for citizens: a few questions of the public pool (what a resident needs to
//! know about public services, not the civil servants' regulations) and a public round, open
//! now, so a newcomer can sign up as a citizen on a phone and take it. It is a contest of its
//! own: its results, prizes and statistics stay apart from the civil servants' contest.

use app::error::AppError;
use app::infra::state::AppState;
use app::quiz::model::{Audience, QuestionInput, QuestionKind};
use app::rounds::model::*;

pub const PUBLIC_CONTEST: &str = "Cuộc thi tìm hiểu cải cách hành chính dành cho người dân năm 2026";
pub const PUBLIC_ROUND: &str = "Đợt thi dành cho người dân";

/// (topic, kind, text, options, correct, explanation)
const QUESTIONS: &[(&str, QuestionKind, &str, &[&str], &[usize], &str)] = &[
    ("Dịch vụ công trực tuyến", QuestionKind::Single, "Người dân nộp hồ sơ thủ tục hành chính trực tuyến trên cổng nào?",
        &["Cổng Dịch vụ công quốc gia", "Mạng xã hội", "Thư điện tử cá nhân của cán bộ", "Không nộp trực tuyến được"], &[0], "Cổng Dịch vụ công quốc gia (dichvucong.gov.vn) và Hệ thống thông tin giải quyết thủ tục hành chính của thành phố."),
    ("Dịch vụ công trực tuyến", QuestionKind::TrueFalse, "Tài khoản định danh điện tử VNeID mức 2 dùng được để đăng nhập Cổng Dịch vụ công quốc gia.",
        &["Đúng", "Sai"], &[0], "Tài khoản VNeID mức 2 đăng nhập được Cổng Dịch vụ công quốc gia."),
    ("Bộ phận Một cửa", QuestionKind::Single, "Người dân nộp hồ sơ trực tiếp ở đâu tại xã, phường, đặc khu?",
        &["Bộ phận Một cửa (Trung tâm phục vụ hành chính công)", "Nhà văn hóa thôn, tổ dân phố", "Trụ sở công an", "Bất kỳ phòng làm việc nào"], &[0], "Hồ sơ được tiếp nhận và trả kết quả tại Bộ phận Một cửa."),
    ("Bộ phận Một cửa", QuestionKind::TrueFalse, "Người dân có quyền phản ánh, kiến nghị khi cán bộ gây phiền hà trong giải quyết thủ tục hành chính.",
        &["Đúng", "Sai"], &[0], "Phản ánh, kiến nghị được tiếp nhận qua đường dây nóng, Cổng Dịch vụ công và hòm thư góp ý."),
    ("Chính quyền số", QuestionKind::Multiple, "Những giấy tờ nào có thể được tích hợp trên ứng dụng VNeID?",
        &["Giấy phép lái xe", "Thẻ bảo hiểm y tế", "Sổ đỏ bản gốc", "Thông tin đăng ký xe"], &[0, 1, 3], "Giấy phép lái xe, thẻ BHYT và đăng ký xe được tích hợp trên VNeID."),
    ("Chính quyền số", QuestionKind::Single, "Sau sắp xếp đơn vị hành chính năm 2025, thành phố Hải Phòng có bao nhiêu xã, phường, đặc khu?",
        &["114", "217", "56", "100"], &[0], "Hải Phòng có 114 đơn vị hành chính cấp xã (xã, phường, đặc khu)."),
];

/// Adds the public pool's demo questions (when it is empty) and the citizens' contest with its
/// open round, unless it exists. Returns the round's id and whether it was created now.
pub async fn seed_public_round(state: &AppState) -> Result<(i64, bool), AppError> {
    use app::rounds::repo::contests;
    if let Some(id) = contests::id_by_title(&state.db, PUBLIC_CONTEST).await? {
        let ids = app::rounds::repo::rounds::ids_of_contest(&state.db, id).await?;
        return ids.first().map(|r| (*r, false)).ok_or(AppError::NotFound);
    }
    let organizer_id = app::accounts::repo::id_by_email(&state.db, crate::seed::DEMO_ORGANIZER_EMAIL).await?.ok_or(AppError::NotFound)?;
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await?.ok_or(AppError::NotFound)?;
    let contest = app::rounds::setup::create_contest(
        state,
        &organizer,
        ContestInput { title: PUBLIC_CONTEST.into(), year: 2026, description: "Người dân tìm hiểu dịch vụ công, Bộ phận Một cửa và chính quyền số.".into(), tie_breaks: default_tie_breaks(), name_display: NameDisplay::Masked },
        Visibility::Public,
    )
    .await?;
    if app::rounds::setup::pool(state, Audience::Public).await?.is_empty() {
        for (topic, kind, text, options, correct, explanation) in QUESTIONS {
            let input = QuestionInput {
                topic: topic.to_string(),
                difficulty: "easy".into(),
                audience: Audience::Public,
                kind: *kind,
                text: text.to_string(),
                options: options.iter().map(|o| o.to_string()).collect(),
                correct: correct.to_vec(),
                explanation: explanation.to_string(),
                partial_credit: false,
            };
            app::quiz::bank::create(state, &organizer, input).await?;
        }
    }
    let questions = app::rounds::setup::pool(state, Audience::Public).await?.len() as i64;
    let now = app::vn_time::now_secs();
    let settings = RoundInput {
        title: PUBLIC_ROUND.into(),
        opens_at: now - 3600,
        // Closes before the demo's open staff round, which stays first in the lists.
        closes_at: now + 6 * 86_400,
        audience: Audience::Public,
        draw_rules: vec![DrawRule { count: questions, topic: String::new(), difficulty: String::new() }],
        shuffle_questions: true,
        shuffle_options: false,
        time_limit_secs: 15 * 60,
        max_attempts: 2,
        counting: Counting::Best,
        grace_secs: 5 * 60,
        review_after_submit: ReviewLevel::Full,
        review_after_close: ReviewLevel::Full,
        prediction_question: "Đợt thi này có bao nhiêu lượt dự thi?".into(),
        prediction_metric: PredictionMetric::Entries,
        prizes: vec![app::prizes::PrizeTier { name: "Giải Nhất".into(), count: 1 }, app::prizes::PrizeTier { name: "Giải Khuyến khích".into(), count: 5 }],
    };
    let round = app::rounds::setup::create_round(state, &organizer, contest.id, settings, Visibility::Public).await?;
    Ok((round.id, true))
}
