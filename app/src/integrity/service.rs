//! A round's integrity report and the organizer's dismissals. Computing the flags reads the
//! round's submitted attempts once and, for each other signal, only the rows SQL found could
//! trip it; the rules themselves are in `signals`.

use super::model::{Dismissal, FlaggedAttempt, IntegrityReport, Thresholds, explain};
use super::{repo, signals};
use crate::accounts::model::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::infra::db::Db;
use crate::infra::state::AppState;
use crate::vn_time::now_secs;
use std::collections::{BTreeSet, HashMap};

/// A round's flags, how many submitted attempts were checked, and the flagged ones' facts.
pub struct Computed {
    pub flags: Vec<signals::Flag>,
    pub checked: usize,
    pub facts: HashMap<i64, signals::AttemptFacts>,
}

pub async fn compute(db: &Db, round_id: i64, t: &Thresholds) -> Result<Computed, AppError> {
    let input = signals::Input {
        attempts: repo::submitted_attempts(db, round_id).await?,
        round_events: repo::shared_device_events(db, round_id, t.shared_device_accounts as i64).await?,
        device_stretches: repo::multi_device_stretches(db, round_id).await?,
        registrations: repo::shared_registrations(db, round_id, t.registrations_per_device as i64).await?,
    };
    let checked = input.attempts.len();
    // The rules are CPU work over up to hundreds of thousands of rows: off the async threads.
    let t = *t;
    tokio::task::spawn_blocking(move || {
        let flags = signals::assess(&input, &t);
        let wanted: BTreeSet<i64> = flags.iter().map(|f| f.attempt_id).collect();
        let facts = input.attempts.into_iter().filter(|a| wanted.contains(&a.attempt_id)).map(|a| (a.attempt_id, a)).collect();
        Computed { flags, checked, facts }
    })
    .await
    .map_err(AppError::internal)
}

/// Bằng chứng thi hộ: the round's flagged attempts with their evidence, for organizers. A
/// round of 200,000 entries takes seconds of database and CPU time, so it runs on the report
/// lane: on a deadline day it takes only what answer saves leave free.
pub async fn report(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<IntegrityReport, AppError> {
    crate::policy::integrity_evidence(actor)?;
    let actor = actor.clone();
    state.reports.run(state, move |state| async move { report_now(&state, &actor, round_id).await }).await
}

async fn report_now(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<IntegrityReport, AppError> {
    crate::policy::integrity_evidence(actor)?;
    let round = crate::rounds::setup::get_round(state, round_id).await?;
    let begun = std::time::Instant::now();
    let Computed { flags, checked, facts } = compute(&state.db, round_id, &state.settings.integrity).await?;
    let computed_in_ms = begun.elapsed().as_millis() as i64;
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    for f in &flags {
        ids.insert(f.user_id);
        for e in &f.evidence {
            ids.extend(e.user_ids());
        }
    }
    let people: HashMap<i64, repo::Person> = repo::people(&state.db, &ids.into_iter().collect::<Vec<_>>()).await?.into_iter().map(|p| (p.id, p)).collect();
    let name = |id: i64| people.get(&id).map(|p| p.full_name.clone()).unwrap_or_default();
    let reviews: HashMap<i64, repo::ReviewRow> = repo::reviews(&state.db, round_id).await?.into_iter().map(|r| (r.attempt_id, r)).collect();
    let disqualified: BTreeSet<i64> = crate::rounds::repo::results::disqualified_ids(&state.db, round_id).await?.into_iter().collect();
    let flagged = flags
        .into_iter()
        .map(|f| {
            let mut evidence = f.evidence;
            for e in &mut evidence {
                e.fill_names(&name);
            }
            let a = facts.get(&f.attempt_id);
            FlaggedAttempt {
                attempt_id: f.attempt_id,
                user_id: f.user_id,
                full_name: name(f.user_id),
                unit_name: people.get(&f.user_id).and_then(|p| p.unit_name.clone()),
                score: a.map(|a| a.score),
                max_score: a.map(|a| a.max_score).unwrap_or_default(),
                time_taken_ms: a.map(|a| a.time_taken_ms),
                submitted_at_ms: a.map(|a| a.submitted_at_ms),
                risk: f.risk,
                explanations: evidence.iter().map(|e| explain(Lang::Vi, e)).collect(),
                evidence,
                dismissal: reviews.get(&f.attempt_id).map(|r| Dismissal { note: r.note.clone(), decided_by: r.decided_by.clone(), decided_at: r.decided_at }),
                disqualified: disqualified.contains(&f.user_id),
            }
        })
        .collect();
    Ok(IntegrityReport {
        round_id,
        round_title: round.settings.title,
        contest_title: round.contest_title,
        attempts_checked: checked as i64,
        flagged,
        computed_in_ms,
        thresholds: state.settings.integrity,
    })
}

/// Bỏ qua: the organizer looked and found nothing wrong. The note is required and goes to the
/// audit log; dismissing again replaces the note.
pub async fn dismiss(state: &AppState, actor: &CurrentUser, round_id: i64, attempt_id: i64, note: &str) -> Result<(), AppError> {
    crate::policy::integrity_evidence(actor)?;
    let note = note.trim();
    if note.chars().count() < 5 {
        return Err(AppError::field("note", "err.reason_required"));
    }
    if crate::text::too_long(note, crate::text::REASON_MAX_CHARS) {
        return Err(AppError::field("note", "err.too_long"));
    }
    match repo::attempt_owner(&state.db, attempt_id).await? {
        Some((round, _)) if round == round_id => {}
        _ => return Err(AppError::NotFound),
    }
    let mut tx = state.db.begin_write().await?;
    repo::dismiss(&mut tx, round_id, attempt_id, note, actor.id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "integrity.dismiss", "round", Some(round_id), serde_json::json!({ "attempt_id": attempt_id, "note": note })).await?;
    tx.commit().await?;
    Ok(())
}
