//! The messages, in the recipient's interface language: plain text, and HTML with every value
//! escaped.

use domain::language::UiLanguage;

use super::Outgoing;
use crate::i18n::{t, t_with};

use crate::components::escape_text as escape;

/// A message of paragraphs and an optional call to action (a link).
struct Body<'a> {
    lang: UiLanguage,
    greeting: String,
    paragraphs: Vec<String>,
    action: Option<(String, &'a str)>,
}

impl Body<'_> {
    fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("{label}:\n{url}\n\n"));
        }
        out.push_str(&t(self.lang, "mail.signature"));
        out.push('\n');
        out
    }

    fn html(&self) -> String {
        let mut out = format!(
            "<!DOCTYPE html><html lang=\"{}\"><body><p>{}</p>",
            self.lang.code(),
            escape(&self.greeting)
        );
        for p in &self.paragraphs {
            out.push_str(&format!("<p>{}</p>", escape(p)));
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape(url),
                escape(label)
            ));
        }
        out.push_str(&format!(
            "<p>{}</p></body></html>",
            escape(&t(self.lang, "mail.signature"))
        ));
        out
    }
}

fn outgoing(
    user_id: i32,
    to: &str,
    kind: &'static str,
    subject: String,
    body: &Body<'_>,
) -> Outgoing {
    Outgoing {
        user_id: Some(user_id),
        to_address: to.to_owned(),
        kind,
        subject,
        body_text: body.text(),
        body_html: body.html(),
        unsubscribe_url: None,
        dedupe_key: None,
        about_user_id: None,
        attachment: None,
    }
}

/// The link to choose a new password, valid for `minutes`.
pub fn password_reset(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    link: &str,
    minutes: i64,
) -> Outgoing {
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![
            t(lang, "mail.reset.asked"),
            t_with(
                lang,
                "mail.reset.valid_for",
                &[("minutes", &minutes.to_string())],
            ),
            t(lang, "mail.reset.not_you"),
        ],
        action: Some((t(lang, "mail.reset.action"), link)),
    };
    outgoing(
        user_id,
        to,
        "password_reset",
        t(lang, "mail.reset.subject"),
        &body,
    )
}

/// A notification as an e-mail: what happened, the other side's message if any, a link to it;
/// optional topics carry the one-click unsubscribe link in the text and in `List-Unsubscribe`.
#[allow(clippy::too_many_arguments)]
pub fn notice(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    kind: &str,
    what: &str,
    message: Option<&str>,
    link: &str,
    unsubscribe: Option<String>,
) -> Outgoing {
    let mut paragraphs = vec![what.to_owned()];
    paragraphs.extend(message.map(str::to_owned));
    if let Some(url) = &unsubscribe {
        paragraphs.push(t_with(lang, "mail.notice.unsubscribe", &[("url", url)]));
    }
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs,
        action: Some((t(lang, "mail.notice.action"), link)),
    };
    let mut out = outgoing(
        user_id,
        to,
        "notice",
        t_with(
            lang,
            "mail.notice.subject",
            &[("what", &subject_line(what))],
        ),
        &body,
    );
    out.kind = match kind {
        "application_received" => "notice_application_received",
        "application_moved" => "notice_application_moved",
        "invited" => "notice_invited",
        "organisation_verified" => "notice_organisation_verified",
        "organisation_rejected" => "notice_organisation_rejected",
        "login_throttled" => "notice_login_throttled",
        "message_received" => "notice_message_received",
        "interview_proposed" => "notice_interview_proposed",
        "interview_scheduled" => "notice_interview_scheduled",
        "interview_cancelled" => "notice_interview_cancelled",
        "interview_reminder" => "notice_interview_reminder",
        "search_alert" => "notice_search_alert",
        _ => "notice",
    };
    out.unsubscribe_url = unsubscribe.map(|page| super::notices::one_click_url(&page));
    out
}

/// A subject from a notification's words: its first sentence, at most 90 characters.
fn subject_line(what: &str) -> String {
    let first = what
        .split_inclusive(['.', '。', '।'])
        .next()
        .unwrap_or(what)
        .trim();
    if first.chars().count() > 90 {
        format!("{}…", first.chars().take(89).collect::<String>())
    } else {
        first.to_owned()
    }
}

/// A sign-in from a browser not seen on the account before: what and when, and what to do if it
/// was not the person.
pub fn new_sign_in(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    device: &str,
    when: &str,
    link: &str,
) -> Outgoing {
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![
            t_with(
                lang,
                "mail.new_sign_in.body",
                &[("device", device), ("when", when)],
            ),
            t(lang, "mail.new_sign_in.not_you"),
        ],
        action: Some((t(lang, "mail.new_sign_in.action"), link)),
    };
    outgoing(
        user_id,
        to,
        "new_sign_in",
        t(lang, "mail.new_sign_in.subject"),
        &body,
    )
}

/// The profile went dormant: hidden from employers until the person signs in again.
pub fn profile_dormant(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    months: u32,
    link: &str,
) -> Outgoing {
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![
            t_with(
                lang,
                "mail.dormant.body",
                &[("months", &months.to_string())],
            ),
            t(lang, "mail.dormant.keep"),
            t(lang, "mail.dormant.delete"),
        ],
        action: Some((t(lang, "mail.dormant.action"), link)),
    };
    outgoing(
        user_id,
        to,
        "profile_dormant",
        t(lang, "mail.dormant.subject"),
        &body,
    )
}

/// An invitation to join an employer organisation on Setubashi (to an address with no account).
pub fn organisation_invite(
    lang: UiLanguage,
    to: &str,
    inviter: &str,
    organisation: &str,
    link: &str,
    days: i64,
) -> Outgoing {
    let body = Body {
        lang,
        greeting: t(lang, "mail.member_invite.greeting"),
        paragraphs: vec![
            t_with(
                lang,
                "mail.member_invite.body",
                &[("inviter", inviter), ("organisation", organisation)],
            ),
            t_with(
                lang,
                "mail.member_invite.valid_for",
                &[("days", &days.to_string())],
            ),
        ],
        action: Some((t(lang, "mail.member_invite.action"), link)),
    };
    let mut out = outgoing(
        0,
        to,
        "organisation_invite",
        t_with(
            lang,
            "mail.member_invite.subject",
            &[("organisation", organisation)],
        ),
        &body,
    );
    out.user_id = None;
    out
}

/// The link that proves the address, valid for `days`.
pub fn verify_email(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    link: &str,
    days: i64,
) -> Outgoing {
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![
            t(lang, "mail.verify.welcome"),
            t_with(
                lang,
                "mail.verify.valid_for",
                &[("days", &days.to_string())],
            ),
            t(lang, "mail.verify.not_you"),
        ],
        action: Some((t(lang, "mail.verify.action"), link)),
    };
    outgoing(
        user_id,
        to,
        "verify_email",
        t(lang, "mail.verify.subject"),
        &body,
    )
}

/// Says the password was changed (by a reset or by the person), so a takeover is noticed.
pub fn password_changed(lang: UiLanguage, user_id: i32, to: &str, name: &str) -> Outgoing {
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![
            t(lang, "mail.changed.done"),
            t(lang, "mail.changed.sessions"),
            t(lang, "mail.changed.not_you"),
        ],
        action: None,
    };
    outgoing(
        user_id,
        to,
        "password_changed",
        t(lang, "mail.changed.subject"),
        &body,
    )
}

/// What a legal-clock reminder is about.
pub struct ClockReminder<'a> {
    pub kind: domain::pipeline::ClockKind,
    pub candidate: &'a str,
    pub role: &'a str,
    pub organisation: &'a str,
    pub due: chrono::NaiveDate,
    pub arrived_on: Option<chrono::NaiveDate>,
    pub days_left: i64,
    pub link: &'a str,
}

/// A legal deadline ahead: the certificate's expiry, or the moving-in notification. Essential
/// mail (no unsubscribe): missing either deadline costs the move.
pub fn clock_reminder(
    lang: UiLanguage,
    user_id: i32,
    to: &str,
    name: &str,
    reminder: &ClockReminder<'_>,
) -> Outgoing {
    use domain::pipeline::ClockKind;
    let days = reminder.days_left.to_string();
    let due = reminder.due.to_string();
    let arrived = reminder
        .arrived_on
        .map(|d| d.to_string())
        .unwrap_or_default();
    let args = [
        ("days", days.as_str()),
        ("candidate", reminder.candidate),
        ("role", reminder.role),
        ("organisation", reminder.organisation),
        ("due", due.as_str()),
        ("arrived", arrived.as_str()),
    ];
    let (kind, subject, body, rule) = match reminder.kind {
        ClockKind::CoeValidity => (
            "coe_expiry",
            "mail.clock.coe_subject",
            "mail.clock.coe_body",
            "mail.clock.coe_rule",
        ),
        ClockKind::ResidentRegistration => (
            "registration_due",
            "mail.clock.registration_subject",
            "mail.clock.registration_body",
            "mail.clock.registration_rule",
        ),
    };
    let body = Body {
        lang,
        greeting: t_with(lang, "mail.greeting", &[("name", name)]),
        paragraphs: vec![t_with(lang, body, &args), t(lang, rule)],
        action: Some((t(lang, "mail.clock.action"), reminder.link)),
    };
    outgoing(user_id, to, kind, t_with(lang, subject, &args), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_own_words_and_the_html_escapes_what_it_carries() {
        let mut subjects = std::collections::HashSet::new();
        for lang in UiLanguage::ALL {
            let mail = password_reset(
                lang,
                7,
                "p@example.in",
                "<Priya>",
                "https://x.example/reset?token=a&b",
                30,
            );
            assert!(subjects.insert(mail.subject.clone()), "{lang:?}");
            assert!(
                !mail.subject.contains("mail."),
                "a missing key: {}",
                mail.subject
            );
            assert!(mail.body_text.contains("https://x.example/reset?token=a&b"));
            assert!(mail.body_text.contains("30"));
            assert!(mail.body_html.contains("&lt;Priya&gt;"));
            assert!(!mail.body_html.contains("<Priya>"));
            assert!(mail.body_html.contains("token=a&amp;b"));
            assert!(mail
                .body_html
                .contains(&format!("lang=\"{}\"", lang.code())));
        }
    }

    #[test]
    fn clock_reminders_name_the_deadline_in_every_language_without_a_missing_key() {
        use domain::pipeline::ClockKind;
        let due = chrono::NaiveDate::from_ymd_opt(2027, 4, 20).unwrap();
        for lang in UiLanguage::ALL {
            for kind in [ClockKind::CoeValidity, ClockKind::ResidentRegistration] {
                let reminder = ClockReminder {
                    kind,
                    candidate: "Priya <S>",
                    role: "組み込みエンジニア",
                    organisation: "みらい半導体",
                    due,
                    arrived_on: Some(due - chrono::Days::new(14)),
                    days_left: 7,
                    link: "https://x.example/applications/3",
                };
                let mail = clock_reminder(lang, 1, "p@example.in", "Priya", &reminder);
                for text in [&mail.subject, &mail.body_text] {
                    assert!(!text.contains("mail."), "{lang:?}: {text}");
                    assert!(
                        !text.contains('{'),
                        "{lang:?}: an unfilled placeholder in {text}"
                    );
                }
                assert!(mail.subject.contains('7'));
                assert!(mail.body_text.contains("2027-04-20"));
                assert!(mail.body_text.contains("https://x.example/applications/3"));
                assert!(mail.body_html.contains("Priya &lt;S&gt;"));
                assert!(
                    mail.unsubscribe_url.is_none(),
                    "a legal deadline is essential mail"
                );
            }
        }
    }
}
