//! The employer's candidates page for a role: ranked, explained, searchable, with Invite.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{load_candidates, CandidateCard, Candidates};
use crate::applications::api::InviteCandidate;
use crate::components::PageTitle;
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::jobs::pages::FitSummary;
use crate::roles::pages::title_for;
use crate::PageError;

#[component]
pub fn CandidatesPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let query = use_query_map();
    let key = move || (id(), query.read().get("q").unwrap_or_default());
    let invite = ServerAction::<InviteCandidate>::new();
    let candidates = Resource::new(
        move || (key(), invite.version().get()),
        |((id, q), _)| async move {
            match id {
                Some(id) => load_candidates(id, q).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || candidates.get().map(|result| match result {
                Ok(c) => view! { <CandidateList candidates=c invite /> }.into_any(),
                Err(error) => view! { <PageTitle text=t(lang, "candidates.title") /><h1>{t(lang, "candidates.title")}</h1><PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CandidateList(candidates: Candidates, invite: ServerAction<InviteCandidate>) -> impl IntoView {
    let lang = use_lang();
    let title = title_for(lang, &candidates.role_title_ja, &candidates.role_title_en);
    let role_id = candidates.role_id;
    let invite_error = move || {
        invite
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message(lang))
    };
    let heading = t_with(lang, "candidates.heading", &[("role", &title)]);
    view! {
        <PageTitle text=heading.clone() />
        <h1>{heading}</h1>
        <p><a href=format!("/roles/{role_id}/pipeline")>{t(lang, "pipeline.title")}</a></p>
        <form method="get" action=format!("/roles/{role_id}/candidates") class="form inline-search" role="search">
            <label for="candidate-q">{t(lang, "candidates.search")}</label>
            <input id="candidate-q" type="search" name="q" value=candidates.query.clone() placeholder=t(lang, "candidates.search_example") />
            <button type="submit" class="button">{t(lang, "jobs.search")}</button>
        </form>
        <div aria-live="polite">{move || invite_error().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}</div>
        {if candidates.cards.is_empty() {
            view! { <p>{t(lang, "candidates.none")}</p> }.into_any()
        } else {
            view! {
                <ol class="cards candidates">
                    {candidates.cards.into_iter().map(|card| view! { <CandidateItem card role_id invite /> }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

#[component]
fn CandidateItem(
    card: CandidateCard,
    role_id: i32,
    invite: ServerAction<InviteCandidate>,
) -> impl IntoView {
    let lang = use_lang();
    let place = card
        .indian_state
        .as_deref()
        .and_then(domain::geo::indian_state)
        .map(|s| s.name.in_language(lang.code()).to_owned())
        .unwrap_or_default();
    let message_id = format!("invite-message-{}", card.engineer_id);
    view! {
        <li class="card candidate">
            <h2><a href=format!("/talent/{}?role={role_id}", card.engineer_id)>{card.full_name.clone()}</a></h2>
            {card.headline.clone().map(|h| view! { <p>{h}</p> })}
            <p class="muted">
                "JLPT "{crate::components::jlpt_text(lang, &card.jlpt, card.jlpt_certified)}
                " · "{t_count(lang, "pipeline.years", "years", card.years_experience, &[])}
                " · "{place}
            </p>
            <FitSummary fit=card.fit.clone() candidate=card.full_name.clone() />
            {card.points.clone().map(|p| view! { <p class="points">{t_with(lang, "candidates.points", &[("points", &p.total.to_string()), ("pass", &p.pass_mark.to_string())])}</p> })}
            {match (card.application_id, card.invited) {
                (Some(id), _) => view! { <p><a href=format!("/applications/{id}")>{t(lang, "candidates.applied")}</a></p> }.into_any(),
                (None, true) => view! { <p class="badge">{t(lang, "candidates.invited")}</p> }.into_any(),
                (None, false) => view! {
                    <ActionForm action=invite attr:class="form invite-form">
                        <input type="hidden" name="role_id" value=role_id.to_string() />
                        <input type="hidden" name="engineer_id" value=card.engineer_id.to_string() />
                        <label for=message_id.clone()>{t(lang, "candidates.message")}</label>
                        <textarea id=message_id name="message" rows="2"></textarea>
                        <button type="submit" class="button">{t(lang, "candidates.invite")}</button>
                    </ActionForm>
                }.into_any(),
            }}
        </li>
    }
}
