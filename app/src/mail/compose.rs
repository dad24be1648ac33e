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
}
