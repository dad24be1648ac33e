//! The employer's role list and the role posting form.

use domain::geo;
use domain::money::format_band;
use domain::role::{RemotePolicy, RoleDraft, RoleSkillDraft, WorkingLanguage};
use leptos::prelude::*;

use super::api::{list_my_roles, load_role_editor, RoleEditor, RoleSummary, SaveRole};
use crate::auth::pages::prefecture_choices;
use crate::components::{
    field_id, form_name, CheckboxField, Choice, FieldProblems, FormError, FormStatus,
    FreeSkillsNote, PageTitle, SelectField, TableRegion, TextArea, TextField,
};
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_with, use_lang};
use crate::profile::page::jlpt_choices;
use crate::PageError;

const REQUIRED_ROWS: usize = 5;
const NICE_ROWS: usize = 3;

/// A role's title in the reader's language when it has one, else the other.
pub fn title_for(
    lang: domain::language::UiLanguage,
    ja: &Option<String>,
    en: &Option<String>,
) -> String {
    let (first, second) = if lang == domain::language::UiLanguage::Ja {
        (ja, en)
    } else {
        (en, ja)
    };
    first.clone().or_else(|| second.clone()).unwrap_or_default()
}

/// The language a role's shown title is written in (`ja` or `en`), for the `lang` attribute.
pub fn title_language(
    lang: domain::language::UiLanguage,
    ja: &Option<String>,
    en: &Option<String>,
) -> &'static str {
    match (lang, ja.is_some(), en.is_some()) {
        (domain::language::UiLanguage::Ja, true, _) | (_, true, false) => "ja",
        _ => "en",
    }
}

/// The words that say a role is posted only in a language the reader did not choose: a role
/// in Japanese alone to English and Hindi readers, in English alone to Japanese readers.
pub fn posted_only_in(
    lang: domain::language::UiLanguage,
    ja: &Option<String>,
    en: &Option<String>,
) -> Option<&'static str> {
    use domain::language::UiLanguage;
    match (lang, ja.is_some(), en.is_some()) {
        (UiLanguage::Ja, false, true) => Some("jobs.only_english"),
        (UiLanguage::En | UiLanguage::Hi, true, false) => Some("jobs.only_japanese"),
        _ => None,
    }
}

#[component]
pub fn MyRolesPage() -> impl IntoView {
    let lang = use_lang();
    let roles = Resource::new(|| (), |_| list_my_roles());
    view! {
        <PageTitle text=t(lang, "roles.my_title") />
        <h1>{t(lang, "roles.my_title")}</h1>
        <p><a href="/roles/new" class="button primary">{t(lang, "nav.post_role")}</a></p>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || roles.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p>{t(lang, "roles.none_yet")}</p> }.into_any(),
                Ok(list) => view! { <RoleTable roles=list /> }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn RoleTable(roles: Vec<RoleSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableRegion label=t(lang, "roles.my_title")>
            <table class="data">
                <caption>{t(lang, "roles.my_title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "roles.title_column")}</th>
                        <th scope="col">{t(lang, "roles.prefecture")}</th>
                        <th scope="col">{t(lang, "roles.salary_column")}</th>
                        <th scope="col">"JLPT"</th>
                        <th scope="col">{t(lang, "roles.status_column")}</th>
                        <th scope="col">{t(lang, "applications.title")}</th>
                    </tr>
                </thead>
                <tbody>
                    {roles
                        .into_iter()
                        .map(|r| {
                            let title = title_for(lang, &r.title_ja, &r.title_en);
                            let place = geo::prefecture(&r.prefecture).map_or(r.prefecture.clone(), |p| p.name.in_language(lang.code()).to_owned());
                            view! {
                                <tr>
                                    <td><a href=format!("/roles/{}/edit", r.id)>{title}</a></td>
                                    <td>{place}</td>
                                    <td>{format_band(r.salary_min_jpy, r.salary_max_jpy, lang)}</td>
                                    <td>{r.min_jlpt.unwrap_or_else(|| t(lang, "roles.jlpt_any"))}</td>
                                    <td>{t(lang, if r.is_open { "roles.open" } else { "roles.closed" })}</td>
                                    <td>
                                        <ul class="stage-counts">
                                            {r.stage_counts.iter().map(|(stage, n)| view! {
                                                <li>{crate::applications::pages::stage_label(lang, stage)}": "{*n}</li>
                                            }).collect_view()}
                                        </ul>
                                        <a href=format!("/roles/{}/pipeline", r.id)>{t(lang, "pipeline.title")}</a>
                                        " · "
                                        <a href=format!("/roles/{}/candidates", r.id)>{t(lang, "candidates.title")}</a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

#[component]
pub fn NewRolePage() -> impl IntoView {
    let lang = use_lang();
    let editor = Resource::new(|| (), |_| load_role_editor(None));
    let failed = Resource::new(|| (), |_| take_plain_submission("save_role".to_owned()));
    view! {
        <PageTitle text=t(lang, "roles.new_title") />
        <h1>{t(lang, "roles.new_title")}</h1>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                editor.get().map(|result| match result {
                    Ok(editor) => view! { <RoleForm editor failed /> }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn EditRolePage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let failed = Resource::new(|| (), |_| take_plain_submission("save_role".to_owned()));
    let editor = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_role_editor(Some(id)).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <PageTitle text=t(lang, "roles.edit_title") />
        <h1>{t(lang, "roles.edit_title")}</h1>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                editor.get().map(|result| match result {
                    Ok(editor) => view! { <RoleForm editor failed /> }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn RoleForm(editor: RoleEditor, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveRole>::new();
    let never = Signal::derive(|| false);
    let RoleEditor {
        id,
        draft,
        skill_names,
        free_skills,
    } = editor;
    // after a failed plain post, show what was typed rather than what is saved
    let draft = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or(draft);
    let error = current_error(action.value(), failed);
    let RoleDraft {
        title_ja,
        title_en,
        description_ja,
        description_en,
        mut required_skills,
        mut nice_skills,
        min_jlpt,
        jlpt_strict,
        working_language,
        salary_min_jpy,
        salary_max_jpy,
        prefecture,
        remote_policy,
        visa_sponsorship,
        apply_from_abroad,
        headcount,
        is_open,
        closes_on,
        sector,
    } = draft;
    let pad = |rows: &mut Vec<RoleSkillDraft>, at_least: usize| {
        let spare = at_least.saturating_sub(rows.len()).max(1);
        rows.extend(std::iter::repeat_n(RoleSkillDraft::default(), spare));
    };
    pad(&mut required_skills, REQUIRED_ROWS);
    pad(&mut nice_skills, NICE_ROWS);
    let is_on = |v: &Option<String>| domain::profile::checkbox(v);
    let coded = move |prefix: &str, codes: Vec<&'static str>| {
        codes
            .into_iter()
            .map(|c| Choice::new(c, t(lang, &format!("{prefix}.{c}"))))
            .collect::<Vec<_>>()
    };
    view! {
        <ActionForm action=action attr:class="form role-form" attr:novalidate="true">
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <datalist id="skill-names">
                {skill_names.into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
            </datalist>
            <fieldset>
                <legend>{t(lang, "roles.texts_legend")}</legend>
                <p class="hint">{t(lang, "roles.texts_hint")}</p>
                <TextField argument="draft" field="title_ja" label="roles.title_ja" value=title_ja error=error />
                <TextField argument="draft" field="title_en" label="roles.title_en" value=title_en error=error />
                <TextArea argument="draft" field="description_ja" label="roles.description_ja" value=description_ja lang_attr="ja" error=error />
                <TextArea argument="draft" field="description_en" label="roles.description_en" value=description_en lang_attr="en" error=error />
            </fieldset>
            <SkillRows list="required_skills" legend="roles.required_skills" rows=required_skills error />
            <SkillRows list="nice_skills" legend="roles.nice_skills" rows=nice_skills error />
            <FreeSkillsNote names=Signal::derive(move || free_skills.clone()) message="roles.free_skills" />
            <fieldset>
                <legend>{t(lang, "roles.japanese_legend")}</legend>
                <SelectField argument="draft" field="min_jlpt" label="roles.min_jlpt" choices=jlpt_choices(lang, "roles.jlpt_any") selected=min_jlpt error=error />
                <CheckboxField argument="draft" field="jlpt_strict" label="roles.jlpt_strict" checked=is_on(&jlpt_strict) />
                <SelectField argument="draft" field="working_language" label="roles.working_language" choices=coded("roles.working_languages", WorkingLanguage::ALL.iter().map(|w| w.code()).collect()) selected=working_language error=error />
            </fieldset>
            <fieldset>
                <legend>{t(lang, "roles.terms_legend")}</legend>
                <TextField argument="draft" field="salary_min_jpy" label="roles.salary_min_jpy" value=salary_min_jpy hint="profile.salary_hint" required=true error=error />
                <TextField argument="draft" field="salary_max_jpy" label="roles.salary_max_jpy" value=salary_max_jpy hint="profile.salary_hint" required=true error=error />
                <SelectField argument="draft" field="prefecture" label="roles.prefecture" choices=prefecture_choices(lang) selected=prefecture required=true error=error />
                <SelectField argument="draft" field="remote_policy" label="roles.remote_policy" choices=coded("roles.remote", RemotePolicy::ALL.iter().map(|r| r.code()).collect()) selected=remote_policy error=error />
                <SelectField argument="draft" field="sector" label="roles.sector" choices=role_sector_choices(lang) selected=sector error=error />
                <TextField argument="draft" field="headcount" label="roles.headcount" value=headcount inputmode="numeric" error=error />
                <CheckboxField argument="draft" field="visa_sponsorship" label="roles.visa_sponsorship" checked=is_on(&visa_sponsorship) />
                <CheckboxField argument="draft" field="apply_from_abroad" label="roles.apply_from_abroad" checked=is_on(&apply_from_abroad) />
                <CheckboxField argument="draft" field="is_open" label="roles.is_open" checked=is_on(&is_open) />
                <TextField argument="draft" field="closes_on" label="roles.closes_on" value=closes_on kind="date" hint="roles.closes_on_hint" error=error />
            </fieldset>
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, if id.is_some() { "common.save" } else { "roles.publish" })}</button>
        </ActionForm>
    }
}

#[component]
fn SkillRows(
    list: &'static str,
    legend: &'static str,
    rows: Vec<RoleSkillDraft>,
    error: FormError,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset>
            <legend>{t(lang, legend)}</legend>
            <table class="rows">
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "profile.skill")}</th>
                        <th scope="col">{t(lang, "roles.min_years")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .enumerate()
                        .map(|(i, row)| {
                            let skill_field = format!("{list}[{i}].skill");
                            let years_field = format!("{list}[{i}].min_years");
                            let n = (i + 1).to_string();
                            view! {
                                <tr>
                                    <td>
                                        <input name=form_name("draft", &skill_field) id=field_id(&skill_field) value=row.skill list="skill-names" autocomplete="off"
                                            aria-label=t_with(lang, "roles.skill_n", &[("n", &n), ("list", &t(lang, legend))]) />
                                        <FieldProblems field=skill_field error=error />
                                    </td>
                                    <td>
                                        <input name=form_name("draft", &years_field) id=field_id(&years_field) value=row.min_years inputmode="numeric" size="3"
                                            aria-label=t_with(lang, "roles.years_n", &[("n", &n), ("list", &t(lang, legend))]) />
                                        <FieldProblems field=years_field error=error />
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </fieldset>
    }
}

/// The sectors a role may be filed under, first "the organisation's".
fn role_sector_choices(lang: domain::language::UiLanguage) -> Vec<crate::components::Choice> {
    std::iter::once(crate::components::Choice::new(
        "",
        t(lang, "roles.sector_organisation"),
    ))
    .chain(
        crate::auth::pages::sector_choices(lang)
            .into_iter()
            .filter(|c| !c.value.is_empty()),
    )
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_in_one_language_is_labelled_for_readers_of_the_others() {
        use domain::language::UiLanguage;
        let ja = Some("組み込みエンジニア".to_owned());
        let en = Some("Embedded engineer".to_owned());
        assert_eq!(
            posted_only_in(UiLanguage::En, &ja, &None),
            Some("jobs.only_japanese")
        );
        assert_eq!(
            posted_only_in(UiLanguage::Hi, &ja, &None),
            Some("jobs.only_japanese")
        );
        assert_eq!(posted_only_in(UiLanguage::Ja, &ja, &None), None);
        assert_eq!(
            posted_only_in(UiLanguage::Ja, &None, &en),
            Some("jobs.only_english")
        );
        assert_eq!(posted_only_in(UiLanguage::Hi, &None, &en), None);
        assert_eq!(posted_only_in(UiLanguage::En, &ja, &en), None);
        assert_eq!(title_language(UiLanguage::En, &ja, &None), "ja");
        assert_eq!(title_language(UiLanguage::Hi, &ja, &en), "en");
        assert_eq!(title_language(UiLanguage::Ja, &ja, &en), "ja");
        assert_eq!(title_language(UiLanguage::Ja, &None, &en), "en");
    }

    #[test]
    fn titles_prefer_the_readers_language_and_fall_back_to_the_other() {
        use domain::language::UiLanguage;
        let ja = Some("組み込みエンジニア".to_owned());
        let en = Some("Embedded engineer".to_owned());
        assert_eq!(title_for(UiLanguage::Ja, &ja, &en), "組み込みエンジニア");
        assert_eq!(title_for(UiLanguage::Hi, &ja, &en), "Embedded engineer");
        assert_eq!(title_for(UiLanguage::En, &ja, &None), "組み込みエンジニア");
    }
}
