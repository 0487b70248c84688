//! The rules of the citizens' sign-up that need no database: which phones can receive a code,
//! what a typed code looks like, how long a code lives and how often one may be asked for.

use crate::accounts::validate::normalize_phone;

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// A code works this long after it is sent.
pub const CODE_VALID_SECS: i64 = 10 * 60;
/// Wrong tries a code survives; the next try needs a new code.
pub const CODE_MAX_TRIES: i64 = 5;
/// Codes sent to one phone per hour: each is a text message the city pays for, and a stranger
/// must not flood someone's phone.
pub const CODES_PER_PHONE_PER_HOUR: i64 = 3;
/// Codes asked for from one address per hour (a commune office's Wi-Fi may sign up a queue of
/// people at a communication event).
pub const CODES_PER_SOURCE_PER_HOUR: i64 = 30;

/// A phone a code can be texted to: a Vietnamese mobile number (10 digits, 03, 05, 07, 08 or
/// 09), in any usual spelling ("+84 912 345 678", "0912.345.678"), as `0xxxxxxxxx`.
pub fn mobile_phone(input: &str) -> Result<String, &'static str> {
    let phone = normalize_phone(input)?;
    let mobile = phone.len() == 10 && matches!(&phone[..2], "03" | "05" | "07" | "08" | "09");
    if mobile { Ok(phone) } else { Err("err.phone_not_mobile") }
}

/// A typed code, spaces and dashes left out ("123 456" is "123456").
pub fn typed_code(input: &str) -> Result<String, &'static str> {
    let code: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '.')).collect();
    if code.is_empty() {
        Err("err.required")
    } else if code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err("err.otp_format")
    }
}

/// The `email` a citizen's account holds: the column is unique and required, and a citizen
/// gives no e-mail. `.invalid` is reserved (RFC 2606), so nothing is ever sent there.
pub fn placeholder_email(phone: &str) -> String {
    format!("{phone}@cong-dan.invalid")
}

/// What a stored code says about a typed one, given the time and the tries it already had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Right,
    Wrong,
    Expired,
    UsedUp,
}

pub fn check_code(matches: bool, now: i64, expires_at: i64, tries: i64) -> CodeCheck {
    if now >= expires_at {
        CodeCheck::Expired
    } else if tries >= CODE_MAX_TRIES {
        CodeCheck::UsedUp
    } else if matches {
        CodeCheck::Right
    } else {
        CodeCheck::Wrong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_phones_in_any_spelling() {
        let cases = [
            ("0912345678", Ok("0912345678")),
            ("+84 912 345 678", Ok("0912345678")),
            ("0912.345.678", Ok("0912345678")),
            ("84 38 123 4567", Ok("0381234567")),
            ("0225 3842 123", Err("err.phone_not_mobile")),
            ("0112345678", Err("err.phone_format")),
            ("", Err("err.required")),
            ("09123abc78", Err("err.phone_format")),
        ];
        for (input, expected) in cases {
            assert_eq!(mobile_phone(input), expected.map(String::from), "{input:?}");
        }
    }

    #[test]
    fn typed_codes() {
        let cases = [("123456", Ok("123456")), (" 123 456 ", Ok("123456")), ("123-456", Ok("123456")), ("12345", Err("err.otp_format")), ("1234567", Err("err.otp_format")), ("12a456", Err("err.otp_format")), ("", Err("err.required"))];
        for (input, expected) in cases {
            assert_eq!(typed_code(input), expected.map(String::from), "{input:?}");
        }
    }

    #[test]
    fn a_code_works_in_time_and_within_its_tries() {
        use CodeCheck::*;
        // (matches, now, tries, answer) for a code expiring at 1000
        let cases = [(true, 999, 0, Right), (false, 999, 0, Wrong), (true, 1000, 0, Expired), (false, 2000, 9, Expired), (true, 10, CODE_MAX_TRIES - 1, Right), (true, 10, CODE_MAX_TRIES, UsedUp)];
        for (matches, now, tries, answer) in cases {
            assert_eq!(check_code(matches, now, 1000, tries), answer, "matches={matches} now={now} tries={tries}");
        }
    }

    #[test]
    fn placeholder_emails_are_never_deliverable() {
        assert_eq!(placeholder_email("0912345678"), "0912345678@cong-dan.invalid");
    }
}
