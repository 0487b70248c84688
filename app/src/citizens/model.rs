//! The citizens' sign-up and report as the client and the server both see them.

use serde::{Deserialize, Serialize};

/// Đăng ký công dân: the light sign-up of a citizen for public rounds. It carries a password,
/// so the server cannot serialise it.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(not(feature = "ssr"), derive(Serialize))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CitizenSignup {
    pub full_name: String,
    pub phone: String,
    /// The commune, ward or special zone (xã, phường, đặc khu) the person lives in.
    pub residence_unit_id: Option<i64>,
    pub password: String,
    pub password_confirm: String,
}

impl std::fmt::Debug for CitizenSignup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenSignup({})", self.phone)
    }
}

/// The answer to a sign-up: a code was sent to this phone (normalised) and works this long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CodeSent {
    pub phone: String,
    pub expires_in_secs: i64,
}

/// The code a person typed for their phone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PhoneConfirmation {
    pub phone: String,
    pub code: String,
}

/// One commune, ward or special zone's participation in a public round: submitted entries
/// and the people who made them (no denominator: nobody knows how many citizens could have).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct CommuneParticipation {
    /// `None`: people without a declared residence (civil servants taking the public round).
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub entries: i64,
    pub people: i64,
}

/// Tham gia theo xã, phường, đặc khu: a public round's participation for the communication report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicRoundReport {
    pub round_id: i64,
    pub round_title: String,
    /// Most entries first, then by name; communes nobody from took part are listed with zeros.
    pub communes: Vec<CommuneParticipation>,
    pub entries: i64,
    pub people: i64,
}

/// A text message the development sender wrote to the log instead of sending (the admin screen
/// of codes, for demos and for helping someone at a sign-up desk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SentMessage {
    pub phone: String,
    pub message: String,
    /// Unix seconds.
    pub at: i64,
}
