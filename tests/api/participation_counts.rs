//! The live participation counters equal the definition computed from scratch, after every
//! kind of change that moves a figure: submissions (first and second attempts, two accounts
//! matched to one roster entry), new accounts, rosters replaced, a unit manager's confirmations
//! and rejections; and `rebuild` gives the same counters again. A seeded random sequence of
//! changes, compared after each one, for the whole city and for a manager's subtree.

use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::rounds::{round_settings, setup};
use app::accounts::model::{CurrentUser, Registration, Role};
use app::participation::matching::{self, Period};
use app::participation::rates::OwnFigures;
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::collections::BTreeSet;

on_both_backends!(live_counters_equal_the_definition_after_every_change);

fn sorted(mut f: Vec<OwnFigures>) -> Vec<OwnFigures> {
    f.sort_by_key(|x| x.unit_id);
    f
}

async fn check(app: &TestApp, round: i64, subtree: &BTreeSet<i64>, step: &str) {
    let state = &app.state;
    for (scope, visible) in [("whole city", None), ("subtree", Some(subtree))] {
        let live = sorted(app::participation::live::own_figures(state, round, visible).await.unwrap());
        let reference = sorted(matching::reference_figures(state, Period::Round(round), visible).await.unwrap());
        // Only the units that differ, so a failure reads in a line or two.
        let differ: Vec<_> = live.iter().zip(&reference).filter(|(a, b)| a != b).collect();
        assert!(live.len() == reference.len() && differ.is_empty(), "{scope} after {step}: live vs definition {differ:?}");
    }
}

async fn counters(app: &TestApp) -> Vec<(i64, i64, i64, i64)> {
    sqlx::query_as("SELECT round_id, unit_id, roster_participated, declared_participated FROM round_unit_counts WHERE roster_participated > 0 OR declared_participated > 0 ORDER BY round_id, unit_id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// Identity of person `n`: CCCD, e-mail and phone, unique per `n`.
fn identity(n: u32) -> (String, String, String) {
    (format!("0310960{n:05}"), format!("nguoi{n}@haiphong.gov.vn"), format!("09120{n:05}"))
}

async fn account(app: &TestApp, n: u32, unit: i64, name: &str) -> CurrentUser {
    let (cccd, email, phone) = identity(n);
    let form = Registration {
        full_name: name.into(),
        unit_id: Some(unit),
        position: "Chuyên viên".into(),
        phone,
        email,
        cccd,
        password: "mật-khẩu-đủ-dài".into(),
        password_confirm: "mật-khẩu-đủ-dài".into(),
    };
    let id = app::accounts::service::register(&app.state, "127.0.0.1", form).await.unwrap();
    app::accounts::repo::current_user(&app.state.db, id).await.unwrap().unwrap()
}

const NAMES: [&str; 6] = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Thị Giang"];

/// A roster of people `who` (matched by one identity field each, or by none), every third in
/// the sub-unit `sub` when there is one.
fn roster(who: &[(u32, u8)], sub: &str) -> String {
    let mut csv = String::from("Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n");
    for (i, (n, how)) in who.iter().enumerate() {
        let (cccd, email, phone) = identity(*n);
        let name = NAMES[*n as usize % NAMES.len()];
        let sub = if i % 3 == 2 { sub } else { "" };
        let line = match how {
            0 => format!("{name},{cccd},,,Chuyên viên,{sub}\n"),
            1 => format!("{name},MS-{n},{email},,Chuyên viên,{sub}\n"),
            2 => format!("{name},MS-{n},,{phone},Chuyên viên,{sub}\n"),
            // Only a name: a same-name candidate at best.
            _ => format!("{name},MS-{n},,,Chuyên viên,{sub}\n"),
        };
        csv.push_str(&line);
    }
    csv
}

async fn live_counters_equal_the_definition_after_every_change(app: TestApp) {
    let (_, round) = setup(&app, round_settings(json!({ "max_attempts": 2 }))).await;
    let state = &app.state;
    let organizer_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'bantochuc@test.vn'").fetch_one(&state.db.pool).await.unwrap();
    let organizer = app::accounts::repo::current_user(&state.db, organizer_id).await.unwrap().unwrap();
    let health = app.unit_id("Sở Y tế").await;
    let hospital = app.unit_id("Bệnh viện Hữu nghị Việt Tiệp").await;
    let ward = app.unit_id("Phường Hải An").await;
    let units = [health, hospital, ward];
    let all = app::units::repo::all(&state.db).await.unwrap();
    let subtree: BTreeSet<i64> = app::units::tree::subtree(&all, health).into_iter().collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);

    // People 1..=24: most with accounts, spread over the units; the rest only on rosters.
    let mut people: Vec<(u32, Option<CurrentUser>)> = Vec::new();
    for n in 1..=24u32 {
        let unit = units[n as usize % units.len()];
        let user = if n % 4 != 0 { Some(account(&app, n, unit, NAMES[n as usize % NAMES.len()]).await) } else { None };
        people.push((n, user));
    }
    check(&app, round, &subtree, "accounts").await;
    let mut next_person = 100u32;
    // How many changes of each kind (roster, submission, account, decision) actually happened.
    let mut done = [0usize; 5];
    let mut hospital_under = health;
    for step in 0..48 {
        let kind = rng.gen_range(0..7);
        let label = match kind {
            // A roster replaced: a random half of the people, each matched by a random field.
            0 | 1 => {
                let unit = [health, ward][rng.gen_range(0..2)];
                let mut who: Vec<(u32, u8)> = Vec::new();
                for (n, _) in &people {
                    if rng.gen_bool(0.5) {
                        who.push((*n, rng.gen_range(0..4u8)));
                    }
                }
                // Some of the department's people sit in its hospital.
                let csv = roster(&who, if unit == hospital_under { "Bệnh viện Hữu nghị Việt Tiệp" } else { "" });
                let done = app::participation::service::import_roster(state, &organizer, unit, csv.as_bytes(), true).await.unwrap();
                assert!(done.applied, "{:?}", done.plan.errors);
                format!("roster of {} people for unit {unit}", who.len())
            }
            // Someone submits (a first or second attempt).
            2 | 3 => {
                let (_, user) = &people[rng.gen_range(0..people.len())];
                match user {
                    Some(user) => match app::rounds::attempts::start(state, user, round).await {
                        Ok(view) => {
                            app::rounds::attempts::submit(state, user, view.id).await.unwrap();
                            format!("submission by {}", user.id)
                        }
                        Err(_) => "no attempts left".into(),
                    },
                    None => "someone without an account".into(),
                }
            }
            // A new account, matching a roster entry of someone who had none.
            4 => {
                let slot = people.iter().position(|(_, u)| u.is_none());
                match slot {
                    Some(i) => {
                        let n = people[i].0;
                        people[i].1 = Some(account(&app, n, units[n as usize % units.len()], NAMES[n as usize % NAMES.len()]).await);
                        format!("account for person {n}")
                    }
                    None => {
                        next_person += 1;
                        people.push((next_person, Some(account(&app, next_person, ward, "Vũ Văn Mới").await)));
                        "a newcomer".into()
                    }
                }
            }
            // The tree changes: the hospital moves between the department and the ward, so
            // which accounts belong to which roster's subtree changes with it.
            6 => {
                hospital_under = if hospital_under == health { ward } else { health };
                app::units::service::move_unit(state, &organizer, hospital, hospital_under).await.unwrap();
                format!("hospital moved under {hospital_under}")
            }
            // A decision: an organizer confirms an identity match outside the roster's subtree,
            // or a same-name candidate, or rejects a match.
            _ => {
                let scope: BTreeSet<i64> = units.iter().copied().collect();
                let cross = matching::cross_unit(state, &scope).await.unwrap();
                let candidates = matching::candidates(state, &scope).await.unwrap();
                let candidates = if !cross.is_empty() && rng.gen_bool(0.5) { cross } else { candidates };
                let matched: Vec<(i64, i64)> = sqlx::query_as("SELECT m.roster_entry_id, m.user_id FROM roster_matches m JOIN roster_entries e ON e.id = m.roster_entry_id WHERE e.status = 'active' ORDER BY 1, 2")
                    .fetch_all(&state.db.pool)
                    .await
                    .unwrap();
                if !candidates.is_empty() && (matched.is_empty() || rng.gen_bool(0.5)) {
                    let c = &candidates[rng.gen_range(0..candidates.len())];
                    app::participation::service::decide(state, &organizer, c.roster_entry_id, c.user_id, true).await.unwrap();
                    format!("candidate {} confirmed", c.roster_entry_id)
                } else if let Some((entry, user)) = matched.get(rng.gen_range(0..matched.len().max(1))) {
                    app::participation::service::decide(state, &organizer, *entry, *user, false).await.unwrap();
                    format!("match {entry}–{user} rejected")
                } else {
                    "nothing to decide".into()
                }
            }
        };
        if !label.starts_with("no") && !label.starts_with("someone") {
            done[[0, 0, 1, 1, 2, 3, 4][kind]] += 1;
        }
        check(&app, round, &subtree, &format!("step {step}: {label}")).await;
    }
    assert!(done.iter().all(|n| *n >= 2), "every kind of change was tried: {done:?}");
    // Two accounts matched to one roster entry (same e-mail on the roster as one's, CCCD as the
    // other's) both take part: the entry counts once.
    let a = account(&app, 501, hospital, "Bùi Văn Đôi").await;
    let b = account(&app, 502, hospital, "Bùi Văn Đôi").await;
    let (cccd_b, email_a, _) = (identity(502).0, identity(501).1, ());
    let csv = format!("Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nBùi Văn Đôi,{cccd_b},{email_a},,Chuyên viên,\n");
    app::participation::service::import_roster(state, &organizer, hospital, csv.as_bytes(), true).await.unwrap();
    let in_hospital = || async { app::participation::live::own_figures(state, round, Some(&[hospital].into_iter().collect())).await.unwrap()[0].participated };
    let before = in_hospital().await;
    for user in [&a, &b] {
        let view = app::rounds::attempts::start(state, user, round).await.unwrap();
        app::rounds::attempts::submit(state, user, view.id).await.unwrap();
        check(&app, round, &subtree, "an entry matched twice").await;
    }
    assert_eq!(in_hospital().await, before + 1, "the entry matched to both counts once");

    // Rebuilding from the source tables gives the same counters.
    let before = counters(&app).await;
    assert!(!before.is_empty());
    app::counters::rebuild(&state.db).await.unwrap();
    assert_eq!(counters(&app).await, before, "rebuild gives the same counters");
    // The roles of those who took part are not touched by any of this.
    assert!(app::accounts::repo::current_user(&state.db, a.id).await.unwrap().unwrap().roles.iter().all(|g| g.role == Role::Participant));
}
