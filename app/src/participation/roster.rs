//! Danh sách cán bộ: planning a roster upload. A roster file lists a unit's eligible staff,
//! one person per row: full name, CCCD or staff code, e-mail, phone, position, sub-unit. The
//! plan checks every row (identity formats, duplicates inside the file, sub-units that must
//! lie in the uploading unit's subtree) and reports problems by line; it is applied only when
//! there are none.

use crate::accounts::validate::{normalize_email, normalize_name, normalize_phone, validate_cccd};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The template's header, in the order of the columns.
pub const HEADER: [&str; 6] = ["Họ và tên", "CCCD hoặc mã cán bộ", "Email", "Số điện thoại", "Chức vụ", "Đơn vị trực thuộc"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterRow {
    pub line: usize,
    pub full_name: String,
    pub cccd: Option<String>,
    pub staff_code: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub position: String,
    pub unit_id: i64,
    pub unit_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterIssue {
    pub line: usize,
    pub field: String,
    /// Locale key.
    pub message: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterPlan {
    pub rows: Vec<RosterRow>,
    pub errors: Vec<RosterIssue>,
}

/// A unit of the uploading unit's subtree, which rows may name as their sub-unit.
pub struct SubtreeUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Column {
    Name,
    Identity,
    Email,
    Phone,
    Position,
    SubUnit,
}

fn column_of(header: &str) -> Option<Column> {
    let h = crate::text::fold(header);
    let h = h.trim();
    Some(match h {
        "ho va ten" | "ho ten" | "full_name" | "name" => Column::Name,
        "cccd hoac ma can bo" | "cccd" | "so cccd" | "ma can bo" | "cccd/ma can bo" | "cccd_or_staff_code" | "staff_code" => Column::Identity,
        "email" | "thu dien tu" | "e-mail" => Column::Email,
        "so dien thoai" | "dien thoai" | "phone" | "sdt" => Column::Phone,
        "chuc vu" | "position" => Column::Position,
        "don vi truc thuoc" | "don vi" | "sub_unit" | "sub-unit" => Column::SubUnit,
        _ => return None,
    })
}

fn issue(line: usize, field: &str, message: &str, detail: impl Into<String>) -> RosterIssue {
    RosterIssue { line, field: field.into(), message: message.into(), detail: detail.into() }
}

/// Plans a roster for `root` (the uploading unit) from rows read by `tabular::read`.
pub fn plan(rows: &[(usize, Vec<String>)], root: &SubtreeUnit, subtree: &[SubtreeUnit]) -> RosterPlan {
    let mut out = RosterPlan::default();
    let Some((header_line, header)) = rows.first() else {
        out.errors.push(issue(1, "file", "err.import_empty", ""));
        return out;
    };
    let columns: HashMap<Column, usize> = header.iter().enumerate().filter_map(|(i, h)| column_of(h).map(|c| (c, i))).collect();
    if !columns.contains_key(&Column::Name) || !columns.contains_key(&Column::Identity) {
        out.errors.push(issue(*header_line, "file", "err.roster_columns", header.join(", ")));
        return out;
    }
    let by_code: HashMap<String, &SubtreeUnit> = subtree.iter().map(|u| (u.code.to_lowercase(), u)).collect();
    let by_name: HashMap<String, &SubtreeUnit> = subtree.iter().map(|u| (crate::text::fold(&u.name), u)).collect();
    // identity value → first line that used it, per kind
    let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
    for (line, cells) in rows.iter().skip(1) {
        let cell = |c: Column| columns.get(&c).and_then(|i| cells.get(*i)).map(|s| s.trim().to_string()).unwrap_or_default();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let before = out.errors.len();
        let full_name = normalize_name(&cell(Column::Name)).map_err(|k| out.errors.push(issue(*line, "full_name", k, cell(Column::Name)))).ok();
        let identity = cell(Column::Identity);
        let (mut cccd, mut staff_code) = (None, None);
        if identity.is_empty() {
            out.errors.push(issue(*line, "cccd", "err.roster_identity_required", ""));
        } else if identity.chars().all(|c| c.is_ascii_digit()) {
            match validate_cccd(&identity) {
                Ok(v) => cccd = Some(v),
                Err(k) => out.errors.push(issue(*line, "cccd", k, identity.clone())),
            }
        } else if identity.chars().count() <= 30 && identity.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '/') {
            staff_code = Some(identity.to_uppercase());
        } else {
            out.errors.push(issue(*line, "cccd", "err.roster_identity_format", identity.clone()));
        }
        let email = match cell(Column::Email) {
            e if e.is_empty() => None,
            e => normalize_email(&e).map_err(|k| out.errors.push(issue(*line, "email", k, e.clone()))).ok(),
        };
        let phone = match cell(Column::Phone) {
            p if p.is_empty() => None,
            p => normalize_phone(&p).map_err(|k| out.errors.push(issue(*line, "phone", k, p.clone()))).ok(),
        };
        let position = cell(Column::Position);
        if crate::text::too_long(&position, 120) {
            out.errors.push(issue(*line, "position", "err.too_long", position.chars().take(40).collect::<String>()));
        }
        let sub = cell(Column::SubUnit);
        let unit = if sub.is_empty() {
            Some(root)
        } else {
            let found = by_code.get(&sub.to_lowercase()).or_else(|| by_name.get(&crate::text::fold(&sub))).copied();
            if found.is_none() {
                out.errors.push(issue(*line, "sub_unit", "err.roster_sub_unit_unknown", sub.clone()));
            }
            found
        };
        for (kind, value) in [("cccd", cccd.clone().or(staff_code.clone())), ("email", email.clone()), ("phone", phone.clone())] {
            if let Some(v) = value {
                if let Some(first) = seen.get(&(kind, v.clone())) {
                    out.errors.push(issue(*line, kind, "err.roster_duplicate", format!("{first}")));
                } else {
                    seen.insert((kind, v), *line);
                }
            }
        }
        if out.errors.len() == before {
            if let (Some(full_name), Some(unit)) = (full_name, unit) {
                out.rows.push(RosterRow {
                    line: *line,
                    full_name,
                    cccd,
                    staff_code,
                    email,
                    phone,
                    position,
                    unit_id: unit.id,
                    unit_name: unit.name.clone(),
                });
            }
        }
    }
    if out.rows.is_empty() && out.errors.is_empty() {
        out.errors.push(issue(header_line + 1, "file", "err.import_empty", ""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (line, cells.iter().map(|s| s.to_string()).collect())
    }

    fn units() -> (SubtreeUnit, Vec<SubtreeUnit>) {
        let root = SubtreeUnit { id: 10, code: "S10".into(), name: "Sở Y tế".into() };
        let subtree = vec![SubtreeUnit { id: 10, code: "S10".into(), name: "Sở Y tế".into() }, SubtreeUnit { id: 11, code: "S10-01".into(), name: "Bệnh viện Việt Tiệp".into() }];
        (root, subtree)
    }

    #[test]
    fn a_clean_roster_is_planned_with_sub_units() {
        let (root, subtree) = units();
        let rows = vec![
            row(1, &HEADER),
            row(2, &["Nguyễn Văn An", "031095000001", "an@syt.haiphong.gov.vn", "0912 345 678", "Chuyên viên", ""]),
            row(3, &["Trần Thị Bình", "bv-0042", "", "", "Bác sĩ", "benh vien viet tiep"]),
            row(4, &["", "", "", "", "", ""]),
        ];
        let plan = plan(&rows, &root, &subtree);
        assert!(plan.errors.is_empty(), "{:?}", plan.errors);
        assert_eq!(plan.rows.len(), 2);
        assert_eq!((plan.rows[0].phone.as_deref(), plan.rows[0].unit_id), (Some("0912345678"), 10));
        assert_eq!((plan.rows[1].staff_code.as_deref(), plan.rows[1].unit_id), (Some("BV-0042"), 11));
    }

    #[test]
    fn every_problem_is_reported_by_line() {
        let (root, subtree) = units();
        let rows = vec![
            row(1, &HEADER),
            row(2, &["Nguyễn Văn An", "031095000001", "an@x.vn", "0912345678", "", ""]),
            row(3, &["Lê Văn Cường", "12345", "", "", "", ""]),
            row(4, &["Phạm Thị Dung", "031095000001", "", "", "", ""]),
            row(5, &["Hoàng Văn Em", "031095000005", "", "0912 345 678", "", ""]),
            row(6, &["Vũ Thị Giang", "031095000006", "khong-phai-email", "", "", ""]),
            row(7, &["Đỗ Văn Hải", "031095000007", "", "", "", "Bệnh viện Kiến An"]),
            row(8, &["", "031095000008", "", "", "", ""]),
        ];
        let plan = plan(&rows, &root, &subtree);
        let got: Vec<(usize, &str, &str)> = plan.errors.iter().map(|e| (e.line, e.field.as_str(), e.message.as_str())).collect();
        assert_eq!(got, vec![
            (3, "cccd", "err.cccd_format"),
            (4, "cccd", "err.roster_duplicate"),
            (5, "phone", "err.roster_duplicate"),
            (6, "email", "err.email_format"),
            (7, "sub_unit", "err.roster_sub_unit_unknown"),
            (8, "full_name", "err.required"),
        ]);
        assert_eq!(plan.errors[1].detail, "2", "points at the first line with that CCCD");
    }

    #[test]
    fn wrong_columns_are_refused_at_the_header() {
        let (root, subtree) = units();
        let plan = plan(&[row(1, &["Tên", "Mã số"]), row(2, &["A", "B"])], &root, &subtree);
        assert_eq!(plan.errors.len(), 1);
        assert_eq!((plan.errors[0].line, plan.errors[0].message.as_str()), (1, "err.roster_columns"));
        assert!(plan.rows.is_empty());
    }
}
