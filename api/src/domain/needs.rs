//! Competence needs that employers post, alone or with an adviser.

use crate::db::Db;
use chrono::{NaiveDate, Utc};
use jobtrack_entity::competence_need;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::pagination::{Direction, Page, PageRequest, fetch};
use super::values::{CompetenceNeedStatus, EducationLevel, SwedishLevel};
use super::{NAME_MAX, TEXT_MAX, employers, optional_text, policy, reference, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

#[derive(Clone, Debug, Default)]
pub struct Requirements {
    pub driving_licence: bool,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
    pub other: Option<String>,
}

pub struct NewNeed {
    pub employer_id: Option<i64>,
    pub ssyk_code: String,
    pub title: String,
    pub description: Option<String>,
    pub positions: i32,
    pub requirements: Requirements,
    pub earliest_start: Option<NaiveDate>,
}

pub async fn post_need(db: &Db, actor: &Actor, input: NewNeed) -> Result<competence_need::Model> {
    policy::require(policy::may_post_needs(actor))?;
    // EMPLOYER users may leave out their own employer; staff name the employer.
    let employer_id = match (input.employer_id, policy::sees_as_employer(actor)) {
        (Some(id), _) => id,
        (None, true) => actor.employer_id.ok_or(Error::Forbidden)?,
        (None, false) => return Err(Error::bad_input("employerId", "is required")),
    };
    policy::require(policy::may_post_need_for(actor, employer_id))?;
    let employer = employers::visible_employer(db, actor, employer_id).await?;
    let ssyk_code = reference::ssyk_code(db, "ssykCode", &input.ssyk_code).await?;
    let title = required_text("title", &input.title, NAME_MAX)?;
    let description = optional_text("description", input.description.as_deref(), TEXT_MAX)?;
    let positions = checked_positions(input.positions)?;
    let other = optional_text(
        "requirements.other",
        input.requirements.other.as_deref(),
        TEXT_MAX,
    )?;
    let now = Utc::now();
    let row = competence_need::ActiveModel {
        employer_id: Set(employer.id),
        ssyk_code: Set(ssyk_code),
        title: Set(title),
        description: Set(description),
        positions: Set(positions),
        driving_licence: Set(input.requirements.driving_licence),
        minimum_swedish_level: Set(input.requirements.minimum_swedish_level),
        minimum_education: Set(input.requirements.minimum_education),
        other_requirements: Set(other),
        earliest_start: Set(input.earliest_start),
        status: Set(CompetenceNeedStatus::Open),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(competence_need::Entity::insert(row)
        .exec_with_returning(db)
        .await?)
}

pub async fn withdraw_need(db: &Db, actor: &Actor, id: i64) -> Result<competence_need::Model> {
    let need = open_need(db, actor, id, "withdrawn").await?;
    let row = competence_need::ActiveModel {
        status: Set(CompetenceNeedStatus::Withdrawn),
        ..Default::default()
    };
    save_open_need(db, &need, row).await
}

/// How many people a need asks for: 1 to 1000.
fn checked_positions(positions: i32) -> Result<i32> {
    if (1..=1000).contains(&positions) {
        Ok(positions)
    } else {
        Err(Error::bad_input("positions", "must be between 1 and 1000"))
    }
}

/// A need the actor may change (whoever may post it), still OPEN or IN_TRACK; otherwise
/// INVALID_STATE saying it cannot be `done`.
async fn open_need(db: &Db, actor: &Actor, id: i64, done: &str) -> Result<competence_need::Model> {
    policy::require(policy::may_post_needs(actor))?;
    let need = visible_need(db, actor, id).await?;
    policy::require(policy::may_post_need_for(actor, need.employer_id))?;
    if !matches!(
        need.status,
        CompetenceNeedStatus::Open | CompetenceNeedStatus::InTrack
    ) {
        return Err(Error::InvalidState(format!(
            "a {} competence need cannot be {done}",
            need.status.as_str()
        )));
    }
    Ok(need)
}

/// Writes `row` onto the need if its status is still the one read, so a concurrent
/// withdrawal or change wins or loses whole; returns the need as saved.
async fn save_open_need(
    db: &Db,
    need: &competence_need::Model,
    mut row: competence_need::ActiveModel,
) -> Result<competence_need::Model> {
    row.updated_at = Set(Utc::now());
    let tx = db.begin_write().await?;
    let updated = competence_need::Entity::update_many()
        .set(row)
        .filter(competence_need::Column::Id.eq(need.id))
        .filter(competence_need::Column::Status.eq(need.status))
        .exec(&tx)
        .await?;
    if updated.rows_affected != 1 {
        return Err(Error::InvalidState(
            "the competence need changed meanwhile; it is no longer open".into(),
        ));
    }
    let saved = competence_need::Entity::find_by_id(need.id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(saved)
}

/// A change to a competence need; `None` keeps a field.
#[derive(Default)]
pub struct NeedChanges {
    pub title: Option<String>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub positions: Option<i32>,
    pub requirements: Option<Requirements>,
    /// `Some(None)` clears it.
    pub earliest_start: Option<Option<chrono::NaiveDate>>,
    /// Marks the need FILLED by hand (a track answering it fills it on completion).
    pub filled: bool,
}

/// updateCompetenceNeed: who may post the need (the employer's own users, staff who
/// manage employers), while it is OPEN or IN_TRACK.
pub async fn update_need(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: NeedChanges,
) -> Result<competence_need::Model> {
    let need = open_need(db, actor, id, "changed").await?;
    let mut row = competence_need::ActiveModel::default();
    if let Some(title) = &changes.title {
        row.title = Set(required_text("title", title, NAME_MAX)?);
    }
    if let Some(description) = &changes.description {
        row.description = Set(optional_text(
            "description",
            description.as_deref(),
            TEXT_MAX,
        )?);
    }
    if let Some(positions) = changes.positions {
        row.positions = Set(checked_positions(positions)?);
    }
    if let Some(requirements) = &changes.requirements {
        row.driving_licence = Set(requirements.driving_licence);
        row.minimum_swedish_level = Set(requirements.minimum_swedish_level);
        row.minimum_education = Set(requirements.minimum_education);
        row.other_requirements = Set(optional_text(
            "requirements.other",
            requirements.other.as_deref(),
            TEXT_MAX,
        )?);
    }
    if let Some(start) = changes.earliest_start {
        row.earliest_start = Set(start);
    }
    if changes.filled {
        row.status = Set(CompetenceNeedStatus::Filled);
    }
    save_open_need(db, &need, row).await
}

pub struct NeedFilter {
    pub employer_id: Option<i64>,
    pub statuses: Vec<CompetenceNeedStatus>,
    pub ssyk_code: Option<String>,
}

pub async fn needs(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: NeedFilter,
    page: PageRequest,
) -> Result<Page<competence_need::Model>> {
    let mut select = policy::scoped(competence_need::Entity::find(), policy::need_scope(actor));
    if let Some(employer_id) = filter.employer_id {
        select = select.filter(competence_need::Column::EmployerId.eq(employer_id));
    }
    if !filter.statuses.is_empty() {
        select =
            select.filter(competence_need::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(code) = filter.ssyk_code {
        select = select.filter(competence_need::Column::SsykCode.eq(code.trim()));
    }
    fetch(
        db,
        select,
        competence_need::Column::Id,
        page,
        Direction::Ascending,
    )
    .await
}

pub async fn visible_need(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<competence_need::Model> {
    policy::scoped(
        competence_need::Entity::find_by_id(id),
        policy::need_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}
