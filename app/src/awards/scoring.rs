//! The judge's side: their assignments, the entry as they may see it (blind or not), and
//! saving a draft or final score against the stage's rubric.

use super::entries;
use super::model::*;
use super::panels::UnitTree;
use super::repo::scores::{self, AssignmentRecord};
use super::repo::{panels as panel_rows, people};
use super::setup;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::infra::state::AppState;
use crate::vn_time::now_secs;
use std::collections::BTreeMap;

/// An entry as a judge sees it. Blind mode hides authors, unit and file names (which often
/// carry the author's name); the file is then offered as "Tệp 1.mp3".
pub fn judge_view(entry: &Entry, blind: bool) -> JudgeEntry {
    let files = entry
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut f = f.clone();
            if blind {
                let ext = f.original_name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
                f.original_name = format!("Tệp {}.{ext}", i + 1);
            }
            f
        })
        .collect();
    JudgeEntry {
        id: entry.id,
        code: entry_code(entry.id),
        genre: entry.input.genre,
        title: entry.input.title.clone(),
        authors: (!blind).then(|| entry.input.authors.clone()),
        unit_name: if blind { None } else { entry.unit_name.clone() },
        outlet: (!blind).then(|| entry.input.outlet.clone()),
        published_on: entry.input.published_on.clone(),
        duration_secs: entry.input.duration_secs,
        script: entry.input.script.clone(),
        files,
    }
}

/// The assignments with their entries and rubrics: the entries are loaded together, each
/// competition once.
async fn to_views(state: &AppState, list: Vec<AssignmentRecord>) -> Result<Vec<Assignment>, AppError> {
    let mut competitions: BTreeMap<i64, Competition> = BTreeMap::new();
    for a in &list {
        if let std::collections::btree_map::Entry::Vacant(slot) = competitions.entry(a.competition_id) {
            slot.insert(setup::get(state, a.competition_id).await?);
        }
    }
    let ids: Vec<i64> = list.iter().map(|a| a.entry_id).collect();
    let loaded: BTreeMap<i64, Entry> = super::repo::entries::by_ids(&state.db, &ids).await?.into_iter().map(|e| (e.id, e)).collect();
    let mut out = vec![];
    for a in list {
        let c = &competitions[&a.competition_id];
        let entry = loaded.get(&a.entry_id).ok_or(AppError::NotFound)?;
        out.push(Assignment {
            id: a.id,
            competition_id: c.id,
            competition_title: c.settings.title.clone(),
            stage: a.stage,
            entry: judge_view(entry, c.settings.blind),
            rubric: rubric(&c.settings, a.stage).to_vec(),
            status: a.status,
            criteria: a.criteria,
            total: a.total,
            recusal_reason: a.recusal_reason,
            panel_closed: a.panel_closed,
        });
    }
    Ok(out)
}

/// The rubric a stage scores by.
fn rubric(settings: &CompetitionInput, stage: Stage) -> &[Criterion] {
    match stage {
        Stage::Preliminary => &settings.rubric_preliminary,
        Stage::Final => &settings.rubric_final,
    }
}

/// The judge's own assignments, open ones first.
pub async fn mine(state: &AppState, actor: &CurrentUser) -> Result<Vec<Assignment>, AppError> {
    let mut list = to_views(state, scores::of_judge(&state.db, actor.id).await?).await?;
    list.sort_by_key(|a| (a.panel_closed, a.status.finished(), a.entry.id));
    Ok(list)
}

/// One assignment, for its judge only (anyone else gets 404, so ids reveal nothing).
pub async fn get(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Assignment, AppError> {
    let row = scores::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    crate::policy::assigned_judge(actor, row.judge_id)?;
    to_views(state, vec![row]).await?.pop().ok_or(AppError::NotFound)
}

/// Checks points against a rubric: every value within 0..=max, no unknown criterion, and
/// (for a final score) every criterion present. Returns the total in hundredths.
pub fn check_points(rubric: &[Criterion], criteria: &BTreeMap<String, i64>, complete: bool) -> Result<i64, AppError> {
    let mut v = Validator::new();
    sheet_problems(rubric, criteria, complete, &mut v);
    v.finish()?;
    Ok(criteria.values().sum())
}

/// Adds every problem of a score sheet to `v`, each on its own box: out of range, unknown, and
/// (for a final score) missing. A box already flagged (e.g. not a number) keeps its message.
pub fn sheet_problems(rubric: &[Criterion], criteria: &BTreeMap<String, i64>, complete: bool, v: &mut Validator) {
    for (code, points) in criteria {
        match rubric.iter().find(|c| &c.code == code) {
            None => v.add(&format!("criteria.{code}"), "err.award_unknown_criterion"),
            Some(c) if !(0..=c.max * 100).contains(points) => v.add(&format!("criteria.{code}"), &format!("err.award_score_range:0–{}", c.max)),
            Some(_) => {}
        }
    }
    if complete {
        for c in rubric.iter().filter(|c| !criteria.contains_key(&c.code)) {
            v.add(&format!("criteria.{}", c.code), "err.required");
        }
    }
}

/// Saves a judge's points: a draft (partial allowed) or the final score. Refused unless the
/// caller is the assigned judge, has no conflict with the entry's unit, has not recused, and
/// the panel is open in its stage.
pub async fn save(state: &AppState, actor: &CurrentUser, id: i64, input: ScoreInput) -> Result<Assignment, AppError> {
    let row = scores::get(&state.db, id).await?.ok_or(AppError::Forbidden)?;
    // Saving to someone else's assignment is refused outright (403), not hidden.
    crate::policy::assigned_judge(actor, row.judge_id).map_err(|_| AppError::Forbidden)?;
    if row.status == AssignmentStatus::Recused {
        return Err(AppError::conflict("err.award_recused"));
    }
    if row.panel_closed {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    let c = setup::get(state, row.competition_id).await?;
    if c.phase != row.stage.phase() {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    // The judge's unit may have changed since the assignment: the conflict is checked again.
    let entry = entries::load_one(&state.db, row.entry_id).await?;
    let judge_unit = people::unit_of(&state.db, actor.id).await?;
    if UnitTree::load(&state.db).await?.conflict(judge_unit, entry.input.unit_id) {
        return Err(AppError::conflict("err.award_conflict_unit"));
    }
    let total = check_points(rubric(&c.settings, row.stage), &input.criteria, input.submit)?;
    if row.status == AssignmentStatus::Scored && !input.submit {
        // A final score is revised by submitting again, never turned back into a draft.
        return Err(AppError::conflict("err.award_already_scored"));
    }
    let status = if input.submit { AssignmentStatus::Scored } else { AssignmentStatus::Draft };
    let mut tx = state.db.begin_write().await?;
    if !scores::save(&mut tx, id, &input.criteria, input.submit.then_some(total), status, now_secs()).await? {
        return Err(AppError::conflict("err.award_panel_closed"));
    }
    tx.commit().await?;
    get(state, actor, id).await
}

/// Finished scores of one stage: (entry, judge, total) of every scored assignment in the
/// stage's closed panels, the only scores anyone but their judge may see.
pub async fn closed_totals(state: &AppState, competition_id: i64, stage: Stage) -> Result<Vec<super::judging::JudgeTotal>, AppError> {
    scores::closed_totals(&state.db, competition_id, stage).await
}

/// Genres whose panel of `stage` has closed.
pub async fn closed_genres(state: &AppState, competition_id: i64, stage: Stage) -> Result<Vec<Genre>, AppError> {
    panel_rows::closed_genres(&state.db, competition_id, stage).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_stay_within_the_rubric() {
        let rubric = vec![
            Criterion { code: "c1".into(), label: "Nội dung".into(), max: 40 },
            Criterion { code: "c2".into(), label: "Hình thức".into(), max: 30 },
            Criterion { code: "c3".into(), label: "Hiệu quả".into(), max: 30 },
        ];
        let pts = |v: &[(&str, i64)]| v.iter().map(|(k, p)| (k.to_string(), *p)).collect::<BTreeMap<_, _>>();
        assert_eq!(check_points(&rubric, &pts(&[("c1", 3550), ("c2", 2500), ("c3", 3000)]), true), Ok(9050));
        // A draft may be partial; a final score may not.
        assert_eq!(check_points(&rubric, &pts(&[("c1", 3000)]), false), Ok(3000));
        let missing = check_points(&rubric, &pts(&[("c1", 3000)]), true).unwrap_err();
        assert_eq!(missing.field_errors().unwrap().keys().cloned().collect::<Vec<_>>(), vec!["criteria.c2", "criteria.c3"]);
        // Out of range either way, and unknown criteria.
        // Every box out of range is flagged, not only the first.
        let both = check_points(&rubric, &BTreeMap::from([("c1".to_string(), 4001), ("c2".to_string(), -1)]), false).unwrap_err();
        assert_eq!(both.field_errors().unwrap().len(), 2, "{both:?}");
        // A box that is not a number keeps its message beside the other boxes' problems.
        let mut v = Validator::new();
        v.add("criteria.c1", "err.score_format");
        sheet_problems(&rubric, &pts(&[("c2", 3100)]), true, &mut v);
        let sheet = v.finish().unwrap_err();
        let fields = sheet.field_errors().unwrap();
        assert_eq!((fields["criteria.c1"].as_str(), fields["criteria.c2"].as_str(), fields["criteria.c3"].as_str()), ("err.score_format", "err.award_score_range:0–30", "err.required"));
        let cases = [(vec![("c1", 4001)], "criteria.c1", "err.award_score_range:0–40"), (vec![("c2", -1)], "criteria.c2", "err.award_score_range:0–30"), (vec![("c9", 1)], "criteria.c9", "err.award_unknown_criterion")];
        for (values, field, key) in cases {
            let err = check_points(&rubric, &pts(&values), false).unwrap_err();
            assert_eq!(err.field_errors().unwrap()[field], key);
        }
    }

    #[test]
    fn blind_view_hides_who_made_it() {
        let entry = Entry {
            id: 12,
            competition_id: 1,
            competition_title: "Giải".into(),
            input: EntryInput {
                genre: Genre::Radio,
                title: "Phóng sự".into(),
                authors: vec![Author { full_name: "Trần Thị Mai".into(), share_percent: 100 }],
                unit_id: Some(3),
                outlet: "Đài".into(),
                published_on: "2026-05-01".into(),
                duration_secs: Some(300),
                script: "Nội dung".into(),
            },
            unit_name: Some("Phường Lê Chân".into()),
            submitted_by: 5,
            status: EntryStatus::Eligible,
            status_reason: String::new(),
            finalist: false,
            prize: None,
            files: vec![EntryFile { id: 1, kind: FileKind::Audio, content_type: "audio/mpeg".into(), original_name: "TranThiMai_phong-su.MP3".into(), size_bytes: 10 }],
            submitted_at: Some(1),
            updated_at: 1,
        };
        let blind = judge_view(&entry, true);
        assert_eq!((blind.authors, blind.unit_name, blind.outlet, blind.files[0].original_name.as_str(), blind.code.as_str()), (None, None, None, "Tệp 1.mp3", "TP-0012"));
        let open = judge_view(&entry, false);
        assert_eq!(open.authors.unwrap()[0].full_name, "Trần Thị Mai");
        assert_eq!(open.files[0].original_name, "TranThiMai_phong-su.MP3");
        assert_eq!(open.outlet.as_deref(), Some("Đài"));
    }
}
