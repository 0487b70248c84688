//! Pure validation of what a civil servant types on the registration form. The same rules run
//! in the browser (for instant feedback) and on the server (which is the one that decides).

/// Normalises a Vietnamese mobile or landline number to the national form `0xxxxxxxxx`.
/// Accepts `+84…`, `84…` and `0…`, with spaces, dots or dashes between digit groups.
pub fn normalize_phone(input: &str) -> Result<String, &'static str> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("err.required");
    }
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return Err("err.phone_format"),
        }
    }
    let national = if trimmed.starts_with('+') {
        if !digits.starts_with("84") {
            return Err("err.phone_format");
        }
        format!("0{}", &digits[2..])
    } else if digits.starts_with("84") && digits.len() == 11 {
        format!("0{}", &digits[2..])
    } else {
        digits
    };
    // Mobile numbers are 10 digits (03, 05, 07, 08, 09); landlines are 11 (02x area codes).
    let ok = match national.as_bytes() {
        [b'0', b'3' | b'5' | b'7' | b'8' | b'9', ..] => national.len() == 10,
        [b'0', b'2', ..] => national.len() == 11,
        _ => false,
    };
    if ok { Ok(national) } else { Err("err.phone_format") }
}

/// Validates a 12-digit citizen identity number (CCCD). The first three digits are the
/// province code of birth registration (001–096), the fourth encodes century and sex (0–9),
/// the next two the year of birth.
pub fn validate_cccd(input: &str) -> Result<String, &'static str> {
    let cccd = input.trim();
    if cccd.is_empty() {
        return Err("err.required");
    }
    if cccd.len() != 12 || !cccd.bytes().all(|b| b.is_ascii_digit()) {
        return Err("err.cccd_format");
    }
    let province: u32 = cccd[0..3].parse().map_err(|_| "err.cccd_format")?;
    if !(1..=96).contains(&province) {
        return Err("err.cccd_province");
    }
    Ok(cccd.to_string())
}

/// A deliberately simple e-mail check: one `@`, a dot in the domain, no spaces. Real checking
/// is done by whoever sends mail to it.
pub fn normalize_email(input: &str) -> Result<String, &'static str> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err("err.required");
    }
    let Some((local, domain)) = email.split_once('@') else { return Err("err.email_format") };
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254;
    if valid { Ok(email) } else { Err("err.email_format") }
}

/// Full names keep their diacritics exactly as typed (NFC), with runs of spaces collapsed.
pub fn normalize_name(input: &str) -> Result<String, &'static str> {
    use unicode_normalization::UnicodeNormalization;
    let name: String = input.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect();
    if name.is_empty() {
        return Err("err.required");
    }
    // Digits of any script (full-width "１２" too), control and invisible format characters
    // (a right-to-left override or a zero-width space makes one name look like another).
    if name.chars().count() > 120 || name.chars().any(|c| c.is_numeric() || c.is_control() || crate::text::is_format(c)) {
        return Err("err.name_format");
    }
    Ok(name)
}

pub fn validate_password(input: &str) -> Result<(), &'static str> {
    let len = input.chars().count();
    if len < 8 {
        return Err("err.password_short");
    }
    if len > 128 {
        return Err("err.password_long");
    }
    Ok(())
}

/// Shows only the first three and last two digits: `079*******45`.
pub fn mask_cccd(cccd: &str) -> String {
    mask_middle(cccd, 3, 2)
}

/// Shows the first three and last three digits: `091****678`.
pub fn mask_phone(phone: &str) -> String {
    mask_middle(phone, 3, 3)
}

fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < head || i >= chars.len() - tail { *c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_in_every_common_format() {
        let ok = [
            ("0912345678", "0912345678"),
            ("+84912345678", "0912345678"),
            ("+84 91 234 5678", "0912345678"),
            ("84912345678", "0912345678"),
            ("091.234.5678", "0912345678"),
            ("0225 3842 123", "02253842123"),
            ("+84 225 3842123", "02253842123"),
        ];
        for (input, expected) in ok {
            assert_eq!(normalize_phone(input), Ok(expected.to_string()), "{input}");
        }
        let bad = [("", "err.required"), ("12345", "err.phone_format"), ("0112345678", "err.phone_format"),
            ("+1 202 555 0100", "err.phone_format"), ("09123456789", "err.phone_format"), ("09x2345678", "err.phone_format")];
        for (input, key) in bad {
            assert_eq!(normalize_phone(input), Err(key), "{input}");
        }
    }

    #[test]
    fn cccd_needs_twelve_digits_and_a_real_province_code() {
        assert_eq!(validate_cccd(" 031095001234 "), Ok("031095001234".into()));
        let bad = [("", "err.required"), ("03109500123", "err.cccd_format"), ("0310950012345", "err.cccd_format"),
            ("03109500123a", "err.cccd_format"), ("000095001234", "err.cccd_province"), ("097095001234", "err.cccd_province")];
        for (input, key) in bad {
            assert_eq!(validate_cccd(input), Err(key), "{input}");
        }
    }

    #[test]
    fn emails_and_names() {
        assert_eq!(normalize_email(" An.Nguyen@HaiPhong.gov.vn "), Ok("an.nguyen@haiphong.gov.vn".into()));
        for bad in ["an", "an@", "@x.vn", "an@vn", "a n@x.vn", "an@x.vn."] {
            assert_eq!(normalize_email(bad), Err("err.email_format"), "{bad}");
        }
        assert_eq!(normalize_name("  Nguyễn   Thị  Ánh "), Ok("Nguyễn Thị Ánh".into()));
        // Decomposed input (as some phone keyboards send) is stored composed.
        assert_eq!(normalize_name("Nguye\u{0302}\u{0303}n"), Ok("Nguyễn".into()));
        assert_eq!(normalize_name("Ánh 2"), Err("err.name_format"));
        assert_eq!(normalize_name("   "), Err("err.required"));
    }

    #[test]
    fn masks_hide_the_middle() {
        assert_eq!(mask_cccd("031095001234"), "031*******34");
        assert_eq!(mask_phone("0912345678"), "091****678");
        assert_eq!(mask_phone("12"), "**");
    }
}
