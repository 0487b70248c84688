//! Each page's `<title>`: what a browser tab, a bookmark and a screen reader announce. One
//! table keyed by the route's shape, so a new route gets its title here or fails the test.

use crate::i18n::{Lang, fill, t};

/// The locale key of the title of the page at `path`.
pub fn title_key(path: &str) -> &'static str {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let id = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match segments.as_slice() {
        [] => "title.home",
        ["login"] => "title.login",
        ["register"] => "title.register",
        ["quen-mat-khau"] => "title.forgot",
        ["dat-lai-mat-khau"] => "title.reset",
        ["profile"] => "title.profile",
        ["admin", "units"] => "title.units",
        ["admin", "units", "import", n] if id(n) => "title.unit_import",
        ["admin", "units", n] if id(n) => "title.unit_history",
        ["admin", "users"] => "title.users",
        ["admin", "nhat-ky-du-lieu"] => "title.data_log",
        ["admin", "questions"] => "title.questions",
        ["admin", "questions", "import", n] if id(n) => "title.question_import",
        ["admin", "questions", n] if id(n) => "title.question_edit",
        ["admin", "contests"] => "title.contests",
        ["admin", "contests", n] if id(n) => "title.contest",
        ["admin", "rounds", n] if id(n) => "title.round_admin",
        ["admin", "rounds", n, "gian-lan"] if id(n) => "title.integrity",
        ["admin", "bao-cao"] => "title.annual",
        ["admin", "giai-thuong"] => "title.awards_admin",
        ["admin", "giai-thuong", n] if id(n) => "title.award_admin",
        ["tham-gia"] => "title.participation",
        ["don-vi", u, "danh-sach", n] if id(u) && id(n) => "title.roster",
        ["thi"] => "title.rounds",
        ["thi", n] if id(n) => "title.round",
        ["bai-thi", n] if id(n) => "title.attempt",
        ["bai-thi", n, "nop"] if id(n) => "title.submit",
        ["bai-thi", n, "ket-qua"] if id(n) => "title.result",
        ["ket-qua", n] if id(n) => "title.public_results",
        ["giai-thuong"] => "title.awards",
        ["giai-thuong", n, "ket-qua"] if id(n) => "title.award_results",
        ["tac-pham", n] if id(n) => "title.entry",
        ["giam-khao"] => "title.judge_home",
        ["giam-khao", n] if id(n) => "title.score",
        _ => "title.not_found",
    }
}

/// The full title: the page, then the platform ("Đăng nhập · Cải cách hành chính Hải Phòng");
/// the home page carries the contest's whole name.
pub fn page_title(lang: Lang, path: &str) -> String {
    match title_key(path) {
        "title.home" => t(lang, "app.title"),
        key => fill(&t(lang, "title.format"), &[("page", &t(lang, key)), ("site", &t(lang, "app.short_title"))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_has_its_own_title() {
        let cases = [
            ("/", "title.home"),
            ("/login", "title.login"),
            ("/register", "title.register"),
            ("/profile", "title.profile"),
            ("/admin/units", "title.units"),
            ("/admin/units/import/4", "title.unit_import"),
            ("/admin/units/4", "title.unit_history"),
            ("/admin/questions/12", "title.question_edit"),
            ("/admin/questions/import/3", "title.question_import"),
            ("/admin/rounds/2", "title.round_admin"),
            ("/admin/rounds/2/gian-lan", "title.integrity"),
            ("/don-vi/3/danh-sach/9", "title.roster"),
            ("/thi", "title.rounds"),
            ("/thi/7/", "title.round"),
            ("/bai-thi/7", "title.attempt"),
            ("/bai-thi/7/ket-qua", "title.result"),
            ("/ket-qua/7", "title.public_results"),
            ("/giai-thuong/2/ket-qua", "title.award_results"),
            ("/giam-khao/5", "title.score"),
            ("/thi/abc", "title.not_found"),
            ("/khong-co", "title.not_found"),
        ];
        for (path, key) in cases {
            assert_eq!(title_key(path), key, "{path}");
        }
    }

    #[test]
    fn titles_are_translated_and_distinct() {
        let paths = ["/", "/login", "/register", "/profile", "/thi", "/thi/1", "/bai-thi/1", "/bai-thi/1/ket-qua", "/ket-qua/1", "/tham-gia", "/admin/questions"];
        for lang in [Lang::Vi, Lang::En] {
            let titles: Vec<String> = paths.iter().map(|p| page_title(lang, p)).collect();
            for (path, title) in paths.iter().zip(&titles) {
                assert!(!title.contains("title."), "{path}: untranslated {title}");
            }
            let distinct: std::collections::BTreeSet<&String> = titles.iter().collect();
            assert_eq!(distinct.len(), titles.len(), "{titles:?}");
        }
        assert_eq!(page_title(Lang::Vi, "/login"), "Đăng nhập · Cải cách hành chính Hải Phòng");
    }
}
