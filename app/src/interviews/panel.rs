//! The interviews section of the application page. The employer proposes up to five times
//! (typed in Japan time); the engineer picks one; either side cancels with a reason and the
//! employer proposes new times with one. Each time reads in the reader's side's zone with the
//! other's beside it, and once the wasm runs, in the browser's own zone too when that is
//! neither India's nor Japan's.

use leptos::prelude::*;

use super::api::{
    list_interviews, CancelInterview, InterviewView, Interviews, PickInterviewSlot,
    ProposeInterview, SlotView,
};
use crate::components::{FieldProblems, FormError};
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_with, use_lang};
use crate::PageError;
use domain::interview::{Format, ProposalDraft, Zone, MAX_SLOTS};

#[component]
pub fn InterviewsPanel(application_id: i32) -> impl IntoView {
    let lang = use_lang();
    let propose = ServerAction::<ProposeInterview>::new();
    let pick = ServerAction::<PickInterviewSlot>::new();
    let cancel = ServerAction::<CancelInterview>::new();
    let list = Resource::new(
        move || {
            (
                propose.version().get(),
                pick.version().get(),
                cancel.version().get(),
            )
        },
        move |_| list_interviews(application_id),
    );
    // a proposal, pick or cancellation posted without the wasm comes back here: its error and
    // what was typed are kept for the form it came from
    let kept = Resource::new(
        || (),
        |_| async {
            for form in [
                "propose_interview",
                "pick_interview_slot",
                "cancel_interview",
            ] {
                if let Some(kept) = take_plain_submission(form.to_owned()).await? {
                    return Ok(Some(kept));
                }
            }
            Ok::<_, crate::error::AppError>(None)
        },
    );
    view! {
        <section id="interviews" class="card interviews" aria-labelledby="interviews-heading">
            <h2 id="interviews-heading">{t(lang, "interviews.heading")}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
                {move || {
                    let kept = kept.get()?.ok().flatten().filter(|k| !k.saved());
                    list.get().map(|result| match result {
                        Ok(found) => view! { <InterviewList application_id found propose pick cancel kept /> }.into_any(),
                        Err(error) => view! { <PageError error /> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn InterviewList(
    application_id: i32,
    found: Interviews,
    propose: ServerAction<ProposeInterview>,
    pick: ServerAction<PickInterviewSlot>,
    cancel: ServerAction<CancelInterview>,
    /// A failed plain post of one of the panel's forms.
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let kept_of = |form: &str| kept.clone().filter(|k| k.form == form);
    let pick_error = current_error(pick.value(), kept_of("pick_interview_slot"));
    let cancelled = kept_of("cancel_interview");
    let proposed = kept_of("propose_interview");
    let none = found.interviews.is_empty();
    view! {
        {none.then(|| view! { <p class="muted">{t(lang, "interviews.none")}</p> })}
        {move || pick_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
        <ol class="interview-list">
            {found.interviews.into_iter().map(|i| view! {
                <Interview interview=i propose pick cancel cancelled=cancelled.clone() proposed=proposed.clone() />
            }.into_any()).collect_view()}
        </ol>
        {found.can_propose.then(|| view! {
            // open when a proposal sent from it came back refused
            <details class="propose" open=proposed_here(proposed.as_ref(), None)>
                <summary>{t(lang, "interviews.propose")}</summary>
                <ProposalForm application_id interview_id=None action=propose kept=proposed.clone() />
            </details>
        })}
    }
}

/// A time as read on the reader's side, and in the browser's zone when that is neither.
#[component]
fn When(time: SlotView) -> impl IntoView {
    // erased: the interview's view holds it twice, which is deeper than rustc lays out
    view! {
        <time datetime=time.starts_at.to_rfc3339()>{time.label.clone()}</time>
        <OwnZone at=time.starts_at />
    }
    .into_any()
}

/// The time in the browser's own zone, when that is neither India's nor Japan's: an island,
/// since only the browser knows its zone (nothing is shown on the server or without the wasm).
#[island]
fn OwnZone(at: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let zone = RwSignal::new(None::<Zone>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            // minutes *behind* UTC, as JavaScript counts them
            let behind = leptos::web_sys::js_sys::Date::new_0().get_timezone_offset();
            zone.set(Some(Zone::from_minutes_east(-(behind as i32))));
        }
    });
    move || match zone.get() {
        Some(own @ Zone::Offset(_)) => {
            Some(view! { <span class="own-zone">" · "{own.format(at)}</span> })
        }
        _ => None,
    }
}

#[component]
fn Interview(
    interview: InterviewView,
    propose: ServerAction<ProposeInterview>,
    pick: ServerAction<PickInterviewSlot>,
    cancel: ServerAction<CancelInterview>,
    /// A failed plain post of a cancellation, and of a proposal: shown on their interview's
    /// forms.
    cancelled: Option<PlainSubmission>,
    proposed: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let i = interview;
    let status = t(lang, &format!("interviews.status_{}", i.status));
    let format = t(lang, &format!("interviews.format_{}", i.format));
    let length = t_with(
        lang,
        "interviews.minutes",
        &[("minutes", &i.minutes.to_string())],
    );
    let id = i.id;
    let cancelled = cancelled.filter(|k| k.typed_number("interview_id") == Some(id.into()));
    let typed_reason = cancelled
        .as_ref()
        .map(|k| k.typed_text("reason"))
        .unwrap_or_default();
    let cancel_error: FormError = Signal::stored(cancelled.and_then(|k| k.error));
    let reschedule_open = proposed_here(proposed.as_ref(), Some(id));
    view! {
        <li class="interview" data-status=i.status.clone()>
            <p><strong>{status}</strong>" · "{format}" · "{length}</p>
            {i.place.clone().map(|p| view! { <p class="place">{p}</p> })}
            {i.scheduled.clone().map(|s| view! {
                <p class="scheduled">{t(lang, "interviews.scheduled_for")}" "<When time=s /></p>
                <p><a href=format!("/api/v1/interviews/{id}/invitation.ics") download="interview.ics">{t(lang, "interviews.ics")}</a></p>
            })}
            {i.reason.clone().map(|r| view! { <p class="muted">{t(lang, "interviews.reason")}": "{r}</p> })}
            {(!i.slots.is_empty()).then(|| view! {
                <p>{t(lang, "interviews.times")}</p>
                <ul class="slots">
                    {i.slots.iter().map(|slot| {
                        let slot_id = slot.id;
                        view! {
                            <li class="slot">
                                <When time=slot.clone() />
                                {i.can_pick.then(|| view! {
                                    <ActionForm action=pick attr:class="inline-form">
                                        <input type="hidden" name="interview_id" value=id.to_string() />
                                        <input type="hidden" name="slot_id" value=slot_id.to_string() />
                                        <input type="hidden" name="version" value=i.version.to_string() />
                                        <button type="submit" class="button">{t(lang, "interviews.pick")}</button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {i.can_reschedule.then(|| view! {
                <details open=reschedule_open>
                    <summary>{t(lang, "interviews.reschedule")}</summary>
                    <ProposalForm application_id=i.application_id interview_id=Some(id) action=propose kept=proposed />
                </details>
            })}
            {i.can_cancel.then(|| {
                let field = format!("reason-{id}");
                let refused = cancel_error.get_untracked().is_some();
                view! {
                    <details open=refused>
                        <summary>{t(lang, "interviews.cancel")}</summary>
                        <ActionForm action=cancel>
                            <input type="hidden" name="interview_id" value=id.to_string() />
                            <div class="field">
                                <label for=field.clone()>{t(lang, "interviews.reason")}</label>
                                <textarea id=field name="reason" rows="2" required=true>{typed_reason}</textarea>
                                <FieldProblems field="reason" error=cancel_error />
                            </div>
                            {move || cancel_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
                            <button type="submit" class="button">{t(lang, "interviews.cancel")}</button>
                        </ActionForm>
                    </details>
                }
            })}
        </li>
    }
}

/// Whether `kept` is a refused proposal sent from the form of `interview_id` (`None`: a new one).
fn proposed_here(kept: Option<&PlainSubmission>, interview_id: Option<i32>) -> bool {
    kept.is_some_and(|k| k.typed_number("interview_id") == interview_id.map(i64::from))
}

/// Times, length, format and where; for a reschedule, the reason too.
#[component]
fn ProposalForm(
    application_id: i32,
    interview_id: Option<i32>,
    action: ServerAction<ProposeInterview>,
    /// A failed plain post of a proposal: this form's when it was for the same interview.
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let kept = kept.filter(|k| proposed_here(Some(k), interview_id));
    let typed: ProposalDraft = kept
        .as_ref()
        .and_then(|k| k.typed("draft"))
        .and_then(|d| serde_json::from_value(d.clone()).ok())
        .unwrap_or_default();
    let typed_reason = kept
        .as_ref()
        .map(|k| k.typed_text("reason"))
        .unwrap_or_default();
    // this form's own, not the action's: the new proposal and each reschedule share it
    let error: FormError = Signal::stored(kept.and_then(|k| k.error));
    let prefix = interview_id.map_or("new".to_owned(), |id| id.to_string());
    let slot_fields = (0..MAX_SLOTS)
        .map(|n| {
            let id = format!("slot-{prefix}-{n}");
            let field = format!("slots.{n}");
            let first = n == 0;
            let value = typed.slots.get(n).cloned().unwrap_or_default();
            view! {
                <div class="field">
                    <label for=id.clone()>{t_with(lang, "interviews.time_n", &[("n", &(n + 1).to_string())])}</label>
                    <input id=id type="datetime-local" name=format!("draft[slots][{n}]") value=value required=first />
                    <FieldProblems field=field error />
                </div>
            }
        })
        .collect_view();
    let format_id = format!("format-{prefix}");
    let minutes_id = format!("minutes-{prefix}");
    let place_id = format!("place-{prefix}");
    let reason_id = format!("why-{prefix}");
    view! {
        <ActionForm action=action attr:class="proposal-form">
            <input type="hidden" name="application_id" value=application_id.to_string() />
            {interview_id.map(|id| view! { <input type="hidden" name="interview_id" value=id.to_string() /> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
            <p class="hint">{t(lang, "interviews.times_in_jst")}</p>
            <FieldProblems field="slots" error />
            {slot_fields}
            <div class="field">
                <label for=minutes_id.clone()>{t(lang, "interviews.length")}</label>
                <input id=minutes_id type="number" name="draft[minutes]" min="15" max="480" step="15"
                    value=if typed.minutes.is_empty() { "60".to_owned() } else { typed.minutes.clone() } required=true />
                <FieldProblems field="minutes" error />
            </div>
            <div class="field">
                <label for=format_id.clone()>{t(lang, "interviews.format")}</label>
                <select id=format_id name="draft[format]">
                    {Format::ALL.into_iter().map(|f| view! {
                        <option value=f.code() selected=typed.format == f.code()>{t(lang, &format!("interviews.format_{}", f.code()))}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=place_id.clone()>{t(lang, "interviews.place")}</label>
                <input id=place_id type="text" name="draft[place]" maxlength="500" value=typed.place.clone() />
                <FieldProblems field="place" error />
            </div>
            {interview_id.is_some().then(|| view! {
                <div class="field">
                    <label for=reason_id.clone()>{t(lang, "interviews.reason")}</label>
                    <textarea id=reason_id.clone() name="reason" rows="2" required=true>{typed_reason.clone()}</textarea>
                    <FieldProblems field="reason" error />
                </div>
            })}
            <button type="submit" class="button">{t(lang, if interview_id.is_some() { "interviews.send_new_times" } else { "interviews.send_times" })}</button>
        </ActionForm>
    }
}
