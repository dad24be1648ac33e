//! Charts drawn on the server as accessible SVG: a title and a description that screen readers
//! announce, and always the same numbers as a table beside them. Hand-written rather than from
//! a plotting crate because the accessible markup (role, title, desc, labelled bars) is the point,
//! and the charts are two simple shapes: bars, and bars with a target line.

use leptos::prelude::*;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// A target for the same bar, drawn as a line across it.
    pub target: Option<f64>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

/// A round number at or above `max` for the axis.
pub fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

/// Which bars get a label under them: a label whenever the previous one is at least
/// `min_gap` units away, so that labels never run together. Months (`YYYY-MM`) are labelled at
/// January and at the first bar, so that the labels fall on the same months in every chart.
pub fn labelled_bars(labels: &[String], slot: f64, min_gap: f64) -> Vec<bool> {
    let months = labels
        .iter()
        .all(|l| l.len() == 7 && l.as_bytes().get(4) == Some(&b'-'));
    let mut last: Option<usize> = None;
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let wanted = !months || i == 0 || label.ends_with("-01");
            let room = last.is_none_or(|l| (i - l) as f64 * slot >= min_gap);
            let shown = wanted && room;
            if shown {
                last = Some(i);
            }
            shown
        })
        .collect()
}

/// The last bar's value reads leftwards from its bar, so it never runs off the chart.
fn value_anchor(index: usize) -> &'static str {
    if index > 0 {
        "end"
    } else {
        "middle"
    }
}

/// What a chart's bars and target line mean, shown under it as a legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Legend {
    pub bars: String,
    pub target: Option<String>,
}

/// A vertical bar chart; `id` makes the title and description ids unique on the page. The last
/// bar's value is written above it, so that a small number stays readable beside a large
/// target.
#[component]
pub fn BarChart(
    id: &'static str,
    title: String,
    description: String,
    bars: Vec<Bar>,
    #[prop(optional)] legend: Option<Legend>,
) -> impl IntoView {
    let max = bars
        .iter()
        .map(|b| b.value.max(b.target.unwrap_or(0.0)))
        .fold(0.0, f64::max);
    let ceiling = nice_ceiling(max);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let slot = plot_w / bars.len().max(1) as f64;
    let y = move |v: f64| TOP + plot_h - plot_h * (v / ceiling);
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    // a label needs about 7 units a character at the tick size; turn them when they do not fit
    let turned = slot < longest * 7.0 && bars.len() <= 16;
    let shown = if turned {
        vec![true; bars.len()]
    } else {
        labelled_bars(&labels, slot, longest * 7.0 + 8.0)
    };
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    let ticks: Vec<f64> = (0..=4).map(|i| ceiling * f64::from(i) / 4.0).collect();
    let last = bars.len().checked_sub(1);
    let height = if turned { HEIGHT + 40.0 } else { HEIGHT };
    view! {
        <figure class="chart-figure">
            <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled>
                <title id=title_id>{title}</title>
                <desc id=desc_id>{description}</desc>
                {ticks.into_iter().map(|t| view! {
                    <line x1=LEFT y1=y(t) x2=WIDTH - 8.0 y2=y(t) class="grid" />
                    <text x=LEFT - 6.0 y=y(t) + 4.0 class="tick" text-anchor="end">{format!("{t:.0}")}</text>
                }).collect_view()}
                {bars.iter().enumerate().map(|(i, bar)| {
                    let x = LEFT + slot * i as f64 + slot * 0.15;
                    let w = slot * 0.7;
                    // a value above zero is never drawn as nothing
                    let top = if bar.value > 0.0 { y(bar.value).min(TOP + plot_h - 2.0) } else { y(0.0) };
                    let label_y = HEIGHT - BOTTOM + 16.0;
                    view! {
                        <rect x=x y=top width=w height=(TOP + plot_h - top).max(0.0) class="bar" />
                        {bar.target.map(|t| view! { <line x1=x - slot * 0.1 y1=y(t) x2=x + w + slot * 0.1 y2=y(t) class="target" /> })}
                        {(Some(i) == last).then(|| view! {
                            <text x=x + w / 2.0 y=top - 5.0 class="value" text-anchor=value_anchor(i)>{format!("{:.0}", bar.value)}</text>
                        })}
                        {shown[i].then(|| if turned {
                            view! {
                                <text x=x + w / 2.0 y=label_y class="tick" text-anchor="end"
                                    transform=format!("rotate(-35 {} {label_y})", x + w / 2.0)>{bar.label.clone()}</text>
                            }.into_any()
                        } else {
                            view! {
                                <text x=x + w / 2.0 y=label_y class="tick" text-anchor="middle">{bar.label.clone()}</text>
                            }.into_any()
                        })}
                    }
                }).collect_view()}
            </svg>
            {legend.map(|legend| view! {
                <figcaption class="legend">
                    <span><span class="swatch bar-swatch" aria-hidden="true"></span>{legend.bars}</span>
                    {legend.target.map(|target| view! {
                        <span><span class="swatch target-swatch" aria-hidden="true"></span>{target}</span>
                    })}
                </figcaption>
            })}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.0), 10.0);
        assert_eq!(nice_ceiling(180.0), 200.0);
        assert_eq!(nice_ceiling(2_400.0), 2_500.0);
        assert_eq!(nice_ceiling(50_000.0), 50_000.0);
        assert_eq!(nice_ceiling(50_001.0), 100_000.0);
    }

    fn months(from_year: i32, from_month: u32, count: usize) -> Vec<String> {
        (0..count)
            .map(|i| {
                let m = from_month as usize - 1 + i;
                format!("{}-{:02}", from_year + (m / 12) as i32, m % 12 + 1)
            })
            .collect()
    }

    #[test]
    fn month_labels_fall_on_januaries_and_never_run_together() {
        let labels = months(2025, 8, 60);
        let slot = 656.0 / 60.0;
        let shown = labelled_bars(&labels, slot, 57.0);
        let picked: Vec<&str> = labels
            .iter()
            .zip(&shown)
            .filter(|(_, s)| **s)
            .map(|(l, _)| l.as_str())
            .collect();
        // August 2025 first; January 2026 is only 5 bars (55 units) later, too close
        assert_eq!(
            picked,
            vec!["2025-08", "2027-01", "2028-01", "2029-01", "2030-01"]
        );
        let gaps: Vec<usize> = shown
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
            .windows(2)
            .map(|w| w[1] - w[0])
            .collect();
        assert!(gaps.iter().all(|g| *g as f64 * slot >= 57.0), "{gaps:?}");
    }

    #[test]
    fn other_labels_are_thinned_only_when_they_would_touch() {
        let labels: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        assert_eq!(labelled_bars(&labels, 100.0, 20.0), vec![true; 4]);
        assert_eq!(
            labelled_bars(&labels, 10.0, 20.0),
            vec![true, false, true, false]
        );
    }
}
