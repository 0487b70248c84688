//! Ngoài danh sách: people who registered in a unit that has a roster but are on none of the
//! rosters. Rates count a rostered unit's roster only, so such a person moves nothing until
//! the unit's manager decides: add them to the roster (they count from then on, in live
//! rounds) or reject them (not eligible staff of that unit: they keep their account, are not
//! counted, and leave the list). Unit managers decide for their subtree, organizers for any
//! unit; each decision is in the audit log.
//!
//! A unit without a roster is left out: everyone who takes part for it already counts, against
//! its declared headcount. A later roster upload replaces the roster, added people included
//! (the file is the unit's list of record), so whoever it leaves out is listed again.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The most people one request may decide on: a page of the list, not the city.
pub const MAX_CHOICE: usize = 500;

/// A registered account on none of the active rosters of its unit's subtree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unrostered {
    pub user_id: i64,
    pub full_name: String,
    pub position: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub email: String,
    /// Masked unless the viewer may see personal numbers (`policy::reveal_personal_numbers`).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub phone: Option<crate::accounts::personal::Phone>,
    /// Masked unless the viewer may see personal numbers.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub cccd: Option<crate::accounts::personal::Cccd>,
}

/// What to do with the chosen people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnrosteredAction {
    /// Thêm vào danh sách: a roster entry from the account, so they count.
    Add,
    /// Không thuộc diện: not eligible staff of their unit; not counted, off the list.
    Reject,
}

/// The people chosen, each once, if every one of them is on the list the actor sees: a
/// choice with someone else in it changes nothing (a stale page, or an id from elsewhere).
pub fn check_choice(listed: &BTreeSet<i64>, chosen: &[i64]) -> Result<BTreeSet<i64>, &'static str> {
    if chosen.is_empty() {
        return Err("err.choose_someone");
    }
    let unique: BTreeSet<i64> = chosen.iter().copied().collect();
    if unique.len() > MAX_CHOICE {
        return Err("err.too_many_chosen");
    }
    if !unique.is_subset(listed) {
        return Err("err.not_unrostered");
    }
    Ok(unique)
}

#[cfg(feature = "ssr")]
pub use service::{decide, list};

#[cfg(feature = "ssr")]
mod service {
    use super::*;
    use crate::accounts::model::CurrentUser;
    use crate::error::AppError;
    use crate::infra::state::AppState;
    use crate::participation::model::MatchDecision;
    use crate::participation::repo::{rosters, unrostered as repo};
    use crate::participation::roster::RosterRow;
    use crate::vn_time::now_secs;
    use std::collections::BTreeMap;

    /// The unrostered people of `unit`'s subtree (404 outside the actor's scope). Recorded in
    /// the personal data log (`channel`).
    pub async fn list(state: &AppState, actor: &CurrentUser, unit: i64, channel: crate::audit::Channel) -> Result<Vec<Unrostered>, AppError> {
        let (all, ids) = crate::participation::service::subtree_for(state, actor, unit).await?;
        let names: BTreeMap<i64, &str> = all.iter().map(|u| (u.id, u.name.as_str())).collect();
        let reveal = crate::policy::reveal_personal_numbers(actor);
        let list: Vec<Unrostered> = repo::list(&state.db, &ids)
            .await?
            .into_iter()
            .map(|r| Unrostered {
                user_id: r.user_id,
                full_name: r.full_name,
                position: r.position,
                unit_id: r.unit_id,
                unit_name: names.get(&r.unit_id).map(|n| n.to_string()).unwrap_or_default(),
                email: r.email,
                phone: r.phone.map(|p| match reveal { Some(k) => p.reveal(k), None => p }),
                cccd: r.cccd.map(|c| match reveal { Some(k) => c.reveal(k), None => c }),
            })
            .collect();
        crate::audit::personal_data(&state.db, actor.id, "unrostered", &format!("unit {unit}"), list.len(), channel).await?;
        Ok(list)
    }

    /// Adds the chosen people of `unit`'s subtree to their unit's roster, or rejects them, all
    /// in one transaction; returns how many.
    pub async fn decide(state: &AppState, actor: &CurrentUser, unit: i64, chosen: &[i64], action: UnrosteredAction) -> Result<usize, AppError> {
        let (_, ids) = crate::participation::service::subtree_for(state, actor, unit).await?;
        let listed = repo::list(&state.db, &ids).await?;
        let chosen = check_choice(&listed.iter().map(|r| r.user_id).collect(), chosen).map_err(|key| AppError::field("user_ids", key))?;
        let at = now_secs();
        let mut tx = state.db.begin_write().await?;
        for person in listed.iter().filter(|r| chosen.contains(&r.user_id)) {
            match action {
                UnrosteredAction::Add => {
                    let owner = repo::roster_owner(&mut tx, person.unit_id).await?.ok_or_else(|| AppError::conflict("err.unit_has_no_roster"))?;
                    let row = RosterRow {
                        line: 0,
                        full_name: person.full_name.clone(),
                        cccd: person.cccd.as_ref().map(|c| c.stored().to_string()),
                        staff_code: None,
                        email: Some(person.email.clone()),
                        phone: person.phone.as_ref().map(|p| p.stored().to_string()),
                        position: person.position.clone(),
                        unit_id: person.unit_id,
                        unit_name: String::new(),
                    };
                    let entry = rosters::insert_entry(&mut tx, owner, &row, at).await?;
                    // The entry is this account by decision, whatever the identity fields say.
                    rosters::replace_decision(&mut tx, entry, person.user_id, MatchDecision::Confirmed, actor.id, at).await?;
                    crate::counters::on_decision(&mut tx, entry, person.user_id, true).await?;
                    crate::counters::on_entry_added(&mut tx, person.unit_id).await?;
                    crate::audit::record(&mut tx, Some(actor.id), "roster.add_registered", "user", Some(person.user_id),
                        serde_json::json!({ "unit_id": person.unit_id, "roster_unit_id": owner, "roster_entry_id": entry })).await?;
                }
                UnrosteredAction::Reject => {
                    repo::exclude(&mut tx, person.user_id, person.unit_id, actor.id, at).await?;
                    crate::audit::record(&mut tx, Some(actor.id), "roster.reject_registered", "user", Some(person.user_id), serde_json::json!({ "unit_id": person.unit_id })).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(chosen.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_accepted_only_from_the_list() {
        let listed = BTreeSet::from([3, 5, 8]);
        let too_many: Vec<i64> = (0..=MAX_CHOICE as i64).collect();
        // (chosen, answer)
        let cases: [(&[i64], Result<Vec<i64>, &str>); 6] = [
            (&[5], Ok(vec![5])),
            (&[8, 3, 8], Ok(vec![3, 8])),
            (&[], Err("err.choose_someone")),
            (&[5, 9], Err("err.not_unrostered")),
            (&[42], Err("err.not_unrostered")),
            (&too_many, Err("err.too_many_chosen")),
        ];
        for (chosen, answer) in cases {
            assert_eq!(check_choice(&listed, chosen).map(|s| s.into_iter().collect::<Vec<_>>()), answer, "{chosen:?}");
        }
    }
}
