//! Ai được làm gì, ai được xem gì: who may do what, and who sees personal data. Every service
//! asks here; nothing else decides it. The answers depend only on the actor's roles and the
//! facts handed in (the unit tree, who owns a record), so they are tested by tables.
//!
//! Roles (`accounts::model::Role`):
//! - **participant** (thí sinh): takes rounds, sees their own attempts and entries;
//! - **unit manager** (đầu mối đơn vị): sees participation of the subtrees they manage, with the
//!   contacts of their staff who have not taken part, and keeps those units' rosters;
//! - **judge** (giám khảo): scores the award entries assigned to them;
//! - **organizer** (ban tổ chức): sets up contests, rounds, questions, units and award editions,
//!   sees every report, decides disqualifications and council matters;
//! - **admin** (quản trị): whatever an organizer may, plus roles, the personal-data log and
//!   personal numbers (CCCD, phone) in full.
//!
//! Personal numbers are masked everywhere by their own type (`accounts::personal`); only a
//! [`Reveal`] from this module shows them.

use crate::accounts::model::{CurrentUser, Role};
pub use crate::accounts::personal::Reveal;
use crate::error::AppError;
use std::collections::BTreeSet;

fn allowed(yes: bool) -> Result<(), AppError> {
    if yes { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Organizers' work: contests, rounds, the question bank, the unit tree, award editions, every
/// report. Admins may do it too.
pub fn organizer(actor: &CurrentUser) -> Result<(), AppError> {
    allowed(actor.is_organizer())
}

/// The evidence of proxy-taking (thiết bị, địa chỉ, dấu hiệu thi hộ): organizers and admins,
/// who decide disqualifications. Participants and unit managers never see who used which
/// device.
pub fn integrity_evidence(actor: &CurrentUser) -> Result<(), AppError> {
    allowed(actor.is_organizer())
}

/// Admins' work: granting roles, reading the personal-data log.
pub fn admin(actor: &CurrentUser) -> Result<(), AppError> {
    allowed(actor.is_admin())
}

/// Scoring award entries (which ones: their assignments decide).
pub fn judge(actor: &CurrentUser) -> Result<(), AppError> {
    allowed(actor.has(Role::Judge))
}

/// A record of one person (an attempt, an award entry): its owner and organizers may open it;
/// to anyone else it does not exist, so ids reveal nothing.
pub fn owner_or_organizer(actor: &CurrentUser, owner_id: i64) -> Result<(), AppError> {
    if actor.id == owner_id || actor.is_organizer() { Ok(()) } else { Err(AppError::NotFound) }
}

/// The units whose participation and staff an actor may see and act on: every unit for
/// organizers (`None`), the subtrees of the units they manage for unit managers. `subtree`
/// gives a unit and everything below it. Anyone else is refused.
pub fn report_scope(actor: &CurrentUser, subtree: impl Fn(i64) -> Vec<i64>) -> Result<Option<BTreeSet<i64>>, AppError> {
    if actor.is_organizer() {
        return Ok(None);
    }
    let roots = actor.managed_units();
    if roots.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Some(roots.into_iter().flat_map(subtree).collect()))
}

/// Whether `actor` manages `unit` through a unit-manager grant on it or an ancestor.
pub fn manages(actor: &CurrentUser, unit: i64, subtree: impl Fn(i64) -> Vec<i64>) -> bool {
    actor.managed_units().into_iter().any(|root| subtree(root).contains(&unit))
}

/// Personal numbers (CCCD, phone) in full: admins only, everywhere else masked (a person's own
/// profile included: a shared screen or a shoulder should not show them).
pub fn reveal_personal_numbers(viewer: &CurrentUser) -> Option<Reveal> {
    viewer.is_admin().then_some(Reveal(()))
}

/// The phones of staff who have not taken part, in a missing list the viewer may see (its
/// scope already checked by [`report_scope`]): unit managers chase their own staff by phone,
/// organizers theirs. Every such list that leaves the platform is recorded (`audit`).
pub fn reveal_missing_staff_contacts(viewer: &CurrentUser) -> Option<Reveal> {
    (viewer.is_organizer() || !viewer.managed_units().is_empty()).then_some(Reveal(()))
}

// Rounds and citizens

/// Which rounds a person may see listed and take. A public round (audience `public`): anyone
/// signed in, citizens and civil servants alike (a civil servant needs no second account). A
/// staff round: civil servants only; to a citizen it does not exist. A civil servant without a
/// unit is told the round needs one (its entries count toward a unit's participation).
pub fn take_round(actor: &CurrentUser, audience: crate::quiz::model::Audience) -> Result<(), AppError> {
    use crate::quiz::model::Audience;
    match audience {
        Audience::Public => Ok(()),
        Audience::Staff if actor.citizen => Err(AppError::NotFound),
        Audience::Staff if actor.unit_id.is_none() => Err(AppError::conflict("err.round_for_staff")),
        Audience::Staff => Ok(()),
    }
}

/// Whether a round of `audience` is listed to a viewer (not signed in: every round's title is
/// public; a citizen: public rounds only).
pub fn lists_round(viewer: Option<&CurrentUser>, audience: crate::quiz::model::Audience) -> bool {
    !(viewer.is_some_and(|v| v.citizen) && audience == crate::quiz::model::Audience::Staff)
}

/// What only civil servants do (entering the award for reform initiatives): a citizen's
/// account is for public rounds.
pub fn staff_member(actor: &CurrentUser) -> Result<(), AppError> {
    allowed(!actor.citizen)
}

/// The codes the development text-message sender kept (`/admin/ma-xac-nhan`): organizers and
/// admins, who run demos and help people stuck at sign-up.
pub fn read_sent_codes(actor: &CurrentUser) -> Result<(), AppError> {
    organizer(actor)
}

// Awards

/// An award assignment (one judge on one entry) is its judge's alone: to anyone else, organizers
/// included, it does not exist, so ids reveal nothing. Organizers follow judging through the
/// panels' counts, never a judge's points before the panel closes.
pub fn assigned_judge(actor: &CurrentUser, judge_id: i64) -> Result<(), AppError> {
    if actor.id == judge_id { Ok(()) } else { Err(AppError::NotFound) }
}

/// How a viewer may see an award entry's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileView {
    /// As uploaded, original names included.
    Named,
    /// Without the original names: a judge in blind mode (chấm phách), since a file's name
    /// often carries its author's.
    Anonymous,
}

/// Who may open an award entry's files. Once the entry's prize is published, anyone, signed in
/// or not; before that its submitter and organizers, and a judge assigned to it (`assigned`),
/// anonymously when the edition judges blind. Anyone else is told the file does not exist;
/// someone not signed in is asked to sign in.
pub fn award_entry_files(viewer: Option<&CurrentUser>, owner_id: i64, published: bool, assigned: bool, blind: bool) -> Result<FileView, AppError> {
    let Some(viewer) = viewer else {
        return if published { Ok(FileView::Named) } else { Err(AppError::Unauthenticated) };
    };
    if published || viewer.is_organizer() || viewer.id == owner_id {
        Ok(FileView::Named)
    } else if assigned {
        Ok(if blind { FileView::Anonymous } else { FileView::Named })
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod award_tests {
    use super::*;
    use crate::accounts::model::RoleGrant;

    fn person(id: i64, role: Role) -> CurrentUser {
        CurrentUser { id, full_name: "Người Thử".into(), email: format!("p{id}@test.vn"), unit_id: None, roles: vec![RoleGrant { role, unit_id: None, unit_name: None }], citizen: false }
    }

    #[test]
    fn who_sees_an_entrys_files_and_how() {
        let owner = person(1, Role::Participant);
        let judge_ = person(2, Role::Judge);
        let other = person(3, Role::Participant);
        let organizer_ = person(4, Role::Organizer);
        use FileView::*;
        // (viewer, published, assigned, blind, answer)
        let cases: [(Option<&CurrentUser>, bool, bool, bool, Result<FileView, AppError>); 11] = [
            (Some(&owner), false, false, true, Ok(Named)),
            (Some(&organizer_), false, false, true, Ok(Named)),
            (Some(&judge_), false, true, true, Ok(Anonymous)),
            (Some(&judge_), false, true, false, Ok(Named)),
            (Some(&judge_), false, false, true, Err(AppError::NotFound)),
            (Some(&other), false, false, false, Err(AppError::NotFound)),
            (None, false, false, false, Err(AppError::Unauthenticated)),
            (None, true, false, true, Ok(Named)),
            (Some(&other), true, false, true, Ok(Named)),
            (Some(&judge_), true, true, true, Ok(Named)),
            (Some(&owner), true, false, true, Ok(Named)),
        ];
        for (viewer, published, assigned, blind, answer) in cases {
            assert_eq!(award_entry_files(viewer, owner.id, published, assigned, blind), answer, "{viewer:?} published={published} assigned={assigned} blind={blind}");
        }
        assert_eq!(assigned_judge(&judge_, 2), Ok(()));
        assert_eq!(assigned_judge(&organizer_, 2), Err(AppError::NotFound), "not even organizers open a judge's sheet");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::model::RoleGrant;

    fn person(id: i64, roles: &[(Role, Option<i64>)]) -> CurrentUser {
        CurrentUser {
            id,
            full_name: "Người Thử".into(),
            email: format!("p{id}@test.vn"),
            unit_id: None,
            roles: roles.iter().map(|(role, unit_id)| RoleGrant { role: *role, unit_id: *unit_id, unit_name: None }).collect(),
            citizen: false,
        }
    }

    /// The tree: 1 → {2 → {4}, 3}.
    fn subtree(unit: i64) -> Vec<i64> {
        match unit {
            1 => vec![1, 2, 3, 4],
            2 => vec![2, 4],
            other => vec![other],
        }
    }

    #[test]
    fn who_may_do_what() {
        let participant = person(1, &[(Role::Participant, None)]);
        let manager = person(2, &[(Role::Participant, None), (Role::UnitManager, Some(2))]);
        let judge_ = person(3, &[(Role::Judge, None)]);
        let organizer_ = person(4, &[(Role::Organizer, None)]);
        let admin_ = person(5, &[(Role::Admin, None)]);
        // (actor, organizer, admin, judge)
        let cases = [(&participant, false, false, false), (&manager, false, false, false), (&judge_, false, false, true), (&organizer_, true, false, false), (&admin_, true, true, false)];
        for (actor, may_organize, may_administer, may_judge) in cases {
            assert_eq!(organizer(actor).is_ok(), may_organize, "{actor:?}");
            assert_eq!(admin(actor).is_ok(), may_administer, "{actor:?}");
            assert_eq!(judge(actor).is_ok(), may_judge, "{actor:?}");
            assert_eq!(integrity_evidence(actor).is_ok(), may_organize, "{actor:?}");
        }
        assert_eq!(owner_or_organizer(&participant, 1), Ok(()));
        assert_eq!(owner_or_organizer(&participant, 9), Err(AppError::NotFound), "someone else's record does not exist");
        assert_eq!(owner_or_organizer(&organizer_, 9), Ok(()));
    }

    #[test]
    fn managers_see_their_subtrees_only() {
        let manager = person(2, &[(Role::UnitManager, Some(2))]);
        assert_eq!(report_scope(&manager, subtree), Ok(Some(BTreeSet::from([2, 4]))));
        assert_eq!(report_scope(&person(4, &[(Role::Organizer, None)]), subtree), Ok(None));
        assert_eq!(report_scope(&person(1, &[(Role::Participant, None)]), subtree), Err(AppError::Forbidden));
        assert!(manages(&manager, 4, subtree) && manages(&manager, 2, subtree));
        assert!(!manages(&manager, 3, subtree) && !manages(&manager, 1, subtree), "not a sibling, not a parent");
    }

    #[test]
    fn who_sees_personal_numbers() {
        let manager = person(2, &[(Role::UnitManager, Some(2))]);
        let organizer_ = person(4, &[(Role::Organizer, None)]);
        let admin_ = person(5, &[(Role::Admin, None)]);
        let participant = person(1, &[(Role::Participant, None)]);
        assert!(reveal_personal_numbers(&admin_).is_some());
        assert!(reveal_personal_numbers(&organizer_).is_none() && reveal_personal_numbers(&manager).is_none() && reveal_personal_numbers(&participant).is_none());
        assert!(reveal_missing_staff_contacts(&manager).is_some() && reveal_missing_staff_contacts(&organizer_).is_some());
        assert!(reveal_missing_staff_contacts(&participant).is_none());
    }

    #[test]
    fn who_takes_which_round() {
        use crate::quiz::model::Audience::{Public, Staff};
        let staff = CurrentUser { unit_id: Some(2), ..person(1, &[(Role::Participant, None)]) };
        let unitless = person(2, &[(Role::Participant, None)]);
        let citizen = CurrentUser { citizen: true, ..person(3, &[(Role::Participant, None)]) };
        // (actor, audience, may take, listed)
        let cases = [
            (&staff, Staff, Ok(()), true),
            (&staff, Public, Ok(()), true),
            (&unitless, Staff, Err(AppError::conflict("err.round_for_staff")), true),
            (&unitless, Public, Ok(()), true),
            (&citizen, Staff, Err(AppError::NotFound), false),
            (&citizen, Public, Ok(()), true),
        ];
        for (actor, audience, may, listed) in cases {
            assert_eq!(take_round(actor, audience), may, "{actor:?} {audience:?}");
            assert_eq!(lists_round(Some(actor), audience), listed, "{actor:?} {audience:?}");
        }
        assert!(lists_round(None, Staff) && lists_round(None, Public), "titles are public");
        assert_eq!(staff_member(&citizen), Err(AppError::Forbidden));
        assert_eq!(staff_member(&unitless), Ok(()));
        assert!(read_sent_codes(&citizen).is_err() && read_sent_codes(&person(4, &[(Role::Organizer, None)])).is_ok());
    }
}
