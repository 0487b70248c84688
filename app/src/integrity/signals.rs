//! The rules that turn a round's rows into flags. Pure: the service loads the rows (already
//! narrowed by SQL to the candidates where it can) and these decide, so each rule is tested
//! by tables, together with the case that must never be flagged: an office of hundreds of
//! people behind one address.
//!
//! The client address is carried as context only. No rule looks at it: a whole department
//! behind one NAT address is normal.

use super::model::{SeenAccount, OtherAttempt, Evidence, RiskLevel, Thresholds, short_device};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a recorded request was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    SignIn,
    Register,
    Start,
    Submit,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::SignIn => "sign_in",
            EventKind::Register => "register",
            EventKind::Start => "start",
            EventKind::Submit => "submit",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        [EventKind::SignIn, EventKind::Register, EventKind::Start, EventKind::Submit].into_iter().find(|k| k.code() == code)
    }
}

/// A recorded request: who, from which device (hash) and address, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub user_id: i64,
    pub attempt_id: Option<i64>,
    pub device: String,
    pub client_ip: String,
    pub at_ms: i64,
}

/// A submitted attempt as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptFacts {
    pub attempt_id: i64,
    pub user_id: i64,
    pub started_at_ms: i64,
    pub submitted_at_ms: i64,
    pub time_taken_ms: i64,
    pub score: i64,
    pub max_score: i64,
    /// `"{wrong answers}:{digest}"`, set at submission when at least two answers were wrong.
    pub answer_digest: Option<String>,
}

/// The rows a round's flags are computed from.
#[derive(Debug, Default)]
pub struct Input {
    /// Every submitted attempt of the round.
    pub attempts: Vec<AttemptFacts>,
    /// Starts and submissions of the round (at least those on devices several accounts used).
    pub round_events: Vec<Event>,
    /// Each device's stretch of activity inside each attempt's time (at least those of attempts
    /// seen on more than one device).
    pub device_stretches: Vec<DeviceStretch>,
    /// Registrations (at least those from devices that registered several accounts).
    pub registrations: Vec<Event>,
}

/// One device's activity (sign-ins, the start, the submission) inside one attempt's time: its
/// first and last request. All the two-device rule needs, so SQL hands over one row per device
/// of an attempt instead of every event.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceStretch {
    pub attempt_id: i64,
    pub device: String,
    pub first_ms: i64,
    pub last_ms: i64,
}

/// A flagged attempt before names are looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub attempt_id: i64,
    pub user_id: i64,
    pub evidence: Vec<Evidence>,
    pub risk: RiskLevel,
}

/// Every signal over a round; flags highest risk first, then by attempt.
pub fn assess(input: &Input, t: &Thresholds) -> Vec<Flag> {
    let mut found: BTreeMap<i64, Vec<Evidence>> = BTreeMap::new();
    let attempts_of = attempts_by_user(&input.attempts);
    for (attempt, evidence) in shared_devices(&input.round_events, &attempts_of, t.shared_device_accounts)
        .into_iter()
        .chain(two_devices(&input.device_stretches))
        .chain(too_fast(&input.attempts, t))
        .chain(identical_answers(&input.attempts, t))
        .chain(registrations_from_device(&input.registrations, &attempts_of, t.registrations_per_device))
    {
        found.entry(attempt).or_default().push(evidence);
    }
    let user_of: HashMap<i64, i64> = input.attempts.iter().map(|a| (a.attempt_id, a.user_id)).collect();
    let mut flags: Vec<Flag> = found
        .into_iter()
        .map(|(attempt_id, evidence)| Flag { attempt_id, user_id: user_of.get(&attempt_id).copied().unwrap_or_default(), risk: risk_of(&evidence), evidence })
        .collect();
    flags.sort_by(|a, b| b.risk.cmp(&a.risk).then(a.attempt_id.cmp(&b.attempt_id)));
    flags
}

/// The strongest signal's level, one level higher when different signals agree.
pub fn risk_of(evidence: &[Evidence]) -> RiskLevel {
    let strongest = evidence.iter().map(Evidence::risk).max().unwrap_or(RiskLevel::Low);
    let kinds: BTreeSet<&str> = evidence.iter().map(Evidence::code).collect();
    if kinds.len() >= 2 { strongest.raised() } else { strongest }
}

fn attempts_by_user(attempts: &[AttemptFacts]) -> HashMap<i64, Vec<i64>> {
    let mut by_user: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in attempts {
        by_user.entry(a.user_id).or_default().push(a.attempt_id);
    }
    by_user
}

/// The accounts seen on one device, each with its first event (address and time).
fn accounts_by_device<'a>(events: impl Iterator<Item = &'a Event>) -> BTreeMap<&'a str, BTreeMap<i64, &'a Event>> {
    let mut by_device: BTreeMap<&str, BTreeMap<i64, &Event>> = BTreeMap::new();
    for e in events {
        let first = by_device.entry(e.device.as_str()).or_default().entry(e.user_id).or_insert(e);
        if e.at_ms < first.at_ms {
            *first = e;
        }
    }
    by_device
}

fn account_refs(accounts: &BTreeMap<i64, &Event>) -> Vec<SeenAccount> {
    accounts.values().map(|e| SeenAccount { user_id: e.user_id, full_name: String::new(), client_ip: e.client_ip.clone(), at_ms: e.at_ms }).collect()
}

/// One device started or submitted attempts of `min_accounts` or more accounts in the round:
/// one phone going round a table of people, or one person taking the round for others.
pub fn shared_devices(round_events: &[Event], attempts_of: &HashMap<i64, Vec<i64>>, min_accounts: usize) -> Vec<(i64, Evidence)> {
    let relevant = round_events.iter().filter(|e| matches!(e.kind, EventKind::Start | EventKind::Submit));
    let mut out = Vec::new();
    for (device, accounts) in accounts_by_device(relevant) {
        if accounts.len() < min_accounts {
            continue;
        }
        let evidence = Evidence::SharedDevice { device: short_device(device), accounts: account_refs(&accounts) };
        for user in accounts.keys() {
            for attempt in attempts_of.get(user).into_iter().flatten() {
                out.push((*attempt, evidence.clone()));
            }
        }
    }
    out
}

/// The account was active on two devices at overlapping times while the attempt was open:
/// each device's activity (sign-ins, the start, the submission) spans a stretch of time, and
/// two stretches overlap. Moving from a phone to a computer once (one stretch after the
/// other) is not flagged; someone signing in on their own phone while another device is
/// taking their attempt is.
pub fn two_devices(stretches: &[DeviceStretch]) -> Vec<(i64, Evidence)> {
    let mut by_attempt: BTreeMap<i64, Vec<&DeviceStretch>> = BTreeMap::new();
    for s in stretches {
        by_attempt.entry(s.attempt_id).or_default().push(s);
    }
    let mut out = Vec::new();
    for (attempt_id, mut list) in by_attempt {
        list.sort_by(|x, y| x.device.cmp(&y.device));
        let overlapping = list.iter().enumerate().any(|(i, x)| list[i + 1..].iter().any(|y| x.first_ms <= y.last_ms && y.first_ms <= x.last_ms));
        if overlapping {
            let first_ms = list.iter().map(|s| s.first_ms).min().unwrap_or_default();
            let last_ms = list.iter().map(|s| s.last_ms).max().unwrap_or_default();
            out.push((attempt_id, Evidence::TwoDevices { devices: list.iter().map(|s| short_device(&s.device)).collect(), first_ms, last_ms }));
        }
    }
    out
}

/// The median of the round's times taken (the lower middle of an even count).
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mid = (values.len() - 1) / 2;
    let (_, m, _) = values.select_nth_unstable(mid);
    Some(*m)
}

/// A near-perfect score in a small share of the time the round's participants usually take:
/// the threshold follows the round's own distribution, so a short round's quick finishers are
/// not flagged by a fixed number of minutes.
pub fn too_fast(attempts: &[AttemptFacts], t: &Thresholds) -> Vec<(i64, Evidence)> {
    if attempts.len() < t.fast_min_sample {
        return vec![];
    }
    let Some(median_ms) = median(attempts.iter().map(|a| a.time_taken_ms).collect()) else { return vec![] };
    let threshold_ms = (median_ms as f64 * t.fast_share_of_median) as i64;
    attempts
        .iter()
        .filter(|a| a.time_taken_ms < threshold_ms && a.max_score > 0 && a.score as f64 >= a.max_score as f64 * t.fast_min_score_share)
        .map(|a| (a.attempt_id, Evidence::TooFast { time_taken_ms: a.time_taken_ms, median_ms, threshold_ms, score: a.score, max_score: a.max_score }))
        .collect()
}

/// The wrong answers counted in a stored digest.
pub fn wrong_in_digest(digest: &str) -> i64 {
    digest.split_once(':').and_then(|(n, _)| n.parse().ok()).unwrap_or(0)
}

/// Attempts of different accounts with the same answers to the same questions, wrong ones
/// included, submitted within minutes of one another (each close to the next: a group
/// working through one answer sheet). Everyone right is not evidence; sharing mistakes is.
pub fn identical_answers(attempts: &[AttemptFacts], t: &Thresholds) -> Vec<(i64, Evidence)> {
    let window_ms = t.identical_window_minutes * 60_000;
    let mut by_digest: HashMap<&str, Vec<&AttemptFacts>> = HashMap::new();
    for a in attempts {
        if let Some(d) = a.answer_digest.as_deref().filter(|d| wrong_in_digest(d) >= t.identical_min_wrong) {
            by_digest.entry(d).or_default().push(a);
        }
    }
    let mut out = Vec::new();
    for (digest, mut same) in by_digest.into_iter().filter(|(_, v)| v.len() >= 2) {
        same.sort_by_key(|a| (a.submitted_at_ms, a.attempt_id));
        let mut groups: Vec<Vec<&AttemptFacts>> = Vec::new();
        for a in same {
            match groups.last_mut() {
                Some(g) if a.submitted_at_ms - g.last().map(|l| l.submitted_at_ms).unwrap_or_default() <= window_ms => g.push(a),
                _ => groups.push(vec![a]),
            }
        }
        for group in groups {
            if group.iter().map(|a| a.user_id).collect::<BTreeSet<_>>().len() < 2 {
                continue;
            }
            for a in &group {
                let others = group
                    .iter()
                    .filter(|o| o.attempt_id != a.attempt_id)
                    .map(|o| OtherAttempt { attempt_id: o.attempt_id, user_id: o.user_id, full_name: String::new(), submitted_at_ms: o.submitted_at_ms })
                    .collect();
                out.push((a.attempt_id, Evidence::IdenticalAnswers { wrong_answers: wrong_in_digest(digest), others, window_minutes: t.identical_window_minutes }));
            }
        }
    }
    out
}

/// One device registered `min_accounts` or more accounts: accounts made for others to take
/// part under their names. Flags those accounts' attempts in the round.
pub fn registrations_from_device(registrations: &[Event], attempts_of: &HashMap<i64, Vec<i64>>, min_accounts: usize) -> Vec<(i64, Evidence)> {
    let mut out = Vec::new();
    for (device, accounts) in accounts_by_device(registrations.iter().filter(|e| e.kind == EventKind::Register)) {
        if accounts.len() < min_accounts {
            continue;
        }
        let evidence = Evidence::RegistrationsFromDevice { device: short_device(device), accounts: account_refs(&accounts) };
        for user in accounts.keys() {
            for attempt in attempts_of.get(user).into_iter().flatten() {
                out.push((*attempt, evidence.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "signals_tests.rs"]
mod tests;
