//! Server functions behind the award pages: entrants (their entries), judges (scoring) and
//! organizers (the edition's control room). Each checks the caller's role on the server.

#[cfg(feature = "ssr")]
use crate::codes::Code;
use super::forms::*;
use super::model::*;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use super::{entries, panels, results, scoring, setup};
#[cfg(feature = "ssr")]
use crate::accounts::service::require;
#[cfg(feature = "ssr")]
use crate::accounts::session::ctx;

/// The awards home: editions, the caller's entries, and whether they judge or organize.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AwardsHomeData {
    pub competitions: Vec<Competition>,
    pub entries: Vec<Entry>,
    pub judge: bool,
    pub organizer: bool,
    /// Today in Vietnam (days since 1970-01-01), by the server's clock: the new-edition form
    /// starts from it.
    pub today: i64,
}

#[server]
pub async fn awards_home() -> Result<AwardsHomeData, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    Ok(AwardsHomeData {
        competitions: setup::list(&c.state).await?,
        entries: entries::mine(&c.state, &user).await?,
        judge: crate::policy::judge(&user).is_ok(),
        organizer: crate::policy::organizer(&user).is_ok(),
        today: crate::vn_time::day_of_ms(crate::vn_time::now_ms()),
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

#[server]
pub async fn save_entry(form: EntryForm) -> Result<Entry, AppError> {
    let c = ctx().await?;
    entries::save_form(&c.state, &require(c.user)?, &form).await
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

#[server]
pub async fn save_score(form: ScoreForm) -> Result<Assignment, AppError> {
    let c = ctx().await?;
    let user = require(c.user)?;
    let submit = form.action == "submit";
    let (criteria, unreadable) = form.read_criteria();
    if !unreadable.is_empty() {
        // A box that is not a number is reported together with every other box's problem, so
        // the judge fixes the sheet in one go; nothing is saved.
        let assignment = scoring::get(&c.state, &user, form.assignment_id).await?;
        let mut v = crate::error::Validator::new();
        for field in &unreadable {
            v.add(field, "err.score_format");
        }
        scoring::sheet_problems(&assignment.rubric, &criteria, submit, &mut v);
        v.finish()?;
    }
    scoring::save(&c.state, &user, form.assignment_id, ScoreInput { criteria, submit }).await
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
    /// The server's clock (Unix seconds): whether the call is closing early, or may reopen.
    pub now: i64,
}

#[server]
pub async fn award_dashboard(id: i64) -> Result<DashboardData, AppError> {
    let c = ctx().await?;
    crate::policy::organizer(&require(c.user)?)?;
    let s = &c.state;
    let edition = results::Edition::load(s, id).await?;
    let panels = panels::panels(s, id).await?;
    let judges = super::repo::people::judges(&s.db).await?.into_iter().map(|j| JudgeOption { id: j.id, full_name: j.full_name, unit_name: j.unit_name }).collect();
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
        now: crate::vn_time::now_secs(),
    })
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

/// Mở lại nhận tác phẩm: undoes an early close (see `entries::reopen_call`).
#[server]
pub async fn reopen_award_call(competition_id: i64) -> Result<(), AppError> {
    let c = ctx().await?;
    entries::reopen_call(&c.state, &require(c.user)?, competition_id).await.map(|_| ())
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

/// A council decision from the page: `kind` is `counts` (with `counts` as "Giải A | 3" lines),
/// `move` (with `entry_id` and `tier`, empty for no prize) or `accept_tie` (the pool's tie at a
/// cut-off accepted as it stands).
#[server]
pub async fn council_decision(competition_id: i64, kind: String, pool: String, counts: String, entry_id: String, tier: String, reason: String) -> Result<(), AppError> {
    let c = ctx().await?;
    let decision = if kind == "counts" {
        let counts = crate::prizes::parse_plan(&counts).ok_or_else(|| AppError::field("counts", "err.prizes_format"))?;
        Override::TierCounts { pool, counts, reason }
    } else if kind == "accept_tie" {
        Override::AcceptTie { pool, reason }
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
