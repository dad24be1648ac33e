//! CSV exports of the administrators' tables: `GET /admin/export/{table}.csv`, with the same
//! filters as the page. UTF-8 with a byte-order mark, so spreadsheet programs open Japanese and
//! Hindi text correctly; a header row in the administrator's language; codes beside labels, so
//! the files can also be read by programs.

use app::admin::api::{AuditFilters, DashboardFilters, ProgrammeSummary, RiskList};
use app::applications::pages::stage_label;
use app::error::AppError;
use app::i18n::t;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::account::UserRole;
use domain::language::UiLanguage;
use tower_sessions::Session;

use crate::api::error::{ApiError, InLanguage, RequestLanguage};

/// Audit entries an export holds at most.
pub const AUDIT_EXPORT_LIMIT: u64 = 50_000;

type Table = (Vec<String>, Vec<Vec<String>>);

fn header(lang: UiLanguage, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t(lang, k)).collect()
}

fn risk(lang: UiLanguage, list: &RiskList, waiting: bool) -> Table {
    (
        header(
            lang,
            &[
                "admin.csv_application",
                "applications.candidate",
                "admin.employer",
                "admin.csv_stage_code",
                "applications.stage",
                if waiting { "admin.since" } else { "admin.due" },
                if waiting {
                    "admin.days_waiting"
                } else {
                    "admin.days_left"
                },
            ],
        ),
        list.rows
            .iter()
            .map(|r| {
                vec![
                    r.application_id.to_string(),
                    r.engineer_name.clone(),
                    r.organisation_name.clone(),
                    r.stage.clone(),
                    stage_label(lang, &r.stage),
                    r.date.to_string(),
                    r.days.to_string(),
                ]
            })
            .collect(),
    )
}

fn summary_table(lang: UiLanguage, s: &ProgrammeSummary, table: &str) -> Option<Table> {
    Some(match table {
        "years" => (
            header(lang, &["admin.year_from", "admin.target", "admin.counted"]),
            s.years
                .iter()
                .map(|(from, target, counted)| {
                    vec![from.to_string(), target.to_string(), counted.to_string()]
                })
                .collect(),
        ),
        "arrivals" => (
            header(
                lang,
                &[
                    "admin.month",
                    "admin.people",
                    "admin.cumulative",
                    "admin.target_to_date",
                ],
            ),
            s.arrivals_by_month
                .iter()
                .map(|m| {
                    vec![
                        m.month.format("%Y-%m").to_string(),
                        m.people.to_string(),
                        m.cumulative.to_string(),
                        format!("{:.0}", m.target_cumulative),
                    ]
                })
                .collect(),
        ),
        "funnel" => (
            header(
                lang,
                &[
                    "admin.csv_stage_code",
                    "applications.stage",
                    "admin.reached",
                    "admin.open_now",
                    "admin.conversion",
                ],
            ),
            s.funnel
                .iter()
                .map(|f| {
                    vec![
                        f.stage.clone(),
                        stage_label(lang, &f.stage),
                        f.reached.to_string(),
                        f.open_now.to_string(),
                        format!("{:.4}", f.conversion),
                    ]
                })
                .collect(),
        ),
        "closed" => (
            header(
                lang,
                &[
                    "admin.csv_reason_code",
                    "admin.reason",
                    "admin.applications",
                ],
            ),
            s.closed
                .iter()
                .map(|(r, n)| vec![r.clone(), stage_label(lang, r), n.to_string()])
                .collect(),
        ),
        "coe-expiring" => risk(lang, &s.coe_expiring, false),
        "registration-overdue" => risk(lang, &s.registration_overdue, false),
        "stuck" => risk(lang, &s.stuck, true),
        other => {
            let dimension = other.strip_prefix("breakdown-")?;
            let b = s.breakdowns.iter().find(|b| b.dimension == dimension)?;
            (
                vec![
                    t(lang, "admin.csv_code"),
                    t(lang, &format!("admin.dimension_{dimension}")),
                    t(lang, "admin.applications"),
                    t(lang, "admin.offers"),
                    t(lang, "admin.counted"),
                ],
                b.rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.key.clone(),
                            app::admin::pages::dimension_label(lang, dimension, &r.key, &r.name),
                            r.applications.to_string(),
                            r.offers.to_string(),
                            r.counted.to_string(),
                        ]
                    })
                    .collect(),
            )
        }
    })
}

/// A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`),
/// made plain text with a leading apostrophe, as OWASP recommends for CSV injection. Users name
/// themselves and their organisations, and administrators open these files in Excel. A plain
/// number (`-3`, `+81`) is left as it is.
fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The table as CSV bytes: a byte-order mark, then RFC 4180 rows, formulas neutralised.
pub fn to_csv((header, rows): &Table) -> Result<Vec<u8>, AppError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    let mut writer = csv::Writer::from_writer(&mut out);
    let failed = |err: csv::Error| {
        tracing::error!(error = %err, "writing CSV failed");
        AppError::Internal
    };
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned()))
            .map_err(failed)?;
    }
    writer.flush().map_err(|_| AppError::Internal)?;
    drop(writer);
    Ok(out)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    #[serde(flatten)]
    dashboard: DashboardFilters,
    action: String,
    actor: String,
    subject: String,
}

/// `GET /admin/export/{table}.csv` (administrators only).
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(file): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let admin = crate::api::require(&state, &session, &[UserRole::Admin])
        .await
        .in_language(lang)?;
    let table = file
        .strip_suffix(".csv")
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    // an administrator's reads of what may hold personal data are on the record
    app::audit::record(
        &state.db,
        Some(admin.id),
        "admin.exported",
        "export",
        Some(table.to_owned()),
        serde_json::json!({}),
    )
    .await
    .map_err(AppError::from)
    .in_language(lang)?;
    let data = if table == "audit" {
        let mut rows = Vec::new();
        let mut page = 1;
        loop {
            let filters = AuditFilters {
                action: query.action.clone(),
                actor: query.actor.clone(),
                subject: query.subject.clone(),
                from: query.dashboard.from.clone(),
                to: query.dashboard.to.clone(),
                page: page.to_string(),
            };
            let found = app::admin::server::audit(&state.db, &filters)
                .await
                .in_language(lang)?;
            rows.extend(found.rows.into_iter().map(|r| {
                vec![
                    r.at.to_rfc3339(),
                    r.actor.unwrap_or_default(),
                    r.action,
                    r.subject_type,
                    r.subject_id.unwrap_or_default(),
                    r.detail,
                ]
            }));
            if !found.has_more || rows.len() as u64 >= AUDIT_EXPORT_LIMIT {
                break;
            }
            page += 1;
        }
        (
            header(
                lang,
                &[
                    "admin.when",
                    "admin.actor",
                    "admin.action",
                    "admin.subject",
                    "admin.csv_subject_id",
                    "admin.detail",
                ],
            ),
            rows,
        )
    } else {
        let summary = state
            .programme_summary(&query.dashboard)
            .await
            .in_language(lang)?;
        summary_table(lang, &summary, table)
            .ok_or(AppError::NotFound)
            .in_language(lang)?
    };
    let bytes = to_csv(&data).in_language(lang)?;
    let disposition = format!(
        "attachment; filename=\"setubashi-{table}-{}.csv\"",
        domain::time::japan_date(Utc::now())
    );
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        let table = (
            vec!["name".to_owned()],
            vec![
                vec!["=HYPERLINK(\"https://evil.example\",\"click\")".to_owned()],
                vec!["+cmd|' /C calc'!A0".to_owned()],
                vec!["-2+3".to_owned()],
                vec!["@SUM(A1)".to_owned()],
                vec!["\t=1+1".to_owned()],
                vec!["-3".to_owned()],
                vec!["Tanaka = 田中".to_owned()],
            ],
        );
        let text = String::from_utf8(to_csv(&table).unwrap()).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines[1..],
            [
                "\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\"",
                "'+cmd|' /C calc'!A0",
                "'-2+3",
                "'@SUM(A1)",
                "'\t=1+1",
                "-3",
                "Tanaka = 田中",
            ]
        );
    }

    #[test]
    fn csv_starts_with_a_byte_order_mark_and_quotes_what_needs_quoting() {
        let table = (
            vec!["名前".to_owned(), "note".to_owned()],
            vec![vec!["प्रिया".to_owned(), "a, \"quoted\" note".to_owned()]],
        );
        let bytes = to_csv(&table).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(
            text.trim_start_matches('\u{feff}'),
            "名前,note\nप्रिया,\"a, \"\"quoted\"\" note\"\n"
        );
    }
}
