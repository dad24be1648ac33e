//! The saved searches page (`/searches`) and the "save this search" form on the job board and
//! the talent pool.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    list_saved_searches, DeleteSavedSearch, OpenSavedSearch, SaveSearch, SavedSearchView,
};
use crate::components::PageTitle;
use crate::components::{error_of, FieldProblems};
use crate::i18n::{t, t_with, use_lang};
use crate::PageError;
use domain::saved_search::Frequency;

#[component]
pub fn SavedSearchesPage() -> impl IntoView {
    let lang = use_lang();
    let delete = ServerAction::<DeleteSavedSearch>::new();
    let list = Resource::new(move || delete.version().get(), |_| list_saved_searches());
    let saved = use_query_map().read_untracked().get("saved").is_some();
    view! {
        <PageTitle text=t(lang, "searches.title") />
        <h1>{t(lang, "searches.title")}</h1>
        {saved.then(|| view! { <p class="alert alert-success" role="status">{t(lang, "searches.saved")}</p> })}
        <p class="muted">{t(lang, "searches.lead")}</p>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || list.get().map(|result| match result {
                Ok(searches) if searches.is_empty() => view! { <p>{t(lang, "searches.none")}</p> }.into_any(),
                Ok(searches) => view! {
                    <ul class="saved-searches">
                        {searches.into_iter().map(|s| view! { <SavedSearchItem search=s delete /> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SavedSearchItem(
    search: SavedSearchView,
    delete: ServerAction<DeleteSavedSearch>,
) -> impl IntoView {
    let lang = use_lang();
    let open = ServerAction::<OpenSavedSearch>::new();
    let s = search;
    let new = t_with(
        lang,
        "searches.new_count",
        &[("count", &s.new_count.to_string())],
    );
    let mail = t(lang, &format!("searches.frequency_{}", s.frequency));
    let threshold = s
        .min_score
        .map(|m| t_with(lang, "searches.min_score_is", &[("score", &m.to_string())]));
    view! {
        <li class="saved-search" data-new=s.new_count.to_string()>
            <h2><a href=s.link.clone()>{s.name.clone()}</a></h2>
            <p class="muted">{t(lang, &format!("searches.kind_{}", s.kind))}" · "{mail}{threshold.map(|t| format!(" · {t}"))}</p>
            <p class="new-count"><strong>{new}</strong></p>
            {(!s.new_names.is_empty()).then(|| view! {
                <ul class="new-names">{s.new_names.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
            })}
            <div class="actions">
                {(s.new_count > 0).then(|| view! {
                    <ActionForm action=open attr:class="inline-form">
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <button type="submit" class="button">{t(lang, "searches.open_new")}</button>
                    </ActionForm>
                })}
                <ActionForm action=delete attr:class="inline-form">
                    <input type="hidden" name="id" value=s.id.to_string() />
                    <button type="submit" class="button secondary">{t(lang, "searches.delete")}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// "Save this search": the page's query string, a name, how often to mail, a threshold.
/// `search` is the page's query string, taken by the page itself: this form renders under a
/// Suspense, where a render finishing after its request was dropped has no router context
/// left to look the location up in (seen under load as a panic), and reads it with
/// `try_get` for the same reason.
#[component]
pub fn SaveSearchForm(
    #[prop(into)] kind: String,
    ranked: bool,
    search: Memo<String>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveSearch>::new();
    let error = error_of(action.value());
    let query = move || search.try_get().unwrap_or_default();
    view! {
        // open when a save sent from it came back refused
        <details class="save-search" open=move || error.get().is_some()>
            <summary>{t(lang, "searches.save_this")}</summary>
            <ActionForm action=action>
                <input type="hidden" name="draft[kind]" value=kind />
                <input type="hidden" name="draft[query]" value=query />
                {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
                <div class="field">
                    <label for="saved-name">{t(lang, "searches.name")}</label>
                    <input id="saved-name" type="text" name="draft[name]" maxlength="80" required=true />
                    <FieldProblems field="name" error />
                </div>
                <div class="field">
                    <label for="saved-frequency">{t(lang, "searches.frequency")}</label>
                    <select id="saved-frequency" name="draft[frequency]">
                        {Frequency::ALL.into_iter().map(|f| {
                            let daily = f == Frequency::Daily;
                            view! {
                                <option value=f.code() selected=daily>{t(lang, &format!("searches.frequency_{}", f.code()))}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
                {ranked.then(|| view! {
                    <div class="field">
                        <label for="saved-min-score">{t(lang, "searches.min_score")}</label>
                        <input id="saved-min-score" type="number" name="draft[min_score]" min="0" max="100" />
                        <FieldProblems field="min_score" error />
                    </div>
                })}
                <button type="submit" class="button">{t(lang, "searches.save")}</button>
            </ActionForm>
        </details>
    }
}
