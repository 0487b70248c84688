//! Vietnamese text handling shared by the server and the browser: accent-insensitive search
//! keys and dictionary order.
//!
//! Searching must find "Hải An" from "hai an", because many people type on phones without a
//! Vietnamese keyboard. Sorting must follow the Vietnamese alphabet (a ă â b c d đ e ê …),
//! not code points, or "Đ" lands after "Z" in every list and spreadsheet.

use unicode_normalization::UnicodeNormalization;

const COMBINING_BREVE: char = '\u{0306}';
const COMBINING_CIRCUMFLEX: char = '\u{0302}';
const COMBINING_HORN: char = '\u{031B}';
/// Tone marks in the order Vietnamese dictionaries use: none, huyền, hỏi, ngã, sắc, nặng.
const TONES: [char; 5] = ['\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}'];

/// Lower-case, accent-free form used for search: "Phường Hải An" → "phuong hai an".
/// Whitespace runs collapse to one space so pasted names still match.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last_space = true;
    for c in lower_decomposed(input).chars() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        out.push(c);
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Lower case in canonical decomposition (NFD): base letters followed by their marks. In the
/// browser, the browser's own `normalize` and `toLowerCase` do it, which keeps Unicode's tables
/// out of the WASM bundles; on the server, `unicode-normalization` and the standard library.
/// Both follow the Unicode standard.
#[cfg(all(target_arch = "wasm32", feature = "hydrate"))]
fn lower_decomposed(input: &str) -> String {
    String::from(js_sys::JsString::from(input).normalize("NFD").to_lower_case())
}

#[cfg(not(all(target_arch = "wasm32", feature = "hydrate")))]
fn lower_decomposed(input: &str) -> String {
    input.nfd().flat_map(char::to_lowercase).collect()
}

/// The longest a written reason (a disqualification, an ineligibility, a recusal, a council
/// decision) may be. Every free-text field has a cap: nothing typed or posted can fill the
/// database or a PDF page with 100,000 characters.
pub const REASON_MAX_CHARS: usize = 2000;
/// The longest a question's option may be, and its explanation.
pub const OPTION_MAX_CHARS: usize = 1000;
pub const EXPLANATION_MAX_CHARS: usize = 4000;
/// The longest a short label may be (a prize's name, a rubric criterion, the prediction question).
pub const LABEL_MAX_CHARS: usize = 300;

/// Whether `text` is longer than `max` characters.
pub fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// Format characters (Unicode category Cf): zero-width spaces and joiners, bidirectional
/// overrides such as U+202E, the byte-order mark. Invisible, they make one name look like
/// another, or reverse how a line reads. On the server Unicode's own table decides; in the
/// browser (whose bundle keeps Unicode's tables out) the usual suspects.
pub fn is_format(c: char) -> bool {
    #[cfg(feature = "ssr")]
    {
        use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
        c.general_category() == GeneralCategory::Format
    }
    #[cfg(not(feature = "ssr"))]
    {
        matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
    }
}

/// The form of a person's name compared where it must not be dodged (the award's per-author
/// quota): compatibility forms unified (NFKC: full-width letters become plain ones), format
/// characters removed, common Cyrillic and Greek look-alikes of Latin letters mapped to them,
/// lower case, single spaces. Vietnamese diacritics stay: "Hải" and "Hài" are different names.
pub fn identity_key(name: &str) -> String {
    let mapped: String = name.nfkd().filter(|c| !is_format(*c)).map(latin_look_alike).collect();
    mapped.nfc().collect::<String>().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Latin letter a Cyrillic or Greek letter is commonly mistaken for (Unicode's
/// confusables for the letters that look the same in print), or the letter itself.
fn latin_look_alike(c: char) -> char {
    match c {
        'а' | 'α' => 'a', 'А' | 'Α' => 'A', 'В' | 'Β' => 'B', 'в' => 'b', 'с' | 'ϲ' => 'c', 'С' | 'Ϲ' => 'C',
        'ԁ' => 'd', 'е' | 'ε' => 'e', 'Е' | 'Ε' => 'E', 'Н' | 'Η' => 'H', 'һ' => 'h', 'і' | 'ι' => 'i',
        'І' | 'Ι' => 'I', 'ј' => 'j', 'Ј' => 'J', 'К' | 'Κ' => 'K', 'к' | 'κ' => 'k', 'М' | 'Μ' => 'M',
        'Ν' => 'N', 'о' | 'ο' => 'o', 'О' | 'Ο' => 'O', 'р' | 'ρ' => 'p', 'Р' | 'Ρ' => 'P', 'ԛ' => 'q',
        'ѕ' => 's', 'Ѕ' => 'S', 'Т' | 'Τ' => 'T', 'т' | 'τ' => 't', 'υ' => 'u', 'ν' => 'v', 'ԝ' => 'w',
        'х' | 'χ' => 'x', 'Х' | 'Χ' => 'X', 'у' => 'y', 'У' | 'Υ' => 'Y', 'Ζ' => 'Z',
        c => c,
    }
}

/// True when every word of the query occurs in the text, both folded.
pub fn matches(query: &str, text: &str) -> bool {
    let text = fold(text);
    fold(query).split(' ').filter(|w| !w.is_empty()).all(|w| text.contains(w))
}

/// A key that sorts strings in Vietnamese dictionary order. Letters compare first (with ă, â,
/// đ, ê, ô, ơ, ư as letters of their own), tones only break ties, as in printed dictionaries.
pub fn sort_key(input: &str) -> (Vec<u32>, Vec<u8>) {
    let mut letters = Vec::with_capacity(input.len());
    let mut tones = Vec::new();
    for ch in input.nfc() {
        let mut base = None;
        let mut modifier = 0u32;
        let mut tone = 0u8;
        for part in ch.to_lowercase().nfd() {
            match part {
                COMBINING_BREVE => modifier = 1,
                COMBINING_CIRCUMFLEX => modifier = 2,
                COMBINING_HORN => modifier = 3,
                t if TONES.contains(&t) => tone = TONES.iter().position(|x| *x == t).unwrap_or(0) as u8 + 1,
                c if base.is_none() => base = Some(c),
                _ => {}
            }
        }
        let Some(base) = base else { continue };
        let rank = match base {
            'đ' => ('d' as u32) * 4 + 1,
            c => (c as u32) * 4 + modifier,
        };
        letters.push(rank);
        tones.push(tone);
    }
    (letters, tones)
}

/// Sorts items in place by a Vietnamese name.
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| sort_key(name(item)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_accents_case_and_extra_spaces() {
        let cases = [
            ("Phường Hải An", "phuong hai an"),
            ("  Đặc   khu Bạch Long Vĩ ", "dac khu bach long vi"),
            ("NGUYỄN THỊ ÁNH", "nguyen thi anh"),
            ("Sở Nội vụ", "so noi vu"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "{input}");
        }
    }

    #[test]
    fn matches_is_accent_and_order_insensitive_per_word() {
        assert!(matches("hai an", "Phường Hải An"));
        assert!(matches("an hai", "Phường Hải An"));
        assert!(matches("HẢI", "phuong hai an"));
        assert!(!matches("hai phong", "Phường Hải An"));
        assert!(matches("", "anything"));
    }

    #[test]
    fn sort_follows_the_vietnamese_alphabet() {
        let mut names = vec!["Đông Hải", "Dương Kinh", "Ân Thi", "Ăn Khê", "An Lão", "Zeta", "Ơn", "Ông", "Ô Môn", "Hà", "Há", "Hạ", "Ha"];
        sort_by_name(&mut names, |s| s);
        assert_eq!(
            names,
            vec!["An Lão", "Ăn Khê", "Ân Thi", "Dương Kinh", "Đông Hải", "Ha", "Hà", "Há", "Hạ", "Ô Môn", "Ông", "Ơn", "Zeta"]
        );
    }

    #[test]
    fn identity_keys_see_through_look_alikes_and_invisible_characters() {
        let table = [
            ("Nguyễn Văn Hải", "nguyễn văn hải"),
            ("Nguyễn\u{200B} Văn Hải", "nguyễn văn hải"),
            ("Nguy\u{0435}\u{0302}\u{0303}n Văn Hải", "nguyễn văn hải"),
            ("N\u{0433}uyễn", "nгuyễn"),
            ("Ｎｇｕｙễｎ Văn Hải", "nguyễn văn hải"),
            ("Lê Thị Hоа", "lê thị hoa"),
            ("\u{202E}Trần An", "trần an"),
            ("  TRẦN   AN ", "trần an"),
        ];
        for (name, key) in table {
            assert_eq!(identity_key(name), key, "{name:?}");
        }
        assert_ne!(identity_key("Nguyễn Văn Hải"), identity_key("Nguyễn Văn Hài"), "diacritics keep names apart");
        assert!(is_format('\u{202E}') && is_format('\u{200B}') && !is_format('a') && !is_format('ễ'));
    }
}
