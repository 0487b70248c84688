//! Tác phẩm dự thi: drafts, submission with its eligibility checks (`entry_checks`: date
//! window, deadline, per-author quota, required fields), withdrawal, and the organizer's
//! eligibility decisions.

use super::entry_checks::{call_open, check_complete, check_fields, may_reopen, name_key, normalise_authors};
use super::model::*;
use super::repo::{entries, files, scores};
use super::setup;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::infra::db::{Db, WriteTx};
use crate::infra::state::AppState;
use crate::units::model::UnitStatus;
use crate::vn_time::now_secs;

/// Drafts one person may keep in one edition: enough for any real author (the quota per
/// author is usually 2 or 3), few enough that nobody fills the store with abandoned drafts
/// and their files.
pub const MAX_DRAFTS_PER_PERSON: i64 = 10;

pub async fn load_one(db: &Db, id: i64) -> Result<Entry, AppError> {
    entries::get(db, id).await?.ok_or(AppError::NotFound)
}

/// An entry its submitter or an organizer may see; anyone else gets 404.
pub async fn get(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Entry, AppError> {
    let entry = load_one(&state.db, id).await?;
    crate::policy::owner_or_organizer(actor, entry.submitted_by)?;
    Ok(entry)
}

pub async fn mine(state: &AppState, actor: &CurrentUser) -> Result<Vec<Entry>, AppError> {
    entries::of_submitter(&state.db, actor.id).await
}

pub async fn list(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Vec<Entry>, AppError> {
    crate::policy::organizer(actor)?;
    entries::of_competition(&state.db, competition_id).await
}

/// Stores the authors with their quota keys.
async fn write_authors(tx: &mut WriteTx, entry_id: i64, authors: &[Author]) -> Result<(), AppError> {
    let keyed: Vec<(&Author, String)> = authors.iter().map(|a| (a, name_key(&a.full_name))).collect();
    entries::write_authors(tx, entry_id, &keyed).await
}

/// The unit an entry names must exist and be active.
async fn check_unit(state: &AppState, unit_id: Option<i64>, v: &mut Validator) -> Result<(), AppError> {
    if let Some(unit) = unit_id {
        let active = crate::units::repo::get(&state.db, unit).await?.is_some_and(|u| u.status == UnitStatus::Active);
        if !active {
            v.add("unit_id", "err.unit_unknown");
        }
    }
    Ok(())
}

pub async fn create(state: &AppState, actor: &CurrentUser, competition_id: i64, mut input: EntryInput) -> Result<Entry, AppError> {
    crate::policy::staff_member(actor)?;
    let c = setup::get(state, competition_id).await?;
    call_open(&c, now_secs())?;
    let drafts = entries::draft_count(&state.db, competition_id, actor.id).await?;
    if drafts >= MAX_DRAFTS_PER_PERSON {
        return Err(AppError::conflict("err.award_too_many_drafts"));
    }
    if input.unit_id.is_none() {
        input.unit_id = actor.unit_id;
    }
    let mut v = Validator::new();
    check_fields(&c.settings, &input, &mut v);
    check_unit(state, input.unit_id, &mut v).await?;
    v.finish()?;
    normalise_authors(&mut input);
    let t = now_secs();
    let mut tx = state.db.begin_write().await?;
    let id = entries::insert(&mut tx, competition_id, actor.id, &input, t).await?;
    write_authors(&mut tx, id, &input.authors).await?;
    tx.commit().await?;
    load_one(&state.db, id).await
}

/// The entry, if the actor may change it now: a draft of theirs (or any draft, for organizers)
/// while the call is open.
async fn editable(state: &AppState, actor: &CurrentUser, id: i64) -> Result<(Entry, Competition), AppError> {
    let entry = get(state, actor, id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    if entry.status != EntryStatus::Draft {
        return Err(AppError::conflict("err.award_not_draft"));
    }
    call_open(&c, now_secs())?;
    Ok((entry, c))
}

pub async fn update(state: &AppState, actor: &CurrentUser, id: i64, mut input: EntryInput) -> Result<Entry, AppError> {
    let (_, c) = editable(state, actor, id).await?;
    let mut v = Validator::new();
    check_fields(&c.settings, &input, &mut v);
    check_unit(state, input.unit_id, &mut v).await?;
    v.finish()?;
    normalise_authors(&mut input);
    let mut tx = state.db.begin_write().await?;
    if !entries::update_draft(&mut tx, id, &input, now_secs()).await? {
        return Err(AppError::conflict("err.award_not_draft"));
    }
    write_authors(&mut tx, id, &input.authors).await?;
    tx.commit().await?;
    load_one(&state.db, id).await
}

/// Submits a draft. Every check runs and every problem is reported at once, by field; nothing
/// changes unless all pass. The per-author quota is checked under a lock, so two entries of
/// the same author submitted at the same moment cannot both slip under it.
pub async fn submit(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Entry, AppError> {
    let (entry, c) = editable(state, actor, id).await?;
    let mut v = Validator::new();
    check_fields(&c.settings, &entry.input, &mut v);
    check_complete(&c.settings, &entry.input, entry.files.len(), &mut v);
    let mut tx = state.db.begin_write().await?;
    state.db.lock_key(&mut tx, 727_100_000 + c.id).await?;
    for author in &entry.input.authors {
        let others = entries::others_by_author(&mut tx, c.id, &name_key(&author.full_name), id).await?;
        if others >= c.settings.max_entries_per_author {
            v.add("authors", &format!("err.award_quota:{} — {}/{}", author.full_name.trim(), others, c.settings.max_entries_per_author));
        }
    }
    v.finish()?;
    if !entries::submit_draft(&mut tx, id, now_secs()).await? {
        return Err(AppError::conflict("err.award_not_draft"));
    }
    tx.commit().await?;
    load_one(&state.db, id).await
}

/// Rút tác phẩm: the submitter withdraws a draft or a submitted entry while the call is open.
pub async fn withdraw(state: &AppState, actor: &CurrentUser, id: i64, reason: &str) -> Result<Entry, AppError> {
    let entry = get(state, actor, id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    call_open(&c, now_secs())?;
    if !matches!(entry.status, EntryStatus::Draft | EntryStatus::Submitted) {
        return Err(AppError::conflict("err.award_not_withdrawable"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    let mut tx = state.db.begin_write().await?;
    entries::set_status(&mut tx, id, EntryStatus::Withdrawn, reason.trim(), now_secs()).await?;
    // A withdrawn entry is not judged and cannot come back: its files go with it.
    let keys = files::delete_of_entry(&mut tx, id).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.withdraw", "award_entry", Some(id), serde_json::json!({ "reason": reason.trim(), "files_deleted": keys.len() })).await?;
    tx.commit().await?;
    for key in keys {
        if let Err(e) = state.files.delete(&key).await {
            tracing::warn!(error = %e, key, "withdrawn entry's file could not be deleted from the store");
        }
    }
    load_one(&state.db, id).await
}

/// The organizer's eligibility decision on a submitted entry, before judging reaches it. An
/// ineligible entry needs a reason, which its submitter sees.
pub async fn set_eligibility(state: &AppState, actor: &CurrentUser, id: i64, eligible: bool, reason: &str) -> Result<Entry, AppError> {
    crate::policy::organizer(actor)?;
    let entry = load_one(&state.db, id).await?;
    let c = setup::get(state, entry.competition_id).await?;
    if !eligible && reason.trim().is_empty() {
        return Err(AppError::field("reason", "err.reason_required"));
    }
    if crate::text::too_long(reason.trim(), crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("reason", "err.too_long"));
    }
    if !matches!(entry.status, EntryStatus::Submitted | EntryStatus::Eligible | EntryStatus::Ineligible) {
        return Err(AppError::conflict("err.award_not_submitted"));
    }
    if !matches!(c.phase, Phase::Entries | Phase::Preliminary) {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    let mut tx = state.db.begin_write().await?;
    let judged = scores::started_on_entry(&mut tx, id).await?;
    if judged > 0 {
        return Err(AppError::conflict("err.award_already_judged"));
    }
    // Before the call closes an accepted entry stays "submitted"; closing makes it eligible.
    let status = match (eligible, c.phase) {
        (false, _) => EntryStatus::Ineligible,
        (true, Phase::Entries) => EntryStatus::Submitted,
        (true, _) => EntryStatus::Eligible,
    };
    entries::set_status(&mut tx, id, status, if eligible { "" } else { reason.trim() }, now_secs()).await?;
    if !eligible {
        // An entry ruled out leaves its judges' lists.
        scores::delete_unstarted_of_entry(&mut tx, id).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.eligibility", "award_entry", Some(id), serde_json::json!({ "eligible": eligible, "reason": reason.trim() })).await?;
    tx.commit().await?;
    load_one(&state.db, id).await
}

/// Khóa nhận tác phẩm: ends the call (at the deadline or earlier) and makes every submitted
/// entry eligible; entries the organizer ruled out stay ineligible and drafts stay drafts.
pub async fn close_call(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Competition, AppError> {
    crate::policy::organizer(actor)?;
    let mut tx = state.db.begin_write().await?;
    setup::advance(&mut tx, competition_id, Phase::Entries, Phase::Preliminary).await?;
    let n = entries::admit_submitted(&mut tx, competition_id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.close_call", "award_competition", Some(competition_id), serde_json::json!({ "eligible": n })).await?;
    tx.commit().await?;
    setup::get(state, competition_id).await
}

/// Mở lại nhận tác phẩm: undoes closing the call early, while the original deadline has not
/// passed and before any judge is assigned. Entries admitted by the closing are submitted again
/// (their submitters may withdraw or the organizer rule on them as before), and drafts can be
/// finished and submitted.
pub async fn reopen_call(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Competition, AppError> {
    crate::policy::organizer(actor)?;
    let c = setup::get(state, competition_id).await?;
    let mut tx = state.db.begin_write().await?;
    may_reopen(&c, now_secs(), scores::count_of_competition(&mut tx, competition_id).await?)?;
    setup::advance(&mut tx, competition_id, Phase::Preliminary, Phase::Entries).await?;
    super::repo::editions::clear_call_closed_at(&mut tx, competition_id).await?;
    let n = entries::unadmit_eligible(&mut tx, competition_id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.reopen_call", "award_competition", Some(competition_id), serde_json::json!({ "submitted_again": n })).await?;
    tx.commit().await?;
    setup::get(state, competition_id).await
}

/// Saves the entry page's form as typed (the page's "Lưu nháp", and the file buttons of the
/// plain page, which post the fields along with the file so nothing typed is lost).
pub async fn save_form(state: &AppState, actor: &CurrentUser, form: &super::forms::EntryForm) -> Result<Entry, AppError> {
    use super::forms::{parse_authors, parse_duration};
    use crate::codes::Code;
    let current = get(state, actor, form.id).await?;
    let genre = Genre::from_code(&form.genre).ok_or_else(|| AppError::field("genre", "err.award_genre"))?;
    let duration_secs = parse_duration(&form.duration).map_err(|_| AppError::field("duration_secs", "err.number_format"))?;
    let input = EntryInput {
        genre,
        title: form.title.clone(),
        authors: parse_authors(&form.authors),
        unit_id: current.input.unit_id,
        outlet: form.outlet.clone(),
        published_on: form.published_on.clone(),
        duration_secs,
        script: form.script.clone(),
    };
    update(state, actor, form.id, input).await
}
