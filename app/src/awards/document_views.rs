//! What the award documents print, put together from the edition's data for the Typst
//! templates (`minutes.typ`, `certificates.typ`, `article.typ`). Every figure is formatted
//! here, the Vietnamese way (decimal comma, dates day first); the templates only lay out.

use super::model::*;
use super::setup::pool_name;
use crate::typeset::admin::{self, Header, Signer};
use crate::typeset::{self, Template, TypesetError};
use crate::vn_time::show_secs;
use serde::Serialize;

const MINUTES: Template = Template { name: "minutes", source: include_str!("minutes.typ") };
const CERTIFICATES: Template = Template { name: "certificates", source: include_str!("certificates.typ") };
const ARTICLE: Template = Template { name: "article", source: include_str!("article.typ") };

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

#[derive(Serialize)]
struct PoolView {
    name: String,
    rows: Vec<Vec<String>>,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct MinutesView {
    header: Header,
    summary: String,
    opening: String,
    judges: Vec<String>,
    counts: Vec<Vec<String>>,
    ineligible: Vec<Vec<String>>,
    pools: Vec<PoolView>,
    decisions: Vec<String>,
    recusals: Vec<String>,
    closing: String,
    secretary: Signer,
    chair: Signer,
}

fn tiers(t: &[crate::prizes::PrizeTier]) -> String {
    t.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ")
}

/// `21:40 ngày 06/12/2026`.
fn time_and_day(secs: i64) -> String {
    let shown = show_secs(secs);
    match shown.split_once(' ') {
        Some((day, time)) => format!("{time} ngày {day}"),
        None => shown,
    }
}

fn pool_view(d: &MinutesData, pool: &PoolAllocation) -> PoolView {
    let rows = pool
        .rows
        .iter()
        .map(|r| {
            let stage_row = d.final_results.pools.iter().flat_map(|p| &p.rows).find(|s| s.entry_id == r.entry_id);
            vec![
                entry_code(r.entry_id),
                r.title.clone(),
                stage_row.map(|s| s.judge_count.to_string()).unwrap_or_default(),
                points_vi(stage_row.and_then(|s| s.mean_score)),
                points_vi(r.final_score),
                r.rank.map(|k| if r.tied { format!("{k}=") } else { k.to_string() }).unwrap_or_default(),
                prize_cell(r.proposed.as_deref(), r.decided.as_deref()),
            ]
        })
        .collect();
    let mut notes = Vec::new();
    // A tie at a prize cut-off: what the plan said, what the tie gives, and what the council
    // did about it (the minutes record the decision, not only the numbers).
    if let Some(tie) = &pool.tie {
        let outcome = match (&tie.accepted, tie.resolved) {
            (_, true) => "Hội đồng đã xếp lại các tác phẩm đồng điểm theo cơ cấu giải.".to_string(),
            (Some(reason), false) => format!("Hội đồng chấp nhận cơ cấu giải thực tế {}. Lý do: {reason}.", tiers(&tie.resulting)),
            (None, false) => "Hội đồng chưa quyết định.".to_string(),
        };
        notes.push(format!(
            "Đồng điểm tại ngưỡng giải {} (tác phẩm {}): cơ cấu áp dụng {}, các tác phẩm đồng điểm cùng nhận giải cao hơn nên kết quả là {}. {outcome}",
            tie.tiers.join(", "),
            tie.entry_ids.iter().map(|id| entry_code(*id)).collect::<Vec<_>>().join(", "),
            tiers(&tie.planned),
            tiers(&tie.resulting)
        ));
    }
    notes.push(format!("Cơ cấu giải theo kế hoạch: {}. Cơ cấu giải Hội đồng áp dụng: {}.", tiers(&pool.planned), tiers(&pool.counts)));
    PoolView { name: pool_name(&pool.pool), rows, notes }
}

/// The prize the council decided, and what the scores proposed when it differs: one column,
/// so the work's title keeps the width it needs.
pub fn prize_cell(proposed: Option<&str>, decided: Option<&str>) -> String {
    let (proposed, decided) = (proposed.unwrap_or(""), decided.unwrap_or(""));
    match (proposed, decided) {
        (p, d) if p == d => d.to_string(),
        ("", "") => String::new(),
        ("", d) => format!("{d}\n(đề xuất: không)"),
        (p, "") => format!("Không trao giải\n(đề xuất: {p})"),
        (p, d) => format!("{d}\n(đề xuất: {p})"),
    }
}

fn decision_text(dec: &Decision) -> String {
    let what = match dec.kind {
        DecisionKind::TierCounts => format!("Điều chỉnh cơ cấu giải ({}): {}", pool_name(&dec.pool), tiers(&dec.counts.clone().unwrap_or_default())),
        DecisionKind::Move => format!(
            "Tác phẩm {}: {}",
            dec.entry_id.map(entry_code).unwrap_or_default(),
            dec.tier.clone().filter(|t| !t.is_empty()).map(|t| format!("xếp {t}")).unwrap_or_else(|| "không trao giải".into())
        ),
        DecisionKind::AcceptTie => format!("Chấp nhận kết quả đồng điểm tại ngưỡng giải ({})", pool_name(&dec.pool)),
    };
    format!("{what}. Lý do: {} ({}, {}).", dec.reason, dec.decided_by, show_secs(dec.decided_at))
}

fn minutes_view(d: &MinutesData) -> MinutesView {
    let c = &d.competition.settings;
    let count = |s: EntryStatus| d.entries.iter().filter(|e| e.status == s).count().to_string();
    MinutesView {
        header: Header {
            parent: format!("Ban Tổ chức {}", c.title),
            issuer: "Hội đồng chung khảo".into(),
            number: admin::blank_number("BB-HĐCK"),
            place_date: admin::place_date(d.at),
        },
        summary: format!("Họp Hội đồng chung khảo {} năm {}", c.title, c.edition),
        opening: format!("Hôm nay, vào lúc {}, Hội đồng chung khảo họp xét kết quả chấm chung khảo và quyết định trao giải.", time_and_day(d.at)),
        judges: d.judges.clone(),
        counts: vec![
            vec!["Tác phẩm đủ điều kiện".into(), count(EntryStatus::Eligible)],
            vec!["Tác phẩm không đủ điều kiện".into(), count(EntryStatus::Ineligible)],
            vec!["Tác phẩm rút khỏi giải".into(), count(EntryStatus::Withdrawn)],
            vec!["Tác phẩm vào chung khảo".into(), d.entries.iter().filter(|e| e.finalist).count().to_string()],
        ],
        ineligible: d.entries.iter().filter(|e| e.status == EntryStatus::Ineligible).map(|e| vec![entry_code(e.id), e.input.title.clone(), e.status_reason.clone()]).collect(),
        pools: d.allocation.pools.iter().map(|p| pool_view(d, p)).collect(),
        decisions: d.allocation.decisions.iter().map(decision_text).collect(),
        recusals: d.recusals.iter().map(|r| format!("{} — {} ({}): {}", r.judge_name, entry_code(r.entry_id), r.stage.name_vi(), r.reason)).collect(),
        closing: "Biên bản được lập thành 02 bản, đã thông qua trước Hội đồng; các thành viên Hội đồng thống nhất với nội dung biên bản.".into(),
        secretary: Signer::new("", "THƯ KÝ HỘI ĐỒNG"),
        chair: Signer::new("", "CHỦ TỊCH HỘI ĐỒNG"),
    }
}

pub fn minutes_pdf(d: &MinutesData) -> Result<Vec<u8>, TypesetError> {
    typeset::pdf(MINUTES, &minutes_view(d))
}

/// One certificate per winner, one landscape page each.
pub struct CertificateData<'a> {
    pub competition: &'a Competition,
    pub winner: &'a Winner,
}

#[derive(Serialize)]
struct CertificateView {
    organizer: String,
    authors: String,
    several_authors: bool,
    unit: Option<String>,
    work: String,
    genre: String,
    prize: String,
    number: String,
    place_date: String,
    signer: Signer,
}

fn certificate_view(d: &CertificateData) -> CertificateView {
    let w = d.winner;
    CertificateView {
        organizer: format!("Ban Tổ chức {}", d.competition.settings.title),
        authors: w.authors.iter().map(|a| a.full_name.clone()).collect::<Vec<_>>().join(", "),
        several_authors: w.authors.len() > 1,
        unit: w.unit_name.clone(),
        work: w.title.clone(),
        genre: w.genre.name_vi().to_string(),
        prize: w.prize.clone(),
        number: format!("Số: {}/{}/GCN", entry_code(w.entry_id), d.competition.settings.edition),
        place_date: admin::place_date(d.competition.published_at.unwrap_or(d.competition.created_at)),
        signer: Signer::new("TM. BAN TỔ CHỨC", "TRƯỞNG BAN"),
    }
}

pub fn certificates_pdf(certificates: &[CertificateData]) -> Result<Vec<u8>, TypesetError> {
    #[derive(Serialize)]
    struct View {
        certificates: Vec<CertificateView>,
    }
    typeset::pdf(CERTIFICATES, &View { certificates: certificates.iter().map(certificate_view).collect() })
}

/// A short article as an entrant would upload it (the demo edition's printed works).
pub fn article_pdf(title: &str, body: &str) -> Result<Vec<u8>, TypesetError> {
    #[derive(Serialize)]
    struct View<'a> {
        title: &'a str,
        paragraphs: Vec<&'a str>,
    }
    typeset::pdf(ARTICLE, &View { title, paragraphs: body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect() })
}

#[cfg(test)]
#[path = "document_views_tests.rs"]
mod tests;
