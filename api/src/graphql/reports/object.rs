use crate::domain::reports::{self, Outcomes, Shown, ShownCompletion, ShownFunnel};
use crate::domain::values::Stage;
use crate::graphql::context::load_required;
use crate::graphql::error::ApiResult;
use crate::graphql::loader::MunicipalityByCode;
use crate::graphql::loader::TrackById;
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;
use crate::graphql::tracks::JobTrack;
use crate::graphql::users::Agreement;
use async_graphql::Context;
use async_graphql::Object;
use async_graphql::SimpleObject;

/// A count split by gender. Reports never show a count between 1 and 4 of a group (see
/// the README's "Small cells"): such a cell is suppressed, and so is a complementary cell
/// wherever a sum would give it back.
#[derive(SimpleObject, Clone, Copy, Default)]
pub struct GenderCount {
    /// 0 when suppressed: read `suppressed`, or `shown` for nulls.
    pub women: i32,
    /// 0 when suppressed: read `suppressed`, or `shown` for nulls.
    pub men: i32,
    /// 0 when suppressed: read `suppressed`, or `shown` for nulls.
    pub other: i32,
    /// 0 when suppressed (a total of 1 to 4): read `suppressed`, or `shown` for nulls.
    pub total: i32,
    /// Whether any of the four cells is suppressed.
    pub suppressed: bool,
    /// The same four cells, null where suppressed.
    pub shown: ShownCount,
}

/// A gender-split count with suppressed cells as null.
#[derive(SimpleObject, Clone, Copy, Default)]
pub struct ShownCount {
    pub women: Option<i32>,
    pub men: Option<i32>,
    pub other: Option<i32>,
    pub total: Option<i32>,
}

fn int(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl From<Shown> for GenderCount {
    fn from(c: Shown) -> Self {
        let cell = |n: Option<i64>| n.map(int);
        let shown = ShownCount {
            women: cell(c.women),
            men: cell(c.men),
            other: cell(c.other),
            total: cell(c.total),
        };
        Self {
            women: shown.women.unwrap_or_default(),
            men: shown.men.unwrap_or_default(),
            other: shown.other.unwrap_or_default(),
            total: shown.total.unwrap_or_default(),
            suppressed: c.suppressed(),
            shown,
        }
    }
}

/// How many applications reached each stage of the process, from their history: an
/// application admitted and then started counts in `nominated`, `invited`, …, `admitted`
/// and `started`, not only where it is now.
#[derive(SimpleObject, Default)]
pub struct Funnel {
    pub nominated: GenderCount,
    pub invited: GenderCount,
    /// Came to the information meeting (recorded ATTENDED).
    pub attended: GenderCount,
    pub applied: GenderCount,
    pub in_trial: GenderCount,
    pub admitted: GenderCount,
    pub started: GenderCount,
    pub completed: GenderCount,
    /// Recorded an employment outcome (regular or subsidised work).
    pub employed: GenderCount,
    pub rejected: GenderCount,
    pub withdrawn: GenderCount,
    pub dropped_out: GenderCount,
}

impl Funnel {
    pub fn new(funnel: &ShownFunnel) -> Self {
        let of = |stage: Stage| GenderCount::from(funnel.of(stage));
        Self {
            nominated: of(Stage::Nominated),
            invited: of(Stage::Invited),
            attended: of(Stage::Attended),
            applied: of(Stage::Applied),
            in_trial: of(Stage::InTrial),
            admitted: of(Stage::Admitted),
            started: of(Stage::Started),
            completed: of(Stage::Completed),
            employed: of(Stage::Employed),
            rejected: of(Stage::Rejected),
            withdrawn: of(Stage::Withdrawn),
            dropped_out: of(Stage::DroppedOut),
        }
    }
}

pub struct TrackFunnel {
    track_id: i64,
    funnel: Funnel,
}

#[Object]
impl TrackFunnel {
    async fn job_track(&self, ctx: &Context<'_>) -> ApiResult<JobTrack> {
        Ok(JobTrack(
            load_required(ctx, TrackById(self.track_id)).await?,
        ))
    }

    async fn funnel(&self) -> &Funnel {
        &self.funnel
    }
}

pub struct MunicipalityFunnel {
    code: String,
    funnel: Funnel,
}

#[Object]
impl MunicipalityFunnel {
    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Municipality> {
        Ok(Municipality(
            load_required(ctx, MunicipalityByCode(self.code.clone())).await?,
        ))
    }

    async fn funnel(&self) -> &Funnel {
        &self.funnel
    }
}

/// The flow of an agreement's applications in a period, by gender: how many reached each
/// stage between `from` and `to`.
pub struct FunnelReport(pub reports::FunnelReport);

#[Object]
impl FunnelReport {
    async fn agreement(&self) -> Agreement {
        Agreement(self.0.agreement.clone())
    }

    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    async fn funnel(&self) -> Funnel {
        Funnel::new(&self.0.total)
    }

    async fn by_track(&self) -> Vec<TrackFunnel> {
        self.0
            .by_track
            .iter()
            .map(|(id, f)| TrackFunnel {
                track_id: *id,
                funnel: Funnel::new(f),
            })
            .collect()
    }

    /// By the candidate's municipality.
    async fn by_municipality(&self) -> Vec<MunicipalityFunnel> {
        self.0
            .by_municipality
            .iter()
            .map(|(code, f)| MunicipalityFunnel {
                code: code.clone(),
                funnel: Funnel::new(f),
            })
            .collect()
    }
}

/// Participants by what they went on to after the track (their recorded outcome).
#[derive(SimpleObject)]
pub struct OutcomeCounts {
    pub employed: GenderCount,
    pub employed_introduktionsjobb: GenderCount,
    pub employed_lonebidrag: GenderCount,
    pub employed_other_subsidy: GenderCount,
    pub studies: GenderCount,
    pub other: GenderCount,
    pub none: GenderCount,
}

impl From<Outcomes<Shown>> for OutcomeCounts {
    fn from(o: Outcomes<Shown>) -> Self {
        Self {
            employed: o.employed.into(),
            employed_introduktionsjobb: o.introduktionsjobb.into(),
            employed_lonebidrag: o.lonebidrag.into(),
            employed_other_subsidy: o.other_subsidy.into(),
            studies: o.studies.into(),
            other: o.other.into(),
            none: o.none.into(),
        }
    }
}

pub struct TrackCompletion {
    pub track_id: i64,
    pub completion: ShownCompletion,
}

#[Object]
impl TrackCompletion {
    async fn job_track(&self, ctx: &Context<'_>) -> ApiResult<JobTrack> {
        Ok(JobTrack(
            load_required(ctx, TrackById(self.track_id)).await?,
        ))
    }

    async fn started(&self) -> GenderCount {
        self.completion.started.into()
    }

    async fn completed(&self) -> GenderCount {
        self.completion.completed.into()
    }

    async fn dropped_out(&self) -> GenderCount {
        self.completion.dropped_out.into()
    }

    /// Employed after the track: every employment outcome, subsidised or not.
    async fn employed(&self) -> GenderCount {
        self.completion.employed.into()
    }

    /// Each outcome kind on its own.
    async fn outcomes(&self) -> OutcomeCounts {
        self.completion.outcomes.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 90-day follow-up after the exit.
    async fn employed_after_90_days(&self) -> GenderCount {
        self.completion.after[0].employed.into()
    }

    /// In studies at the 90-day follow-up after the exit.
    async fn studies_after_90_days(&self) -> GenderCount {
        self.completion.after[0].studies.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 180-day follow-up after the exit.
    async fn employed_after_180_days(&self) -> GenderCount {
        self.completion.after[1].employed.into()
    }

    /// In studies at the 180-day follow-up after the exit.
    async fn studies_after_180_days(&self) -> GenderCount {
        self.completion.after[1].studies.into()
    }

    /// completed / (completed + droppedOut); null when nobody finished or when it is
    /// suppressed.
    async fn completion_rate_percent(&self) -> Option<f64> {
        self.completion.rate_percent
    }

    /// The rate would give back a suppressed count of completed or dropped out.
    async fn completion_rate_suppressed(&self) -> bool {
        self.completion.rate_suppressed
    }
}

pub struct MunicipalityCompletion {
    pub code: String,
    pub completion: ShownCompletion,
}

#[Object]
impl MunicipalityCompletion {
    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Municipality> {
        Ok(Municipality(
            load_required(ctx, MunicipalityByCode(self.code.clone())).await?,
        ))
    }

    async fn started(&self) -> GenderCount {
        self.completion.started.into()
    }

    async fn completed(&self) -> GenderCount {
        self.completion.completed.into()
    }

    async fn dropped_out(&self) -> GenderCount {
        self.completion.dropped_out.into()
    }

    /// Employed after the track: every employment outcome, subsidised or not.
    async fn employed(&self) -> GenderCount {
        self.completion.employed.into()
    }

    /// Each outcome kind on its own.
    async fn outcomes(&self) -> OutcomeCounts {
        self.completion.outcomes.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 90-day follow-up after the exit.
    async fn employed_after_90_days(&self) -> GenderCount {
        self.completion.after[0].employed.into()
    }

    /// In studies at the 90-day follow-up after the exit.
    async fn studies_after_90_days(&self) -> GenderCount {
        self.completion.after[0].studies.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 180-day follow-up after the exit.
    async fn employed_after_180_days(&self) -> GenderCount {
        self.completion.after[1].employed.into()
    }

    /// In studies at the 180-day follow-up after the exit.
    async fn studies_after_180_days(&self) -> GenderCount {
        self.completion.after[1].studies.into()
    }

    /// completed / (completed + droppedOut); null when nobody finished or when it is
    /// suppressed.
    async fn completion_rate_percent(&self) -> Option<f64> {
        self.completion.rate_percent
    }

    /// The rate would give back a suppressed count of completed or dropped out.
    async fn completion_rate_suppressed(&self) -> bool {
        self.completion.rate_suppressed
    }
}

pub struct CompletionReport(pub reports::CompletionReport);

#[Object]
impl CompletionReport {
    async fn agreement(&self) -> Agreement {
        Agreement(self.0.agreement.clone())
    }

    async fn from(&self) -> Date {
        Date(self.0.from)
    }

    async fn to(&self) -> Date {
        Date(self.0.to)
    }

    /// Participants who started a track in the period, by gender.
    async fn started(&self) -> GenderCount {
        self.0.total.started.into()
    }

    /// Of those who started in the period, how many completed.
    async fn completed(&self) -> GenderCount {
        self.0.total.completed.into()
    }

    /// Of those who started in the period, how many dropped out.
    async fn dropped_out(&self) -> GenderCount {
        self.0.total.dropped_out.into()
    }

    /// completed / (completed + droppedOut), null when nobody finished yet.
    /// Also null when suppressed: the rate would give back a suppressed count.
    async fn completion_rate_percent(&self) -> Option<f64> {
        self.0.total.rate_percent
    }

    /// The rate would give back a suppressed count of completed or dropped out.
    async fn completion_rate_suppressed(&self) -> bool {
        self.0.total.rate_suppressed
    }

    async fn target_percent(&self) -> i32 {
        self.0.agreement.completion_target_percent
    }

    async fn meets_target(&self) -> Option<bool> {
        self.0.meets_target()
    }

    /// Of those who started in the period, how many got work (EMPLOYED or EMPLOYED_WITH_SUBSIDY).
    /// Every employment outcome counts: EMPLOYED, EMPLOYED_INTRODUKTIONSJOBB,
    /// EMPLOYED_LONEBIDRAG and EMPLOYED_OTHER_SUBSIDY; `outcomes` tells them apart.
    async fn employed(&self) -> GenderCount {
        self.0.total.employed.into()
    }

    /// Of those who started in the period, each outcome kind on its own.
    async fn outcomes(&self) -> OutcomeCounts {
        self.0.total.outcomes.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 90-day follow-up after the exit.
    async fn employed_after_90_days(&self) -> GenderCount {
        self.0.total.after[0].employed.into()
    }

    /// In studies at the 90-day follow-up after the exit.
    async fn studies_after_90_days(&self) -> GenderCount {
        self.0.total.after[0].studies.into()
    }

    /// In work (EMPLOYED or EMPLOYED_WITH_SUBSIDY) at the 180-day follow-up after the exit.
    async fn employed_after_180_days(&self) -> GenderCount {
        self.0.total.after[1].employed.into()
    }

    /// In studies at the 180-day follow-up after the exit.
    async fn studies_after_180_days(&self) -> GenderCount {
        self.0.total.after[1].studies.into()
    }

    async fn by_track(&self) -> Vec<TrackCompletion> {
        self.0
            .by_track
            .iter()
            .map(|(id, c)| TrackCompletion {
                track_id: *id,
                completion: *c,
            })
            .collect()
    }

    /// By the candidate's municipality.
    async fn by_municipality(&self) -> Vec<MunicipalityCompletion> {
        self.0
            .by_municipality
            .iter()
            .map(|(code, c)| MunicipalityCompletion {
                code: code.clone(),
                completion: *c,
            })
            .collect()
    }
}
