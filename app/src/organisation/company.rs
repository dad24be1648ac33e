//! `/companies/{id}`: a verified organisation's public page, linked from every role: who it is,
//! what it offers a hire from abroad (its sponsorship profile), and its open roles, paged.

use leptos::prelude::*;

use super::api::{load_company, CompanyView};
use super::page::SponsorshipFacts;
use crate::components::PageTitle;
use crate::i18n::{t, t_with, use_lang};
use crate::jobs::pages::{place, sector_name, JobCardView};
use crate::PageError;

#[component]
pub fn CompanyPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let query = leptos_router::hooks::use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(1)
    };
    let company = Resource::new(
        move || (id(), page()),
        |(id, page)| async move {
            match id {
                Some(id) => load_company(id, page).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || company.get().map(|result| match result {
                Ok(company) => view! { <Company company /> }.into_any(),
                Err(error) => view! {
                    <PageTitle text=t(lang, "company.title") />
                    <h1>{t(lang, "company.title")}</h1>
                    <PageError error />
                }
                .into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Company(company: CompanyView) -> impl IntoView {
    let lang = use_lang();
    let name = company
        .name_ja
        .clone()
        .or(company.name_en.clone())
        .unwrap_or_default();
    let other = company
        .name_en
        .clone()
        .filter(|_| company.name_ja.is_some());
    let size = t(lang, &format!("organisation.size_{}", company.size));
    let pager: Vec<AnyView> = (1..=company.pages)
        .filter(|_| company.pages > 1)
        .map(|n| {
            if n == company.page {
                view! { <li><span aria-current="page">{n}</span></li> }.into_any()
            } else {
                view! { <li><a href=format!("/companies/{}?page={n}", company.id)>{n}</a></li> }
                    .into_any()
            }
        })
        .collect();
    let roles: Vec<AnyView> = company
        .roles
        .into_iter()
        .map(|card| view! { <li><JobCardView card /></li> }.into_any())
        .collect();
    view! {
        <PageTitle text=name.clone() />
        <article class="company-page">
            <h1>{name}</h1>
            {other.map(|n| view! { <p class="muted" lang="en">{n}</p> })}
            {(!company.verified).then(|| view! { <p class="alert alert-info">{t(lang, "company.unverified")}</p> })}
            <p>{sector_name(lang, &company.sector)}" · "{place(lang, &company.prefecture)}" · "{size}</p>
            {company.website.clone().map(|site| view! {
                <p><a href=site.clone() rel="noopener noreferrer nofollow">{site.clone()}</a></p>
            })}
            <section aria-labelledby="offers-heading">
                <h2 id="offers-heading">{t(lang, "company.offers")}</h2>
                {if company.sponsorship.is_empty() {
                    view! { <p class="muted">{t(lang, "company.offers_unknown")}</p> }.into_any()
                } else {
                    view! { <SponsorshipFacts sponsorship=company.sponsorship.clone() /> }.into_any()
                }}
            </section>
            <section aria-labelledby="open-roles-heading">
                <h2 id="open-roles-heading">
                    {t_with(lang, "company.open_roles", &[("count", &company.total_roles.to_string())])}
                </h2>
                <ul class="job-list company-roles">{roles}</ul>
                <nav aria-label=t(lang, "company.pages")><ul class="pager">{pager}</ul></nav>
            </section>
        </article>
    }
}
