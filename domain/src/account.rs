//! Accounts: who a user is to Setubashi and the rules for what they sign up with.

use serde::{Deserialize, Serialize};

use crate::validation::{self, Problem};

/// What a user does on Setubashi. Administrators are created only from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UserRole {
    Engineer,
    Employer,
    Admin,
}

impl UserRole {
    pub fn code(self) -> &'static str {
        match self {
            UserRole::Engineer => "engineer",
            UserRole::Employer => "employer",
            UserRole::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<UserRole> {
        match code {
            "engineer" => Some(UserRole::Engineer),
            "employer" => Some(UserRole::Employer),
            "admin" => Some(UserRole::Admin),
            _ => None,
        }
    }

    /// The roles a visitor may choose when signing up.
    pub fn parse_self_service(code: &str) -> Result<UserRole, Problem> {
        match UserRole::parse(code.trim()) {
            Some(role @ (UserRole::Engineer | UserRole::Employer)) => Ok(role),
            _ => Err(Problem::NotAllowed),
        }
    }
}

/// A syntactically valid e-mail address, trimmed and lower-cased so that one mailbox is one
/// account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, Problem> {
        let normalised = raw.trim().to_lowercase();
        if normalised.is_empty() {
            return Err(Problem::Required);
        }
        if normalised.len() > Self::MAX_LEN {
            return Err(Problem::TooLong);
        }
        // The RFC allows addresses without a dot in the domain (user@localhost); a platform for
        // people on the public internet does not.
        let has_dotted_domain = normalised
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if email_address::EmailAddress::is_valid(&normalised) && has_dotted_domain {
            Ok(Email(normalised))
        } else {
            Err(Problem::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The length rule for passwords (NIST SP 800-63B: long, any characters, no composition rules).
/// Whether a password is too common is checked on the server against a password list.
pub struct PasswordPolicy;

impl PasswordPolicy {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    /// Checks the length in characters; passwords are never trimmed.
    pub fn check_length(password: &str) -> Result<(), Problem> {
        let chars = password.chars().count();
        if chars == 0 {
            Err(Problem::Required)
        } else if chars < Self::MIN_CHARS {
            Err(Problem::TooShort)
        } else if chars > Self::MAX_CHARS {
            Err(Problem::TooLong)
        } else {
            Ok(())
        }
    }
}

/// The name a user is shown by: 1–80 characters.
pub fn parse_display_name(raw: &str) -> Result<String, Problem> {
    validation::line(raw, 1, 80)
}

/// A browser's `User-Agent` as a person recognises it: "Firefox on Android".
pub fn describe_user_agent(agent: &str) -> String {
    // order matters: Edge and Chrome say "Safari" too, Chrome on Android says "Linux"
    let browser = [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(token, _)| agent.contains(token))
    .map_or("A browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(token, _)| agent.contains(token))
    .map(|(_, name)| name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_trimmed_and_lower_cased() {
        assert_eq!(
            Email::parse("  Priya.Sharma@Example.IN ").unwrap().as_str(),
            "priya.sharma@example.in"
        );
    }

    #[test]
    fn malformed_e_mail_addresses_are_rejected() {
        for bad in [
            "",
            "priya",
            "priya@",
            "@example.in",
            "priya@localhost",
            "a b@example.in",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Email::parse(""), Err(Problem::Required));
        let long = format!("{}@example.in", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(Problem::TooLong));
    }

    #[test]
    fn passwords_must_be_12_to_128_characters() {
        assert_eq!(PasswordPolicy::check_length(""), Err(Problem::Required));
        assert_eq!(
            PasswordPolicy::check_length("short"),
            Err(Problem::TooShort)
        );
        assert_eq!(
            PasswordPolicy::check_length(&"x".repeat(11)),
            Err(Problem::TooShort)
        );
        assert_eq!(PasswordPolicy::check_length(&"x".repeat(12)), Ok(()));
        assert_eq!(PasswordPolicy::check_length(&"x".repeat(128)), Ok(()));
        assert_eq!(
            PasswordPolicy::check_length(&"x".repeat(129)),
            Err(Problem::TooLong)
        );
        // characters, not bytes: twelve kanji are a valid length
        assert_eq!(
            PasswordPolicy::check_length("日本語日本語日本語日本語"),
            Ok(())
        );
    }

    #[test]
    fn only_engineers_and_employers_can_sign_themselves_up() {
        assert_eq!(
            UserRole::parse_self_service("engineer"),
            Ok(UserRole::Engineer)
        );
        assert_eq!(
            UserRole::parse_self_service("employer"),
            Ok(UserRole::Employer)
        );
        assert_eq!(
            UserRole::parse_self_service("admin"),
            Err(Problem::NotAllowed)
        );
        assert_eq!(UserRole::parse_self_service(""), Err(Problem::NotAllowed));
    }

    #[test]
    fn user_agents_read_as_a_browser_on_a_system() {
        let chrome_android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(describe_user_agent(chrome_android), "Chrome on Android");
        let safari_iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_user_agent(safari_iphone), "Safari on iPhone");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0";
        assert_eq!(describe_user_agent(edge), "Edge on Windows");
        assert_eq!(describe_user_agent(""), "A browser");
        assert_eq!(describe_user_agent("reqwest/0.12"), "A browser");
    }
}
