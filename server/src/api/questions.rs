//! `/api/v1/questions/*`: the question bank (organizers and admins).

use super::{Actor, ErrorBody, XLSX, download};
use app::error::AppError;
use app::infra::state::AppState;
use app::quiz::bank::{self, ImportFormat};
use app::quiz::model::{BankQuestion, QuestionImportPreview, QuestionInput};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/questions", get(list).post(create))
        .route("/api/v1/questions/import", post(import))
        .route("/api/v1/questions/export", get(export))
        .route("/api/v1/questions/import-template", get(template))
        .route("/api/v1/questions/{id}", get(get_one).put(update))
        .route("/api/v1/questions/{id}/retire", post(retire))
        .route("/api/v1/questions/{id}/restore", post(restore))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Words of the topic or text, accents optional.
    #[serde(default)]
    q: String,
    topic: Option<String>,
    #[serde(default)]
    include_retired: bool,
}

#[utoipa::path(get, path = "/api/v1/questions", tag = "questions", params(ListQuery),
    responses((status = 200, description = "Current versions, answer keys included (organizers only)", body = Vec<BankQuestion>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, actor: Actor, Query(q): Query<ListQuery>) -> Result<Json<Vec<BankQuestion>>, AppError> {
    Ok(Json(bank::search(&state, &actor.required()?, &q.q, q.topic.as_deref().filter(|t| !t.is_empty()), q.include_retired).await?))
}

#[utoipa::path(post, path = "/api/v1/questions", tag = "questions", request_body = QuestionInput,
    responses((status = 201, body = BankQuestion), (status = 422, body = ErrorBody)))]
pub async fn create(State(state): State<AppState>, actor: Actor, Json(input): Json<QuestionInput>) -> Result<(StatusCode, Json<BankQuestion>), AppError> {
    Ok((StatusCode::CREATED, Json(bank::create(&state, &actor.required()?, input).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VersionQuery {
    /// A past version; the current one without it.
    version: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/questions/{id}", tag = "questions", params(("id" = i64, Path), VersionQuery),
    responses((status = 200, body = BankQuestion), (status = 404, body = ErrorBody)))]
pub async fn get_one(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Query(v): Query<VersionQuery>) -> Result<Json<BankQuestion>, AppError> {
    Ok(Json(bank::get(&state, &actor.required()?, id, v.version).await?))
}

#[utoipa::path(put, path = "/api/v1/questions/{id}", tag = "questions", params(("id" = i64, Path)), request_body = QuestionInput,
    responses((status = 200, description = "Saved as a new version; earlier versions are kept", body = BankQuestion), (status = 422, body = ErrorBody)))]
pub async fn update(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(input): Json<QuestionInput>) -> Result<Json<BankQuestion>, AppError> {
    Ok(Json(bank::update(&state, &actor.required()?, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/questions/{id}/retire", tag = "questions", params(("id" = i64, Path)), responses((status = 200, body = BankQuestion)))]
pub async fn retire(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<BankQuestion>, AppError> {
    Ok(Json(bank::set_retired(&state, &actor.required()?, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/questions/{id}/restore", tag = "questions", params(("id" = i64, Path)), responses((status = 200, body = BankQuestion)))]
pub async fn restore(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<BankQuestion>, AppError> {
    Ok(Json(bank::set_retired(&state, &actor.required()?, id, false).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// gift, aiken, moodle-xml (or xml), csv or xlsx.
    format: String,
    /// `true` (default) only previews.
    dry_run: Option<bool>,
    /// Topic for questions whose file does not name one (Aiken; GIFT and Moodle XML questions
    /// outside a Moodle category).
    #[serde(default)]
    topic: String,
}

#[utoipa::path(post, path = "/api/v1/questions/import", tag = "questions", params(ImportQuery),
    request_body(content = Vec<u8>, description = "The file", content_type = "application/octet-stream"),
    responses((status = 200, body = QuestionImportPreview), (status = 422, description = "Problems by line (a preview), or a refused parameter (an error); nothing was added", body = ImportRefusal)))]
pub async fn import(State(state): State<AppState>, actor: Actor, Query(q): Query<ImportQuery>, body: Bytes) -> Result<Response, AppError> {
    let user = actor.required()?;
    let format = ImportFormat::parse(&q.format).ok_or_else(|| AppError::field("format", "err.import_format"))?;
    let preview = bank::import(&state, &user, format, &body, q.topic.trim(), !q.dry_run.unwrap_or(true)).await?;
    let status = if preview.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(preview)).into_response())
}

/// A refused question import: the preview with its problems by line, or, when the request
/// itself is wrong (an unknown format), the usual error.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // describes the answer in the API document; the handler writes its parts
pub enum ImportRefusal {
    Preview(QuestionImportPreview),
    Error(super::ErrorBody),
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `xlsx` (default), `gift`, or `moodle-xml` (also `xml`): Moodle XML with a category per
    /// topic and the difficulty as a `difficulty:…` tag.
    format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/questions/export", tag = "questions", params(ExportQuery),
    responses((status = 200, description = "The bank as XLSX, GIFT text with `format=gift`, or Moodle XML with `format=moodle-xml`", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/plain"), ("application/xml")))))]
pub async fn export(State(state): State<AppState>, actor: Actor, Query(q): Query<ExportQuery>) -> Result<Response, AppError> {
    let questions = bank::search(&state, &actor.required()?, "", None, false).await?;
    Ok(match q.format.as_deref() {
        Some("gift") => download("text/plain; charset=utf-8", "ngan-hang-cau-hoi.gift.txt", bank::to_gift(&questions)),
        Some("moodle-xml" | "moodle_xml" | "xml") => download("application/xml; charset=utf-8", "ngan-hang-cau-hoi.moodle.xml", bank::to_moodle_xml(&questions)),
        _ => download(XLSX, "ngan-hang-cau-hoi.xlsx", state.reports.render(move || bank::to_xlsx(&questions)).await?.map_err(AppError::internal)?),
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct TemplateQuery {
    /// `xlsx` (default) or `csv`.
    format: Option<String>,
}

/// Vietnamese headers and one example row; the allowed values of the coded columns on a second
/// sheet (XLSX) or as `#` note lines after the example (CSV), which the import skips.
#[utoipa::path(get, path = "/api/v1/questions/import-template", tag = "questions", params(TemplateQuery),
    responses((status = 200, description = "The import template: XLSX, or CSV with `format=csv`", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("text/csv")))))]
pub async fn template(Query(q): Query<TemplateQuery>) -> Result<Response, AppError> {
    Ok(match q.format.as_deref() {
        Some("csv") => download("text/csv; charset=utf-8", "mau-cau-hoi.csv", app::quiz::formats::table::csv_template()),
        _ => download(XLSX, "mau-cau-hoi.xlsx", bank::template_xlsx().map_err(AppError::internal)?),
    })
}
