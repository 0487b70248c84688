//! Spreadsheets of participation: the roster template and the list of who has not taken part.

use super::model::NonParticipant;
use super::roster::HEADER;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The empty roster in the import's own columns, with one example row.
pub fn roster_template() -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sach can bo")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
        sheet.set_column_width(c as u16, 24)?;
    }
    let example = ["Nguyễn Văn An", "031095000001", "an.nv@haiphong.gov.vn", "0912 345 678", "Chuyên viên", ""];
    for (c, v) in example.iter().enumerate() {
        sheet.write(1, c as u16, *v)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// Chưa tham gia, with contacts, for the unit manager to call round.
pub fn non_participants_xlsx(list: &[NonParticipant]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Chua tham gia")?;
    let bold = Format::new().set_bold();
    let header = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Email", "Số điện thoại", "Đã có tài khoản"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, p) in list.iter().enumerate() {
        let r = (i + 1) as u32;
        sheet.write(r, 0, (i + 1) as u32)?;
        crate::cells::xlsx_text(sheet, r, 1, &p.full_name)?;
        crate::cells::xlsx_text(sheet, r, 2, &p.position)?;
        crate::cells::xlsx_text(sheet, r, 3, &p.unit_name)?;
        crate::cells::xlsx_text(sheet, r, 4, p.email.as_deref().unwrap_or(""))?;
        crate::cells::xlsx_text(sheet, r, 5, &p.phone.as_ref().map(|ph| ph.shown()).unwrap_or_default())?;
        sheet.write(r, 6, if p.has_account { "Có" } else { "Chưa" })?;
    }
    for (c, w) in [6, 28, 18, 32, 30, 16, 14].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
