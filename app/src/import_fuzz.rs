//! Input fuzzing of every importer (property-based, with proptest): arbitrary bytes, and real
//! files (Moodle's GIFT and Aiken fixtures, the demo question table, a roster, a unit list, and
//! XLSX versions of them) mutated byte by byte, truncated, spliced and re-encoded. For each:
//! no panic, no hang (every case is timed), every problem tied to a line of the file, and
//! nothing accepted from a line that does not exist. That nothing is half-applied when a file
//! has errors is checked through the services, on a database (`tests/api/import_fuzz.rs`).

use proptest::prelude::*;
use std::time::{Duration, Instant};

const GIFT: &str = include_str!("../../tests/fixtures/moodle/gift-examples.txt");
const AIKEN: &str = include_str!("../../tests/fixtures/moodle/aiken-questions.txt");
const AIKEN_ERRORS: &str = include_str!("../../tests/fixtures/moodle/aiken-errors.txt");
const TABLE: &[u8] = include_bytes!("../../server/seed/demo-questions-cchc.csv");
const ROSTER: &str = "Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n\
    Nguyễn Văn An,031095000001,an@haiphong.gov.vn,0912345678,Chuyên viên,\n\
    Trần Thị Bình,BV-0002,,+84 91 234 5679,Bác sĩ,Bệnh viện A\n\
    Lê Văn Cường,SYT-0003,cuong@haiphong.gov.vn,,Chuyên viên,bv-a\n";
const UNITS: &str = "code,name,parent_code,block,headcount\nHP,Thành phố Hải Phòng,,city,0\nS01,Sở Nội vụ,HP,so_nganh,40\nS01-01,Trung tâm Lưu trữ,S01,su_nghiep,12\n11413,Phường Hải An,HP,xa_phuong,55\n";

/// Longest a single case may take: far more than any real file needs, far less than a hang.
const CASE_LIMIT: Duration = Duration::from_secs(5);

/// A file mutated: bytes flipped, inserted, deleted, a tail cut, a piece of another place
/// spliced in.
fn mutated(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len().max(1);
    prop::collection::vec((0usize..5, 0usize..len, any::<u8>(), 0usize..len), 0..12).prop_map(move |edits| {
        let mut bytes = seed.clone();
        for (kind, at, byte, other) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let at = at % bytes.len();
            match kind {
                0 => bytes[at] ^= byte | 1,
                1 => bytes.insert(at, byte),
                2 => {
                    bytes.remove(at);
                }
                3 => bytes.truncate(at),
                _ => {
                    let from = other % bytes.len();
                    let piece: Vec<u8> = bytes[from..(from + 40).min(bytes.len())].to_vec();
                    let at = at.min(bytes.len());
                    bytes.splice(at..at, piece);
                }
            }
        }
        bytes
    })
}

/// Characters that break naive parsers: separators, quotes, braces, escapes, combining marks,
/// invisible and right-to-left characters, and Vietnamese letters.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{".to_string()), Just("}".to_string()), Just("=".to_string()), Just("~".to_string()), Just("#".to_string()), Just("::".to_string()),
            Just("\\".to_string()), Just("\n".to_string()), Just("\r\n".to_string()), Just(",".to_string()), Just(";".to_string()), Just("\"".to_string()),
            Just("ANSWER: ".to_string()), Just("A) ".to_string()), Just("%50%".to_string()), Just("\u{202E}".to_string()), Just("\u{0303}".to_string()),
            Just("Đ".to_string()), Just("ễ".to_string()), Just(" ".to_string()), "[a-zA-Z0-9]{1,6}",
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

fn lines_of(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count() + 1
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(t.elapsed() < CASE_LIMIT, "{what} took {:?}", t.elapsed());
    out
}

fn check_questions(what: &str, bytes: &[u8], file: &crate::quiz::model::ParsedFile) {
    let lines = lines_of(bytes);
    for e in &file.errors {
        assert!((1..=lines + 1).contains(&e.line), "{what}: an error on line {} of a {lines}-line file: {e:?}", e.line);
        assert!(e.message.starts_with("err."), "{what}: an error message is a locale key: {e:?}");
    }
    for q in &file.questions {
        assert!((1..=lines).contains(&q.line), "{what}: a question from line {} of a {lines}-line file", q.line);
    }
}

/// The XLSX form of a CSV, as a spreadsheet program would save it.
fn as_xlsx(csv: &[u8]) -> Vec<u8> {
    let rows = crate::tabular::read(csv).unwrap_or_default();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, (_, cells)) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn roster_units() -> (crate::participation::roster::SubtreeUnit, Vec<crate::participation::roster::SubtreeUnit>) {
    use crate::participation::roster::SubtreeUnit;
    let root = SubtreeUnit { id: 1, code: "SYT".into(), name: "Sở Y tế".into() };
    let sub = vec![SubtreeUnit { id: 1, code: "SYT".into(), name: "Sở Y tế".into() }, SubtreeUnit { id: 2, code: "BV-A".into(), name: "Bệnh viện A".into() }];
    (root, sub)
}

fn check_roster(what: &str, bytes: &[u8]) {
    let (root, sub) = roster_units();
    let Ok(rows) = timed(what, || crate::tabular::read(bytes)) else { return };
    let plan = timed(what, || crate::participation::roster::plan(&rows, &root, &sub));
    // An XLSX file's rows are its sheet's, not its bytes' lines.
    let lines = if bytes.starts_with(b"PK") { usize::MAX - 1 } else { lines_of(bytes) };
    for e in &plan.errors {
        assert!((1..=lines + 1).contains(&e.line), "{what}: roster error on line {}: {e:?}", e.line);
        assert!(e.message.starts_with("err."), "{what}: {e:?}");
    }
    for r in &plan.rows {
        assert!(r.line >= 2, "{what}: a row accepted from the header line");
        assert!(!plan.errors.iter().any(|e| e.line == r.line), "{what}: line {} both accepted and refused", r.line);
    }
}

fn check_units(what: &str, bytes: &[u8]) {
    let Ok(rows) = timed(what, || crate::units::transfer::read_rows(bytes)) else { return };
    let preview = timed(what, || crate::units::transfer::plan(&[], &rows, "fuzz.csv"));
    for e in &preview.errors {
        assert!(e.line >= 1, "{what}: {e:?}");
    }
    if !preview.errors.is_empty() {
        assert!(!preview.applied, "{what}: a file with errors is never applied");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn gift_never_panics_and_reports_by_line(bytes in mutated(GIFT.as_bytes().to_vec())) {
        let text = String::from_utf8_lossy(&bytes);
        let file = timed("GIFT", || crate::quiz::formats::gift::parse(&text));
        check_questions("GIFT", text.as_bytes(), &file);
    }

    #[test]
    fn gift_copes_with_hostile_text(text in hostile_text()) {
        let file = timed("GIFT", || crate::quiz::formats::gift::parse(&text));
        check_questions("GIFT", text.as_bytes(), &file);
    }

    #[test]
    fn aiken_never_panics_and_reports_by_line(bytes in prop_oneof![mutated(AIKEN.as_bytes().to_vec()), mutated(AIKEN_ERRORS.as_bytes().to_vec())]) {
        let text = String::from_utf8_lossy(&bytes);
        let file = timed("Aiken", || crate::quiz::formats::aiken::parse(&text));
        check_questions("Aiken", text.as_bytes(), &file);
    }

    #[test]
    fn aiken_copes_with_hostile_text(text in hostile_text()) {
        let file = timed("Aiken", || crate::quiz::formats::aiken::parse(&text));
        check_questions("Aiken", text.as_bytes(), &file);
    }

    #[test]
    fn question_tables_never_panic_as_csv_or_xlsx(bytes in prop_oneof![mutated(TABLE.to_vec()), mutated(as_xlsx(TABLE)), prop::collection::vec(any::<u8>(), 0..2000)]) {
        let (questions, errors) = timed("question table", || crate::quiz::formats::table::parse(&bytes));
        let lines = if bytes.starts_with(b"PK") { usize::MAX - 1 } else { lines_of(&bytes) };
        for e in &errors {
            prop_assert!((1..=lines + 1).contains(&e.line), "error on line {}: {:?}", e.line, e);
        }
        for q in &questions {
            prop_assert!(!errors.iter().any(|e| e.line == q.question.line), "line {} both accepted and refused", q.question.line);
        }
    }

    #[test]
    fn rosters_never_panic_as_csv_or_xlsx(bytes in prop_oneof![mutated(ROSTER.as_bytes().to_vec()), mutated(as_xlsx(ROSTER.as_bytes())), prop::collection::vec(any::<u8>(), 0..2000)]) {
        check_roster("roster", &bytes);
    }

    #[test]
    fn rosters_cope_with_hostile_cells(cells in prop::collection::vec(hostile_text(), 6..30)) {
        let mut csv = String::from("Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n");
        for row in cells.chunks(6) {
            csv.push_str(&row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","));
            csv.push('\n');
        }
        check_roster("roster", csv.as_bytes());
    }

    #[test]
    fn unit_lists_never_panic_as_csv_or_xlsx(bytes in prop_oneof![mutated(UNITS.as_bytes().to_vec()), mutated(as_xlsx(UNITS.as_bytes())), prop::collection::vec(any::<u8>(), 0..2000)]) {
        check_units("units", &bytes);
    }
}
