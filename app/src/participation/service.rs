//! Participation: rosters, rates per unit and round, the list of who has not taken part, and
//! the figures frozen when a round closes. Unit managers see and change only their subtree;
//! organizers see everything. Every rule is checked here, whatever page or API call arrives.
//! The statements are in `participation::repo`.

use super::model::*;
use super::repo::{collective as collective_repo, rosters, snapshots};
use super::{live, matching};
use super::rates::{self, OwnFigures};
use super::roster::{self, RosterPlan, SubtreeUnit};
use crate::accounts::model::CurrentUser;
use crate::codes::Code;
use crate::error::AppError;
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use crate::units::model::{Unit, UnitStatus};
use crate::units::{repo as units_repo, tree};
use std::collections::{BTreeMap, BTreeSet};

/// Units the actor may see (see `policy::report_scope`): `None` for organizers (all), else
/// their managed subtrees.
pub async fn scope(state: &AppState, actor: &CurrentUser) -> Result<Option<BTreeSet<i64>>, AppError> {
    if actor.is_organizer() {
        return Ok(None);
    }
    let all = units_repo::all(&state.db).await?;
    crate::policy::report_scope(actor, |root| tree::subtree(&all, root).into_iter().collect())
}

/// The subtree of `unit`, if the actor may act on it; someone else's unit is "not found".
pub(crate) async fn subtree_for(state: &AppState, actor: &CurrentUser, unit: i64) -> Result<(Vec<Unit>, BTreeSet<i64>), AppError> {
    let all = units_repo::all(&state.db).await?;
    if !all.iter().any(|u| u.id == unit) {
        return Err(AppError::NotFound);
    }
    if let Some(visible) = scope(state, actor).await? {
        if !visible.contains(&unit) {
            return Err(AppError::NotFound);
        }
    }
    let ids = tree::subtree(&all, unit).into_iter().collect();
    Ok((all, ids))
}

/// Previews a roster for `unit` and, when `apply` and nothing is wrong, replaces the unit's
/// roster with it in one transaction. Entries that leave are kept as removed, for history.
pub async fn import_roster(state: &AppState, actor: &CurrentUser, unit: i64, bytes: &[u8], apply: bool) -> Result<RosterImport, AppError> {
    let (all, ids) = subtree_for(state, actor, unit).await?;
    let sub = |u: &Unit| SubtreeUnit { id: u.id, code: u.code.clone(), name: u.name.clone() };
    let root = all.iter().find(|u| u.id == unit).map(sub).ok_or(AppError::NotFound)?;
    let subtree: Vec<SubtreeUnit> = all.iter().filter(|u| ids.contains(&u.id) && u.status == UnitStatus::Active).map(sub).collect();
    let plan = match crate::tabular::read(bytes) {
        Ok(rows) => roster::plan(&rows, &root, &subtree),
        Err(key) => RosterPlan { rows: vec![], errors: vec![roster::RosterIssue { line: 1, field: "file".into(), message: key.into(), detail: String::new() }] },
    };
    let mut result = RosterImport { unit_id: unit, accepted: plan.rows.len(), plan, applied: false, replaced: 0 };
    // The preview sends the file's CCCDs, phones and e-mails back to the uploader.
    crate::audit::personal_data(&state.db, actor.id, "roster_preview", &format!("unit {unit}"), result.plan.rows.len(), crate::audit::Channel::Upload).await?;
    if !apply || !result.plan.errors.is_empty() {
        return Ok(result);
    }
    let at = now_secs();
    let mut tx = state.db.begin_write().await?;
    // The units whose figures change: the subtree as it is now, and wherever the old entries
    // sit (a sub-unit moved elsewhere since the last upload keeps the entries placed in it).
    let mut affected: BTreeSet<i64> = ids.clone();
    affected.extend(rosters::units_of_active_entries(&mut tx, unit).await?);
    let replaced = rosters::remove_active_entries(&mut tx, unit, at).await?;
    for r in &result.plan.rows {
        rosters::insert_entry(&mut tx, unit, r, at).await?;
    }
    crate::counters::on_roster_replaced(&mut tx, unit, &affected.into_iter().collect::<Vec<_>>()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "roster.import", "unit", Some(unit), serde_json::json!({ "entries": result.plan.rows.len(), "replaced": replaced })).await?;
    tx.commit().await?;
    result.applied = true;
    result.replaced = replaced as i64;
    Ok(result)
}

/// Each visible unit's own figures for a round, live (from the counters `counts` keeps).
pub async fn own_figures(state: &AppState, round_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<OwnFigures>, AppError> {
    live::own_figures(state, round_id, visible).await
}

/// The figures frozen when the round closed, with the tree as it was then.
async fn frozen_figures(state: &AppState, round_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Option<Vec<OwnFigures>>, AppError> {
    let frozen = snapshots::figures(&state.db, round_id).await?;
    if frozen.is_empty() {
        return Ok(None);
    }
    Ok(Some(frozen.into_iter().filter(|f| visible.is_none_or(|v| v.contains(&f.unit_id))).collect()))
}

/// Freezes every unit's denominator, figures and place in the tree for a round that has closed.
/// Runs once: a second call finds the snapshot there, and two at the same moment (two nodes'
/// sweepers) cannot both write it, as rows already there are left alone.
pub async fn freeze_snapshot(state: &AppState, round_id: i64) -> Result<bool, AppError> {
    if frozen_figures(state, round_id, None).await?.is_some() {
        return Ok(false);
    }
    let figures = own_figures(state, round_id, None).await?;
    let at = now_secs();
    let mut tx = state.db.begin_write().await?;
    for f in &figures {
        snapshots::insert(&mut tx, round_id, f, at).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Every unit's own figures for a round: frozen if it has closed, live otherwise.
pub async fn round_figures(state: &AppState, round_id: i64) -> Result<Vec<OwnFigures>, AppError> {
    match frozen_figures(state, round_id, None).await? {
        Some(own) => Ok(own),
        None => own_figures(state, round_id, None).await,
    }
}

/// Entries per day of a round, every unit.
pub async fn round_per_day(state: &AppState, round_id: i64) -> Result<Vec<DayCount>, AppError> {
    entries_per_day(state, round_id, None).await
}

/// Rates of a round: live while it runs, frozen once it has closed.
pub async fn report(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<ParticipationReport, AppError> {
    let actor = actor.clone();
    state.reports.run(state, move |state| async move { report_now(&state, &actor, round_id).await }).await
}

async fn report_now(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<ParticipationReport, AppError> {
    let visible = scope(state, actor).await?;
    let round = crate::rounds::setup::get_round(state, round_id).await?;
    let (own, frozen) = match frozen_figures(state, round_id, visible.as_ref()).await? {
        Some(own) => (own, true),
        None => (own_figures(state, round_id, visible.as_ref()).await?, false),
    };
    let units = rates::roll_up(&own);
    let total_eligible: i64 = own.iter().map(|f| f.eligible).sum();
    let total_participated: i64 = own.iter().map(|f| f.participated).sum();
    Ok(ParticipationReport {
        round_id,
        round_title: round.settings.title,
        contest_title: round.contest_title,
        frozen,
        threshold: LOW_RATE_THRESHOLD,
        eligible: total_eligible,
        participated: total_participated,
        rate: rates::ratio(total_participated, total_eligible),
        blocks: rates::by_block(&own),
        units,
        per_day: entries_per_day(state, round_id, visible.as_ref()).await?,
    })
}

/// Participation over a whole contest: distinct eligible people who took part in any of its
/// rounds, per unit (rolled up) and block, against today's rosters.
pub async fn contest_report(state: &AppState, actor: &CurrentUser, contest_id: i64) -> Result<ContestParticipation, AppError> {
    let actor = actor.clone();
    state.reports.run(state, move |state| async move { contest_report_now(&state, &actor, contest_id).await }).await
}

async fn contest_report_now(state: &AppState, actor: &CurrentUser, contest_id: i64) -> Result<ContestParticipation, AppError> {
    let visible = scope(state, actor).await?;
    let contest = crate::rounds::setup::get_contest(state, contest_id).await?;
    let own = live::contest_figures(state, contest_id, visible.as_ref()).await?;
    let eligible: i64 = own.iter().map(|f| f.eligible).sum();
    let participated: i64 = own.iter().map(|f| f.participated).sum();
    Ok(ContestParticipation { contest_id, contest_title: contest.title, eligible, participated, rate: rates::ratio(participated, eligible), blocks: rates::by_block(&own), units: rates::roll_up(&own) })
}

/// Entries submitted per day (Vietnam dates), for the units in view.
async fn entries_per_day(state: &AppState, round_id: i64, visible: Option<&BTreeSet<i64>>) -> Result<Vec<DayCount>, AppError> {
    live::per_day(state, round_id, visible).await
}

/// Chưa tham gia: the unit's eligible staff (roster) who have not taken the round, with the
/// contact details a unit manager needs to reach them.
/// Recorded in the personal data log (`channel`: how the list leaves the platform).
pub async fn non_participants(state: &AppState, actor: &CurrentUser, unit: i64, round_id: i64, channel: crate::audit::Channel) -> Result<Vec<NonParticipant>, AppError> {
    let who = actor.clone();
    let list = state.reports.run(state, move |state| async move { non_participants_now(&state, &who, unit, round_id).await }).await?;
    crate::audit::personal_data(&state.db, actor.id, "non_participants", &format!("unit {unit}, round {round_id}"), list.len(), channel).await?;
    Ok(list)
}

async fn non_participants_now(state: &AppState, actor: &CurrentUser, unit: i64, round_id: i64) -> Result<Vec<NonParticipant>, AppError> {
    let (all, ids) = subtree_for(state, actor, unit).await?;
    crate::rounds::setup::get_round(state, round_id).await?;
    let names: BTreeMap<i64, String> = all.iter().map(|u| (u.id, u.name.clone())).collect();
    let mut list = live::non_participants(state, &ids, round_id, &names).await?;
    // The unit's manager chases them by phone (the unit's scope was checked above).
    if let Some(reveal) = crate::policy::reveal_missing_staff_contacts(actor) {
        for p in &mut list {
            p.phone = p.phone.take().map(|ph| ph.reveal(reveal));
        }
    }
    Ok(list)
}

/// Roster entries matching two or more accounts, and participants of the unit that match no
/// roster entry: both need the unit manager's attention.
pub async fn anomalies(state: &AppState, actor: &CurrentUser, unit: i64, round_id: i64) -> Result<MatchAnomalies, AppError> {
    let who = actor.clone();
    let found = state.reports.run(state, move |state| async move { anomalies_now(&state, &who, unit, round_id).await }).await?;
    // Accounts' e-mails, for the manager to recognise people.
    let records = found.unmatched_participants.len() + found.candidates.len() + found.cross_unit.len();
    crate::audit::personal_data(&state.db, actor.id, "matching", &format!("unit {unit}, round {round_id}"), records, crate::audit::Channel::Json).await?;
    Ok(found)
}

async fn anomalies_now(state: &AppState, actor: &CurrentUser, unit: i64, round_id: i64) -> Result<MatchAnomalies, AppError> {
    let (_, ids) = subtree_for(state, actor, unit).await?;
    Ok(MatchAnomalies {
        unmatched_participants: live::unmatched_participants(state, &ids, round_id).await?,
        roster_entries_with_two_accounts: live::double_matches(state, &ids).await?,
        candidates: matching::candidates(state, &ids).await?,
        cross_unit: matching::cross_unit(state, &ids).await?,
    })
}

/// The unit manager's decision on a same-name candidate.
///
/// Only a listed candidate can be decided: a same-name account of the entry's unit (by the unit
/// manager or an organizer), or an identity match outside the roster's subtree (by an organizer
/// only). Any other account gets 422, an unknown one 404.
pub async fn decide(state: &AppState, actor: &CurrentUser, roster_entry_id: i64, user_id: i64, confirm: bool) -> Result<(), AppError> {
    let unit = rosters::unit_of_active_entry(&state.db, roster_entry_id).await?.ok_or(AppError::NotFound)?;
    subtree_for(state, actor, unit).await?;
    if !crate::accounts::repo::user_exists(&state.db, user_id).await? {
        return Err(AppError::NotFound);
    }
    let own = BTreeSet::from([unit]);
    let same_name = matching::candidates(state, &own).await?.iter().any(|c| c.roster_entry_id == roster_entry_id && c.user_id == user_id);
    let cross_unit = matching::cross_unit(state, &own).await?.iter().any(|c| c.roster_entry_id == roster_entry_id && c.user_id == user_id);
    // A decision already taken may be changed by whoever could take it.
    let decided = rosters::decision_exists(&state.db, roster_entry_id, user_id).await?;
    let certain_here = matching::entries(state, Some(&own)).await?.iter().any(|e| e.id == roster_entry_id && e.users.contains(&user_id));
    match (same_name, cross_unit, decided || certain_here) {
        (true, _, _) | (false, false, true) => {}
        (false, true, _) if actor.is_organizer() => {}
        (false, true, _) => return Err(AppError::Forbidden),
        (false, false, false) => return Err(AppError::field("user_id", "err.not_a_candidate")),
    }
    let decision = if confirm { MatchDecision::Confirmed } else { MatchDecision::Rejected };
    let mut tx = state.db.begin_write().await?;
    rosters::replace_decision(&mut tx, roster_entry_id, user_id, decision, actor.id, now_secs()).await?;
    crate::counters::on_decision(&mut tx, roster_entry_id, user_id, confirm).await?;
    crate::audit::record(&mut tx, Some(actor.id), "roster.decide", "roster_entry", Some(roster_entry_id), serde_json::json!({ "user_id": user_id, "confirmed": confirm })).await?;
    tx.commit().await?;
    Ok(())
}

/// `export participation`: one row per unit and round of a contest, from the frozen figures
/// for closed rounds and live ones for the others.
pub async fn export_csv(state: &AppState, contest_id: i64, headers: crate::cells::Headers) -> Result<String, AppError> {
    use crate::cells::Headers;
    use crate::i18n::{Lang, t};
    let contest = crate::rounds::setup::get_contest(state, contest_id).await?;
    let mut out = crate::cells::Csv::new();
    let fail = |e: csv::Error| AppError::internal(e);
    let lang = Lang::Vi;
    match headers {
        Headers::Codes => out.row(["unit_code", "unit_name", "parent_code", "block", "round_id", "eligible", "participated", "rate", "source"]),
        Headers::People => out.row(["part.unit_code", "part.unit", "part.parent_code", "part.block", "part.round", "part.eligible", "part.participated", "part.rate", "part.source"].map(|k| t(lang, k))),
    }
    .map_err(fail)?;
    for round in contest.rounds.iter().filter(|r| r.audience == crate::quiz::model::Audience::Staff) {
        let own = round_figures(state, round.id).await?;
        let codes: BTreeMap<i64, String> = own.iter().map(|f| (f.unit_id, f.code.clone())).collect();
        for r in rates::roll_up(&own) {
            let parent = r.parent_id.and_then(|p| codes.get(&p).cloned()).unwrap_or_default();
            let row = match headers {
                Headers::Codes => [
                    r.code.clone(), r.name.clone(), parent, r.block.clone(), round.id.to_string(), r.eligible.to_string(), r.participated.to_string(),
                    r.rate.map(|x| format!("{x:.4}")).unwrap_or_default(), r.source.code().into(),
                ],
                Headers::People => [
                    r.code.clone(), r.name.clone(), parent, t(lang, &format!("block.{}", r.block)), round.title.clone(), r.eligible.to_string(), r.participated.to_string(),
                    r.rate.map(|x| crate::numbers::percent(lang, x)).unwrap_or_default(), t(lang, &format!("part.source_{}", r.source.code())),
                ],
            };
            out.row(row).map_err(fail)?;
        }
    }
    out.into_string().map_err(fail)
}

/// Giải tập thể of a round: the units directly under the city, each with its whole subtree's
/// figures, ranked per block by the contest's rules.
pub async fn collective(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<Vec<super::collective::BlockRanking>, AppError> {
    let actor = actor.clone();
    state.reports.run(state, move |state| async move { collective_now(&state, &actor, round_id).await }).await
}

async fn collective_now(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<Vec<super::collective::BlockRanking>, AppError> {
    use super::collective::{CollectiveRules, UnitFigures, rank};
    crate::policy::organizer(actor)?;
    let round = crate::rounds::setup::get_round(state, round_id).await?;
    let rules_json = collective_repo::rules_json(&state.db, round.contest_id).await?.ok_or(AppError::NotFound)?;
    let rules: CollectiveRules = crate::codes::stored_json(&rules_json, "collective rules")?;
    let own = round_figures(state, round_id).await?;
    let parent: BTreeMap<i64, Option<i64>> = own.iter().map(|f| (f.unit_id, f.parent_id)).collect();
    // Each person's counting attempt only (as in the ranking), summed up the tree, so a
    // department's mean includes its schools and hospitals.
    let scores = crate::rounds::results::counting_scores(state, &round).await?;
    let sums = super::collective::sums_up_the_tree(&scores, &parent);
    let root = own.iter().find(|f| f.parent_id.is_none()).map(|f| f.unit_id);
    let units: Vec<UnitFigures> = rates::roll_up(&own)
        .into_iter()
        .filter(|r| r.parent_id.is_some() && r.parent_id == root)
        .map(|r| UnitFigures {
            unit_id: r.unit_id,
            name: r.name,
            block: r.block,
            eligible: r.eligible,
            participated: r.participated,
            mean_score: sums.get(&r.unit_id).filter(|s| s.1 > 0).map(|s| s.0 as f64 / 100.0 / s.1 as f64),
        })
        .collect();
    Ok(rank(&units, &rules))
}

pub async fn set_collective_rules(state: &AppState, actor: &CurrentUser, contest_id: i64, rules: super::collective::CollectiveRules) -> Result<(), AppError> {
    crate::policy::organizer(actor)?;
    let bad = std::iter::once(&rules.default).chain(rules.blocks.values()).any(|r| !(0.0..=1.0).contains(&r.min_rate) || r.prizes.iter().any(|p| p.count < 0 || p.name.trim().is_empty()));
    if bad {
        return Err(AppError::field("rules", "err.collective_rules"));
    }
    let mut tx = state.db.begin_write().await?;
    if !collective_repo::set_rules_json(&mut tx, contest_id, &serde_json::to_string(&rules).unwrap_or_default()).await? {
        return Err(AppError::NotFound);
    }
    crate::audit::record(&mut tx, Some(actor.id), "contest.collective_rules", "contest", Some(contest_id), serde_json::to_value(&rules).unwrap_or_default()).await?;
    tx.commit().await?;
    Ok(())
}

/// The contest's collective-prize rules (organizers).
pub async fn collective_rules(state: &AppState, actor: &CurrentUser, contest_id: i64) -> Result<super::collective::CollectiveRules, AppError> {
    crate::policy::organizer(actor)?;
    let json = collective_repo::rules_json(&state.db, contest_id).await?.ok_or(AppError::NotFound)?;
    crate::codes::stored_json(&json, "collective rules")
}
