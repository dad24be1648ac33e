//! Server functions for the engineer's own career.

use domain::career::CareerDraft;
use leptos::prelude::*;

use crate::error::AppResult;

/// The signed-in engineer's career as the form's values (engineers with a saved profile).
#[server(endpoint = "load_career")]
pub async fn load_career() -> AppResult<CareerDraft> {
    crate::auth::server::with_status("load_career", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let lang = crate::auth::server::request_language();
        let career = super::server::load(&state.db, user.id).await?;
        Ok(career.to_draft(&state.taxonomy, lang))
    })
    .await
}

/// Saves the signed-in engineer's career (engineers with a saved profile).
#[server(endpoint = "save_career")]
pub async fn save_career(draft: CareerDraft) -> AppResult<()> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_career", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let today = domain::time::japan_date(chrono::Utc::now());
        let career = draft.parse(&state.taxonomy, today)?;
        super::server::save(&state.db, user.id, &career).await?;
        state.indexer.sync().await;
        Ok(())
    })
    .await
}

/// What the documents page shows: the details as form values, a katakana reading of the name
/// to offer when none is confirmed yet, and what each document still lacks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocumentsEditor {
    pub draft: domain::documents::DocumentDetailsDraft,
    pub kana_suggestion: String,
    /// (document slug, missing item codes).
    pub missing: Vec<(String, Vec<String>)>,
    /// Whether a photo is kept for the 履歴書.
    pub has_photo: bool,
}

/// The signed-in engineer's document details (engineers with a saved profile).
#[server(endpoint = "load_document_details")]
pub async fn load_document_details() -> AppResult<DocumentsEditor> {
    crate::auth::server::with_status(
        "load_document_details",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            use domain::documents::{katakana_suggestion, missing_for, DocumentKind};
            let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
            use sea_orm::EntityTrait;
            let profile = crate::db::entities::engineer_profile::Entity::find_by_id(user.id)
                .one(&state.db)
                .await?
                .ok_or(crate::error::AppError::NotFound)?;
            let details = profile.document_details();
            let career = profile.career();
            let missing = DocumentKind::ALL
                .into_iter()
                .map(|kind| {
                    (
                        kind.slug().to_owned(),
                        missing_for(kind, &details, &career, profile.date_of_birth.is_some())
                            .into_iter()
                            .map(|m| m.code().to_owned())
                            .collect(),
                    )
                })
                .collect();
            let has_photo = crate::db::entities::profile_photo::Entity::find_by_id(user.id)
                .one(&state.db)
                .await?
                .is_some();
            Ok(DocumentsEditor {
                has_photo,
                draft: details.to_draft(),
                kana_suggestion: katakana_suggestion(&profile.full_name),
                missing,
            })
        },
    )
    .await
}

/// Saves the signed-in engineer's document details.
#[server(endpoint = "save_document_details")]
pub async fn save_document_details(
    draft: domain::documents::DocumentDetailsDraft,
) -> AppResult<()> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_document_details", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let details = draft.parse()?;
        super::server::save_details(&state.db, user.id, &details).await?;
        Ok(())
    })
    .await
}
