//! Reading tracks: the list the viewer may see, filtered and paged, and one by id.

use jobtrack_entity::{
    escalation_acknowledgement, job_track, job_track_design_member, job_track_employer,
    job_track_municipality,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::auth::Actor;
use crate::domain::pagination::{Direction, Page, PageRequest, fetch};
use crate::domain::values::JobTrackStatus;
use crate::domain::{contains_folded, policy};
use crate::error::{Error, Result};

#[derive(Default)]
pub struct TrackFilter {
    pub statuses: Vec<JobTrackStatus>,
    pub agreement_id: Option<i64>,
    pub municipality_code: Option<String>,
    pub ssyk_code: Option<String>,
    pub employer_id: Option<i64>,
    pub search: Option<String>,
    pub design_team_member: Option<i64>,
    pub escalated: Option<bool>,
    pub escalation_acknowledged: Option<bool>,
}

pub async fn tracks(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: TrackFilter,
    page: PageRequest,
) -> Result<Page<job_track::Model>> {
    use sea_orm::sea_query::Query;
    let mut condition = Condition::all();
    if !filter.statuses.is_empty() {
        condition = condition.add(job_track::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(id) = filter.agreement_id {
        condition = condition.add(job_track::Column::AgreementId.eq(id));
    }
    if let Some(code) = filter.municipality_code {
        let tracks = Query::select()
            .column(job_track_municipality::Column::JobTrackId)
            .from(job_track_municipality::Entity)
            .and_where(job_track_municipality::Column::MunicipalityCode.eq(code.trim()))
            .to_owned();
        condition = condition.add(job_track::Column::Id.in_subquery(tracks));
    }
    if let Some(code) = filter.ssyk_code {
        condition = condition.add(job_track::Column::SsykCode.eq(code.trim()));
    }
    if let Some(employer_id) = filter.employer_id {
        let tracks = Query::select()
            .column(job_track_employer::Column::JobTrackId)
            .from(job_track_employer::Entity)
            .and_where(job_track_employer::Column::EmployerId.eq(employer_id))
            .to_owned();
        condition = condition.add(job_track::Column::Id.in_subquery(tracks));
    }
    if let Some(user_id) = filter.design_team_member {
        let tracks = Query::select()
            .column(job_track_design_member::Column::JobTrackId)
            .from(job_track_design_member::Entity)
            .and_where(job_track_design_member::Column::UserId.eq(user_id))
            .to_owned();
        condition = condition.add(job_track::Column::Id.in_subquery(tracks));
    }
    match filter.escalated {
        Some(true) => condition = condition.add(job_track::Column::EscalatedAt.is_not_null()),
        Some(false) => condition = condition.add(job_track::Column::EscalatedAt.is_null()),
        None => {}
    }
    if let Some(acknowledged) = filter.escalation_acknowledged {
        let tracks = Query::select()
            .column(escalation_acknowledgement::Column::JobTrackId)
            .from(escalation_acknowledgement::Entity)
            .to_owned();
        condition = condition.add(if acknowledged {
            job_track::Column::Id.in_subquery(tracks)
        } else {
            job_track::Column::Id.not_in_subquery(tracks)
        });
    }
    if let Some(search) = filter
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
    {
        condition = condition.add(contains_folded(job_track::Column::SearchTitle, &search));
    }
    let select = policy::scoped(
        job_track::Entity::find().filter(condition),
        policy::track_scope(actor),
    );
    fetch(
        db,
        select,
        job_track::Column::Id,
        page,
        Direction::Ascending,
    )
    .await
}

pub async fn visible_track(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<job_track::Model> {
    policy::scoped(
        job_track::Entity::find_by_id(id),
        policy::track_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}
