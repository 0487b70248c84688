//! The annual report as a PDF laid out by Typst (`annual_report.typ`): a report as Decree
//! 30/2020/NĐ-CP presents one (issuing body, motto, number, place and date, title, body,
//! signature), then appendices with the full tables, grouped by round so a round's name is a
//! heading printed whole, not a cell cut to width.
//!
//! Charts stay compact with any number of units: the body shows the rate per block for each
//! round, and for the units of the latest closed round how many reached 100%, 80–100% or less,
//! with the ten highest and ten lowest as bars (all of them when there are few). Every unit's
//! figures are in appendix 2, a table whose header row repeats on each page.

use super::annual::{AnnualReport, UnitRoundRow};
use super::annual_files::{block_name, statistics_rows};
use super::rates::percent_text;
use crate::typeset::admin::{self, Header, Signer};
use crate::typeset::{self, Template, TypesetError};
use serde::Serialize;

const TEMPLATE: Template = Template { name: "annual_report", source: include_str!("annual_report.typ") };

/// Units shown at each end of the ranking; with up to `2 * EXTREMES + 4` units, all are shown.
const EXTREMES: usize = 10;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarView {
    pub label: String,
    pub value: f64,
    pub text: String,
}

impl BarView {
    fn new(label: &str, value: f64) -> BarView {
        BarView { label: label.to_string(), value, text: percent_text(Some(value)) }
    }
}

#[derive(Serialize)]
struct RoundBars {
    round: String,
    bars: Vec<BarView>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct ChartPart {
    pub title: String,
    pub bars: Vec<BarView>,
}

#[derive(Serialize)]
struct UnitsChart {
    summary: String,
    parts: Vec<ChartPart>,
}

#[derive(Serialize)]
struct RoundRows {
    round: String,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
struct DetailRow {
    code: String,
    name: String,
    depth: usize,
    eligible: String,
    participated: String,
    rate: String,
    mean: String,
}

#[derive(Serialize)]
struct RoundDetails {
    round: String,
    rows: Vec<DetailRow>,
}

#[derive(Serialize)]
struct RoundUnits {
    round: String,
    units: Vec<String>,
}

#[derive(Serialize)]
struct DayView {
    label: String,
    entries: i64,
}

#[derive(Serialize)]
struct AnnualView {
    header: Header,
    summary: String,
    appendix_note: String,
    statistics: Vec<Vec<String>>,
    block_charts: Vec<RoundBars>,
    units_chart: UnitsChart,
    days: Vec<DayView>,
    blocks: Vec<RoundRows>,
    details: Vec<RoundDetails>,
    full: Vec<RoundUnits>,
    merged: Vec<Vec<String>>,
    recipients: Vec<&'static str>,
    signer: Signer,
}

/// The units' bars: all of them, highest first, when there are few; else the `EXTREMES`
/// highest and the `EXTREMES` lowest (lowest last). Ties keep the report's (tree) order.
pub fn unit_chart_parts(rates: &[(String, f64)]) -> Vec<ChartPart> {
    let mut sorted: Vec<&(String, f64)> = rates.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let bars = |part: &[&(String, f64)]| part.iter().map(|(name, v)| BarView::new(name, *v)).collect::<Vec<_>>();
    if sorted.is_empty() {
        return vec![];
    }
    if sorted.len() <= 2 * EXTREMES + 4 {
        return vec![ChartPart { title: format!("Tất cả {} đơn vị, từ cao đến thấp", sorted.len()), bars: bars(&sorted) }];
    }
    vec![
        ChartPart { title: format!("{EXTREMES} đơn vị có tỷ lệ cao nhất"), bars: bars(&sorted[..EXTREMES]) },
        ChartPart { title: format!("{EXTREMES} đơn vị có tỷ lệ thấp nhất"), bars: bars(&sorted[sorted.len() - EXTREMES..]) },
    ]
}

/// How the units spread: `Trong 136 đơn vị: 40 đạt 100%, 60 từ 80% đến dưới 100%, 36 dưới 80%.`
pub fn rate_bands(rates: &[(String, f64)]) -> String {
    if rates.is_empty() {
        return "Chưa có đợt thi nào kết thúc.".into();
    }
    let full = rates.iter().filter(|(_, v)| *v >= 1.0).count();
    let high = rates.iter().filter(|(_, v)| (0.8..1.0).contains(v)).count();
    format!("Trong {} đơn vị trực thuộc thành phố: {full} đơn vị đạt 100%, {high} đơn vị từ 80% đến dưới 100%, {} đơn vị dưới 80%.", rates.len(), rates.len() - full - high)
}

/// Consecutive items with the same key, in order (the report lists rows round by round).
fn grouped<T, K: PartialEq + Clone>(items: impl IntoIterator<Item = T>, key: impl Fn(&T) -> K) -> Vec<(K, Vec<T>)> {
    let mut groups: Vec<(K, Vec<T>)> = Vec::new();
    for item in items {
        let k = key(&item);
        match groups.last_mut() {
            Some((last, rows)) if *last == k => rows.push(item),
            _ => groups.push((k, vec![item])),
        }
    }
    groups
}

fn detail_row(u: &UnitRoundRow) -> DetailRow {
    DetailRow {
        code: u.unit_code.clone(),
        name: u.unit_name.clone(),
        depth: u.depth,
        eligible: if u.declared && u.eligible > 0 { format!("{} (khai báo)", u.eligible) } else { u.eligible.to_string() },
        participated: u.participated.to_string(),
        rate: percent_text(u.rate),
        mean: u.mean_score.map(|m| format!("{m:.2}").replace('.', ",")).unwrap_or_default(),
    }
}

fn view(r: &AnnualReport, at: i64) -> AnnualView {
    let summary = format!("Kết quả tham gia Hội thi trực tuyến về cải cách hành chính năm {}", r.year);
    let blocks = grouped(&r.blocks, |b| b.round_title.clone());
    AnnualView {
        header: Header {
            parent: "Ủy ban nhân dân thành phố Hải Phòng".into(),
            issuer: "Ban Tổ chức Hội thi".into(),
            number: admin::blank_number("BC-BTC"),
            place_date: admin::place_date(at),
        },
        appendix_note: format!("(Kèm theo Báo cáo kết quả tham gia Hội thi năm {})", r.year),
        summary,
        statistics: statistics_rows(r, crate::i18n::Lang::Vi).into_iter().map(|(label, value)| vec![label.to_string(), value]).collect(),
        block_charts: blocks
            .iter()
            .map(|(round, rows)| RoundBars { round: round.clone(), bars: rows.iter().map(|b| BarView::new(block_name(&b.block), b.rate.unwrap_or(0.0))).collect() })
            .collect(),
        units_chart: UnitsChart { summary: rate_bands(&r.unit_rates), parts: unit_chart_parts(&r.unit_rates) },
        days: r.per_day.iter().map(|d| DayView { label: crate::vn_time::iso_date_text(&d.day), entries: d.entries }).collect(),
        blocks: blocks
            .into_iter()
            .map(|(round, rows)| RoundRows {
                round,
                rows: rows
                    .into_iter()
                    .map(|b| {
                        vec![
                            block_name(&b.block).to_string(),
                            b.units.to_string(),
                            b.eligible.to_string(),
                            b.participated.to_string(),
                            percent_text(b.rate),
                            b.units_at_100.to_string(),
                        ]
                    })
                    .collect(),
            })
            .collect(),
        details: grouped(&r.units, |u| (u.round_id, u.round_title.clone()))
            .into_iter()
            .map(|((_, round), rows)| RoundDetails { round, rows: rows.into_iter().map(detail_row).collect() })
            .collect(),
        full: grouped(&r.full, |(round, _)| round.clone())
            .into_iter()
            .map(|(round, rows)| RoundUnits { round, units: rows.into_iter().map(|(_, unit)| unit.clone()).collect() })
            .collect(),
        merged: r.merged.iter().map(|m| vec![format!("{} ({})", m.old_name, m.old_code), format!("{} ({})", m.new_name, m.new_code), m.entries.to_string()]).collect(),
        recipients: vec!["Ủy ban nhân dân thành phố (để báo cáo);", "Sở Nội vụ;", "Các sở, ban, ngành; UBND các xã, phường, đặc khu;", "Lưu: VT, BTC."],
        signer: Signer::new("TM. BAN TỔ CHỨC", "TRƯỞNG BAN"),
    }
}

/// The report as a PDF, dated `at` (Unix seconds).
pub fn to_pdf(r: &AnnualReport, at: i64) -> Result<Vec<u8>, TypesetError> {
    typeset::pdf(TEMPLATE, &view(r, at))
}

#[cfg(test)]
#[path = "annual_pdf_tests.rs"]
mod tests;
