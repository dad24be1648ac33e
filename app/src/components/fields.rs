//! Labelled form fields that show their own translated errors and keep what the user typed.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, use_lang};

/// The latest error of a form's action, if any.
pub type FormError = Signal<Option<AppError>>;

/// Derives a form's current error from its action's latest result.
pub fn error_of<T: 'static>(
    value: impl Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
) -> FormError {
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

/// `skills[0].skill` inside the argument `draft` becomes the form name `draft[skills][0][skill]`,
/// which the server function decodes back into the nested struct.
pub fn form_name(argument: &str, field: &str) -> String {
    let mut name = argument.to_owned();
    for segment in field.split(['.', '[']) {
        let segment = segment.trim_end_matches(']');
        if !segment.is_empty() {
            name.push('[');
            name.push_str(segment);
            name.push(']');
        }
    }
    name
}

/// An element id for a field: letters, digits, underscores and dashes only.
pub fn field_id(field: &str) -> String {
    field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .replace("--", "-")
}

/// The translated problems with one field, announced to screen readers.
#[component]
pub fn FieldProblems(#[prop(into)] field: String, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let id = format!("{}-error", field_id(&field));
    move || {
        let problems = error
            .get()
            .map(|e| e.field_problems(&field))
            .unwrap_or_default();
        (!problems.is_empty()).then(|| {
            let text = problems
                .iter()
                .map(|p| t(lang, &format!("errors.{}", p.key())))
                .collect::<Vec<_>>()
                .join(" ");
            view! { <p class="field-error" id=id.clone()>{text}</p> }
        })
    }
}

/// A labelled text-like input (`text`, `email`, `password`, `number`…).
#[component]
pub fn TextField(
    /// The argument name of the server function (`draft`, `form`) or empty for a flat argument.
    #[prop(into)]
    argument: String,
    /// The field's path as validation reports it (`full_name`, `skills[0].years`).
    #[prop(into)]
    field: String,
    /// The label's translation key.
    #[prop(into)]
    label: String,
    #[prop(into, optional)] value: String,
    #[prop(into, default = "text".to_owned())] kind: String,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] list: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] inputmode: Option<String>,
    error: FormError,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(&field);
    let name = if argument.is_empty() {
        field.clone()
    } else {
        form_name(&argument, &field)
    };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let invalid = {
        let field = field.clone();
        move || {
            error
                .get()
                .is_some_and(|e| !e.field_problems(&field).is_empty())
        }
    };
    let described_by = {
        let has_hint = hint.is_some();
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if invalid() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid_attr = {
        let field = field.clone();
        move || {
            error
                .get()
                .is_some_and(|e| !e.field_problems(&field).is_empty())
                .then_some("true")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, &label)}{required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{t(lang, &h)}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                list=list
                inputmode=inputmode
                aria-invalid=invalid_attr
                aria-describedby=described_by
            />
            <FieldProblems field=field error=error />
        </div>
    }
}

/// A labelled multi-line text field.
#[component]
pub fn TextArea(
    #[prop(into)] argument: String,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(optional)] lang_attr: Option<&'static str>,
    error: FormError,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(&field);
    let name = form_name(&argument, &field);
    let invalid_attr = {
        let field = field.clone();
        move || {
            error
                .get()
                .is_some_and(|e| !e.field_problems(&field).is_empty())
                .then_some("true")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(lang, &label)}</label>
            <textarea id=id name=name rows="5" lang=lang_attr aria-invalid=invalid_attr>{value}</textarea>
            <FieldProblems field=field error=error />
        </div>
    }
}

/// One choice in a [`SelectField`]: its submitted value and its visible, translated label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A labelled drop-down list.
#[component]
pub fn SelectField(
    #[prop(into)] argument: String,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    choices: Vec<Choice>,
    #[prop(into, optional)] selected: String,
    #[prop(optional)] required: bool,
    /// Appended to the label, e.g. a row number.
    #[prop(into, optional)]
    suffix: Option<String>,
    error: FormError,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(&field);
    let name = if argument.is_empty() {
        field.clone()
    } else {
        form_name(&argument, &field)
    };
    let label_text = match suffix {
        Some(suffix) => format!("{} {suffix}", t(lang, &label)),
        None => t(lang, &label),
    };
    let invalid_attr = {
        let field = field.clone();
        move || {
            error
                .get()
                .is_some_and(|e| !e.field_problems(&field).is_empty())
                .then_some("true")
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label_text}</label>
            <select id=id name=name required=required aria-invalid=invalid_attr>
                {choices
                    .into_iter()
                    .map(|c| {
                        let is_selected = c.value == selected;
                        view! { <option value=c.value selected=is_selected>{c.label}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldProblems field=field error=error />
        </div>
    }
}

/// A JLPT level as employers read it: with whether it is certified or self-declared.
pub fn jlpt_text(
    lang: domain::language::UiLanguage,
    level: &Option<String>,
    certified: bool,
) -> String {
    match level {
        Some(level) if certified => {
            crate::i18n::t_with(lang, "jlpt.certified", &[("level", level)])
        }
        Some(level) => crate::i18n::t_with(lang, "jlpt.self_declared", &[("level", level)]),
        None => "—".to_owned(),
    }
}

/// A labelled checkbox.
#[component]
pub fn CheckboxField(
    #[prop(into)] argument: String,
    #[prop(into)] field: String,
    #[prop(into)] label: String,
    #[prop(optional)] checked: bool,
) -> impl IntoView {
    let lang = use_lang();
    let id = field_id(&field);
    let name = form_name(&argument, &field);
    view! {
        <div class="field checkbox">
            <input id=id.clone() name=name type="checkbox" value="on" checked=checked />
            <label for=id>{t(lang, &label)}</label>
        </div>
    }
}

/// The outcome of the last submission: a summary of problems, or a confirmation.
#[component]
pub fn FormStatus(
    error: FormError,
    /// Whether the last submission succeeded.
    #[prop(into)]
    saved: Signal<bool>,
    #[prop(into)] saved_message: String,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="form-status" aria-live="polite">
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
            {
                let saved_message = saved_message.clone();
                move || saved.get().then(|| view! { <p class="alert alert-success" role="status">{t(lang, &saved_message)}</p> })
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_become_bracketed_form_names() {
        assert_eq!(form_name("draft", "full_name"), "draft[full_name]");
        assert_eq!(
            form_name("draft", "skills[2].years"),
            "draft[skills][2][years]"
        );
        assert_eq!(
            form_name("form", "organisation.name_ja"),
            "form[organisation][name_ja]"
        );
    }

    #[test]
    fn field_ids_are_safe_for_html() {
        assert_eq!(field_id("skills[2].years"), "skills-2-years");
        assert_eq!(field_id("organisation.name_ja"), "organisation-name_ja");
    }
}

/// Says which skills were kept in the person's own words because the taxonomy does not know
/// them (`message` has a `{names}` placeholder); nothing when there are none.
#[component]
pub fn FreeSkillsNote(names: Signal<Vec<String>>, message: &'static str) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    move || {
        let names = names.get();
        (!names.is_empty()).then(|| {
            view! {
                <p class="notice free-skills" role="status">
                    {crate::i18n::t_with(lang, message, &[("names", &names.join(", "))])}
                </p>
            }
        })
    }
}
