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

/// A vertical bar chart; `id` makes the title and description ids unique on the page.
#[component]
pub fn BarChart(
    id: &'static str,
    title: String,
    description: String,
    bars: Vec<Bar>,
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
    // label every bar when there are few, else every n-th
    let every = (bars.len() / 12).max(1);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = format!("{title_id} {desc_id}");
    let ticks: Vec<f64> = (0..=4).map(|i| ceiling * f64::from(i) / 4.0).collect();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled>
            <title id=title_id>{title}</title>
            <desc id=desc_id>{description}</desc>
            {ticks.into_iter().map(|t| view! {
                <line x1=LEFT y1=y(t) x2=WIDTH - 8.0 y2=y(t) class="grid" />
                <text x=LEFT - 6.0 y=y(t) + 4.0 class="tick" text-anchor="end">{format!("{t:.0}")}</text>
            }).collect_view()}
            {bars.iter().enumerate().map(|(i, bar)| {
                let x = LEFT + slot * i as f64 + slot * 0.15;
                let w = slot * 0.7;
                let top = y(bar.value);
                view! {
                    <rect x=x y=top width=w height=(TOP + plot_h - top).max(0.0) class="bar" />
                    {bar.target.map(|t| view! { <line x1=x - slot * 0.1 y1=y(t) x2=x + w + slot * 0.1 y2=y(t) class="target" /> })}
                    {(i % every == 0).then(|| view! {
                        <text x=x + w / 2.0 y=HEIGHT - BOTTOM + 16.0 class="tick" text-anchor="middle">{bar.label.clone()}</text>
                    })}
                }
            }).collect_view()}
        </svg>
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
}
