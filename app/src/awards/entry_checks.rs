//! What makes an entry acceptable: the form's fields, what a submission must have on top,
//! the call being open, and the per-author quota's key. Pure rules, table-tested; the entry
//! service (`entries`) applies them.

use super::model::*;
use crate::error::{AppError, Validator};
use crate::vn_time::parse_date_days;

/// The per-author quota's key (`text::identity_key`): look-alike letters, full-width forms and
/// invisible characters cannot make one author two. Diacritics stay: "Nguyễn Văn Hải" and
/// "Nguyễn Văn Hài" are different people.
pub fn name_key(name: &str) -> String {
    crate::text::identity_key(name)
}

/// Problems with the form's values themselves, found whenever a draft is saved.
pub fn check_fields(c: &CompetitionInput, input: &EntryInput, v: &mut Validator) {
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 500 {
        v.add("title", "err.too_long");
    }
    if !c.genres.contains(&input.genre) {
        v.add("genre", "err.award_genre");
    }
    if input.authors.is_empty() || input.authors.len() > 20 || input.authors.iter().any(|a| a.full_name.trim().is_empty()) {
        v.add("authors", "err.award_authors");
    } else if input.authors.iter().any(|a| crate::accounts::validate::normalize_name(&a.full_name).is_err()) {
        // The rules of a person's name: at most 120 characters, no digits, nothing invisible.
        v.add("authors", "err.name_format");
    } else if input.authors.iter().any(|a| !(1..=100).contains(&a.share_percent)) || input.authors.iter().map(|a| a.share_percent).sum::<i64>() != 100 {
        v.add("authors", "err.award_shares");
    }
    if !input.published_on.trim().is_empty() {
        match parse_date_days(&input.published_on) {
            None => v.add("published_on", "err.date_format"),
            Some(day) => {
                let (from, to) = (parse_date_days(&c.window_from).unwrap_or(i64::MIN), parse_date_days(&c.window_to).unwrap_or(i64::MAX));
                if day < from || day > to {
                    v.add("published_on", &format!("err.award_date_window:{} – {}", crate::vn_time::iso_date_text(&c.window_from), crate::vn_time::iso_date_text(&c.window_to)));
                }
            }
        }
    }
    if input.duration_secs.is_some_and(|d| !(1..=36_000).contains(&d)) {
        v.add("duration_secs", "err.number_range");
    }
    if input.outlet.chars().count() > 300 {
        v.add("outlet", "err.too_long");
    }
    if input.script.chars().count() > 200_000 {
        v.add("script", "err.too_long");
    }
}

/// Everything a submission must have on top of valid fields.
pub fn check_complete(c: &CompetitionInput, input: &EntryInput, files: usize, v: &mut Validator) {
    if input.published_on.trim().is_empty() {
        v.add("published_on", "err.required");
    }
    let required = |f: &str| c.required_fields.iter().any(|r| r == f);
    if required("outlet") && input.outlet.trim().is_empty() {
        v.add("outlet", "err.required");
    }
    if required("duration") && input.duration_secs.is_none() {
        v.add("duration_secs", "err.required");
    }
    if required("script") && input.script.trim().is_empty() {
        v.add("script", "err.required");
    }
    if required("file") && files == 0 {
        v.add("file", "err.award_file_required");
    }
}

/// The call is open for this edition: its phase and its deadline.
pub fn call_open(c: &Competition, at: i64) -> Result<(), AppError> {
    if c.phase != Phase::Entries || at > c.settings.deadline {
        return Err(AppError::conflict("err.award_deadline_passed"));
    }
    Ok(())
}

/// Mở lại nhận tác phẩm: a call closed early may reopen while its deadline has not passed and
/// no judge has been given an entry yet (reopening after that would change what judges hold).
pub fn may_reopen(c: &Competition, at: i64, assignments: i64) -> Result<(), AppError> {
    if c.phase != Phase::Preliminary {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    if at >= c.settings.deadline {
        return Err(AppError::conflict("err.award_reopen_deadline"));
    }
    if assignments > 0 {
        return Err(AppError::conflict("err.award_reopen_judging"));
    }
    Ok(())
}

/// Authors' names as stored: NFC, single spaces (the checks above have passed).
pub fn normalise_authors(input: &mut EntryInput) {
    for a in &mut input.authors {
        if let Ok(name) = crate::accounts::validate::normalize_name(&a.full_name) {
            a.full_name = name;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prizes::PrizeTier;
    use std::collections::BTreeMap;

    fn competition() -> CompetitionInput {
        CompetitionInput {
            edition: 2026,
            title: "Giải".into(),
            description: String::new(),
            genres: vec![Genre::Radio, Genre::Print],
            window_from: "2025-11-01".into(),
            window_to: "2026-10-31".into(),
            deadline: 0,
            max_entries_per_author: 3,
            max_file_mb: 100,
            required_fields: vec!["outlet".into(), "file".into()],
            prize_per_genre: false,
            prize_plan: vec![PrizeTier { name: "Giải A".into(), count: 2 }],
            rubric_preliminary: vec![],
            rubric_final: vec![],
            judges_per_entry: 3,
            aggregation: Aggregation::Mean,
            trim_each_side: 1,
            normalise: false,
            shortlist: ShortlistRule::Top(10),
            blind: true,
        }
    }

    fn entry() -> EntryInput {
        EntryInput {
            genre: Genre::Radio,
            title: "Một cửa điện tử ở phường Lê Chân".into(),
            authors: vec![Author { full_name: "Trần Thị Mai".into(), share_percent: 60 }, Author { full_name: "Phạm Văn Đức".into(), share_percent: 40 }],
            unit_id: None,
            outlet: "Đài phát thanh phường Lê Chân".into(),
            published_on: "2026-05-19".into(),
            duration_secs: Some(540),
            script: "Kịch bản".into(),
        }
    }

    fn problems(c: &CompetitionInput, e: &EntryInput, files: usize) -> BTreeMap<String, String> {
        let mut v = Validator::new();
        check_fields(c, e, &mut v);
        check_complete(c, e, files, &mut v);
        v.finish().err().and_then(|e| e.field_errors().cloned()).unwrap_or_default()
    }

    #[test]
    fn submission_checks_report_each_field() {
        let c = competition();
        assert!(problems(&c, &entry(), 1).is_empty());
        // (change, field, message key prefix)
        let cases: Vec<(Box<dyn Fn(&mut EntryInput)>, usize, &str, &str)> = vec![
            (Box::new(|e| e.published_on = "2025-10-31".into()), 1, "published_on", "err.award_date_window:01/11/2025 – 31/10/2026"),
            (Box::new(|e| e.published_on = "2026-11-01".into()), 1, "published_on", "err.award_date_window"),
            (Box::new(|e| e.published_on = "2026-02-30".into()), 1, "published_on", "err.date_format"),
            (Box::new(|e| e.published_on = String::new()), 1, "published_on", "err.required"),
            (Box::new(|e| e.genre = Genre::Tv), 1, "genre", "err.award_genre"),
            (Box::new(|e| e.authors[1].share_percent = 30), 1, "authors", "err.award_shares"),
            (Box::new(|e| e.authors.clear()), 1, "authors", "err.award_authors"),
            (Box::new(|e| e.outlet = " ".into()), 1, "outlet", "err.required"),
            (Box::new(|_| {}), 0, "file", "err.award_file_required"),
            (Box::new(|e| e.duration_secs = Some(0)), 1, "duration_secs", "err.number_range"),
        ];
        for (change, files, field, key) in cases {
            let mut e = entry();
            change(&mut e);
            let got = problems(&c, &e, files);
            assert!(got.get(field).is_some_and(|k| k.starts_with(key)), "{field}: {got:?}");
        }
        // The window's edges are inside it.
        for day in ["2025-11-01", "2026-10-31"] {
            let mut e = entry();
            e.published_on = day.into();
            assert!(problems(&c, &e, 1).is_empty(), "{day}");
        }
    }

    #[test]
    fn a_call_closed_early_reopens_only_before_its_deadline_and_any_assignment() {
        let at = |phase: Phase| Competition { id: 1, settings: CompetitionInput { deadline: 1_000, ..competition() }, phase, call_closed_at: Some(500), published_at: None, entries_submitted: 3, created_at: 0 };
        // (phase, now, assignments, refusal)
        let cases = [
            (Phase::Preliminary, 900, 0, None),
            (Phase::Preliminary, 1_000, 0, Some("err.award_reopen_deadline")),
            (Phase::Preliminary, 900, 2, Some("err.award_reopen_judging")),
            (Phase::Entries, 900, 0, Some("err.award_wrong_phase")),
            (Phase::Final, 900, 0, Some("err.award_wrong_phase")),
        ];
        for (phase, now, assignments, refusal) in cases {
            let got = may_reopen(&at(phase), now, assignments).err().map(|e| e.message_key().to_string());
            assert_eq!(got.as_deref(), refusal, "{phase:?} at {now} with {assignments}");
        }
    }

    #[test]
    fn quota_keys_keep_diacritics() {
        assert_eq!(name_key("  Nguyễn   Văn HẢI "), "nguyễn văn hải");
        assert_ne!(name_key("Nguyễn Văn Hải"), name_key("Nguyễn Văn Hài"));
        // NFD input (as some phones type) matches NFC.
        assert_eq!(name_key("Nguye\u{302}\u{303}n"), name_key("Nguyễn"));
    }
}
