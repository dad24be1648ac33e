//! The talent pool page (`/talent`): a search form, facet counts as links, and compact rows,
//! 20 a page. Works without JavaScript: the form is a GET and every link a plain one.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{search_talent, TalentQuery, TalentResults, TalentRow};
use crate::auth::pages::state_choices;
use crate::components::{facet_group, query_link, Choice, FacetLink, PageTitle};
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::jobs::api::FacetCounts;
use crate::PageError;
use domain::language::{UiLanguage, SPOKEN_LANGUAGES};
use domain::money::format_yen;

#[component]
pub fn TalentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_query_map();
    let search = leptos_router::hooks::use_location().search;
    let query = move || query_of(&params.read());
    let results = Resource::new(query, search_talent);
    view! {
        <PageTitle text=t(lang, "talent.title") />
        <h1>{t(lang, "talent.title")}</h1>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || results.get().map(|result| match result {
                Ok(results) => view! { <TalentSearch results query=query() search /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

/// The search a page's query string holds.
pub(crate) fn query_of(params: &leptos_router::params::ParamsMap) -> TalentQuery {
    let get = |k: &str| params.get(k).unwrap_or_default();
    TalentQuery {
        q: get("q"),
        skills: get("skills"),
        jlpt: get("jlpt"),
        certified: params.get("certified"),
        state: get("state"),
        years: get("years"),
        salary_max: get("salary_max"),
        route: get("route"),
        language: get("language"),
        available: get("available"),
        role: get("role"),
        page: get("page"),
        limit: String::new(),
        since: get("since"),
    }
}

/// The talent pool's address for `query` at `page`.
fn talent_link(query: &TalentQuery, page: usize) -> String {
    search_link("/talent", query, page)
}

/// `path` with the query string of `query` at `page` (the talent pool, a role's candidates).
pub(crate) fn search_link(path: &str, query: &TalentQuery, page: usize) -> String {
    let mut pairs = vec![
        ("q", query.q.clone()),
        ("skills", query.skills.clone()),
        ("jlpt", query.jlpt.clone()),
        ("state", query.state.clone()),
        ("years", query.years.clone()),
        ("salary_max", query.salary_max.clone()),
        ("route", query.route.clone()),
        ("language", query.language.clone()),
        ("role", query.role.clone()),
        ("available", query.available.clone()),
        ("since", query.since.clone()),
    ];
    if domain::profile::checkbox(&query.certified) {
        pairs.push(("certified", "on".to_owned()));
    }
    pairs.push(("page", page.to_string()));
    query_link(path, pairs)
}

pub(crate) fn route_name(lang: UiLanguage, code: &str) -> String {
    t(lang, &format!("profile.visas.{code}"))
}

pub(crate) fn language_name(lang: UiLanguage, code: &str) -> String {
    t(lang, &format!("languages.{code}"))
}

pub(crate) fn state_name(lang: UiLanguage, code: &str) -> String {
    domain::geo::indian_state(code).map_or(code.to_owned(), |s| {
        s.name.in_language(lang.code()).to_owned()
    })
}

#[component]
fn TalentSearch(results: TalentResults, query: TalentQuery, search: Memo<String>) -> impl IntoView {
    let lang = use_lang();
    let select = |name: &'static str, label: String, choices: Vec<Choice>, selected: String| {
        select_field("talent", name, label, choices, selected)
    };
    let any = || Choice::new("", t(lang, "jobs.any"));
    let routes = std::iter::once(any())
        .chain(
            domain::profile::VisaInterest::ALL
                .into_iter()
                .map(|r| Choice::new(r.code(), route_name(lang, r.code()))),
        )
        .collect();
    let languages = std::iter::once(any())
        .chain(
            std::iter::once("ja")
                .chain(SPOKEN_LANGUAGES)
                .map(|code| Choice::new(code, language_name(lang, code))),
        )
        .collect();
    let roles = std::iter::once(Choice::new("", t(lang, "talent.by_relevance")))
        .chain(results.roles.iter().map(|(id, title)| {
            Choice::new(
                id.to_string(),
                t_with(lang, "talent.fit_for", &[("role", title)]),
            )
        }))
        .collect();
    let ignored: Vec<String> = results
        .ignored
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field,
                t(lang, &format!("errors.{}", e.problem.key()))
            )
        })
        .collect();
    let TalentResults {
        rows,
        total,
        page,
        pages,
        facets,
        also_searched,
        ordering_words,
        skill_labels,
        ranked_for,
        ..
    } = results;
    // the form and the results each erased: in a debug build, one future for the whole tree
    // needs more stack than a test's worker thread has (2 MiB) once the results hold rows
    let form = view! {
        <form method="get" action="/talent" class="form search-form" role="search">
            <div class="field">
                <label for="talent-q">{t(lang, "jobs.keywords")}</label>
                <input id="talent-q" type="search" name="q" value=query.q.clone() />
            </div>
            <PoolFilters prefix="talent" query=query.clone() />
            <div class="field">
                <label for="talent-salary">{t(lang, "talent.salary_max")}</label>
                <input id="talent-salary" name="salary_max" value=query.salary_max.clone() placeholder=t(lang, "jobs.salary_example") />
            </div>
            {select("route", t(lang, "talent.route"), routes, query.route.clone())}
            {select("language", t(lang, "talent.language"), languages, query.language.clone())}
            <div class="field">
                <label for="talent-available">{t(lang, "talent.available_by")}</label>
                <input id="talent-available" type="date" name="available" value=query.available.clone() />
            </div>
            {(!query.since.is_empty()).then(|| view! { <input type="hidden" name="since" value=query.since.clone() /> })}
            {select("role", t(lang, "jobs.sort"), roles, query.role.clone())}
            <button type="submit" class="button primary">{t(lang, "jobs.search")}</button>
        </form>
    }
    .into_any();
    let results = view! {
        <section class="results" aria-labelledby="talent-heading">
            {(!ignored.is_empty()).then(|| view! {
                <div class="notice error" role="alert">
                    <p>{t(lang, "jobs.filters_left_out")}</p>
                    <ul>{ignored.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            })}
            <h2 id="talent-heading">{t_count(lang, "talent.found", "count", total, &[])}</h2>
            {(!also_searched.is_empty()).then(|| view! {
                <p class="also-searched">{t_with(lang, "jobs.also_searched", &[("words", &also_searched.join(", "))])}</p>
            })}
            {(!ordering_words.is_empty()).then(|| view! {
                <p class="also-searched">{t_with(lang, "talent.ordering_words", &[("words", &ordering_words.join(", "))])}</p>
            })}
            {(total > 0).then(|| view! { <TalentFacets facets skill_labels query=query.clone() /> })}
            <ul class="talent-rows">
                {rows.into_iter().map(|row| view! { <TalentRowView row ranked_for /> }).collect_view()}
            </ul>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t(lang, "jobs.pages")>
                    {(page > 1).then(|| view! { <a rel="prev" href=talent_link(&query, page - 1)>{t(lang, "jobs.previous")}</a> })}
                    <span>{t_with(lang, "jobs.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                    {(page < pages).then(|| view! { <a rel="next" href=talent_link(&query, page + 1)>{t(lang, "jobs.next")}</a> })}
                </nav>
            })}
        </section>
    }
    .into_any();
    view! {
        <crate::saved_searches::page::SaveSearchForm kind="talent" ranked=ranked_for.is_some() search />
        <div class="search-layout">
            {form}
            {results}
        </div>
    }
}

/// A labelled `<select>` with the id `{prefix}-{name}`.
pub(crate) fn select_field(
    prefix: &str,
    name: &'static str,
    label: String,
    choices: Vec<Choice>,
    selected: String,
) -> impl IntoView {
    let id = format!("{prefix}-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                {choices.into_iter().map(|c| {
                    let on = c.value == selected;
                    view! { <option value=c.value selected=on>{c.label}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The filters the talent pool and a role's candidates share: skills with years, JLPT (and
/// certified only), Indian state, years of experience. `prefix` keeps the two forms' ids apart.
#[component]
pub(crate) fn PoolFilters(prefix: &'static str, query: TalentQuery) -> impl IntoView {
    let lang = use_lang();
    let any = || Choice::new("", t(lang, "jobs.any"));
    let jlpt = std::iter::once(any())
        .chain(
            ["N5", "N4", "N3", "N2", "N1"]
                .into_iter()
                .map(|l| Choice::new(l, t_with(lang, "talent.jlpt_at_least", &[("level", l)]))),
        )
        .collect();
    let mut states = state_choices(lang);
    if let Some(first) = states.first_mut() {
        *first = any();
    }
    let id = |name: &str| format!("{prefix}-{name}");
    view! {
        <div class="field">
            <label for=id("skills")>{t(lang, "jobs.skills")}</label>
            <input id=id("skills") name="skills" value=query.skills.clone() aria-describedby=id("skills-hint") />
            <p id=id("skills-hint") class="hint">{t(lang, "talent.skills_hint")}</p>
        </div>
        {select_field(prefix, "jlpt", t(lang, "jobs.jlpt"), jlpt, query.jlpt.clone())}
        <div class="field checkbox">
            <input id=id("certified") type="checkbox" name="certified" value="on" checked=domain::profile::checkbox(&query.certified) />
            <label for=id("certified")>{t(lang, "talent.certified_only")}</label>
        </div>
        {select_field(prefix, "state", t(lang, "talent.state"), states, query.state.clone())}
        <div class="field">
            <label for=id("years")>{t(lang, "talent.years_at_least")}</label>
            <input id=id("years") name="years" inputmode="numeric" value=query.years.clone() />
        </div>
    }
}

/// One engineer in a compact row: name, headline, JLPT, years, state, top skills, fit.
#[component]
fn TalentRowView(row: TalentRow, ranked_for: Option<i32>) -> impl IntoView {
    let lang = use_lang();
    let skills = row
        .skills
        .iter()
        .take(6)
        .map(|(name, years)| {
            if *years > 0 {
                t_count(
                    lang,
                    "talent.skill_years",
                    "years",
                    years,
                    &[("skill", name)],
                )
            } else {
                name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let place = row
        .indian_state
        .as_deref()
        .map(|c| state_name(lang, c))
        .unwrap_or_default();
    let profile_link = match ranked_for {
        Some(role) => format!("/talent/{}?role={role}", row.engineer_id),
        None => format!("/talent/{}", row.engineer_id),
    };
    let fit = row.fit.as_ref().map(|f| {
        view! { <span class="score">{t_with(lang, "talent.fit_score", &[("score", &format!("{:.0}", f.score))])}</span> }
    });
    view! {
        <li class="talent-row">
            <div class="who">
                <a href=profile_link.clone()><strong>{row.full_name.clone()}</strong></a>
                {row.headline.clone().map(|h| view! { <span class="muted">" — "{h}</span> })}
            </div>
            <div class="facts muted">
                "JLPT "{crate::components::jlpt_text(lang, &row.jlpt, row.jlpt_certified)}
                " · "{t_count(lang, "pipeline.years", "years", row.years_experience, &[])}
                " · "{place}
                " · "{route_name(lang, &row.visa_interest)}
            </div>
            <div class="skills">{skills}</div>
            {fit}
        </li>
    }
}

/// Facet counts as links that set the filter.
#[component]
fn TalentFacets(
    facets: FacetCounts,
    skill_labels: Vec<(String, String)>,
    query: TalentQuery,
) -> impl IntoView {
    let lang = use_lang();
    let link = |set: &dyn Fn(&mut TalentQuery)| {
        let mut q = query.clone();
        set(&mut q);
        talent_link(&q, 1)
    };
    let group = |heading: String, items: Vec<(String, String, u64)>| {
        let links = items
            .into_iter()
            .map(|(label, href, count)| FacetLink {
                label,
                href,
                count,
                current: false,
            })
            .collect();
        facet_group(heading, links)
    };
    let values = |facet: &str| facets.values(facet).to_vec();
    let jlpt = values("jlpt")
        .into_iter()
        .map(|(level, count)| {
            let label = t_with(lang, "talent.jlpt_at_least", &[("level", &level)]);
            (label, link(&|q| q.jlpt = level.clone()), count)
        })
        .collect();
    let certified = facets
        .count("certified", "true")
        .map(|count| {
            let href = link(&|q| q.certified = Some("on".to_owned()));
            vec![(t(lang, "talent.certified_only"), href, count)]
        })
        .unwrap_or_default();
    let states = values("state")
        .into_iter()
        .take(12)
        .map(|(code, count)| {
            (
                state_name(lang, &code),
                link(&|q| q.state = code.clone()),
                count,
            )
        })
        .collect();
    let years = values("years")
        .into_iter()
        .map(|(years, count)| {
            let label = t_with(lang, "talent.years_plus", &[("years", &years)]);
            (label, link(&|q| q.years = years.clone()), count)
        })
        .collect();
    let salary = values("salary")
        .into_iter()
        .map(|(yen, count)| {
            let amount = yen
                .parse::<i64>()
                .map_or(yen.clone(), |y| format_yen(y, lang));
            let label = t_with(lang, "talent.salary_up_to", &[("amount", &amount)]);
            (label, link(&|q| q.salary_max = yen.clone()), count)
        })
        .collect();
    let routes = values("route")
        .into_iter()
        .map(|(code, count)| {
            (
                route_name(lang, &code),
                link(&|q| q.route = code.clone()),
                count,
            )
        })
        .collect();
    let languages = values("languages")
        .into_iter()
        .map(|(code, count)| {
            (
                language_name(lang, &code),
                link(&|q| q.language = code.clone()),
                count,
            )
        })
        .collect();
    let skills = values("skills")
        .into_iter()
        .take(15)
        .map(|(id, count)| {
            let href = link(&|q| {
                q.skills = if q.skills.trim().is_empty() {
                    id.clone()
                } else {
                    format!("{}, {id}", q.skills)
                }
            });
            let name = skill_labels
                .iter()
                .find(|(skill, _)| *skill == id)
                .map_or_else(|| id.clone(), |(_, name)| name.clone());
            (name, href, count)
        })
        .collect();
    view! {
        <aside class="refine" aria-label=t(lang, "jobs.refine")>
            {group(t(lang, "jobs.skills"), skills)}
            {group(t(lang, "jobs.jlpt"), jlpt)}
            {group(t(lang, "talent.certified"), certified)}
            {group(t(lang, "talent.state"), states)}
            {group(t(lang, "talent.years_at_least"), years)}
            {group(t(lang, "talent.salary_max"), salary)}
            {group(t(lang, "talent.route"), routes)}
            {group(t(lang, "talent.language"), languages)}
        </aside>
    }
}
