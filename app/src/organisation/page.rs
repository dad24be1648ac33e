//! The employer's organisation page.

use leptos::prelude::*;

use super::api::{
    load_members, load_organisation, InviteMember, JoinOrganisation, Members, OrganisationView,
    RemoveMember, SaveOrganisation, SaveSponsorship,
};
use crate::auth::pages::{prefecture_choices, sector_choices, size_choices};
use crate::components::{CheckboxField, Choice};
use crate::components::{FormStatus, PageTitle, SelectField, TextField};
use crate::forms::{current_error, succeeded, take_plain_submission, PlainSubmission};
use crate::i18n::{t, use_lang};
use crate::PageError;
use domain::sponsorship::{IndustryClass, SponsorshipDraft};

#[component]
pub fn OrganisationPage() -> impl IntoView {
    let lang = use_lang();
    let org = Resource::new(|| (), |_| load_organisation());
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("save_organisation".to_owned()),
    );
    let members = Resource::new(|| (), |_| load_members());
    let failed_sponsorship = Resource::new(
        || (),
        |_| take_plain_submission("save_sponsorship".to_owned()),
    );
    let failed_invite = Resource::new(|| (), |_| take_plain_submission("invite_member".to_owned()));
    let query = leptos_router::hooks::use_query_map();
    let invited = move || query.read().get("invited").is_some();
    view! {
        <PageTitle text=t(lang, "organisation.title") />
        <h1>{t(lang, "organisation.title")}</h1>
        <Suspense fallback=|| ()>
            {move || members.get().and_then(|m| m.ok()).map(|list| {
                let failed = failed_invite.get().and_then(|f| f.ok()).flatten();
                view! { <MembersSection list failed invited=invited() /> }
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                org.get().map(|result| match result {
                    Ok(view) => {
                        let sponsorship = (view.sponsorship.clone(), view.sme, view.bonus_points.clone());
                        view! {
                            <OrganisationForm org=view failed />
                            <SponsorshipSection stored=sponsorship failed=failed_sponsorship.get().and_then(|f| f.ok()).flatten() />
                        }.into_any()
                    }
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn OrganisationForm(org: OrganisationView, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveOrganisation>::new();
    let saved = succeeded(action.value(), failed.as_ref());
    let draft = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
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
            <TextField argument="draft" field="corporate_number" label="organisation.corporate_number" value=draft.corporate_number hint="organisation.corporate_number_hint" inputmode="numeric" autocomplete="off" error=error />
            <TextField argument="draft" field="website" label="organisation.website" value=draft.website kind="url" autocomplete="url" error=error />
            <FormStatus error=error saved=saved saved_message="organisation.saved" />
            <button type="submit" class="button primary">{t(lang, "common.save")}</button>
        </ActionForm>
        <p><a href="/roles/new" class="button">{t(lang, "nav.post_role")}</a></p>
    }
}

/// The sponsorship profile: the figures the points' employer items follow from, and how the
/// organisation sponsors a hire from abroad.
#[component]
fn SponsorshipSection(
    stored: (SponsorshipDraft, bool, Vec<(String, u8)>),
    failed: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let (stored, sme, bonus) = stored;
    let action = ServerAction::<SaveSponsorship>::new();
    let saved = succeeded(action.value(), failed.as_ref());
    let draft: SponsorshipDraft = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or(stored);
    let error = current_error(action.value(), failed);
    let classes: Vec<Choice> = IndustryClass::ALL
        .into_iter()
        .map(|c| {
            Choice::new(
                c.code(),
                t(lang, &format!("sponsorship.class_{}", c.code())),
            )
        })
        .collect();
    let categories: Vec<Choice> =
        std::iter::once(Choice::new("", t(lang, "sponsorship.category_unknown")))
            .chain(
                (1..=4).map(|n| {
                    Choice::new(n.to_string(), t(lang, &format!("sponsorship.category_{n}")))
                }),
            )
            .collect();
    // the figures as saved last: from the page, then from each successful save
    let status = move || {
        action
            .value()
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_else(|| (sme, bonus.clone()))
    };
    view! {
        <section class="card sponsorship" aria-labelledby="sponsorship-heading">
            <h2 id="sponsorship-heading">{t(lang, "sponsorship.title")}</h2>
            <p>{t(lang, "sponsorship.intro")}</p>
            {move || {
                let (sme, bonus) = status();
                let total: u16 = bonus.iter().map(|(_, p)| u16::from(*p)).sum();
                let summary = if bonus.is_empty() {
                    t(lang, "sponsorship.no_bonus")
                } else {
                    crate::i18n::t_with(lang, "sponsorship.bonus", &[("points", &total.to_string())])
                };
                view! {
                    <p class="sponsorship-status" data-sme=sme.to_string()>
                        {if sme { t(lang, "sponsorship.is_sme") } else { t(lang, "sponsorship.not_sme") }}
                        " · "<strong class="bonus-points">{summary}</strong>
                    </p>
                    <ul class="bonus-items">
                        {bonus.into_iter().map(|(item, points)| view! {
                            <li data-item=item.clone()>{t(lang, &format!("points.item_{item}"))}": +"{points}</li>
                        }).collect_view()}
                    </ul>
                }
            }}
            <ActionForm action=action attr:class="form sponsorship-form" attr:novalidate="true">
                <SelectField argument="draft" field="industry_class" label="sponsorship.industry_class" choices=classes selected=draft.industry_class error=error />
                <TextField argument="draft" field="capital_man_yen" label="sponsorship.capital" value=draft.capital_man_yen inputmode="numeric" hint="sponsorship.capital_hint" error=error />
                <TextField argument="draft" field="employees" label="sponsorship.employees" value=draft.employees inputmode="numeric" error=error />
                <TextField argument="draft" field="innovation_programme" label="sponsorship.innovation_programme" value=draft.innovation_programme hint="sponsorship.innovation_hint" error=error />
                <CheckboxField argument="draft" field="rd_over_3_percent" label="sponsorship.rd_over_3_percent" checked=domain::profile::checkbox(&draft.rd_over_3_percent) />
                <SelectField argument="draft" field="coe_category" label="sponsorship.coe_category" choices=categories selected=draft.coe_category error=error />
                <fieldset>
                    <legend>{t(lang, "sponsorship.practice")}</legend>
                    <CheckboxField argument="draft" field="pays_visa_fees" label="sponsorship.pays_visa_fees" checked=domain::profile::checkbox(&draft.pays_visa_fees) />
                    <CheckboxField argument="draft" field="relocation_support" label="sponsorship.relocation_support" checked=domain::profile::checkbox(&draft.relocation_support) />
                    <CheckboxField argument="draft" field="housing_help" label="sponsorship.housing_help" checked=domain::profile::checkbox(&draft.housing_help) />
                    <CheckboxField argument="draft" field="japanese_lessons" label="sponsorship.japanese_lessons" checked=domain::profile::checkbox(&draft.japanese_lessons) />
                </fieldset>
                <FormStatus error=error saved=saved saved_message="sponsorship.saved" />
                <button type="submit" class="button primary">{t(lang, "sponsorship.save")}</button>
            </ActionForm>
        </section>
    }
}

/// The sponsorship claims as a reviewer (and, on the company's pages, an engineer) reads them.
#[component]
pub fn SponsorshipFacts(sponsorship: domain::sponsorship::Sponsorship) -> impl IntoView {
    let lang = use_lang();
    let figures = [
        sponsorship
            .capital_jpy
            .map(|c| (t(lang, "sponsorship.capital"), format!("{}", c / 10_000))),
        sponsorship
            .employees
            .map(|e| (t(lang, "sponsorship.employees"), e.to_string())),
        sponsorship
            .innovation_programme
            .clone()
            .map(|p| (t(lang, "sponsorship.innovation_programme"), p)),
        sponsorship.coe_category.map(|c| {
            (
                t(lang, "sponsorship.coe_category"),
                t(lang, &format!("sponsorship.category_{}", c.number())),
            )
        }),
    ];
    let practice: Vec<String> = [
        (
            sponsorship.rd_over_3_percent,
            "sponsorship.rd_over_3_percent",
        ),
        (sponsorship.pays_visa_fees, "sponsorship.pays_visa_fees"),
        (
            sponsorship.relocation_support,
            "sponsorship.relocation_support",
        ),
        (sponsorship.housing_help, "sponsorship.housing_help"),
        (sponsorship.japanese_lessons, "sponsorship.japanese_lessons"),
    ]
    .into_iter()
    .filter(|(held, _)| *held)
    .map(|(_, key)| t(lang, key))
    .collect();
    let sme = if sponsorship.is_sme() {
        t(lang, "sponsorship.is_sme")
    } else {
        t(lang, "sponsorship.not_sme")
    };
    view! {
        <dl class="facts sponsorship-facts">
            <dt>{t(lang, "sponsorship.industry_class")}</dt>
            <dd>{t(lang, &format!("sponsorship.class_{}", sponsorship.industry_class.code()))}</dd>
            {figures.into_iter().flatten().map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> }).collect_view()}
        </dl>
        <p class="sme">{sme}</p>
        {(!practice.is_empty()).then(|| view! {
            <ul class="sponsorship-practice">{practice.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
        })}
    }
}

/// The organisation's members, a button to remove each (or leave), and an invitation form.
#[component]
fn MembersSection(list: Members, failed: Option<PlainSubmission>, invited: bool) -> impl IntoView {
    let lang = use_lang();
    let remove = ServerAction::<RemoveMember>::new();
    let invite = ServerAction::<InviteMember>::new();
    let error = current_error(invite.value(), failed);
    let never = Signal::derive(|| false);
    let alone = list.members.len() <= 1;
    view! {
        <section class="card members" aria-labelledby="members-heading">
            <h2 id="members-heading">{t(lang, "organisation.members")}</h2>
            <ul class="member-list">
                {list.members.into_iter().map(|m| view! {
                    <li>
                        <strong>{m.display_name.clone()}</strong>" · "{m.email.clone()}
                        {(!alone).then(|| view! {
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="member_id" value=m.id.to_string() />
                                <button type="submit" class="link-button">
                                    {if m.you { t(lang, "organisation.leave") } else { t(lang, "organisation.remove_member") }}
                                </button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {(!list.pending.is_empty()).then(|| view! {
                <h3>{t(lang, "organisation.pending")}</h3>
                <ul class="pending-list">
                    {list.pending.into_iter().map(|p| view! { <li>{p.email}</li> }).collect_view()}
                </ul>
            })}
            {invited.then(|| view! { <p class="notice" role="status">{t(lang, "organisation.invited")}</p> })}
            <ActionForm action=invite attr:class="form invite-member-form">
                <TextField argument="" field="email" label="organisation.invite_email" kind="email" required=true autocomplete="off" error=error />
                <FormStatus error=error saved=never saved_message="common.saved" />
                <button type="submit" class="button">{t(lang, "organisation.invite")}</button>
            </ActionForm>
        </section>
    }
}

/// `/join`: an invited colleague creates their account inside the organisation.
#[component]
pub fn JoinPage() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("join_organisation".to_owned()),
    );
    view! {
        <PageTitle text=t(lang, "organisation.join_title") />
        <h1>{t(lang, "organisation.join_title")}</h1>
        <p>{t(lang, "organisation.join_intro")}</p>
        <Suspense fallback=|| ()>
            {move || failed.get().map(|f| {
                let action = ServerAction::<JoinOrganisation>::new();
                let error = current_error(action.value(), f.ok().flatten());
                let never = Signal::derive(|| false);
                view! {
                    <ActionForm action=action attr:class="form join-form">
                        <input type="hidden" name="token" value=token />
                        <crate::components::FieldProblems field="token" error=error />
                        <TextField argument="" field="display_name" label="signup.display_name" required=true autocomplete="name" error=error />
                        <TextField argument="" field="password" label="signup.password" kind="password" required=true autocomplete="new-password" hint="signup.password_hint" error=error />
                        <FormStatus error=error saved=never saved_message="common.saved" />
                        <button type="submit" class="button primary">{t(lang, "organisation.join")}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}
