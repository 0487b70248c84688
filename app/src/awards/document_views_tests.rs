use super::*;
use crate::prizes::PrizeTier;

const LONG_TITLE: &str = "Giải báo chí và tuyên truyền cải cách hành chính trên hệ thống phát thanh cơ sở thành phố Hải Phòng";
const ODD_AUTHOR: &str = "Trần #Thị *Mai* $x$ [a] \\ @b <c>";

fn competition() -> Competition {
    let rubric = vec![Criterion { code: "c1".into(), label: "Nội dung".into(), max: 100 }];
    Competition {
        id: 1,
        settings: CompetitionInput {
            edition: 2026,
            title: LONG_TITLE.into(),
            description: String::new(),
            genres: vec![Genre::Radio],
            window_from: "2025-11-01".into(),
            window_to: "2026-10-31".into(),
            deadline: 1_780_000_000,
            max_entries_per_author: 3,
            max_file_mb: 10,
            required_fields: vec![],
            prize_per_genre: false,
            prize_plan: vec![PrizeTier { name: "Giải Khuyến khích".into(), count: 30 }],
            rubric_preliminary: rubric.clone(),
            rubric_final: rubric,
            judges_per_entry: 3,
            aggregation: Aggregation::Mean,
            trim_each_side: 0,
            normalise: false,
            shortlist: ShortlistRule::Top(30),
            blind: true,
        },
        phase: Phase::Published,
        call_closed_at: None,
        published_at: Some(1_780_000_000),
        entries_submitted: 30,
        created_at: 1_770_000_000,
    }
}

fn winner(i: i64) -> Winner {
    Winner {
        entry_id: i,
        prize: if i == 1 { "Giải A".into() } else { "Giải Khuyến khích".into() },
        title: format!("Phóng sự: Chuyển đổi số ở khu dân cư, chuyện ở phường Nguyễn Thị Minh Khai, kỳ {i}"),
        genre: Genre::Radio,
        authors: vec![Author { full_name: ODD_AUTHOR.into(), share_percent: 50 }, Author { full_name: "Nguyễn Hoàng Thị Thanh Hương".into(), share_percent: 50 }],
        unit_name: Some("Ủy ban nhân dân phường Nguyễn Thị Minh Khai".into()),
        outlet: "Đài truyền thanh".into(),
    }
}

#[test]
fn each_certificate_is_one_page_with_every_line_whole() {
    let c = competition();
    let winners: Vec<Winner> = (1..=3).map(winner).collect();
    let data: Vec<CertificateData> = winners.iter().map(|winner| CertificateData { competition: &c, winner }).collect();
    let started = std::time::Instant::now();
    let view: Vec<CertificateView> = data.iter().map(certificate_view).collect();
    #[derive(Serialize)]
    struct View {
        certificates: Vec<CertificateView>,
    }
    let document = typeset::layout(CERTIFICATES, &View { certificates: view }).unwrap();
    eprintln!("3 certificates laid out in {:?}", started.elapsed());
    typeset::keep_for_a_look("certificates", &document);
    assert_eq!(document.pages().len(), 3, "one page each");
    let page = &typeset::page_texts(&document)[1];
    for expected in ["GIẤY CHỨNG NHẬN", "Chứng nhận nhóm tác giả", ODD_AUTHOR, "Đạt Giải Khuyến khích", "Số: TP-0002/2026/GCN", "TRƯỞNG BAN"] {
        assert!(page.contains(expected), "{expected:?} in {page:?}");
    }
}

#[test]
fn the_minutes_print_every_row_and_the_signatures() {
    let c = competition();
    let row = |i: i64| AllocationRow {
        entry_id: i,
        title: format!("Phóng sự: Dịch vụ công trực tuyến toàn trình ở xã đảo Bạch Long Vĩ, kỳ {i}"),
        genre: Genre::Radio,
        authors: vec![],
        unit_name: None,
        final_score: Some(90.0 - i as f64),
        rank: Some(i),
        tied: false,
        proposed: Some("Giải Khuyến khích".into()),
        decided: Some("Giải Khuyến khích".into()),
        reason: None,
    };
    let allocation = Allocation {
        competition_id: 1,
        pools: vec![PoolAllocation {
            pool: "all".into(),
            planned: c.settings.prize_plan.clone(),
            counts: c.settings.prize_plan.clone(),
            counts_reason: None,
            ties_at_cutoff: vec![],
            tie: None,
            rows: (1..=60).map(row).collect(),
        }],
        decisions: vec![],
    };
    let final_results = StageResults { stage: Stage::Final, complete: true, pools: vec![] };
    let data = MinutesData {
        competition: &c,
        entries: &[],
        judges: vec![ODD_AUTHOR.into(), "Đỗ Mạnh Hùng".into()],
        allocation: &allocation,
        final_results: &final_results,
        recusals: &[],
        at: 1_780_000_000,
    };
    let started = std::time::Instant::now();
    let document = typeset::layout(MINUTES, &minutes_view(&data)).unwrap();
    eprintln!("minutes with 60 rows: {} pages laid out in {:?}", document.pages().len(), started.elapsed());
    typeset::keep_for_a_look("minutes", &document);
    assert!(document.pages().len() >= 2, "60 rows run over pages");
    assert!(document.pages().len() <= 5, "60 rows take {} pages", document.pages().len());
    let pages = typeset::page_texts(&document);
    let text = pages.join(" ");
    assert_eq!(text.matches("Giải Khuyến khích").count(), 62, "60 rows, and the plan and the counts applied");
    assert!(text.contains(ODD_AUTHOR) && text.contains("BIÊN BẢN") && text.contains("Số:"));
    // The header row repeats on every page the table runs over.
    let table_pages = pages.iter().filter(|p| p.contains("TP-00")).count();
    assert_eq!(pages.iter().filter(|p| p.contains("Điểm xét")).count(), table_pages.max(1));
    assert!(pages.last().unwrap().contains("CHỦ TỊCH HỘI ĐỒNG"));
}

#[test]
fn the_prize_cell_shows_the_decision_and_a_different_proposal() {
    for ((proposed, decided), expected) in [
        ((Some("Giải A"), Some("Giải A")), "Giải A"),
        ((Some("Giải B"), Some("Giải C")), "Giải C\n(đề xuất: Giải B)"),
        ((Some("Giải Khuyến khích"), None), "Không trao giải\n(đề xuất: Giải Khuyến khích)"),
        ((None, Some("Giải Khuyến khích")), "Giải Khuyến khích\n(đề xuất: không)"),
        ((None, None), ""),
    ] {
        assert_eq!(prize_cell(proposed, decided), expected);
    }
}

#[test]
fn the_meeting_time_reads_hour_then_day() {
    assert_eq!(time_and_day(0), "07:00 ngày 01/01/1970");
}

#[test]
fn articles_are_written_as_pdf() {
    assert!(article_pdf("Bài viết: Một cửa điện tử", "Đoạn một.\n\nĐoạn hai.").unwrap().starts_with(b"%PDF-"));
}
