//! The versioned JSON API for integrations, under `/api/v1`, described by the OpenAPI document
//! at `/api/openapi.json`. Handlers only translate HTTP to the service layer in `app`, which
//! the pages' server functions call too.

mod accounts;
pub mod award_files;
mod awards;
mod citizens;
mod drafts;
mod integrity;
mod participation;
mod questions;
mod rounds;
mod units;

use app::accounts::model::CurrentUser;
use app::error::AppError;
use app::infra::state::AppState;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;
use utoipa::OpenApi;

/// The signed-in user of an API request (or none).
pub struct Actor(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, msg)| AppError::internal(msg))?;
        Ok(Actor(app::accounts::session::current_user(state, &session).await?))
    }
}

/// The signed-in account's id only, for answer saves: the save's own query checks that the
/// account is active and owns the attempt, so the account and its roles are not loaded.
pub struct SignedIn(pub i64);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let started = std::time::Instant::now();
        let session = Session::from_request_parts(parts, state).await.map_err(|(_, msg)| AppError::internal(msg))?;
        let user = app::accounts::session::signed_in_id(state, &session).await?.map(SignedIn).ok_or(AppError::Unauthenticated);
        metrics::histogram!("hp_save_seconds", "phase" => "session").record(started.elapsed().as_secs_f64());
        user
    }
}

impl Actor {
    pub fn required(self) -> Result<CurrentUser, AppError> {
        self.0.ok_or(AppError::Unauthenticated)
    }
}

/// Adds to every operation the error answers the platform gives for any of them, in the
/// `ErrorBody` shape, where the operation does not describe them itself: 400 (a malformed
/// path, query or JSON), 401 (not signed in), 403 (no right, or a cross-site request), 404
/// (an unknown id, for operations with one), and for operations with a body 413 (too large),
/// 415 (not JSON) and 422 (invalid content).
struct StandardErrors;

impl utoipa::Modify for StandardErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder, path::ParameterIn};
        let answer = |description: &str| {
            ResponseBuilder::new().description(description).content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build()).build()
        };
        for item in openapi.paths.paths.values_mut() {
            let shared_path_params = item.parameters.as_ref().is_some_and(|p| p.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path)));
            let ops = [("get", &mut item.get), ("put", &mut item.put), ("post", &mut item.post), ("delete", &mut item.delete), ("patch", &mut item.patch)];
            for (method, op) in ops.into_iter().filter_map(|(m, op)| op.as_mut().map(|op| (m, op))) {
                let with_id = shared_path_params || op.parameters.as_ref().is_some_and(|p| p.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path)));
                let body = op.request_body.as_ref().map(|b| b.content.keys().any(|k| k.starts_with("application/json")));
                let mut add = |code: &str, description: &str| {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| answer(description).into());
                };
                add("400", "Malformed path, query or body");
                add("401", "Not signed in");
                add("403", "Not allowed for this account, or a cross-site request");
                if with_id {
                    add("404", "No such record, or not visible to this account");
                }
                let with_params = with_id || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let changes = op.request_body.is_some() || !matches!(method, "get");
                if changes {
                    add("409", "The record's state does not allow this now (a closed call, a published result, …)");
                }
                if with_params {
                    add("422", "A parameter has an invalid value");
                }
                if let Some(json) = body {
                    add("413", "Body too large");
                    if json {
                        add("415", "The body is not JSON");
                    }
                    add("422", "Invalid content, with a message per field");
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&StandardErrors),
    info(title = "Nền tảng thi trực tuyến CCHC Hải Phòng — API", version = "1"),
    paths(
        accounts::login, accounts::logout, accounts::register, accounts::me, accounts::list_users, accounts::personal_data_log, accounts::grant_role, accounts::revoke_role,
        citizens::sign_up, citizens::confirm, citizens::sent_codes, citizens::communes, citizens::communes_csv,
        units::list, units::get_one, units::history, units::create, units::update, units::move_unit, units::merge, units::retire, units::retire_facts, units::reinstate,
        units::export, units::import_template, units::import,
        questions::list, questions::create, questions::get_one, questions::update, questions::retire, questions::restore,
        questions::import, questions::export, questions::template,
        rounds::list_contests, rounds::create_contest, rounds::get_contest, rounds::update_contest, rounds::create_round,
        drafts::announce_contest, drafts::contest_back_to_draft, drafts::delete_contest, drafts::announce_round, drafts::round_back_to_draft, drafts::delete_round,
        rounds::list_rounds, rounds::draw_pool, rounds::get_round, rounds::update_round, rounds::round_entry,
        rounds::start, rounds::get_attempt, rounds::save_answer, rounds::save_prediction, rounds::submit, rounds::result,
        rounds::ranking, rounds::ranking_csv, rounds::disqualify, rounds::reinstate, rounds::publish, rounds::unpublish,
        rounds::public_results, rounds::statistics, integrity::report, integrity::dismiss,
        participation::report, participation::contest_csv, participation::import_roster, participation::template,
        participation::non_participants, participation::matching, participation::decide, participation::annual, participation::contest_report, participation::collective, participation::set_collective_rules,
        participation::get_collective_rules, participation::unrostered, participation::add_unrostered, participation::reject_unrostered,
        awards::list_competitions, awards::create_competition, awards::get_competition, awards::update_competition, awards::close_call, awards::reopen_call,
        awards::list_entries, awards::create_entry, awards::my_entries, awards::get_entry, awards::update_entry, awards::submit_entry, awards::withdraw_entry, awards::eligibility,
        award_files::upload, award_files::download, award_files::remove,
        awards::list_panels, awards::set_panel, awards::auto_assign, awards::assign, awards::close_panel,
        awards::my_assignments, awards::get_assignment, awards::score, awards::recuse,
        awards::stage_results, awards::shortlist, awards::allocation, awards::decide, awards::publish, awards::unpublish, awards::published,
        awards::minutes, awards::certificates, awards::certificate, awards::judging_csv,
    ),
    components(schemas(
        app::cells::Headers,
        app::accounts::model::Role, app::accounts::model::RoleGrant, app::accounts::model::DataAccess, app::accounts::model::CurrentUser, app::accounts::model::UserSummary,
        app::accounts::model::Registration, app::accounts::model::Credentials,
        app::citizens::model::CitizenSignup, app::citizens::model::CodeSent, app::citizens::model::PhoneConfirmation, app::citizens::model::SentMessage,
        app::citizens::model::CommuneParticipation, app::citizens::model::PublicRoundReport, citizens::SignedUp,
        app::units::model::Unit, app::units::model::UnitNode, app::units::model::Block, app::units::model::UnitStatus,
        app::units::model::NewUnit, app::units::model::UnitChanges, app::units::model::UnitEvent, app::units::model::RetireFacts, app::participation::rates::StaffCount,
        app::units::model::ImportPreview, app::units::model::ImportRow, app::units::model::LineError,
        app::quiz::model::QuestionKind, app::quiz::model::QuestionInput, app::quiz::model::BankQuestion, app::quiz::model::BankOption,
        app::quiz::model::QuestionImportPreview,
        app::rounds::model::ContestInput, app::rounds::model::NewContest, app::rounds::model::NewRound, app::rounds::model::Contest, app::rounds::model::NameDisplay, app::rounds::model::DrawRule, app::rounds::draw_rules::DrawPool, app::rounds::draw_rules::PoolGroup,
        app::rounds::model::Counting, app::rounds::model::ReviewLevel, app::rounds::model::PredictionMetric, app::prizes::PrizeTier,
        app::rounds::model::RoundInput, app::rounds::model::RoundPhase, app::rounds::model::Round, app::rounds::model::RoundSummary,
        app::rounds::model::AttemptQuestion, app::rounds::model::AttemptView, app::rounds::model::SaveAck, app::rounds::model::ReviewItem,
        app::rounds::model::AttemptResult, app::rounds::model::AttemptSummary, app::rounds::model::RoundForParticipant,
        app::rounds::model::RankedEntry, app::rounds::model::Disqualification, app::rounds::model::Ranking,
        app::rounds::model::PublicWinner, app::rounds::model::PublicResults, app::rounds::model::QuestionStat, app::rounds::model::RoundStats,
        app::participation::model::RosterImport, app::participation::model::DayCount, app::participation::model::ParticipationReport,
        app::participation::model::NonParticipant, app::participation::model::AccountRef, app::participation::model::DoubleMatch,
        app::participation::model::MatchAnomalies, app::participation::model::Candidate, app::participation::model::ContestParticipation,
        app::participation::roster::RosterPlan, app::participation::roster::RosterRow, app::participation::roster::RosterIssue,
        app::participation::rates::UnitRate, app::participation::rates::BlockRate, app::participation::rates::Denominator,
        app::participation::annual::AnnualReport, app::participation::annual::UnitRoundRow, app::participation::annual::BlockRoundRow,
        app::participation::model::MergedUnit, app::participation::annual::YearStatistics,
        app::participation::collective::Criterion, app::participation::collective::CollectiveRule, app::participation::collective::CollectiveRules,
        app::participation::collective::UnitFigures, app::participation::collective::CollectiveEntry, app::participation::collective::BlockRanking,
        participation::DecisionBody, participation::UnrosteredBody, participation::UnrosteredDone,
        app::participation::unrostered::Unrostered, app::participation::unrostered::UnrosteredAction,
        app::awards::model::Genre, app::awards::model::Stage, app::awards::model::Phase, app::awards::model::Criterion, app::awards::model::Aggregation,
        app::awards::model::ShortlistRule, app::awards::model::CompetitionInput, app::awards::model::Competition, app::awards::model::EntryStatus,
        app::awards::model::Author, app::awards::model::EntryInput, app::awards::model::EntryFile, app::awards::model::Entry, app::awards::model::JudgeEntry,
        app::awards::model::Assignment, app::awards::model::ScoreInput, app::awards::model::JudgeProgress, app::awards::model::Panel, app::awards::model::Recusal,
        app::awards::model::StageRow, app::awards::model::PoolResults, app::awards::model::StageResults, app::awards::model::AllocationRow,
        app::awards::model::PoolAllocation, app::awards::model::Decision, app::awards::model::Allocation, app::awards::model::Override,
        app::awards::model::Winner, app::awards::model::PublishedResults, app::awards::model::AssignmentReport,
        awards::ReasonBody, awards::EligibilityBody, awards::PanelBody, awards::AutoAssignBody, awards::AssignBody,
        rounds::AnswerBody, rounds::PredictionBody, rounds::DisqualifyBody, rounds::ReasonBody,
        app::integrity::model::IntegrityReport, app::integrity::model::FlaggedAttempt, app::integrity::model::Evidence, app::integrity::model::RiskLevel,
        app::integrity::model::SeenAccount, app::integrity::model::OtherAttempt, app::integrity::model::Dismissal, app::integrity::model::Thresholds, integrity::DismissBody,
        ErrorBody, questions::ImportRefusal,
    )),
    tags((name = "accounts", description = "Đăng ký, đăng nhập, người dùng và vai trò"), (name = "units", description = "Cây đơn vị"), (name = "questions", description = "Ngân hàng câu hỏi"),
        (name = "rounds", description = "Cuộc thi và đợt thi"), (name = "attempts", description = "Làm bài: bắt đầu, lưu từng câu, nộp bài"),
        (name = "results", description = "Xếp hạng, giải thưởng, công bố kết quả, thống kê"),
        (name = "participation", description = "Danh sách cán bộ, tỷ lệ tham gia theo đơn vị, người chưa tham gia"),
        (name = "awards", description = "Giải báo chí, phát thanh cơ sở: tác phẩm, chấm sơ khảo và chung khảo, giải thưởng")),
)]
pub struct ApiDoc;

/// The shape of every error answer.
#[derive(utoipa::ToSchema, serde::Serialize)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `validation`, `forbidden`, `too_many_attempts`.
    pub error: String,
    /// Vietnamese message for people.
    pub message: String,
    /// For `validation`: field → { code, message }.
    pub fields: Option<serde_json::Value>,
    /// For requests the platform could not read (malformed JSON, a wrong content type): what
    /// the parser said.
    pub detail: Option<String>,
}

pub fn router() -> Router<AppState> {
    Router::new().merge(accounts::router()).merge(units::router()).merge(questions::router()).merge(rounds::router()).merge(drafts::router()).merge(participation::router()).merge(awards::router()).merge(citizens::router()).merge(integrity::router())
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to save: its type and a download name.
pub fn download(content_type: &'static str, filename: &str, body: impl Into<axum::body::Body>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))], body.into()).into_response()
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
