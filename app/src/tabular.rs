//! Reading the spreadsheets organizers upload: CSV (UTF-8, with or without a byte-order mark,
//! comma or semicolon as Excel in Vietnamese locales writes it) or XLSX (the first sheet).
//! Rows keep their line numbers, so every import can report problems by line.

/// Rows of cells with their 1-based line numbers (line 1 is usually the header). The error is
/// a locale key.
pub fn read(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, &'static str> {
    if bytes.starts_with(b"PK\x03\x04") { read_xlsx(bytes) } else { read_csv(bytes) }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "err.import_encoding")?;
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| "err.import_csv")?;
        let line = record.position().map(|p| p.line() as usize).unwrap_or(out.len() + 1);
        out.push((line, record.iter().map(unneutralise).collect()));
    }
    Ok(out)
}

/// The platform's own CSV exports neutralise text that would read as a formula with a leading
/// apostrophe (`crate::cells`); reading one back takes it off, so an export re-imports as it was.
fn unneutralise(cell: &str) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::cells::looks_like_formula(rest) => rest.to_string(),
        _ => cell.to_string(),
    }
}

/// An XLSX file's first sheet. calamine panics on some malformed files (found by the import
/// fuzzing: a mutated cell reference); an upload is hostile input, so such a file is reported
/// as unreadable instead of failing the request.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, &'static str> {
    std::panic::catch_unwind(|| read_first_sheet(bytes)).unwrap_or(Err("err.import_xlsx"))
}

fn read_first_sheet(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, &'static str> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| "err.import_xlsx")?;
    let sheet = book.worksheet_range_at(0).ok_or("err.import_empty")?.map_err(|_| "err.import_xlsx")?;
    let start_row = sheet.start().map(|(r, _)| r as usize).unwrap_or(0);
    Ok(sheet
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let cells = row
                .iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect();
            (start_row + i + 1, cells)
        })
        .collect())
}
