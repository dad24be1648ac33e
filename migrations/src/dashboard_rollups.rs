//! The programme dashboard's rollups, kept by triggers on `applications` in both databases.
//!
//! Aggregating two million applications on every view took two seconds; these tables hold the
//! same aggregates, changed in the transaction that changes an application (any writer: a move,
//! the closing sweep, an erasure, the seeder), so a view reads a few hundred rows.
//!
//! - `dashboard_slices`: counts of applications, additive, by *slice*: a grain (all time, or the
//!   month the application was made), one optional filter dimension and its value, the visa route,
//!   and one grouped dimension and its value (the stage and closing reason, a breakdown's
//!   dimension, a median's day difference, or an open application's waiting day). Which
//!   (grain, filter, group) combinations exist is the small table `dashboard_slice_kinds`. The
//!   measures are the applications and how many of them have an offer, a CoE, a visa, a
//!   registration or an arrival, so the programme's counted stage and routes apply when read.
//! - `counted_people` and `counted_months`: the people counted towards the target, each once on
//!   the first day one of their applications reached the counted stage on a counted route, per
//!   filter. A first day is not additive, so the trigger recomputes the touched people from their
//!   applications; the rule (`counted_rule`) is the programme settings', and saving other
//!   settings rebuilds these two tables ([`rebuild_counted`]).
//!
//! PostgreSQL runs statement-level triggers over transition tables (a bulk insert or the closing
//! sweep is one aggregate); SQLite, which has only row triggers, runs the same statements over
//! the one row. The SQL is written once here, in both dialects.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

/// A PostgreSQL setting that, set to `off` in a transaction (`SET LOCAL`), leaves the rollups
/// alone: for a bulk load, which then rebuilds them once ([`defer_in_transaction`]).
pub const DEFER_SETTING: &str = "setubashi.rollups";

/// The statement that defers the rollups to the end of a bulk load, in the current transaction
/// (PostgreSQL; SQLite's row triggers always run).
pub fn defer_in_transaction(d: Dialect) -> Option<String> {
    d.postgres()
        .then(|| format!("SET LOCAL {DEFER_SETTING} = 'off'"))
}

/// Grains of a slice.
pub const GRAIN_ALL_TIME: i32 = 0;
pub const GRAIN_MONTH: i32 = 1;
/// Calendar years (UTC), for the employers only: a year's top employers are the first rows of
/// an index, where twelve months' would be a sum of a quarter of a million rows.
pub const GRAIN_YEAR: i32 = 2;
/// The `period` of all-time slices.
pub const ALL_TIME_PERIOD: &str = "1970-01-01";

/// Filter dimensions (`filter_dim`); `filter_value` is `''` for none and `none` for a missing
/// value. `counted_people` also has [`FILTER_ROUTE`].
pub const FILTER_NONE: i32 = 0;
pub const FILTER_SECTOR: i32 = 1;
pub const FILTER_STATE: i32 = 2;
pub const FILTER_PREFECTURE: i32 = 3;
pub const FILTER_JLPT: i32 = 4;
pub const FILTER_ROUTE: i32 = 5;

/// Grouped dimensions (`group_dim`).
/// `stage:closing reason` (the reason empty while open).
pub const GROUP_STAGE: i32 = 0;
pub const GROUP_SECTOR: i32 = 1;
pub const GROUP_STATE: i32 = 2;
pub const GROUP_PREFECTURE: i32 = 3;
pub const GROUP_JLPT: i32 = 4;
/// The organisation's id; without a filter or by sector, and without the route.
pub const GROUP_EMPLOYER: i32 = 5;
/// Days from the application to the offer, from the offer to the CoE, from the CoE to arrival.
pub const GROUP_DAYS_TO_OFFER: i32 = 6;
pub const GROUP_DAYS_TO_COE: i32 = 7;
pub const GROUP_DAYS_TO_ARRIVAL: i32 = 8;
/// Open applications waiting: `stage|day of the last move` (all time, no filter, no route).
pub const GROUP_WAITING: i32 = 9;
/// Open applications holding a CoE (at CoE issued, visa applied or visa issued): the CoE's day.
pub const GROUP_OPEN_COE: i32 = 10;
/// Open applications at "arrived": the day of arrival.
pub const GROUP_OPEN_ARRIVED: i32 = 11;

/// The filter dimensions of the slices (the route is a column of every slice instead).
const SLICE_FILTERS: [i32; 5] = [
    FILTER_NONE,
    FILTER_SECTOR,
    FILTER_STATE,
    FILTER_PREFECTURE,
    FILTER_JLPT,
];
/// The groups every (grain, filter) has.
const COMMON_GROUPS: [i32; 8] = [
    GROUP_STAGE,
    GROUP_SECTOR,
    GROUP_STATE,
    GROUP_PREFECTURE,
    GROUP_JLPT,
    GROUP_DAYS_TO_OFFER,
    GROUP_DAYS_TO_COE,
    GROUP_DAYS_TO_ARRIVAL,
];

/// Every kind of slice: (grain, filter dimension, group dimension, by route).
pub fn slice_kinds() -> Vec<(i32, i32, i32, bool)> {
    let mut kinds = Vec::new();
    for grain in [GRAIN_ALL_TIME, GRAIN_MONTH] {
        for filter in SLICE_FILTERS {
            for group in COMMON_GROUPS {
                kinds.push((grain, filter, group, true));
            }
        }
        // tens of thousands of employers: by employer only without a filter or by sector (an
        // employer has one), and not by route (the dashboard counts the top 20's people from
        // their rows)
        kinds.push((grain, FILTER_NONE, GROUP_EMPLOYER, false));
        kinds.push((grain, FILTER_SECTOR, GROUP_EMPLOYER, false));
    }
    kinds.extend(yearly_kinds());
    for group in [GROUP_WAITING, GROUP_OPEN_COE, GROUP_OPEN_ARRIVED] {
        kinds.push((GRAIN_ALL_TIME, FILTER_NONE, group, false));
    }
    kinds
}

/// The kinds of the yearly slices (migration 23): the employers, as the other grains hold them.
pub fn yearly_kinds() -> [(i32, i32, i32, bool); 2] {
    [
        (GRAIN_YEAR, FILTER_NONE, GROUP_EMPLOYER, false),
        (GRAIN_YEAR, FILTER_SECTOR, GROUP_EMPLOYER, false),
    ]
}

/// The filter dimensions of `counted_people`.
const COUNTED_FILTERS: [i32; 6] = [
    FILTER_NONE,
    FILTER_SECTOR,
    FILTER_STATE,
    FILTER_PREFECTURE,
    FILTER_JLPT,
    FILTER_ROUTE,
];

/// The first key of the advisory locks that order recounts of one person.
const COUNTED_LOCK: i32 = 0x5e70;

/// The columns of `applications` the rollups read (and the dashboard's columns in memory).
pub const COLUMNS: [&str; 16] = [
    "engineer_user_id",
    "organisation_id",
    "stage",
    "closed_reason",
    "sector",
    "indian_state",
    "role_prefecture",
    "jlpt_level",
    "visa_route",
    "applied_at",
    "stage_changed_at",
    "offered_on",
    "coe_issued_on",
    "visa_issued_on",
    "registered_on",
    "arrived_on",
];

/// The columns a counted person's first day depends on.
const COUNTED_COLUMNS: [&str; 10] = [
    "engineer_user_id",
    "sector",
    "indian_state",
    "role_prefecture",
    "jlpt_level",
    "visa_route",
    "coe_issued_on",
    "visa_issued_on",
    "registered_on",
    "arrived_on",
];

/// The measures of a slice, in order.
pub const MEASURES: [&str; 6] = [
    "applications",
    "offered",
    "coe",
    "visa",
    "registered",
    "arrived",
];

/// The day columns behind the measures after `applications`.
const MEASURE_DAYS: [&str; 5] = [
    "offered_on",
    "coe_issued_on",
    "visa_issued_on",
    "registered_on",
    "arrived_on",
];

/// The slices' key, in the order of their primary key: a view reads one grain, filter and
/// group over a range of periods.
const SLICE_KEY: &str = "grain, filter_dim, filter_value, group_dim, period, route, group_value";

/// What differs between the two databases.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Dialect(pub DatabaseBackend);

impl Dialect {
    fn postgres(self) -> bool {
        self.0 == DatabaseBackend::Postgres
    }

    /// The UTC day of a timestamp column, as a date.
    pub fn day_of(self, timestamp: &str) -> String {
        if self.postgres() {
            format!("CAST(({timestamp} AT TIME ZONE 'UTC') AS DATE)")
        } else {
            format!("date({timestamp})")
        }
    }

    /// The first day of the UTC month of a timestamp column.
    fn month_of_timestamp(self, timestamp: &str) -> String {
        if self.postgres() {
            format!("CAST(date_trunc('month', {timestamp} AT TIME ZONE 'UTC') AS DATE)")
        } else {
            format!("date({timestamp}, 'start of month')")
        }
    }

    /// The first day of the UTC year of a timestamp column.
    fn year_of_timestamp(self, timestamp: &str) -> String {
        if self.postgres() {
            format!("CAST(date_trunc('year', {timestamp} AT TIME ZONE 'UTC') AS DATE)")
        } else {
            format!("date({timestamp}, 'start of year')")
        }
    }

    /// The first day of the month of a date.
    fn month_of_date(self, day: &str) -> String {
        if self.postgres() {
            format!("CAST(date_trunc('month', {day}) AS DATE)")
        } else {
            format!("date({day}, 'start of month')")
        }
    }

    /// Whole days from `earlier` to `later` (date expressions).
    pub fn days_between(self, earlier: &str, later: &str) -> String {
        if self.postgres() {
            format!("({later} - {earlier})")
        } else {
            format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)")
        }
    }

    /// A date as `YYYY-MM-DD` text.
    fn date_text(self, day: &str) -> String {
        if self.postgres() {
            format!("to_char({day}, 'YYYY-MM-DD')")
        } else {
            day.to_owned()
        }
    }

    fn date_literal(self, day: &str) -> String {
        if self.postgres() {
            format!("DATE '{day}'")
        } else {
            format!("'{day}'")
        }
    }

    fn date_type(self) -> &'static str {
        if self.postgres() {
            "date"
        } else {
            "text"
        }
    }
}

/// `value` of a nullable dimension column, `none` when missing.
fn or_none(column: &str) -> String {
    format!("coalesce({column}, 'none')")
}

/// Makes writers of applications wait for the rest of the transaction (PostgreSQL, where a
/// migration is one transaction): an instance still on the old code cannot write between a
/// refill of the rollups and the triggers that keep them.
pub async fn hold_applications<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if Dialect(db.get_database_backend()).postgres() {
        db.execute_unprepared("LOCK TABLE applications IN SHARE MODE")
            .await?;
    }
    Ok(())
}

/// The tables, their kinds, and the indexes the dashboard's lists read.
pub fn create_tables(d: Dialect) -> String {
    let date = d.date_type();
    let kinds = kind_values(&slice_kinds());
    let dims = COUNTED_FILTERS
        .iter()
        .map(|f| format!("({f})"))
        .collect::<Vec<_>>()
        .join(", ");
    let measures = MEASURES
        .iter()
        .map(|m| format!("{m} bigint NOT NULL DEFAULT 0"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TABLE dashboard_slice_kinds (grain smallint NOT NULL, filter_dim smallint NOT NULL, \
           group_dim smallint NOT NULL, by_route smallint NOT NULL, PRIMARY KEY (grain, filter_dim, group_dim));
         INSERT INTO dashboard_slice_kinds (grain, filter_dim, group_dim, by_route) VALUES {kinds};
         CREATE TABLE dashboard_slices (grain smallint NOT NULL, period {date} NOT NULL, \
           filter_dim smallint NOT NULL, filter_value text NOT NULL, route text NOT NULL, \
           group_dim smallint NOT NULL, group_value text NOT NULL, {measures}, \
           PRIMARY KEY ({SLICE_KEY}));
         CREATE TABLE counted_rule (id integer PRIMARY KEY, stage text NOT NULL, routes text NOT NULL);
         CREATE TABLE counted_filter_dims (filter_dim smallint PRIMARY KEY);
         INSERT INTO counted_filter_dims (filter_dim) VALUES {dims};
         CREATE TABLE counted_people (engineer_user_id integer NOT NULL, filter_dim smallint NOT NULL, \
           filter_value text NOT NULL, first_day {date} NOT NULL, \
           PRIMARY KEY (engineer_user_id, filter_dim, filter_value));
         CREATE TABLE counted_months (filter_dim smallint NOT NULL, filter_value text NOT NULL, \
           month {date} NOT NULL, people bigint NOT NULL DEFAULT 0, \
           PRIMARY KEY (filter_dim, filter_value, month));
         CREATE INDEX ix_applications_open_coe ON applications (coe_issued_on, id) \
           WHERE closed_reason IS NULL AND stage IN ('coe_issued', 'visa_applied', 'visa_issued');
         CREATE INDEX ix_applications_open_arrived ON applications (arrived_on, id) \
           WHERE closed_reason IS NULL AND stage = 'arrived';
         CREATE INDEX ix_applications_open_waiting ON applications (stage_changed_at, id) \
           WHERE closed_reason IS NULL;"
    )
}

/// Orders the all-time employer slices by applications, so the dashboard's top employers are
/// the first rows of an index instead of a sort of every employer (21,000 rows, 25 ms at two
/// million applications: most of the default view's time). All-time slices hold one row per
/// employer, so no sum is needed; ties go by the key's bytes, as the dashboard orders them.
pub fn create_top_employers_index(d: Dialect) -> String {
    top_employers_index(d, TOP_EMPLOYERS_INDEX, GRAIN_ALL_TIME)
}

/// The index of one grain's employer slices, by filter, period, applications and key.
fn top_employers_index(d: Dialect, name: &str, grain: i32) -> String {
    let bytes = if d.postgres() { " COLLATE \"C\"" } else { "" };
    format!(
        "CREATE INDEX {name} ON dashboard_slices \
           (filter_dim, filter_value, period, route, applications DESC, group_value{bytes}) \
           WHERE grain = {grain} AND group_dim = {GROUP_EMPLOYER}"
    )
}

/// The name of [`create_top_employers_index`]'s index.
pub const TOP_EMPLOYERS_INDEX: &str = "ix_dashboard_slices_top_employers";

/// [`create_top_employers_index`] for the yearly slices (one row per employer and year).
pub fn create_yearly_top_employers_index(d: Dialect) -> String {
    top_employers_index(d, YEARLY_TOP_EMPLOYERS_INDEX, GRAIN_YEAR)
}

/// The name of [`create_yearly_top_employers_index`]'s index.
pub const YEARLY_TOP_EMPLOYERS_INDEX: &str = "ix_dashboard_slices_yearly_top_employers";

/// Slice kinds (grain, filter, group, by route) as the rows of a `VALUES` list.
fn kind_values(kinds: &[(i32, i32, i32, bool)]) -> String {
    kinds
        .iter()
        .map(|(grain, filter, group, by_route)| {
            format!("({grain}, {filter}, {group}, {})", i32::from(*by_route))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds `kinds` to the slice kinds unless they are there (a new database has them from
/// [`create_tables`]).
pub fn add_kinds(kinds: &[(i32, i32, i32, bool)]) -> String {
    let values = kind_values(kinds);
    format!(
        "INSERT INTO dashboard_slice_kinds (grain, filter_dim, group_dim, by_route) \
         VALUES {values} ON CONFLICT DO NOTHING"
    )
}

pub fn drop_tables() -> &'static str {
    "DROP INDEX ix_applications_open_waiting;
     DROP INDEX ix_applications_open_arrived;
     DROP INDEX ix_applications_open_coe;
     DROP TABLE counted_months;
     DROP TABLE counted_people;
     DROP TABLE counted_filter_dims;
     DROP TABLE counted_rule;
     DROP TABLE dashboard_slices;
     DROP TABLE dashboard_slice_kinds;"
}

/// `SELECT <the rollups' columns>, <sign> AS sign [FROM <from>]`: `row` is a transition table's
/// alias, `NEW`/`OLD` in a SQLite row trigger, or `applications`.
fn signed_rows(row: &str, sign: i32, from: Option<&str>) -> String {
    let columns = COLUMNS
        .iter()
        .map(|c| format!("{row}.{c} AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    match from {
        Some(from) => format!("SELECT {columns}, {sign} AS sign FROM {from}"),
        None => format!("SELECT {columns}, {sign} AS sign"),
    }
}

/// The slices' rows that `source` (rows of [`signed_rows`]) contributes, summed by key.
fn slices_select(d: Dialect, source: &str) -> String {
    let text = |e: String| {
        if d.postgres() {
            format!("CAST({e} AS text)")
        } else {
            format!("CAST({e} AS TEXT)")
        }
    };
    let applied_day = d.day_of("a.applied_at");
    let filter_value = format!(
        "CASE k.filter_dim WHEN {FILTER_NONE} THEN '' WHEN {FILTER_SECTOR} THEN {} \
         WHEN {FILTER_STATE} THEN {} WHEN {FILTER_PREFECTURE} THEN {} ELSE {} END",
        or_none("a.sector"),
        or_none("a.indian_state"),
        or_none("a.role_prefecture"),
        or_none("a.jlpt_level"),
    );
    let group_value = format!(
        "CASE k.group_dim \
           WHEN {GROUP_STAGE} THEN a.stage || ':' || coalesce(a.closed_reason, '') \
           WHEN {GROUP_SECTOR} THEN {sector} \
           WHEN {GROUP_STATE} THEN {state} \
           WHEN {GROUP_PREFECTURE} THEN {prefecture} \
           WHEN {GROUP_JLPT} THEN {jlpt} \
           WHEN {GROUP_EMPLOYER} THEN {employer} \
           WHEN {GROUP_DAYS_TO_OFFER} THEN {to_offer} \
           WHEN {GROUP_DAYS_TO_COE} THEN {to_coe} \
           WHEN {GROUP_DAYS_TO_ARRIVAL} THEN {to_arrival} \
           WHEN {GROUP_WAITING} THEN CASE WHEN a.closed_reason IS NULL AND a.stage <> 'resident_registered' \
             THEN a.stage || '|' || {waiting_since} END \
           WHEN {GROUP_OPEN_COE} THEN CASE WHEN a.closed_reason IS NULL \
             AND a.stage IN ('coe_issued', 'visa_applied', 'visa_issued') THEN {coe_day} END \
           WHEN {GROUP_OPEN_ARRIVED} THEN CASE WHEN a.closed_reason IS NULL AND a.stage = 'arrived' \
             THEN {arrived_day} END \
         END",
        sector = or_none("a.sector"),
        state = or_none("a.indian_state"),
        prefecture = or_none("a.role_prefecture"),
        jlpt = or_none("a.jlpt_level"),
        employer = text("a.organisation_id".to_owned()),
        to_offer = text(d.days_between(&applied_day, "a.offered_on")),
        to_coe = text(d.days_between("a.offered_on", "a.coe_issued_on")),
        to_arrival = text(d.days_between("a.coe_issued_on", "a.arrived_on")),
        waiting_since = d.date_text(&d.day_of("a.stage_changed_at")),
        coe_day = d.date_text("a.coe_issued_on"),
        arrived_day = d.date_text("a.arrived_on"),
    );
    let period = format!(
        "CASE WHEN k.grain = {GRAIN_ALL_TIME} THEN {} WHEN k.grain = {GRAIN_YEAR} THEN {} \
         ELSE {} END",
        d.date_literal(ALL_TIME_PERIOD),
        d.year_of_timestamp("a.applied_at"),
        d.month_of_timestamp("a.applied_at"),
    );
    let measures = std::iter::once("a.sign AS applications".to_owned())
        .chain(
            MEASURE_DAYS
                .iter()
                .zip(&MEASURES[1..])
                .map(|(day, m)| format!("CASE WHEN a.{day} IS NULL THEN 0 ELSE a.sign END AS {m}")),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let sums = MEASURES
        .iter()
        .map(|m| format!("sum({m})"))
        .collect::<Vec<_>>()
        .join(", ");
    let changed = MEASURES
        .iter()
        .map(|m| format!("sum({m}) <> 0"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!(
        "SELECT {SLICE_KEY}, {sums} FROM ( \
           SELECT k.grain AS grain, {period} AS period, k.filter_dim AS filter_dim, \
             {filter_value} AS filter_value, \
             CASE WHEN k.by_route = 1 THEN {route} ELSE '' END AS route, \
             k.group_dim AS group_dim, {group_value} AS group_value, {measures} \
           FROM ({source}) a CROSS JOIN dashboard_slice_kinds k \
         ) c WHERE group_value IS NOT NULL \
         GROUP BY {SLICE_KEY} HAVING {changed}",
        route = or_none("a.visa_route"),
    )
}

/// Adds the contributions of `source` (rows of [`signed_rows`]) to the slices.
fn add_to_slices(d: Dialect, source: &str) -> String {
    let updates = MEASURES
        .iter()
        .map(|m| format!("{m} = dashboard_slices.{m} + excluded.{m}"))
        .collect::<Vec<_>>()
        .join(", ");
    // keys in order, so that concurrent transactions lock the shared rows in one order
    format!(
        "INSERT INTO dashboard_slices ({SLICE_KEY}, {measures}) {select} ORDER BY {SLICE_KEY} \
         ON CONFLICT ({SLICE_KEY}) DO UPDATE SET {updates}",
        measures = MEASURES.join(", "),
        select = slices_select(d, source),
    )
}

/// The counted rule's day column of application `a`.
fn counted_day() -> &'static str {
    "CASE r.stage WHEN 'coe_issued' THEN a.coe_issued_on WHEN 'visa_issued' THEN a.visa_issued_on \
     WHEN 'resident_registered' THEN a.registered_on ELSE a.arrived_on END"
}

/// Each person's first counted day, per filter: `people` limits it to some (a sub-query of
/// `engineer_user_id`s).
fn counted_people_select(people: Option<&str>) -> String {
    let filter_value = format!(
        "CASE k.filter_dim WHEN {FILTER_NONE} THEN '' WHEN {FILTER_SECTOR} THEN {} \
         WHEN {FILTER_STATE} THEN {} WHEN {FILTER_PREFECTURE} THEN {} WHEN {FILTER_JLPT} THEN {} \
         ELSE {} END",
        or_none("a.sector"),
        or_none("a.indian_state"),
        or_none("a.role_prefecture"),
        or_none("a.jlpt_level"),
        or_none("a.visa_route"),
    );
    let counted = counted_day();
    let of_people = people.map_or("1 = 1".to_owned(), |people| {
        format!("a.engineer_user_id IN ({people})")
    });
    format!(
        "SELECT a.engineer_user_id AS engineer_user_id, k.filter_dim AS filter_dim, \
           {filter_value} AS filter_value, min({counted}) AS first_day \
         FROM applications a CROSS JOIN counted_rule r CROSS JOIN counted_filter_dims k \
         WHERE {of_people} AND ({counted}) IS NOT NULL \
           AND (r.routes = '' OR r.routes LIKE '%,' || a.visa_route || ',%') \
         GROUP BY a.engineer_user_id, k.filter_dim, {filter_value}"
    )
}

/// Statements that recompute `counted_people` and `counted_months` for the people `people`
/// (a sub-query of `engineer_user_id`s; `None`: everyone, into empty tables).
fn recount(d: Dialect, people: Option<&str>) -> String {
    let month = d.month_of_date("first_day");
    // the months change in one statement, its keys in order: two transactions recounting
    // different people then lock the months they share in the same order
    let add_to_months = |source: String| {
        format!(
            "INSERT INTO counted_months (filter_dim, filter_value, month, people) \
             SELECT filter_dim, filter_value, month, sum(n) FROM ({source}) d WHERE 1 = 1 \
             GROUP BY filter_dim, filter_value, month HAVING sum(n) <> 0 ORDER BY 1, 2, 3 \
             ON CONFLICT (filter_dim, filter_value, month) \
             DO UPDATE SET people = counted_months.people + excluded.people;"
        )
    };
    let counted = |rows: String, sign: i32| {
        format!("SELECT filter_dim, filter_value, {month} AS month, {sign} AS n FROM ({rows}) c")
    };
    let Some(people) = people else {
        // everyone, into empty tables
        return format!(
            "INSERT INTO counted_people (engineer_user_id, filter_dim, filter_value, first_day) \
             {}; {}",
            counted_people_select(None),
            add_to_months(counted("SELECT * FROM counted_people".to_owned(), 1)),
        );
    };
    // one recount of a person at a time: another transaction's recount of the same person
    // must be committed before this one reads what is counted (PostgreSQL; SQLite has one
    // writer at a time)
    let lock = if d.postgres() {
        format!(
            "PERFORM pg_advisory_xact_lock({COUNTED_LOCK}, p.person) FROM \
             (SELECT DISTINCT x.engineer_user_id AS person FROM ({people}) x ORDER BY 1) p;"
        )
    } else {
        String::new()
    };
    let fresh = counted_people_select(Some(people));
    let months = add_to_months(format!(
        "{} UNION ALL {}",
        counted(
            format!("SELECT * FROM counted_people WHERE engineer_user_id IN ({people})"),
            -1
        ),
        counted(fresh.clone(), 1),
    ));
    format!(
        "{lock} {months} \
         DELETE FROM counted_people WHERE engineer_user_id IN ({people}); \
         INSERT INTO counted_people (engineer_user_id, filter_dim, filter_value, first_day) {fresh};"
    )
}

/// Creates the triggers that keep the rollups.
pub fn create_triggers(d: Dialect) -> String {
    if d.postgres() {
        let changed_people = {
            let old = COUNTED_COLUMNS
                .iter()
                .map(|c| format!("o.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let new = COUNTED_COLUMNS
                .iter()
                .map(|c| format!("n.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let changed = format!(
                "FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE ({old}) IS DISTINCT FROM ({new})"
            );
            format!("SELECT o.engineer_user_id {changed} UNION SELECT n.engineer_user_id {changed}")
        };
        let function = |name: &str, body: String| {
            let body = body.trim_end().trim_end_matches(';');
            format!(
                "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ \
                 BEGIN \
                   IF current_setting('{DEFER_SETTING}', true) = 'off' THEN RETURN NULL; END IF; \
                   {body}; RETURN NULL; \
                 END $body$;"
            )
        };
        let inserted = format!(
            "{}; {}",
            add_to_slices(d, &signed_rows("n", 1, Some("new_rows n"))),
            recount(d, Some("SELECT engineer_user_id FROM new_rows"))
        );
        let updated = format!(
            "{}; {}",
            add_to_slices(
                d,
                &format!(
                    "{} UNION ALL {}",
                    signed_rows("o", -1, Some("old_rows o")),
                    signed_rows("n", 1, Some("new_rows n"))
                )
            ),
            recount(d, Some(&changed_people))
        );
        let deleted = format!(
            "{}; {}",
            add_to_slices(d, &signed_rows("o", -1, Some("old_rows o"))),
            recount(d, Some("SELECT engineer_user_id FROM old_rows"))
        );
        [
            function("dashboard_rollups_inserted", inserted),
            function("dashboard_rollups_updated", updated),
            function("dashboard_rollups_deleted", deleted),
            "CREATE TRIGGER dashboard_rollups_inserted AFTER INSERT ON applications \
             REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION dashboard_rollups_inserted();"
                .to_owned(),
            "CREATE TRIGGER dashboard_rollups_updated AFTER UPDATE ON applications \
             REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION dashboard_rollups_updated();"
                .to_owned(),
            "CREATE TRIGGER dashboard_rollups_deleted AFTER DELETE ON applications \
             REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT \
             EXECUTE FUNCTION dashboard_rollups_deleted();"
                .to_owned(),
        ]
        .join("\n")
    } else {
        let differs = |columns: &[&str]| {
            columns
                .iter()
                .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
                .collect::<Vec<_>>()
                .join(" OR ")
        };
        let trigger = |name: &str, event: &str, when: Option<String>, body: String| {
            let body = body.trim_end().trim_end_matches(';');
            let when = when.map(|w| format!("WHEN {w}")).unwrap_or_default();
            format!(
                "CREATE TRIGGER {name} AFTER {event} ON applications FOR EACH ROW {when} \
                 BEGIN {body}; END;"
            )
        };
        [
            trigger(
                "dashboard_slices_inserted",
                "INSERT",
                None,
                add_to_slices(d, &signed_rows("NEW", 1, None)),
            ),
            trigger(
                "dashboard_slices_updated",
                "UPDATE",
                Some(differs(&COLUMNS)),
                add_to_slices(
                    d,
                    &format!(
                        "{} UNION ALL {}",
                        signed_rows("OLD", -1, None),
                        signed_rows("NEW", 1, None)
                    ),
                ),
            ),
            trigger(
                "dashboard_slices_deleted",
                "DELETE",
                None,
                add_to_slices(d, &signed_rows("OLD", -1, None)),
            ),
            trigger(
                "counted_people_inserted",
                "INSERT",
                None,
                recount(d, Some("SELECT NEW.engineer_user_id")),
            ),
            trigger(
                "counted_people_updated",
                "UPDATE",
                Some(differs(&COUNTED_COLUMNS)),
                recount(
                    d,
                    Some("SELECT NEW.engineer_user_id UNION SELECT OLD.engineer_user_id"),
                ),
            ),
            trigger(
                "counted_people_deleted",
                "DELETE",
                None,
                recount(d, Some("SELECT OLD.engineer_user_id")),
            ),
        ]
        .join("\n")
    }
}

pub fn drop_triggers(d: Dialect) -> &'static str {
    if d.postgres() {
        "DROP TRIGGER dashboard_rollups_inserted ON applications;
         DROP TRIGGER dashboard_rollups_updated ON applications;
         DROP TRIGGER dashboard_rollups_deleted ON applications;
         DROP FUNCTION dashboard_rollups_inserted();
         DROP FUNCTION dashboard_rollups_updated();
         DROP FUNCTION dashboard_rollups_deleted();"
    } else {
        "DROP TRIGGER dashboard_slices_inserted;
         DROP TRIGGER dashboard_slices_updated;
         DROP TRIGGER dashboard_slices_deleted;
         DROP TRIGGER counted_people_inserted;
         DROP TRIGGER counted_people_updated;
         DROP TRIGGER counted_people_deleted;"
    }
}

/// The counted rule's routes as stored: `''` for every route, else `,a,b,`. Route codes are
/// checked by the settings (lowercase letters and underscores); others are left out.
pub fn routes_text(routes: &[String]) -> String {
    let known: Vec<&str> = routes
        .iter()
        .map(String::as_str)
        .filter(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect();
    if known.is_empty() {
        String::new()
    } else {
        format!(",{},", known.join(","))
    }
}

/// Sets the counted rule and counts every person again (settings saved). Run it in the
/// settings' transaction. The stage is a stage code; anything but the three earlier counted
/// stages counts arrivals.
pub async fn rebuild_counted<C: ConnectionTrait>(
    db: &C,
    stage: &str,
    routes: &[String],
) -> Result<(), DbErr> {
    let d = Dialect(db.get_database_backend());
    let stage: String = stage
        .chars()
        .filter(|c| c.is_ascii_lowercase() || *c == '_')
        .collect();
    db.execute_unprepared(&format!(
        "DELETE FROM counted_rule; \
         INSERT INTO counted_rule (id, stage, routes) VALUES (1, '{stage}', '{}'); \
         DELETE FROM counted_months; DELETE FROM counted_people; {}",
        routes_text(routes),
        recount(d, None)
    ))
    .await?;
    Ok(())
}

/// Empties the slices and adds every application again.
pub fn refill_slices(d: Dialect) -> String {
    format!(
        "DELETE FROM dashboard_slices; {};",
        add_to_slices(d, &signed_rows("applications", 1, Some("applications")))
    )
}

/// Rollup rows that differ from a recount from the applications, by table: 0 and 0 when the
/// rollups are right. Reads in one transaction's snapshot when run in one.
pub async fn count_differences<C: ConnectionTrait>(db: &C) -> Result<(u64, u64), DbErr> {
    let d = Dialect(db.get_database_backend());
    let recounted = slices_select(d, &signed_rows("applications", 1, Some("applications")));
    let stored = format!(
        "SELECT {SLICE_KEY}, {} FROM dashboard_slices WHERE {}",
        MEASURES.join(", "),
        MEASURES
            .iter()
            .map(|m| format!("{m} <> 0"))
            .collect::<Vec<_>>()
            .join(" OR ")
    );
    let slices = count_symmetric_difference(db, &recounted, &stored).await?;

    let people = counted_people_select(None);
    let month = d.month_of_date("first_day");
    let months = format!(
        "SELECT filter_dim, filter_value, {month} AS month, count(*) AS people FROM ({people}) p \
         GROUP BY filter_dim, filter_value, {month}"
    );
    let stored_months =
        "SELECT filter_dim, filter_value, month, people FROM counted_months WHERE people <> 0";
    let stored_people =
        "SELECT engineer_user_id, filter_dim, filter_value, first_day FROM counted_people";
    let counted = count_symmetric_difference(db, &people, stored_people).await?
        + count_symmetric_difference(db, &months, stored_months).await?;
    Ok((slices, counted))
}

/// Rows in one query's result and not the other's, both ways.
async fn count_symmetric_difference<C: ConnectionTrait>(
    db: &C,
    a: &str,
    b: &str,
) -> Result<u64, DbErr> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT * FROM ({a}) x EXCEPT SELECT * FROM ({b}) y) d1 \
         UNION ALL SELECT count(*) FROM (SELECT * FROM ({b}) x EXCEPT SELECT * FROM ({a}) y) d2"
    );
    let backend = db.get_database_backend();
    let rows = db
        .query_all(sea_orm_migration::sea_orm::Statement::from_string(
            backend, sql,
        ))
        .await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0).unwrap_or_default().max(0) as u64)
        .sum())
}
