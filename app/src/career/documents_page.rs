//! The documents page: the 履歴書's personal block and the free-text boxes, what each document
//! still lacks, and the three downloads.

use domain::documents::DocumentDetailsDraft;
use leptos::prelude::*;

use super::api::{load_document_details, DocumentsEditor, SaveDocumentDetails};
use crate::components::{Choice, FormStatus, PageTitle, SelectField, TextArea, TextField};
use crate::forms::{current_error, succeeded, take_plain_submission, PlainSubmission};
use crate::i18n::{t, use_lang};
use crate::PageError;

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let lang = use_lang();
    let editor = Resource::new(|| (), |_| load_document_details());
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("save_document_details".to_owned()),
    );
    view! {
        <PageTitle text=t(lang, "documents.title") />
        <h1>{t(lang, "documents.title")}</h1>
        <p class="hint">{t(lang, "documents.intro")}</p>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                editor.get().map(|result| match result {
                    Ok(editor) => view! { <DocumentsForm editor failed /> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! {
                        <p class="alert alert-info">{t(lang, "career.profile_first")}" "<a href="/profile">{t(lang, "nav.profile")}</a></p>
                    }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

/// The 履歴書's photo: what is kept, an upload form and a remove button. Plain forms (the
/// upload is multipart), answered by the server with a redirect back here saying what happened.
#[component]
fn PhotoSection(has_photo: bool) -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let outcome = move || query.read().get("photo");
    view! {
        <section class="photo" aria-labelledby="photo-heading">
            <h2 id="photo-heading">{t(lang, "documents.photo")}</h2>
            <p class="hint">{t(lang, "documents.photo_hint")}</p>
            {move || outcome().map(|code| {
                let (class, key) = match code.as_str() {
                    "saved" => ("alert alert-success", "documents.photo_saved"),
                    "removed" => ("alert alert-success", "documents.photo_removed"),
                    "missing" => ("alert alert-error", "documents.photo_missing"),
                    _ => ("alert alert-error", "errors.not_a_photo"),
                };
                view! { <p class=class role="status" data-outcome=code>{t(lang, key)}</p> }
            })}
            {has_photo.then(|| view! {
                <img class="photo-preview" src="/api/v1/me/photo" alt=t(lang, "documents.photo_alt") width="90" height="120" />
            })}
            <form method="post" action="/profile/photo" enctype="multipart/form-data" class="form photo-form">
                <div class="field">
                    <label for="photo-file">{t(lang, "documents.photo_file")}</label>
                    <input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png" required />
                </div>
                <button type="submit" class="button">{t(lang, "documents.photo_upload")}</button>
            </form>
            {has_photo.then(|| view! {
                <form method="post" action="/profile/photo/delete" class="inline-form photo-remove">
                    <button type="submit" class="link-button">{t(lang, "documents.photo_remove")}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn DocumentsForm(editor: DocumentsEditor, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveDocumentDetails>::new();
    let saved = succeeded(action.value(), failed.as_ref());
    let DocumentsEditor {
        draft,
        kana_suggestion,
        missing,
        has_photo,
    } = editor;
    let DocumentDetailsDraft {
        name_kana,
        postal_code,
        address,
        phone,
        motivation,
        wishes,
        career_summary,
        self_pr,
        era,
    } = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or(draft);
    let error = current_error(action.value(), failed);
    // a reading is offered, never saved unasked: the person confirms it
    let name_kana = if name_kana.is_empty() {
        kana_suggestion
    } else {
        name_kana
    };
    let eras = vec![
        Choice::new("western", t(lang, "documents.eras.western")),
        Choice::new("japanese", t(lang, "documents.eras.japanese")),
    ];
    let downloads: Vec<AnyView> = missing
        .into_iter()
        .map(|(slug, lacks)| {
            let lacking = lacks
                .iter()
                .map(|m| t(lang, &format!("documents.missing.{m}")))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <li>
                    <a href=format!("/api/v1/me/documents/{slug}.pdf") download="">{t(lang, &format!("documents.kinds.{slug}"))}</a>
                    {(!lacks.is_empty()).then(|| view! { <span class="muted">" — "{t(lang, "documents.lacks")}" "{lacking}</span> })}
                </li>
            }
            .into_any()
        })
        .collect();
    view! {
        <section aria-labelledby="downloads-heading">
            <h2 id="downloads-heading">{t(lang, "documents.downloads")}</h2>
            <ul class="downloads">{downloads}</ul>
            <p><a href="/profile/career">{t(lang, "career.link")}</a></p>
        </section>
        <PhotoSection has_photo />
        <ActionForm action=action attr:class="form documents-form" attr:novalidate="true">
            <fieldset>
                <legend>{t(lang, "documents.personal")}</legend>
                <TextField argument="draft" field="name_kana" label="documents.name_kana" value=name_kana hint="documents.name_kana_hint" error=error />
                <TextField argument="draft" field="postal_code" label="documents.postal_code" value=postal_code autocomplete="postal-code" error=error />
                <TextField argument="draft" field="address" label="documents.address" value=address autocomplete="street-address" error=error />
                <TextField argument="draft" field="phone" label="documents.phone" value=phone kind="tel" autocomplete="tel" error=error />
                <SelectField argument="draft" field="era" label="documents.era" choices=eras selected=era error=error />
            </fieldset>
            <fieldset>
                <legend>{t(lang, "documents.texts")}</legend>
                <TextArea argument="draft" field="motivation" label="documents.motivation" value=motivation error=error />
                <TextArea argument="draft" field="wishes" label="documents.wishes" value=wishes error=error />
                <TextArea argument="draft" field="career_summary" label="documents.career_summary" value=career_summary error=error />
                <TextArea argument="draft" field="self_pr" label="documents.self_pr" value=self_pr error=error />
            </fieldset>
            <FormStatus error=error saved=saved saved_message="documents.saved" />
            <button type="submit" class="button primary">{t(lang, "common.save")}</button>
        </ActionForm>
    }
}
