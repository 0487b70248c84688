//! `/api/v1/units/*`: the unit tree.

use super::{Actor, ErrorBody, XLSX, download};
use app::error::AppError;
use app::infra::state::AppState;
use app::units::model::{ImportPreview, NewUnit, Unit, UnitChanges, UnitEvent, UnitNode};
use app::units::{imports, service, transfer};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/units", get(list).post(create))
        .route("/api/v1/units/export", get(export))
        .route("/api/v1/units/import-template", get(import_template))
        .route("/api/v1/units/import", post(import))
        .route("/api/v1/units/{id}", get(get_one).patch(update))
        .route("/api/v1/units/{id}/history", get(history))
        .route("/api/v1/units/{id}/move", post(move_unit))
        .route("/api/v1/units/{id}/merge", post(merge))
        .route("/api/v1/units/{id}/retire", get(retire_facts).post(retire))
        .route("/api/v1/units/{id}/reinstate", post(reinstate))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Part of the name (accents optional) or an exact code.
    #[serde(default)]
    q: String,
    /// Include retired and merged units (organizers only).
    #[serde(default)]
    include_inactive: bool,
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units", params(ListQuery), responses((status = 200, body = Vec<UnitNode>)))]
pub async fn list(State(state): State<AppState>, actor: Actor, Query(q): Query<ListQuery>) -> Result<Json<Vec<UnitNode>>, AppError> {
    Ok(Json(service::list(&state, actor.0.as_ref(), &q.q, q.include_inactive).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, description = "Also answers for retired and merged units, so old records resolve", body = Unit), (status = 404, body = ErrorBody)))]
pub async fn get_one(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::get(&state, id).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}/history", tag = "units", params(("id" = i64, Path)), responses((status = 200, body = Vec<UnitEvent>)))]
pub async fn history(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Vec<UnitEvent>>, AppError> {
    Ok(Json(service::history(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = NewUnit,
    responses((status = 201, body = Unit), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(State(state): State<AppState>, actor: Actor, Json(input): Json<NewUnit>) -> Result<(StatusCode, Json<Unit>), AppError> {
    Ok((StatusCode::CREATED, Json(service::create(&state, &actor.required()?, input).await?)))
}

#[utoipa::path(patch, path = "/api/v1/units/{id}", tag = "units", params(("id" = i64, Path)), request_body = UnitChanges,
    responses((status = 200, body = Unit), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(changes): Json<UnitChanges>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::update(&state, &actor.required()?, id, changes).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MoveBody {
    parent_id: i64,
}

#[utoipa::path(post, path = "/api/v1/units/{id}/move", tag = "units", params(("id" = i64, Path)), request_body = MoveBody,
    responses((status = 200, body = Unit), (status = 422, body = ErrorBody)))]
pub async fn move_unit(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<MoveBody>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::move_unit(&state, &actor.required()?, id, body.parent_id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MergeBody {
    target_id: i64,
}

#[utoipa::path(post, path = "/api/v1/units/{id}/merge", tag = "units", params(("id" = i64, Path, description = "The unit being merged")), request_body = MergeBody,
    responses((status = 200, description = "The receiving unit", body = Unit), (status = 422, body = ErrorBody)))]
pub async fn merge(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>, Json(body): Json<MergeBody>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::merge(&state, &actor.required()?, id, body.target_id).await?))
}

#[utoipa::path(post, path = "/api/v1/units/{id}/retire", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, body = Unit), (status = 409, body = ErrorBody)))]
pub async fn retire(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::retire(&state, &actor.required()?, id).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{id}/retire", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, description = "What retiring the unit would touch: active sub-units (it cannot be retired while it has any), accounts registered in it and its roster entries (both kept, counted for no unit while it is retired)", body = app::units::model::RetireFacts),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retire_facts(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<app::units::model::RetireFacts>, AppError> {
    Ok(Json(service::retire_facts(&state, &actor.required()?, id).await?))
}

#[utoipa::path(post, path = "/api/v1/units/{id}/reinstate", tag = "units", params(("id" = i64, Path)),
    responses((status = 200, description = "The retired unit is active again, under its parent (recorded in its history)", body = Unit),
        (status = 404, body = ErrorBody), (status = 409, description = "The unit is not retired, or its parent is no longer active", body = ErrorBody)))]
pub async fn reinstate(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> Result<Json<Unit>, AppError> {
    Ok(Json(service::reinstate(&state, &actor.required()?, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
    /// `people` (default): Vietnamese headers and labels, readable and importable back;
    /// `codes`: the machine columns and codes (code, name, parent_code, block, headcount,
    /// kind, status, merged_into_code, staff, staff_source).
    #[serde(default)]
    headers: app::cells::Headers,
}

#[utoipa::path(get, path = "/api/v1/units/export", tag = "units", params(ExportQuery),
    responses((status = 200, description = "The whole tree, retired and merged units included, with each unit's staff count and its source (roster or declared); Vietnamese headers and labels unless `headers=codes`", content_type = "text/csv"), (status = 403, body = ErrorBody)))]
pub async fn export(State(state): State<AppState>, actor: Actor, Query(q): Query<ExportQuery>) -> Result<Response, AppError> {
    let user = actor.required()?;
    app::policy::organizer(&user)?;
    let nodes = service::list(&state, Some(&user), "", true).await?;
    Ok(match q.format.as_deref() {
        Some("xlsx") => download(XLSX, "don-vi.xlsx", state.reports.render(move || transfer::to_xlsx(&nodes, q.headers)).await?.map_err(AppError::internal)?),
        _ => download("text/csv; charset=utf-8", "don-vi.csv", transfer::to_csv(&nodes, q.headers)),
    })
}

#[utoipa::path(get, path = "/api/v1/units/import-template", tag = "units", responses((status = 200, content_type = "text/csv")))]
pub async fn import_template() -> Response {
    download("text/csv; charset=utf-8", "mau-nhap-don-vi.csv", transfer::template_csv())
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// `true` (default) only previews; `false` applies when the preview has no errors.
    dry_run: Option<bool>,
    filename: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/units/import", tag = "units", params(ImportQuery),
    request_body(content = Vec<u8>, description = "A CSV (UTF-8) or XLSX file", content_type = "application/octet-stream"),
    responses((status = 200, body = ImportPreview), (status = 422, description = "Errors by line; nothing was changed", body = ImportPreview)))]
pub async fn import(State(state): State<AppState>, actor: Actor, Query(q): Query<ImportQuery>, body: Bytes) -> Result<Response, AppError> {
    let user = actor.required()?;
    let filename = q.filename.unwrap_or_else(|| "upload".into());
    let preview = if q.dry_run.unwrap_or(true) {
        imports::dry_run(&state, &user, &filename, &body).await?
    } else {
        imports::apply_bytes(&state, &user, &filename, &body).await?
    };
    let status = if preview.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(preview)).into_response())
}
