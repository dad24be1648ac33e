//! The frame around every page: skip link, header with navigation and language switcher, and
//! the footer that says demo records are synthetic.

use domain::account::UserRole;
use domain::language::UiLanguage;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::api::{CurrentUser, LogOut};
use crate::i18n::{t, use_lang};

/// The signed-in user, loaded once per page and shared with every component that needs it.
pub type UserResource = Resource<Result<Option<CurrentUser>, crate::error::AppError>>;

pub fn use_user() -> Option<UserResource> {
    use_context::<UserResource>()
}

/// The links a user sees in the header, by role. The server checks every page's role on its
/// own; these links are only convenience.
fn nav_links(user: Option<&CurrentUser>) -> Vec<(&'static str, &'static str)> {
    match user.map(|u| u.role) {
        None => vec![("/signup", "nav.sign_up"), ("/login", "nav.log_in")],
        Some(UserRole::Engineer) => vec![
            ("/dashboard", "nav.dashboard"),
            ("/jobs", "nav.jobs"),
            ("/searches", "nav.searches"),
            ("/applications", "nav.applications"),
            ("/profile", "nav.profile"),
        ],
        Some(UserRole::Employer) => vec![
            ("/roles", "nav.roles"),
            ("/talent", "nav.talent"),
            ("/searches", "nav.searches"),
            ("/applications", "nav.applications"),
            ("/roles/new", "nav.post_role"),
            ("/organisation", "nav.organisation"),
        ],
        Some(UserRole::Admin) => vec![
            ("/admin", "nav.programme"),
            ("/admin/verification", "admin.verification"),
            ("/talent", "nav.talent"),
            ("/admin/users", "admin.users"),
            ("/admin/audit", "admin.audit"),
        ],
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    let log_out = use_context::<ServerAction<LogOut>>().unwrap_or_default();
    view! {
        <a class="skip-link" href="#main">{t(lang, "nav.skip_to_content")}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-name">"Setubashi"</span>
                <span class="brand-tagline">{t(lang, "brand.tagline")}</span>
            </a>
            <nav aria-label=t(lang, "nav.main_label")>
                <Transition fallback=|| ()>
                    {move || {
                        let signed_in = user.and_then(|u| u.get()).and_then(|r| r.ok()).flatten();
                        let links = nav_links(signed_in.as_ref())
                            .into_iter()
                            .map(|(href, key)| view! { <li><a href=href>{t(lang, key)}</a></li> })
                            .collect_view();
                        let account = signed_in.map(|u| {
                            let unread = u.unread_notifications;
                            let label = if unread > 0 {
                                crate::i18n::t_with(lang, "nav.notifications_unread", &[("count", &unread.to_string())])
                            } else {
                                t(lang, "nav.notifications")
                            };
                            view! {
                                <li><a href="/notifications" class="notifications-link" data-unread=unread.to_string()>{label}</a></li>
                                <li class="account">
                                    <a class="who" href="/account">{u.display_name.clone()}</a>
                                    <ActionForm action=log_out attr:class="inline-form">
                                        <button type="submit" class="link-button">{t(lang, "nav.log_out")}</button>
                                    </ActionForm>
                                </li>
                            }
                        });
                        view! { <ul class="nav-links">{links}{account}</ul> }
                    }}
                </Transition>
            </nav>
            <LanguageSwitcher />
        </header>
    }
}

/// Tells a signed-in person whose address is not proven what that stops, with a button to send
/// the link again.
#[component]
pub fn VerifyBanner() -> impl IntoView {
    let lang = use_lang();
    let user = use_user();
    let resend = ServerAction::<crate::auth::api::ResendVerification>::new();
    // a resend posted without the wasm comes back here: its outcome is kept for the banner
    let kept = Resource::new(
        || (),
        |_| crate::forms::take_plain_submission("resend_verification".to_owned()),
    );
    view! {
        <Transition fallback=|| ()>
            {move || {
                let signed_in = user.and_then(|u| u.get()).and_then(|r| r.ok()).flatten();
                let kept = kept.get().and_then(|k| k.ok()).flatten();
                let resent = crate::forms::succeeded(resend.value(), kept.as_ref());
                let error = crate::forms::current_error(resend.value(), kept);
                signed_in.filter(|u| !u.email_verified).map(|u| view! {
                    <div class="verify-banner notice" role="status">
                        <p>{crate::i18n::t_with(lang, "verify.banner", &[("email", &u.email)])}</p>
                        <ActionForm action=resend attr:class="inline-form">
                            <button type="submit" class="link-button">{t(lang, "verify.resend")}</button>
                        </ActionForm>
                        {move || resent.get().then(|| view! { <p>{t(lang, "verify.resent")}</p> })}
                        {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
                    </div>
                })
            }}
        </Transition>
    }
}

/// The same page in each language: a button per language that posts to `/lang/{code}`, which
/// sets a cookie (and, for a signed-in user, the account's language) and sends the browser back
/// here. A plain form, so it works without JavaScript; a POST, because it changes state (a link
/// that did could be triggered by another site, or by a browser prefetching it).
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let next = move || {
        let here = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            here
        } else {
            format!("{here}?{query}")
        }
    };
    view! {
        <nav class="language-switcher" aria-label=t(lang, "nav.language")>
            <ul>
                {UiLanguage::ALL
                    .into_iter()
                    .map(|option| {
                        let current = option == lang;
                        view! {
                            <li>
                                <form method="post" action=format!("/lang/{}", option.code()) class="inline-form">
                                    <input type="hidden" name="next" value=next />
                                    <button
                                        type="submit"
                                        lang=option.code()
                                        aria-current=current.then_some("true")
                                    >
                                        {option.native_name()}
                                    </button>
                                </form>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// Percent-encodes a URL component (only what a path and query can contain).
pub fn encode_component(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <p>{t(lang, "footer.mission")}</p>
            <p class="demo-notice">{t(lang, "footer.demo_notice")}</p>
            <p><a href="/privacy">{t(lang, "footer.privacy")}</a></p>
        </footer>
    }
}

/// The page's numeric `:id` route parameter, `None` when missing or not a number (the pages
/// then answer "not found").
pub fn id_param() -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths_are_percent_encoded() {
        assert_eq!(
            encode_component("/roles?page=2&q=組み込み"),
            "/roles%3Fpage%3D2%26q%3D%E7%B5%84%E3%81%BF%E8%BE%BC%E3%81%BF"
        );
    }

    #[test]
    fn visitors_see_sign_up_and_log_in_and_employers_see_their_roles() {
        assert_eq!(nav_links(None).len(), 2);
        let employer = CurrentUser {
            id: 1,
            email: "hr@example.jp".into(),
            display_name: "HR".into(),
            role: UserRole::Employer,
            ui_language: UiLanguage::Ja,
            organisation_id: Some(1),
            unread_notifications: 0,
            email_verified: true,
            organisation_verified: None,
        };
        assert!(nav_links(Some(&employer))
            .iter()
            .any(|(href, _)| *href == "/roles/new"));
    }
}

/// A data table that scrolls sideways within itself when the screen is narrower than the
/// table, instead of widening the whole page on a phone. Named and focusable, so that keyboard
/// and screen-reader users can find and scroll it too (the WAI pattern for wide tables).
#[component]
pub fn TableRegion(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-region" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
