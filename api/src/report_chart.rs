//! `GET /reports/completion.svg` and `GET /reports/completion.html`: the completion
//! report as a picture for the steering group — completion rate per track and per
//! municipality, women and men side by side, against the agreement's target line, and
//! the funnel from nomination to start — drawn server-side with `plotters` (SVG
//! backend, Swedish labels), and a printable one-page report with the tables and the
//! chart. Same access and parameters as the CSV; small cells are suppressed as in the
//! report (a suppressed bar is not drawn and reads "<5").

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::app::AppState;
use crate::auth::Viewer;
use crate::csv_export::{Loaded, Params, error_response, load};
use crate::domain::reports::{Shown, ShownCompletion};
use crate::domain::values::Stage;
use crate::error::Error;

const WIDTH: u32 = 1000;
const PANEL: u32 = 330;
const HEADER: u32 = 70;
const WOMEN: RGBColor = RGBColor(0x1b, 0x6c, 0xa8);
const MEN: RGBColor = RGBColor(0xe0, 0x7b, 0x24);
const TARGET: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const FONT: &str = "sans-serif";
/// Rates run to 100 %; the room above keeps the legend off a full bar.
const RATE_TOP: f64 = 125.0;

/// One bar: a value, a suppressed one ("<5"), or none to show (nobody finished: "–").
#[derive(Clone, Copy)]
enum Bar {
    Value(f64),
    Small,
    Nothing,
}

/// One group of two bars (women, men) and its name.
struct Pair {
    name: String,
    women: Bar,
    men: Bar,
}

#[expect(
    clippy::cast_precision_loss,
    clippy::as_conversions,
    reason = "counts of people are far below 2^52"
)]
fn float(n: i64) -> f64 {
    n as f64
}

/// completed / (completed + dropped out) of one gender, when both are shown.
fn rate(completed: Option<i64>, dropped_out: Option<i64>) -> Bar {
    match (completed, dropped_out) {
        (Some(c), Some(d)) if c + d > 0 => Bar::Value(float(c) * 100.0 / float(c + d)),
        (Some(_), Some(_)) => Bar::Nothing,
        _ => Bar::Small,
    }
}

fn rates(name: String, c: &ShownCompletion) -> Pair {
    Pair {
        name,
        women: rate(c.completed.women, c.dropped_out.women),
        men: rate(c.completed.men, c.dropped_out.men),
    }
}

fn short(name: &str) -> String {
    let mut chars = name.chars();
    let head: String = chars.by_ref().take(34).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// The stages of the funnel from nomination to start, with their Swedish names.
const FUNNEL: [(Stage, &str); 6] = [
    (Stage::Nominated, "Nominerade"),
    (Stage::Invited, "Inbjudna"),
    (Stage::Applied, "Sökande"),
    (Stage::InTrial, "Praktik"),
    (Stage::Admitted, "Antagna"),
    (Stage::Started, "Påbörjade"),
];

fn counts(name: &str, c: Shown) -> Pair {
    Pair {
        name: name.to_owned(),
        women: c.women.map_or(Bar::Small, |n| Bar::Value(float(n))),
        men: c.men.map_or(Bar::Small, |n| Bar::Value(float(n))),
    }
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("drawing the chart: {e}"))
}

/// A bar of each group: its colour, legend label, offset in the group and value.
type BarKind = (RGBColor, &'static str, f64, fn(&Pair) -> Bar);

fn women_of(p: &Pair) -> Bar {
    p.women
}

fn men_of(p: &Pair) -> Bar {
    p.men
}

/// Draws one panel: two bars per group, "<5" where a value is suppressed, the names
/// under the groups, and (for rates) the target line.
fn panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    y_desc: &str,
    pairs: &[Pair],
    y_max: f64,
    target: Option<i32>,
) -> Result<(), Error> {
    let n = float(i64::try_from(pairs.len().max(1)).unwrap_or(1));
    let y_is_percent = target.is_some();
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..n, 0f64..y_max)
        .map_err(failed)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .x_label_formatter(&|_| String::new())
        .y_desc(y_desc)
        .y_label_formatter(&|v| {
            if *v > 100.5 && y_is_percent {
                String::new()
            } else {
                format!("{v:.0}")
            }
        })
        .axis_desc_style((FONT, 14))
        .label_style((FONT, 13))
        .draw()
        .map_err(failed)?;
    let bars: [BarKind; 2] = [
        (WOMEN, "Kvinnor", 0.12, women_of),
        (MEN, "Män", 0.5, men_of),
    ];
    for (color, label, offset, value) in bars {
        chart
            .draw_series(pairs.iter().zip(0..).filter_map(|(p, i)| {
                let x = float(i) + offset;
                match value(p) {
                    Bar::Value(v) => {
                        Some(Rectangle::new([(x, 0.0), (x + 0.38, v)], color.filled()))
                    }
                    Bar::Small | Bar::Nothing => None,
                }
            }))
            .map_err(failed)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], color.filled()));
        chart
            .draw_series(pairs.iter().zip(0..).filter_map(|(p, i)| {
                let x = float(i) + offset + 0.19;
                let mark = match value(p) {
                    Bar::Value(_) => return None,
                    Bar::Small => "<5",
                    Bar::Nothing => "–",
                };
                Some({
                    Text::new(
                        mark,
                        (x, y_max * 0.03),
                        (FONT, 13)
                            .into_font()
                            .color(&color)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
                })
            }))
            .map_err(failed)?;
    }
    if let Some(target) = target {
        let t = f64::from(target);
        chart
            .draw_series(LineSeries::new([(0.0, t), (n, t)], TARGET.stroke_width(3)))
            .map_err(failed)?
            .label(format!("Mål {target} %"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], TARGET.stroke_width(3)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(failed)?;
    for (p, i) in pairs.iter().zip(0..) {
        let (x, y) = chart.backend_coord(&(float(i) + 0.5, 0.0));
        root.draw_text(
            &short(&p.name),
            &(FONT, 13)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (x, y + 8),
        )
        .map_err(failed)?;
    }
    Ok(())
}

/// The chart as an SVG document.
pub fn svg(loaded: &Loaded) -> Result<String, Error> {
    let report = &loaded.report;
    let target = report.agreement.completion_target_percent;
    let tracks: Vec<Pair> = report
        .by_track
        .iter()
        .map(|(id, c)| rates(loaded.track_titles.get(id).cloned().unwrap_or_default(), c))
        .collect();
    let places: Vec<Pair> = report
        .by_municipality
        .iter()
        .map(|(code, c)| {
            let name = loaded
                .municipality_names
                .get(code)
                .cloned()
                .unwrap_or_else(|| code.clone());
            rates(name, c)
        })
        .collect();
    let funnel: Vec<Pair> = FUNNEL
        .iter()
        .map(|(stage, name)| counts(name, loaded.funnel.total.of(*stage)))
        .collect();
    let highest = funnel
        .iter()
        .flat_map(|p| [p.women, p.men])
        .filter_map(|bar| match bar {
            Bar::Value(v) => Some(v),
            Bar::Small | Bar::Nothing => None,
        })
        .fold(5.0_f64, f64::max);
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (WIDTH, HEADER + 3 * PANEL)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let (header, body) = root.split_vertically(HEADER);
        header
            .draw_text(
                &format!("Fullföljande — {}", report.agreement.name),
                &(FONT, 24).into_font().color(&BLACK),
                (20, 14),
            )
            .map_err(failed)?;
        header
            .draw_text(
                &format!(
                    "Deltagare som påbörjade {} – {}. Mål: {target} % fullföljer. Grupper under 5 visas som <5, ingen avslutad som –.",
                    report.from, report.to
                ),
                &(FONT, 14).into_font().color(&BLACK),
                (20, 46),
            )
            .map_err(failed)?;
        let panels = body.split_evenly((3, 1));
        let [by_track, by_place, flow] = panels.as_slice() else {
            return Err(Error::Internal("three panels".into()));
        };
        panel(
            &root,
            by_track,
            "Fullföljandegrad per jobbspår",
            "Fullföljandegrad %",
            &tracks,
            RATE_TOP,
            Some(target),
        )?;
        panel(
            &root,
            by_place,
            "Fullföljandegrad per kommun",
            "Fullföljandegrad %",
            &places,
            RATE_TOP,
            Some(target),
        )?;
        panel(
            &root,
            flow,
            "Från nominering till start (antal personer under perioden)",
            "Antal",
            &funnel,
            highest * 1.15,
            None,
        )?;
        root.present().map_err(failed)?;
    }
    Ok(out)
}

fn respond(result: Result<(String, &'static str), Error>) -> Response {
    match result {
        Ok((body, content_type)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-store"),
            ],
            body,
        )
            .into_response(),
        Err(err) => error_response(&err),
    }
}

pub async fn completion_svg(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Response {
    let result = async {
        let loaded = load(&state, &viewer, &params).await?;
        Ok((svg(&loaded)?, "image/svg+xml; charset=utf-8"))
    }
    .await;
    respond(result)
}

pub async fn completion_html(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Response {
    let result = async {
        let loaded = load(&state, &viewer, &params).await?;
        Ok((
            crate::report_page::html(&loaded)?,
            "text/html; charset=utf-8",
        ))
    }
    .await;
    respond(result)
}
