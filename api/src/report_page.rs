//! The printable one-page completion report (`GET /reports/completion.html`): the
//! agreement's, the tracks' and the municipalities' rows as tables, and the chart.
//! Rendered with minijinja, HTML-escaped; small cells read "<5".

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::csv_export::Loaded;
use crate::domain::reports::{Shown, ShownCompletion};
use crate::error::{Error, Result};

const TEMPLATE: &str = include_str!("templates/completion_report.html");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Named .html: every value is HTML-escaped unless marked safe (the chart, which
        // plotters has escaped).
        let _ = env.add_template("completion_report.html", TEMPLATE);
        env
    })
}

fn cell(n: Option<i64>) -> String {
    n.map_or_else(|| "<5".to_owned(), |n| n.to_string())
}

/// Women, men and total (the few of another gender are in the total).
fn split(c: Shown) -> [String; 3] {
    [cell(c.women), cell(c.men), cell(c.total)]
}

#[derive(Serialize)]
struct Row {
    name: String,
    started: [String; 3],
    completed: [String; 3],
    dropped_out: String,
    rate: String,
    after_90: [String; 3],
    after_180: [String; 3],
}

fn row(name: String, c: &ShownCompletion) -> Row {
    Row {
        name,
        started: split(c.started),
        completed: split(c.completed),
        dropped_out: cell(c.dropped_out.total),
        rate: if c.rate_suppressed {
            "<5".to_owned()
        } else {
            c.rate_percent
                .map_or_else(|| "–".to_owned(), |r| format!("{r:.1} %").replace('.', ","))
        },
        after_90: split(c.after[0].employed),
        after_180: split(c.after[1].employed),
    }
}

#[derive(Serialize)]
struct Section {
    title: &'static str,
    label: &'static str,
    rows: Vec<Row>,
}

pub fn html(loaded: &Loaded) -> Result<String> {
    let report = &loaded.report;
    let sections = vec![
        Section {
            title: "Hela överenskommelsen",
            label: "Överenskommelse",
            rows: vec![row(report.agreement.name.clone(), &report.total)],
        },
        Section {
            title: "Per jobbspår",
            label: "Jobbspår",
            rows: report
                .by_track
                .iter()
                .map(|(id, c)| row(loaded.track_titles.get(id).cloned().unwrap_or_default(), c))
                .collect(),
        },
        Section {
            title: "Per kommun (deltagarens)",
            label: "Kommun",
            rows: report
                .by_municipality
                .iter()
                .map(|(code, c)| {
                    let name = loaded.municipality_names.get(code).cloned();
                    row(name.unwrap_or_else(|| code.clone()), c)
                })
                .collect(),
        },
    ];
    let chart = crate::report_chart::svg(loaded)?;
    // The chart is embedded in the page: without the XML declaration.
    let chart = chart
        .split_once("?>")
        .map_or(chart.as_str(), |(_, rest)| rest)
        .to_owned();
    let template = environment()
        .get_template("completion_report.html")
        .map_err(|e| Error::Internal(format!("report template: {e}")))?;
    template
        .render(minijinja::context! {
            agreement => report.agreement.name,
            from => report.from.to_string(),
            to => report.to.to_string(),
            target => report.agreement.completion_target_percent,
            meets_target => report.meets_target(),
            sections => sections,
            chart => chart,
        })
        .map_err(|e| Error::Internal(format!("report template: {e}")))
}
