//! Loaders for job tracks, candidates and applications. Relations that lead to personal
//! data or to objects the viewer may not see are filtered by the viewer's policy inside
//! the query, so batching never leaks rows.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    admission_step, app_user, application, candidate, candidate_target_group, competence_need,
    consent, employer, employer_contact, job_track, job_track_competence_need,
    job_track_design_member, job_track_employer, job_track_municipality, municipality, outcome,
    track_component,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func},
};

use super::loader::{LoadResult, Loader, children, fail, group, through_link, unscoped};
use crate::domain::pagination::{Direction, Page, PageRequest, fetch_per_parent};
use crate::domain::policy;
use crate::domain::values::{AdmissionStepKind, ApplicationStatus, Gender, TargetGroup};
use crate::domain::views::{
    self, ApplicantView, ApplicationView, CandidateView, ConsentView, OutcomeView, Reader,
    StepView, UserView,
};
use crate::error::Error;

macro_rules! key {
    ($($key:ident),+) => {
        $(
            #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
            pub struct $key(pub i64);
        )+
    };
}

key!(
    MunicipalitiesOfTrack,
    EmployersOfTrack,
    NeedsOfTrack,
    ComponentsOfTrack,
    DesignTeamOfTrack,
    TracksOfEmployer,
    TracksOfNeed,
    StatusCountsOfTrack,
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

impl Loader {
    /// Who reads, for building views; `None` without a signed-in viewer.
    pub(crate) fn reader(&self) -> Result<Reader<'_>, Arc<Error>> {
        match &self.actor {
            Some(actor) => Ok(Reader {
                actor,
                reads: &self.reads,
            }),
            None => Err(Arc::new(Error::Unauthenticated("sign in first".into()))),
        }
    }

    pub(crate) fn scope(&self, scope: fn(&crate::auth::Actor) -> Option<Condition>) -> Condition {
        match &self.actor {
            Some(actor) => scope(actor).unwrap_or_else(Condition::all),
            // No viewer sees nothing (resolvers refuse earlier; this is the backstop).
            None => Condition::all().add(Expr::val(1).eq(0)),
        }
    }

    /// Rows of link table `L` for `keys`, then the targets `T` they point at, grouped.
    fn linked<T, V>(links: Vec<(i64, V)>, targets: &HashMap<V, T>) -> HashMap<i64, Vec<T>>
    where
        V: std::hash::Hash + Eq,
        T: Clone,
    {
        group(
            links
                .into_iter()
                .filter_map(|(k, v)| targets.get(&v).map(|t| (k, t.clone()))),
        )
    }
}

impl LoaderTrait<MunicipalitiesOfTrack> for Loader {
    type Value = Vec<municipality::Model>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[MunicipalitiesOfTrack],
    ) -> LoadResult<MunicipalitiesOfTrack, Self::Value> {
        let links = job_track_municipality::Entity::find()
            .filter(job_track_municipality::Column::JobTrackId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let targets = links
            .iter()
            .filter_map(|l| {
                let m = self.reference.municipalities.get(&l.municipality_code)?;
                Some((m.code.clone(), m.clone()))
            })
            .collect();
        let pairs = links
            .into_iter()
            .map(|l| (l.job_track_id, l.municipality_code))
            .collect();
        let mut grouped = Self::linked(pairs, &targets);
        for v in grouped.values_mut() {
            v.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(grouped
            .into_iter()
            .map(|(k, v)| (MunicipalitiesOfTrack(k), v))
            .collect())
    }
}

through_link!(
    EmployersOfTrack,
    job_track_employer,
    JobTrackId,
    job_track_id,
    employer_id,
    employer,
    |a, b| a.id.cmp(&b.id)
);

through_link!(
    NeedsOfTrack,
    job_track_competence_need,
    JobTrackId,
    job_track_id,
    competence_need_id,
    competence_need,
    |a, b| a.id.cmp(&b.id),
    // An employer user sees only its own employer's needs on a track it shares.
    |l: &Loader| l.scope(crate::domain::policy::need_scope)
);

through_link!(
    DesignTeamOfTrack,
    job_track_design_member,
    JobTrackId,
    job_track_id,
    user_id,
    app_user,
    |a, b| a.name.cmp(&b.name)
);

children!(
    ComponentsOfTrack,
    track_component,
    JobTrackId,
    job_track_id,
    [(Position, Asc)],
    unscoped
);

/// Tracks of employers / needs that the viewer may see.
async fn visible_tracks_linked(
    loader: &Loader,
    links: Vec<(i64, i64)>,
) -> Result<HashMap<i64, Vec<job_track::Model>>, Arc<Error>> {
    let tracks = job_track::Entity::find()
        .filter(job_track::Column::Id.is_in(links.iter().map(|(_, t)| *t)))
        .filter(loader.scope(policy::track_scope))
        .all(&loader.db)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut grouped = Loader::linked(links, &tracks);
    for v in grouped.values_mut() {
        v.sort_by_key(|t| t.id);
    }
    Ok(grouped)
}

impl LoaderTrait<TracksOfEmployer> for Loader {
    type Value = Vec<job_track::Model>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[TracksOfEmployer]) -> LoadResult<TracksOfEmployer, Self::Value> {
        let links = job_track_employer::Entity::find()
            .filter(job_track_employer::Column::EmployerId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|l| (l.employer_id, l.job_track_id))
            .collect();
        Ok(visible_tracks_linked(self, links)
            .await?
            .into_iter()
            .map(|(k, v)| (TracksOfEmployer(k), v))
            .collect())
    }
}

impl LoaderTrait<TracksOfNeed> for Loader {
    type Value = Vec<job_track::Model>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[TracksOfNeed]) -> LoadResult<TracksOfNeed, Self::Value> {
        let links = job_track_competence_need::Entity::find()
            .filter(
                job_track_competence_need::Column::CompetenceNeedId.is_in(keys.iter().map(|k| k.0)),
            )
            .all(&self.db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|l| (l.competence_need_id, l.job_track_id))
            .collect();
        Ok(visible_tracks_linked(self, links)
            .await?
            .into_iter()
            .map(|(k, v)| (TracksOfNeed(k), v))
            .collect())
    }
}

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

/// One page of a track's applications that the viewer may see, oldest first: keyed by
/// the track and the page asked for, so a list of tracks loads every track's page in
/// one statement (plus one for the totals) and only the rows shown are read.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct ApplicationsOfTrack {
    pub track: i64,
    pub first: u64,
    pub after: Option<i64>,
    pub statuses: Vec<ApplicationStatus>,
}

impl LoaderTrait<ApplicationsOfTrack> for Loader {
    type Value = Page<ApplicationView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[ApplicationsOfTrack],
    ) -> LoadResult<ApplicationsOfTrack, Self::Value> {
        let reader = self.reader()?;
        let mut groups: HashMap<(u64, Option<i64>, Vec<ApplicationStatus>), Vec<i64>> =
            HashMap::new();
        for key in keys {
            groups
                .entry((key.first, key.after, key.statuses.clone()))
                .or_default()
                .push(key.track);
        }
        let mut found = HashMap::new();
        for ((first, after, statuses), tracks) in groups {
            let mut select =
                application::Entity::find().filter(self.scope(policy::application_scope));
            if !statuses.is_empty() {
                select = select
                    .filter(application::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
            }
            let pages = fetch_per_parent(
                &self.db,
                select,
                (application::Column::JobTrackId, |a: &application::Model| {
                    a.job_track_id
                }),
                application::Column::Id,
                &tracks,
                PageRequest { first, after },
                Direction::Ascending,
            )
            .await
            .map_err(Arc::new)?;
            for (track, page) in pages {
                let page = page
                    .try_map(|a| ApplicationView::build(a, reader))
                    .map_err(Arc::new)?;
                let key = ApplicationsOfTrack {
                    track,
                    first,
                    after,
                    statuses: statuses.clone(),
                };
                found.insert(key, page);
            }
        }
        Ok(found)
    }
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

/// Counts of a track's applications per status and gender, of the applications
/// `policy::track_count_scope` lets the viewer count.
impl LoaderTrait<StatusCountsOfTrack> for Loader {
    type Value = Vec<(ApplicationStatus, Gender, i64)>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[StatusCountsOfTrack],
    ) -> LoadResult<StatusCountsOfTrack, Self::Value> {
        let rows: Vec<(i64, String, String, i64)> = application::Entity::find()
            .select_only()
            .column(application::Column::JobTrackId)
            .column(application::Column::Status)
            .column_as(
                Expr::col((candidate::Entity, candidate::Column::Gender)),
                "gender",
            )
            .column_as(
                Expr::from(Func::count(Expr::col((
                    application::Entity,
                    application::Column::Id,
                )))),
                "n",
            )
            .inner_join(candidate::Entity)
            .filter(application::Column::JobTrackId.is_in(keys.iter().map(|k| k.0)))
            .filter(self.scope(policy::track_count_scope))
            .group_by(application::Column::JobTrackId)
            .group_by(application::Column::Status)
            .group_by(Expr::col((candidate::Entity, candidate::Column::Gender)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut parsed = Vec::new();
        for (track, status, gender, n) in rows {
            parsed.push((
                track,
                (
                    ApplicationStatus::from_db(&status).map_err(Arc::new)?,
                    Gender::from_db(&gender).map_err(Arc::new)?,
                    n,
                ),
            ));
        }
        Ok(group(parsed)
            .into_iter()
            .map(|(k, v)| (StatusCountsOfTrack(k), v))
            .collect())
    }
}

/// A candidate whose personal data the viewer may read; absent otherwise.
impl LoaderTrait<CandidateById> for Loader {
    type Value = CandidateView;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[CandidateById]) -> LoadResult<CandidateById, Self::Value> {
        let reader = self.reader()?;
        let rows = candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(self.scope(policy::candidate_scope))
            .all(&self.db)
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
        let rows = candidate::Entity::find()
            .filter(candidate::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(candidate::Column::Id.in_subquery(applied))
            .all(&self.db)
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
            pairs.push((
                row.candidate_id,
                TargetGroup::from_db(&row.target_group).map_err(Arc::new)?,
            ));
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
        let rows = admission_step::Entity::find()
            .filter(admission_step::Column::ApplicationId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(admission_step::Column::Id)
            .all(&self.db)
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

key!(ContactsOfEmployer);

// All contacts with an employer, newest first. Reached only through an employer the
// viewer may see, and refused to employer users by the field itself.
children!(
    ContactsOfEmployer,
    employer_contact,
    EmployerId,
    employer_id,
    [(OccurredAt, Desc), (Id, Desc)],
    unscoped
);
