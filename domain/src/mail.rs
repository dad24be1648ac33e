//! The optional topics of e-mail a person can turn off; everything else (security, proving the
//! address, legal deadlines, the organisation's verification) is essential and always sent.

use serde::{Deserialize, Serialize};

/// An optional kind of e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailTopic {
    /// An employer invited the engineer to apply.
    Invitations,
    /// Applications received, and the other side's moves on an application.
    Applications,
    /// An offer made.
    Offers,
    /// A sign-in from a browser not seen on the account before.
    NewSignIns,
    /// Messages from the other side of an application.
    Messages,
    /// The digest of a saved search's new results.
    SearchAlerts,
}

impl MailTopic {
    pub const ALL: [MailTopic; 6] = [
        MailTopic::Invitations,
        MailTopic::Applications,
        MailTopic::Offers,
        MailTopic::NewSignIns,
        MailTopic::Messages,
        MailTopic::SearchAlerts,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MailTopic::Invitations => "invitations",
            MailTopic::Applications => "applications",
            MailTopic::Offers => "offers",
            MailTopic::NewSignIns => "new_sign_ins",
            MailTopic::Messages => "messages",
            MailTopic::SearchAlerts => "search_alerts",
        }
    }

    pub fn parse(code: &str) -> Option<MailTopic> {
        MailTopic::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The topic of a notification's e-mail (`kind`, and the stage or reason it moved to), or
    /// `None` for essential mail.
    pub fn of_notification(kind: &str, to: Option<&str>) -> Option<MailTopic> {
        match (kind, to) {
            ("invited", _) => Some(MailTopic::Invitations),
            ("application_moved", Some("offer_extended")) => Some(MailTopic::Offers),
            (
                "application_received"
                | "application_moved"
                | "interview_proposed"
                | "interview_scheduled"
                | "interview_cancelled"
                | "interview_reminder",
                _,
            ) => Some(MailTopic::Applications),
            ("message_received", _) => Some(MailTopic::Messages),
            ("search_alert", _) => Some(MailTopic::SearchAlerts),
            _ => None,
        }
    }
}

/// The topics a person turned off, from their stored list (unknown codes are ignored).
pub fn parse_opt_out(stored: &str) -> Vec<MailTopic> {
    stored
        .split(',')
        .filter_map(|code| MailTopic::parse(code.trim()))
        .collect()
}

/// The stored list for the topics turned off, in a fixed order.
pub fn format_opt_out(off: &[MailTopic]) -> String {
    MailTopic::ALL
        .into_iter()
        .filter(|t| off.contains(t))
        .map(MailTopic::code)
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_the_stored_list_is_canonical() {
        for topic in MailTopic::ALL {
            assert_eq!(MailTopic::parse(topic.code()), Some(topic));
        }
        assert_eq!(
            parse_opt_out(" offers,nonsense,,invitations"),
            [MailTopic::Offers, MailTopic::Invitations]
        );
        assert_eq!(
            format_opt_out(&[MailTopic::Offers, MailTopic::Invitations]),
            "invitations,offers"
        );
        assert_eq!(format_opt_out(&[]), "");
    }

    #[test]
    fn security_and_verification_notices_are_essential_and_an_offer_is_its_own_topic() {
        assert_eq!(MailTopic::of_notification("login_throttled", None), None);
        assert_eq!(
            MailTopic::of_notification("organisation_verified", None),
            None
        );
        assert_eq!(
            MailTopic::of_notification("application_moved", Some("offer_extended")),
            Some(MailTopic::Offers)
        );
        assert_eq!(
            MailTopic::of_notification("application_moved", Some("interview")),
            Some(MailTopic::Applications)
        );
        assert_eq!(
            MailTopic::of_notification("invited", None),
            Some(MailTopic::Invitations)
        );
    }
}
