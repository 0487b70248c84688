//! Every text cell of the CSV and XLSX files the platform writes goes through here, so that a
//! name someone typed cannot become a formula in the organizer's spreadsheet (CSV/formula
//! injection: `=HYPERLINK("http://evil.example","Bấm")` as a participant's name).
//!
//! A text that a spreadsheet would read as a formula (it begins with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) is neutralised, following OWASP's advice:
//! - in CSV, by a leading apostrophe (`'=HYPERLINK(…)`), which Excel and LibreOffice show as
//!   text and hide;
//! - in XLSX, where a string cell is never evaluated, by Excel's own "quote prefix" cell style,
//!   so the text stays exactly as typed and editing the cell does not turn it into a formula.
//!
//! Numbers stay numbers: a cell that is only a signed decimal number (`-5`, `+3`, `-0.25`) is
//! left alone.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::borrow::Cow;

/// Whether a spreadsheet would read `text` as a formula.
pub fn looks_like_formula(text: &str) -> bool {
    matches!(text.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) && !is_plain_number(text)
}

/// A sign, digits, and at most one decimal point or comma followed by digits.
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match digits.split_once(['.', ',']) {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A CSV cell: `text`, or `'text` when it would read as a formula.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if looks_like_formula(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// Who a CSV export is for: people opening it in Excel (Vietnamese headers, values written as
/// they read them: "17,66", "05/10/2026 21:40"), or another program (`?headers=codes`: stable
/// machine codes, plain numbers, ISO times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Headers {
    #[default]
    People,
    Codes,
}

/// A CSV file being written, every cell neutralised.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Csv {
    pub fn new() -> Csv {
        Csv { writer: csv::Writer::from_writer(Vec::new()) }
    }

    /// Starts with a UTF-8 byte-order mark, so Excel opens the diacritics correctly.
    pub fn with_bom() -> Csv {
        Csv { writer: csv::Writer::from_writer("\u{feff}".as_bytes().to_vec()) }
    }

    pub fn row<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.writer.write_record(cells.into_iter().map(|c| csv_text(c.as_ref()).into_owned()))
    }

    pub fn into_bytes(self) -> Result<Vec<u8>, csv::Error> {
        self.writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
    }

    /// The file as text (the writer only ever receives UTF-8).
    pub fn into_string(self) -> Result<String, csv::Error> {
        let bytes = self.into_bytes()?;
        String::from_utf8(bytes).map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    }
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

/// Writes a text cell into an XLSX sheet, with the quote prefix when it would read as a
/// formula.
pub fn xlsx_text(sheet: &mut Worksheet, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    if looks_like_formula(text) {
        sheet.write_string_with_format(row, col, text, &Format::new().set_quote_prefix())?;
    } else {
        sheet.write_string(row, col, text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        let table = [
            ("=HYPERLINK(\"http://evil.example\",\"Bấm\")", true),
            ("+Ngô Quyền", true),
            ("@SUM Lê", true),
            ("-2+3", true),
            ("\tTab", true),
            ("\rCR", true),
            ("-", true),
            ("+84 912 345 678", true),
            ("-5", false),
            ("+3", false),
            ("-0.25", false),
            ("-1,5", false),
            ("Nguyễn Văn An", false),
            ("Sở Y tế = 100%", false),
            ("", false),
            ("18", false),
        ];
        for (text, formula) in table {
            assert_eq!(looks_like_formula(text), formula, "{text:?}");
            assert_eq!(csv_text(text).starts_with('\'') && !text.starts_with('\''), formula, "{text:?}");
        }
    }

    #[test]
    fn a_csv_row_is_neutralised_cell_by_cell() {
        let mut csv = Csv::new();
        csv.row(["1", "=1+1", "-7", "Lê Thị Hoa"]).unwrap();
        assert_eq!(csv.into_string().unwrap(), "1,'=1+1,-7,Lê Thị Hoa\n");
    }

    #[test]
    fn an_xlsx_cell_keeps_the_text_and_holds_no_formula() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        xlsx_text(sheet, 0, 0, "=HYPERLINK(\"http://evil.example\",\"x\")").unwrap();
        xlsx_text(sheet, 1, 0, "Hải Phòng").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        use calamine::Reader;
        let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = xlsx.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get_value((0, 0)).map(|v| v.to_string()).as_deref(), Some("=HYPERLINK(\"http://evil.example\",\"x\")"));
        let formulas = xlsx.worksheet_formula(&xlsx.sheet_names()[0].clone()).unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula was written");
    }
}
