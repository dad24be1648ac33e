//! The administrators' pages: dashboard, verification queue, users, audit log, settings.

use domain::language::UiLanguage;
use domain::programme::SettingsDraft;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    find_users, load_audit, load_programme, load_settings, load_verification_queue,
    load_verified_organisations, AuditFilters, AuditPage, Breakdown, DashboardFilters,
    DecideVerification, ProgrammeSummary, RiskList, SaveSettings, SetSuspended, UserRow,
    VerificationItem,
};
use super::charts::{Bar, BarChart, Legend};
use crate::applications::pages::stage_label;
use crate::auth::pages::{prefecture_choices, sector_choices, state_choices};
use crate::components::{
    encode_component, Choice, FieldProblems, FormStatus, PageTitle, TableRegion, TextField,
};
use crate::error::{AppError, AppResult};
use crate::forms::{current_error, succeeded, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::PageError;

/// The administrators' sub-navigation.
#[component]
fn AdminNav() -> impl IntoView {
    let lang = use_lang();
    let links = [
        ("/admin", "admin.dashboard"),
        ("/admin/verification", "admin.verification"),
        ("/admin/users", "admin.users"),
        ("/admin/audit", "admin.audit"),
        ("/admin/mail", "admin.mail"),
        ("/admin/settings", "admin.settings"),
    ];
    view! {
        <nav class="admin-nav" aria-label=t(lang, "admin.nav_label")>
            <ul>{links.into_iter().map(|(href, key)| view! { <li><a href=href>{t(lang, key)}</a></li> }).collect_view()}</ul>
        </nav>
    }
}

fn number(n: f64) -> String {
    domain::money::grouped(n.round() as i64)
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// A dimension's key as a reader's label.
pub fn dimension_label(
    lang: UiLanguage,
    dimension: &str,
    key: &str,
    name: &Option<String>,
) -> String {
    let l = lang.code();
    match dimension {
        _ if key == "none" => t(lang, "admin.none_given"),
        "sector" => domain::geo::Sector::parse(key)
            .map_or(key.to_owned(), |s| s.name().in_language(l).to_owned()),
        "state" => domain::geo::indian_state(key)
            .map_or(key.to_owned(), |s| s.name.in_language(l).to_owned()),
        "prefecture" => domain::geo::prefecture(key)
            .map_or(key.to_owned(), |p| p.name.in_language(l).to_owned()),
        "route" => t(lang, &format!("visa_routes.{key}")),
        "employer" => name.clone().unwrap_or_else(|| key.to_owned()),
        _ => key.to_owned(),
    }
}

fn query_string(f: &DashboardFilters) -> String {
    [
        ("from", &f.from),
        ("to", &f.to),
        ("sector", &f.sector),
        ("state", &f.state),
        ("prefecture", &f.prefecture),
        ("jlpt", &f.jlpt),
        ("route", &f.route),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode_component(v)))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
fn CsvLink(table: String, query: String) -> impl IntoView {
    let lang = use_lang();
    let href = if query.is_empty() {
        format!("/admin/export/{table}.csv")
    } else {
        format!("/admin/export/{table}.csv?{query}")
    };
    view! { <p class="export"><a href=href rel="external" download="">{t(lang, "admin.download_csv")}</a></p> }
}

#[component]
pub fn AdminDashboardPage() -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let filters = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        DashboardFilters {
            from: get("from"),
            to: get("to"),
            sector: get("sector"),
            state: get("state"),
            prefecture: get("prefecture"),
            jlpt: get("jlpt"),
            route: get("route"),
        }
    };
    let summary = Resource::new(filters, load_programme);
    view! {
        <PageTitle text=t(lang, "admin.dashboard_title") />
        <h1>{t(lang, "admin.dashboard_title")}</h1>
        <AdminNav />
        {move || view! { <DashboardFiltersForm filters=filters() /> }}
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || summary.get().map(|result| match result {
                Ok(s) => view! { <Dashboard summary=s query=query_string(&filters()) /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn DashboardFiltersForm(filters: DashboardFilters) -> impl IntoView {
    let lang = use_lang();
    let select = |name: &'static str,
                  label: &'static str,
                  mut choices: Vec<Choice>,
                  selected: String| {
        if let Some(first) = choices.first_mut() {
            *first = Choice::new("", t(lang, "jobs.any"));
        }
        let id = format!("filter-{name}");
        view! {
            <div class="field">
                <label for=id.clone()>{t(lang, label)}</label>
                <select id=id name=name>
                    {choices.into_iter().map(|c| { let on = c.value == selected; view! { <option value=c.value selected=on>{c.label}</option> } }).collect_view()}
                </select>
            </div>
        }
    };
    let jlpt: Vec<Choice> = std::iter::once(Choice::new("", ""))
        .chain(std::iter::once(Choice::new(
            "none",
            t(lang, "admin.none_given"),
        )))
        .chain(
            ["N1", "N2", "N3", "N4", "N5"]
                .iter()
                .map(|l| Choice::new(*l, *l)),
        )
        .collect();
    let routes: Vec<Choice> = std::iter::once(Choice::new("", ""))
        .chain(
            ["engineer_specialist", "highly_skilled_professional"]
                .iter()
                .map(|r| Choice::new(*r, t(lang, &format!("visa_routes.{r}")))),
        )
        .collect();
    view! {
        <form method="get" action="/admin" class="form filters" role="search" aria-label=t(lang, "admin.filters")>
            <div class="field">
                <label for="filter-from">{t(lang, "admin.from")}</label>
                <input id="filter-from" type="date" name="from" value=filters.from.clone() />
            </div>
            <div class="field">
                <label for="filter-to">{t(lang, "admin.to")}</label>
                <input id="filter-to" type="date" name="to" value=filters.to.clone() />
            </div>
            {select("sector", "jobs.sector", sector_choices(lang), filters.sector.clone())}
            {select("state", "admin.indian_state", state_choices(lang), filters.state.clone())}
            {select("prefecture", "roles.prefecture", prefecture_choices(lang), filters.prefecture.clone())}
            {select("jlpt", "admin.jlpt", jlpt, filters.jlpt.clone())}
            {select("route", "applications.visa_route", routes, filters.route.clone())}
            <button type="submit" class="button primary">{t(lang, "admin.apply_filters")}</button>
        </form>
    }
}

#[component]
fn Dashboard(summary: ProgrammeSummary, query: String) -> impl IntoView {
    let lang = use_lang();
    let p = summary.progress.clone();
    let month_label = |m: &chrono::NaiveDate| m.format("%Y-%m").to_string();
    let arrival_bars: Vec<Bar> = summary
        .arrivals_by_month
        .iter()
        .map(|m| Bar {
            label: month_label(&m.month),
            value: m.cumulative as f64,
            target: Some(m.target_cumulative),
        })
        .collect();
    let funnel_bars: Vec<Bar> = summary
        .funnel
        .iter()
        .map(|f| Bar {
            label: t(lang, &format!("stages_short.{}", f.stage)),
            value: f.reached as f64,
            target: None,
        })
        .collect();
    let last = summary.arrivals_by_month.last().cloned();
    let arrivals_desc = t_with(
        lang,
        "admin.arrivals_desc",
        &[
            (
                "counted",
                &number(last.as_ref().map_or(0.0, |m| m.cumulative as f64)),
            ),
            (
                "target",
                &number(last.as_ref().map_or(0.0, |m| m.target_cumulative)),
            ),
        ],
    );
    let arrivals_legend = Legend {
        bars: t_with(
            lang,
            "admin.legend_counted",
            &[(
                "counted",
                &number(last.as_ref().map_or(0.0, |m| m.cumulative as f64)),
            )],
        ),
        target: Some(t(lang, "admin.legend_target")),
    };
    let funnel_desc = t_with(
        lang,
        "admin.funnel_desc",
        &[
            (
                "applied",
                &number(summary.funnel.first().map_or(0.0, |f| f.reached as f64)),
            ),
            (
                "arrived",
                &number(
                    summary
                        .funnel
                        .iter()
                        .find(|f| f.stage == "arrived")
                        .map_or(0.0, |f| f.reached as f64),
                ),
            ),
        ],
    );
    let median = |d: Option<i64>| {
        d.map_or_else(
            || "—".to_owned(),
            |d| t_count(lang, "admin.days", "days", d, &[]),
        )
    };
    view! {
        <section class="headline" aria-labelledby="headline-heading">
            <h2 id="headline-heading">{t(lang, "admin.where_we_are")}</h2>
            <dl class="stat-cards">
                <div><dt>{t(lang, "admin.counted")}</dt><dd data-stat="counted">{number(p.counted as f64)}</dd></div>
                <div><dt>{t(lang, "admin.target_to_date")}</dt><dd>{number(p.target_to_date)}</dd></div>
                <div><dt>{t(lang, "admin.target_total")}</dt><dd>{number(f64::from(p.target_total))}</dd></div>
                <div><dt>{t(lang, "admin.run_rate")}</dt><dd>{number(p.monthly_run_rate)}</dd></div>
                <div><dt>{t(lang, "admin.rate_needed")}</dt><dd>{number(p.monthly_rate_needed)}</dd></div>
                <div><dt>{t(lang, "admin.projection")}</dt><dd>{number(p.projected_at_end)}</dd></div>
            </dl>
            <p class=if p.on_track { "alert alert-success" } else { "alert alert-error" }>
                {t(lang, if p.on_track { "admin.on_track" } else { "admin.off_track" })}
            </p>
            <p class="hint">{t_with(lang, "admin.counting_rule", &[
                ("stage", &stage_label(lang, &summary.counted_stage)),
                ("routes", &summary.counted_routes.iter().map(|r| t(lang, &format!("visa_routes.{r}"))).collect::<Vec<_>>().join(", ")),
                ("start", &summary.start.to_string()),
                ("end", &summary.end.to_string()),
            ])}</p>
            <TableRegion label=t(lang, "admin.years")>
                <table class="data">
                    <caption>{t(lang, "admin.years")}</caption>
                    <thead><tr><th scope="col">{t(lang, "admin.year_from")}</th><th scope="col">{t(lang, "admin.target")}</th><th scope="col">{t(lang, "admin.counted")}</th></tr></thead>
                    <tbody>{summary.years.iter().map(|(from, target, counted)| view! { <tr><td>{from.to_string()}</td><td>{number(f64::from(*target))}</td><td>{number(*counted as f64)}</td></tr> }).collect_view()}</tbody>
                </table>
            </TableRegion>
            <CsvLink table="years".to_owned() query=query.clone() />
        </section>
        <section aria-labelledby="arrivals-heading">
            <h2 id="arrivals-heading">{t(lang, "admin.arrivals_title")}</h2>
            <BarChart id="arrivals-chart" title=t(lang, "admin.arrivals_title") description=arrivals_desc bars=arrival_bars legend=arrivals_legend />
            <TableRegion label=t(lang, "admin.arrivals_title")>
                <table class="data compact">
                    <caption>{t(lang, "admin.arrivals_title")}</caption>
                    <thead><tr><th scope="col">{t(lang, "admin.month")}</th><th scope="col">{t(lang, "admin.people")}</th><th scope="col">{t(lang, "admin.cumulative")}</th><th scope="col">{t(lang, "admin.target_to_date")}</th></tr></thead>
                    <tbody>{summary.arrivals_by_month.iter().map(|m| view! { <tr><td>{month_label(&m.month)}</td><td>{m.people}</td><td>{m.cumulative}</td><td>{number(m.target_cumulative)}</td></tr> }).collect_view()}</tbody>
                </table>
            </TableRegion>
            <CsvLink table="arrivals".to_owned() query=query.clone() />
        </section>
        <section aria-labelledby="funnel-heading">
            <h2 id="funnel-heading">{t(lang, "admin.funnel_title")}</h2>
            <BarChart id="funnel-chart" title=t(lang, "admin.funnel_title") description=funnel_desc bars=funnel_bars />
            <TableRegion label=t(lang, "admin.funnel_title")>
                <table class="data compact funnel">
                    <caption>{t(lang, "admin.funnel_title")}</caption>
                    <thead><tr><th scope="col">{t(lang, "applications.stage")}</th><th scope="col">{t(lang, "admin.reached")}</th><th scope="col">{t(lang, "admin.open_now")}</th><th scope="col">{t(lang, "admin.conversion")}</th></tr></thead>
                    <tbody>{summary.funnel.iter().map(|f| view! { <tr data-stage=f.stage.clone()><td>{stage_label(lang, &f.stage)}</td><td>{f.reached}</td><td>{f.open_now}</td><td>{percent(f.conversion)}</td></tr> }).collect_view()}</tbody>
                </table>
            </TableRegion>
            <CsvLink table="funnel".to_owned() query=query.clone() />
            <dl class="facts">
                <dt>{t(lang, "admin.median_applied_offer")}</dt><dd>{median(summary.medians.applied_to_offer)}</dd>
                <dt>{t(lang, "admin.median_offer_coe")}</dt><dd>{median(summary.medians.offer_to_coe_issued)}</dd>
                <dt>{t(lang, "admin.median_coe_arrival")}</dt><dd>{median(summary.medians.coe_issued_to_arrival)}</dd>
            </dl>
            <TableRegion label=t(lang, "admin.closed_title")>
                <table class="data compact">
                    <caption>{t(lang, "admin.closed_title")}</caption>
                    <thead><tr><th scope="col">{t(lang, "admin.reason")}</th><th scope="col">{t(lang, "admin.applications")}</th></tr></thead>
                    <tbody>{summary.closed.iter().map(|(r, n)| view! { <tr><td>{stage_label(lang, r)}</td><td>{*n}</td></tr> }).collect_view()}</tbody>
                </table>
            </TableRegion>
            <CsvLink table="closed".to_owned() query=query.clone() />
        </section>
        <section aria-labelledby="breakdowns-heading">
            <h2 id="breakdowns-heading">{t(lang, "admin.breakdowns_title")}</h2>
            {summary.breakdowns.iter().map(|b| view! { <BreakdownTable breakdown=b.clone() query=query.clone() /> }).collect_view()}
        </section>
        <section aria-labelledby="risk-heading">
            <h2 id="risk-heading">{t(lang, "admin.risk_title")}</h2>
            <RiskTable id="coe_expiring" list=summary.coe_expiring.clone() query=query.clone() />
            <RiskTable id="registration_overdue" list=summary.registration_overdue.clone() query=query.clone() />
            <RiskTable id="stuck" list=summary.stuck.clone() query=query.clone() />
        </section>
    }
}

#[component]
fn BreakdownTable(breakdown: Breakdown, query: String) -> impl IntoView {
    let lang = use_lang();
    let dimension = breakdown.dimension.clone();
    let caption = t(lang, &format!("admin.by_{dimension}"));
    view! {
        <TableRegion label=caption.clone()>
            <table class="data compact breakdown" data-dimension=dimension.clone()>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, &format!("admin.dimension_{dimension}"))}</th>
                    <th scope="col">{t(lang, "admin.applications")}</th>
                    <th scope="col">{t(lang, "admin.offers")}</th>
                    <th scope="col">{t(lang, "admin.counted")}</th>
                </tr></thead>
                <tbody>
                    {breakdown.rows.iter().map(|r| view! {
                        <tr><td>{dimension_label(lang, &dimension, &r.key, &r.name)}</td><td>{r.applications}</td><td>{r.offers}</td><td>{r.counted}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <CsvLink table=format!("breakdown-{}", breakdown.dimension) query />
    }
}

#[component]
fn RiskTable(id: &'static str, list: RiskList, query: String) -> impl IntoView {
    let lang = use_lang();
    let waiting = id == "stuck";
    view! {
        <TableRegion label=t_with(lang, &format!("admin.risk_{id}"), &[("count", &list.total.to_string())])>
            <table class="data compact risk" data-risk=id>
                <caption>{t_with(lang, &format!("admin.risk_{id}"), &[("count", &list.total.to_string())])}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, "applications.candidate")}</th>
                    <th scope="col">{t(lang, "admin.employer")}</th>
                    <th scope="col">{t(lang, "applications.stage")}</th>
                    <th scope="col">{t(lang, if waiting { "admin.since" } else { "admin.due" })}</th>
                    <th scope="col">{t(lang, if waiting { "admin.days_waiting" } else { "admin.days_left" })}</th>
                </tr></thead>
                <tbody>
                    {list.rows.iter().map(|r| view! {
                        <tr>
                            <td><a href=format!("/applications/{}", r.application_id)>{r.engineer_name.clone()}</a></td>
                            <td>{r.organisation_name.clone()}</td>
                            <td>{stage_label(lang, &r.stage)}</td>
                            <td>{r.date.to_string()}</td>
                            <td class=if !waiting && r.days < 0 { "overdue" } else { "" }>{r.days}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <CsvLink table=id.replace('_', "-") query />
    }
}

/// Employers waiting for verification.
#[component]
pub fn VerificationPage() -> impl IntoView {
    let lang = use_lang();
    let decide = ServerAction::<DecideVerification>::new();
    let queue = Resource::new(
        move || decide.version().get(),
        |_| load_verification_queue(),
    );
    // the decision sent last by a plain post: its error shows on that card, beside the reason
    let kept = Resource::new(
        || (),
        |_| take_plain_submission("decide_verification".to_owned()),
    );
    let no_error = Signal::derive(|| None);
    view! {
        <PageTitle text=t(lang, "admin.verification") />
        <h1>{t(lang, "admin.verification")}</h1>
        <AdminNav />
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let kept = kept.get()?.ok().flatten();
                let saved = succeeded(decide.value(), kept.as_ref());
                queue.get().map(|result| match result {
                    Ok(items) if items.is_empty() => view! {
                        <FormStatus error=no_error saved saved_message="admin.decision_saved" />
                        <p>{t(lang, "admin.queue_empty")}</p>
                    }.into_any(),
                    Ok(items) => view! {
                        <FormStatus error=no_error saved saved_message="admin.decision_saved" />
                        <ul class="cards verification">
                            {items.into_iter().map(|item| view! { <VerificationCard item decide kept=kept.clone() /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
        <VerifiedOrganisations decide kept />
    }
}

/// Verified employers, a page at a time, each with a form to withdraw its verification (with
/// a reason the employer is told): its roles leave search and it loses the talent pool.
#[component]
fn VerifiedOrganisations(
    decide: ServerAction<DecideVerification>,
    kept: Resource<AppResult<Option<PlainSubmission>>>,
) -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let page = move || {
        query_map
            .read()
            .get("verified_page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let verified = Resource::new(
        move || (page(), decide.version().get()),
        |(page, _)| load_verified_organisations(page),
    );
    view! {
        <section aria-labelledby="verified-heading" class="verified-organisations">
            <h2 id="verified-heading">{t(lang, "admin.verified_organisations")}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
                {move || {
                    let kept = kept.get()?.ok().flatten();
                    verified.get().map(|result| match result {
                    Ok((items, _)) if items.is_empty() && page() == 1 => view! { <p>{t(lang, "admin.none_verified")}</p> }.into_any(),
                    Ok((items, has_more)) => {
                        let current = page();
                        view! {
                            <ul class="cards verified">
                                {items.into_iter().map(|item| view! { <WithdrawCard item decide kept=kept.clone() /> }).collect_view()}
                            </ul>
                            <nav class="pager" aria-label=t(lang, "admin.verified_organisations")>
                                {(current > 1).then(|| view! { <a rel="prev" href=format!("/admin/verification?verified_page={}", current - 1)>{t(lang, "jobs.previous")}</a> })}
                                {has_more.then(|| view! { <a rel="next" href=format!("/admin/verification?verified_page={}", current + 1)>{t(lang, "jobs.next")}</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
                }}
            </Suspense>
        </section>
    }
}

/// The plain post of this card's `decision` form that the page came back from, if it was
/// this card's (its values name the organisation and the decision).
fn kept_for(
    kept: Option<&PlainSubmission>,
    organisation_id: i32,
    decision: &str,
) -> Option<PlainSubmission> {
    kept.filter(|k| {
        k.typed_number("organisation_id") == Some(organisation_id.into())
            && k.typed_text("decision") == decision
    })
    .cloned()
}

/// The error on this card's form, from the plain post the page came back from (each card has
/// its own forms of the same server function, so its answer alone cannot say whose it was).
fn card_error(kept: Option<PlainSubmission>) -> Signal<Option<AppError>> {
    Signal::stored(kept.and_then(|k| k.error))
}

/// What was typed as the reason in this card's form, if its plain post failed.
fn typed_reason(kept: Option<&PlainSubmission>) -> String {
    kept.map(|k| k.typed_text("reason")).unwrap_or_default()
}

#[component]
fn WithdrawCard(
    item: VerificationItem,
    decide: ServerAction<DecideVerification>,
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let name = item
        .name_ja
        .clone()
        .or(item.name_en.clone())
        .unwrap_or_default();
    let reason_id = format!("withdraw-reason-{}", item.organisation_id);
    let kept = kept_for(kept.as_ref(), item.organisation_id, "withdraw");
    let reason = typed_reason(kept.as_ref());
    let error = card_error(kept);
    let never = Signal::derive(|| false);
    view! {
        <li class="card" data-organisation=item.organisation_id.to_string()>
            <h3>{name}</h3>
            <p>{item.contact_name.clone()}" "{item.contact_email.clone().map(|e| format!("<{e}>"))}" · "{t_count(lang, "admin.roles_waiting", "count", item.roles, &[])}</p>
            <ActionForm action=decide attr:class="form withdraw-form">
                <input type="hidden" name="organisation_id" value=item.organisation_id.to_string() />
                <input type="hidden" name="decision" value="withdraw" />
                <div class="field">
                    <label for=reason_id.clone()>{t(lang, "admin.withdraw_reason")}</label>
                    <textarea id=reason_id name="reason" rows="2">{reason}</textarea>
                    <FieldProblems field="reason" error=error />
                </div>
                <FormStatus error=error saved=never saved_message="admin.decision_saved" />
                <button type="submit" class="button danger">{t(lang, "admin.withdraw")}</button>
            </ActionForm>
        </li>
    }
}

#[component]
fn VerificationCard(
    item: VerificationItem,
    decide: ServerAction<DecideVerification>,
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let name = item
        .name_ja
        .clone()
        .or(item.name_en.clone())
        .unwrap_or_default();
    let other = item.name_en.clone().filter(|_| item.name_ja.is_some());
    let reason_id = format!("reason-{}", item.organisation_id);
    let approve_error = card_error(kept_for(kept.as_ref(), item.organisation_id, "approve"));
    let kept_reject = kept_for(kept.as_ref(), item.organisation_id, "reject");
    let reason = typed_reason(kept_reject.as_ref());
    let reject_error = card_error(kept_reject);
    let never = Signal::derive(|| false);
    let place = domain::geo::prefecture(&item.prefecture).map_or(item.prefecture.clone(), |p| {
        p.name.in_language(lang.code()).to_owned()
    });
    let sector = domain::geo::Sector::parse(&item.sector).map_or(item.sector.clone(), |s| {
        s.name().in_language(lang.code()).to_owned()
    });
    view! {
        <li class="card" data-organisation=item.organisation_id.to_string()>
            <h2>{name}</h2>
            {other.map(|n| view! { <p class="muted">{n}</p> })}
            <p>{place}" · "{sector}" · "{t_count(lang, "admin.roles_waiting", "count", item.roles, &[])}</p>
            <p>{item.contact_name.clone()}" "{item.contact_email.clone().map(|e| format!("<{e}>"))}</p>
            <dl class="facts identity">
                <dt>{t(lang, "organisation.corporate_number")}</dt>
                <dd>{match item.corporate_number.clone() {
                    Some(number) => view! {
                        <a href=domain::corporate::lookup_url(&number) rel="noopener noreferrer" target="_blank">{number.clone()}</a>
                        " "<span class="hint">{t(lang, "admin.check_at_nta")}</span>
                    }.into_any(),
                    None => view! { <span class="muted">{t(lang, "admin.none_given")}</span> }.into_any(),
                }}</dd>
                <dt>{t(lang, "organisation.website")}</dt>
                <dd>{match item.website.clone() {
                    Some(site) => view! { <a href=site.clone() rel="noopener noreferrer nofollow" target="_blank">{site.clone()}</a> }.into_any(),
                    None => view! { <span class="muted">{t(lang, "admin.none_given")}</span> }.into_any(),
                }}</dd>
            </dl>
            {(!item.sponsorship.is_empty()).then(|| {
                let sponsorship = item.sponsorship.clone();
                view! {
                    <details class="sponsorship-claims">
                        <summary>{t(lang, "sponsorship.title")}</summary>
                        <crate::organisation::page::SponsorshipFacts sponsorship />
                    </details>
                }
            })}
            {item.earlier_rejection.clone().map(|r| view! { <p class="note">{t(lang, "admin.earlier_rejection")}": "{r}</p> })}
            <div class="decisions">
                <ActionForm action=decide attr:class="form approve-form">
                    <input type="hidden" name="organisation_id" value=item.organisation_id.to_string() />
                    <input type="hidden" name="decision" value="approve" />
                    <input type="hidden" name="reason" value="" />
                    <FormStatus error=approve_error saved=never saved_message="admin.decision_saved" />
                    <button type="submit" class="button primary">{t(lang, "admin.approve")}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="form reject-form">
                    <input type="hidden" name="organisation_id" value=item.organisation_id.to_string() />
                    <input type="hidden" name="decision" value="reject" />
                    <div class="field">
                        <label for=reason_id.clone()>{t(lang, "admin.reason_label")}</label>
                        <textarea id=reason_id name="reason" rows="2">{reason}</textarea>
                        <FieldProblems field="reason" error=reject_error />
                    </div>
                    <FormStatus error=reject_error saved=never saved_message="admin.decision_saved" />
                    <button type="submit" class="button danger">{t(lang, "admin.reject")}</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// Find users; suspend and reinstate them.
#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let suspend = ServerAction::<SetSuspended>::new();
    let key = move || {
        let q = query_map.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("role").unwrap_or_default(),
            suspend.version().get(),
        )
    };
    let users = Resource::new(key, |(q, role, _)| find_users(q, role));
    let error = Signal::derive(move || suspend.value().get().and_then(|r| r.err()));
    view! {
        <PageTitle text=t(lang, "admin.users") />
        <h1>{t(lang, "admin.users")}</h1>
        <AdminNav />
        {move || {
            let (q, role, _) = key();
            view! {
                <form method="get" action="/admin/users" class="form inline-search" role="search">
                    <label for="users-q">{t(lang, "admin.find_user")}</label>
                    <input id="users-q" type="search" name="q" value=q />
                    <label for="users-role">{t(lang, "admin.role")}</label>
                    <select id="users-role" name="role">
                        {[("", "jobs.any"), ("engineer", "admin.role_engineer"), ("employer", "admin.role_employer"), ("admin", "admin.role_admin")].into_iter().map(|(v, k)| {
                            let on = v == role;
                            view! { <option value=v selected=on>{t(lang, k)}</option> }
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button">{t(lang, "jobs.search")}</button>
                </form>
            }
        }}
        <FormStatus error=error saved=Signal::derive(|| false) saved_message="common.saved" />
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || users.get().map(|result| match result {
                Ok(users) => view! { <UserTable users suspend /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(users: Vec<UserRow>, suspend: ServerAction<SetSuspended>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableRegion label=t(lang, "admin.users")>
            <table class="data users">
                <caption>{t(lang, "admin.users")}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, "admin.name")}</th>
                    <th scope="col">{t(lang, "admin.email")}</th>
                    <th scope="col">{t(lang, "admin.role")}</th>
                    <th scope="col">{t(lang, "admin.employer")}</th>
                    <th scope="col">{t(lang, "admin.status")}</th>
                    <th scope="col"><span class="visually-hidden">{t(lang, "admin.actions")}</span></th>
                </tr></thead>
                <tbody>
                    {users.into_iter().map(|u| {
                        let action_label = t_with(lang, if u.suspended { "admin.reinstate_who" } else { "admin.suspend_who" }, &[("who", &u.email)]);
                        view! {
                        <tr data-user=u.email.clone()>
                            <td>{u.display_name.clone()}</td>
                            <td>{u.email.clone()}</td>
                            <td>{t(lang, &format!("admin.role_{}", u.role))}</td>
                            <td>{u.organisation.clone().unwrap_or_default()}</td>
                            <td>{t(lang, if u.suspended { "admin.suspended" } else { "admin.active" })}</td>
                            <td>
                                <ActionForm action=suspend attr:class="inline-form">
                                    <input type="hidden" name="user_id" value=u.id.to_string() />
                                    <input type="hidden" name="suspend" value=if u.suspended { "false" } else { "true" } />
                                    <button type="submit" class=if u.suspended { "button" } else { "button danger" }
                                        aria-label=action_label>
                                        {t(lang, if u.suspended { "admin.reinstate" } else { "admin.suspend" })}
                                    </button>
                                </ActionForm>
                            </td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// The audit log with filters and export.
#[component]
pub fn AuditLogPage() -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let filters = move || {
        let q = query_map.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        AuditFilters {
            action: get("action"),
            actor: get("actor"),
            subject: get("subject"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    };
    let page = Resource::new(filters, load_audit);
    view! {
        <PageTitle text=t(lang, "admin.audit") />
        <h1>{t(lang, "admin.audit")}</h1>
        <AdminNav />
        {move || {
            let f = filters();
            view! {
                <form method="get" action="/admin/audit" class="form filters" role="search" aria-label=t(lang, "admin.filters")>
                    <div class="field"><label for="audit-action">{t(lang, "admin.action")}</label><input id="audit-action" name="action" value=f.action.clone() placeholder="application." /></div>
                    <div class="field"><label for="audit-actor">{t(lang, "admin.actor")}</label><input id="audit-actor" name="actor" value=f.actor.clone() /></div>
                    <div class="field"><label for="audit-subject">{t(lang, "admin.subject")}</label><input id="audit-subject" name="subject" value=f.subject.clone() placeholder="application:42" /></div>
                    <div class="field"><label for="audit-from">{t(lang, "admin.from")}</label><input id="audit-from" type="date" name="from" value=f.from.clone() /></div>
                    <div class="field"><label for="audit-to">{t(lang, "admin.to")}</label><input id="audit-to" type="date" name="to" value=f.to.clone() /></div>
                    <button type="submit" class="button primary">{t(lang, "admin.apply_filters")}</button>
                </form>
            }
        }}
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || page.get().map(|result| match result {
                Ok(p) => view! { <AuditTable page=p filters=filters() /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

/// `/admin/mail`: outgoing messages by status (failed first), with a retry for failed ones.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let lang = use_lang();
    let query_map = use_query_map();
    let filter = move || {
        let q = query_map.read();
        (
            q.get("status").unwrap_or_else(|| "failed".to_owned()),
            q.get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(0),
        )
    };
    let page = Resource::new(filter, |(status, page)| {
        super::api::load_outbox(status, page)
    });
    let retry = ServerAction::<super::api::RetryMail>::new();
    view! {
        <PageTitle text=t(lang, "admin.mail") />
        <h1>{t(lang, "admin.mail")}</h1>
        <AdminNav />
        {move || {
            let (status, _) = filter();
            view! {
                <form method="get" action="/admin/mail" class="form filters" role="search" aria-label=t(lang, "admin.filters")>
                    <div class="field">
                        <label for="mail-status">{t(lang, "admin.mail_status")}</label>
                        <select id="mail-status" name="status">
                            {["failed", "queued", "sending", "sent", ""].into_iter().map(|code| {
                                let label = if code.is_empty() { t(lang, "admin.mail_all") } else { t(lang, &format!("admin.mail_{code}")) };
                                view! { <option value=code selected=status == code>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button primary">{t(lang, "admin.apply_filters")}</button>
                </form>
            }
        }}
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || page.get().map(|result| match result {
                Ok(p) if p.rows.is_empty() => view! { <p>{t(lang, "admin.mail_none")}</p> }.into_any(),
                Ok(p) => {
                    let (status, current) = filter();
                    let pages = p.total.div_ceil(p.page_size.max(1));
                    view! {
                        <TableRegion label=crate::i18n::t_count(lang, "admin.mail_count", "count", p.total, &[])>
                            <table class="data compact outbox">
                                <caption>{crate::i18n::t_count(lang, "admin.mail_count", "count", p.total, &[])}</caption>
                                <thead><tr>
                                    <th scope="col">{t(lang, "admin.mail_created")}</th>
                                    <th scope="col">{t(lang, "admin.mail_kind")}</th>
                                    <th scope="col">{t(lang, "admin.mail_to")}</th>
                                    <th scope="col">{t(lang, "admin.mail_status")}</th>
                                    <th scope="col">{t(lang, "admin.mail_attempts")}</th>
                                    <th scope="col">{t(lang, "admin.mail_error")}</th>
                                    <th scope="col"><span class="visually-hidden">{t(lang, "admin.mail_retry")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {p.rows.into_iter().map(|m| view! {
                                        <tr data-status=m.status.clone()>
                                            <td>{domain::time::format_jst_ist(m.created_at)}</td>
                                            <td>{m.kind.clone()}</td>
                                            <td>{m.to_address.clone()}</td>
                                            <td>{t(lang, &format!("admin.mail_{}", m.status))}</td>
                                            <td>{m.attempts}</td>
                                            <td>{m.last_error.clone().unwrap_or_default()}</td>
                                            <td>{(m.status == "failed").then(|| view! {
                                                <ActionForm action=retry attr:class="inline-form">
                                                    <input type="hidden" name="id" value=m.id.to_string() />
                                                    <button type="submit" class="link-button">{t(lang, "admin.mail_retry")}</button>
                                                </ActionForm>
                                            })}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                        {(pages > 1).then(|| view! {
                            <nav class="pager" aria-label=t(lang, "admin.mail")>
                                {(current > 0).then(|| view! { <a href=format!("/admin/mail?status={status}&page={}", current - 1)>{t(lang, "jobs.previous")}</a> })}
                                " "{crate::i18n::t_with(lang, "jobs.page_of", &[("page", &(current + 1).to_string()), ("pages", &pages.to_string())])}" "
                                {(current + 1 < pages).then(|| view! { <a href=format!("/admin/mail?status={status}&page={}", current + 1)>{t(lang, "jobs.next")}</a> })}
                            </nav>
                        })}
                    }.into_any()
                }
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

fn audit_query(f: &AuditFilters, page: Option<u64>) -> String {
    let page = page.map(|p| p.to_string()).unwrap_or_default();
    [
        ("action", &f.action),
        ("actor", &f.actor),
        ("subject", &f.subject),
        ("from", &f.from),
        ("to", &f.to),
        ("page", &page),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode_component(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// An audit action in the reader's language (`application.moved` → "Moved an application");
/// an action without words yet shows its code.
fn audit_action_label(lang: UiLanguage, code: &str) -> String {
    let key = format!("audit_actions.{code}");
    let words = t(lang, &key);
    if words == key {
        code.to_owned()
    } else {
        words
    }
}

/// An audit record's detail as labelled values: stages in words, the keys the log uses in
/// the reader's language, nested values as compact JSON.
fn audit_detail(lang: UiLanguage, detail: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str::<serde_json::Value>(detail)
    else {
        return if detail.trim().is_empty() || detail.trim() == "{}" {
            Vec::new()
        } else {
            vec![(t(lang, "admin.detail"), detail.to_owned())]
        };
    };
    fields
        .into_iter()
        .map(|(key, value)| {
            let label_key = format!("audit_detail.{key}");
            let label = match t(lang, &label_key) {
                words if words == label_key => key.replace('_', " "),
                words => words,
            };
            let shown = match (&*key, &value) {
                ("from" | "to", serde_json::Value::String(stage)) => stage_label(lang, stage),
                (_, serde_json::Value::String(text)) => text.clone(),
                (_, serde_json::Value::Null) => "—".to_owned(),
                (_, serde_json::Value::Bool(yes)) => {
                    t(lang, if *yes { "common.yes" } else { "common.no" })
                }
                (_, other) => other.to_string(),
            };
            (label, shown)
        })
        .collect()
}

#[component]
fn AuditTable(page: AuditPage, filters: AuditFilters) -> impl IntoView {
    let lang = use_lang();
    let AuditPage {
        rows,
        page,
        has_more,
    } = page;
    view! {
        <CsvLink table="audit".to_owned() query=audit_query(&filters, None) />
        <TableRegion label=t(lang, "admin.audit")>
            <table class="data compact audit">
                <caption>{t(lang, "admin.audit")}</caption>
                <thead><tr>
                    <th scope="col">{t(lang, "admin.when")}</th>
                    <th scope="col">{t(lang, "admin.actor")}</th>
                    <th scope="col">{t(lang, "admin.action")}</th>
                    <th scope="col">{t(lang, "admin.subject")}</th>
                    <th scope="col">{t(lang, "admin.detail")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td><time datetime=r.at.to_rfc3339()>{domain::time::format_jst_ist(r.at)}</time></td>
                            <td>{r.actor.unwrap_or_else(|| "—".to_owned())}</td>
                            <td>{audit_action_label(lang, &r.action)}<br /><code class="muted">{r.action.clone()}</code></td>
                            <td>{format!("{}{}", r.subject_type, r.subject_id.map(|id| format!(":{id}")).unwrap_or_default())}</td>
                            <td class="detail">
                                <ul class="detail-list">
                                    {audit_detail(lang, &r.detail).into_iter().map(|(k, v)| view! { <li><span class="muted">{k}": "</span>{v}</li> }).collect_view()}
                                </ul>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <nav class="pagination" aria-label=t(lang, "jobs.pages")>
            {(page > 1).then(|| view! { <a rel="prev" href=format!("/admin/audit?{}", audit_query(&filters, Some(page - 1)))>{t(lang, "jobs.previous")}</a> })}
            {has_more.then(|| view! { <a rel="next" href=format!("/admin/audit?{}", audit_query(&filters, Some(page + 1)))>{t(lang, "jobs.next")}</a> })}
        </nav>
    }
}

/// The visa routes that count, as choices: every route, or one set of routes, in words (the
/// value is the comma-separated codes the settings keep).
fn route_choices(lang: UiLanguage) -> Vec<Choice> {
    use domain::hsp::VisaRoute;
    let routes = [
        VisaRoute::EngineerSpecialist,
        VisaRoute::HighlySkilledProfessional,
    ];
    let name = |r: VisaRoute| {
        let code = domain::pipeline::visa_route_code(r);
        (code, t(lang, &format!("visa_routes.{code}")))
    };
    let mut choices = vec![Choice::new("", t(lang, "admin.every_route"))];
    choices.extend(routes.iter().map(|r| {
        let (code, words) = name(*r);
        Choice::new(code, words)
    }));
    let (codes, words): (Vec<&str>, Vec<String>) = routes.iter().map(|r| name(*r)).unzip();
    choices.push(Choice::new(codes.join(", "), words.join(" + ")));
    choices
}

/// Route codes as the choices write them: trimmed, comma and space between.
fn normalised_routes(raw: &str) -> String {
    raw.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The programme's settings.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveSettings>::new();
    let current = Resource::new(move || save.version().get(), |_| load_settings());
    let failed = Resource::new(|| (), |_| take_plain_submission("save_settings".to_owned()));
    view! {
        <PageTitle text=t(lang, "admin.settings") />
        <h1>{t(lang, "admin.settings")}</h1>
        <AdminNav />
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                current.get().map(|result| match result {
                    Ok(draft) => {
                        let draft: SettingsDraft = failed.as_ref().and_then(|f| f.values_as()).unwrap_or(draft);
                        let saved = succeeded(save.value(), failed.as_ref());
                        let error = current_error(save.value(), failed);
                        view! {
                            <ActionForm action=save attr:class="form settings-form" attr:novalidate="true">
                                <TextField argument="draft" field="target_people" label="admin.target_people" value=draft.target_people inputmode="numeric" required=true error=error />
                                <TextField argument="draft" field="start" label="admin.start" value=draft.start kind="date" required=true error=error />
                                <TextField argument="draft" field="horizon_years" label="admin.horizon_years" value=draft.horizon_years inputmode="numeric" required=true error=error />
                                <crate::components::SelectField argument="draft" field="counted_stage" label="admin.counted_stage"
                                    choices=domain::programme::COUNTABLE_STAGES.iter().map(|s| Choice::new(s.code(), stage_label(lang, s.code()))).collect()
                                    selected=draft.counted_stage error=error />
                                <crate::components::SelectField argument="draft" field="counted_routes" label="admin.counted_routes"
                                    choices=route_choices(lang) selected=normalised_routes(&draft.counted_routes) error=error />
                                <TextField argument="draft" field="annual_targets" label="admin.annual_targets" value=draft.annual_targets hint="admin.annual_targets_hint" error=error />
                                <FormStatus error=error saved=saved saved_message="common.saved" />
                                <button type="submit" class="button primary">{t(lang, "common.save")}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}
