//! Follow-up for the steering group, always split by gender: the completion report of an
//! agreement for a period, computed with one aggregate query whose result grows with the
//! number of tracks and municipalities, not with the number of applications.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use jobtrack_entity::positional::Field;
use jobtrack_entity::{
    agreement, application, application_stage, candidate, follow_up, job_track, outcome,
};
use sea_orm::{
    ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait, RelationTrait,
    sea_query::{Alias, Expr, ExprTrait, Func, IntoCondition},
};

use super::calendar::swedish_midnight;
use super::values::{ApplicationStatus, FollowUpSituation, Gender, OutcomeKind, Stage};
use super::{agreements, policy};
pub use suppression::Shown;

pub mod suppression;
use crate::auth::Actor;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenderCount {
    pub women: i64,
    pub men: i64,
    pub other: i64,
}

impl GenderCount {
    pub fn total(&self) -> i64 {
        self.women + self.men + self.other
    }

    pub fn add(&mut self, gender: Gender, n: i64) {
        match gender {
            Gender::Woman => self.women += n,
            Gender::Man => self.men += n,
            Gender::Other => self.other += n,
        }
    }
}

/// What the participants of one slice went on to, per recorded outcome kind.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcomes<C = GenderCount> {
    pub employed: C,
    pub introduktionsjobb: C,
    pub lonebidrag: C,
    pub other_subsidy: C,
    pub studies: C,
    pub other: C,
    pub none: C,
}

impl<C: Copy> Outcomes<C> {
    /// Each kind's count through `f`, in the order of the fields.
    fn map<D>(&self, mut f: impl FnMut(C) -> D) -> Outcomes<D> {
        Outcomes {
            employed: f(self.employed),
            introduktionsjobb: f(self.introduktionsjobb),
            lonebidrag: f(self.lonebidrag),
            other_subsidy: f(self.other_subsidy),
            studies: f(self.studies),
            other: f(self.other),
            none: f(self.none),
        }
    }
}

/// Started, completed, dropped out and employed participants of one slice.
#[derive(Clone, Copy, Debug, Default)]
pub struct Completion {
    pub started: GenderCount,
    pub completed: GenderCount,
    pub dropped_out: GenderCount,
    /// In work after the track: every employment outcome, subsidised or not.
    pub employed: GenderCount,
    pub outcomes: Outcomes,
    /// Where they were at the 90- and 180-day follow-ups (EMPLOYED or
    /// EMPLOYED_WITH_SUBSIDY; STUDIES).
    pub after: [AfterExit; 2],
}

/// Recorded follow-ups of one day (90 or 180) after the exit.
#[derive(Clone, Copy, Debug, Default)]
pub struct AfterExit<C = GenderCount> {
    pub employed: C,
    pub studies: C,
}

/// A slice's completion as a report shows it, small cells suppressed.
#[derive(Clone, Copy, Debug)]
pub struct ShownCompletion {
    pub started: Shown,
    pub completed: Shown,
    pub dropped_out: Shown,
    pub employed: Shown,
    pub outcomes: Outcomes<Shown>,
    pub after: [AfterExit<Shown>; 2],
    /// `None` when nobody finished or when the rate is suppressed.
    pub rate_percent: Option<f64>,
    /// The rate would give back a suppressed total of completed or dropped out.
    pub rate_suppressed: bool,
}

impl Counts for Completion {
    type Shown = ShownCompletion;

    fn counts(&self) -> Vec<GenderCount> {
        let mut copy = *self;
        copy.measures_mut().map(|count| *count).to_vec()
    }

    fn shown(&self, cells: &mut dyn Iterator<Item = Shown>) -> ShownCompletion {
        let mut next = || cells.next().unwrap_or_default();
        let (started, completed, dropped_out, employed) = (next(), next(), next(), next());
        let outcomes = self.outcomes.map(|_| next());
        let after = [(); 2].map(|()| AfterExit {
            employed: next(),
            studies: next(),
        });
        let rate_suppressed = completed.total.is_none() || dropped_out.total.is_none();
        ShownCompletion {
            started,
            completed,
            dropped_out,
            employed,
            outcomes,
            after,
            rate_percent: if rate_suppressed {
                None
            } else {
                self.rate_percent()
            },
            rate_suppressed,
        }
    }
}

impl Completion {
    /// completed / (completed + dropped out), in percent; `None` when nobody finished.
    pub fn rate_percent(&self) -> Option<f64> {
        let finished = self.completed.total() + self.dropped_out.total();
        #[expect(
            clippy::cast_precision_loss,
            clippy::as_conversions,
            reason = "counts of people are far below 2^52"
        )]
        (finished > 0).then(|| (self.completed.total() as f64) * 100.0 / (finished as f64))
    }

    /// Every measure, in the order of [`Counts::counts`] and [`completion_measures`].
    fn measures_mut(&mut self) -> [&mut GenderCount; COMPLETION_MEASURES] {
        let [after_90, after_180] = &mut self.after;
        let o = &mut self.outcomes;
        [
            &mut self.started,
            &mut self.completed,
            &mut self.dropped_out,
            &mut self.employed,
            &mut o.employed,
            &mut o.introduktionsjobb,
            &mut o.lonebidrag,
            &mut o.other_subsidy,
            &mut o.studies,
            &mut o.other,
            &mut o.none,
            &mut after_90.employed,
            &mut after_90.studies,
            &mut after_180.employed,
            &mut after_180.studies,
        ]
    }
}

/// How many measures a completion slice has.
const COMPLETION_MEASURES: usize = 15;

/// The measures of a completion slice, in the order of [`Completion::measures_mut`], as
/// counts over the rows of one aggregate group: the participants who started; completed;
/// dropped out; employed (every employment outcome); each outcome kind; employed and in
/// studies at the 90- and 180-day follow-ups.
fn completion_measures() -> [Expr; COMPLETION_MEASURES] {
    let count_where =
        |condition: sea_orm::Condition| -> Expr { Func::count(Expr::case(condition, 1)).into() };
    let is = |column: Expr, values: &[&'static str]| {
        count_where(column.is_in(values.iter().copied()).into_condition())
    };
    let status = || Expr::col((application::Entity, application::Column::Status));
    let kind = || Expr::col((outcome::Entity, outcome::Column::Kind));
    let situation = |day: &str| Expr::col((Alias::new(day), follow_up::Column::Situation));
    let employment: Vec<&'static str> = OutcomeKind::ALL
        .iter()
        .copied()
        .filter(|k| super::values::is_employment(*k))
        .map(OutcomeKind::as_str)
        .collect();
    let employed_after = [
        FollowUpSituation::Employed.as_str(),
        FollowUpSituation::EmployedWithSubsidy.as_str(),
    ];
    let studies_after = [FollowUpSituation::Studies.as_str()];
    [
        Func::count(Expr::col((application::Entity, application::Column::Id))).into(),
        is(status(), &[ApplicationStatus::Completed.as_str()]),
        is(status(), &[ApplicationStatus::DroppedOut.as_str()]),
        is(kind(), &employment),
        is(kind(), &[OutcomeKind::Employed.as_str()]),
        is(kind(), &[OutcomeKind::EmployedIntroduktionsjobb.as_str()]),
        is(kind(), &[OutcomeKind::EmployedLonebidrag.as_str()]),
        is(
            kind(),
            &[
                OutcomeKind::EmployedOtherSubsidy.as_str(),
                OutcomeKind::EmployedWithSubsidy.as_str(),
            ],
        ),
        is(kind(), &[OutcomeKind::Studies.as_str()]),
        is(kind(), &[OutcomeKind::Other.as_str()]),
        is(kind(), &[OutcomeKind::None.as_str()]),
        is(situation("after_90"), &employed_after),
        is(situation("after_90"), &studies_after),
        is(situation("after_180"), &employed_after),
        is(situation("after_180"), &studies_after),
    ]
}

/// A report's agreement (one the actor may read reports of) and its period as instants:
/// from midnight starting `from` to midnight ending `to`, Swedish local time (a
/// participant who starts at 00:30 on 1 July in Sweden started in July).
async fn period(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agreement_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(agreement::Model, DateTime<Utc>, DateTime<Utc>)> {
    policy::require(policy::may_read_completion_report(actor))?;
    if to < from {
        return Err(Error::bad_input("to", "must not be before from"));
    }
    let agreement = agreements::visible_agreement(db, actor, agreement_id).await?;
    Ok((
        agreement,
        swedish_midnight(from),
        swedish_midnight(to + Duration::days(1)),
    ))
}

/// How many applications reached each stage, by gender.
#[derive(Clone, Debug, Default)]
pub struct Funnel(pub BTreeMap<Stage, GenderCount>);

impl Funnel {
    pub fn add(&mut self, stage: Stage, gender: Gender, n: i64) {
        self.0.entry(stage).or_default().add(gender, n);
    }

    pub fn of(&self, stage: Stage) -> GenderCount {
        self.0.get(&stage).copied().unwrap_or_default()
    }
}

impl Funnel {
    /// The funnel of one track as its viewer may see it, small cells suppressed: split by
    /// gender, or totals only (`split` false, for employer users).
    pub fn shown_alone(&self, split: bool) -> ShownFunnel {
        ShownFunnel(
            Stage::ALL
                .iter()
                .map(|&stage| {
                    let count = self.of(stage);
                    let shown = if split {
                        suppression::suppress_one(count)
                    } else {
                        Shown::total_only(count)
                    };
                    (stage, shown)
                })
                .collect(),
        )
    }
}

/// A funnel as a report shows it, small cells suppressed.
#[derive(Clone, Debug, Default)]
pub struct ShownFunnel(pub BTreeMap<Stage, Shown>);

impl ShownFunnel {
    pub fn of(&self, stage: Stage) -> Shown {
        self.0.get(&stage).copied().unwrap_or_default()
    }
}

impl Counts for Funnel {
    type Shown = ShownFunnel;

    fn counts(&self) -> Vec<GenderCount> {
        Stage::ALL.iter().map(|&stage| self.of(stage)).collect()
    }

    fn shown(&self, cells: &mut dyn Iterator<Item = Shown>) -> ShownFunnel {
        ShownFunnel(Stage::ALL.iter().copied().zip(cells).collect())
    }
}

/// A report slice's counts in a fixed order, and the slice rebuilt from the counts as
/// shown (in the same order).
pub trait Counts: Default {
    type Shown;

    fn counts(&self) -> Vec<GenderCount>;

    fn shown(&self, cells: &mut dyn Iterator<Item = Shown>) -> Self::Shown;
}

/// A report of an agreement for a period: one count `T` for the agreement, per track and
/// per municipality of the candidate.
pub struct Report<T> {
    pub agreement: agreement::Model,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: T,
    /// Per track id, by track id.
    pub by_track: BTreeMap<i64, T>,
    /// Per municipality code of the candidate, by code.
    pub by_municipality: BTreeMap<String, T>,
}

impl<T: Default> Report<T> {
    fn new(agreement: agreement::Model, from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            agreement,
            from,
            to,
            total: T::default(),
            by_track: BTreeMap::new(),
            by_municipality: BTreeMap::new(),
        }
    }

    /// Counts one aggregate row of `track` and `municipality` into the agreement's total,
    /// the track's and the municipality's.
    fn count(&mut self, track: i64, municipality: String, add: impl Fn(&mut T)) {
        add(&mut self.total);
        add(self.by_track.entry(track).or_default());
        add(self.by_municipality.entry(municipality).or_default());
    }
}

impl<T: Counts> Report<T> {
    /// The report as it may be shown: each measure suppressed as one table (the
    /// agreement's row, the rows per track and per municipality), see [`suppression`].
    pub fn suppressed(&self) -> Report<T::Shown> {
        let total = self.total.counts();
        let tracks: Vec<Vec<GenderCount>> = self.by_track.values().map(T::counts).collect();
        let places: Vec<Vec<GenderCount>> = self.by_municipality.values().map(T::counts).collect();
        let mut shown_total = Vec::new();
        let mut shown_tracks = vec![Vec::new(); tracks.len()];
        let mut shown_places = vec![Vec::new(); places.len()];
        for (m, &count) in total.iter().enumerate() {
            let column = |slices: &[Vec<GenderCount>]| {
                slices
                    .iter()
                    .map(|s| s.get(m).copied().unwrap_or_default())
                    .collect()
            };
            let (t, groups) = suppression::suppress(count, &[column(&tracks), column(&places)]);
            shown_total.push(t);
            for (shown, rows) in [&mut shown_tracks, &mut shown_places]
                .into_iter()
                .zip(groups)
            {
                for (slice, row) in shown.iter_mut().zip(rows) {
                    slice.push(row);
                }
            }
        }
        let rebuild = |slice: &T, cells: Vec<Shown>| slice.shown(&mut cells.into_iter());
        Report {
            agreement: self.agreement.clone(),
            from: self.from,
            to: self.to,
            total: rebuild(&self.total, shown_total),
            by_track: self
                .by_track
                .iter()
                .zip(shown_tracks)
                .map(|((id, slice), cells)| (*id, rebuild(slice, cells)))
                .collect(),
            by_municipality: self
                .by_municipality
                .iter()
                .zip(shown_places)
                .map(|((code, slice), cells)| (code.clone(), rebuild(slice, cells)))
                .collect(),
        }
    }
}

/// The flow of an agreement's applications in a period: how many reached each stage then.
/// Small cells suppressed.
pub type FunnelReport = Report<ShownFunnel>;

/// The stages the agreement's applications reached in the period (both dates included),
/// from their history: a candidate nominated in March and started in May counts as
/// nominated in a March report and as started in a May one. One aggregate query.
/// The rows of `agreement_id` whose `column` falls in [`start`, `end`). On PostgreSQL the
/// three are written into the statement as constants: bound as parameters, PostgreSQL
/// switches to a generic plan for a prepared statement after five runs, and for the
/// report that plan looks up every application by index instead of hash-joining them
/// (measured at national scale: 918 ms of PostgreSQL CPU against 525 ms). They are an id
/// and two timestamps formatted here, never client text.
fn of_agreement_in_period(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    column: Expr,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> sea_orm::Condition {
    let agreement = Expr::col((job_track::Entity, job_track::Column::AgreementId));
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let at = |t: DateTime<Utc>| {
            Expr::cust(format!(
                "TIMESTAMPTZ '{}'",
                t.format("%Y-%m-%d %H:%M:%S%.6f+00:00")
            ))
        };
        sea_orm::Condition::all()
            .add(agreement.eq(Expr::cust(agreement_id.to_string())))
            .add(column.clone().gte(at(start)))
            .add(column.lt(at(end)))
    } else {
        sea_orm::Condition::all()
            .add(agreement.eq(agreement_id))
            .add(column.clone().gte(start))
            .add(column.lt(end))
    }
}

pub async fn funnel_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agreement_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<FunnelReport> {
    let (agreement, start, end) = period(db, actor, agreement_id, from, to).await?;
    let rows: Vec<(i64, String, Gender, Stage, i64)> = application_stage::Entity::find()
        .select_only()
        .column_as(
            Expr::col((application::Entity, application::Column::JobTrackId)),
            "job_track_id",
        )
        .column_as(
            Expr::col((candidate::Entity, candidate::Column::MunicipalityCode)),
            "municipality",
        )
        .column_as(
            Expr::col((candidate::Entity, candidate::Column::Gender)),
            "gender",
        )
        .column(application_stage::Column::Stage)
        .column_as(
            Expr::from(Func::count(Expr::col((
                application_stage::Entity,
                application_stage::Column::ApplicationId,
            )))),
            "n",
        )
        .inner_join(application::Entity)
        .join(JoinType::InnerJoin, application::Relation::Candidate.def())
        .join(JoinType::InnerJoin, application::Relation::JobTrack.def())
        .filter(of_agreement_in_period(
            db,
            agreement_id,
            Expr::col((
                application_stage::Entity,
                application_stage::Column::ReachedAt,
            )),
            start,
            end,
        ))
        .group_by(Expr::col((
            application::Entity,
            application::Column::JobTrackId,
        )))
        .group_by(Expr::col((
            candidate::Entity,
            candidate::Column::MunicipalityCode,
        )))
        .group_by(Expr::col((candidate::Entity, candidate::Column::Gender)))
        .group_by(application_stage::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let mut report = Report::<Funnel>::new(agreement, from, to);
    for (track, municipality, gender, stage, n) in rows {
        report.count(track, municipality, |f| f.add(stage, gender, n));
    }
    Ok(report.suppressed())
}

/// The completion of an agreement's participants who started in a period.
/// Small cells suppressed.
pub type CompletionReport = Report<ShownCompletion>;

impl CompletionReport {
    /// Whether the agreement's completion target is met; `None` when nobody finished or
    /// the rate is suppressed.
    pub fn meets_target(&self) -> Option<bool> {
        self.total
            .rate_percent
            .map(|rate| rate >= f64::from(self.agreement.completion_target_percent))
    }
}

/// The participants who started a track of the agreement in the period (both dates
/// included), and what became of them: completed, dropped out, each outcome, and
/// employed (every employment outcome).
pub async fn completion_report(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agreement_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<CompletionReport> {
    let (agreement, start, end) = period(db, actor, agreement_id, from, to).await?;
    // The follow-ups of day 90 and 180, each joined under its own name.
    let follow_up_on = |day: i32| {
        follow_up::Relation::Application
            .def()
            .rev()
            .on_condition(move |_, right| {
                Expr::col((right, follow_up::Column::Day))
                    .eq(day)
                    .into_condition()
            })
    };
    // One row per track, municipality and gender, with every measure counted in it.
    let mut query = application::Entity::find()
        .select_only()
        .column(application::Column::JobTrackId)
        .column_as(
            Expr::col((candidate::Entity, candidate::Column::MunicipalityCode)),
            "municipality",
        )
        .column_as(
            Expr::col((candidate::Entity, candidate::Column::Gender)),
            "gender",
        );
    for (n, measure) in completion_measures().into_iter().enumerate() {
        query = query.column_as(measure, format!("m{n}"));
    }
    let statement = query
        .join(JoinType::InnerJoin, application::Relation::Candidate.def())
        .join(JoinType::InnerJoin, application::Relation::JobTrack.def())
        .join(JoinType::LeftJoin, application::Relation::Outcome.def())
        .join_as(JoinType::LeftJoin, follow_up_on(90), Alias::new("after_90"))
        .join_as(
            JoinType::LeftJoin,
            follow_up_on(180),
            Alias::new("after_180"),
        )
        .filter(of_agreement_in_period(
            db,
            agreement_id,
            Expr::col((application::Entity, application::Column::StartedAt)),
            start,
            end,
        ))
        .group_by(application::Column::JobTrackId)
        .group_by(Expr::col((
            candidate::Entity,
            candidate::Column::MunicipalityCode,
        )))
        .group_by(Expr::col((candidate::Entity, candidate::Column::Gender)))
        .build(db.get_database_backend());
    let mut report = Report::<Completion>::new(agreement, from, to);
    // Read by position, field by field (`positional::Field`): sqlx's check of each
    // value's SQL type was an eighth of the instructions of a report over 8,000 rows.
    for row in db.query_all_raw(statement).await? {
        let track: i64 = Field::read(&row, 0)?;
        let municipality: String = Field::read(&row, 1)?;
        let gender: Gender = Field::read(&row, 2)?;
        let mut counts = [0_i64; COMPLETION_MEASURES];
        for (n, count) in counts.iter_mut().enumerate() {
            *count = Field::read(&row, n + 3)?;
        }
        report.count(track, municipality, |c| {
            for (measure, n) in c.measures_mut().into_iter().zip(counts) {
                measure.add(gender, n);
            }
        });
    }
    Ok(report.suppressed())
}

#[cfg(test)]
mod tests {
    use super::{Completion, Counts, Funnel, GenderCount, Shown};

    /// A slice's counts and its shown version read the measures in the same order: every
    /// measure comes back, none is left over or read as a missing (suppressed) one.
    #[test]
    fn every_measure_round_trips_through_its_shown_version() {
        let mut n = 0;
        let mut next = || {
            n += 1;
            GenderCount {
                women: n * 10,
                men: 5,
                other: 0,
            }
        };
        let completion = Completion {
            started: next(),
            completed: next(),
            dropped_out: next(),
            employed: next(),
            outcomes: super::Outcomes::default().map(|_: GenderCount| next()),
            after: [(); 2].map(|()| super::AfterExit {
                employed: next(),
                studies: next(),
            }),
        };
        let counts = completion.counts();
        assert_eq!(counts.len(), 15);
        let as_shown = |c: &GenderCount| Shown {
            women: Some(c.women),
            men: Some(c.men),
            other: Some(c.other),
            total: Some(c.total()),
        };
        let mut cells = counts.iter().map(as_shown);
        let shown = completion.shown(&mut cells);
        assert!(cells.next().is_none(), "every measure is read");
        assert_eq!(
            shown.after[1].studies,
            as_shown(&completion.after[1].studies)
        );
        assert_eq!(shown.outcomes.none, as_shown(&completion.outcomes.none));
        assert_eq!(Funnel::default().counts().len(), 12);
    }
}
