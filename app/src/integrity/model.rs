//! What the integrity page and `GET /api/v1/rounds/{id}/integrity` show: each flagged attempt
//! with its signals, the evidence of each in words, and a risk level.

use serde::{Deserialize, Serialize};

/// Mức nghi vấn: how strongly the evidence points to proxy-taking. Only a person decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn key(self) -> &'static str {
        match self {
            RiskLevel::Low => "integrity.risk_low",
            RiskLevel::Medium => "integrity.risk_medium",
            RiskLevel::High => "integrity.risk_high",
        }
    }

    pub fn raised(self) -> RiskLevel {
        match self {
            RiskLevel::Low => RiskLevel::Medium,
            _ => RiskLevel::High,
        }
    }
}

/// One signal of proxy-taking, with the facts behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// One device (its cookie) used for the round by several accounts.
    SharedDevice { device: String, accounts: Vec<SeenAccount> },
    /// The account active on another device while this attempt was open.
    TwoDevices { devices: Vec<String>, first_ms: i64, last_ms: i64 },
    /// Finished far faster than the round's usual time, with a near-perfect score.
    TooFast { time_taken_ms: i64, median_ms: i64, threshold_ms: i64, score: i64, max_score: i64 },
    /// The same answers, wrong ones included, as other attempts submitted within minutes.
    IdenticalAnswers { wrong_answers: i64, others: Vec<OtherAttempt>, window_minutes: i64 },
    /// The device this account was registered from registered several accounts.
    RegistrationsFromDevice { device: String, accounts: Vec<SeenAccount> },
}

impl Evidence {
    pub fn code(&self) -> &'static str {
        match self {
            Evidence::SharedDevice { .. } => "shared_device",
            Evidence::TwoDevices { .. } => "two_devices",
            Evidence::TooFast { .. } => "too_fast",
            Evidence::IdenticalAnswers { .. } => "identical_answers",
            Evidence::RegistrationsFromDevice { .. } => "registrations_from_device",
        }
    }

    /// How much this signal alone weighs: a device or answers shared with other accounts point
    /// at another person; speed or a second device alone have innocent explanations.
    pub fn risk(&self) -> RiskLevel {
        match self {
            Evidence::SharedDevice { accounts, .. } if accounts.len() >= 4 => RiskLevel::High,
            Evidence::IdenticalAnswers { .. } => RiskLevel::High,
            Evidence::SharedDevice { .. } | Evidence::TwoDevices { .. } => RiskLevel::Medium,
            Evidence::TooFast { .. } | Evidence::RegistrationsFromDevice { .. } => RiskLevel::Low,
        }
    }
}

/// An account named in evidence, with the address its request came from (for context only:
/// many accounts behind one office address is normal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeenAccount {
    pub user_id: i64,
    pub full_name: String,
    pub client_ip: String,
    pub at_ms: i64,
}

/// Another attempt named in evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OtherAttempt {
    pub attempt_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub submitted_at_ms: i64,
}

/// A flagged attempt, its evidence and what an organizer decided about it so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FlaggedAttempt {
    pub attempt_id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub score: Option<i64>,
    pub max_score: i64,
    pub time_taken_ms: Option<i64>,
    pub submitted_at_ms: Option<i64>,
    pub risk: RiskLevel,
    pub evidence: Vec<Evidence>,
    /// The evidence in words, in Vietnamese, one line per signal (the page renders its own
    /// language from `evidence`).
    pub explanations: Vec<String>,
    pub dismissal: Option<Dismissal>,
    pub disqualified: bool,
}

/// Bỏ qua: an organizer found nothing wrong, and said why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dismissal {
    pub note: String,
    pub decided_by: Option<String>,
    pub decided_at: i64,
}

/// A round's integrity report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrityReport {
    pub round_id: i64,
    pub round_title: String,
    pub contest_title: String,
    /// Submitted attempts the signals looked at.
    pub attempts_checked: i64,
    /// Flagged attempts, highest risk first.
    pub flagged: Vec<FlaggedAttempt>,
    /// How long computing the flags took (milliseconds).
    pub computed_in_ms: i64,
    /// The thresholds in force, in words.
    pub thresholds: Thresholds,
}

/// The thresholds of the signals (configurable; these are the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Thresholds {
    /// A device used for the round by this many accounts or more.
    pub shared_device_accounts: usize,
    /// A device that registered this many accounts or more.
    pub registrations_per_device: usize,
    /// "Implausibly fast": under this share of the round's median time taken…
    pub fast_share_of_median: f64,
    /// …with at least this share of the maximum score…
    pub fast_min_score_share: f64,
    /// …and only in rounds with at least this many submitted attempts (a median of a handful
    /// says nothing).
    pub fast_min_sample: usize,
    /// Identical answers count when submitted within this many minutes of each other…
    pub identical_window_minutes: i64,
    /// …and at least this many of them are wrong (everyone right is just a good score).
    pub identical_min_wrong: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            shared_device_accounts: 3,
            registrations_per_device: 3,
            fast_share_of_median: 0.25,
            fast_min_score_share: 0.9,
            fast_min_sample: 20,
            identical_window_minutes: 10,
            identical_min_wrong: 2,
        }
    }
}

/// The short form of a device hash shown to people: enough to tell devices apart.
pub fn short_device(hash: &str) -> String {
    hash.chars().take(8).collect()
}

impl Evidence {
    /// The accounts this evidence names besides the flagged one.
    pub fn user_ids(&self) -> Vec<i64> {
        match self {
            Evidence::SharedDevice { accounts, .. } | Evidence::RegistrationsFromDevice { accounts, .. } => accounts.iter().map(|a| a.user_id).collect(),
            Evidence::IdenticalAnswers { others, .. } => others.iter().map(|o| o.user_id).collect(),
            Evidence::TwoDevices { .. } | Evidence::TooFast { .. } => vec![],
        }
    }

    /// Puts the accounts' names in, once they are looked up.
    pub fn fill_names(&mut self, name: &impl Fn(i64) -> String) {
        match self {
            Evidence::SharedDevice { accounts, .. } | Evidence::RegistrationsFromDevice { accounts, .. } => accounts.iter_mut().for_each(|a| a.full_name = name(a.user_id)),
            Evidence::IdenticalAnswers { others, .. } => others.iter_mut().for_each(|o| o.full_name = name(o.user_id)),
            Evidence::TwoDevices { .. } | Evidence::TooFast { .. } => {}
        }
    }
}

/// The evidence in words: what was seen, with the figures, for a person to judge.
pub fn explain(lang: crate::i18n::Lang, e: &Evidence) -> String {
    use crate::i18n::{fill, t};
    let minutes = |ms: i64| crate::numbers::fixed(lang, ms as f64 / 60_000.0, 1);
    let names = |accounts: &[SeenAccount]| {
        accounts.iter().map(|a| format!("{} ({}, {})", a.full_name, a.client_ip, crate::vn_time::show_secs(a.at_ms / 1000))).collect::<Vec<_>>().join("; ")
    };
    match e {
        Evidence::SharedDevice { device, accounts } => {
            fill(&t(lang, "integrity.ev_shared_device"), &[("device", device), ("n", &accounts.len().to_string()), ("accounts", &names(accounts))])
        }
        Evidence::TwoDevices { devices, first_ms, last_ms } => fill(
            &t(lang, "integrity.ev_two_devices"),
            &[("n", &devices.len().to_string()), ("devices", &devices.join(", ")), ("from", &crate::vn_time::show_secs(first_ms / 1000)), ("to", &crate::vn_time::show_secs(last_ms / 1000))],
        ),
        Evidence::TooFast { time_taken_ms, median_ms, threshold_ms, score, max_score } => fill(
            &t(lang, "integrity.ev_too_fast"),
            &[
                ("time", &minutes(*time_taken_ms)),
                ("score", &crate::numbers::hundredths(lang, *score)),
                ("max", &crate::numbers::hundredths(lang, *max_score)),
                ("median", &minutes(*median_ms)),
                ("threshold", &minutes(*threshold_ms)),
            ],
        ),
        Evidence::IdenticalAnswers { wrong_answers, others, window_minutes } => {
            let list = others.iter().map(|o| format!("{} (#{}, {})", o.full_name, o.attempt_id, crate::vn_time::show_secs(o.submitted_at_ms / 1000))).collect::<Vec<_>>().join("; ");
            fill(&t(lang, "integrity.ev_identical"), &[("wrong", &wrong_answers.to_string()), ("others", &list), ("minutes", &window_minutes.to_string())])
        }
        Evidence::RegistrationsFromDevice { device, accounts } => {
            fill(&t(lang, "integrity.ev_registrations"), &[("device", device), ("n", &accounts.len().to_string()), ("accounts", &names(accounts))])
        }
    }
}
