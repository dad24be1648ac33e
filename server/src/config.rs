//! Configuration from the environment, with defaults that run the whole app with nothing
//! installed: an embedded SQLite file under `data/`.

use std::path::PathBuf;

/// Where the data lives and how to reach it.
#[derive(Debug, Clone)]
pub struct Config {
    /// `postgres://…` or `sqlite://…`. Default: an SQLite file in the data directory.
    pub database_url: String,
    /// Directory for the SQLite file and (later) the search index. `SETUBASHI_DATA_DIR`,
    /// default `data`.
    pub data_dir: PathBuf,
    /// Mark cookies `Secure`: set `SETUBASHI_SECURE_COOKIES=true` when served over TLS.
    pub secure_cookies: bool,
    /// Header carrying the client address behind a trusted proxy (`Fly-Client-IP` on fly.io).
    pub client_ip_header: Option<String>,
    /// Accounts one address may create at once before the sign-up limit applies
    /// (`SETUBASHI_SIGNUP_BURST`, 1–10,000, default 20).
    pub signup_burst: u32,
    /// Where Debian's mecab-ipadic sources are (`SETUBASHI_IPADIC_SOURCES`), from which the
    /// Japanese dictionary is built into the data directory on first start.
    pub ipadic_sources: PathBuf,
    /// Where mail goes (`SETUBASHI_SMTP_URL`, e.g. `smtps://user:pass@smtp.example.com`); `None`:
    /// into `.eml` files in the data directory's `mail/`, listed at `/dev/mail` (the demo).
    pub smtp_url: Option<String>,
    /// The sender of every message (`SETUBASHI_MAIL_FROM`).
    pub mail_from: String,
    /// Where people reach the site (`SETUBASHI_PUBLIC_URL`): links in e-mails start with it.
    /// Unset: `http://` and the address served on.
    pub public_url: Option<String>,
    /// How long data is kept (`SETUBASHI_PROFILE_IDLE_MONTHS`, default 24;
    /// `SETUBASHI_CLOSED_APPLICATION_MONTHS`, default 36).
    pub retention: app::rights::retention::Retention,
    /// Threads each search spreads its index segments over (`SETUBASHI_SEARCH_THREADS`,
    /// 1–64; default: the machine's cores). 1 searches on the request's own thread.
    pub search_threads: usize,
    /// Whether the instance keeps the applications' dashboard columns in memory
    /// (`SETUBASHI_DASHBOARD_COLUMNS`, default on; `off` reads the dashboard's row views from
    /// the database, for an instance short of memory: the columns take 32 bytes an application).
    pub dashboard_columns: bool,
}

impl Config {
    /// The search index's directory.
    /// The demo's mailbox: where messages are written when no SMTP server is configured.
    pub fn mailbox_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let data_dir = PathBuf::from(
            std::env::var("SETUBASHI_DATA_DIR").unwrap_or_else(|_| "data".to_owned()),
        );
        let database_url = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                std::fs::create_dir_all(&data_dir)?;
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("setubashi.sqlite3").display()
                )
            }
        };
        let secure_cookies =
            std::env::var("SETUBASHI_SECURE_COOKIES").is_ok_and(|v| v == "true" || v == "1");
        let client_ip_header = std::env::var("SETUBASHI_CLIENT_IP_HEADER")
            .ok()
            .filter(|h| !h.is_empty());
        let ipadic_sources = PathBuf::from(
            std::env::var("SETUBASHI_IPADIC_SOURCES")
                .unwrap_or_else(|_| search::ipadic::DEBIAN_SOURCES.to_owned()),
        );
        std::fs::create_dir_all(&data_dir)?;
        let non_empty = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let number = |name: &str, range| number_in(name, non_empty(name).as_deref(), range);
        let months = |name: &str, default: chrono::Months| -> anyhow::Result<chrono::Months> {
            Ok(number(name, 1..=1200)?.map_or(default, chrono::Months::new))
        };
        let signup_burst = number("SETUBASHI_SIGNUP_BURST", 1..=10_000)?
            .unwrap_or(app::auth::limits::SignUpLimiter::DEFAULT_BURST);
        let search_threads = match number("SETUBASHI_SEARCH_THREADS", 1..=64)? {
            Some(threads) => threads as usize,
            None => std::thread::available_parallelism().map_or(1, |n| n.get().min(64)),
        };
        let dashboard_columns = on_or_off(
            "SETUBASHI_DASHBOARD_COLUMNS",
            non_empty("SETUBASHI_DASHBOARD_COLUMNS").as_deref(),
            true,
        )?;
        let defaults = app::rights::retention::Retention::default();
        let retention = app::rights::retention::Retention {
            profile_idle: months("SETUBASHI_PROFILE_IDLE_MONTHS", defaults.profile_idle)?,
            closed_application: months(
                "SETUBASHI_CLOSED_APPLICATION_MONTHS",
                defaults.closed_application,
            )?,
        };
        Ok(Config {
            database_url,
            data_dir,
            secure_cookies,
            client_ip_header,
            signup_burst,
            ipadic_sources,
            smtp_url: non_empty("SETUBASHI_SMTP_URL"),
            mail_from: non_empty("SETUBASHI_MAIL_FROM")
                .unwrap_or_else(|| "Setubashi <no-reply@setubashi.localhost>".to_owned()),
            public_url: non_empty("SETUBASHI_PUBLIC_URL"),
            retention,
            search_threads,
            dashboard_columns,
        })
    }
}

/// A switch setting: `on` or `off`, `default` when unset, or an error naming the setting.
fn on_or_off(name: &str, value: Option<&str>, default: bool) -> anyhow::Result<bool> {
    match value.map(str::trim) {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(other) => anyhow::bail!("{name}: on or off, not {other:?}"),
    }
}

/// A setting's number, when set: within `range`, or an error naming the setting.
fn number_in(
    name: &str,
    value: Option<&str>,
    range: std::ops::RangeInclusive<u32>,
) -> anyhow::Result<Option<u32>> {
    let Some(value) = value else {
        return Ok(None);
    };
    match value.trim().parse::<u32>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => anyhow::bail!(
            "{name}: a number from {} to {}, not {value:?}",
            range.start(),
            range.end()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{number_in, on_or_off};

    #[test]
    fn a_switch_setting_is_on_or_off_or_refused_by_name() {
        assert!(on_or_off("S", None, true).unwrap());
        assert!(!on_or_off("S", None, false).unwrap());
        assert!(on_or_off("S", Some("on"), false).unwrap());
        assert!(!on_or_off("S", Some(" off "), true).unwrap());
        for wrong in ["yes", "OFF", "0", "true"] {
            let error = on_or_off("SETUBASHI_X", Some(wrong), true).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("SETUBASHI_X: on or off, not {wrong:?}")
            );
        }
    }

    #[test]
    fn a_number_setting_is_read_within_its_range_or_refused_by_name() {
        assert_eq!(number_in("N", None, 1..=64).unwrap(), None);
        assert_eq!(number_in("N", Some(" 2 "), 1..=64).unwrap(), Some(2));
        assert_eq!(number_in("N", Some("64"), 1..=64).unwrap(), Some(64));
        for wrong in ["0", "65", "-1", "two", "1.5"] {
            let error = number_in("SETUBASHI_SEARCH_THREADS", Some(wrong), 1..=64)
                .unwrap_err()
                .to_string();
            assert_eq!(
                error,
                format!("SETUBASHI_SEARCH_THREADS: a number from 1 to 64, not {wrong:?}")
            );
        }
    }
}
