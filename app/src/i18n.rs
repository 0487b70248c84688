//! Interface text. Vietnamese is the default; English is the second locale. The strings live
//! in `app/locales/*.json` so translators never touch Rust code.
//!
//! The locale comes from the `lang` cookie, which both the server render and the hydrated
//! browser read, so the two always agree and hydration never mismatches.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("en") { Lang::En } else { Lang::Vi }
    }

    /// Reads `lang=…` out of a Cookie header value or `document.cookie`.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == "lang")
            .map(|(_, value)| Lang::from_code(value))
            .unwrap_or_default()
    }
}

fn parse(json: &'static str) -> HashMap<String, String> {
    serde_json::from_str(json).expect("locale file is a flat JSON object of strings")
}

static VI: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse(include_str!("../locales/vi.json")));
static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| parse(include_str!("../locales/en.json")));

/// Looks a key up in the locale, then in Vietnamese, then returns the key itself, so a missing
/// translation shows up visibly instead of as an empty label.
pub fn t(lang: Lang, key: &str) -> String {
    // Keys may carry a detail after a colon (e.g. "err.form_args:missing field"); translate the
    // key part and keep the detail for the reader.
    let (key, detail) = match key.split_once(':') {
        Some((k, d)) => (k, Some(d)),
        None => (key, None),
    };
    let table = match lang {
        Lang::Vi => &*VI,
        Lang::En => &*EN,
    };
    let text = table.get(key).or_else(|| VI.get(key)).cloned().unwrap_or_else(|| key.to_string());
    // A text may place the detail itself ("Dòng {detail}: …"); otherwise it follows in brackets.
    match detail {
        Some(d) if text.contains("{detail}") => text.replace("{detail}", d),
        Some(d) => format!("{text} ({d})"),
        None => text,
    }
}

/// Replaces `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_string(), |acc, (name, value)| acc.replace(&format!("{{{name}}}"), value))
}

/// The few texts an island needs, picked on the server in the page's locale and handed to it
/// as a prop. Islands never call [`t`], so the locale tables stay out of the light bundle.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Texts(std::collections::BTreeMap<String, String>);

impl Texts {
    /// The texts of `keys` in `lang`.
    pub fn pick(lang: Lang, keys: &[&str]) -> Texts {
        Texts(keys.iter().map(|k| (k.to_string(), t(lang, k))).collect())
    }

    /// The texts of every key starting with one of `prefixes` (e.g. `"err."`), in `lang`.
    pub fn with_prefixes(lang: Lang, prefixes: &[&str]) -> Texts {
        let keys: Vec<&str> = VI.keys().filter(|k| prefixes.iter().any(|p| k.starts_with(p))).map(String::as_str).collect();
        Texts::pick(lang, &keys)
    }

    /// The text of `key`, or the key itself when it was not picked (visible, like [`t`]).
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_have_the_same_keys() {
        let mut vi: Vec<_> = VI.keys().collect();
        let mut en: Vec<_> = EN.keys().collect();
        vi.sort();
        en.sort();
        assert_eq!(vi, en, "vi.json and en.json must define the same keys");
    }

    #[test]
    fn lookup_falls_back_and_keeps_detail() {
        assert_eq!(t(Lang::Vi, "err.required"), "Vui lòng nhập thông tin này.");
        assert_eq!(t(Lang::En, "err.required"), "This field is required.");
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
        assert!(t(Lang::Vi, "err.form_args:missing x").ends_with("(missing x)"));
        assert!(t(Lang::Vi, "err.draw_rule_count:2").starts_with("Dòng 2: "), "a text can place the detail itself");
    }

    #[test]
    fn islands_get_only_the_texts_picked_for_them() {
        let texts = Texts::pick(Lang::En, &["err.required"]);
        assert_eq!(texts.get("err.required"), "This field is required.");
        assert_eq!(texts.get("rounds.save"), "rounds.save");
    }

    #[test]
    fn cookie_parsing() {
        assert_eq!(Lang::from_cookie_header("a=b; lang=en; c=d"), Lang::En);
        assert_eq!(Lang::from_cookie_header("a=b"), Lang::Vi);
        assert_eq!(fill("sau {n} phút", &[("n", "5")]), "sau 5 phút");
    }
}
