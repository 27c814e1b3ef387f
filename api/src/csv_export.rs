//! `GET /reports/completion.csv`: the completion report as a spreadsheet. UTF-8 with a
//! byte-order mark and `;` separators, so Swedish spreadsheet programs open it with
//! å, ä, ö intact and in columns; one row for the agreement, one per track and one per
//! municipality, with gender columns: started, completed, dropped out, in work, each
//! outcome kind, and in work or studies at the 90- and 180-day follow-ups. Small cells are suppressed as in GraphQL and read "<5" (see
//! `domain::reports::suppression`).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jobtrack_entity::job_track;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Viewer;
use crate::domain::reports::{self, CompletionReport, Shown, ShownCompletion};
use crate::error::Error;
use crate::graphql::ids;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Params {
    agreement_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

const HEADER: &[&str] = &[
    "Nivå",
    "Namn",
    "Påbörjade kvinnor",
    "Påbörjade män",
    "Påbörjade annat",
    "Påbörjade totalt",
    "Fullföljda kvinnor",
    "Fullföljda män",
    "Fullföljda annat",
    "Fullföljda totalt",
    "Avbrutna kvinnor",
    "Avbrutna män",
    "Avbrutna annat",
    "Avbrutna totalt",
    "I arbete kvinnor",
    "I arbete män",
    "I arbete annat",
    "I arbete totalt",
    "Anställning kvinnor",
    "Anställning män",
    "Anställning annat",
    "Anställning totalt",
    "Introduktionsjobb kvinnor",
    "Introduktionsjobb män",
    "Introduktionsjobb annat",
    "Introduktionsjobb totalt",
    "Lönebidrag kvinnor",
    "Lönebidrag män",
    "Lönebidrag annat",
    "Lönebidrag totalt",
    "Annat stöd kvinnor",
    "Annat stöd män",
    "Annat stöd annat",
    "Annat stöd totalt",
    "Studier kvinnor",
    "Studier män",
    "Studier annat",
    "Studier totalt",
    "Annat utfall kvinnor",
    "Annat utfall män",
    "Annat utfall annat",
    "Annat utfall totalt",
    "Inget kvinnor",
    "Inget män",
    "Inget annat",
    "Inget totalt",
    "I arbete efter 90 dagar kvinnor",
    "I arbete efter 90 dagar män",
    "I arbete efter 90 dagar annat",
    "I arbete efter 90 dagar totalt",
    "Studier efter 90 dagar kvinnor",
    "Studier efter 90 dagar män",
    "Studier efter 90 dagar annat",
    "Studier efter 90 dagar totalt",
    "I arbete efter 180 dagar kvinnor",
    "I arbete efter 180 dagar män",
    "I arbete efter 180 dagar annat",
    "I arbete efter 180 dagar totalt",
    "Studier efter 180 dagar kvinnor",
    "Studier efter 180 dagar män",
    "Studier efter 180 dagar annat",
    "Studier efter 180 dagar totalt",
    "Fullföljandegrad %",
    "Mål %",
];

/// A field as CSV: quoted when needed, and never read as a formula by a spreadsheet.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A suppressed cell (a count of 1 to 4, or its complement) reads "<5".
fn counts(c: Shown) -> [String; 4] {
    [c.women, c.men, c.other, c.total].map(|n| n.map_or_else(|| "<5".to_owned(), |n| n.to_string()))
}

/// A percentage with a decimal comma, as Swedish spreadsheets read it.
fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{r:.1}").replace('.', ","))
        .unwrap_or_default()
}

fn row(level: &str, name: &str, c: &ShownCompletion, target: Option<i32>) -> String {
    let mut cells = vec![field(level), field(name)];
    let o = &c.outcomes;
    for group in [
        c.started,
        c.completed,
        c.dropped_out,
        c.employed,
        o.employed,
        o.introduktionsjobb,
        o.lonebidrag,
        o.other_subsidy,
        o.studies,
        o.other,
        o.none,
        c.after[0].employed,
        c.after[0].studies,
        c.after[1].employed,
        c.after[1].studies,
    ] {
        cells.extend(counts(group));
    }
    cells.push(if c.rate_suppressed {
        "<5".to_owned()
    } else {
        percent(c.rate_percent)
    });
    cells.push(target.map(|t| t.to_string()).unwrap_or_default());
    cells.join(";")
}

pub fn render(
    report: &CompletionReport,
    track_titles: &HashMap<i64, String>,
    municipality_names: &HashMap<String, String>,
) -> String {
    let mut lines = vec![
        HEADER
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(";"),
    ];
    lines.push(row(
        "Överenskommelse",
        &report.agreement.name,
        &report.total,
        Some(report.agreement.completion_target_percent),
    ));
    for (id, completion) in &report.by_track {
        let title = track_titles.get(id).map_or("", String::as_str);
        lines.push(row("Jobbspår", title, completion, None));
    }
    for (code, completion) in &report.by_municipality {
        let name = municipality_names
            .get(code)
            .map_or(code.as_str(), String::as_str);
        lines.push(row("Kommun", name, completion, None));
    }
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

fn status_of(err: &Error) -> StatusCode {
    match err {
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden => StatusCode::FORBIDDEN,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::BadInput { .. } => StatusCode::BAD_REQUEST,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::CONFLICT,
    }
}

pub fn error_response(err: &Error) -> Response {
    let message = match err {
        Error::Internal(detail) => {
            tracing::error!(error = %detail, "internal error in the CSV export");
            "internal error".to_owned()
        }
        other => other.to_string(),
    };
    (
        status_of(err),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{}: {message}\n", err.code()),
    )
        .into_response()
}

fn date(field_name: &str, value: Option<&str>) -> Result<chrono::NaiveDate, Error> {
    let value = value.ok_or_else(|| Error::bad_input(field_name, "is required"))?;
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_unparsable| Error::bad_input(field_name, "must be YYYY-MM-DD"))
}

pub async fn completion_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(params): Query<Params>,
) -> Response {
    match load(&state, &viewer, &params).await {
        Ok(loaded) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"fullfoljande-{}-{}.csv\"",
                        loaded.report.from, loaded.report.to
                    ),
                ),
            ],
            render(
                &loaded.report,
                &loaded.track_titles,
                &loaded.municipality_names,
            ),
        )
            .into_response(),
        Err(err) => error_response(&err),
    }
}

/// A completion report asked for by `?agreementId=…&from=…&to=…`, with the names its
/// rows need: what the CSV, the chart and the printable page render.
pub struct Loaded {
    pub report: CompletionReport,
    pub funnel: reports::FunnelReport,
    pub track_titles: HashMap<i64, String>,
    pub municipality_names: HashMap<String, String>,
}

/// Reads the parameters, checks the viewer (the report's own rule) and loads the report.
pub async fn load(state: &AppState, viewer: &Viewer, params: &Params) -> Result<Loaded, Error> {
    let actor = viewer.actor()?;
    let agreement = params
        .agreement_id
        .as_deref()
        .ok_or_else(|| Error::bad_input("agreementId", "is required"))?;
    let agreement_id = ids::decode(
        "agreementId",
        "Agreement",
        &async_graphql::ID(agreement.to_owned()),
    )?;
    let from = date("from", params.from.as_deref())?;
    let to = date("to", params.to.as_deref())?;
    let report = reports::completion_report(&state.db, actor, agreement_id, from, to).await?;
    let funnel = reports::funnel_report(&state.db, actor, agreement_id, from, to).await?;
    let track_titles: HashMap<i64, String> = job_track::Entity::find()
        .filter(
            job_track::Column::Id.is_in(
                report
                    .by_track
                    .keys()
                    .chain(funnel.by_track.keys())
                    .copied(),
            ),
        )
        .all(&state.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.title))
        .collect();
    let municipality_names = state
        .reference
        .municipalities
        .iter()
        .map(|(code, m)| (code.clone(), m.name.clone()))
        .collect();
    Ok(Loaded {
        report,
        funnel,
        track_titles,
        municipality_names,
    })
}

#[cfg(test)]
mod tests {
    use super::{field, percent};
    use crate::domain::reports::{Completion, GenderCount};

    #[test]
    fn fields_are_quoted_when_needed_and_never_formulas() {
        assert_eq!(field("Trollhättan"), "Trollhättan");
        assert_eq!(field("Svets; bygg"), "\"Svets; bygg\"");
        assert_eq!(field("Säg \"hej\""), "\"Säg \"\"hej\"\"\"");
        assert_eq!(field("rad\nbrytning"), "\"rad\nbrytning\"");
        for formula in ["=1+1", "+46", "-2", "@SUM(A1)", "\tx"] {
            assert!(field(formula).starts_with('\'') || field(formula).starts_with("\"'"));
        }
        assert_eq!(
            field("=HYPERLINK(\"x\";\"y\")"),
            "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\""
        );
    }

    #[test]
    fn rates_round_to_one_decimal_with_a_decimal_comma() {
        let of = |completed: i64, dropped_out: i64| Completion {
            completed: GenderCount {
                women: completed,
                ..GenderCount::default()
            },
            dropped_out: GenderCount {
                men: dropped_out,
                ..GenderCount::default()
            },
            ..Completion::default()
        };
        assert_eq!(percent(of(2, 1).rate_percent()), "66,7");
        assert_eq!(percent(of(1, 2).rate_percent()), "33,3");
        assert_eq!(percent(of(9, 0).rate_percent()), "100,0");
        assert_eq!(
            percent(of(0, 0).rate_percent()),
            "",
            "nobody finished: no rate"
        );
    }
}
