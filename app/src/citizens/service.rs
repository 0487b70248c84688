//! The citizens' sign-up and their public rounds' report.
//!
//! Sign-up is two steps. `sign_up` checks the form, texts a 6-digit code to the phone and keeps
//! the sign-up waiting (its password already hashed); `confirm` takes the code and only then
//! makes the account, so nobody holds a phone number they have not proved is theirs. A phone
//! that already has an account, a civil servant's included, is told to sign in: the same
//! account takes public rounds. Afterwards a citizen signs in like everyone else, with the
//! phone and the password.
//!
//! Codes are stored hashed, work for 10 minutes and 5 tries, and only the latest one of a phone
//! works. At most 3 are sent to a phone per hour and 30 asked for from an address.

use super::model::{CitizenSignup, CodeSent, CommuneParticipation, PublicRoundReport, SentMessage};
use super::repo::{self, NewCitizen, NewSignup};
use super::rules::{self, CodeCheck};
use crate::accounts::model::{CurrentUser, Role};
use crate::accounts::validate::{normalize_name, validate_password};
use crate::accounts::throttle;
use crate::error::{AppError, Validator};
use crate::infra::sms::SmsSender;
use crate::infra::state::AppState;
use crate::units::model::{Block, UnitStatus};
use crate::vn_time::now_secs;
use std::sync::Arc;

fn rate_limited(err: AppError) -> AppError {
    match err {
        AppError::TooManyAttempts { retry_after_secs } => AppError::RateLimited { retry_after_secs },
        other => other,
    }
}

/// A code's stored form: the hash of the phone and the code together, so equal codes of two
/// phones differ.
fn code_hash(phone: &str, code: &str) -> String {
    crate::accounts::devices::hash(&format!("{phone}:{code}"))
}

/// Checks the form and texts a code to the phone. Nothing is stored unless every field passes
/// and the message left.
pub async fn sign_up(state: &AppState, ip: &str, form: CitizenSignup) -> Result<CodeSent, AppError> {
    throttle::acquire(&state.db, &[(format!("citizen-code-ip:{ip}"), throttle::Limit { max: rules::CODES_PER_SOURCE_PER_HOUR, window_secs: 3600 })])
        .await
        .map_err(rate_limited)?;
    let mut v = Validator::new();
    let full_name = normalize_name(&form.full_name).map_err(|k| v.add("full_name", k)).ok();
    let phone = rules::mobile_phone(&form.phone).map_err(|k| v.add("phone", k)).ok();
    v.check("password", validate_password(&form.password));
    if form.password != form.password_confirm {
        v.add("password_confirm", "err.password_mismatch");
    }
    match form.residence_unit_id {
        None => v.add("residence_unit_id", "err.required"),
        Some(id) => match crate::units::repo::get(&state.db, id).await? {
            Some(u) if u.status == UnitStatus::Active && u.block == Block::XaPhuong => {}
            Some(u) if u.status != UnitStatus::Active => v.add("residence_unit_id", "err.unit_retired"),
            _ => v.add("residence_unit_id", "err.not_a_commune"),
        },
    }
    if let Some(phone) = &phone {
        if repo::phone_taken(&state.db, phone).await? {
            v.add("phone", "err.phone_has_account");
        }
    }
    v.finish()?;
    let (full_name, phone) = (full_name.unwrap_or_default(), phone.unwrap_or_default());
    throttle::acquire(&state.db, &[(format!("citizen-code-phone:{phone}"), throttle::Limit { max: rules::CODES_PER_PHONE_PER_HOUR, window_secs: 3600 })])
        .await
        .map_err(rate_limited)?;

    let code = format!("{:06}", rand::Rng::gen_range(&mut rand::thread_rng(), 0..1_000_000u32));
    let password_hash = state.hasher.hash(form.password).await?;
    let now = now_secs();
    let mut tx = state.db.begin_write().await?;
    let signup = NewSignup {
        phone: &phone,
        code_hash: &code_hash(&phone, &code),
        full_name: &full_name,
        residence_unit_id: form.residence_unit_id.unwrap_or_default(),
        password_hash: &password_hash.0,
        created_at: now,
        expires_at: now + rules::CODE_VALID_SECS,
    };
    let id = repo::insert_signup(&mut tx, &signup).await?;
    tx.commit().await?;
    let message = crate::i18n::fill(&crate::i18n::t(crate::i18n::Lang::Vi, "citizen.sms"), &[("code", &code), ("minutes", &(rules::CODE_VALID_SECS / 60).to_string())]);
    let request_id = crate::infra::request_id::current();
    if let Err(e) = state.services.get::<Arc<SmsSender>>()?.send(&phone, &message, &request_id).await {
        tracing::error!(request_id = %request_id, signup = id, error = %e, "sign-up code could not be sent");
        let mut tx = state.db.begin_write().await?;
        repo::use_all(&mut tx, &phone, now).await?;
        tx.commit().await?;
        return Err(AppError::conflict("err.sms_failed"));
    }
    tracing::info!(signup = id, "sign-up code sent");
    Ok(CodeSent { phone, expires_in_secs: rules::CODE_VALID_SECS })
}

/// Confirms a phone with its code and makes the citizen's account; returns its id. A wrong
/// code counts a try; an expired or used-up one asks for a new sign-up.
pub async fn confirm(state: &AppState, phone: &str, code: &str) -> Result<i64, AppError> {
    let mut v = Validator::new();
    let phone = rules::mobile_phone(phone).map_err(|k| v.add("phone", k)).ok();
    let code = rules::typed_code(code).map_err(|k| v.add("code", k)).ok();
    v.finish()?;
    let (phone, code) = (phone.unwrap_or_default(), code.unwrap_or_default());
    let now = now_secs();
    let mut tx = state.db.begin_write().await?;
    let Some(pending) = repo::latest_open(&mut tx, &phone).await? else {
        return Err(AppError::field("code", "err.code_expired"));
    };
    let matches = pending.code_hash == code_hash(&phone, &code);
    match rules::check_code(matches, now, pending.expires_at, pending.tries) {
        CodeCheck::Right => {}
        CodeCheck::Wrong => {
            repo::count_try(&mut tx, pending.id).await?;
            tx.commit().await?;
            return Err(AppError::field("code", "err.code_wrong"));
        }
        CodeCheck::Expired => return Err(AppError::field("code", "err.code_expired")),
        CodeCheck::UsedUp => return Err(AppError::field("code", "err.code_used_up")),
    }
    let citizen = NewCitizen { full_name: &pending.full_name, phone: &phone, residence_unit_id: pending.residence_unit_id, password_hash: &pending.password_hash, at: now };
    let id = match repo::insert_citizen(&mut tx, &citizen).await {
        Ok(id) => id,
        // The phone got an account since the code was sent (a civil servant registered it).
        Err(err) if crate::accounts::repo::unique_violation_field(&err).is_some() => return Err(AppError::field("phone", "err.phone_has_account")),
        Err(err) => return Err(err.into()),
    };
    crate::accounts::repo::grant_role(&mut tx, id, Role::Participant, None).await?;
    repo::use_all(&mut tx, &phone, now).await?;
    // Evidence for the integrity page: many sign-ups from one device is one of its signals.
    let registered = crate::integrity::origin::Happened { kind: crate::integrity::signals::EventKind::Register, user_id: id, round_id: None, attempt_id: None, at_ms: crate::vn_time::now_ms() };
    crate::integrity::origin::record(&mut tx, crate::integrity::origin::current().as_ref(), registered).await?;
    tx.commit().await?;
    tracing::info!(user_id = id, "citizen signed up");
    Ok(id)
}

/// The messages the development sender kept, for organizers helping at a demo (none when a
/// gateway sends them).
pub fn sent_codes(state: &AppState, actor: &CurrentUser) -> Result<Vec<SentMessage>, AppError> {
    crate::policy::read_sent_codes(actor)?;
    Ok(state.services.get::<Arc<SmsSender>>()?.recent().into_iter().map(|m| SentMessage { phone: m.phone, message: m.message, at: m.at }).collect())
}

/// A public round's participation per commune, ward and special zone (organizers). A staff
/// round has its units' report instead.
pub async fn commune_report(state: &AppState, actor: &CurrentUser, round_id: i64) -> Result<PublicRoundReport, AppError> {
    crate::policy::organizer(actor)?;
    let round = crate::rounds::setup::get_round(state, round_id).await?;
    if round.settings.audience != crate::quiz::model::Audience::Public {
        return Err(AppError::conflict("err.round_not_public"));
    }
    let mut communes: Vec<CommuneParticipation> = repo::commune_counts(&state.db, round_id).await?;
    // The row of people without a residence only when there are some.
    communes.retain(|c| c.unit_id.is_some() || c.entries > 0);
    // Most entries first; among equals by name, the people without a residence last.
    communes.sort_by_cached_key(|c| (std::cmp::Reverse(c.entries), c.unit_id.is_none(), crate::text::fold(c.unit_name.as_deref().unwrap_or(""))));
    let (entries, people) = repo::round_totals(&state.db, round_id).await?;
    Ok(PublicRoundReport { round_id, round_title: round.settings.title, communes, entries, people })
}

/// The report as CSV for people opening it in Excel: Vietnamese headers, one row per commune
/// and a total.
pub fn commune_csv(report: &PublicRoundReport) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let row = |out: &mut csv::Writer<Vec<u8>>, cells: [&str; 3]| out.write_record(cells).map_err(AppError::internal);
    row(&mut out, ["Xã, phường, đặc khu", "Lượt bài nộp", "Số người"])?;
    for c in &report.communes {
        let name = c.unit_name.as_deref().unwrap_or("Không khai báo nơi cư trú");
        row(&mut out, [&crate::cells::csv_text(name), &c.entries.to_string(), &c.people.to_string()])?;
    }
    row(&mut out, ["Tổng cộng", &report.entries.to_string(), &report.people.to_string()])?;
    String::from_utf8(out.into_inner().map_err(AppError::internal)?).map_err(AppError::internal)
}
