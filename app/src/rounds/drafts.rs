//! Drafts (bản nháp): an organizer prepares a contest or round out of participants' sight,
//! announces it when ready, may take it back while nobody has started it, and may delete a
//! draft nobody has taken. The rule of what may happen is [`draft_change`]; the services apply
//! it in one transaction with an audit record.

use super::model::*;
use super::repo::{contests, rounds};
use super::setup::{get_contest, get_round};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::infra::state::AppState;
use crate::vn_time::now_secs;

/// What an organizer asks of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftChange {
    /// Công khai: participants see it from now on.
    Announce,
    /// Chuyển về nháp: hide it again.
    BackToDraft,
    /// Xoá bản nháp.
    Delete,
}

/// Whether the change may happen to something that is (or is not) a draft, has (or has not)
/// been taken, and is (or is not) closed; the refusal's text key otherwise. Pure, table-tested.
pub fn draft_change(change: DraftChange, is_draft: bool, attempts: i64, closed: bool) -> Result<(), &'static str> {
    match change {
        DraftChange::Announce if closed => Err("err.draft_closed"),
        DraftChange::Announce => Ok(()),
        DraftChange::BackToDraft | DraftChange::Delete if attempts > 0 => Err("err.draft_taken"),
        DraftChange::Delete if !is_draft => Err("err.draft_not_draft"),
        DraftChange::BackToDraft | DraftChange::Delete => Ok(()),
    }
}

/// Announces a round, takes it back into draft, or deletes it (returns `None` then).
pub async fn change_round(state: &AppState, actor: &CurrentUser, round_id: i64, change: DraftChange) -> Result<Option<Round>, AppError> {
    crate::policy::organizer(actor)?;
    let round = get_round(state, round_id).await?;
    let mut tx = state.db.begin_write().await?;
    let attempts = rounds::attempts_started(&mut tx, round_id).await?;
    draft_change(change, round.draft, attempts, round.phase == RoundPhase::Closed).map_err(AppError::conflict)?;
    let action = match change {
        DraftChange::Announce => {
            rounds::set_draft(&mut tx, round_id, false, now_secs()).await?;
            "round.announce"
        }
        DraftChange::BackToDraft => {
            rounds::set_draft(&mut tx, round_id, true, now_secs()).await?;
            "round.back_to_draft"
        }
        DraftChange::Delete => {
            rounds::delete_untaken(&mut tx, round_id).await?;
            "round.delete_draft"
        }
    };
    crate::audit::record(&mut tx, Some(actor.id), action, "round", Some(round_id), serde_json::json!({ "title": round.settings.title })).await?;
    tx.commit().await?;
    match change {
        DraftChange::Delete => Ok(None),
        _ => get_round(state, round_id).await.map(Some),
    }
}

/// The same for a contest. Deleting a draft contest deletes its rounds, none of them taken.
pub async fn change_contest(state: &AppState, actor: &CurrentUser, contest_id: i64, change: DraftChange) -> Result<Option<Contest>, AppError> {
    crate::policy::organizer(actor)?;
    let contest = get_contest(state, contest_id).await?;
    let mut tx = state.db.begin_write().await?;
    let attempts = contests::attempts_started(&mut tx, contest_id).await?;
    // A contest stays open to announcing whatever its rounds' times: each round has its own.
    draft_change(change, contest.draft, attempts, false).map_err(AppError::conflict)?;
    let action = match change {
        DraftChange::Announce | DraftChange::BackToDraft => {
            contests::set_draft(&mut tx, contest_id, change == DraftChange::BackToDraft, now_secs()).await?;
            if change == DraftChange::Announce { "contest.announce" } else { "contest.back_to_draft" }
        }
        DraftChange::Delete => {
            for round in &contest.rounds {
                rounds::delete_untaken(&mut tx, round.id).await?;
            }
            contests::delete(&mut tx, contest_id).await?;
            "contest.delete_draft"
        }
    };
    crate::audit::record(&mut tx, Some(actor.id), action, "contest", Some(contest_id), serde_json::json!({ "title": contest.title, "rounds": contest.rounds.len() })).await?;
    tx.commit().await?;
    match change {
        DraftChange::Delete => Ok(None),
        _ => get_contest(state, contest_id).await.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::DraftChange::*;
    use super::draft_change;

    #[test]
    fn what_may_happen_to_a_draft() {
        // (change, is draft, attempts, closed) → refusal
        let cases = [
            (Announce, true, 0, false, None),
            (Announce, false, 0, false, None),
            (Announce, true, 0, true, Some("err.draft_closed")),
            (BackToDraft, false, 0, false, None),
            (BackToDraft, false, 3, false, Some("err.draft_taken")),
            (Delete, true, 0, false, None),
            (Delete, true, 0, true, None),
            (Delete, true, 1, false, Some("err.draft_taken")),
            (Delete, false, 0, false, Some("err.draft_not_draft")),
        ];
        for (change, draft, attempts, closed, refusal) in cases {
            assert_eq!(draft_change(change, draft, attempts, closed).err(), refusal, "{change:?} draft={draft} attempts={attempts} closed={closed}");
        }
    }
}
