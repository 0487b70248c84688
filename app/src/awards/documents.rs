//! The edition's documents in Vietnamese: the minutes (biên bản) of the final council meeting
//! with scores and decisions, and one certificate (giấy chứng nhận) per winner. [`minutes`] and
//! [`certificates`] load what they need and render it off the async threads (`state.reports`).

use super::model::*;
use super::repo::{entries, panels as panel_rows};
use super::setup::pool_name;
use super::{panels, results};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::pdf::{MARGIN, Op, Pdf};
use crate::vn_time::show_secs;

/// Biên bản: organizers, once the final has closed.
pub async fn minutes(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Vec<u8>, AppError> {
    crate::policy::organizer(actor)?;
    let edition = results::Edition::load(state, competition_id).await?;
    let c = &edition.competition;
    if !matches!(c.phase, Phase::Council | Phase::Published) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let final_results = results::compute_stage(state, &edition, Stage::Final).await?;
    let allocation = results::compute_allocation(state, &edition, &final_results).await?;
    let judges = panel_rows::final_judge_names(&state.db, c.id).await?;
    let recusals = panels::recusals(state, c.id).await?;
    let at = crate::vn_time::now_secs();
    state
        .reports
        .render(move || {
            let data = MinutesData { competition: &edition.competition, entries: &edition.entries, judges, allocation: &allocation, final_results: &final_results, recusals: &recusals, at };
            minutes_pdf(&data)
        })
        .await?
        .ok_or_else(|| AppError::internal("minutes PDF could not be written"))
}

/// Giấy chứng nhận of one winner (`entry_id`) or of all winners: public once published.
pub async fn certificates(state: &AppState, competition_id: i64, entry_id: Option<i64>) -> Result<Vec<u8>, AppError> {
    let edition = results::Edition::load(state, competition_id).await?;
    let published = results::winners(state, &edition).await?;
    let winners: Vec<Winner> = published.winners.into_iter().filter(|w| entry_id.is_none_or(|id| w.entry_id == id)).collect();
    if winners.is_empty() {
        return Err(AppError::NotFound);
    }
    let competition = edition.competition;
    state
        .reports
        .render(move || {
            let data: Vec<CertificateData> = winners.iter().map(|winner| CertificateData { competition: &competition, winner }).collect();
            certificates_pdf(&data)
        })
        .await?
        .ok_or_else(|| AppError::internal("certificate PDF could not be written"))
}

/// The certificate of one entry, found through its edition.
pub async fn certificate(state: &AppState, entry_id: i64) -> Result<Vec<u8>, AppError> {
    let competition = entries::competition_of(&state.db, entry_id).await?.ok_or(AppError::NotFound)?;
    certificates(state, competition, Some(entry_id)).await
}

/// Everything the minutes record.
pub struct MinutesData<'a> {
    pub competition: &'a Competition,
    pub entries: &'a [Entry],
    pub judges: Vec<String>,
    pub allocation: &'a Allocation,
    pub final_results: &'a StageResults,
    pub recusals: &'a [Recusal],
    pub at: i64,
}

fn state_header(pdf: &mut Pdf) {
    pdf.centered(11.0, true, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    pdf.y += 16.0;
    pdf.centered(11.0, true, "Độc lập - Tự do - Hạnh phúc");
    pdf.y += 28.0;
}

pub fn minutes_pdf(d: &MinutesData) -> Option<Vec<u8>> {
    let c = &d.competition.settings;
    let mut pdf = Pdf::portrait()?;
    state_header(&mut pdf);
    pdf.centered(15.0, true, "BIÊN BẢN HỌP HỘI ĐỒNG CHUNG KHẢO");
    pdf.y += 20.0;
    pdf.centered(11.0, false, &format!("{} — năm {}", c.title, c.edition));
    pdf.y += 24.0;
    pdf.paragraph(10.0, &format!("Hôm nay, {}, Hội đồng chung khảo họp xét kết quả chấm và quyết định trao giải.", show_secs(d.at)), 95);

    pdf.heading("1. Thành phần Hội đồng chung khảo");
    for (i, j) in d.judges.iter().enumerate() {
        pdf.row(&[format!("{}. {j}", i + 1)], &[500.0], false);
    }
    let count = |s: EntryStatus| d.entries.iter().filter(|e| e.status == s).count();
    pdf.heading("2. Tác phẩm dự thi");
    let finalists = d.entries.iter().filter(|e| e.finalist).count();
    for (label, value) in [
        ("Tác phẩm đủ điều kiện", count(EntryStatus::Eligible)),
        ("Tác phẩm không đủ điều kiện", count(EntryStatus::Ineligible)),
        ("Tác phẩm rút khỏi giải", count(EntryStatus::Withdrawn)),
        ("Tác phẩm vào chung khảo", finalists),
    ] {
        pdf.row(&[label.to_string(), value.to_string()], &[300.0, 100.0], false);
    }
    for e in d.entries.iter().filter(|e| e.status == EntryStatus::Ineligible) {
        pdf.row(&[format!("{} — {}", entry_code(e.id), e.input.title), format!("Lý do: {}", e.status_reason)], &[260.0, 255.0], false);
    }

    pdf.heading("3. Kết quả chấm chung khảo và giải thưởng");
    let widths = [48.0, 170.0, 32.0, 50.0, 50.0, 32.0, 65.0, 68.0];
    for pool in &d.allocation.pools {
        pdf.row(&[format!("Nhóm giải: {}", pool_name(&pool.pool))], &[500.0], true);
        pdf.row(&["Mã", "Tác phẩm", "Số GK", "Điểm TB", "Điểm xét", "Hạng", "Đề xuất", "Quyết định"].map(String::from), &widths, true);
        for r in &pool.rows {
            let stage_row = d.final_results.pools.iter().flat_map(|p| &p.rows).find(|s| s.entry_id == r.entry_id);
            let rank = r.rank.map(|k| if r.tied { format!("{k}=") } else { k.to_string() }).unwrap_or_default();
            pdf.row(
                &[
                    entry_code(r.entry_id),
                    r.title.clone(),
                    stage_row.map(|s| s.judge_count.to_string()).unwrap_or_default(),
                    points_vi(stage_row.and_then(|s| s.mean_score)),
                    points_vi(r.final_score),
                    rank,
                    r.proposed.clone().unwrap_or_default(),
                    r.decided.clone().unwrap_or_default(),
                ],
                &widths,
                false,
            );
        }
        if let Some(tie) = &pool.tie {
            let counts = |c: &[crate::prizes::PrizeTier]| c.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ");
            let outcome = match (&tie.accepted, tie.resolved) {
                (_, true) => "Hội đồng đã xếp lại các tác phẩm đồng điểm theo cơ cấu giải.".to_string(),
                (Some(reason), false) => format!("Hội đồng chấp nhận cơ cấu giải thực tế {}. Lý do: {reason}.", counts(&tie.resulting)),
                (None, false) => "Hội đồng chưa quyết định.".to_string(),
            };
            pdf.paragraph(
                9.0,
                &format!(
                    "Đồng điểm tại ngưỡng giải {} (tác phẩm {}): cơ cấu áp dụng {}, các tác phẩm đồng điểm cùng nhận giải cao hơn nên kết quả là {}. {outcome}",
                    tie.tiers.join(", "),
                    tie.entry_ids.iter().map(|id| entry_code(*id)).collect::<Vec<_>>().join(", "),
                    counts(&tie.planned),
                    counts(&tie.resulting)
                ),
                100,
            );
        }
        let planned = pool.planned.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ");
        let decided = pool.counts.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ");
        pdf.paragraph(9.0, &format!("Cơ cấu giải theo kế hoạch: {planned}. Cơ cấu giải Hội đồng áp dụng: {decided}."), 100);
    }

    pdf.heading("4. Quyết định điều chỉnh của Hội đồng");
    if d.allocation.decisions.is_empty() {
        pdf.paragraph(10.0, "Hội đồng thống nhất giữ nguyên đề xuất phân bổ giải theo kết quả chấm.", 95);
    }
    for (i, dec) in d.allocation.decisions.iter().enumerate() {
        let what = match dec.kind {
            DecisionKind::TierCounts => format!(
                "Điều chỉnh cơ cấu giải ({}): {}",
                pool_name(&dec.pool),
                dec.counts.clone().unwrap_or_default().iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ")
            ),
            DecisionKind::Move => format!(
                "Tác phẩm {}: {}",
                dec.entry_id.map(entry_code).unwrap_or_default(),
                dec.tier.clone().filter(|t| !t.is_empty()).map(|t| format!("xếp {t}")).unwrap_or_else(|| "không trao giải".into())
            ),
            DecisionKind::AcceptTie => format!("Chấp nhận kết quả đồng điểm tại ngưỡng giải ({})", pool_name(&dec.pool)),
        };
        pdf.paragraph(10.0, &format!("{}. {what}. Lý do: {} ({}, {}).", i + 1, dec.reason, dec.decided_by, show_secs(dec.decided_at)), 95);
    }
    if !d.recusals.is_empty() {
        pdf.heading("5. Giám khảo từ chối chấm");
        for r in d.recusals {
            pdf.paragraph(10.0, &format!("{} — {} ({}): {}", r.judge_name, entry_code(r.entry_id), r.stage.name_vi(), r.reason), 95);
        }
    }
    pdf.ensure(110.0);
    pdf.y += 30.0;
    let y = pdf.y;
    pdf.push(Op::Text { x: MARGIN + 40.0, y, size: 11.0, bold: true, text: "THƯ KÝ HỘI ĐỒNG".into() });
    pdf.push(Op::Text { x: pdf.width() - MARGIN - 190.0, y, size: 11.0, bold: true, text: "CHỦ TỊCH HỘI ĐỒNG".into() });
    pdf.finish()
}

/// One certificate per winner, one landscape page each.
pub struct CertificateData<'a> {
    pub competition: &'a Competition,
    pub winner: &'a Winner,
}

fn certificate_page(pdf: &mut Pdf, d: &CertificateData) {
    let (w, h) = (pdf.width(), pdf.height());
    let frame = |inset: f32| vec![(inset, inset), (w - inset, inset), (w - inset, h - inset), (inset, h - inset), (inset, inset)];
    pdf.push(Op::Line { points: frame(24.0), rgb: (155, 28, 28), width: 3.0 });
    pdf.push(Op::Line { points: frame(32.0), rgb: (191, 144, 0), width: 1.0 });
    pdf.y = 60.0;
    state_header(pdf);
    pdf.centered(12.0, true, &format!("BAN TỔ CHỨC {}", d.competition.settings.title.to_uppercase()));
    pdf.y += 40.0;
    pdf.centered(30.0, true, "GIẤY CHỨNG NHẬN");
    pdf.y += 50.0;
    let authors = d.winner.authors.iter().map(|a| a.full_name.clone()).collect::<Vec<_>>().join(", ");
    pdf.centered(12.0, false, "Chứng nhận tác giả, nhóm tác giả");
    pdf.y += 22.0;
    pdf.centered(18.0, true, &authors);
    pdf.y += 30.0;
    if let Some(unit) = &d.winner.unit_name {
        pdf.centered(12.0, false, &format!("Đơn vị: {unit}"));
        pdf.y += 22.0;
    }
    pdf.centered(12.0, false, &format!("Tác phẩm: “{}” — thể loại {}", d.winner.title, d.winner.genre.name_vi().to_lowercase()));
    pdf.y += 30.0;
    pdf.centered(20.0, true, &format!("Đạt {}", d.winner.prize));
    pdf.y += 40.0;
    let (date, _) = show_secs(d.competition.published_at.unwrap_or(d.competition.created_at)).split_once(' ').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default();
    let parts: Vec<&str> = date.split('/').collect();
    let when = match parts.as_slice() {
        [dd, mm, yyyy] => format!("Hải Phòng, ngày {dd} tháng {mm} năm {yyyy}"),
        _ => "Hải Phòng".into(),
    };
    let y = pdf.y;
    pdf.push(Op::Text { x: w - 330.0, y, size: 11.0, bold: false, text: when });
    pdf.push(Op::Text { x: w - 300.0, y: y + 20.0, size: 11.0, bold: true, text: "TRƯỞNG BAN TỔ CHỨC".into() });
    pdf.push(Op::Text { x: 70.0, y: h - 50.0, size: 8.0, bold: false, text: format!("Số: {}/{}/GCN", entry_code(d.winner.entry_id), d.competition.settings.edition) });
}

pub fn certificates_pdf(certificates: &[CertificateData]) -> Option<Vec<u8>> {
    let mut pdf = Pdf::landscape()?.without_page_numbers();
    for (i, d) in certificates.iter().enumerate() {
        if i > 0 {
            pdf.new_page();
        }
        certificate_page(&mut pdf, d);
    }
    pdf.finish()
}
