//! The award's forms as typed, read on the server and shown back on the pages: authors as
//! "Name | share" lines, durations as "9:30", points with a decimal comma, rubrics as
//! "Label | max" lines, and the whole competition form. Pure, so both sides share them.

use super::model::*;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// "Trần Thị Mai | 60" per line → authors; a line without a share takes what is left.
pub fn parse_authors(text: &str) -> Vec<Author> {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut authors: Vec<Author> = lines
        .iter()
        .map(|l| match l.rsplit_once('|') {
            Some((name, share)) => Author { full_name: name.trim().to_string(), share_percent: share.trim().trim_end_matches('%').parse().unwrap_or(-1) },
            None => Author { full_name: l.to_string(), share_percent: 0 },
        })
        .collect();
    let given: i64 = authors.iter().filter(|a| a.share_percent > 0).map(|a| a.share_percent).sum();
    let open = authors.iter().filter(|a| a.share_percent == 0).count() as i64;
    if open > 0 {
        let each = (100 - given).max(0) / open;
        let mut rest = (100 - given).max(0) - each * open;
        for a in authors.iter_mut().filter(|a| a.share_percent == 0) {
            a.share_percent = each + if rest > 0 { 1 } else { 0 };
            rest -= 1;
        }
    }
    authors
}

pub fn authors_text(authors: &[Author]) -> String {
    authors.iter().map(|a| format!("{} | {}", a.full_name, a.share_percent)).collect::<Vec<_>>().join("\n")
}

/// "9:30" or "570" → seconds.
pub fn parse_duration(text: &str) -> Result<Option<i64>, ()> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.split_once(':') {
        Some((m, s)) => Ok(Some(m.trim().parse::<i64>().map_err(|_| ())? * 60 + s.trim().parse::<i64>().map_err(|_| ())?)),
        None => t.parse::<i64>().map(Some).map_err(|_| ()),
    }
}

pub fn duration_text(secs: Option<i64>) -> String {
    secs.map(|s| format!("{}:{:02}", s / 60, s % 60)).unwrap_or_default()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryForm {
    pub id: i64,
    pub genre: String,
    pub title: String,
    pub authors: String,
    pub outlet: String,
    pub published_on: String,
    pub duration: String,
    pub script: String,
}

impl EntryForm {
    /// The form from a plain post's fields (`form[title]`…), as the entry page's file buttons
    /// send it without JavaScript; `None` when the post carries no entry form.
    pub fn from_fields(fields: &[(String, String)]) -> Option<EntryForm> {
        let get = |name: &str| fields.iter().find(|(k, _)| k.strip_prefix("form[").and_then(|k| k.strip_suffix(']')) == Some(name)).map(|(_, v)| v.clone());
        Some(EntryForm {
            id: get("id")?.trim().parse().ok()?,
            genre: get("genre").unwrap_or_default(),
            title: get("title").unwrap_or_default(),
            authors: get("authors").unwrap_or_default(),
            outlet: get("outlet").unwrap_or_default(),
            published_on: get("published_on").unwrap_or_default(),
            duration: get("duration").unwrap_or_default(),
            script: get("script").unwrap_or_default(),
        })
    }
}

/// The score form: a rubric has at most 12 criteria (`c1`…`c12`), entered as points with a
/// comma or a dot ("35,5"). `action` is `draft` or `submit`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreForm {
    pub assignment_id: i64,
    pub action: String,
    pub c1: Option<String>,
    pub c2: Option<String>,
    pub c3: Option<String>,
    pub c4: Option<String>,
    pub c5: Option<String>,
    pub c6: Option<String>,
    pub c7: Option<String>,
    pub c8: Option<String>,
    pub c9: Option<String>,
    pub c10: Option<String>,
    pub c11: Option<String>,
    pub c12: Option<String>,
}

impl ScoreForm {
    /// Criterion code → points in hundredths; an entry that is not a number is an error on
    /// its field.
    pub fn criteria(&self) -> Result<std::collections::BTreeMap<String, i64>, AppError> {
        let (out, unreadable) = self.read_criteria();
        let mut v = crate::error::Validator::new();
        for field in &unreadable {
            v.add(field, "err.score_format");
        }
        v.finish()?;
        Ok(out)
    }

    /// The boxes that read as numbers (code → hundredths), and the fields of those that do not
    /// (`criteria.cN`), so a sheet's problems can all be reported together.
    pub fn read_criteria(&self) -> (std::collections::BTreeMap<String, i64>, Vec<String>) {
        let values = [&self.c1, &self.c2, &self.c3, &self.c4, &self.c5, &self.c6, &self.c7, &self.c8, &self.c9, &self.c10, &self.c11, &self.c12];
        let mut out = std::collections::BTreeMap::new();
        let mut unreadable = vec![];
        for (i, value) in values.iter().enumerate() {
            let Some(text) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { continue };
            match text.replace(',', ".").parse::<f64>() {
                Ok(p) if p.is_finite() => {
                    out.insert(format!("c{}", i + 1), (p * 100.0).round() as i64);
                }
                _ => unreadable.push(format!("criteria.c{}", i + 1)),
            }
        }
        (out, unreadable)
    }
}

/// The competition form, every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompetitionForm {
    pub edition: String,
    pub title: String,
    pub description: String,
    pub genre_radio: Option<String>,
    pub genre_tv: Option<String>,
    pub genre_print: Option<String>,
    pub genre_online: Option<String>,
    pub genre_photo: Option<String>,
    pub window_from: String,
    pub window_to: String,
    pub deadline: String,
    pub max_entries_per_author: String,
    pub max_file_mb: String,
    pub require_outlet: Option<String>,
    pub require_duration: Option<String>,
    pub require_script: Option<String>,
    pub require_file: Option<String>,
    pub prize_scope: String,
    pub prize_plan: String,
    pub rubric_preliminary: String,
    pub rubric_final: String,
    pub judges_per_entry: String,
    pub aggregation: String,
    pub trim_each_side: String,
    pub normalise: Option<String>,
    pub shortlist_rule: String,
    pub shortlist_value: String,
    pub blind: Option<String>,
}

impl CompetitionForm {
    pub fn parse(&self) -> Result<CompetitionInput, AppError> {
        let mut v = crate::error::Validator::new();
        let mut number = |field: &str, text: &str| {
            text.trim().parse::<i64>().unwrap_or_else(|_| {
                v.add(field, "err.number_format");
                0
            })
        };
        let edition = number("edition", &self.edition);
        let max_entries = number("max_entries_per_author", &self.max_entries_per_author);
        let max_file_mb = number("max_file_mb", &self.max_file_mb);
        let judges = number("judges_per_entry", &self.judges_per_entry);
        let trim = number("trim_each_side", if self.trim_each_side.trim().is_empty() { "1" } else { &self.trim_each_side });
        let shortlist_text = self.shortlist_value.trim().replace(',', ".");
        let shortlist = match (self.shortlist_rule.as_str(), shortlist_text.parse::<f64>()) {
            ("threshold", Ok(p)) => ShortlistRule::Threshold((p * 100.0).round() as i64),
            ("top", Ok(n)) if n.fract() == 0.0 => ShortlistRule::Top(n as i64),
            _ => {
                v.add("shortlist_value", "err.number_format");
                ShortlistRule::Top(0)
            }
        };
        let deadline = crate::vn_time::parse_local_secs(&self.deadline).unwrap_or_else(|| {
            v.add("deadline", "err.datetime_format");
            0
        });
        let plan = crate::prizes::parse_plan(&self.prize_plan).unwrap_or_else(|| {
            v.add("prize_plan", "err.prizes_format");
            vec![]
        });
        let rubric = |v: &mut crate::error::Validator, field: &str, text: &str| {
            rubric_lines(text).unwrap_or_else(|| {
                v.add(field, "err.award_rubric");
                vec![]
            })
        };
        let rubric_preliminary = rubric(&mut v, "rubric_preliminary", &self.rubric_preliminary);
        let rubric_final = rubric(&mut v, "rubric_final", &self.rubric_final);
        v.finish()?;
        let genres = [(&self.genre_radio, Genre::Radio), (&self.genre_tv, Genre::Tv), (&self.genre_print, Genre::Print), (&self.genre_online, Genre::Online), (&self.genre_photo, Genre::Photo)]
            .into_iter()
            .filter(|(on, _)| on.is_some())
            .map(|(_, g)| g)
            .collect();
        let required_fields = [(&self.require_outlet, "outlet"), (&self.require_duration, "duration"), (&self.require_script, "script"), (&self.require_file, "file")]
            .into_iter()
            .filter(|(on, _)| on.is_some())
            .map(|(_, f)| f.to_string())
            .collect();
        Ok(CompetitionInput {
            edition,
            title: self.title.clone(),
            description: self.description.clone(),
            genres,
            window_from: self.window_from.clone(),
            window_to: self.window_to.clone(),
            deadline,
            max_entries_per_author: max_entries,
            max_file_mb,
            required_fields,
            prize_per_genre: self.prize_scope == "genre",
            prize_plan: plan,
            rubric_preliminary,
            rubric_final,
            judges_per_entry: judges,
            aggregation: if self.aggregation == "trimmed" { Aggregation::Trimmed } else { Aggregation::Mean },
            trim_each_side: trim,
            normalise: self.normalise.is_some(),
            shortlist,
            blind: self.blind.is_some(),
        })
    }
}

/// "Nội dung | 40" per line → criteria c1, c2, … (shared with the server's parser).
pub fn rubric_lines(text: &str) -> Option<Vec<Criterion>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let (label, max) = line.rsplit_once('|')?;
            Some(Criterion { code: format!("c{}", i + 1), label: label.trim().to_string(), max: max.trim().parse().ok()? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_form_is_read_from_a_plain_posts_fields() {
        let pairs = |v: &[(&str, &str)]| v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let form = EntryForm::from_fields(&pairs(&[("form[id]", "7"), ("form[title]", "Phóng sự"), ("form[script]", "Thưa quý vị"), ("file", "a.wav")])).unwrap();
        assert_eq!((form.id, form.title.as_str(), form.script.as_str(), form.outlet.as_str()), (7, "Phóng sự", "Thưa quý vị", ""));
        assert_eq!(EntryForm::from_fields(&pairs(&[("form[title]", "x")])), None, "no id: not an entry form");
        assert_eq!(EntryForm::from_fields(&pairs(&[("form[id]", "bảy")])), None);
    }

    #[test]
    fn authors_and_durations_parse() {
        let a = parse_authors("Trần Thị Mai | 60\nPhạm Văn Đức | 40%");
        assert_eq!(a.iter().map(|a| a.share_percent).collect::<Vec<_>>(), vec![60, 40]);
        // Lines without a share split what is left.
        let a = parse_authors("Trần Thị Mai | 50\nA\nB\n");
        assert_eq!(a.iter().map(|a| a.share_percent).collect::<Vec<_>>(), vec![50, 25, 25]);
        let a = parse_authors("A\nB\nC");
        assert_eq!(a.iter().map(|a| a.share_percent).sum::<i64>(), 100);
        assert_eq!(parse_authors(&authors_text(&a)), a);
        assert_eq!(parse_duration("9:30"), Ok(Some(570)));
        assert_eq!(parse_duration("570"), Ok(Some(570)));
        assert_eq!(parse_duration(""), Ok(None));
        assert!(parse_duration("9 phút").is_err());
        assert_eq!(duration_text(Some(570)), "9:30");
    }

    #[test]
    fn score_form_reads_points_with_a_comma() {
        let f = ScoreForm { assignment_id: 1, action: "draft".into(), c1: Some("35,5".into()), c2: Some(" 30 ".into()), c3: Some(String::new()), ..Default::default() };
        let got = f.criteria().unwrap();
        assert_eq!(got.into_iter().collect::<Vec<_>>(), vec![("c1".to_string(), 3550), ("c2".to_string(), 3000)]);
        let bad = ScoreForm { c2: Some("ba mươi".into()), ..Default::default() };
        assert_eq!(bad.criteria().unwrap_err().field_errors().unwrap()["criteria.c2"], "err.score_format");
    }
}

/// The new-edition form's starting values, from today: this year's edition, works published
/// over the past year, and a deadline a month ahead (never one already past).
#[derive(Debug, PartialEq)]
pub struct NewEditionDefaults {
    pub edition: String,
    pub window_from: String,
    pub window_to: String,
    pub deadline: String,
}

impl NewEditionDefaults {
    pub fn from_today(today: i64) -> Self {
        use crate::vn_time::{civil_from_days, day_iso};
        NewEditionDefaults {
            edition: civil_from_days(today).0.to_string(),
            window_from: day_iso(today - 365),
            window_to: day_iso(today),
            deadline: format!("{}T17:00", day_iso(today + 30)),
        }
    }
}

#[cfg(test)]
mod defaults_tests {
    #[test]
    fn a_new_edition_starts_with_a_deadline_ahead() {
        let today = crate::vn_time::days_from_civil(2026, 12, 6);
        let d = super::NewEditionDefaults::from_today(today);
        assert_eq!((d.edition.as_str(), d.window_from.as_str(), d.window_to.as_str(), d.deadline.as_str()), ("2026", "2025-12-06", "2026-12-06", "2027-01-05T17:00"));
    }
}
