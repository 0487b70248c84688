use super::*;
use crate::participation::annual::{BlockRoundRow, YearStatistics};
use crate::participation::model::{DayCount, MergedUnit};

fn rates(values: &[f64]) -> Vec<(String, f64)> {
    values.iter().enumerate().map(|(i, v)| (format!("Đơn vị {i}"), *v)).collect()
}

#[test]
fn few_units_are_all_shown_highest_first() {
    let parts = unit_chart_parts(&rates(&[0.5, 1.0, 0.8]));
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].title, "Tất cả 3 đơn vị, từ cao đến thấp");
    let labels: Vec<&str> = parts[0].bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["Đơn vị 1", "Đơn vị 2", "Đơn vị 0"]);
    assert_eq!(parts[0].bars[2].text, "50,0%");
}

#[test]
fn many_units_show_the_ten_highest_and_the_ten_lowest() {
    for (units, parts, shown) in [(0, 0, 0), (1, 1, 1), (24, 1, 24), (25, 2, 20), (136, 2, 20)] {
        let values: Vec<f64> = (0..units).map(|i| i as f64 / units.max(1) as f64).collect();
        let chart = unit_chart_parts(&rates(&values));
        assert_eq!(chart.len(), parts, "{units} units");
        assert_eq!(chart.iter().map(|p| p.bars.len()).sum::<usize>(), shown, "{units} units");
        if parts == 2 {
            assert_eq!(chart[0].bars[0].label, format!("Đơn vị {}", units - 1), "the highest first");
            assert_eq!(chart[1].bars[9].label, "Đơn vị 0", "the lowest last");
        }
    }
}

#[test]
fn rate_bands_count_each_unit_once() {
    for (values, expected) in [
        (vec![], "Chưa có đợt thi nào kết thúc."),
        (vec![1.0, 1.0, 0.8, 0.99, 0.79, 0.0], "Trong 6 đơn vị trực thuộc thành phố: 2 đơn vị đạt 100%, 2 đơn vị từ 80% đến dưới 100%, 2 đơn vị dưới 80%."),
    ] {
        assert_eq!(rate_bands(&rates(&values)), expected);
    }
}

#[test]
fn rows_are_grouped_by_consecutive_key() {
    let groups = grouped(["a1", "a2", "b1", "a3"], |s| s.chars().next());
    let keys: Vec<(Option<char>, usize)> = groups.iter().map(|(k, v)| (*k, v.len())).collect();
    assert_eq!(keys, [(Some('a'), 2), (Some('b'), 1), (Some('a'), 1)]);
}

/// A city of 136 units (long Vietnamese names, one with Typst syntax) over three rounds.
pub(crate) fn big_report() -> AnnualReport {
    let name = |i: usize| match i {
        7 => "Phường #Lê *Chân* $x$ [a] \\ @b <c>".to_string(),
        _ => format!("Ủy ban nhân dân phường Nguyễn Thị Minh Khai và các tổ dân phố số {i}"),
    };
    let rounds = ["Đợt 1: Tìm hiểu về chính quyền địa phương hai cấp và dịch vụ công trực tuyến toàn trình", "Đợt 2", "Đợt 3"];
    let mut units = Vec::new();
    for (r, title) in rounds.iter().enumerate() {
        for i in 0..136 {
            units.push(UnitRoundRow {
                unit_code: format!("HP{i:03}"),
                unit_name: name(i),
                parent_code: Some("HP".into()),
                block: if i < 22 { "so_nganh".into() } else { "xa_phuong".into() },
                depth: 1,
                round_id: r as i64 + 1,
                round_title: title.to_string(),
                eligible: 40,
                participated: (i % 41) as i64,
                rate: Some((i % 41) as f64 / 40.0),
                declared: i % 5 == 0,
                mean_score: Some(7.25),
            });
        }
    }
    let blocks = rounds
        .iter()
        .flat_map(|t| {
            ["so_nganh", "xa_phuong"].map(|b| BlockRoundRow {
                round_title: format!("Hội thi trực tuyến năm 2026 — {t}"),
                block: b.into(),
                units: 68,
                eligible: 2720,
                participated: 2000,
                rate: Some(0.735),
                units_at_100: 3,
            })
        })
        .collect();
    AnnualReport {
        year: 2026,
        statistics: YearStatistics { contests: 1, rounds: 3, entries: 12000, participants: 9000, units_at_100: 9, units_total: 136, rate: Some(0.74) },
        units,
        blocks,
        full: (0..9).map(|i| (format!("Hội thi trực tuyến năm 2026 — {}", rounds[i % 3]), name(i * 40 % 136))).collect(),
        merged: vec![MergedUnit { old_code: "LC".into(), old_name: "Phường Lê Chân".into(), new_code: "AB".into(), new_name: "Phường An Biên".into(), entries: 12 }],
        unit_rates: (0..136).map(|i| (name(i), (i % 41) as f64 / 40.0)).collect(),
        per_day: (1..=60).map(|d| DayCount { day: format!("2026-{:02}-{:02}", 9 + d / 31, 1 + d % 30), entries: (d * 37 % 200) as i64 }).collect(),
    }
}

#[test]
fn the_report_of_136_units_lays_out_whole() {
    let started = std::time::Instant::now();
    let document = typeset::layout(TEMPLATE, &view(&big_report(), 1_780_000_000)).unwrap();
    eprintln!("annual report, 136 units × 3 rounds: {} pages laid out in {:?}", document.pages().len(), started.elapsed());
    typeset::keep_for_a_look("annual_report", &document);
    let pages = typeset::page_texts(&document);
    // Lines may wrap anywhere in a table cell: compared without spaces.
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let text = squeeze(&pages.join(" "));
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "TM. BAN TỔ CHỨC",
        "10 đơn vị có tỷ lệ cao nhất",
        "Phường #Lê *Chân* $x$ [a] \\ @b <c>",
        "PHỤ LỤC 2",
    ] {
        assert!(text.contains(&squeeze(expected)), "{expected:?}");
    }
    // The first page holds the header; the body's charts take two or three pages, not five.
    let appendix = pages.iter().position(|p| p.contains("PHỤ LỤC 1")).unwrap();
    assert!(appendix <= 3, "the report's body runs to page {}", appendix + 1);
    // Every unit of every round is in the appendix table.
    assert_eq!(text.matches(&squeeze("Phường #Lê *Chân* $x$ [a] \\ @b <c>")).count(), 3, "once per round");
}
