//! The engineer's application documents as PDF (`GET /me/documents/{file}`: `rirekisho.pdf`,
//! `shokumu-keirekisho.pdf`, `cv.pdf`), and what they are written from besides the profile and
//! the career (`GET`/`PUT /me/document-details`).

use std::sync::OnceLock;

use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use documents::Fonts;
use domain::account::UserRole;
use domain::documents::{DocumentDetailsDraft, DocumentKind};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tower_sessions::Session;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};
use app::error::AppError;

/// The fonts, read on first use: Debian's IPAex fonts and Lohit Devanagari, or the files
/// `SETUBASHI_FONT_GOTHIC`, `SETUBASHI_FONT_MINCHO` and `SETUBASHI_FONT_DEVANAGARI` name.
fn fonts() -> Result<&'static Fonts, AppError> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let gothic = std::env::var("SETUBASHI_FONT_GOTHIC")
                .unwrap_or_else(|_| documents::DEBIAN_GOTHIC.to_owned());
            let mincho = std::env::var("SETUBASHI_FONT_MINCHO")
                .unwrap_or_else(|_| documents::DEBIAN_MINCHO.to_owned());
            let devanagari = std::env::var("SETUBASHI_FONT_DEVANAGARI")
                .unwrap_or_else(|_| documents::DEBIAN_DEVANAGARI.to_owned());
            let devanagari = std::path::Path::new(&devanagari);
            if !devanagari.exists() {
                tracing::warn!(
                    "no Devanagari font: install Debian's fonts-lohit-deva for Hindi in documents"
                );
            }
            Fonts::from_files(
                gothic.as_ref(),
                mincho.as_ref(),
                devanagari.exists().then_some(devanagari),
            )
            .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            tracing::error!(error = %e, "documents need fonts: install Debian's fonts-ipaexfont");
            AppError::Internal
        })
}

/// One of the signed-in engineer's documents, written now from what they saved.
#[utoipa::path(get, path = "/api/v1/me/documents/{file}", tag = "profile",
    params(("file" = String, Path, description = "`rirekisho.pdf`, `shokumu-keirekisho.pdf` or `cv.pdf`")),
    responses(
        (status = 200, description = "The document", content_type = "application/pdf"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No such document, or no profile saved yet", body = super::error::ErrorBody),
    ))]
pub async fn get_document(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let kind = file
        .strip_suffix(".pdf")
        .and_then(DocumentKind::from_slug)
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    let pdf = write(&state, user.id, true, kind).await.in_language(lang)?;
    Ok(pdf_response(kind, pdf))
}

/// The PDF as a download that no shared cache keeps.
pub fn pdf_response(kind: DocumentKind, pdf: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.pdf\"", kind.slug()),
            ),
            // personal data: never kept by a shared cache
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response()
}

/// Writes one of an engineer's documents now from what they saved; without the address,
/// telephone and e-mail unless `with_contact`.
pub async fn write(
    state: &AppState,
    engineer_id: i32,
    with_contact: bool,
    kind: DocumentKind,
) -> Result<Vec<u8>, AppError> {
    use app::db::entities::{engineer_profile, profile_photo, profile_skill, user};
    let profile = engineer_profile::Entity::find_by_id(engineer_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let email = if with_contact {
        user::Entity::find_by_id(engineer_id)
            .one(&state.db)
            .await?
            .map(|u| u.email)
            .unwrap_or_default()
    } else {
        String::new()
    };
    let typed: Vec<_> = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(engineer_id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(app::indexing::skill_years)
        .collect();
    // the skills' years as matching reads them: the work history's where it names them
    let skills = app::indexing::engineer_facts(&profile, typed).skills;
    let free_skills: Vec<(String, u8)> = profile
        .free_skills()
        .into_iter()
        .map(|s| (s.name, s.years))
        .collect();
    let (mut details, career) = (profile.document_details(), profile.career());
    if !with_contact {
        details.postal_code = None;
        details.address = None;
        details.phone = None;
    }
    let photo = profile_photo::Entity::find_by_id(engineer_id)
        .one(&state.db)
        .await?
        .and_then(|p| {
            Some(documents::Photo {
                kind: documents::PhotoKind::sniff(&p.bytes)?,
                bytes: std::sync::Arc::new(p.bytes),
            })
        });
    let fonts = fonts()?;
    let taxonomy = state.taxonomy.clone();
    tokio::task::spawn_blocking(move || {
        let applicant = documents::Applicant {
            name: &profile.full_name,
            email: &email,
            date_of_birth: profile.date_of_birth,
            details: &details,
            career: &career,
            skills: &skills,
            free_skills: &free_skills,
            taxonomy: &taxonomy,
            today: domain::time::japan_date(chrono::Utc::now()),
            photo: photo.as_ref(),
        };
        documents::render(kind, &applicant, fonts)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "a document could not be written");
        AppError::Internal
    })
}

/// The documents' personal block and free-text boxes (the name in katakana, address,
/// telephone, 志望の動機, 本人希望記入欄, 職務要約, 自己PR, years in 西暦 or 和暦).
#[utoipa::path(get, path = "/api/v1/me/document-details", tag = "profile",
    responses(
        (status = 200, description = "The details", body = DocumentDetailsBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile saved yet", body = super::error::ErrorBody),
    ))]
pub async fn get_details(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<DocumentDetailsBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let details = app::career::server::load_details(&state.db, user.id)
        .await
        .in_language(lang)?;
    Ok(Json(DocumentDetailsBody::of(details.to_draft())))
}

/// Replaces the documents' details.
#[utoipa::path(put, path = "/api/v1/me/document-details", request_body = DocumentDetailsBody, tag = "profile",
    responses(
        (status = 200, description = "Saved", body = DocumentDetailsBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile saved yet", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn put_details(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<DocumentDetailsBody>,
) -> Result<Json<DocumentDetailsBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let details = body
        .into_draft()
        .parse()
        .map_err(AppError::from)
        .in_language(lang)?;
    app::career::server::save_details(&state.db, user.id, &details)
        .await
        .in_language(lang)?;
    Ok(Json(DocumentDetailsBody::of(details.to_draft())))
}

/// The details as sent and answered; every field optional text.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DocumentDetailsBody {
    /// The name in katakana (フリガナ).
    #[serde(default)]
    pub name_kana: Option<String>,
    #[serde(default)]
    pub postal_code: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// 志望の動機・特技・アピールポイント.
    #[serde(default)]
    pub motivation: Option<String>,
    /// 本人希望記入欄.
    #[serde(default)]
    pub wishes: Option<String>,
    /// 職務要約.
    #[serde(default)]
    pub career_summary: Option<String>,
    /// 自己PR.
    #[serde(default)]
    pub self_pr: Option<String>,
    /// `western` (2026年) or `japanese` (令和8年).
    #[serde(default)]
    pub era: Option<String>,
}

impl DocumentDetailsBody {
    fn into_draft(self) -> DocumentDetailsDraft {
        DocumentDetailsDraft {
            name_kana: self.name_kana.unwrap_or_default(),
            postal_code: self.postal_code.unwrap_or_default(),
            address: self.address.unwrap_or_default(),
            phone: self.phone.unwrap_or_default(),
            motivation: self.motivation.unwrap_or_default(),
            wishes: self.wishes.unwrap_or_default(),
            career_summary: self.career_summary.unwrap_or_default(),
            self_pr: self.self_pr.unwrap_or_default(),
            era: self.era.unwrap_or_default(),
        }
    }

    fn of(draft: DocumentDetailsDraft) -> DocumentDetailsBody {
        let some = |s: String| (!s.is_empty()).then_some(s);
        DocumentDetailsBody {
            name_kana: some(draft.name_kana),
            postal_code: some(draft.postal_code),
            address: some(draft.address),
            phone: some(draft.phone),
            motivation: some(draft.motivation),
            wishes: some(draft.wishes),
            career_summary: some(draft.career_summary),
            self_pr: some(draft.self_pr),
            era: some(draft.era),
        }
    }
}
