//! Competitions: settings, validation, and the organizer's steps from the call for entries to
//! publication.

use super::model::*;
use super::repo::editions;
use crate::accounts::model::CurrentUser;
use crate::codes::Code;
use crate::error::{AppError, Validator};
use crate::infra::db::WriteTx;
use crate::infra::state::AppState;
use crate::vn_time::now_secs;

/// Fields an edition may make compulsory on the entry form.
pub const OPTIONAL_FIELDS: [&str; 4] = ["outlet", "duration", "script", "file"];

/// The largest file size an edition may allow (4 GB: a long video), and what the upload
/// routes accept at most (with the multipart framing).
pub const MAX_FILE_MB: i64 = 4096;
pub const MAX_FILE_BYTES: u64 = MAX_FILE_MB as u64 * 1024 * 1024 + 64 * 1024;

fn validate_rubric(v: &mut Validator, field: &str, rubric: &[Criterion]) {
    let mut codes: Vec<&str> = vec![];
    if rubric.is_empty() || rubric.len() > 12 {
        v.add(field, "err.award_rubric");
    }
    for c in rubric {
        if c.label.trim().is_empty() || crate::text::too_long(&c.label, crate::text::LABEL_MAX_CHARS) || !(1..=1000).contains(&c.max) || c.code.trim().is_empty() || codes.contains(&c.code.as_str()) {
            v.add(field, "err.award_rubric");
        }
        codes.push(&c.code);
    }
}

/// Criteria are numbered c1, c2, … in order, whatever codes were sent: the score form has one
/// field per position.
fn number_criteria(input: &mut CompetitionInput) {
    for rubric in [&mut input.rubric_preliminary, &mut input.rubric_final] {
        for (i, c) in rubric.iter_mut().enumerate() {
            c.code = format!("c{}", i + 1);
        }
    }
}

pub fn validate(input: &CompetitionInput) -> Result<(), AppError> {
    let mut v = Validator::new();
    if !(2000..=2100).contains(&input.edition) {
        v.add("edition", "err.year_range");
    }
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 300 {
        v.add("title", "err.too_long");
    }
    if input.genres.is_empty() {
        v.add("genres", "err.award_genres");
    }
    match (crate::vn_time::parse_date_days(&input.window_from), crate::vn_time::parse_date_days(&input.window_to)) {
        (None, _) => v.add("window_from", "err.date_format"),
        (_, None) => v.add("window_to", "err.date_format"),
        (Some(a), Some(b)) if a > b => v.add("window_to", "err.award_window_order"),
        _ => {}
    }
    if input.deadline <= 0 {
        v.add("deadline", "err.datetime_format");
    }
    if !(1..=50).contains(&input.max_entries_per_author) {
        v.add("max_entries_per_author", "err.number_range");
    }
    if !(1..=MAX_FILE_MB).contains(&input.max_file_mb) {
        v.add("max_file_mb", "err.number_range");
    }
    if input.required_fields.iter().any(|f| !OPTIONAL_FIELDS.contains(&f.as_str())) {
        v.add("required_fields", "err.award_unknown_field");
    }
    let mut names: Vec<&str> = vec![];
    if input.prize_plan.is_empty() || input.prize_plan.len() > 50 {
        v.add("prize_plan", "err.prizes_format");
    }
    if crate::text::too_long(&input.description, crate::text::EXPLANATION_MAX_CHARS) {
        v.add("description", "err.too_long");
    }
    for tier in &input.prize_plan {
        if tier.name.trim().is_empty() || crate::text::too_long(&tier.name, crate::text::LABEL_MAX_CHARS) || tier.count < 0 || tier.count > 1000 || names.contains(&tier.name.as_str()) {
            v.add("prize_plan", "err.prizes_format");
        }
        names.push(&tier.name);
    }
    validate_rubric(&mut v, "rubric_preliminary", &input.rubric_preliminary);
    validate_rubric(&mut v, "rubric_final", &input.rubric_final);
    if !(1..=15).contains(&input.judges_per_entry) {
        v.add("judges_per_entry", "err.number_range");
    }
    if !(0..=5).contains(&input.trim_each_side) {
        v.add("trim_each_side", "err.number_range");
    }
    match input.shortlist {
        ShortlistRule::Top(n) if !(1..=10_000).contains(&n) => v.add("shortlist", "err.number_range"),
        ShortlistRule::Threshold(t) if !(0..=100_000).contains(&t) => v.add("shortlist", "err.number_range"),
        _ => {}
    }
    v.finish()
}

pub async fn get(state: &AppState, id: i64) -> Result<Competition, AppError> {
    editions::get(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// Every competition, newest first: anyone signed in may see the calls for entries.
pub async fn list(state: &AppState) -> Result<Vec<Competition>, AppError> {
    editions::list(&state.db).await
}

pub async fn create(state: &AppState, actor: &CurrentUser, mut input: CompetitionInput) -> Result<Competition, AppError> {
    crate::policy::organizer(actor)?;
    number_criteria(&mut input);
    validate(&input)?;
    let mut tx = state.db.begin_write().await?;
    let id = editions::insert(&mut tx, &input, actor.id, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.create", "award_competition", Some(id), serde_json::json!({ "title": input.title })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Settings that shape entries and the preliminary judging cannot change once the call has
/// closed (entries were made and judged under them); the final rubric cannot change once the
/// final has begun; nothing changes after publication.
fn locked_change(old: &Competition, new: &CompetitionInput) -> Option<&'static str> {
    let o = &old.settings;
    if old.phase == Phase::Published {
        return Some("err.award_published");
    }
    let entry_rules_changed = o.genres != new.genres
        || o.window_from != new.window_from
        || o.window_to != new.window_to
        || o.deadline != new.deadline
        || o.max_entries_per_author != new.max_entries_per_author
        || o.required_fields != new.required_fields
        || o.rubric_preliminary != new.rubric_preliminary
        || o.blind != new.blind
        || o.prize_per_genre != new.prize_per_genre;
    if old.phase != Phase::Entries && entry_rules_changed {
        return Some("err.award_locked");
    }
    if matches!(old.phase, Phase::Final | Phase::Council) && o.rubric_final != new.rubric_final {
        return Some("err.award_locked");
    }
    None
}

pub async fn update(state: &AppState, actor: &CurrentUser, id: i64, mut input: CompetitionInput) -> Result<Competition, AppError> {
    crate::policy::organizer(actor)?;
    number_criteria(&mut input);
    validate(&input)?;
    let old = get(state, id).await?;
    if let Some(key) = locked_change(&old, &input) {
        return Err(AppError::conflict(key));
    }
    let mut tx = state.db.begin_write().await?;
    editions::update(&mut tx, id, &input, now_secs()).await?;
    crate::audit::record(&mut tx, Some(actor.id), "award.update", "award_competition", Some(id), serde_json::json!({ "title": input.title })).await?;
    tx.commit().await?;
    get(state, id).await
}

/// Moves the edition from `from` to `to` inside `tx`, or fails with 409 if another organizer
/// moved it first (the phase is re-read under the write lock).
pub async fn advance(tx: &mut WriteTx, id: i64, from: Phase, to: Phase) -> Result<(), AppError> {
    if !editions::advance(tx, id, from, to, now_secs()).await? {
        return Err(AppError::conflict("err.award_wrong_phase"));
    }
    Ok(())
}

/// The prize pools of an edition: one for all entries, or one per genre.
pub fn pools(c: &CompetitionInput) -> Vec<String> {
    if c.prize_per_genre { c.genres.iter().map(|g| g.code().to_string()).collect() } else { vec!["all".into()] }
}

pub fn pool_of(c: &CompetitionInput, genre: Genre) -> String {
    if c.prize_per_genre { genre.code().to_string() } else { "all".into() }
}

/// The label of a pool in pages and documents.
pub fn pool_name(pool: &str) -> String {
    Genre::from_code(pool).map(|g| g.name_vi().to_string()).unwrap_or_else(|| "Tất cả thể loại".into())
}

/// The highest total a rubric allows, in hundredths.
pub fn rubric_max(rubric: &[Criterion]) -> i64 {
    rubric.iter().map(|c| c.max * 100).sum()
}

pub fn rubric_text(rubric: &[Criterion]) -> String {
    rubric.iter().map(|c| format!("{} | {}", c.label, c.max)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubrics_parse() {
        let r = super::super::forms::rubric_lines("Nội dung | 40\nHình thức | 30\n\nHiệu quả | 30").unwrap();
        assert_eq!(r.iter().map(|c| (c.code.as_str(), c.max)).collect::<Vec<_>>(), vec![("c1", 40), ("c2", 30), ("c3", 30)]);
        assert_eq!(rubric_max(&r), 10_000);
        assert_eq!(super::super::forms::rubric_lines("Nội dung 40"), None);
        assert_eq!(super::super::forms::rubric_lines(&rubric_text(&r)), Some(r));
    }
}
