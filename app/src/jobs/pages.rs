//! The engineer's pages: dashboard, role search, and the role page with Apply.

use domain::geo;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_dashboard, load_job, search_jobs, Dashboard, FacetCounts, JobCard, JobQuery, JobResults,
    MatchView, PointsView, RoleView,
};
use crate::applications::api::ApplyToRole;
use crate::applications::pages::ApplicationTable;
use crate::auth::pages::{prefecture_choices, sector_choices};
use crate::components::{facet_group, Choice, FacetLink, FormStatus, PageTitle};
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::roles::pages::{posted_only_in, title_for, title_language};
use crate::PageError;
use domain::account::UserRole;
use domain::language::UiLanguage;
use domain::money::{format_band, format_yen};

pub(crate) fn place(lang: UiLanguage, code: &str) -> String {
    geo::prefecture(code).map_or(code.to_owned(), |p| {
        p.name.in_language(lang.code()).to_owned()
    })
}

pub(crate) fn sector_name(lang: UiLanguage, code: &str) -> String {
    geo::Sector::parse(code).map_or(code.to_owned(), |s| {
        s.name().in_language(lang.code()).to_owned()
    })
}

/// Why a role fits: score, matched and missing skills, the JLPT gap, and on demand the score's
/// parts. The engineer reads "you"; a recruiter (`candidate` given) reads the candidate's name.
#[component]
pub fn FitSummary(fit: MatchView, #[prop(optional)] candidate: Option<String>) -> impl IntoView {
    let lang = use_lang();
    // the engineer's own wording, or the recruiter's with the candidate's name
    let say = move |key: &str, args: &[(&str, &str)]| match &candidate {
        None => t_with(lang, &format!("fit.{key}"), args),
        Some(name) => {
            let mut all = vec![("name", name.as_str())];
            all.extend_from_slice(args);
            t_with(lang, &format!("fit.them.{key}"), &all)
        }
    };
    let matched = fit
        .matched
        .iter()
        .map(|(name, held, asked)| {
            t_count(
                lang,
                "fit.skill_years",
                "held",
                held,
                &[("skill", name), ("asked", &asked.to_string())],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let related = fit
        .related
        .iter()
        .map(|(name, via, held, asked)| {
            t_count(
                lang,
                "fit.related_years",
                "held",
                held,
                &[("skill", name), ("via", via), ("asked", &asked.to_string())],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let jlpt = match fit.jlpt_gap {
        0 => say("jlpt_met", &[]),
        gap => say("jlpt_gap", &[("levels", &gap.to_string())]),
    };
    let halved = fit.jlpt_gap >= 2;
    // one list of erased views rather than a tuple of optional ones: the page's view type stays
    // shallow enough for a debug build's stack to render
    let mut lines: Vec<AnyView> = Vec::new();
    for (key, shown, text) in [
        ("matched", !fit.matched.is_empty(), matched),
        ("related", !fit.related.is_empty(), related),
        ("missing", !fit.missing.is_empty(), fit.missing.join(", ")),
        (
            "nice",
            !fit.nice_matched.is_empty(),
            fit.nice_matched.join(", "),
        ),
        (
            "nice_missing",
            !fit.nice_missing.is_empty(),
            fit.nice_missing.join(", "),
        ),
    ] {
        if shown {
            let label = say(key, &[]);
            lines.push(view! { <li>{label}": "{text}</li> }.into_any());
        }
    }
    lines.push(
        view! { <li>{jlpt}{halved.then(|| view! { " "<span class="warning">{t(lang, "fit.jlpt_halved")}</span> })}</li> }
            .into_any(),
    );
    if fit.no_skill_held {
        lines.push(view! { <li class="warning">{t(lang, "fit.no_skill_held")}</li> }.into_any());
    }
    view! {
        <div class="fit">
            <p class="score"><strong>{t_with(lang, "fit.score", &[("score", &format!("{:.0}", fit.score))])}</strong>
                {(!fit.eligible).then(|| view! { " · "<span class="warning">{t(lang, "fit.not_eligible")}</span> })}
            </p>
            <ul>{lines}</ul>
            <ScoreBreakdown breakdown=fit.breakdown />
        </div>
    }
}

/// The score's parts, folded away until asked for.
#[component]
fn ScoreBreakdown(breakdown: Vec<(String, f32, f32)>) -> impl IntoView {
    let lang = use_lang();
    let parts = breakdown
        .iter()
        .map(|(part, earned, max)| {
            t_with(
                lang,
                "fit.part_line",
                &[
                    ("part", &t(lang, &format!("fit.parts.{part}"))),
                    ("earned", &format!("{earned:.0}")),
                    ("max", &format!("{max:.0}")),
                ],
            )
        })
        .collect::<Vec<_>>();
    (!parts.is_empty()).then(|| {
        view! {
            <details class="breakdown">
                <summary>{t(lang, "fit.breakdown")}</summary>
                <ul>{parts.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

#[component]
fn Points(points: PointsView) -> impl IntoView {
    let lang = use_lang();
    let routes = points
        .routes
        .iter()
        .map(|r| t(lang, &format!("visa_routes.{r}")))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <p class="points">
            {t_with(lang, "points.line", &[
                ("salary", &format_yen(points.salary_jpy, lang)),
                ("points", &points.total.to_string()),
                ("pass", &points.pass_mark.to_string()),
            ])}
            {points.qualifies.then(|| view! { " · "<strong>{t(lang, "points.qualifies")}</strong> })}
            {(!routes.is_empty()).then(|| view! { <br />{t(lang, "points.routes")}": "{routes} })}
        </p>
    }
}

#[component]
pub fn JobCardView(
    card: JobCard,
    #[prop(default = None)] points: Option<PointsView>,
) -> impl IntoView {
    let lang = use_lang();
    let title = title_for(lang, &card.title_ja, &card.title_en);
    let title_lang = title_language(lang, &card.title_ja, &card.title_en);
    let only_in = posted_only_in(lang, &card.title_ja, &card.title_en);
    let jlpt = card
        .min_jlpt
        .clone()
        .unwrap_or_else(|| t(lang, "roles.jlpt_any"));
    view! {
        <article class="card job-card">
            <h3><a href=format!("/jobs/{}", card.id) lang=title_lang>{title}</a></h3>
            {only_in.map(|key| view! { <p class="tag">{t(lang, key)}</p> })}
            <p class="muted"><a href=format!("/companies/{}", card.organisation_id)>{card.organisation_name.clone()}</a>" · "{sector_name(lang, &card.sector)}</p>
            <p>
                {place(lang, &card.prefecture)}" · "{format_band(card.salary_min_jpy, card.salary_max_jpy, lang)}
                " · JLPT "{jlpt}" · "{t(lang, &format!("roles.remote.{}", card.remote_policy))}
                {card.visa_sponsorship.then(|| view! { " · "{t(lang, "jobs.sponsors_visa")} })}
                {card.apply_from_abroad.then(|| view! { " · "{t(lang, "jobs.from_abroad")} })}
            </p>
            {card.fit.map(|fit| view! { <FitSummary fit /> })}
            {points.map(|points| view! { <Points points /> })}
        </article>
    }
}

/// The engineer's home: best matches with points, applications, invitations.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <PageTitle text=t(lang, "dashboard.title") />
        <h1>{t(lang, "dashboard.title")}</h1>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || dashboard.get().map(|result| match result {
                Ok(d) => view! { <DashboardView dashboard=d /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let lang = use_lang();
    let Dashboard {
        has_profile,
        matches,
        applications,
        invitations,
    } = dashboard;
    view! {
        {(!has_profile).then(|| view! {
            <p class="alert alert-info">{t(lang, "dashboard.profile_first")}" "<a href="/profile">{t(lang, "nav.profile")}</a></p>
        })}
        {(!invitations.is_empty()).then(|| view! {
            <section aria-labelledby="invitations-heading">
                <h2 id="invitations-heading">{t(lang, "dashboard.invitations")}</h2>
                <ul class="invitations">
                    {invitations.into_iter().map(|i| view! {
                        <li>
                            <a href=format!("/jobs/{}", i.role_id)>{title_for(lang, &i.title_ja, &i.title_en)}</a>
                            " · "{i.organisation_name}
                            {i.message.map(|m| view! { <p class="note">{m}</p> })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="matches-heading">
            <h2 id="matches-heading">{t(lang, "dashboard.matches")}</h2>
            {if matches.is_empty() {
                view! { <p>{t(lang, "dashboard.no_matches")}" "<a href="/jobs">{t(lang, "nav.jobs")}</a></p> }.into_any()
            } else {
                view! {
                    <div class="cards">
                        {matches.into_iter().map(|(card, points)| view! { <JobCardView card points /> }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">{t(lang, "dashboard.applications")}</h2>
            {if applications.is_empty() {
                view! { <p>{t(lang, "applications.none_yet")}</p> }.into_any()
            } else {
                view! { <ApplicationTable applications /><p><a href="/applications">{t(lang, "dashboard.all_applications")}</a></p> }.into_any()
            }}
        </section>
    }
}

/// Role search with the filters of Japanese job boards; a plain GET form, so results have
/// shareable addresses and work without JavaScript.
#[component]
pub fn JobsPage() -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let search = leptos_router::hooks::use_location().search;
    let query = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        JobQuery {
            q: get("q"),
            skills: get("skills"),
            jlpt: get("jlpt"),
            prefecture: get("prefecture"),
            sector: get("sector"),
            remote: get("remote"),
            visa: q.get("visa"),
            abroad: q.get("abroad"),
            salary_min: get("salary_min"),
            sort: get("sort"),
            page: get("page"),
            limit: String::new(),
            since: get("since"),
        }
    };
    let results = Resource::new(query, search_jobs);
    view! {
        <PageTitle text=t(lang, "jobs.title") />
        <h1>{t(lang, "jobs.title")}</h1>
        // the signed-in user is a resource: read under a Transition, so hydration waits for it
        <Transition fallback=|| ()>
            {move || {
                let engineer = crate::components::use_user()
                    .and_then(|u| u.get())
                    .and_then(|r| r.ok())
                    .flatten()
                    .is_some_and(|u| u.role == domain::account::UserRole::Engineer);
                engineer.then(|| view! { <crate::saved_searches::page::SaveSearchForm kind="roles" ranked=true search /> })
            }}
        </Transition>
        <div class="search-layout">
            {move || view! { <SearchForm query=query() /> }}
            <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
                {move || results.get().map(|result| match result {
                    Ok(results) => view! { <Results results query=query() /> }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn SearchForm(query: JobQuery) -> impl IntoView {
    let lang = use_lang();
    let select =
        |name: &'static str, label: &'static str, choices: Vec<Choice>, selected: String| {
            let id = format!("search-{name}");
            view! {
                <div class="field">
                    <label for=id.clone()>{t(lang, label)}</label>
                    <select id=id name=name>
                        {choices.into_iter().map(|c| {
                            let on = c.value == selected;
                            view! { <option value=c.value selected=on>{c.label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
        };
    let mut any = vec![Choice::new("", t(lang, "jobs.any"))];
    let jlpt_choices: Vec<Choice> = any
        .drain(..)
        .chain([
            Choice::new("mine", t(lang, "jobs.jlpt_mine")),
            Choice::new("none", t(lang, "jobs.jlpt_none")),
        ])
        .chain(
            ["N5", "N4", "N3", "N2", "N1"]
                .iter()
                .map(|l| Choice::new(*l, t_with(lang, "jobs.jlpt_at_most", &[("level", l)]))),
        )
        .collect();
    let with_any = |mut choices: Vec<Choice>| {
        if let Some(first) = choices.first_mut() {
            *first = Choice::new("", t(lang, "jobs.any"));
        }
        choices
    };
    let remote_choices: Vec<Choice> = std::iter::once(Choice::new("", t(lang, "jobs.any")))
        .chain(
            ["onsite", "hybrid", "remote"]
                .iter()
                .map(|r| Choice::new(*r, t(lang, &format!("roles.remote.{r}")))),
        )
        .collect();
    let sort_choices = vec![
        Choice::new("", t(lang, "jobs.sort_default")),
        Choice::new("match", t(lang, "jobs.sort_match")),
        Choice::new("date", t(lang, "jobs.sort_date")),
    ];
    view! {
        <form method="get" action="/jobs" class="form search-form" role="search">
            <div class="field">
                <label for="search-q">{t(lang, "jobs.keywords")}</label>
                <input id="search-q" type="search" name="q" value=query.q.clone() placeholder=t(lang, "jobs.keywords_example") />
            </div>
            <div class="field">
                <label for="search-skills">{t(lang, "jobs.skills")}</label>
                <input id="search-skills" name="skills" value=query.skills.clone() />
            </div>
            {select("jlpt", "jobs.jlpt", jlpt_choices, query.jlpt.clone())}
            {select("prefecture", "roles.prefecture", with_any(prefecture_choices(lang)), query.prefecture.clone())}
            {select("sector", "jobs.sector", with_any(sector_choices(lang)), query.sector.clone())}
            {select("remote", "roles.remote_policy", remote_choices, query.remote.clone())}
            <div class="field">
                <label for="search-salary">{t(lang, "jobs.salary_min")}</label>
                <input id="search-salary" name="salary_min" value=query.salary_min.clone() placeholder=t(lang, "jobs.salary_example") />
            </div>
            <div class="field checkbox">
                <input id="search-visa" type="checkbox" name="visa" value="on" checked=domain::profile::checkbox(&query.visa) />
                <label for="search-visa">{t(lang, "jobs.sponsors_visa")}</label>
            </div>
            <div class="field checkbox">
                <input id="search-abroad" type="checkbox" name="abroad" value="on" checked=domain::profile::checkbox(&query.abroad) />
                <label for="search-abroad">{t(lang, "jobs.from_abroad")}</label>
            </div>
            {select("sort", "jobs.sort", sort_choices, query.sort.clone())}
            <button type="submit" class="button primary">{t(lang, "jobs.search")}</button>
        </form>
    }
}

/// The query string of `query` at another page.
fn page_link(query: &JobQuery, page: usize) -> String {
    let mut pairs = vec![
        ("q", query.q.clone()),
        ("skills", query.skills.clone()),
        ("jlpt", query.jlpt.clone()),
        ("prefecture", query.prefecture.clone()),
        ("sector", query.sector.clone()),
        ("remote", query.remote.clone()),
        ("salary_min", query.salary_min.clone()),
        ("sort", query.sort.clone()),
    ];
    if domain::profile::checkbox(&query.visa) {
        pairs.push(("visa", "on".to_owned()));
    }
    if domain::profile::checkbox(&query.abroad) {
        pairs.push(("abroad", "on".to_owned()));
    }
    pairs.push(("page", page.to_string()));
    crate::components::query_link("/jobs", pairs)
}

#[component]
fn Results(results: JobResults, query: JobQuery) -> impl IntoView {
    let lang = use_lang();
    let JobResults {
        cards,
        total,
        page,
        pages,
        ignored,
        also_searched,
        ordering_words,
        facets,
        ..
    } = results;
    let refine = (total > 0).then(|| view! { <Refine facets query=query.clone() /> });
    let ignored: Vec<String> = ignored
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                t(lang, search_field_label(&e.field)),
                t(lang, &format!("errors.{}", e.problem.key()))
            )
        })
        .collect();
    view! {
        <section class="results" aria-labelledby="results-heading">
            {(!ignored.is_empty()).then(|| view! {
                <div class="notice error" role="alert">
                    <p>{t(lang, "jobs.filters_left_out")}</p>
                    <ul>{ignored.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                </div>
            })}
            <h2 id="results-heading">{t_count(lang, "jobs.found", "count", total, &[])}</h2>
            {(!also_searched.is_empty()).then(|| view! {
                <p class="also-searched">{t_with(lang, "jobs.also_searched", &[("words", &also_searched.join(", "))])}</p>
            })}
            {(!ordering_words.is_empty()).then(|| view! {
                <p class="also-searched">{t_with(lang, "jobs.ordering_words", &[("words", &ordering_words.join(", "))])}</p>
            })}
            {refine}
            <div class="cards">
                {cards.into_iter().map(|card| view! { <JobCardView card /> }).collect_view()}
            </div>
            {(pages > 1).then(|| view! {
                <nav class="pagination" aria-label=t(lang, "jobs.pages")>
                    {(page > 1).then(|| view! { <a rel="prev" href=page_link(&query, page - 1)>{t(lang, "jobs.previous")}</a> })}
                    <span>{t_with(lang, "jobs.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                    {(page < pages).then(|| view! { <a rel="next" href=page_link(&query, page + 1)>{t(lang, "jobs.next")}</a> })}
                </nav>
            })}
        </section>
    }
}

/// Counts beside the filters: for each filter, the values that would find something and how
/// many roles each would find, as links that set it (the index's facet counts).
#[component]
fn Refine(facets: FacetCounts, query: JobQuery) -> impl IntoView {
    let lang = use_lang();
    let link = |set: &dyn Fn(&mut JobQuery)| {
        let mut q = query.clone();
        set(&mut q);
        page_link(&q, 1)
    };
    let group = |heading: String, items: Vec<(String, String, u64, bool)>| {
        let links = items
            .into_iter()
            .map(|(label, href, count, current)| FacetLink {
                label,
                href,
                count,
                current,
            })
            .collect();
        facet_group(heading, links)
    };
    let values = |facet: &str| facets.values(facet).to_vec();
    let jlpt = values("jlpt")
        .into_iter()
        .map(|(level, count)| {
            let label = if level == "none" {
                t(lang, "jobs.jlpt_none")
            } else {
                t_with(lang, "jobs.jlpt_at_most", &[("level", &level)])
            };
            let current = query.jlpt == level;
            (label, link(&|q| q.jlpt = level.clone()), count, current)
        })
        .collect();
    let prefecture = values("prefecture")
        .into_iter()
        .take(12)
        .map(|(code, count)| {
            let current = query.prefecture == code;
            (
                place(lang, &code),
                link(&|q| q.prefecture = code.clone()),
                count,
                current,
            )
        })
        .collect();
    let sector = values("sector")
        .into_iter()
        .map(|(code, count)| {
            let current = query.sector == code;
            (
                sector_name(lang, &code),
                link(&|q| q.sector = code.clone()),
                count,
                current,
            )
        })
        .collect();
    let remote = values("remote")
        .into_iter()
        .map(|(code, count)| {
            let current = query.remote == code;
            let label = t(lang, &format!("roles.remote.{code}"));
            (label, link(&|q| q.remote = code.clone()), count, current)
        })
        .collect();
    let flags = ["visa", "abroad"]
        .into_iter()
        .filter_map(|facet| {
            let count = facets.count(facet, "true")?;
            let (label, current) = match facet {
                "visa" => (
                    t(lang, "jobs.sponsors_visa"),
                    domain::profile::checkbox(&query.visa),
                ),
                _ => (
                    t(lang, "jobs.from_abroad"),
                    domain::profile::checkbox(&query.abroad),
                ),
            };
            let href = link(&|q| {
                let on = Some("on".to_owned());
                if facet == "visa" {
                    q.visa = on;
                } else {
                    q.abroad = on;
                }
            });
            Some((label, href, count, current))
        })
        .collect();
    let salary = values("salary")
        .into_iter()
        .map(|(yen, count)| {
            let amount = yen
                .parse::<i64>()
                .map_or(yen.clone(), |y| format_yen(y, lang));
            let label = t_with(lang, "jobs.salary_at_least", &[("amount", &amount)]);
            let current = query.salary_min == yen;
            (label, link(&|q| q.salary_min = yen.clone()), count, current)
        })
        .collect();
    view! {
        <aside class="refine" aria-label=t(lang, "jobs.refine")>
            {group(t(lang, "jobs.jlpt"), jlpt)}
            {group(t(lang, "roles.prefecture"), prefecture)}
            {group(t(lang, "jobs.sector"), sector)}
            {group(t(lang, "roles.remote_policy"), remote)}
            {group(t(lang, "jobs.conditions"), flags)}
            {group(t(lang, "jobs.salary_min"), salary)}
        </aside>
    }
}

/// The label of a search form field, for a problem with it (`skills[2]` is the skills field).
fn search_field_label(field: &str) -> &'static str {
    match field.split('[').next().unwrap_or_default() {
        "q" => "jobs.keywords",
        "skills" => "jobs.skills",
        "jlpt" => "jobs.jlpt",
        "prefecture" => "roles.prefecture",
        "sector" => "jobs.sector",
        "remote" => "roles.remote_policy",
        "salary_min" => "jobs.salary_min",
        "sort" => "jobs.sort",
        _ => "jobs.pages",
    }
}

/// A role as an engineer sees it, with Apply.
#[component]
pub fn JobPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let failed = Resource::new(|| (), |_| take_plain_submission("apply_to_role".to_owned()));
    let view_resource = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_job(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                view_resource.get().map(|result| match result {
                    Ok(role) => view! { <RoleDetail role failed /> }.into_any(),
                    Err(error) => view! { <PageTitle text=t(lang, "errors.not_found") /><h1>{t(lang, "jobs.title")}</h1><PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoleDetail(role: RoleView, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let card = role.card.clone();
    let title = title_for(lang, &card.title_ja, &card.title_en);
    let title_lang = title_language(lang, &card.title_ja, &card.title_en);
    let only_in = posted_only_in(lang, &card.title_ja, &card.title_en);
    // the role in its own language(s), with the reader's interface around it
    let descriptions = [
        ("ja", role.description_ja.clone()),
        ("en", role.description_en.clone()),
    ];
    let jlpt = card.min_jlpt.clone().map_or_else(
        || t(lang, "roles.jlpt_any"),
        |l| {
            if role.jlpt_strict {
                t_with(lang, "jobs.jlpt_strict", &[("level", &l)])
            } else {
                l
            }
        },
    );
    view! {
        <PageTitle text=title.clone() />
        <article class="role-page">
            <h1 lang=title_lang>{title}</h1>
            {only_in.map(|key| view! { <p class="tag">{t(lang, key)}</p> })}
            {card.title_ja.clone().zip(card.title_en.clone()).map(|(ja, en)| view! {
                <p class="other-title" lang=if lang == UiLanguage::Ja { "en" } else { "ja" }>{if lang == UiLanguage::Ja { en } else { ja }}</p>
            })}
            <p class="muted"><a href=format!("/companies/{}", card.organisation_id)>{card.organisation_name.clone()}</a>" · "{sector_name(lang, &card.sector)}</p>
            {(!role.is_open).then(|| view! { <p class="alert alert-info">{t(lang, "jobs.not_open")}</p> })}
            {role.closes_on.filter(|_| role.is_open).map(|day| view! {
                <p class="closes-on">{crate::i18n::t_with(lang, "jobs.closes_on", &[("date", &day.format("%Y-%m-%d").to_string())])}</p>
            })}
            {role.invited.then(|| view! { <p class="alert alert-info">{t(lang, "jobs.invited")}</p> })}
            <dl class="facts">
                <dt>{t(lang, "roles.prefecture")}</dt><dd>{place(lang, &card.prefecture)}</dd>
                <dt>{t(lang, "roles.salary_column")}</dt><dd>{format_band(card.salary_min_jpy, card.salary_max_jpy, lang)}</dd>
                <dt>"JLPT"</dt><dd>{jlpt}</dd>
                <dt>{t(lang, "roles.working_language")}</dt><dd>{t(lang, &format!("roles.working_languages.{}", role.working_language))}</dd>
                <dt>{t(lang, "roles.remote_policy")}</dt><dd>{t(lang, &format!("roles.remote.{}", card.remote_policy))}</dd>
                <dt>{t(lang, "roles.visa_sponsorship")}</dt><dd>{t(lang, if card.visa_sponsorship { "common.yes" } else { "common.no" })}</dd>
                <dt>{t(lang, "roles.apply_from_abroad")}</dt><dd>{t(lang, if card.apply_from_abroad { "common.yes" } else { "common.no" })}</dd>
                <dt>{t(lang, "roles.headcount")}</dt><dd>{role.headcount}</dd>
            </dl>
            {descriptions.into_iter().filter_map(|(code, text)| text.map(|text| (code, text))).map(|(code, text)| view! {
                <section class="description" lang=code><p>{text}</p></section>
            }).collect_view()}
            <section aria-labelledby="skills-heading">
                <h2 id="skills-heading">{t(lang, "roles.required_skills")}</h2>
                <ul>
                    {role.required.iter().map(|(name, years)| view! { <li>{t_count(lang, "jobs.skill_years", "years", years, &[("skill", name)])}</li> }).collect_view()}
                </ul>
                {(!role.nice.is_empty()).then(|| view! {
                    <h3>{t(lang, "roles.nice_skills")}</h3>
                    <p>{role.nice.join(", ")}</p>
                })}
            </section>
            {card.fit.clone().map(|fit| view! {
                <section aria-labelledby="fit-heading">
                    <h2 id="fit-heading">{t(lang, "fit.title")}</h2>
                    <FitSummary fit />
                </section>
            })}
            {role.points.clone().map(|(low, high)| view! {
                <section aria-labelledby="points-heading">
                    <h2 id="points-heading">{t(lang, "points.title")}</h2>
                    <Points points=low />
                    <Points points=high />
                </section>
            })}
            {role.needs_date_of_birth.then(|| view! { <p class="hint">{t(lang, "points.needs_date_of_birth")}" "<a href="/profile">{t(lang, "nav.profile")}</a></p> })}
            <ApplyPanel role=role.clone() failed />
        </article>
    }
}

#[component]
fn ApplyPanel(role: RoleView, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    if let Some(id) = role.application_id {
        return view! { <p class="alert alert-success">{t(lang, "jobs.applied")}" "<a href=format!("/applications/{id}")>{t(lang, "jobs.see_application")}</a></p> }.into_any();
    }
    if !role.can_apply {
        let log_in = format!("/login?next=/jobs/{}", role.card.id);
        return match (role.viewer, role.has_profile, role.is_open) {
            (Some(UserRole::Engineer), false, true) => view! {
                <p class="notice"><a href="/profile">{t(lang, "jobs.complete_profile_to_apply")}</a></p>
            }
            .into_any(),
            (None, _, true) => view! {
                <p class="notice">
                    <a href="/signup">{t(lang, "jobs.sign_up_to_apply")}</a>" · "
                    <a href=log_in>{t(lang, "jobs.log_in_to_apply")}</a>
                </p>
            }
            .into_any(),
            _ => ().into_any(),
        };
    }
    let action = ServerAction::<ApplyToRole>::new();
    let typed = failed
        .as_ref()
        .map(|f| f.typed_text("note"))
        .unwrap_or_default();
    let error = current_error(action.value(), failed);
    let consent_words = crate::i18n::t_with(
        lang,
        "consent.grant_text",
        &[("organisation", &role.card.organisation_name)],
    );
    view! {
        <section aria-labelledby="apply-heading" class="apply">
            <h2 id="apply-heading">{t(lang, "jobs.apply")}</h2>
            <ActionForm action=action attr:class="form" attr:novalidate="true">
                <input type="hidden" name="role_id" value=role.card.id.to_string() />
                <div class="field">
                    <label for="apply-note">{t(lang, "jobs.apply_note")}</label>
                    <textarea id="apply-note" name="note" rows="4">{typed}</textarea>
                    <crate::components::FieldProblems field="note" error=error />
                </div>
                <div class="field checkbox">
                    <input type="checkbox" id="apply-share-contact" name="share_contact" value="on" />
                    <label for="apply-share-contact">{consent_words}</label>
                </div>
                <FormStatus error=error saved=Signal::derive(|| false) saved_message="common.saved" />
                <button type="submit" class="button primary">{t(lang, "jobs.apply")}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}
