//! The employer's organisation page.

use leptos::prelude::*;

use super::api::{load_organisation, OrganisationView, SaveOrganisation};
use crate::auth::pages::{prefecture_choices, sector_choices, size_choices};
use crate::components::{succeeded, FormStatus, PageTitle, SelectField, TextField};
use crate::forms::{current_error, take_failed_submission, FailedSubmission};
use crate::i18n::{t, use_lang};
use crate::PageError;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let lang = use_lang();
    let org = Resource::new(|| (), |_| load_organisation());
    let failed = Resource::new(
        || (),
        |_| take_failed_submission("save_organisation".to_owned()),
    );
    view! {
        <PageTitle text=t(lang, "organisation.title") />
        <h1>{t(lang, "organisation.title")}</h1>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                org.get().map(|result| match result {
                    Ok(view) => view! { <OrganisationForm org=view failed /> }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrganisationForm(org: OrganisationView, failed: Option<FailedSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveOrganisation>::new();
    let saved = succeeded(action.value());
    let draft = failed
        .as_ref()
        .and_then(FailedSubmission::values_as)
        .unwrap_or(org.draft);
    let error = current_error(action.value(), failed);
    let status = if org.verified {
        view! { <p class="badge verified">{t(lang, "organisation.verified")}</p> }.into_any()
    } else {
        view! { <p class="alert alert-info">{t(lang, "organisation.unverified")}</p> }.into_any()
    };
    view! {
        {status}
        <ActionForm action=action attr:class="form organisation-form" attr:novalidate="true">
            <TextField argument="draft" field="name_ja" label="organisation.name_ja" value=draft.name_ja error=error />
            <TextField argument="draft" field="name_en" label="organisation.name_en" value=draft.name_en error=error />
            <SelectField argument="draft" field="prefecture" label="organisation.prefecture" choices=prefecture_choices(lang) selected=draft.prefecture required=true error=error />
            <SelectField argument="draft" field="sector" label="organisation.sector" choices=sector_choices(lang) selected=draft.sector required=true error=error />
            <SelectField argument="draft" field="size" label="organisation.size" choices=size_choices(lang) selected=draft.size required=true error=error />
            <FormStatus error=error saved=saved saved_message="organisation.saved" />
            <button type="submit" class="button primary">{t(lang, "common.save")}</button>
        </ActionForm>
        <p><a href="/roles/new" class="button">{t(lang, "nav.post_role")}</a></p>
    }
}
