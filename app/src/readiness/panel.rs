//! The readiness panel on the application page.

use leptos::prelude::*;

use super::api::{load_readiness, ChecklistView, Readiness, TickChecklist};
use crate::i18n::{t, t_with, use_lang, Phrases};
use crate::jobs::api::PointsView;
use domain::hsp::{open_routes, HspCase, PointsItem, VisaRoute, TABLE_2023};
use domain::jlpt::JlptLevel;
use domain::language::UiLanguage;

/// Loads and shows an application's readiness; ticking a document reloads it.
#[component]
pub fn ReadinessPanel(application_id: i32) -> impl IntoView {
    let lang = use_lang();
    let tick = ServerAction::<TickChecklist>::new();
    let readiness = Resource::new(
        move || tick.version().get(),
        move |_| load_readiness(application_id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || readiness.get().and_then(|r| r.ok()).map(|r| {
                let error = tick.value().get().and_then(|v| v.err());
                view! {
                    <section class="readiness" aria-labelledby="readiness-heading">
                        <h2 id="readiness-heading">{t(lang, "readiness.title")}</h2>
                        {error.map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
                        <ReadinessFacts readiness=r.clone() />
                        {r.checklist.clone().map(|list| view! { <Checklist list application_id=r.application_id tick /> }.into_any())}
                    </section>
                }
                .into_any()
            })}
        </Suspense>
    }
}

#[component]
fn ReadinessFacts(readiness: Readiness) -> impl IntoView {
    let lang = use_lang();
    let jlpt = match (&readiness.jlpt_certified, &readiness.jlpt_declared) {
        (Some(level), _) => Some(t_with(
            lang,
            "readiness.jlpt_certified",
            &[("level", level)],
        )),
        (None, Some(level)) => Some(t_with(lang, "readiness.jlpt_declared", &[("level", level)])),
        (None, None) => None,
    };
    let documents = readiness.documents_at.clone().map(|base| {
        let kinds = domain::documents::DocumentKind::ALL;
        view! {
            <h3>{t(lang, "documents.title")}</h3>
            <ul class="document-links">
                {kinds.into_iter().map(|kind| {
                    let href = format!("{base}/{}.pdf", kind.slug());
                    view! { <li><a href=href download="">{t(lang, &format!("documents.kinds.{}", kind.slug()))}</a></li> }
                }).collect_view()}
            </ul>
            {readiness.contact_left_out.then(|| view! { <p class="hint contact-left-out">{t(lang, "readiness.contact_left_out")}</p> })}
        }
    });
    view! {
        <dl class="facts">
            {jlpt.map(|text| view! { <dt>"JLPT"</dt><dd class="jlpt-evidence">{text}</dd> }.into_any())}
        </dl>
        {readiness.points_at_offer.map(|points| view! { <PointsAtOffer points /> }.into_any())}
        {readiness.case_at_offer.map(|case| view! { <WhatIf case phrases=what_if_phrases(lang) /> }.into_any())}
        {documents.map(IntoAny::into_any)}
    }
}

/// The points at the offer's salary, what they open, and how soon permanent residence follows.
#[component]
pub fn PointsAtOffer(points: PointsView) -> impl IntoView {
    let lang = use_lang();
    let line = t_with(
        lang,
        "readiness.points_at_offer",
        &[
            (
                "salary",
                &domain::money::format_yen(points.salary_jpy, lang),
            ),
            ("points", &points.total.to_string()),
            ("pass", &points.pass_mark.to_string()),
        ],
    );
    view! {
        <div class="points-at-offer" data-points=points.total.to_string()>
            <p>{line}{points.qualifies.then(|| view! { " · "<strong>{t(lang, "points.qualifies")}</strong> })}</p>
            {points.j_skip.then(|| view! { <p class="j-skip">{t(lang, "points.j_skip")}</p> })}
            {points.permanent_residence_after_years.map(|years| view! {
                <p class="permanent-residence">{t_with(lang, "points.permanent_residence", &[("years", &years.to_string())])}</p>
            })}
            {(!points.routes.is_empty()).then(|| view! {
                <p>{t(lang, "points.routes")}": "
                    {points.routes.iter().map(|r| t(lang, &format!("visa_routes.{r}"))).collect::<Vec<_>>().join(" · ")}
                </p>
            })}
        </div>
    }
}

#[component]
fn Checklist(
    list: ChecklistView,
    application_id: i32,
    tick: ServerAction<TickChecklist>,
) -> impl IntoView {
    let lang = use_lang();
    let done = list.rows.iter().filter(|r| r.ticked_at.is_some()).count();
    let category = match list.category {
        Some(n) => t(lang, &format!("sponsorship.category_{n}")),
        None => t_with(
            lang,
            "readiness.category_unknown",
            &[("category", &list.category_shown.to_string())],
        ),
    };
    view! {
        <h3>{t(lang, "readiness.checklist")}</h3>
        <p class="checklist-summary">
            {t_with(lang, "readiness.checklist_progress", &[("done", &done.to_string()), ("total", &list.rows.len().to_string())])}
            " · "{t(lang, &format!("visa_routes.{}", list.route))}" · "{category}
        </p>
        <ul class="checklist">
            {list.rows.into_iter().map(|row| {
                let who = t(lang, &format!("readiness.who_{}", row.who));
                let state = match (&row.ticked_at, &row.ticked_by) {
                    (Some(at), by) => t_with(lang, "readiness.provided", &[
                        ("date", &at.format("%Y-%m-%d").to_string()),
                        ("by", by.as_deref().unwrap_or("—")),
                    ]),
                    (None, _) => t(lang, "readiness.waiting"),
                };
                let ticked = row.ticked_at.is_some();
                let key = row.key.clone();
                view! {
                    <li data-item=row.key.clone() data-done=ticked.to_string()>
                        <span class="who">{who}</span>" "
                        <span class="what">{row.text.clone()}</span>" "
                        <span class="state muted">{state}</span>
                        {row.can_tick.then(|| view! {
                            <ActionForm action=tick attr:class="inline-form">
                                <input type="hidden" name="application_id" value=application_id.to_string() />
                                <input type="hidden" name="item_key" value=key />
                                {(!ticked).then(|| view! { <input type="hidden" name="done" value="on" /> })}
                                <button type="submit" class="link-button">
                                    {if ticked { t(lang, "readiness.untick") } else { t(lang, "readiness.tick") }}
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <p class="hint">{t_with(lang, "readiness.source", &[("source", &list.source), ("date", &list.effective_from)])}</p>
    }
}

/// The strings [`WhatIf`] shows, in `lang`.
fn what_if_phrases(lang: UiLanguage) -> Phrases {
    let fixed = [
        "whatif.title",
        "whatif.intro",
        "whatif.salary",
        "whatif.it",
        "whatif.no_jlpt",
        "whatif.total",
        "whatif.salary_floor",
        "whatif.no_route",
        "points.qualifies",
        "points.j_skip",
        "points.permanent_residence",
        "points.routes",
    ];
    let routes =
        VisaRoute::ALL.map(|r| format!("visa_routes.{}", domain::pipeline::visa_route_code(r)));
    let items = PointsItem::ALL.map(|item| format!("points.item_{}", item.code()));
    Phrases::of(
        lang,
        fixed
            .into_iter()
            .map(str::to_owned)
            .chain(routes)
            .chain(items),
    )
}

/// What if the salary, the JLPT level or the IT qualifications were different: the points and
/// the open routes recomputed in the browser by `domain::hsp`, the code the server scores with.
/// An island: the one part of the readiness page that runs in the browser, with its strings
/// looked up on the server ([`what_if_phrases`]).
#[island]
pub fn WhatIf(case: HspCase, phrases: Phrases) -> impl IntoView {
    let salary = RwSignal::new((case.annual_salary_jpy / 10_000).to_string());
    let jlpt = RwSignal::new(case.jlpt.map(|l| l.code().to_owned()).unwrap_or_default());
    let it = RwSignal::new(case.japanese_it_qualifications.min(2).to_string());
    let scored = move || {
        let mut changed = case.clone();
        if let Ok(man) = domain::validation::integer(&salary.get(), 0, 100_000) {
            changed.annual_salary_jpy = man * 10_000;
        }
        changed.jlpt = JlptLevel::parse(&jlpt.get());
        changed.japanese_it_qualifications = it.get().parse().unwrap_or(0);
        let points = TABLE_2023.score(&changed);
        let routes = open_routes(&changed, &points);
        (points, routes)
    };
    let levels = std::iter::once((String::new(), phrases.get("whatif.no_jlpt")))
        .chain(
            JlptLevel::ALL
                .into_iter()
                .map(|l| (l.code().to_owned(), l.code().to_owned())),
        )
        .collect::<Vec<_>>();
    view! {
        <section class="what-if" aria-labelledby="what-if-heading">
            <h3 id="what-if-heading">{phrases.get("whatif.title")}</h3>
            <p class="hint">{phrases.get("whatif.intro")}</p>
            <div class="what-if-inputs">
                <div class="field">
                    <label for="what-if-salary">{phrases.get("whatif.salary")}</label>
                    <input id="what-if-salary" type="text" inputmode="numeric" prop:value=move || salary.get()
                        on:input=move |ev| salary.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="what-if-jlpt">"JLPT"</label>
                    <select id="what-if-jlpt" on:change=move |ev| jlpt.set(event_target_value(&ev))>
                        {levels.into_iter().map(|(value, label)| {
                            let selected = value == jlpt.get_untracked();
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="what-if-it">{phrases.get("whatif.it")}</label>
                    <select id="what-if-it" on:change=move |ev| it.set(event_target_value(&ev))>
                        {["0", "1", "2"].into_iter().map(|n| {
                            let selected = n == it.get_untracked();
                            view! { <option value=n selected=selected>{n}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="what-if-result" aria-live="polite">
                {move || {
                    let (points, routes) = scored();
                    let total = phrases.with("whatif.total", &[
                        ("points", &points.total.to_string()),
                        ("pass", &TABLE_2023.pass_mark.to_string()),
                    ]);
                    let parts: Vec<AnyView> = vec![
                        view! {
                        <p class="what-if-total" data-points=points.total.to_string()>
                            <strong>{total}</strong>
                            {points.qualifies.then(|| view! { " · "{phrases.get("points.qualifies")} })}
                        </p>
                        }.into_any(),
                        view! {
                        {(!points.salary_floor_met).then(|| view! { <p class="alert alert-info">{phrases.get("whatif.salary_floor")}</p> })}
                        {points.j_skip.then(|| view! { <p class="j-skip">{phrases.get("points.j_skip")}</p> })}
                        {points.permanent_residence_after_years.map(|years| view! {
                            <p class="permanent-residence">{phrases.with("points.permanent_residence", &[("years", &years.to_string())])}</p>
                        })}
                        <p class="what-if-routes">{phrases.get("points.routes")}": "
                            {if routes.is_empty() {
                                phrases.get("whatif.no_route")
                            } else {
                                routes.iter().map(|r| phrases.get(&format!("visa_routes.{}", domain::pipeline::visa_route_code(*r)))).collect::<Vec<_>>().join(" · ")
                            }}
                        </p>
                        }.into_any(),
                        view! {
                        <ul class="points-items">
                            {points.items.into_iter().map(|(item, n)| view! {
                                <li data-item=item.code()>{phrases.get(&format!("points.item_{}", item.code()))}": "{n}</li>
                            }).collect_view()}
                        </ul>
                        }.into_any(),
                    ];
                    parts
                }}
            </div>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use domain::profile::Degree;

    /// Every string the island shows is among those looked up for it: a key it shows without
    /// one would appear as the key itself. A case that opens both routes, past the pass mark,
    /// and one that opens none, show every line the island has.
    #[test]
    fn the_what_if_island_is_given_every_string_it_shows() {
        let open = HspCase {
            degree: Some(Degree::Doctorate),
            related_experience_years: 10,
            age: 29,
            annual_salary_jpy: 20_000_000,
            jlpt: Some(JlptLevel::N1),
            japanese_it_qualifications: 2,
            ..HspCase::default()
        };
        let closed = HspCase::default();
        for lang in UiLanguage::ALL {
            for case in [open.clone(), closed.clone()] {
                let html = Owner::new()
                    .with(|| view! { <WhatIf case phrases=what_if_phrases(lang) /> }.to_html());
                // the props the browser hydrates from carry the keys; the page's text must not
                let shown: String = html
                    .split("data-props=")
                    .enumerate()
                    .map(|(i, part)| {
                        if i == 0 {
                            part
                        } else {
                            part.split_once('>').map_or("", |(_, rest)| rest)
                        }
                    })
                    .collect();
                assert!(shown.contains("what-if-total"), "{shown}");
                for prefix in ["whatif.", "points.", "visa_routes."] {
                    // a key, not a sentence ending in "points."
                    let as_key = shown.match_indices(prefix).any(|(at, _)| {
                        shown[at + prefix.len()..].starts_with(|c: char| c.is_ascii_lowercase())
                    });
                    assert!(!as_key, "{lang:?}: a {prefix} key shown in {shown}");
                }
            }
        }
    }
}
