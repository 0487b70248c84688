//! Numbers as each language writes them: Vietnamese groups thousands with a dot and writes
//! decimals with a comma ("1.234", "17,66"); English the other way round ("1,234", "17.66").
//! Pages, documents and exports meant for people format through here; machine exports (the
//! API, "mã máy" CSV columns) keep plain numbers.

use crate::i18n::Lang;

pub fn group_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => ".",
        Lang::En => ",",
    }
}

pub fn decimal_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => ",",
        Lang::En => ".",
    }
}

/// An integer with its thousands grouped by `sep`: "-1.234.567".
pub fn group_with(sep: &str, value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

pub fn group_digits(lang: Lang, value: i64) -> String {
    group_with(group_separator(lang), value)
}

/// A number with `places` decimals, grouped: "1.234,5" / "1,234.5".
pub fn fixed(lang: Lang, value: f64, places: usize) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let text = format!("{:.*}", places, value.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = group_digits(lang, whole.parse::<i64>().unwrap_or(0));
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    if !frac.is_empty() {
        out.push_str(decimal_separator(lang));
        out.push_str(frac);
    }
    out
}

/// Hundredths (a score with partial credit) as shown: "18" when whole, else "17,66".
pub fn hundredths(lang: Lang, value: i64) -> String {
    if value % 100 == 0 { group_digits(lang, value / 100) } else { fixed(lang, value as f64 / 100.0, 2) }
}

/// A share in 0..=1 as a percentage with one decimal: "77,3%" / "77.3%".
pub fn percent(lang: Lang, share: f64) -> String {
    format!("{}%", fixed(lang, share * 100.0, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        let cases: &[(Lang, fn(Lang) -> String, &str)] = &[
            (Lang::Vi, |l| group_digits(l, 1_234_567), "1.234.567"),
            (Lang::En, |l| group_digits(l, 1_234_567), "1,234,567"),
            (Lang::Vi, |l| group_digits(l, -5000), "-5.000"),
            (Lang::Vi, |l| group_digits(l, 999), "999"),
            (Lang::Vi, |l| fixed(l, 1234.56, 1), "1.234,6"),
            (Lang::En, |l| fixed(l, 1234.56, 1), "1,234.6"),
            (Lang::Vi, |l| fixed(l, -0.04, 1), "0,0"),
            (Lang::Vi, |l| fixed(l, -2.5, 2), "-2,50"),
            (Lang::Vi, |l| fixed(l, f64::NAN, 1), "—"),
            (Lang::Vi, |l| hundredths(l, 1800), "18"),
            (Lang::Vi, |l| hundredths(l, 1766), "17,66"),
            (Lang::En, |l| hundredths(l, 1766), "17.66"),
            (Lang::Vi, |l| hundredths(l, 5), "0,05"),
            (Lang::Vi, |l| percent(l, 0.7731), "77,3%"),
            (Lang::En, |l| percent(l, 1.0), "100.0%"),
        ];
        for (i, (lang, f, expected)) in cases.iter().enumerate() {
            assert_eq!(f(*lang), *expected, "case {i}");
        }
    }
}
