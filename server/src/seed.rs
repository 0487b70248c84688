//! Demo data: the real unit tree of Hải Phòng (the 114 communes, wards and special zones of
//! the 2025 two-level government, and a demonstration set of city agencies) and one demo
//! account per role. Seeding keeps existing data: units are added only to an empty tree,
//! accounts only if their e-mail is free.
//!
//! Sources (copied into `server/seed/`, see its SOURCES.md): `haiphong-wards.json` from the
//! PyPI package vietnam-provinces 2025.10.1; `haiphong-departments.json`, a demonstration seed.

use app::accounts::model::Role;
use app::error::AppError;
use app::infra::state::AppState;
use app::units::model::Block;
use app::units::repo::{self, InsertUnit};
use serde::Deserialize;

/// The demo organizer, who owns the demo contest.
pub const DEMO_ORGANIZER_EMAIL: &str = "bantochuc@demo.haiphong.gov.vn";

const WARDS: &str = include_str!("../seed/haiphong-wards.json");
const DEPARTMENTS: &str = include_str!("../seed/haiphong-departments.json");
const DEMO_QUESTIONS: &[u8] = include_bytes!("../seed/demo-questions-cchc.csv");

pub const CITY_CODE: &str = "HP";

#[derive(Deserialize)]
struct WardFile {
    wards: Vec<Ward>,
}

#[derive(Deserialize)]
struct Ward {
    code: i64,
    name: String,
    division_type: String,
}

#[derive(Deserialize)]
struct DepartmentFile {
    departments: Vec<Department>,
}

#[derive(Deserialize)]
struct Department {
    name: String,
    #[serde(default)]
    children: Vec<Child>,
}

#[derive(Deserialize)]
struct Child {
    name: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct UnitSeedReport {
    pub created: usize,
}

/// Seeds the unit tree if it is empty. Returns how many units were created.
pub async fn seed_units(state: &AppState) -> Result<UnitSeedReport, AppError> {
    if repo::count(&state.db).await? > 0 {
        return Ok(UnitSeedReport::default());
    }
    let wards: WardFile = serde_json::from_str(WARDS).map_err(AppError::internal)?;
    let departments: DepartmentFile = serde_json::from_str(DEPARTMENTS).map_err(AppError::internal)?;
    let mut tx = state.db.begin_write().await?;
    let mut created = 0;
    let city = repo::insert(&mut tx, &InsertUnit { code: CITY_CODE, name: "Thành phố Hải Phòng", kind: "city", block: Block::City, parent_id: None, headcount: 0 }).await?;
    created += 1;
    for (i, dep) in departments.departments.iter().enumerate() {
        let code = format!("S{:02}", i + 1);
        let id = repo::insert(&mut tx, &InsertUnit { code: &code, name: &dep.name, kind: "department", block: Block::SoNganh, parent_id: Some(city), headcount: 0 }).await?;
        created += 1;
        for (j, child) in dep.children.iter().enumerate() {
            let child_code = format!("{code}-{:02}", j + 1);
            repo::insert(&mut tx, &InsertUnit { code: &child_code, name: &child.name, kind: "subordinate", block: Block::SuNghiep, parent_id: Some(id), headcount: 0 }).await?;
            created += 1;
        }
    }
    for ward in &wards.wards {
        let kind = match ward.division_type.as_str() {
            "phường" => "ward",
            "đặc khu" => "special_zone",
            _ => "commune",
        };
        repo::insert(&mut tx, &InsertUnit { code: &ward.code.to_string(), name: &ward.name, kind, block: Block::XaPhuong, parent_id: Some(city), headcount: 0 }).await?;
        created += 1;
    }
    tx.commit().await?;
    Ok(UnitSeedReport { created })
}

pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub password: String,
}

/// One demo account per role, each with a random password returned once (the caller prints
/// it); accounts that already exist are left alone and not returned.
pub async fn seed_demo_accounts(state: &AppState) -> Result<Vec<DemoAccount>, AppError> {
    let units = repo::all(&state.db).await?;
    let unit_by_name = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id);
    let health = unit_by_name("Sở Y tế");
    let hai_an = unit_by_name("Phường Hải An");
    let accounts: [(Role, &str, &str, Option<i64>); 5] = [
        (Role::Admin, "admin@demo.haiphong.gov.vn", "Quản trị Hệ thống", None),
        (Role::Organizer, DEMO_ORGANIZER_EMAIL, "Trần Thị Tổ Chức", None),
        (Role::UnitManager, "daumoi.syt@demo.haiphong.gov.vn", "Lê Văn Đầu Mối", health),
        (Role::Judge, "giamkhao@demo.haiphong.gov.vn", "Phạm Thị Giám Khảo", None),
        (Role::Participant, "thisinh@demo.haiphong.gov.vn", "Nguyễn Văn Thí Sinh", None),
    ];
    let mut created = Vec::new();
    for (role, email, name, scope) in accounts {
        if app::accounts::repo::taken_identity_fields(&state.db, email, "", "").await?.contains(&"email") {
            continue;
        }
        let password = random_password();
        let mut roles = vec![(role, scope)];
        if role != Role::Participant {
            roles.push((Role::Participant, None));
        }
        let id = app::accounts::service::create_staff_account(state, name, email, password.clone(), &roles).await?;
        if role == Role::Participant {
            app::accounts::repo::set_placement(&state.db, id, hai_an, "Chuyên viên", "0912000001", "031095000001").await?;
        }
        created.push(DemoAccount { role, email: email.into(), password });
    }
    Ok(created)
}

/// Puts the 24 demo questions into an empty bank, as the demo organizer. Returns how many.
pub async fn seed_demo_questions(state: &AppState) -> Result<usize, AppError> {
    if app::quiz::repo::count(&state.db).await? > 0 {
        return Ok(0);
    }
    let organizer_id = app::accounts::repo::id_by_email(&state.db, DEMO_ORGANIZER_EMAIL).await?;
    let Some(organizer) = (match organizer_id {
        Some(id) => app::accounts::repo::current_user(&state.db, id).await?,
        None => None,
    }) else {
        return Ok(0);
    };
    let preview = app::quiz::bank::import(state, &organizer, app::quiz::bank::ImportFormat::Table, DEMO_QUESTIONS, "", true).await?;
    Ok(preview.created.len())
}

/// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I).
pub fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}
