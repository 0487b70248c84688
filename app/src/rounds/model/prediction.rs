//! The prediction question's answer as people type it.

/// The largest prediction taken: more than any round could ever have entries.
pub const MAX_PREDICTION: i64 = 1_000_000_000;

/// A typed prediction as the platform reads it: "5.000", "5,000" and "5 000" are all 5000
/// (people group thousands either way); anything else is not a number of entries.
pub fn read_prediction(text: &str) -> Option<i64> {
    let digits: String = text.trim().chars().filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}')).collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|v| (0..=MAX_PREDICTION).contains(v))
}

/// 5000 as "5.000": the number as understood, shown back beside the field (Vietnamese
/// grouping; the attempt page passes its language's separator to `numbers::group_with`).
pub fn group_thousands(value: i64) -> String {
    crate::numbers::group_with(".", value)
}

#[cfg(test)]
mod prediction_tests {
    use super::*;

    #[test]
    fn predictions_are_read_with_either_thousands_separator() {
        let cases = [("5.000", Some(5000)), ("5,000", Some(5000)), (" 12 345 ", Some(12345)), ("0", Some(0)), ("", None), ("-3", None), ("5e3", None), ("10000000000", None)];
        for (text, expected) in cases {
            assert_eq!(read_prediction(text), expected, "{text:?}");
        }
    }

    #[test]
    fn thousands_are_grouped_the_vietnamese_way() {
        let cases = [(0, "0"), (999, "999"), (5000, "5.000"), (1234567, "1.234.567")];
        for (value, expected) in cases {
            assert_eq!(group_thousands(value), expected);
        }
    }
}
