//! Job tracks (lokala jobbspår): designed by the working group with employers, within one
//! agreement, with an ordered chain of components. Changes are optimistic: every change
//! bumps `version`, and a stale `expectedVersion` is CONFLICT.

use crate::db::{Db, Tx};
use chrono::{NaiveDate, Utc};
use jobtrack_entity::{
    application, competence_need, job_track, job_track_competence_need, job_track_municipality,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::Expr,
};

use super::needs::Requirements;
use super::values::{
    ApplicationStatus, CompetenceNeedStatus, ComponentKind, JobTrackStatus, Programme, TargetGroup,
};
use super::{NAME_MAX, TEXT_MAX, optional_text, policy, reference, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

mod checks;
pub mod escalation;
mod read;
pub mod review;
mod status;

use checks::{
    agreement_municipalities, check_agreement, check_dates, check_design_team, check_employers,
    check_seats, component_rows, eligibility_columns, replace_components, replace_design_team,
    replace_employers, sorted_unique,
};
pub use read::{TrackFilter, tracks, visible_track};
pub use status::change_status;

#[derive(Clone)]
pub struct NewComponent {
    pub kind: ComponentKind,
    pub title: String,
    pub provider: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub hours_per_week: Option<i32>,
}

#[derive(Default)]
pub struct Eligibility {
    pub programmes: Vec<Programme>,
    pub target_groups: Vec<TargetGroup>,
    pub requirements: Requirements,
}

pub struct NewTrack {
    pub title: String,
    pub description: Option<String>,
    pub ssyk_code: String,
    pub agreement_id: i64,
    pub municipality_codes: Vec<String>,
    pub employer_ids: Vec<i64>,
    pub competence_need_ids: Vec<i64>,
    pub seats: i32,
    pub application_deadline: Option<NaiveDate>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub eligibility: Option<Eligibility>,
    pub components: Vec<NewComponent>,
    pub design_team_user_ids: Vec<i64>,
}

#[derive(Default)]
pub struct TrackChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub seats: Option<i32>,
    pub application_deadline: Option<NaiveDate>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub eligibility: Option<Eligibility>,
    pub components: Option<Vec<NewComponent>>,
    pub employer_ids: Option<Vec<i64>>,
    pub design_team_user_ids: Option<Vec<i64>>,
}

/// Statuses an application holds a seat in.
pub const SEAT_HOLDING: &[ApplicationStatus] = &[
    ApplicationStatus::Admitted,
    ApplicationStatus::Started,
    ApplicationStatus::Completed,
];

/// Statuses that are not exits.
pub const ACTIVE: &[ApplicationStatus] = &[
    ApplicationStatus::Nominated,
    ApplicationStatus::Invited,
    ApplicationStatus::Applied,
    ApplicationStatus::InTrial,
    ApplicationStatus::Admitted,
    ApplicationStatus::Started,
    ApplicationStatus::Completed,
];

pub async fn create_track(db: &Db, actor: &Actor, input: NewTrack) -> Result<job_track::Model> {
    policy::require(policy::may_design_tracks(actor))?;
    check_agreement(db, actor, input.agreement_id)
        .await
        .map_err(|_out_of_scope| {
            Error::bad_input("agreementId", "no such agreement of your organisation")
        })?;
    let title = required_text("title", &input.title, NAME_MAX)?;
    let description = optional_text("description", input.description.as_deref(), TEXT_MAX)?;
    let ssyk_code = reference::ssyk_code(db, "ssykCode", &input.ssyk_code).await?;
    check_seats(input.seats)?;
    check_dates(input.application_deadline, input.start_date, input.end_date)?;
    let agreement_codes = agreement_municipalities(db, input.agreement_id).await?;
    let codes = sorted_unique(
        &input
            .municipality_codes
            .iter()
            .map(|c| c.trim().to_owned())
            .collect::<Vec<_>>(),
    );
    if codes.is_empty() {
        return Err(Error::bad_input(
            "municipalityCodes",
            "a track recruits from at least one municipality",
        ));
    }
    if let Some(code) = codes.iter().find(|c| !agreement_codes.contains(c)) {
        return Err(Error::bad_input(
            "municipalityCodes",
            format!("{code} is not a municipality of the agreement"),
        ));
    }
    let employer_ids = check_employers(db, &input.employer_ids, &agreement_codes).await?;
    let need_ids = sorted_unique(&input.competence_need_ids);
    let needs = competence_need::Entity::find()
        .filter(competence_need::Column::Id.is_in(need_ids.clone()))
        .all(db)
        .await?;
    if needs.len() != need_ids.len() {
        return Err(Error::bad_input(
            "competenceNeedIds",
            "names a competence need that does not exist",
        ));
    }
    if needs.iter().any(|n| !employer_ids.contains(&n.employer_id)) {
        return Err(Error::bad_input(
            "competenceNeedIds",
            "every need must belong to one of the track's employers",
        ));
    }
    if needs.iter().any(|n| {
        n.status == CompetenceNeedStatus::Withdrawn || n.status == CompetenceNeedStatus::Filled
    }) {
        return Err(Error::bad_input(
            "competenceNeedIds",
            "a withdrawn or filled need cannot be answered by a track",
        ));
    }
    let design_team = check_design_team(db, &input.design_team_user_ids).await?;
    component_rows(&input.components)?;

    let now = Utc::now();
    let mut row = job_track::ActiveModel {
        search_title: Set(title.to_lowercase()),
        title: Set(title),
        description: Set(description),
        ssyk_code: Set(ssyk_code),
        agreement_id: Set(input.agreement_id),
        seats: Set(input.seats),
        status: Set(JobTrackStatus::Draft),
        version: Set(1),
        application_deadline: Set(input.application_deadline),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        escalated_at: Set(None),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    eligibility_columns(&input.eligibility.unwrap_or_default(), &mut row)?;

    let tx = db.begin_write().await?;
    let track = job_track::Entity::insert(row)
        .exec_with_returning(&tx)
        .await?;
    job_track_municipality::Entity::insert_many(codes.into_iter().map(|code| {
        job_track_municipality::ActiveModel {
            job_track_id: Set(track.id),
            municipality_code: Set(code),
        }
    }))
    .exec_without_returning(&tx)
    .await?;
    replace_employers(&tx, track.id, &employer_ids).await?;
    replace_design_team(&tx, track.id, &design_team).await?;
    replace_components(&tx, track.id, &input.components).await?;
    if !need_ids.is_empty() {
        job_track_competence_need::Entity::insert_many(need_ids.iter().map(|id| {
            job_track_competence_need::ActiveModel {
                job_track_id: Set(track.id),
                competence_need_id: Set(*id),
            }
        }))
        .exec_without_returning(&tx)
        .await?;
        // A need answered by a track is in a track.
        competence_need::Entity::update_many()
            .col_expr(
                competence_need::Column::Status,
                Expr::value(CompetenceNeedStatus::InTrack),
            )
            .col_expr(competence_need::Column::UpdatedAt, Expr::value(now))
            .filter(competence_need::Column::Id.is_in(need_ids))
            .filter(competence_need::Column::Status.eq(CompetenceNeedStatus::Open))
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(track)
}

/// Locks the track row for the rest of the transaction (a no-op on SQLite, whose write
/// transactions are already exclusive) and checks that the actor may manage it.
pub async fn lock_track(tx: &Tx, actor: &Actor, id: i64) -> Result<job_track::Model> {
    policy::scoped(
        job_track::Entity::find_by_id(id),
        policy::track_scope(actor),
    )
    .lock_exclusive()
    .one(tx)
    .await?
    .ok_or(Error::NotFound)
}

fn stale(expected: i32, track: &job_track::Model) -> Result<()> {
    if track.version == expected {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "the track was changed meanwhile (version {} is current, not {expected})",
            track.version
        )))
    }
}

/// Bumps the version, conditional on the expected one: exactly one of two concurrent
/// edits with the same `expectedVersion` wins, on both databases.
async fn bump(
    tx: &Tx,
    track: &job_track::Model,
    mut row: job_track::ActiveModel,
) -> Result<job_track::Model> {
    row.version = Set(track.version + 1);
    row.updated_at = Set(Utc::now());
    let result = job_track::Entity::update_many()
        .set(row)
        .filter(job_track::Column::Id.eq(track.id))
        .filter(job_track::Column::Version.eq(track.version))
        .exec(tx)
        .await?;
    if result.rows_affected != 1 {
        return Err(Error::Conflict("the track was changed meanwhile".into()));
    }
    job_track::Entity::find_by_id(track.id)
        .one(tx)
        .await?
        .ok_or(Error::NotFound)
}

pub async fn update_track(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    changes: TrackChanges,
) -> Result<job_track::Model> {
    policy::require(policy::may_design_tracks(actor))?;
    let tx = db.begin_write().await?;
    let track = lock_track(&tx, actor, id).await?;
    stale(expected_version, &track)?;
    let status = track.status;
    if matches!(
        status,
        JobTrackStatus::Completed | JobTrackStatus::Cancelled
    ) {
        return Err(Error::InvalidState(format!(
            "a {} track cannot be changed",
            status.as_str()
        )));
    }
    let mut row = job_track::ActiveModel::default();
    if let Some(title) = &changes.title {
        let title = required_text("title", title, NAME_MAX)?;
        row.search_title = Set(title.to_lowercase());
        row.title = Set(title);
    }
    if let Some(description) = &changes.description {
        row.description = Set(optional_text("description", Some(description), TEXT_MAX)?);
    }
    if let Some(seats) = changes.seats {
        check_seats(seats)?;
        let holding = application::Entity::find()
            .filter(application::Column::JobTrackId.eq(id))
            .filter(application::Column::Status.is_in(SEAT_HOLDING.iter().copied()))
            .count(&tx)
            .await?;
        if u64::try_from(seats).unwrap_or(0) < holding {
            return Err(Error::bad_input(
                "seats",
                format!("{holding} participants already hold seats"),
            ));
        }
        row.seats = Set(seats);
    }
    let deadline = changes.application_deadline.or(track.application_deadline);
    let start = changes.start_date.or(track.start_date);
    let end = changes.end_date.or(track.end_date);
    check_dates(deadline, start, end)?;
    row.application_deadline = Set(deadline);
    row.start_date = Set(start);
    row.end_date = Set(end);
    if let Some(eligibility) = &changes.eligibility {
        eligibility_columns(eligibility, &mut row)?;
    }
    if let Some(ids) = &changes.employer_ids {
        let codes = agreement_municipalities(&tx, track.agreement_id).await?;
        let ids = check_employers(&tx, ids, &codes).await?;
        replace_employers(&tx, id, &ids).await?;
    }
    if let Some(ids) = &changes.design_team_user_ids {
        let ids = check_design_team(&tx, ids).await?;
        replace_design_team(&tx, id, &ids).await?;
    }
    if let Some(components) = &changes.components {
        replace_components(&tx, id, components).await?;
    }
    let updated = bump(&tx, &track, row).await?;
    tx.commit().await?;
    Ok(updated)
}
