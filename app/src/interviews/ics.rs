//! The `.ics` invitation of a scheduled interview (RFC 5545), written with the `icalendar`
//! crate: times in UTC (every calendar shows them in its owner's zone), a UID stable across
//! reschedules with a SEQUENCE that grows, so a calendar updates the event instead of adding
//! a second one.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::db::entities::{application, engineer_profile, interview, organisation, role};
use crate::error::AppResult;

/// What an invitation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub uid: String,
    pub sequence: i32,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
    pub url: String,
}

impl EventFacts {
    /// The facts of a scheduled interview; `None` while no time is picked.
    pub async fn load(
        db: &impl ConnectionTrait,
        row: &interview::Model,
        app: &application::Model,
        public_url: &str,
    ) -> AppResult<Option<EventFacts>> {
        let Some(starts_at) = row.starts_at.filter(|_| row.status == "scheduled") else {
            return Ok(None);
        };
        let role = role::Entity::find_by_id(app.role_id).one(db).await?;
        let organisation = organisation::Entity::find_by_id(app.organisation_id)
            .one(db)
            .await?;
        let engineer = engineer_profile::Entity::find_by_id(app.engineer_user_id)
            .one(db)
            .await?;
        let title = role
            .as_ref()
            .and_then(|r| r.title_en.clone().or_else(|| r.title_ja.clone()))
            .unwrap_or_default();
        let organisation = organisation
            .and_then(|o| o.name_en.or(o.name_ja))
            .unwrap_or_default();
        let engineer = engineer.map(|p| p.full_name).unwrap_or_default();
        let url = format!(
            "{}/applications/{}",
            public_url.trim_end_matches('/'),
            app.id
        );
        Ok(Some(EventFacts {
            uid: format!("interview-{}@setubashi", row.id),
            sequence: row.version,
            summary: format!("Interview: {engineer} — {title} ({organisation})"),
            description: format!(
                "{} ({} min){}\n{url}",
                format_label(&row.format),
                row.minutes,
                row.place
                    .as_deref()
                    .map(|p| format!("\n{p}"))
                    .unwrap_or_default()
            ),
            location: row.place.clone(),
            starts_at,
            minutes: i64::from(row.minutes),
            url,
        }))
    }
}

fn format_label(code: &str) -> &'static str {
    match code {
        "video" => "Video call / ビデオ通話 / वीडियो कॉल",
        "phone" => "Telephone / 電話 / फ़ोन",
        _ => "On site / 対面 / आमने-सामने",
    }
}

/// The calendar text.
pub fn calendar(facts: &EventFacts) -> String {
    let mut event = Event::new();
    event
        .uid(&facts.uid)
        .summary(&facts.summary)
        .description(&facts.description)
        .starts(facts.starts_at)
        .ends(facts.starts_at + Duration::minutes(facts.minutes))
        .status(EventStatus::Confirmed)
        .add_property("SEQUENCE", facts.sequence.to_string())
        .add_property("URL", facts.url.clone());
    if let Some(place) = &facts.location {
        event.location(place);
    }
    let mut calendar = Calendar::new();
    calendar.name("Setubashi").push(event.done());
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use icalendar::{CalendarComponent, CalendarDateTime, DatePerhapsTime};

    fn facts() -> EventFacts {
        EventFacts {
            uid: "interview-7@setubashi".into(),
            sequence: 3,
            summary: "Interview: Ananya Rao — 組み込みエンジニア (Tokyo Semi)".into(),
            description: "Video call (60 min)\nhttps://meet.example.jp/abc; x, y".into(),
            location: Some("https://meet.example.jp/abc".into()),
            starts_at: Utc.with_ymd_and_hms(2026, 12, 10, 1, 0, 0).unwrap(),
            minutes: 60,
            url: "https://setubashi.example/applications/5".into(),
        }
    }

    #[test]
    fn an_invitation_reads_back_with_the_same_crate() {
        let text = calendar(&facts());
        assert!(text.starts_with("BEGIN:VCALENDAR"), "{text}");
        let parsed: Calendar = text.parse().expect("the invitation parses");
        let events: Vec<&Event> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 1);
        let event = events[0];
        assert_eq!(event.get_uid(), Some("interview-7@setubashi"));
        assert_eq!(
            event.get_summary(),
            Some("Interview: Ananya Rao — 組み込みエンジニア (Tokyo Semi)")
        );
        assert_eq!(
            event.get_description(),
            Some("Video call (60 min)\nhttps://meet.example.jp/abc; x, y")
        );
        assert_eq!(event.get_location(), Some("https://meet.example.jp/abc"));
        // 10:00 in Tokyo is 01:00 UTC; an hour long
        assert_eq!(
            event.get_start(),
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
                Utc.with_ymd_and_hms(2026, 12, 10, 1, 0, 0).unwrap()
            )))
        );
        assert_eq!(
            event.get_end(),
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
                Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap()
            )))
        );
        assert_eq!(event.property_value("SEQUENCE"), Some("3"));
        assert_eq!(event.get_status(), Some(EventStatus::Confirmed));
    }
}
