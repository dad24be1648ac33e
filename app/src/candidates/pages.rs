//! The employer's candidates page for a role: compact rows ranked by fit, each explained on
//! demand, narrowed by the talent pool's filters, 20 a page, with Invite. Works without
//! JavaScript: the filters are a GET form and the pages plain links.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{load_candidates, CandidateCard, Candidates};
use crate::applications::api::InviteCandidate;
use crate::components::PageTitle;
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::jobs::pages::FitSummary;
use crate::roles::pages::title_for;
use crate::talent::pages::{query_of, search_link, state_name, PoolFilters};
use crate::PageError;

#[component]
pub fn CandidatesPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let params = use_query_map();
    let key = move || (id(), query_of(&params.read()));
    let invite = ServerAction::<InviteCandidate>::new();
    let candidates = Resource::new(
        move || (key(), invite.version().get()),
        |((id, query), _)| async move {
            match id {
                Some(id) => load_candidates(id, query).await,
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
    let path = format!("/roles/{role_id}/candidates");
    let invite_error = move || {
        invite
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message(lang))
    };
    let heading = t_with(lang, "candidates.heading", &[("role", &title)]);
    let Candidates {
        query,
        cards,
        total,
        page,
        pages,
        ignored,
        ..
    } = candidates;
    let ignored: Vec<String> = ignored
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field,
                t(lang, &format!("errors.{}", e.problem.key()))
            )
        })
        .collect();
    let pager = (pages > 1).then(|| {
        let link = |page: usize| search_link(&path, &query, page);
        view! {
            <nav class="pagination" aria-label=t(lang, "jobs.pages")>
                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(lang, "jobs.previous")}</a> })}
                <span>{t_with(lang, "jobs.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{t(lang, "jobs.next")}</a> })}
            </nav>
        }
    });
    view! {
        <PageTitle text=heading.clone() />
        <h1>{heading}</h1>
        <p><a href=format!("/roles/{role_id}/pipeline")>{t(lang, "pipeline.title")}</a></p>
        <div class="search-layout">
            <form method="get" action=path.clone() class="form search-form" role="search" aria-label=t(lang, "candidates.narrow")>
                <div class="field">
                    <label for="candidate-q">{t(lang, "candidates.search")}</label>
                    <input id="candidate-q" type="search" name="q" value=query.q.clone() placeholder=t(lang, "candidates.search_example") />
                </div>
                <PoolFilters prefix="candidates" query=query.clone() />
                <div class="field">
                    <label for="candidates-available">{t(lang, "talent.available_by")}</label>
                    <input id="candidates-available" type="date" name="available" value=query.available.clone() />
                </div>
                <button type="submit" class="button primary">{t(lang, "jobs.search")}</button>
            </form>
            <section class="results" aria-labelledby="candidates-found">
                {(!ignored.is_empty()).then(|| view! {
                    <div class="notice error" role="alert">
                        <p>{t(lang, "jobs.filters_left_out")}</p>
                        <ul>{ignored.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    </div>
                })}
                <h2 id="candidates-found">{t_count(lang, "candidates.ranked", "count", total, &[])}</h2>
                <div aria-live="polite">{move || invite_error().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}</div>
                {if cards.is_empty() {
                    view! { <p>{t(lang, "candidates.none")}</p> }.into_any()
                } else {
                    view! {
                        <ol class="talent-rows candidates" start=((page - 1) * crate::talent::api::TALENT_PER_PAGE + 1).to_string()>
                            {cards.into_iter().map(|card| view! { <CandidateRow card role_id invite /> }).collect_view()}
                        </ol>
                    }.into_any()
                }}
                {pager}
            </section>
        </div>
    }
    .into_any()
}

/// One candidate in a compact row: who, the facts a recruiter scans, the score with its
/// reasons a click away, and what was done (applied, invited) or Invite.
#[component]
fn CandidateRow(
    card: CandidateCard,
    role_id: i32,
    invite: ServerAction<InviteCandidate>,
) -> impl IntoView {
    let lang = use_lang();
    let place = card
        .indian_state
        .as_deref()
        .map(|c| state_name(lang, c))
        .unwrap_or_default();
    let message_id = format!("invite-message-{}", card.engineer_id);
    let score = t_with(
        lang,
        "talent.fit_score",
        &[("score", &format!("{:.0}", card.fit.score))],
    );
    view! {
        <li class="talent-row candidate">
            <div class="who">
                <a href=format!("/talent/{}?role={role_id}", card.engineer_id)><strong>{card.full_name.clone()}</strong></a>
                {card.headline.clone().map(|h| view! { <span class="muted">" — "{h}</span> })}
            </div>
            <div class="facts muted">
                "JLPT "{crate::components::jlpt_text(lang, &card.jlpt, card.jlpt_certified)}
                " · "{t_count(lang, "pipeline.years", "years", card.years_experience, &[])}
                " · "{place}
            </div>
            <span class="score">{score}</span>
            <details class="why">
                <summary>{t(lang, "candidates.why")}</summary>
                <FitSummary fit=card.fit.clone() candidate=card.full_name.clone() />
                {card.points.clone().map(|p| view! { <p class="points">{t_with(lang, "candidates.points", &[("points", &p.total.to_string()), ("pass", &p.pass_mark.to_string())])}</p> })}
            </details>
            {match (card.application_id, card.invited) {
                (Some(id), _) => view! { <p><a href=format!("/applications/{id}")>{t(lang, "candidates.applied")}</a></p> }.into_any(),
                (None, true) => view! { <p class="badge">{t(lang, "candidates.invited")}</p> }.into_any(),
                (None, false) => view! {
                    <details class="invite">
                        <summary>{t(lang, "candidates.invite")}</summary>
                        <ActionForm action=invite attr:class="form invite-form">
                            <input type="hidden" name="role_id" value=role_id.to_string() />
                            <input type="hidden" name="engineer_id" value=card.engineer_id.to_string() />
                            <label for=message_id.clone()>{t(lang, "candidates.message")}</label>
                            <textarea id=message_id name="message" rows="2"></textarea>
                            <button type="submit" class="button">{t(lang, "candidates.invite")}</button>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </li>
    }
    // a row's view type is deep enough to overflow the compiler's query depth in the release
    // wasm build (not in development builds): erased here
    .into_any()
}
