//! Import and export of the unit tree as CSV and XLSX.
//!
//! An import is planned first (every row classified as create / update / unchanged, every
//! problem reported with its line) and applied only if the plan has no errors, in one
//! transaction: a spreadsheet with one bad line changes nothing.

use crate::codes::Code;
use super::model::{Block, ImportPreview, ImportRow, LineError, Unit, UnitNode, UnitStatus};
use super::tree;
use crate::cells::Headers;
use crate::i18n::{Lang, t};
use std::collections::{HashMap, HashSet};

pub const COLUMNS: [&str; 5] = ["code", "name", "parent_code", "block", "headcount"];

/// One data line of an import file, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub line: usize,
    pub cells: HashMap<&'static str, String>,
}

fn column_for(header: &str) -> Option<&'static str> {
    let h = crate::text::fold(header).replace(['_', '-'], " ");
    match h.trim() {
        "code" | "ma" | "ma don vi" => Some("code"),
        "name" | "ten" | "ten don vi" => Some("name"),
        "parent code" | "parent" | "ma cap tren" | "ma don vi cap tren" | "ma don vi cha" => Some("parent_code"),
        "block" | "khoi" => Some("block"),
        "headcount" | "so nguoi" | "bien che" | "so cbccvc" | "so cbccvc khai bao" => Some("headcount"),
        _ => None,
    }
}

fn line_error(line: usize, field: &str, key: &str) -> LineError {
    LineError { line, field: field.into(), message: key.into() }
}

/// Reads CSV (UTF-8, with or without BOM, comma or semicolon) or XLSX (first sheet).
pub fn read_rows(bytes: &[u8]) -> Result<Vec<RawRow>, LineError> {
    let table = crate::tabular::read(bytes).map_err(|key| line_error(1, "file", key))?;
    let mut lines = table.into_iter();
    let Some((_, header)) = lines.next() else { return Err(line_error(1, "file", "err.import_empty")) };
    let columns: Vec<Option<&'static str>> = header.iter().map(|h| column_for(h)).collect();
    for required in ["code", "name", "parent_code", "block"] {
        if !columns.contains(&Some(required)) {
            return Err(line_error(1, required, "err.import_missing_column"));
        }
    }
    let mut rows = Vec::new();
    for (line, cells) in lines {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut map = HashMap::new();
        for (i, col) in columns.iter().enumerate() {
            if let Some(col) = col {
                map.insert(*col, cells.get(i).map(|c| c.trim().to_string()).unwrap_or_default());
            }
        }
        rows.push(RawRow { line, cells: map });
    }
    Ok(rows)
}

/// Classifies every row against the current tree and reports every problem by line.
pub fn plan(existing: &[Unit], rows: &[RawRow], filename: &str) -> ImportPreview {
    let by_code: HashMap<&str, &Unit> = existing.iter().map(|u| (u.code.as_str(), u)).collect();
    let by_id: HashMap<i64, &Unit> = existing.iter().map(|u| (u.id, u)).collect();
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let file_codes: HashSet<String> = rows.iter().map(|r| r.cells.get("code").cloned().unwrap_or_default()).collect();

    for row in rows {
        let cell = |name: &str| row.cells.get(name).cloned().unwrap_or_default();
        let (code, name, parent_code, block_text, headcount_text) = (cell("code"), cell("name"), cell("parent_code"), cell("block"), cell("headcount"));
        let line = row.line;
        if let Err(key) = tree::validate_code(&code) {
            errors.push(line_error(line, "code", key));
        } else if let Some(first) = seen.insert(code.clone(), line) {
            errors.push(LineError { line, field: "code".into(), message: format!("err.code_duplicate:{first}") });
        }
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.push(line_error(line, "name", "err.required"));
        } else if name.chars().count() > 200 {
            errors.push(line_error(line, "name", "err.too_long"));
        }
        let block = Block::parse(&block_text);
        if block.is_none() {
            errors.push(line_error(line, "block", if block_text.is_empty() { "err.required" } else { "err.block_unknown" }));
        }
        let headcount = if headcount_text.is_empty() {
            Some(by_code.get(code.as_str()).map(|u| u.headcount).unwrap_or(0))
        } else {
            headcount_text.parse::<i64>().ok().filter(|h| (0..=1_000_000).contains(h))
        };
        if headcount.is_none() {
            errors.push(line_error(line, "headcount", "err.headcount_format"));
        }
        let current = by_code.get(code.as_str()).copied();
        let unchanged = current.is_some_and(|u| {
            let same_parent = u.parent_id.and_then(|p| by_id.get(&p)).map(|p| p.code.as_str()).unwrap_or("") == parent_code;
            u.name == name && Some(u.block) == block && Some(u.headcount) == headcount && same_parent
        });
        if let Some(u) = current.filter(|u| u.status != UnitStatus::Active) {
            // An export lists retired and merged units too; re-importing them unchanged is a
            // no-op, changing them is refused.
            if unchanged {
                planned.push(ImportRow { line, code, name, parent_code, block: u.block.code().to_string(), headcount: u.headcount, action: "unchanged".into() });
            } else {
                errors.push(line_error(line, "code", "err.unit_retired"));
            }
            continue;
        }
        let is_root = current.is_some_and(|u| u.parent_id.is_none());
        if parent_code.is_empty() {
            if !is_root {
                errors.push(line_error(line, "parent_code", "err.required"));
            }
        } else if parent_code == code {
            errors.push(line_error(line, "parent_code", "err.parent_cycle"));
        } else {
            match by_code.get(parent_code.as_str()) {
                Some(p) if p.status != UnitStatus::Active => errors.push(line_error(line, "parent_code", "err.unit_retired")),
                Some(_) => {}
                None if file_codes.contains(&parent_code) => {}
                None => errors.push(line_error(line, "parent_code", "err.parent_unknown")),
            }
        }
        let headcount = headcount.unwrap_or(0);
        let action = match current {
            None => "create",
            Some(_) if unchanged => "unchanged",
            Some(_) => "update",
        };
        planned.push(ImportRow { line, code, name, parent_code, block: block.map(|b| b.code().to_string()).unwrap_or(block_text), headcount, action: action.into() });
    }

    // Cycles can only appear through the combination of rows and the tree, so check them on
    // the tree as it would be after the import.
    if errors.is_empty() {
        let mut parent: HashMap<String, String> = existing
            .iter()
            .filter_map(|u| u.parent_id.and_then(|p| by_id.get(&p)).map(|p| (u.code.clone(), p.code.clone())))
            .collect();
        for r in &planned {
            if !r.parent_code.is_empty() {
                parent.insert(r.code.clone(), r.parent_code.clone());
            }
        }
        for r in &planned {
            let mut cursor = parent.get(&r.code);
            let mut steps = 0;
            while let Some(p) = cursor {
                if *p == r.code || steps > parent.len() {
                    errors.push(line_error(r.line, "parent_code", "err.parent_cycle"));
                    break;
                }
                steps += 1;
                cursor = parent.get(p);
            }
        }
    }
    errors.sort_by(|a, b| a.line.cmp(&b.line).then_with(|| a.field.cmp(&b.field)));
    ImportPreview { import_id: None, filename: filename.to_string(), rows: planned, errors, applied: false }
}

/// The export's columns: the first five are the import format (either header set is read
/// back by the import), then the kind, status, receiving unit, and the staff count with its
/// source as participation uses it.
const EXPORT_CODES: [&str; 10] = ["code", "name", "parent_code", "block", "headcount", "kind", "status", "merged_into_code", "staff", "staff_source"];
const EXPORT_PEOPLE: [&str; 10] = [
    "units.col_code", "units.col_name", "units.col_parent_code", "units.col_block", "units.col_headcount",
    "units.col_kind", "units.col_status", "units.col_merged_into", "units.col_staff", "units.col_staff_source",
];

/// The header row for `headers`.
pub fn export_header(headers: Headers) -> Vec<String> {
    match headers {
        Headers::Codes => EXPORT_CODES.iter().map(|h| h.to_string()).collect(),
        Headers::People => EXPORT_PEOPLE.iter().map(|k| t(Lang::Vi, k)).collect(),
    }
}

fn export_rows(nodes: &[UnitNode], headers: Headers) -> Vec<[String; 10]> {
    let codes: HashMap<i64, &str> = nodes.iter().map(|n| (n.unit.id, n.unit.code.as_str())).collect();
    // People read labels ("Sở, ban, ngành", "Đã giải thể"); programs read codes.
    let label = |key: String, code: &str| match headers {
        Headers::Codes => code.to_string(),
        Headers::People => t(Lang::Vi, &key),
    };
    nodes
        .iter()
        .map(|n| {
            let u = &n.unit;
            let merged_into = u.merged_into_id.and_then(|m| codes.get(&m)).copied().unwrap_or("");
            [
                u.code.clone(),
                u.name.clone(),
                u.parent_id.and_then(|p| codes.get(&p)).unwrap_or(&"").to_string(),
                label(u.block.label_key(), u.block.code()),
                u.headcount.to_string(),
                label(format!("units.kind_{}", u.kind), &u.kind),
                crate::i18n::fill(&label(format!("units.status_{}", u.status.code()), u.status.code()), &[("target", merged_into)]),
                merged_into.to_string(),
                n.staff.map(|s| s.count.to_string()).unwrap_or_default(),
                n.staff.map(|s| label(format!("part.source_{}", s.source.code()), s.source.code())).unwrap_or_default(),
            ]
        })
        .collect()
}

/// CSV with a UTF-8 byte-order mark, so Excel opens the diacritics correctly. The first five
/// columns are the import format, so an export can be edited and imported back.
pub fn to_csv(nodes: &[UnitNode], headers: Headers) -> Vec<u8> {
    let mut writer = crate::cells::Csv::with_bom();
    let _ = writer.row(export_header(headers));
    for row in export_rows(nodes, headers) {
        let _ = writer.row(&row);
    }
    writer.into_bytes().unwrap_or_default()
}

pub fn to_xlsx(nodes: &[UnitNode], headers: Headers) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Don vi")?;
    let bold = Format::new().set_bold();
    for (c, h) in export_header(headers).iter().enumerate() {
        sheet.write_with_format(0, c as u16, h.as_str(), &bold)?;
    }
    for (r, row) in export_rows(nodes, headers).iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let r = (r + 1) as u32;
            if c == 4 || (c == 8 && !value.is_empty()) {
                sheet.write(r, c as u16, value.parse::<f64>().unwrap_or(0.0))?;
            } else {
                crate::cells::xlsx_text(sheet, r, c as u16, value)?;
            }
        }
    }
    sheet.set_column_width(1, 48)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// The empty template offered on the import page.
pub fn template_csv() -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice("Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Khối,Số CBCCVC\n".as_bytes());
    out.extend_from_slice("SYT-BV01,Bệnh viện Đa khoa ví dụ,SYT,Đơn vị sự nghiệp,120\n".as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i64, code: &str, parent: Option<i64>, status: UnitStatus) -> Unit {
        Unit { id, code: code.into(), name: format!("Đơn vị {code}"), kind: "subordinate".into(), block: Block::SoNganh, parent_id: parent,
            headcount: 10, status, merged_into_id: None, created_at: 0, updated_at: 0 }
    }

    fn existing() -> Vec<Unit> {
        vec![unit(1, "HP", None, UnitStatus::Active), unit(2, "SYT", Some(1), UnitStatus::Active), unit(3, "OLD", Some(1), UnitStatus::Retired)]
    }

    fn csv_rows(text: &str) -> Vec<RawRow> {
        read_rows(text.as_bytes()).expect("readable")
    }

    #[test]
    fn plan_classifies_rows_and_accepts_parents_defined_later_in_the_file() {
        let rows = csv_rows("\u{feff}code,name,parent_code,block,headcount\n\
            SYT,Đơn vị SYT,HP,so_nganh,10\n\
            BV1,Bệnh viện Việt Tiệp,SYT,đơn vị sự nghiệp,800\n\
            K1,Khoa Nội,BV1,su_nghiep,\n\
            SYT2,Sở Y tế mới,HP,\"sở, ban, ngành\",5\n");
        let plan = plan(&existing(), &rows, "u.csv");
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        let actions: Vec<(&str, &str)> = plan.rows.iter().map(|r| (r.code.as_str(), r.action.as_str())).collect();
        assert_eq!(actions, vec![("SYT", "unchanged"), ("BV1", "create"), ("K1", "create"), ("SYT2", "create")]);
        assert_eq!(plan.rows[1].block, "su_nghiep");
        assert_eq!(plan.rows[2].headcount, 0);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_line_number() {
        let rows = csv_rows("code,name,parent_code,block,headcount\n\
            A1,Tên A,HP,so_nganh,10\n\
            A1,Trùng mã,HP,so_nganh,10\n\
            ,Không mã,HP,so_nganh,1\n\
            B1,,HP,so_nganh,1\n\
            C1,Sai khối,HP,khối lạ,1\n\
            D1,Số âm,HP,so_nganh,-4\n\
            E1,Cha lạ,NOPE,so_nganh,1\n\
            F1,Cha giải thể,OLD,so_nganh,1\n\
            OLD,Sửa đơn vị đã giải thể,HP,so_nganh,1\n\
            OLD,Đơn vị OLD,HP,so_nganh,10\n");
        let plan = plan(&existing(), &rows, "bad.csv");
        let got: Vec<(usize, &str, &str)> = plan.errors.iter().map(|e| (e.line, e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(got, vec![
            (3, "code", "err.code_duplicate:2"),
            (4, "code", "err.required"),
            (5, "name", "err.required"),
            (6, "block", "err.block_unknown"),
            (7, "headcount", "err.headcount_format"),
            (8, "parent_code", "err.parent_unknown"),
            (9, "parent_code", "err.unit_retired"),
            (10, "code", "err.unit_retired"),
            // Line 11 repeats the retired unit exactly as exported: a no-op, except that the
            // code already appeared on line 10.
            (11, "code", "err.code_duplicate:10"),
        ]);
    }

    #[test]
    fn cycles_through_the_file_are_refused() {
        let rows = csv_rows("code,name,parent_code,block\nX,X,Y,so_nganh\nY,Y,X,so_nganh\n");
        let plan = plan(&existing(), &rows, "c.csv");
        assert_eq!(plan.errors.iter().filter(|e| e.message == "err.parent_cycle").count(), 2);
    }

    #[test]
    fn missing_columns_and_semicolons() {
        let err = read_rows(b"code,name\nA,B\n").unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (1, "err.import_missing_column"));
        let rows = csv_rows("Mã đơn vị;Tên đơn vị;Mã cấp trên;Khối;Số người\nA;Tên;HP;so_nganh;3\n");
        assert_eq!(rows[0].cells["name"], "Tên");
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn export_round_trips_through_import_and_xlsx_reads_back() {
        // Retired units are exported too and come back as no-ops.
        let with_retired = tree::as_tree(existing());
        let plan_all = plan(&existing(), &read_rows(&to_csv(&with_retired, Headers::People)).unwrap(), "all.csv");
        assert!(plan_all.errors.is_empty(), "{:?}", plan_all.errors);
        assert_eq!(plan_all.rows.len(), 3);
        let mut nodes = tree::as_tree(existing().into_iter().filter(|u| u.status == UnitStatus::Active).collect());
        nodes[1].staff = Some(crate::participation::rates::staff_count(10, Some(7)));
        // Both header sets read back: people's (Vietnamese headers and labels) and codes.
        for headers in [Headers::People, Headers::Codes] {
            let csv_bytes = to_csv(&nodes, headers);
            let plan_csv = plan(&existing(), &read_rows(&csv_bytes).unwrap(), "e.csv");
            assert!(plan_csv.errors.is_empty(), "{headers:?} {:?}", plan_csv.errors);
            assert!(plan_csv.rows.iter().all(|r| r.action == "unchanged"), "{headers:?}");
        }
        let people = String::from_utf8(to_csv(&nodes, Headers::People)).unwrap();
        let first = people.lines().next().unwrap();
        assert!(first.contains("Mã đơn vị") && first.contains("Khối") && first.contains("Số CBCCVC tính tỷ lệ") && first.contains("Nguồn số CBCCVC"), "{first}");
        assert!(people.contains("Sở, ban, ngành") && people.contains("Đang hoạt động") && people.contains(",7,Danh sách cán bộ"), "{people}");
        let codes = String::from_utf8(to_csv(&nodes, Headers::Codes)).unwrap();
        assert!(codes.starts_with("\u{feff}code,name,parent_code,block,headcount,kind,status,merged_into_code,staff,staff_source\n"), "{codes}");
        assert!(codes.contains(",so_nganh,") && codes.contains(",7,roster"), "{codes}");
        let xlsx = to_xlsx(&nodes, Headers::People).unwrap();
        let rows = read_rows(&xlsx).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells["name"], "Đơn vị SYT");
        assert_eq!(rows[1].cells["headcount"], "10");
    }
}
