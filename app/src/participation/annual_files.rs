//! The annual report as an XLSX file (one sheet per table), in Vietnamese; the PDF is laid out
//! in `annual_pdf`.

use super::annual::AnnualReport;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub fn block_name(code: &str) -> &'static str {
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
    for (c, h) in ["Mã đơn vị cũ", "Đơn vị cũ", "Mã đơn vị mới", "Đơn vị mới", "Lượt dự thi trong năm (tính cho đơn vị mới)"].iter().enumerate()
    {
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
