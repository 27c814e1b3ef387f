//! Suggestions: candidates for a recruiting track, tracks for a candidate, tracks for an
//! employer's need — each with the requirements met and unmet and a score
//! (`domain::matching`). Employers get null.

use async_graphql::{Context, Object};

use crate::domain::matching::Suggestion;
use crate::graphql::candidates::Candidate;
use crate::graphql::connection::connection;
use crate::graphql::context::{load, load_required};
use crate::graphql::error::ApiResult;
use crate::graphql::loader::{CandidateById, TrackById};
use crate::graphql::tracks::JobTrack;

fn explanation(s: &Suggestion) -> (Vec<String>, Vec<String>) {
    let text = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
    (text(&s.met), text(&s.unmet))
}

/// A candidate who fits a recruiting track, or (a near miss) fits but for one requirement.
pub struct CandidateSuggestion(pub Suggestion);

#[Object]
impl CandidateSuggestion {
    async fn candidate(&self, ctx: &Context<'_>) -> ApiResult<Option<Candidate>> {
        Ok(load(ctx, CandidateById(self.0.id)).await?.map(Candidate))
    }

    /// 100 − 50 × unmet + 10 × shared target groups (at most 3) + 10 when the Swedish
    /// level is above the track's minimum (see the README's "Matching").
    async fn score(&self) -> i32 {
        i32::try_from(self.0.score).unwrap_or_default()
    }

    /// The track's requirements the candidate meets, by the names NOT_ELIGIBLE uses:
    /// programme, targetGroups, drivingLicence, swedishLevel, educationLevel.
    async fn met_requirements(&self) -> Vec<String> {
        explanation(&self.0).0
    }

    /// The requirements the candidate does not meet (at most one: a near miss).
    async fn unmet_requirements(&self) -> Vec<String> {
        explanation(&self.0).1
    }

    async fn near_miss(&self) -> bool {
        !self.0.unmet.is_empty()
    }
}

connection!(
    CandidateSuggestionConnection,
    CandidateSuggestionEdge,
    CandidateSuggestion
);

/// An open track a candidate fits, or fits but for one requirement.
pub struct TrackSuggestion(pub Suggestion);

#[Object]
impl TrackSuggestion {
    async fn job_track(&self, ctx: &Context<'_>) -> ApiResult<JobTrack> {
        Ok(JobTrack(load_required(ctx, TrackById(self.0.id)).await?))
    }

    /// As `CandidateSuggestion.score`.
    async fn score(&self) -> i32 {
        i32::try_from(self.0.score).unwrap_or_default()
    }

    async fn met_requirements(&self) -> Vec<String> {
        explanation(&self.0).0
    }

    async fn unmet_requirements(&self) -> Vec<String> {
        explanation(&self.0).1
    }

    async fn near_miss(&self) -> bool {
        !self.0.unmet.is_empty()
    }
}
