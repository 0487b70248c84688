//! The annual report as files: XLSX (one sheet per table) and PDF (tables and charts), both in
//! Vietnamese. The PDF embeds DejaVu Sans (bundled in `app/assets/fonts`, subset by krilla),
//! whose glyphs cover every Vietnamese letter with its diacritics.

use super::annual::AnnualReport;
use super::charts::{self, BAR_HEIGHT, BAR_WIDTH, LABEL_WIDTH, LINE_HEIGHT, LINE_WIDTH};
use super::rates::percent_text;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::pdf::{MARGIN, Op, Pdf};

fn block_name(code: &str) -> &'static str {
    match code {
        "city" => "Thành phố",
        "so_nganh" => "Sở, ban, ngành",
        "xa_phuong" => "Xã, phường, đặc khu",
        "su_nghiep" => "Đơn vị sự nghiệp",
        _ => "Khác",
    }
}


/// The year's statistics as (label, value) rows, laid out like the report's appendix.
/// The year's statistics table in `lang` (documents are in Vietnamese; the page follows its
/// language).
pub fn statistics_rows(r: &AnnualReport, lang: crate::i18n::Lang) -> Vec<(String, String)> {
    use crate::i18n::t;
    use crate::numbers::group_digits;
    let s = &r.statistics;
    vec![
        (t(lang, "report.stat_contests"), group_digits(lang, s.contests)),
        (t(lang, "report.stat_rounds"), group_digits(lang, s.rounds)),
        (t(lang, "report.stat_entries"), group_digits(lang, s.entries)),
        (t(lang, "report.stat_participants"), group_digits(lang, s.participants)),
        (t(lang, "report.stat_units_at_100"), format!("{} / {}", group_digits(lang, s.units_at_100), group_digits(lang, s.units_total))),
        (t(lang, "report.stat_rate"), super::rates::percent(lang, s.rate)),
    ]
}

pub fn to_xlsx(r: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let title = Format::new().set_bold().set_font_size(14);

    let sheet = book.add_worksheet();
    sheet.set_name("Thong ke nam")?;
    sheet.write_with_format(0, 0, format!("Kết quả tham gia hội thi trực tuyến về cải cách hành chính năm {}", r.year), &title)?;
    sheet.write_with_format(2, 0, "Chỉ tiêu", &bold)?;
    sheet.write_with_format(2, 1, "Kết quả", &bold)?;
    for (i, (label, value)) in statistics_rows(r, crate::i18n::Lang::Vi).into_iter().enumerate() {
        sheet.write(3 + i as u32, 0, label)?;
        sheet.write(3 + i as u32, 1, value)?;
    }
    sheet.set_column_width(0, 56)?;
    sheet.set_column_width(1, 16)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Theo don vi")?;
    let header = ["Mã", "Đơn vị", "Mã đơn vị cấp trên", "Khối", "Đợt", "Thuộc diện tham gia", "Đã tham gia", "Tỷ lệ", "Điểm trung bình", "Ghi chú"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, u) in r.units.iter().enumerate() {
        let row = 1 + i as u32;
        crate::cells::xlsx_text(sheet, row, 0, &u.unit_code)?;
        crate::cells::xlsx_text(sheet, row, 1, &format!("{}{}", "  ".repeat(u.depth), u.unit_name))?;
        crate::cells::xlsx_text(sheet, row, 2, u.parent_code.as_deref().unwrap_or(""))?;
        sheet.write(row, 3, block_name(&u.block))?;
        crate::cells::xlsx_text(sheet, row, 4, &u.round_title)?;
        sheet.write(row, 5, u.eligible as f64)?;
        sheet.write(row, 6, u.participated as f64)?;
        if let Some(rate) = u.rate {
            sheet.write_with_format(row, 7, rate, &percent)?;
        }
        if let Some(m) = u.mean_score {
            sheet.write(row, 8, (m * 100.0).round() / 100.0)?;
        }
        sheet.write(row, 9, if u.declared && u.eligible > 0 { "Số khai báo" } else { "" })?;
    }
    for (c, w) in [10, 44, 12, 20, 10, 12, 12, 9, 12, 14].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 2)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Theo khoi")?;
    for (c, h) in ["Đợt", "Khối", "Số đơn vị", "Thuộc diện tham gia", "Đã tham gia", "Tỷ lệ", "Đơn vị đạt 100%"].iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, b) in r.blocks.iter().enumerate() {
        let row = 1 + i as u32;
        crate::cells::xlsx_text(sheet, row, 0, &b.round_title)?;
        sheet.write(row, 1, block_name(&b.block))?;
        sheet.write(row, 2, b.units as f64)?;
        sheet.write(row, 3, b.eligible as f64)?;
        sheet.write(row, 4, b.participated as f64)?;
        if let Some(rate) = b.rate {
            sheet.write_with_format(row, 5, rate, &percent)?;
        }
        sheet.write(row, 6, b.units_at_100 as f64)?;
    }
    sheet.set_column_width(0, 60)?;
    sheet.set_column_width(1, 22)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Dat 100%")?;
    sheet.write_with_format(0, 0, "Đợt", &bold)?;
    sheet.write_with_format(0, 1, "Đơn vị đạt 100%", &bold)?;
    for (i, (round, unit)) in r.full.iter().enumerate() {
        crate::cells::xlsx_text(sheet, 1 + i as u32, 0, round)?;
        crate::cells::xlsx_text(sheet, 1 + i as u32, 1, unit)?;
    }
    sheet.set_column_width(0, 60)?;
    sheet.set_column_width(1, 44)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Sap nhap")?;
    for (c, h) in ["Mã đơn vị cũ", "Đơn vị cũ", "Mã đơn vị mới", "Đơn vị mới", "Lượt dự thi trong năm (tính cho đơn vị mới)"].iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, m) in r.merged.iter().enumerate() {
        let row = 1 + i as u32;
        crate::cells::xlsx_text(sheet, row, 0, &m.old_code)?;
        crate::cells::xlsx_text(sheet, row, 1, &m.old_name)?;
        crate::cells::xlsx_text(sheet, row, 2, &m.new_code)?;
        crate::cells::xlsx_text(sheet, row, 3, &m.new_name)?;
        sheet.write(row, 4, m.entries as f64)?;
    }
    sheet.set_column_width(1, 36)?;
    sheet.set_column_width(3, 36)?;
    book.save_to_buffer()
}

/// The report's two charts, drawn on the shared PDF writer.
trait ReportCharts {
    fn bar_chart(&mut self, title: &str, bars: &[charts::Bar]);
    fn line_chart(&mut self, title: &str, days: &[(String, i64)]);
}

impl ReportCharts for Pdf {
    fn bar_chart(&mut self, title: &str, bars: &[charts::Bar]) {
        let scale = 0.9_f32;
        for (n, chunk) in bars.chunks(24).enumerate() {
            self.heading(&if n == 0 { title.to_string() } else { format!("{title} (tiếp)") });
            for b in chunk {
                self.ensure(BAR_HEIGHT as f32 + 4.0);
                let label: String = b.label.chars().take(44).collect();
                self.text_at(MARGIN, 8.5, false, &label);
                let w = ((b.value.clamp(0.0, 1.0) * BAR_WIDTH) as f32 * scale).max(1.0);
                let rgb = if b.value >= 1.0 { (20, 108, 46) } else if b.value < 0.8 { (180, 35, 24) } else { (155, 28, 28) };
                let (x, y) = (MARGIN + LABEL_WIDTH as f32, self.y);
                self.push(Op::Rect { x, y, w, h: BAR_HEIGHT as f32 - 4.0, rgb });
                self.push(Op::Text { x: x + w + 4.0, y: y + 10.0, size: 8.5, bold: false, text: percent_text(Some(b.value)) });
                self.y += BAR_HEIGHT as f32;
            }
        }
    }

    fn line_chart(&mut self, title: &str, days: &[(String, i64)]) {
        self.heading(title);
        self.ensure(LINE_HEIGHT as f32 + 30.0);
        let values: Vec<i64> = days.iter().map(|(_, v)| *v).collect();
        let (ox, oy) = (MARGIN + 30.0, self.y);
        let points: Vec<(f32, f32)> = charts::line_points(&values).into_iter().map(|(x, y)| (ox + x as f32, oy + y as f32)).collect();
        let axis = vec![(ox, oy), (ox, oy + LINE_HEIGHT as f32), (ox + LINE_WIDTH as f32, oy + LINE_HEIGHT as f32)];
        self.push(Op::Line { points: axis, rgb: (138, 148, 158), width: 0.8 });
        if points.len() > 1 {
            self.push(Op::Line { points, rgb: (155, 28, 28), width: 1.5 });
        }
        let peak = values.iter().copied().max().unwrap_or(0);
        self.push(Op::Text { x: MARGIN, y: oy + 8.0, size: 8.5, bold: false, text: peak.to_string() });
        self.push(Op::Text { x: MARGIN + 18.0, y: oy + LINE_HEIGHT as f32, size: 8.5, bold: false, text: "0".into() });
        if let (Some(first), Some(last)) = (days.first(), days.last()) {
            self.push(Op::Text { x: ox, y: oy + LINE_HEIGHT as f32 + 14.0, size: 8.5, bold: false, text: first.0.clone() });
            self.push(Op::Text { x: ox + LINE_WIDTH as f32 - 60.0, y: oy + LINE_HEIGHT as f32 + 14.0, size: 8.5, bold: false, text: last.0.clone() });
        }
        self.y += LINE_HEIGHT as f32 + 24.0;
    }

}

pub fn to_pdf(r: &AnnualReport) -> Option<Vec<u8>> {
    let mut pdf = Pdf::landscape()?;
    pdf.text_at(MARGIN, 16.0, true, &format!("BÁO CÁO KẾT QUẢ THAM GIA HỘI THI TRỰC TUYẾN VỀ CẢI CÁCH HÀNH CHÍNH NĂM {}", r.year));
    pdf.y += 24.0;
    pdf.text_at(MARGIN, 11.0, false, "Thành phố Hải Phòng — Phụ lục số liệu tham gia theo đơn vị");
    pdf.y += 20.0;
    pdf.heading("1. Thống kê chung");
    for (label, value) in statistics_rows(r, crate::i18n::Lang::Vi) {
        pdf.row(&[label.to_string(), value], &[420.0, 200.0], false);
    }
    let bars: Vec<charts::Bar> = r.unit_rates.iter().map(|(name, v)| charts::Bar { label: name, value: *v }).collect();
    pdf.bar_chart("2. Tỷ lệ tham gia các đơn vị (đợt đã kết thúc gần nhất)", &bars);
    let days: Vec<(String, i64)> = r.per_day.iter().map(|d| (d.day.clone(), d.entries)).collect();
    pdf.line_chart("3. Số bài dự thi theo ngày", &days);
    pdf.heading("4. Tổng hợp theo khối");
    let widths = [300.0, 140.0, 60.0, 80.0, 70.0, 60.0, 60.0];
    pdf.row(&["Đợt", "Khối", "Số đơn vị", "Thuộc diện", "Đã tham gia", "Tỷ lệ", "Đạt 100%"].map(String::from), &widths, true);
    for b in &r.blocks {
        pdf.row(&[b.round_title.clone(), block_name(&b.block).into(), b.units.to_string(), b.eligible.to_string(), b.participated.to_string(), percent_text(b.rate), b.units_at_100.to_string()], &widths, false);
    }
    pdf.heading("5. Đơn vị đạt tỷ lệ tham gia 100%");
    for (round, unit) in &r.full {
        pdf.row(&[round.clone(), unit.clone()], &[380.0, 380.0], false);
    }
    pdf.heading("6. Chi tiết theo đơn vị và đợt thi");
    let widths = [60.0, 300.0, 70.0, 80.0, 80.0, 60.0, 80.0];
    pdf.row(&["Mã", "Đơn vị", "Đợt", "Thuộc diện", "Đã tham gia", "Tỷ lệ", "Điểm TB"].map(String::from), &widths, true);
    for u in &r.units {
        let eligible = if u.declared && u.eligible > 0 { format!("{} (khai báo)", u.eligible) } else { u.eligible.to_string() };
        let mean = u.mean_score.map(|m| format!("{m:.2}").replace('.', ",")).unwrap_or_default();
        pdf.row(&[u.unit_code.clone(), format!("{}{}", "  ".repeat(u.depth), u.unit_name), u.round_title.clone(), eligible, u.participated.to_string(), percent_text(u.rate), mean], &widths, false);
    }
    if !r.merged.is_empty() {
        pdf.heading("7. Đơn vị đã sáp nhập (số liệu cả năm tính cho đơn vị mới)");
        for m in &r.merged {
            pdf.row(&[format!("{} ({})", m.old_name, m.old_code), format!("→ {} ({})", m.new_name, m.new_code), format!("{} lượt", m.entries)], &[330.0, 330.0, 100.0], false);
        }
    }
    pdf.finish()
}
