//! Account rules: registration, login, profiles, the user list and role grants. The server
//! functions behind the pages and the `/api/v1` handlers both call these, so each rule lives
//! here once.

use super::model::{Credentials, CurrentUser, Profile, Registration, Role, UserSummary};
use super::validate::{normalize_email, normalize_name, normalize_phone, validate_cccd, validate_password};
use super::{devices, repo, throttle};
use crate::codes::Code;
use crate::error::{AppError, Validator};
use crate::infra::state::AppState;
use crate::units;

/// Creates a participant account. Every field problem is reported at once; nothing is stored
/// unless all pass.
pub async fn register(state: &AppState, ip: &str, form: Registration) -> Result<i64, AppError> {
    let s = &state.settings;
    let (all, taken) = (throttle::registrations(ip), throttle::taken_answers(ip));
    throttle::acquire(&state.db, &[
        (all, throttle::Limit { max: s.register_max_per_ip, window_secs: 3600 }),
        (taken.clone(), throttle::Limit { max: s.register_max_taken_per_ip, window_secs: s.login_window_secs }),
    ])
    .await
    // Not a sign-in: the person is told to wait, not that they typed a wrong password.
    .map_err(|e| match e {
        AppError::TooManyAttempts { retry_after_secs } => AppError::RateLimited { retry_after_secs },
        other => other,
    })?;
    let outcome = register_checked(state, form).await;
    // Only "already registered" answers stay counted against the second limit.
    if !matches!(&outcome, Err(e) if is_taken_answer(e)) {
        let mut tx = state.db.begin_write().await?;
        throttle::release(&mut tx, &taken).await?;
        tx.commit().await?;
    }
    outcome
}

/// Whether a refused registration told the caller that an identity is already registered.
fn is_taken_answer(err: &AppError) -> bool {
    err.field_errors().is_some_and(|fields| fields.iter().any(|(_, key)| key.ends_with("_taken")))
}

async fn register_checked(state: &AppState, form: Registration) -> Result<i64, AppError> {
    let mut v = Validator::new();
    let full_name = normalize_name(&form.full_name).map_err(|k| v.add("full_name", k)).ok();
    let email = normalize_email(&form.email).map_err(|k| v.add("email", k)).ok();
    let phone = normalize_phone(&form.phone).map_err(|k| v.add("phone", k)).ok();
    let cccd = validate_cccd(&form.cccd).map_err(|k| v.add("cccd", k)).ok();
    let position = form.position.split_whitespace().collect::<Vec<_>>().join(" ");
    if position.is_empty() {
        v.add("position", "err.required");
    } else if position.chars().count() > 120 {
        v.add("position", "err.too_long");
    }
    v.check("password", validate_password(&form.password));
    if form.password != form.password_confirm {
        v.add("password_confirm", "err.password_mismatch");
    }
    match form.unit_id {
        None => v.add("unit_id", "err.required"),
        Some(id) => match units::repo::get(&state.db, id).await? {
            Some(unit) if unit.status == units::model::UnitStatus::Active => {}
            Some(_) => v.add("unit_id", "err.unit_retired"),
            None => v.add("unit_id", "err.unit_unknown"),
        },
    }
    if let (Some(email), Some(phone), Some(cccd)) = (&email, &phone, &cccd) {
        for field in repo::taken_identity_fields(&state.db, email, phone, cccd).await? {
            v.add(field, &format!("err.{field}_taken"));
        }
    }
    v.finish()?;
    let (full_name, email, phone, cccd) = (full_name.unwrap_or_default(), email.unwrap_or_default(), phone.unwrap_or_default(), cccd.unwrap_or_default());

    let hash = state.hasher.hash(form.password).await?;
    let mut tx = state.db.begin_write().await?;
    let new_user = repo::NewUser { full_name: &full_name, email: &email, phone: Some(&phone), cccd: Some(&cccd), position: &position, unit_id: form.unit_id, hash: &hash };
    let id = match repo::insert_user(&mut tx, &new_user).await {
        Ok(id) => id,
        // Two registrations raced past the check above: the database decides, the user still
        // gets a field error.
        Err(err) => match repo::unique_violation_field(&err) {
            Some(field) => return Err(AppError::field(field, &format!("err.{field}_taken"))),
            None => return Err(err.into()),
        },
    };
    repo::grant_role(&mut tx, id, Role::Participant, None).await?;
    // The roster entries this person is, for the participation figures.
    crate::counters::on_account_created(&mut tx, id).await?;
    let registered = crate::integrity::origin::Happened { kind: crate::integrity::signals::EventKind::Register, user_id: id, round_id: None, attempt_id: None, at_ms: crate::vn_time::now_ms() };
    crate::integrity::origin::record(&mut tx, crate::integrity::origin::current().as_ref(), registered).await?;
    tx.commit().await?;
    tracing::info!(user_id = id, "participant registered");
    Ok(id)
}

/// Where a sign-in or registration comes from: the client address and, for sign-ins, the
/// device cookie's token if the browser sent one.
pub struct Source<'a> {
    pub ip: &'a str,
    pub device: Option<&'a str>,
}

/// A successful sign-in: who, and the device token to (re)set in the browser.
pub struct SignedIn {
    pub user_id: i64,
    pub device_token: String,
}

/// Checks credentials, throttled per account and source, per account from unknown sources,
/// and per address (see `throttle`). Every attempt is counted before the password is checked,
/// and its outcome in the `hp_sign_ins_total` metric (what operators watch on a deadline day).
pub async fn authenticate(state: &AppState, from: Source<'_>, creds: Credentials) -> Result<SignedIn, AppError> {
    let result = check_credentials(state, from, creds).await;
    let outcome = match &result {
        Ok(_) => "signed_in",
        Err(AppError::BadCredentials) => "wrong_password",
        Err(AppError::TooManyAttempts { .. }) => "throttled",
        Err(AppError::Validation { .. }) => "invalid",
        Err(_) => "error",
    };
    metrics::counter!("hp_sign_ins_total", "outcome" => outcome).increment(1);
    result
}

async fn check_credentials(state: &AppState, from: Source<'_>, creds: Credentials) -> Result<SignedIn, AppError> {
    let identifier = creds.identifier.trim().to_string();
    if identifier.is_empty() || creds.password.is_empty() {
        let mut v = Validator::new();
        if identifier.is_empty() {
            v.add("identifier", "err.required");
        }
        if creds.password.is_empty() {
            v.add("password", "err.required");
        }
        v.finish()?;
    }
    let email = identifier.to_lowercase();
    let phone = normalize_phone(&identifier).unwrap_or_default();
    let record = repo::find_for_login(&state.db, &email, &phone, &identifier).await?;
    // One account however it is named (e-mail, CCCD or any spelling of the phone), so the
    // limits cannot be dodged by rewriting the identifier.
    let account = throttle::account(record.as_ref().map(|r| r.id), if phone.is_empty() { &email } else { &phone });
    let known_device = match (&record, from.device) {
        (Some(r), Some(token)) => devices::known(&state.db, token, r.id).await?,
        _ => false,
    };
    let source = match (known_device, from.device) {
        (true, Some(token)) => throttle::device(&devices::hash(token)),
        _ => throttle::ip(from.ip),
    };
    let s = &state.settings;
    let per_source = throttle::Limit { max: s.login_max_failures_per_account, window_secs: s.login_window_secs };
    let (ip_key, per_ip) = (throttle::ip(from.ip), throttle::Limit { max: s.login_max_failures_per_ip, window_secs: s.login_window_secs });
    throttle::check(&state.db, &ip_key, per_ip).await?;
    let mut keys = vec![(throttle::account_from(&account, &source), per_source)];
    let everywhere = throttle::account_from(&account, "unknown-sources");
    if !known_device {
        keys.push((everywhere.clone(), throttle::Limit { max: s.login_max_failures_all_sources, window_secs: s.login_account_window_secs }));
    }
    throttle::acquire(&state.db, &keys).await?;
    let active = record.as_ref().is_some_and(|r| r.active);
    let hash = record.as_ref().filter(|_| active).map(|r| r.hash.clone());
    let ok = state.hasher.verify(creds.password, hash).await?;
    if !ok {
        // The counts taken above stand as failures.
        throttle::record_failure(&state.db, &ip_key, per_ip).await?;
        tracing::info!(client_ip = from.ip, known_device, "failed login");
        return Err(AppError::BadCredentials);
    }
    let id = record.map(|r| r.id).ok_or(AppError::BadCredentials)?;
    // Everything a success changes, in one transaction.
    let device_token = from.device.map(str::to_string).unwrap_or_else(devices::new_token);
    let mut tx = state.db.begin_write().await?;
    throttle::clear(&mut tx, &keys[0].0).await?;
    if !known_device {
        throttle::release(&mut tx, &everywhere).await?;
    }
    devices::remember(&mut tx, &device_token, id).await?;
    repo::touch_login(&mut tx, id).await?;
    // Evidence for the integrity page: which device and address signed in to this account.
    let origin = crate::integrity::origin::Origin { device_hash: devices::hash(&device_token), client_ip: from.ip.to_string() };
    let signed_in = crate::integrity::origin::Happened { kind: crate::integrity::signals::EventKind::SignIn, user_id: id, round_id: None, attempt_id: None, at_ms: crate::vn_time::now_ms() };
    crate::integrity::origin::record(&mut tx, Some(&origin), signed_in).await?;
    tx.commit().await?;
    Ok(SignedIn { user_id: id, device_token })
}

/// Requires a signed-in user.
pub fn require(user: Option<CurrentUser>) -> Result<CurrentUser, AppError> {
    user.ok_or(AppError::Unauthenticated)
}

/// Requires a signed-in organizer (see [`crate::policy::organizer`]).
pub fn require_organizer(user: Option<CurrentUser>) -> Result<CurrentUser, AppError> {
    let user = require(user)?;
    crate::policy::organizer(&user)?;
    Ok(user)
}

/// Requires a signed-in admin (see [`crate::policy::admin`]).
pub fn require_admin(user: Option<CurrentUser>) -> Result<CurrentUser, AppError> {
    let user = require(user)?;
    crate::policy::admin(&user)?;
    Ok(user)
}

/// A user's own profile, with personal numbers as [`crate::policy::reveal_personal_numbers`]
/// allows (masked, even for their owner, unless an admin).
pub async fn profile(state: &AppState, actor: &CurrentUser) -> Result<Profile, AppError> {
    let mut profile = repo::profile(&state.db, actor.id).await?.ok_or(AppError::NotFound)?;
    if let Some(reveal) = crate::policy::reveal_personal_numbers(actor) {
        profile.cccd = profile.cccd.map(|c| c.reveal(reveal));
        profile.phone = profile.phone.map(|p| p.reveal(reveal));
    }
    Ok(profile)
}

/// The user list for organizers and admins; CCCD and phone are masked except for admins,
/// whose unmasked lists go to the personal data log.
pub async fn list_users(state: &AppState, actor: &CurrentUser, query: &str, channel: crate::audit::Channel) -> Result<Vec<UserSummary>, AppError> {
    crate::policy::organizer(actor)?;
    let reveal = crate::policy::reveal_personal_numbers(actor);
    // Searching by phone goes with seeing phones: with masked results, prefix searches would
    // let anyone else recover the hidden digits one at a time.
    let mut users = repo::search_users(&state.db, query, reveal.is_some(), 200).await?;
    if let Some(reveal) = reveal {
        for u in &mut users {
            u.cccd = u.cccd.take().map(|c| c.reveal(reveal));
            u.phone = u.phone.take().map(|p| p.reveal(reveal));
        }
        crate::audit::personal_data(&state.db, actor.id, "users", &format!("search \"{}\"", query.chars().take(60).collect::<String>()), users.len(), channel).await?;
    }
    Ok(users)
}

/// Grants or revokes a role. Only admins may; a unit manager grant names an active unit.
pub async fn set_role(state: &AppState, actor: &CurrentUser, user_id: i64, role: Role, unit_id: Option<i64>, grant: bool) -> Result<(), AppError> {
    crate::policy::admin(actor)?;
    if !repo::user_exists(&state.db, user_id).await? {
        return Err(AppError::NotFound);
    }
    if grant && role == Role::UnitManager {
        let Some(unit_id) = unit_id else { return Err(AppError::field("unit_id", "err.required")) };
        match units::repo::get(&state.db, unit_id).await? {
            Some(u) if u.status == units::model::UnitStatus::Active => {}
            Some(_) => return Err(AppError::field("unit_id", "err.unit_retired")),
            None => return Err(AppError::field("unit_id", "err.unit_unknown")),
        }
    }
    // An admin cannot remove their own admin role: the platform must keep one.
    if !grant && role == Role::Admin && user_id == actor.id {
        return Err(AppError::conflict("err.cannot_revoke_own_admin"));
    }
    let mut tx = state.db.begin_write().await?;
    if grant {
        repo::grant_role(&mut tx, user_id, role, if role == Role::UnitManager { unit_id } else { None }).await?;
    } else {
        repo::revoke_role(&mut tx, user_id, role).await?;
    }
    crate::audit::record(&mut tx, Some(actor.id), if grant { "role.grant" } else { "role.revoke" }, "user", Some(user_id),
        serde_json::json!({ "role": role.code(), "unit_id": unit_id })).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates an account with the given roles (the CLI's `create-admin` and the demo seed).
/// Identity fields other than e-mail are optional for staff accounts.
pub async fn create_staff_account(state: &AppState, full_name: &str, email: &str, password: String, roles: &[(Role, Option<i64>)]) -> Result<i64, AppError> {
    let mut v = Validator::new();
    let name = normalize_name(full_name).map_err(|k| v.add("full_name", k)).ok();
    let email = normalize_email(email).map_err(|k| v.add("email", k)).ok();
    v.check("password", validate_password(&password));
    if let Some(email) = &email {
        if !repo::taken_identity_fields(&state.db, email, "", "").await?.is_empty() {
            v.add("email", "err.email_taken");
        }
    }
    v.finish()?;
    let (name, email) = (name.unwrap_or_default(), email.unwrap_or_default());
    let hash = state.hasher.hash(password).await?;
    let mut tx = state.db.begin_write().await?;
    let id = repo::insert_user(&mut tx, &repo::NewUser { full_name: &name, email: &email, phone: None, cccd: None, position: "", unit_id: None, hash: &hash }).await?;
    for (role, unit) in roles {
        repo::grant_role(&mut tx, id, *role, *unit).await?;
    }
    crate::counters::on_account_created(&mut tx, id).await?;
    let registered = crate::integrity::origin::Happened { kind: crate::integrity::signals::EventKind::Register, user_id: id, round_id: None, attempt_id: None, at_ms: crate::vn_time::now_ms() };
    crate::integrity::origin::record(&mut tx, crate::integrity::origin::current().as_ref(), registered).await?;
    tx.commit().await?;
    Ok(id)
}
