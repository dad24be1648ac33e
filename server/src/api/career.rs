//! `GET`/`PUT /me/career`: the signed-in engineer's education, jobs and qualifications.

use app::state::AppState;
use axum::extract::State;
use axum::Json;
use domain::account::UserRole;
use domain::career::{Career, CareerDraft, EducationDraft, EmploymentDraft, QualificationDraft};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// A school or university attended.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EducationBody {
    /// `diploma`, `bachelors`, `masters`, `mba_or_mot` or `doctorate`.
    pub level: String,
    pub field: String,
    pub institution: String,
    /// ISO 3166-1 alpha-2 (`IN`, `JP`).
    pub country: String,
    /// `YYYY-MM`.
    pub started: String,
    /// `YYYY-MM`; absent while studying.
    #[serde(default)]
    pub ended: Option<String>,
}

/// A job held.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EmploymentBody {
    pub employer: String,
    pub country: String,
    pub title: String,
    /// `YYYY-MM`.
    pub started: String,
    /// `YYYY-MM`; absent for the current job.
    #[serde(default)]
    pub ended: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Skills used, by taxonomy id or name in any language; answered as ids, with skills the
    /// taxonomy does not know as written.
    #[serde(default)]
    pub skills: Vec<String>,
}

/// A qualification.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QualificationBody {
    /// `japanese_it`, `nielit`, `jlpt`, `foreign`, `patent` or `paper`.
    pub kind: String,
    /// The IPA examination's code (`fe`, `ap`, …) or Japanese name, the NIELIT level, the JLPT
    /// level (`N2`), or the name or title for the other kinds.
    pub name: String,
    /// `YYYY-MM`.
    pub obtained: String,
    /// Certificate, patent or DOI number.
    #[serde(default)]
    pub identifier: Option<String>,
}

/// Education, jobs and qualifications. The same rules as the career page apply.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct CareerBody {
    #[serde(default)]
    pub education: Vec<EducationBody>,
    #[serde(default)]
    pub employment: Vec<EmploymentBody>,
    #[serde(default)]
    pub qualifications: Vec<QualificationBody>,
}

/// A skill name may not carry the form's separator: the API sends a list, the form one line.
fn skills_line(skills: Vec<String>) -> String {
    skills.join(", ")
}

impl CareerBody {
    /// The draft the career form submits, so the API and the page share every rule.
    fn into_draft(self) -> CareerDraft {
        CareerDraft {
            education: self
                .education
                .into_iter()
                .map(|e| EducationDraft {
                    level: e.level,
                    field: e.field,
                    institution: e.institution,
                    country: e.country,
                    started: e.started,
                    ended: e.ended.unwrap_or_default(),
                })
                .collect(),
            employment: self
                .employment
                .into_iter()
                .map(|j| EmploymentDraft {
                    employer: j.employer,
                    country: j.country,
                    title: j.title,
                    started: j.started,
                    ended: j.ended.unwrap_or_default(),
                    description: j.description.unwrap_or_default(),
                    skills: skills_line(j.skills),
                })
                .collect(),
            qualifications: self
                .qualifications
                .into_iter()
                .map(|q| QualificationDraft {
                    kind: q.kind,
                    name: q.name,
                    obtained: q.obtained,
                    identifier: q.identifier.unwrap_or_default(),
                })
                .collect(),
        }
    }

    fn of(career: Career) -> CareerBody {
        CareerBody {
            education: career
                .education
                .into_iter()
                .map(|e| EducationBody {
                    level: e.level.code().to_owned(),
                    field: e.field,
                    institution: e.institution,
                    country: e.country,
                    started: e.started.to_string(),
                    ended: e.ended.map(|m| m.to_string()),
                })
                .collect(),
            employment: career
                .employment
                .into_iter()
                .map(|j| EmploymentBody {
                    employer: j.employer,
                    country: j.country,
                    title: j.title,
                    started: j.started.to_string(),
                    ended: j.ended.map(|m| m.to_string()),
                    description: j.description,
                    skills: j
                        .skills
                        .iter()
                        .map(|s| s.as_str().to_owned())
                        .chain(j.free_skills)
                        .collect(),
                })
                .collect(),
            qualifications: career
                .qualifications
                .into_iter()
                .map(|q| QualificationBody {
                    kind: q.kind.code().to_owned(),
                    name: q.name,
                    obtained: q.obtained.to_string(),
                    identifier: q.identifier,
                })
                .collect(),
        }
    }
}

/// The signed-in engineer's education, jobs and qualifications.
#[utoipa::path(get, path = "/api/v1/me/career", tag = "profile",
    responses(
        (status = 200, description = "The career", body = CareerBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile saved yet", body = super::error::ErrorBody),
    ))]
pub async fn get_career(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<CareerBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let career = app::career::server::load(&state.db, user.id)
        .await
        .in_language(lang)?;
    Ok(Json(CareerBody::of(career)))
}

/// Replaces the signed-in engineer's education, jobs and qualifications.
#[utoipa::path(put, path = "/api/v1/me/career", request_body = CareerBody, tag = "profile",
    responses(
        (status = 200, description = "Saved; the career as stored", body = CareerBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile saved yet", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn put_career(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<CareerBody>,
) -> Result<Json<CareerBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let today = domain::time::japan_date(chrono::Utc::now());
    let career = body
        .into_draft()
        .parse(&state.taxonomy, today)
        .map_err(app::error::AppError::from)
        .in_language(lang)?;
    app::career::server::save(&state.db, user.id, &career)
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    Ok(Json(CareerBody::of(career)))
}
