//! The candidate's page (`/talent/{id}`, `?role=` to explain the fit for one of the
//! organisation's roles): reached from the talent pool, the candidates list and an
//! application.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{load_candidate, CandidateProfile, CareerLine};
use crate::applications::pages::status_label;
use crate::components::{jlpt_text, PageTitle};
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::roles::pages::title_for;
use crate::talent::pages::{language_name, route_name, state_name};
use crate::PageError;

#[component]
pub fn CandidatePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let id = params.read().get("id").and_then(|v| v.parse::<i32>().ok());
        let role = query.read().get("role").and_then(|v| v.parse::<i32>().ok());
        (id, role)
    };
    let candidate = Resource::new(key, |(id, role)| async move {
        match id {
            Some(id) => load_candidate(id, role).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || candidate.get().map(|result| match result {
                Ok(profile) => view! { <Candidate profile /> }.into_any(),
                Err(error) => view! {
                    <PageTitle text=t(lang, "candidate.title") />
                    <h1>{t(lang, "candidate.title")}</h1>
                    <PageError error />
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Lines(#[prop(into)] heading: String, lines: Vec<CareerLine>) -> impl IntoView {
    let lang = use_lang();
    (!lines.is_empty()).then(|| {
        view! {
            <h2>{heading}</h2>
            <ol class="career-lines">
                {lines.into_iter().map(|l| {
                    let to = l.to.clone().unwrap_or_else(|| t(lang, "candidate.now"));
                    view! {
                        <li>
                            <strong>{l.what.clone()}</strong>" · "{l.where_.clone()}
                            <span class="muted">" "{format!("{} – {to}", l.from)}</span>
                            {l.description.clone().map(|d| view! { <p class="note">{d}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}

#[component]
fn Candidate(profile: CandidateProfile) -> impl IntoView {
    let lang = use_lang();
    let p = profile;
    let id = p.engineer_id;
    let fit = p.fit.clone().map(|fit| {
        let role = p
            .roles
            .iter()
            .find(|(r, _)| Some(*r) == p.ranked_for)
            .map(|(_, title)| title.clone())
            .unwrap_or_default();
        view! {
            <section class="card fit" aria-labelledby="fit-heading">
                <h2 id="fit-heading">{t_with(lang, "talent.fit_for", &[("role", &role)])}</h2>
                <crate::jobs::pages::FitSummary fit candidate=p.full_name.clone() />
            </section>
        }
    });
    let selected = p.ranked_for.map(|r| r.to_string()).unwrap_or_default();
    view! {
        <PageTitle text=p.full_name.clone() />
        <article class="candidate">
            <h1>{p.full_name.clone()}</h1>
            {p.headline.clone().map(|h| view! { <p class="lead">{h}</p> })}
            <dl class="facts">
                <dt>{t(lang, "candidate.experience")}</dt>
                <dd>{t_with(lang, "candidate.years", &[("years", &p.years_experience.to_string())])}</dd>
                <dt>"JLPT"</dt><dd class="jlpt">{jlpt_text(lang, &p.jlpt, p.jlpt_certified)}</dd>
                {p.indian_state.clone().map(|s| view! {
                    <dt>{t(lang, "talent.state")}</dt>
                    <dd>{state_name(lang, &s)}</dd>
                })}
                <dt>{t(lang, "talent.route")}</dt><dd>{route_name(lang, &p.visa_interest)}</dd>
                {p.available_from.map(|d| view! {
                    <dt>{t(lang, "candidate.available_from")}</dt><dd>{d.format("%Y-%m-%d").to_string()}</dd>
                })}
                {(!p.languages.is_empty()).then(|| view! {
                    <dt>{t(lang, "candidate.languages")}</dt>
                    <dd>{p.languages.iter().map(|(code, level)| format!("{} ({})", language_name(lang, code), t(lang, &format!("profile.spoken.{level}")))).collect::<Vec<_>>().join(", ")}</dd>
                })}
            </dl>
            {p.summary.clone().map(|s| view! { <p class="note">{s}</p> })}
            <h2>{t(lang, "candidate.skills")}</h2>
            <ul class="skill-years">
                {p.skills.iter().map(|(name, years, level)| view! {
                    <li>{t_count(lang, "talent.skill_years", "years", years, &[("skill", name)])}<span class="muted">" · "{t(lang, &format!("profile.levels.{level}"))}</span></li>
                }).collect_view()}
                {p.free_skills.iter().map(|name| view! { <li class="free">{name.clone()}</li> }).collect_view()}
            </ul>
            <Lines heading=t(lang, "candidate.employment") lines=p.employment.clone() />
            <Lines heading=t(lang, "candidate.education") lines=p.education.clone() />
            {(!p.qualifications.is_empty()).then(|| view! {
                <h2>{t(lang, "candidate.qualifications")}</h2>
                <ul>{p.qualifications.iter().map(|(name, when)| view! { <li>{name.clone()}<span class="muted">" "{when.clone()}</span></li> }).collect_view()}</ul>
            })}
            {(!p.roles.is_empty()).then(|| view! {
                <form method="get" action=format!("/talent/{id}") class="form inline-form">
                    <label for="candidate-role">{t(lang, "talent.rank_for")}</label>
                    <select id="candidate-role" name="role">
                        <option value="">{t(lang, "common.choose")}</option>
                        {p.roles.iter().map(|(rid, title)| {
                            let on = rid.to_string() == selected;
                            view! { <option value=rid.to_string() selected=on>{title.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button">{t(lang, "candidate.explain")}</button>
                </form>
            })}
            {fit}
            {(!p.applications.is_empty()).then(|| view! {
                <section aria-labelledby="shared-heading">
                    <h2 id="shared-heading">{t(lang, "candidate.applications")}</h2>
                    <ul class="shared-applications">
                        {p.applications.iter().map(|a| view! {
                            <li>
                                <a href=format!("/applications/{}", a.id)>{title_for(lang, &a.role_title_ja, &a.role_title_en)}</a>
                                " · "{status_label(lang, &a.stage, &a.closed_reason)}
                                <ul class="documents">
                                    {a.documents.iter().map(|(label, href)| view! { <li><a href=href.clone()>{label.clone()}</a></li> }).collect_view()}
                                </ul>
                                {match a.contact.clone() {
                                    Some(email) => view! { <p><a href=format!("mailto:{email}")>{email.clone()}</a></p> }.into_any(),
                                    None => view! { <p class="muted">{t(lang, "consent.employer_hidden")}</p> }.into_any(),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
