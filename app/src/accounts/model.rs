//! Accounts and roles as the client and the server both see them. Nothing here carries a
//! password hash or an unmasked identity number unless the viewer's role needs it.

use super::personal::{Cccd, Phone};
use crate::codes::Code;
use serde::{Deserialize, Serialize};

/// Vai trò. A user may hold several; the unit manager role is scoped to a unit subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Thí sinh: a civil servant or member of the public taking rounds.
    Participant,
    /// Đầu mối đơn vị: checks participation of one unit and everything under it.
    UnitManager,
    /// Giám khảo.
    Judge,
    /// Ban tổ chức: sets questions, manages units and contests.
    Organizer,
    /// Quản trị hệ thống: everything, including unmasked personal data and role grants.
    Admin,
}

crate::stored_code!(Role { Participant => "participant", UnitManager => "unit_manager", Judge => "judge", Organizer => "organizer", Admin => "admin" });

impl Role {
    /// Locale key of the role's display name.
    pub fn label_key(self) -> String {
        format!("role.{}", self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleGrant {
    pub role: Role,
    /// For `unit_manager`: the root of the subtree they manage.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
}

/// The signed-in user, as every page and server function sees them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub unit_id: Option<i64>,
    pub roles: Vec<RoleGrant>,
    /// Công dân: signed up with a phone for public rounds; no unit, no CCCD.
    #[serde(default)]
    pub citizen: bool,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// Organizers manage units and contests; admins can do whatever organizers can.
    pub fn is_organizer(&self) -> bool {
        self.has(Role::Organizer) || self.is_admin()
    }

    /// Unit subtrees this user manages as a unit manager.
    /// Only a participant: no role that sees others' data or decides anything. Such an account
    /// may keep a session on a device it asked to remember.
    pub fn only_participant(&self) -> bool {
        self.roles.iter().all(|g| g.role == Role::Participant)
    }

    pub fn managed_units(&self) -> Vec<i64> {
        self.roles.iter().filter(|g| g.role == Role::UnitManager).filter_map(|g| g.unit_id).collect()
    }
}

/// Hồ sơ: what a user sees of their own account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct Profile {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub phone: Option<Phone>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub cccd: Option<Cccd>,
    pub position: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    /// `staff` or `citizen`. A citizen's account has no e-mail, CCCD, unit or position: the
    /// stored `email` is a never-deliverable placeholder, read back as empty, and pages show the
    /// phone and residence instead.
    pub kind: String,
    /// A citizen's commune, ward or special zone.
    pub residence_name: Option<String>,
    /// Read apart (a person has several).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub roles: Vec<RoleGrant>,
    pub created_at: i64,
}

/// A row of the admin user list. `phone` and `cccd` are masked unless the viewer is an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct UserSummary {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub phone: Option<Phone>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub cccd: Option<Cccd>,
    pub position: String,
    pub unit_name: Option<String>,
    /// `staff` or `citizen` (see `Profile::kind`).
    pub kind: String,
    /// A citizen's commune, ward or special zone.
    pub residence_name: Option<String>,
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub roles: Vec<RoleGrant>,
    pub status: String,
}

/// Đăng ký: the self-registration form of a participant. It carries a password, so the server
/// cannot serialise it (into a log, an answer, a cache); only the browser, which sends it,
/// can.
#[derive(Clone, Default, Deserialize)]
#[cfg_attr(not(feature = "ssr"), derive(Serialize))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Registration {
    pub full_name: String,
    pub unit_id: Option<i64>,
    pub position: String,
    pub phone: String,
    pub email: String,
    pub cccd: String,
    pub password: String,
    pub password_confirm: String,
}

// Registration carries a password: its Debug must not print it into logs.
impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Registration({})", self.email)
    }
}

/// What a person signs in with. Carries a password: the server cannot serialise it.
#[derive(Clone, Deserialize)]
#[cfg_attr(not(feature = "ssr"), derive(Serialize))]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Credentials {
    /// E-mail, phone number or CCCD.
    pub identifier: String,
    pub password: String,
    /// "Ghi nhớ thiết bị này": a participant's session then lasts 30 days from the last visit
    /// (organizer, judge, unit manager and admin sessions keep the usual limits).
    #[serde(default)]
    pub remember: bool,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, ***)", self.identifier)
    }
}

/// One time personal data (CCCD, phones, e-mails) left the platform: who took what, how much,
/// how, and when (Unix seconds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataAccess {
    pub id: i64,
    pub actor: String,
    pub actor_email: String,
    /// `non_participants`, `users`, `matching` or `roster_preview`.
    pub what: String,
    pub subject: String,
    pub records: i64,
    /// `page`, `json`, `xlsx` or `upload`.
    pub channel: String,
    pub at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_codes_are_the_json_names() {
        assert!(crate::codes::serde_agrees::<Role>());
        assert_eq!(Role::from_code("unit_manager"), Some(Role::UnitManager));
    }
}

/// The `users.kind` of a citizen's account (see `Profile::kind`).
pub const CITIZEN_KIND: &str = "citizen";

impl Profile {
    pub fn is_citizen(&self) -> bool {
        self.kind == CITIZEN_KIND
    }
}

impl UserSummary {
    pub fn is_citizen(&self) -> bool {
        self.kind == CITIZEN_KIND
    }

    /// How a list of people tells this one apart: the e-mail, or a citizen's phone (as the
    /// viewer may see it) since their e-mail is a placeholder.
    pub fn contact(&self) -> String {
        match (&self.phone, self.is_citizen()) {
            (Some(phone), true) => phone.shown(),
            _ => self.email.clone(),
        }
    }
}
