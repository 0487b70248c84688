//! Tác phẩm dự thi: drafts, submission with its eligibility checks (date window, deadline,
//! per-author quota, required fields), withdrawal, and the organizer's eligibility decisions.

use super::model::*;
use super::setup::{self, require_organizer};
use crate::vn_time::parse_date_days;
use crate::accounts::model::CurrentUser;
use crate::error::{AppError, Validator};
use crate::infra::db::Db;
use crate::vn_time::now_secs;
use crate::infra::state::AppState;
use sqlx::Row;
use std::collections::BTreeMap;

/// The per-author quota's key (`text::identity_key`): look-alike letters, full-width forms and
/// invisible characters cannot make one author two. Diacritics stay: "Nguyễn Văn Hải" and
/// "Nguyễn Văn Hài" are different people.
pub fn name_key(name: &str) -> String {
    crate::text::identity_key(name)
}

/// Problems with the form's values themselves, found whenever a draft is saved.
fn check_fields(c: &CompetitionInput, input: &EntryInput, v: &mut Validator) {
    let len = input.title.trim().chars().count();
    if len == 0 {
        v.add("title", "err.required");
    } else if len > 500 {
        v.add("title", "err.too_long");
    }
    if !c.genres.contains(&input.genre) {
        v.add("genre", "err.award_genre");
    }
    if input.authors.is_empty() || input.authors.len() > 20 || input.authors.iter().any(|a| a.full_name.trim().is_empty()) {
        v.add("authors", "err.award_authors");
    } else if input.authors.iter().any(|a| crate::accounts::validate::normalize_name(&a.full_name).is_err()) {
        // The rules of a person's name: at most 120 characters, no digits, nothing invisible.
        v.add("authors", "err.name_format");
    } else if input.authors.iter().any(|a| !(1..=100).contains(&a.share_percent)) || input.authors.iter().map(|a| a.share_percent).sum::<i64>() != 100 {
        v.add("authors", "err.award_shares");
    }
    if !input.published_on.trim().is_empty() {
        match parse_date_days(&input.published_on) {
            None => v.add("published_on", "err.date_format"),
            Some(day) => {
                let (from, to) = (parse_date_days(&c.window_from).unwrap_or(i64::MIN), parse_date_days(&c.window_to).unwrap_or(i64::MAX));
                if day < from || day > to {
                    v.add("published_on", &format!("err.award_date_window:{} – {}", crate::vn_time::iso_date_text(&c.window_from), crate::vn_time::iso_date_text(&c.window_to)));
                }
            }
        }
    }
    if input.duration_secs.is_some_and(|d| !(1..=36_000).contains(&d)) {
        v.add("duration_secs", "err.number_range");
    }
    if input.outlet.chars().count() > 300 {
        v.add("outlet", "err.too_long");
    }
    if input.script.chars().count() > 200_000 {
        v.add("script", "err.too_long");
    }
}

/// Everything a submission must have on top of valid fields.
fn check_complete(c: &CompetitionInput, input: &EntryInput, files: usize, v: &mut Validator) {
    if input.published_on.trim().is_empty() {
        v.add("published_on", "err.required");
    }
    let required = |f: &str| c.required_fields.iter().any(|r| r == f);
    if required("outlet") && input.outlet.trim().is_empty() {
        v.add("outlet", "err.required");
    }
    if required("duration") && input.duration_secs.is_none() {
        v.add("duration_secs", "err.required");
    }
    if required("script") && input.script.trim().is_empty() {
        v.add("script", "err.required");
    }
    if required("file") && files == 0 {
        v.add("file", "err.award_file_required");
    }
}

/// The call is open for this edition: its phase and its deadline.
pub fn call_open(c: &Competition, at: i64) -> Result<(), AppError> {
    if c.phase != Phase::Entries || at > c.settings.deadline {
        return Err(AppError::conflict("err.award_deadline_passed"));
    }
    Ok(())
}

/// Entries matching `filter` (SQL over `e`, with `$1` = `bind` if given), with their authors and
/// files: three queries however many entries.
async fn load(db: &Db, filter: &str, bind: Option<i64>) -> Result<Vec<Entry>, AppError> {
    let sql = format!(
        "SELECT e.*, c.title AS competition_title, u.name AS unit_name FROM award_entries e JOIN award_competitions c ON c.id = e.competition_id
         LEFT JOIN units u ON u.id = e.unit_id WHERE {filter} ORDER BY e.id"
    );
    let query = sqlx::query(&sql);
    let rows = match bind {
        Some(v) => query.bind(v).fetch_all(&db.pool).await?,
        None => query.fetch_all(&db.pool).await?,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect();
    let mut authors = authors_of(db, &ids).await?;
    let mut files = files_of(db, &ids).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            Entry {
                id,
                competition_id: r.get("competition_id"),
                competition_title: r.get("competition_title"),
                input: EntryInput {
                    genre: Genre::from_code(&r.get::<String, _>("genre")).unwrap_or(Genre::Radio),
                    title: r.get("title"),
                    authors: authors.remove(&id).unwrap_or_default(),
                    unit_id: r.get("unit_id"),
                    outlet: r.get("outlet"),
                    published_on: r.get("published_on"),
                    duration_secs: r.get("duration_secs"),
                    script: r.get("script"),
                },
                unit_name: r.get("unit_name"),
                submitted_by: r.get("submitted_by"),
                status: EntryStatus::from_code(&r.get::<String, _>("status")).unwrap_or(EntryStatus::Draft),
                status_reason: r.get("status_reason"),
                finalist: r.get::<i64, _>("finalist") != 0,
                prize: r.get("prize"),
                files: files.remove(&id).unwrap_or_default(),
                submitted_at: r.get("submitted_at"),
                updated_at: r.get("updated_at"),
            }
        })
        .collect())
}

/// `IN (…)` over ids: integers only, so they can be written into the SQL.
pub fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() { "NULL".into() } else { ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",") }
}

pub async fn authors_of(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, Vec<Author>>, AppError> {
    let rows = sqlx::query(&format!("SELECT entry_id, full_name, share_percent FROM award_authors WHERE entry_id IN ({}) ORDER BY entry_id, position", id_list(ids)))
        .fetch_all(&db.pool)
        .await?;
    let mut out: BTreeMap<i64, Vec<Author>> = BTreeMap::new();
    for r in rows {
        out.entry(r.get("entry_id")).or_default().push(Author { full_name: r.get("full_name"), share_percent: r.get("share_percent") });
    }
    Ok(out)
}

pub async fn files_of(db: &Db, ids: &[i64]) -> Result<BTreeMap<i64, Vec<EntryFile>>, AppError> {
    let rows = sqlx::query(&format!("SELECT id, entry_id, kind, content_type, original_name, size_bytes FROM award_files WHERE entry_id IN ({}) ORDER BY id", id_list(ids)))
        .fetch_all(&db.pool)
        .await?;
    let mut out: BTreeMap<i64, Vec<EntryFile>> = BTreeMap::new();
    for r in rows {
        out.entry(r.get("entry_id")).or_default().push(EntryFile {
            id: r.get("id"),
            kind: r.get("kind"),
            content_type: r.get("content_type"),
            original_name: r.get("original_name"),
            size_bytes: r.get("size_bytes"),
        });
    }
    Ok(out)
}

pub async fn load_one(db: &Db, id: i64) -> Result<Entry, AppError> {
    load(db, "e.id = $1", Some(id)).await?.pop().ok_or(AppError::NotFound)
}

/// Several entries at once (e.g. a judge's list), by id.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Entry>, AppError> {
    load(db, &format!("e.id IN ({})", id_list(ids)), None).await
}

pub async fn for_competition(db: &Db, competition_id: i64) -> Result<Vec<Entry>, AppError> {
    load(db, "e.competition_id = $1", Some(competition_id)).await
}

/// An entry its submitter or an organizer may see; anyone else gets 404.
pub async fn get(state: &AppState, actor: &CurrentUser, id: i64) -> Result<Entry, AppError> {
    let entry = load_one(&state.db, id).await?;
    if entry.submitted_by != actor.id && !actor.is_organizer() {
        return Err(AppError::NotFound);
    }
    Ok(entry)
}

pub async fn mine(state: &AppState, actor: &CurrentUser) -> Result<Vec<Entry>, AppError> {
    load(&state.db, "e.submitted_by = $1", Some(actor.id)).await
}

pub async fn list(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Vec<Entry>, AppError> {
    require_organizer(actor)?;
    for_competition(&state.db, competition_id).await
}

async fn write_authors(tx: &mut crate::infra::db::WriteTx, entry_id: i64, authors: &[Author]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM award_authors WHERE entry_id = $1").bind(entry_id).execute(&mut **tx).await?;
    for (i, a) in authors.iter().enumerate() {
        sqlx::query("INSERT INTO award_authors (entry_id, position, full_name, name_key, share_percent) VALUES ($1, $2, $3, $4, $5)")
            .bind(entry_id)
            .bind(i as i64)
            .bind(a.full_name.trim())
            .bind(name_key(&a.full_name))
            .bind(a.share_percent)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn check_unit(state: &AppState, unit_id: Option<i64>, v: &mut Validator) -> Result<(), AppError> {
    if let Some(unit) = unit_id {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1 AND status = 'active'").bind(unit).fetch_optional(&state.db.pool).await?;
        if exists.is_none() {
            v.add("unit_id", "err.unit_unknown");
        }
    }
    Ok(())
}

/// Drafts one person may keep in one edition: enough for any real author (the quota per
/// author is usually 2 or 3), few enough that nobody fills the store with abandoned drafts
/// and their files.
pub const MAX_DRAFTS_PER_PERSON: i64 = 10;

/// Authors' names as stored: NFC, single spaces (the checks above have passed).
fn normalise_authors(input: &mut EntryInput) {
    for a in &mut input.authors {
        if let Ok(name) = crate::accounts::validate::normalize_name(&a.full_name) {
            a.full_name = name;
        }
    }
}

pub async fn create(state: &AppState, actor: &CurrentUser, competition_id: i64, mut input: EntryInput) -> Result<Entry, AppError> {
    let c = setup::get(state, competition_id).await?;
    call_open(&c, now_secs())?;
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM award_entries WHERE competition_id = $1 AND submitted_by = $2 AND status = 'draft'")
        .bind(competition_id)
        .bind(actor.id)
        .fetch_one(&state.db.pool)
        .await?;
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
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_entries (competition_id, submitted_by, unit_id, genre, title, outlet, published_on, duration_secs, script, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(competition_id)
    .bind(actor.id)
    .bind(input.unit_id)
    .bind(input.genre.code())
    .bind(input.title.trim())
    .bind(input.outlet.trim())
    .bind(input.published_on.trim())
    .bind(input.duration_secs)
    .bind(input.script.trim())
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
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
    let done = sqlx::query(
        "UPDATE award_entries SET unit_id = $1, genre = $2, title = $3, outlet = $4, published_on = $5, duration_secs = $6, script = $7, updated_at = $8
         WHERE id = $9 AND status = 'draft'",
    )
    .bind(input.unit_id)
    .bind(input.genre.code())
    .bind(input.title.trim())
    .bind(input.outlet.trim())
    .bind(input.published_on.trim())
    .bind(input.duration_secs)
    .bind(input.script.trim())
    .bind(now_secs())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
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
        let others: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(DISTINCT e.id) AS BIGINT) FROM award_authors a JOIN award_entries e ON e.id = a.entry_id
             WHERE e.competition_id = $1 AND e.status IN ('submitted', 'eligible') AND a.name_key = $2 AND e.id <> $3",
        )
        .bind(c.id)
        .bind(name_key(&author.full_name))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        if others >= c.settings.max_entries_per_author {
            v.add("authors", &format!("err.award_quota:{} — {}/{}", author.full_name.trim(), others, c.settings.max_entries_per_author));
        }
    }
    v.finish()?;
    let done = sqlx::query("UPDATE award_entries SET status = 'submitted', status_reason = '', submitted_at = $1, updated_at = $1 WHERE id = $2 AND status = 'draft'")
        .bind(now_secs())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
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
    sqlx::query("UPDATE award_entries SET status = 'withdrawn', status_reason = $1, updated_at = $2 WHERE id = $3")
        .bind(reason.trim())
        .bind(now_secs())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // A withdrawn entry is not judged and cannot come back: its files go with it.
    let keys: Vec<String> = sqlx::query_scalar("SELECT storage_key FROM award_files WHERE entry_id = $1").bind(id).fetch_all(&mut *tx).await?;
    sqlx::query("DELETE FROM award_files WHERE entry_id = $1").bind(id).execute(&mut *tx).await?;
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
    require_organizer(actor)?;
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
    let judged: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM award_assignments WHERE entry_id = $1 AND status IN ('draft', 'scored')")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if judged > 0 {
        return Err(AppError::conflict("err.award_already_judged"));
    }
    // Before the call closes an accepted entry stays "submitted"; closing makes it eligible.
    let status = match (eligible, c.phase) {
        (false, _) => "ineligible",
        (true, Phase::Entries) => "submitted",
        (true, _) => "eligible",
    };
    sqlx::query("UPDATE award_entries SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(if eligible { "" } else { reason.trim() })
        .bind(now_secs())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !eligible {
        // An entry ruled out leaves its judges' lists.
        sqlx::query("DELETE FROM award_assignments WHERE entry_id = $1 AND status = 'assigned'").bind(id).execute(&mut *tx).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), "award.eligibility", "award_entry", Some(id), serde_json::json!({ "eligible": eligible, "reason": reason.trim() })).await?;
    tx.commit().await?;
    load_one(&state.db, id).await
}

/// Khóa nhận tác phẩm: ends the call (at the deadline or earlier) and makes every submitted
/// entry eligible; entries the organizer ruled out stay ineligible and drafts stay drafts.
pub async fn close_call(state: &AppState, actor: &CurrentUser, competition_id: i64) -> Result<Competition, AppError> {
    require_organizer(actor)?;
    let mut tx = state.db.begin_write().await?;
    setup::advance(&mut tx, competition_id, Phase::Entries, Phase::Preliminary).await?;
    let n = sqlx::query("UPDATE award_entries SET status = 'eligible', updated_at = $1 WHERE competition_id = $2 AND status = 'submitted'")
        .bind(now_secs())
        .bind(competition_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    crate::audit::record(&mut tx, Some(actor.id), "award.close_call", "award_competition", Some(competition_id), serde_json::json!({ "eligible": n })).await?;
    tx.commit().await?;
    setup::get(state, competition_id).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prizes::PrizeTier;

    fn competition() -> CompetitionInput {
        CompetitionInput {
            edition: 2026,
            title: "Giải".into(),
            description: String::new(),
            genres: vec![Genre::Radio, Genre::Print],
            window_from: "2025-11-01".into(),
            window_to: "2026-10-31".into(),
            deadline: 0,
            max_entries_per_author: 3,
            max_file_mb: 100,
            required_fields: vec!["outlet".into(), "file".into()],
            prize_per_genre: false,
            prize_plan: vec![PrizeTier { name: "Giải A".into(), count: 2 }],
            rubric_preliminary: vec![],
            rubric_final: vec![],
            judges_per_entry: 3,
            aggregation: Aggregation::Mean,
            trim_each_side: 1,
            normalise: false,
            shortlist: ShortlistRule::Top(10),
            blind: true,
        }
    }

    fn entry() -> EntryInput {
        EntryInput {
            genre: Genre::Radio,
            title: "Một cửa điện tử ở phường Lê Chân".into(),
            authors: vec![Author { full_name: "Trần Thị Mai".into(), share_percent: 60 }, Author { full_name: "Phạm Văn Đức".into(), share_percent: 40 }],
            unit_id: None,
            outlet: "Đài phát thanh phường Lê Chân".into(),
            published_on: "2026-05-19".into(),
            duration_secs: Some(540),
            script: "Kịch bản".into(),
        }
    }

    fn problems(c: &CompetitionInput, e: &EntryInput, files: usize) -> BTreeMap<String, String> {
        let mut v = Validator::new();
        check_fields(c, e, &mut v);
        check_complete(c, e, files, &mut v);
        v.finish().err().and_then(|e| e.field_errors().cloned()).unwrap_or_default()
    }

    #[test]
    fn submission_checks_report_each_field() {
        let c = competition();
        assert!(problems(&c, &entry(), 1).is_empty());
        // (change, field, message key prefix)
        let cases: Vec<(Box<dyn Fn(&mut EntryInput)>, usize, &str, &str)> = vec![
            (Box::new(|e| e.published_on = "2025-10-31".into()), 1, "published_on", "err.award_date_window:01/11/2025 – 31/10/2026"),
            (Box::new(|e| e.published_on = "2026-11-01".into()), 1, "published_on", "err.award_date_window"),
            (Box::new(|e| e.published_on = "2026-02-30".into()), 1, "published_on", "err.date_format"),
            (Box::new(|e| e.published_on = String::new()), 1, "published_on", "err.required"),
            (Box::new(|e| e.genre = Genre::Tv), 1, "genre", "err.award_genre"),
            (Box::new(|e| e.authors[1].share_percent = 30), 1, "authors", "err.award_shares"),
            (Box::new(|e| e.authors.clear()), 1, "authors", "err.award_authors"),
            (Box::new(|e| e.outlet = " ".into()), 1, "outlet", "err.required"),
            (Box::new(|_| {}), 0, "file", "err.award_file_required"),
            (Box::new(|e| e.duration_secs = Some(0)), 1, "duration_secs", "err.number_range"),
        ];
        for (change, files, field, key) in cases {
            let mut e = entry();
            change(&mut e);
            let got = problems(&c, &e, files);
            assert!(got.get(field).is_some_and(|k| k.starts_with(key)), "{field}: {got:?}");
        }
        // The window's edges are inside it.
        for day in ["2025-11-01", "2026-10-31"] {
            let mut e = entry();
            e.published_on = day.into();
            assert!(problems(&c, &e, 1).is_empty(), "{day}");
        }
    }

    #[test]
    fn quota_keys_keep_diacritics() {
        assert_eq!(name_key("  Nguyễn   Văn HẢI "), "nguyễn văn hải");
        assert_ne!(name_key("Nguyễn Văn Hải"), name_key("Nguyễn Văn Hài"));
        // NFD input (as some phones type) matches NFC.
        assert_eq!(name_key("Nguye\u{302}\u{303}n"), name_key("Nguyễn"));
    }
}
