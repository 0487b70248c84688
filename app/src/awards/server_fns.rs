//! Server functions behind the award pages: entrants (their entries), judges (scoring) and
//! organizers (the edition's control room). Each checks the caller's role on the server.

use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use super::{entries, panels, results, scoring, setup};
#[cfg(feature = "ssr")]
use crate::accounts::service::{require, require_organizer};
#[cfg(feature = "ssr")]
use crate::accounts::session::ctx;

/// The awards home: editions, the caller's entries, and whether they judge or organize.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardsHomeData {
    pub competitions: Vec<Competition>,
    pub entries: Vec<Entry>,
    pub judge: bool,
    pub organizer: bool,
}

#[server]
pub async fn awards_home() -> Result<AwardsHomeData, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    Ok(AwardsHomeData {
        competitions: setup::list(&c.state).await?,
        entries: entries::mine(&c.state, &user).await?,
        judge: user.has(crate::accounts::model::Role::Judge),
        organizer: user.is_organizer(),
    })
}

/// Starts a draft (the signed-in user as sole author, their unit) and opens it.
#[server]
pub async fn new_entry(competition_id: i64, genre: String, title: String) -> Result<i64, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let genre = Genre::from_code(&genre).ok_or_else(|| AppError::field("genre", "err.award_genre"))?;
    let input = EntryInput {
        genre,
        title,
        authors: vec![Author { full_name: user.full_name.clone(), share_percent: 100 }],
        unit_id: user.unit_id,
        outlet: String::new(),
        published_on: String::new(),
        duration_secs: None,
        script: String::new(),
    };
    let entry = entries::create(&c.state, &user, competition_id, input).await?;
    leptos_axum::redirect(&format!("/tac-pham/{}", entry.id));
    Ok(entry.id)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryPageData {
    pub entry: Entry,
    pub competition: Competition,
}

#[server]
pub async fn load_entry_page(id: i64) -> Result<EntryPageData, AppError> {
    let c = ctx().await?;
    let entry = entries::get(&c.state, &require(c.user)?, id).await?;
    let competition = setup::get(&c.state, entry.competition_id).await?;
    Ok(EntryPageData { entry, competition })
}

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

#[server]
pub async fn save_entry(form: EntryForm) -> Result<Entry, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let current = entries::get(&c.state, &user, form.id).await?;
    let genre = Genre::from_code(&form.genre).ok_or_else(|| AppError::field("genre", "err.award_genre"))?;
    let duration_secs = parse_duration(&form.duration).map_err(|_| AppError::field("duration_secs", "err.number_format"))?;
    let input = EntryInput {
        genre,
        title: form.title,
        authors: parse_authors(&form.authors),
        unit_id: current.input.unit_id,
        outlet: form.outlet,
        published_on: form.published_on,
        duration_secs,
        script: form.script,
    };
    entries::update(&c.state, &user, form.id, input).await
}

#[server]
pub async fn submit_award_entry(id: i64) -> Result<Entry, AppError> {
    let c = ctx().await?;
    entries::submit(&c.state, &require(c.user)?, id).await
}

#[server]
pub async fn withdraw_award_entry(id: i64, reason: String) -> Result<Entry, AppError> {
    let c = ctx().await?;
    entries::withdraw(&c.state, &require(c.user)?, id, &reason).await
}

// ---- Judges ----

#[server]
pub async fn my_assignments() -> Result<Vec<Assignment>, AppError> {
    let c = ctx().await?;
    scoring::mine(&c.state, &require(c.user)?).await
}

#[server]
pub async fn load_assignment(id: i64) -> Result<Assignment, AppError> {
    let c = ctx().await?;
    scoring::get(&c.state, &require(c.user)?, id).await
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
        let values = [&self.c1, &self.c2, &self.c3, &self.c4, &self.c5, &self.c6, &self.c7, &self.c8, &self.c9, &self.c10, &self.c11, &self.c12];
        let mut out = std::collections::BTreeMap::new();
        let mut v = crate::error::Validator::new();
        for (i, value) in values.iter().enumerate() {
            let Some(text) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { continue };
            match text.replace(',', ".").parse::<f64>() {
                Ok(p) if p.is_finite() => {
                    out.insert(format!("c{}", i + 1), (p * 100.0).round() as i64);
                }
                _ => v.add(&format!("criteria.c{}", i + 1), "err.number_format"),
            }
        }
        v.finish()?;
        Ok(out)
    }
}

#[server]
pub async fn save_score(form: ScoreForm) -> Result<Assignment, AppError> {
    let c = ctx().await?;
    let criteria = form.criteria()?;
    scoring::save(&c.state, &require(c.user)?, form.assignment_id, ScoreInput { criteria, submit: form.action == "submit" }).await
}

#[server]
pub async fn recuse_assignment(assignment_id: i64, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    panels::recuse(&c.state, &require(c.user)?, assignment_id, &reason).await?;
    leptos_axum::redirect("/giam-khao");
    Ok(())
}

// ---- Organizers ----

/// A judge who can sit on a panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeOption {
    pub id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
}

/// The control room: the edition, its entries, panels, judges to choose from, and whatever
/// results exist so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    pub overview: CompetitionOverview,
    pub judges: Vec<JudgeOption>,
    /// Panel id → its judges' ids, to pre-tick the panel forms.
    pub members: Vec<(i64, Vec<i64>)>,
    pub preliminary: StageResults,
    pub final_results: StageResults,
    pub allocation: Option<Allocation>,
}

#[server]
pub async fn award_dashboard(id: i64) -> Result<DashboardData, AppError> {
    use sqlx::Row;
    let c = ctx().await?;
    require_organizer(c.user)?;
    let s = &c.state;
    let edition = results::Edition::load(s, id).await?;
    let panels = panels::panels(s, id).await?;
    let judges = sqlx::query("SELECT u.id, u.full_name, un.name AS unit_name FROM user_roles r JOIN users u ON u.id = r.user_id LEFT JOIN units un ON un.id = u.unit_id WHERE r.role = 'judge' ORDER BY u.full_name")
        .fetch_all(&s.db.pool)
        .await?
        .iter()
        .map(|r| JudgeOption { id: r.get("id"), full_name: r.get("full_name"), unit_name: r.get("unit_name") })
        .collect();
    let mut members = vec![];
    for p in &panels {
        members.push((p.id, p.judges.iter().map(|j| j.user_id).collect()));
    }
    let preliminary = results::compute_stage(s, &edition, Stage::Preliminary).await?;
    let final_results = results::compute_stage(s, &edition, Stage::Final).await?;
    let allocation = match edition.competition.phase {
        Phase::Council | Phase::Published => Some(results::compute_allocation(s, &edition, &final_results).await?),
        _ => None,
    };
    let results::Edition { competition, entries } = edition;
    Ok(DashboardData {
        preliminary,
        final_results,
        overview: CompetitionOverview { entries, recusals: panels::recusals(s, id).await?, panels, competition },
        judges,
        members,
        allocation,
    })
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

/// Tiers as the council form shows them: "Giải A | 2" per line.
pub fn counts_text(tiers: &[crate::prizes::PrizeTier]) -> String {
    tiers.iter().map(|t| format!("{} | {}", t.name, t.count)).collect::<Vec<_>>().join("\n")
}

#[server]
pub async fn create_award(form: CompetitionForm) -> Result<Competition, AppError> {
    let c = ctx().await?;
    let created = setup::create(&c.state, &require(c.user)?, form.parse()?).await?;
    leptos_axum::redirect(&format!("/admin/giai-thuong/{}", created.id));
    Ok(created)
}

#[server]
pub async fn close_award_call(competition_id: i64) -> Result<(), AppError> {
    let c = ctx().await?;
    entries::close_call(&c.state, &require(c.user)?, competition_id).await.map(|_| ())
}

#[server]
pub async fn decide_eligibility(entry_id: i64, eligible: String, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    entries::set_eligibility(&c.state, &require(c.user)?, entry_id, eligible == "true", &reason).await.map(|_| ())
}

#[server]
pub async fn auto_assign_stage(competition_id: i64, stage: String) -> Result<AssignmentReport, AppError> {
    let c = ctx().await?;
    let stage = Stage::from_code(&stage).ok_or_else(|| AppError::field("stage", "err.award_stage"))?;
    panels::auto_assign(&c.state, &require(c.user)?, competition_id, stage).await
}

#[server]
pub async fn close_award_panel(panel_id: i64) -> Result<(), AppError> {
    let c = ctx().await?;
    panels::close_panel(&c.state, &require(c.user)?, panel_id).await
}

#[server]
pub async fn shortlist_finalists(competition_id: i64) -> Result<(), AppError> {
    let c = ctx().await?;
    results::shortlist(&c.state, &require(c.user)?, competition_id).await.map(|_| ())
}

/// A council decision from the page: `kind` is `counts` (with `counts` as "Giải A | 3" lines)
/// or `move` (with `entry_id` and `tier`, empty for no prize).
#[server]
pub async fn council_decision(competition_id: i64, kind: String, pool: String, counts: String, entry_id: String, tier: String, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let decision = if kind == "counts" {
        let counts = crate::prizes::parse_plan(&counts).ok_or_else(|| AppError::field("counts", "err.prizes_format"))?;
        Override::TierCounts { pool, counts, reason }
    } else {
        let entry_id = entry_id.trim().parse().map_err(|_| AppError::field("entry_id", "err.award_not_finalist"))?;
        Override::Move { entry_id, tier, reason }
    };
    results::decide(&c.state, &require(c.user)?, competition_id, decision).await.map(|_| ())
}

#[server]
pub async fn publish_award(competition_id: i64, publish: String) -> Result<(), AppError> {
    let c = ctx().await?;
    results::set_published(&c.state, &require(c.user)?, competition_id, publish == "true").await.map(|_| ())
}

#[server]
pub async fn award_results(competition_id: i64) -> Result<PublishedResults, AppError> {
    let state = crate::infra::state::expect_state()?;
    results::public_results(&state, competition_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(bad.criteria().unwrap_err().field_errors().unwrap()["criteria.c2"], "err.number_format");
    }
}
