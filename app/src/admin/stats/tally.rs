//! The counts behind the funnel, the breakdowns and the medians: additive, so that a view can
//! add what the rollups hold to what it reads from the rows, and then finish them into rows.

use super::*;

/// The dimensions of the breakdowns: (name, column).
pub(super) const DIMENSIONS: [(&str, &str); 6] = [
    ("sector", "sector"),
    ("state", "indian_state"),
    ("prefecture", "role_prefecture"),
    ("jlpt", "jlpt_level"),
    ("route", "visa_route"),
    ("employer", "organisation_id"),
];
/// The employer breakdown's place in [`DIMENSIONS`].
pub(super) const EMPLOYER: usize = 5;
/// The route breakdown's place in [`DIMENSIONS`].
pub(super) const ROUTE: usize = 4;

/// One breakdown row's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub(super) applications: u64,
    pub(super) offers: u64,
    pub(super) counted: u64,
}

impl Counts {
    /// A breakdown's row of these counts (without the employer's name).
    pub(super) fn row(self, key: String) -> BreakdownRow {
        BreakdownRow {
            key,
            name: None,
            applications: self.applications,
            offers: self.offers,
            counted: self.counted,
        }
    }

    pub(super) fn add(&mut self, other: Counts) {
        self.applications += other.applications;
        self.offers += other.offers;
        self.counted += other.counted;
    }
}

/// The spans of days the medians are of (application to offer, offer to CoE, CoE to arrival).
pub(super) const DAY_SPANS: usize = 3;

/// The counts behind the funnel, the breakdowns and the medians: additive, so a view adds the
/// rollups' part to the rows' part.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Applications by (stage, closing reason).
    pub(super) by_stage: HashMap<(String, Option<String>), u64>,
    /// Per dimension of [`DIMENSIONS`]: counts by value.
    pub(super) breakdowns: [HashMap<String, Counts>; 6],
    /// Histograms of days: application to offer, offer to CoE, CoE to arrival.
    pub(super) days: [HashMap<i64, u64>; DAY_SPANS],
}

impl Tally {
    pub(super) fn add(&mut self, other: Tally) {
        for (key, n) in other.by_stage {
            *self.by_stage.entry(key).or_default() += n;
        }
        for (mine, theirs) in self.breakdowns.iter_mut().zip(other.breakdowns) {
            for (key, counts) in theirs {
                mine.entry(key).or_default().add(counts);
            }
        }
        for (mine, theirs) in self.days.iter_mut().zip(other.days) {
            for (days, n) in theirs {
                *mine.entry(days).or_default() += n;
            }
        }
    }

    pub(super) fn finish(self) -> Finished {
        let (funnel, closed) = funnel_from_counts(
            self.by_stage
                .into_iter()
                .map(|((stage, reason), n)| (Some(stage), reason, n))
                .collect(),
        );
        let breakdowns = DIMENSIONS
            .iter()
            .zip(self.breakdowns)
            .map(|((dimension, _), counts)| {
                let mut rows: Vec<BreakdownRow> = counts
                    .into_iter()
                    .filter(|(_, c)| c.applications > 0)
                    .map(|(key, c)| c.row(key))
                    .collect();
                sort_breakdown(&mut rows);
                Breakdown {
                    dimension: (*dimension).to_owned(),
                    rows,
                }
            })
            .collect();
        let [to_offer, to_coe, to_arrival] = self.days.map(|histogram| {
            programme::median_of_histogram(&histogram.into_iter().collect::<Vec<_>>())
        });
        let medians = Medians {
            applied_to_offer: to_offer,
            offer_to_coe_issued: to_coe,
            coe_issued_to_arrival: to_arrival,
        };
        Finished {
            funnel,
            closed,
            breakdowns,
            medians,
        }
    }

    pub(super) fn add_breakdown(&mut self, dimension: usize, rows: Vec<BreakdownRow>) {
        for row in rows {
            self.breakdowns[dimension]
                .entry(row.key)
                .or_default()
                .add(Counts {
                    applications: row.applications,
                    offers: row.offers,
                    counted: row.counted,
                });
        }
    }

    pub(super) fn add_stage_counts(&mut self, counts: StageCounts) {
        for (stage, reason, n) in counts {
            if let Some(stage) = stage {
                *self.by_stage.entry((stage, reason)).or_default() += n;
            }
        }
    }
}

/// A tally finished into the summary's rows.
pub(super) struct Finished {
    pub(super) funnel: Vec<FunnelRow>,
    /// Applications closed, by reason.
    pub(super) closed: Vec<(String, u64)>,
    pub(super) breakdowns: Vec<Breakdown>,
    pub(super) medians: Medians,
}

pub(super) type StageCounts = Vec<(Option<String>, Option<String>, u64)>;

/// The funnel and the closing reasons from counts by (stage, closing reason).
pub(super) fn funnel_from_counts(counts: StageCounts) -> (Vec<FunnelRow>, Vec<(String, u64)>) {
    let mut at_stage: HashMap<Stage, (u64, u64)> = HashMap::new(); // (all, open)
    let mut closed: HashMap<ClosingReason, u64> = HashMap::new();
    for (stage, reason, n) in counts {
        let Some(stage) = stage.as_deref().and_then(Stage::parse) else {
            continue;
        };
        let entry = at_stage.entry(stage).or_default();
        entry.0 += n;
        match reason.as_deref().and_then(ClosingReason::parse) {
            Some(reason) => *closed.entry(reason).or_default() += n,
            None => entry.1 += n,
        }
    }
    let mut funnel = Vec::new();
    let mut previous: Option<u64> = None;
    for stage in Stage::ALL {
        // every application at or beyond a stage has reached it (screening may be skipped)
        let reached: u64 = at_stage
            .iter()
            .filter(|(s, _)| **s >= stage)
            .map(|(_, (all, _))| all)
            .sum();
        funnel.push(FunnelRow {
            stage: stage.code().to_owned(),
            reached,
            open_now: at_stage.get(&stage).map_or(0, |(_, open)| *open),
            conversion: previous.map_or(1.0, |p| programme::conversion(p, reached)),
        });
        previous = Some(reached);
    }
    let closed = ClosingReason::ALL
        .into_iter()
        .filter_map(|r| closed.get(&r).map(|n| (r.code().to_owned(), *n)))
        .filter(|(_, n)| *n > 0)
        .collect();
    (funnel, closed)
}

/// Largest first; ties by key, so both databases list them alike.
pub(super) fn sort_breakdown(rows: &mut [BreakdownRow]) {
    rows.sort_by(|a, b| b.applications.cmp(&a.applications).then(a.key.cmp(&b.key)));
}
