//! The parts of a Vietnamese administrative document (Decree 30/2020/NĐ-CP, Appendix I) that
//! the templates print from data: the issuing body and the document's number on the left, the
//! national motto and the place-and-date line on the right, and the signature block.

use serde::Serialize;

/// Where documents of the platform are issued.
pub const PLACE: &str = "Hải Phòng";

/// The header: issuing body (its parent body above it), number and symbol, place and date.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// The body above the issuer (`UBND THÀNH PHỐ HẢI PHÒNG`); may be empty.
    pub parent: String,
    pub issuer: String,
    /// `Số: …/BC-BTC`: the number is left blank for the clerk who registers the document.
    pub number: String,
    pub place_date: String,
}

/// A signer: the capacity line (`TM. BAN TỔ CHỨC`, may be empty), the title, the name (left
/// blank for a handwritten one).
#[derive(Debug, Clone, Serialize)]
pub struct Signer {
    pub capacity: String,
    pub title: String,
    pub name: String,
}

impl Signer {
    pub fn new(capacity: &str, title: &str) -> Signer {
        Signer { capacity: capacity.into(), title: title.into(), name: String::new() }
    }
}

/// `Số:` with a blank number and the symbol: `Số:       /BB-HĐCK`.
pub fn blank_number(symbol: &str) -> String {
    format!("Số:\u{2002}\u{2002}\u{2002}\u{2002}\u{2002}/{symbol}")
}

/// The place-and-date line of a day (Unix seconds, Vietnam time): days under 10 and the
/// months January and February take a leading zero, the others none (Decree 30, App. I, 5b).
pub fn place_date(secs: i64) -> String {
    let day = (secs + crate::vn_time::VN_OFFSET_SECS).div_euclid(86_400);
    let (y, m, d) = crate::vn_time::civil_from_days(day);
    let month = if m <= 2 { format!("{m:02}") } else { m.to_string() };
    format!("{PLACE}, ngày {d:02} tháng {month} năm {y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(y: i64, m: i64, d: i64) -> i64 {
        crate::vn_time::days_from_civil(y, m, d) * 86_400 + 3 * 3600
    }

    #[test]
    fn place_date_follows_decree_30_zeros() {
        for ((y, m, d), expected) in [
            ((2026, 12, 6), "Hải Phòng, ngày 06 tháng 12 năm 2026"),
            ((2026, 2, 5), "Hải Phòng, ngày 05 tháng 02 năm 2026"),
            ((2026, 1, 31), "Hải Phòng, ngày 31 tháng 01 năm 2026"),
            ((2026, 3, 15), "Hải Phòng, ngày 15 tháng 3 năm 2026"),
            ((2026, 9, 9), "Hải Phòng, ngày 09 tháng 9 năm 2026"),
        ] {
            assert_eq!(place_date(secs(y, m, d)), expected);
        }
    }

    #[test]
    fn place_date_is_in_vietnam_time() {
        // 18:00 UTC on 31 Dec is already 1 Jan in Hải Phòng.
        let evening = crate::vn_time::days_from_civil(2026, 12, 31) * 86_400 + 18 * 3600;
        assert_eq!(place_date(evening), "Hải Phòng, ngày 01 tháng 01 năm 2027");
    }

    #[test]
    fn the_number_is_left_blank_before_the_symbol() {
        let n = blank_number("BB-HĐCK");
        assert!(n.starts_with("Số:") && n.ends_with("/BB-HĐCK"));
        assert!(n["Số:".len()..n.len() - "/BB-HĐCK".len()].chars().all(char::is_whitespace));
    }
}
