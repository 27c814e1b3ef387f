//! Loaders of personal data: candidates, applicants, target groups, consents, a
//! candidate's applications, admission steps, outcomes and users — each returns the
//! domain's views, which record the reads.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    admission_step, app_user, application, candidate, candidate_target_group, consent, follow_up,
    outcome,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{LoadResult, Loader, fail, group};
use crate::domain::policy;
use crate::domain::values::{AdmissionStepKind, TargetGroup};
use crate::domain::views::{
    self, ApplicantView, ApplicationView, CandidateView, ConsentView, FollowUpView, OutcomeView,
    StepView, UserView,
};
use crate::error::Error;

key!(
    CandidateById,
    ApplicantById,
    TargetGroupsOfCandidate,
    ConsentsOfCandidate,
    ApplicationsOfCandidate
);

/// An application's steps or outcome: keyed by the application and its candidate, whose
/// reads the views record. Built only from an application view the viewer was given.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct StepsOfApplication(pub i64, pub i64);
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct OutcomeOfApplication(pub i64, pub i64);
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct FollowUpsOfApplication(pub i64, pub i64);

/// The applications of the tracks or candidates in `parents` that the viewer may see,
/// oldest first, as views.
async fn visible_applications(
    loader: &Loader,
    parent: application::Column,
    parents: impl IntoIterator<Item = i64>,
    key: fn(&application::Model) -> i64,
) -> Result<HashMap<i64, Vec<ApplicationView>>, Arc<Error>> {
    let reader = loader.reader()?;
    let rows = application::Entity::find()
        .filter(parent.is_in(parents))
        .filter(loader.scope(policy::application_scope))
        .order_by_asc(application::Column::Id)
        .all(&loader.db)
        .await
        .map_err(fail)?;
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let parent = key(&row);
        views.push((
            parent,
            ApplicationView::build(row, reader).map_err(Arc::new)?,
        ));
    }
    Ok(group(views))
}

impl LoaderTrait<ApplicationsOfCandidate> for Loader {
    type Value = Vec<ApplicationView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[ApplicationsOfCandidate],
    ) -> LoadResult<ApplicationsOfCandidate, Self::Value> {
        let found = visible_applications(
            self,
            application::Column::CandidateId,
            keys.iter().map(|k| k.0),
            |a| a.candidate_id,
        )
        .await?;
        Ok(found
            .into_iter()
            .map(|(k, v)| (ApplicationsOfCandidate(k), v))
            .collect())
    }
}

/// A candidate whose personal data the viewer may read; absent otherwise.
impl LoaderTrait<CandidateById> for Loader {
    type Value = CandidateView;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[CandidateById]) -> LoadResult<CandidateById, Self::Value> {
        let reader = self.reader()?;
        let select = candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(self.scope(policy::candidate_scope));
        let rows = crate::db::all_by_position(select, &self.db)
            .await
            .map_err(fail)?;
        rows.into_iter()
            .map(|c| Ok((CandidateById(c.id), CandidateView::build(c, reader)?)))
            .collect::<Result<_, Error>>()
            .map_err(Arc::new)
    }
}

/// A candidate as an applicant, for employer users: only candidates with an application
/// the viewer may see as an employer.
impl LoaderTrait<ApplicantById> for Loader {
    type Value = ApplicantView;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[ApplicantById]) -> LoadResult<ApplicantById, Self::Value> {
        let reader = self.reader()?;
        let applied = sea_orm::sea_query::Query::select()
            .column(application::Column::CandidateId)
            .from(application::Entity)
            .cond_where(self.scope(policy::application_scope))
            .to_owned();
        let select = candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(candidate::Column::Id.in_subquery(applied));
        let rows = crate::db::all_by_position(select, &self.db)
            .await
            .map_err(fail)?;
        rows.into_iter()
            .map(|c| Ok((ApplicantById(c.id), ApplicantView::build(c, reader)?)))
            .collect::<Result<_, Error>>()
            .map_err(Arc::new)
    }
}

/// Target groups of candidates reached through a candidate view.
impl LoaderTrait<TargetGroupsOfCandidate> for Loader {
    type Value = Vec<TargetGroup>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[TargetGroupsOfCandidate],
    ) -> LoadResult<TargetGroupsOfCandidate, Self::Value> {
        let reader = self.reader()?;
        let rows = candidate_target_group::Entity::find()
            .filter(candidate_target_group::Column::CandidateId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut pairs = Vec::new();
        for row in rows {
            pairs.push((row.candidate_id, row.target_group));
        }
        let mut grouped = group(pairs);
        for v in grouped.values_mut() {
            v.sort_unstable();
        }
        Ok(grouped
            .into_iter()
            .map(|(k, v)| {
                (
                    TargetGroupsOfCandidate(k),
                    views::target_groups(k, v, reader),
                )
            })
            .collect())
    }
}

/// Consent history of candidates reached through a candidate view, oldest first.
impl LoaderTrait<ConsentsOfCandidate> for Loader {
    type Value = Vec<ConsentView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[ConsentsOfCandidate],
    ) -> LoadResult<ConsentsOfCandidate, Self::Value> {
        let reader = self.reader()?;
        let rows = consent::Entity::find()
            .filter(consent::Column::CandidateId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(consent::Column::Id)
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let candidate = row.candidate_id;
            views.push((
                candidate,
                ConsentView::build(&row, reader).map_err(Arc::new)?,
            ));
        }
        Ok(group(views)
            .into_iter()
            .map(|(k, v)| (ConsentsOfCandidate(k), v))
            .collect())
    }
}

impl LoaderTrait<StepsOfApplication> for Loader {
    type Value = Vec<StepView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[StepsOfApplication],
    ) -> LoadResult<StepsOfApplication, Self::Value> {
        let reader = self.reader()?;
        let candidates: HashMap<i64, i64> = keys.iter().map(|k| (k.0, k.1)).collect();
        let select = admission_step::Entity::find()
            .filter(admission_step::Column::ApplicationId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(admission_step::Column::Id);
        let rows = crate::db::all_by_position(select, &self.db)
            .await
            .map_err(fail)?;
        let mut grouped: HashMap<StepsOfApplication, Vec<StepView>> = HashMap::new();
        for row in rows {
            let Some(&candidate) = candidates.get(&row.application_id) else {
                continue;
            };
            let key = StepsOfApplication(row.application_id, candidate);
            let view = StepView::build(row, candidate, reader).map_err(Arc::new)?;
            grouped.entry(key).or_default().push(view);
        }
        // In the order of the process, not of recording.
        let order = [
            AdmissionStepKind::InfoMeeting,
            AdmissionStepKind::Application,
            AdmissionStepKind::TrialPlacement,
            AdmissionStepKind::Decision,
        ];
        for v in grouped.values_mut() {
            v.sort_by_key(|s| order.iter().position(|k| *k == s.kind));
        }
        Ok(grouped)
    }
}

impl LoaderTrait<FollowUpsOfApplication> for Loader {
    type Value = Vec<FollowUpView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[FollowUpsOfApplication],
    ) -> LoadResult<FollowUpsOfApplication, Self::Value> {
        let reader = self.reader()?;
        let candidates: HashMap<i64, i64> = keys.iter().map(|k| (k.0, k.1)).collect();
        let rows = follow_up::Entity::find()
            .filter(follow_up::Column::ApplicationId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(follow_up::Column::Day)
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut found: HashMap<FollowUpsOfApplication, Vec<FollowUpView>> = HashMap::new();
        for row in rows {
            let Some(&candidate) = candidates.get(&row.application_id) else {
                continue;
            };
            if let Some(view) = FollowUpView::build(&row, candidate, reader).map_err(Arc::new)? {
                found
                    .entry(FollowUpsOfApplication(row.application_id, candidate))
                    .or_default()
                    .push(view);
            }
        }
        Ok(found)
    }
}

impl LoaderTrait<OutcomeOfApplication> for Loader {
    type Value = OutcomeView;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[OutcomeOfApplication],
    ) -> LoadResult<OutcomeOfApplication, Self::Value> {
        let reader = self.reader()?;
        let candidates: HashMap<i64, i64> = keys.iter().map(|k| (k.0, k.1)).collect();
        let rows = outcome::Entity::find()
            .filter(outcome::Column::ApplicationId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut found = HashMap::new();
        for row in rows {
            let Some(&candidate) = candidates.get(&row.application_id) else {
                continue;
            };
            let key = OutcomeOfApplication(row.application_id, candidate);
            if let Some(view) = OutcomeView::build(&row, candidate, reader).map_err(Arc::new)? {
                found.insert(key, view);
            }
        }
        Ok(found)
    }
}

/// Users by id, as the viewer may see them.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct UserById(pub i64);

impl LoaderTrait<UserById> for Loader {
    type Value = UserView;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[UserById]) -> LoadResult<UserById, Self::Value> {
        let reader = self.reader()?;
        let rows = app_user::Entity::find()
            .filter(app_user::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        Ok(rows
            .into_iter()
            .map(|u| (UserById(u.id), UserView::build(u, reader.actor)))
            .collect())
    }
}
