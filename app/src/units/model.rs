//! Đơn vị: the unit tree (city → sở/ban/ngành and xã/phường/đặc khu → subordinate units).

use crate::codes::Code;
use serde::{Deserialize, Serialize};

/// Khối: the block a unit is reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// Thành phố: the root.
    City,
    /// Sở, ban, ngành.
    SoNganh,
    /// Xã, phường, đặc khu.
    XaPhuong,
    /// Đơn vị sự nghiệp: schools, hospitals and other public-service units.
    SuNghiep,
}

crate::stored_code!(Block { City => "city", SoNganh => "so_nganh", XaPhuong => "xa_phuong", SuNghiep => "su_nghiep" });

impl Block {
    /// Accepts the code or the Vietnamese name, with or without accents ("sở, ban, ngành",
    /// "xa phuong dac khu"), since spreadsheets typed by hand use both.
    pub fn parse(text: &str) -> Option<Block> {
        let folded = crate::text::fold(text).replace([',', '-', '_'], " ");
        let words: Vec<&str> = folded.split_whitespace().collect();
        let joined = words.join(" ");
        match joined.as_str() {
            "city" | "thanh pho" => Some(Block::City),
            "so nganh" | "so ban nganh" => Some(Block::SoNganh),
            "xa phuong" | "xa phuong dac khu" => Some(Block::XaPhuong),
            "su nghiep" | "don vi su nghiep" => Some(Block::SuNghiep),
            _ => None,
        }
    }

    pub fn label_key(self) -> String {
        format!("block.{}", self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Active,
    /// Giải thể: no longer in use; records that point to it still show it.
    Retired,
    /// Sáp nhập: merged into `merged_into_id`.
    Merged,
}

crate::stored_code!(UnitStatus { Active => "active", Retired => "retired", Merged => "merged" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// city, department, ward, commune, special_zone or subordinate.
    pub kind: String,
    pub block: Block,
    pub parent_id: Option<i64>,
    /// Eligible headcount (số CBCCVC thuộc diện tham gia).
    pub headcount: i64,
    pub status: UnitStatus,
    pub merged_into_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A unit placed in the tree for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitNode {
    pub unit: Unit,
    pub depth: usize,
    pub parent_name: Option<String>,
    pub merged_into_name: Option<String>,
    /// Số CBCCVC as participation counts it (roster size, else the declared headcount), with
    /// its source; given to organizers only.
    #[serde(default)]
    pub staff: Option<crate::participation::rates::StaffCount>,
}

/// Fields of a new unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub block: String,
    pub parent_id: Option<i64>,
    pub headcount: Option<i64>,
}

/// Fields that can change on an existing unit; `None` keeps the current value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitChanges {
    pub name: Option<String>,
    pub block: Option<String>,
    pub headcount: Option<i64>,
}

/// What retiring a unit would touch, shown before the organizer confirms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RetireFacts {
    pub unit_id: i64,
    pub name: String,
    /// Active sub-units: while there are any, the unit cannot be retired.
    pub active_children: i64,
    /// Accounts registered in the unit: they keep it, and count for no unit while it is retired.
    pub accounts: i64,
    /// Active roster entries placed in the unit: kept, out of every rate while it is retired.
    pub roster_entries: i64,
}

/// One entry of a unit's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct UnitEvent {
    pub action: String,
    pub detail: String,
    pub actor_name: Option<String>,
    pub at: i64,
}

/// An import line problem: line 1 is the header, so data starts at line 2.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineError {
    pub line: usize,
    pub field: String,
    /// Locale key of the message.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportRow {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub parent_code: String,
    pub block: String,
    pub headcount: i64,
    /// create, update or unchanged.
    pub action: String,
}

/// What an import would do. It is applied only when `errors` is empty, all rows at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    pub import_id: Option<i64>,
    pub filename: String,
    pub rows: Vec<ImportRow>,
    pub errors: Vec<LineError>,
    pub applied: bool,
}

impl ImportPreview {
    pub fn count(&self, action: &str) -> usize {
        self.rows.iter().filter(|r| r.action == action).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_codes_are_the_json_names() {
        assert!(crate::codes::serde_agrees::<Block>());
        assert!(crate::codes::serde_agrees::<UnitStatus>());
    }

    #[test]
    fn blocks_parse_from_codes_and_vietnamese_names() {
        for b in Block::ALL {
            assert_eq!(Block::parse(b.code()), Some(*b));
        }
        assert_eq!(Block::parse("Sở, ban, ngành"), Some(Block::SoNganh));
        assert_eq!(Block::parse("xa phuong dac khu"), Some(Block::XaPhuong));
    }
}
