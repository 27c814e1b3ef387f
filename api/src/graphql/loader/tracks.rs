//! Loaders of what hangs off a job track: municipalities, employers, needs, components,
//! design team, a page of its applications and its counts.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    app_user, application, application_stage, candidate, competence_need, employer, job_track,
    job_track_competence_need, job_track_design_member, job_track_employer, job_track_municipality,
    municipality, track_component,
};
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait,
    sea_query::{Expr, Func},
};

use super::{ChildPage, LoadResult, Loader, child_pages, fail, group, unscoped};
use crate::domain::pagination::Page;
use crate::domain::policy;
use crate::domain::values::{ApplicationStatus, Gender, Stage};
use crate::domain::views::ApplicationView;
use crate::error::Error;

key!(
    MunicipalitiesOfTrack,
    EmployersOfTrack,
    NeedsOfTrack,
    ComponentsOfTrack,
    DesignTeamOfTrack,
    TracksOfNeed,
    StatusCountsOfTrack,
    StageCountsOfTrack
);

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
    EmployerId,
    employer,
    |a, b| a.id.cmp(&b.id)
);

through_link!(
    NeedsOfTrack,
    job_track_competence_need,
    JobTrackId,
    CompetenceNeedId,
    competence_need,
    |a, b| a.id.cmp(&b.id),
    // An employer user sees only its own employer's needs on a track it shares.
    |l: &Loader| l.scope(crate::domain::policy::need_scope)
);

through_link!(
    DesignTeamOfTrack,
    job_track_design_member,
    JobTrackId,
    UserId,
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

/// One page of the tracks of an employer that the viewer may see, oldest first: the
/// page is cut from the employer's links to visible tracks (the cursor is the track's
/// id), then the page's tracks are read — three statements for any number of employers.
pub type TracksOfEmployer = ChildPage<job_track::Entity>;

impl LoaderTrait<TracksOfEmployer> for Loader {
    type Value = Page<job_track::Model>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[TracksOfEmployer]) -> LoadResult<TracksOfEmployer, Self::Value> {
        let visible = job_track::Entity::find()
            .select_only()
            .column(job_track::Column::Id)
            .filter(self.scope(policy::track_scope))
            .into_query();
        let link_pages = child_pages(
            &self.db,
            keys,
            |_| {
                job_track_employer::Entity::find()
                    .filter(job_track_employer::Column::JobTrackId.in_subquery(visible.clone()))
            },
            (
                job_track_employer::Column::EmployerId,
                |l: &job_track_employer::Model| l.employer_id,
            ),
            &[(job_track_employer::Column::JobTrackId, sea_orm::Order::Asc)],
        )
        .await?;
        let tracks: HashMap<i64, job_track::Model> = job_track::Entity::find()
            .filter(
                job_track::Column::Id.is_in(
                    link_pages
                        .values()
                        .flat_map(|page| page.items.iter().map(|l| l.job_track_id)),
                ),
            )
            .all(&self.db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        Ok(link_pages
            .into_iter()
            .map(|(key, links)| {
                let items = links
                    .items
                    .iter()
                    .filter_map(|l| tracks.get(&l.job_track_id).cloned())
                    .collect();
                let page = Page {
                    items,
                    has_next: links.has_next,
                    has_previous: links.has_previous,
                    total: links.total,
                };
                (key, page)
            })
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

/// One page of a track's applications that the viewer may see, oldest first: a list of
/// tracks loads every track's page in two statements, and only the rows shown are
/// read (built as views).
pub type ApplicationsOfTrack = ChildPage<application::Entity, ApplicationStatus>;

impl LoaderTrait<ApplicationsOfTrack> for Loader {
    type Value = Page<ApplicationView>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[ApplicationsOfTrack],
    ) -> LoadResult<ApplicationsOfTrack, Self::Value> {
        let reader = self.reader()?;
        let pages = child_pages(
            &self.db,
            keys,
            |statuses| {
                let mut select =
                    application::Entity::find().filter(self.scope(policy::application_scope));
                if !statuses.is_empty() {
                    select =
                        select.filter(application::Column::Status.is_in(statuses.iter().copied()));
                }
                select
            },
            (application::Column::JobTrackId, |a: &application::Model| {
                a.job_track_id
            }),
            &[(application::Column::Id, sea_orm::Order::Asc)],
        )
        .await?;
        pages
            .into_iter()
            .map(|(key, page)| Ok((key, page.try_map(|a| ApplicationView::build(a, reader))?)))
            .collect::<Result<_, Error>>()
            .map_err(Arc::new)
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
        let rows: Vec<(i64, ApplicationStatus, Gender, i64)> = application::Entity::find()
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
        let rows = rows
            .into_iter()
            .map(|(track, status, gender, n)| (track, (status, gender, n)));
        Ok(group(rows)
            .into_iter()
            .map(|(k, v)| (StatusCountsOfTrack(k), v))
            .collect())
    }
}

/// How many of the track's applications (those the viewer may count) reached each stage,
/// by gender: the funnel, from the applications' history.
impl LoaderTrait<StageCountsOfTrack> for Loader {
    type Value = Vec<(Stage, Gender, i64)>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[StageCountsOfTrack],
    ) -> LoadResult<StageCountsOfTrack, Self::Value> {
        let rows: Vec<(i64, Stage, Gender, i64)> = application_stage::Entity::find()
            .select_only()
            .column_as(
                Expr::col((application::Entity, application::Column::JobTrackId)),
                "job_track_id",
            )
            .column(application_stage::Column::Stage)
            .column_as(
                Expr::col((candidate::Entity, candidate::Column::Gender)),
                "gender",
            )
            .column_as(
                Expr::from(Func::count(Expr::col((
                    application_stage::Entity,
                    application_stage::Column::ApplicationId,
                )))),
                "n",
            )
            .inner_join(application::Entity)
            .join(
                sea_orm::JoinType::InnerJoin,
                application::Relation::Candidate.def(),
            )
            .filter(application::Column::JobTrackId.is_in(keys.iter().map(|k| k.0)))
            .filter(self.scope(policy::track_count_scope))
            .group_by(application::Column::JobTrackId)
            .group_by(application_stage::Column::Stage)
            .group_by(Expr::col((candidate::Entity, candidate::Column::Gender)))
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(fail)?;
        let rows = rows
            .into_iter()
            .map(|(track, stage, gender, n)| (track, (stage, gender, n)));
        Ok(group(rows)
            .into_iter()
            .map(|(k, v)| (StageCountsOfTrack(k), v))
            .collect())
    }
}
