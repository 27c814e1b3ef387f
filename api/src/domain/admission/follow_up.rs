//! Follow-up after exit: the caseworker records where a participant is 90 and 180 days
//! after the application ended (COMPLETED or DROPPED_OUT), and sees which follow-ups
//! are due for their candidates.

use crate::db::Db;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use jobtrack_entity::{application, candidate, employer, follow_up};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, sea_query::Query,
};

use super::{expect_status, lock};
use crate::auth::Actor;
use crate::domain::calendar::{swedish_date, swedish_midnight, swedish_today};
use crate::domain::values::{ApplicationStatus, FollowUpSituation};
use crate::domain::{TEXT_MAX, audit, optional_text, policy};
use crate::error::{Error, Result};

/// The days after the exit when a follow-up is due.
pub const DAYS: [i32; 2] = [90, 180];

/// When the follow-up of `day` is due for an application that ended at `finished_at`.
pub fn due_on(finished_at: DateTime<Utc>, day: i32) -> NaiveDate {
    swedish_date(finished_at) + Duration::days(i64::from(day))
}

pub struct NewFollowUp {
    pub day: i32,
    pub situation: FollowUpSituation,
    pub employer_id: Option<i64>,
    pub note: Option<String>,
}

fn is_employed(situation: FollowUpSituation) -> bool {
    matches!(
        situation,
        FollowUpSituation::Employed | FollowUpSituation::EmployedWithSubsidy
    )
}

/// Records (or corrects) the follow-up of `day` for an ended application: from the day
/// it is due, by those who act for the candidate.
pub async fn record_follow_up(
    db: &Db,
    actor: &Actor,
    id: i64,
    new: NewFollowUp,
) -> Result<follow_up::Model> {
    if !DAYS.contains(&new.day) {
        return Err(Error::bad_input("day", "must be 90 or 180"));
    }
    if new.employer_id.is_some() && !is_employed(new.situation) {
        return Err(Error::bad_input(
            "employerId",
            "only an employed situation names an employer",
        ));
    }
    let note = optional_text("note", new.note.as_deref(), TEXT_MAX)?;
    let tx = db.begin_write().await?;
    let locked = lock(&tx, actor, id, policy::may_record_follow_up).await?;
    expect_status(
        &locked.app,
        &[ApplicationStatus::Completed, ApplicationStatus::DroppedOut],
        "record a follow-up of",
    )?;
    let finished = locked.app.finished_at.unwrap_or(locked.app.updated_at);
    let due = due_on(finished, new.day);
    if swedish_today() < due {
        return Err(Error::InvalidState(format!(
            "the {}-day follow-up is due on {due}",
            new.day
        )));
    }
    if let Some(employer_id) = new.employer_id
        && employer::Entity::find_by_id(employer_id).count(&tx).await? == 0
    {
        return Err(Error::bad_input("employerId", "no such employer"));
    }
    follow_up::Entity::delete_many()
        .filter(follow_up::Column::ApplicationId.eq(id))
        .filter(follow_up::Column::Day.eq(new.day))
        .exec(&tx)
        .await?;
    let saved = follow_up::Entity::insert(follow_up::ActiveModel {
        application_id: Set(id),
        day: Set(new.day),
        situation: Set(new.situation),
        employer_id: Set(new.employer_id),
        note: Set(note),
        recorded_by: Set(Some(actor.user_id)),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "follow_up.record",
        Some(locked.candidate.id),
        Some(format!(
            "application {id}, day {}: {}",
            new.day,
            new.situation.as_str()
        )),
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// A follow-up that is due and not recorded.
pub struct Due {
    pub application: application::Model,
    pub day: i32,
    pub due_on: NaiveDate,
}

/// The 90- and 180-day follow-ups due on or before `on_or_before` and not yet recorded,
/// for the viewer's own candidates (those whose caseworker the viewer is), earliest first.
pub async fn follow_ups_due(
    db: &impl ConnectionTrait,
    actor: &Actor,
    on_or_before: NaiveDate,
) -> Result<Vec<Due>> {
    policy::require(policy::may_manage_candidates(actor))?;
    let mine = Query::select()
        .column(candidate::Column::Id)
        .from(candidate::Entity)
        .and_where(candidate::Column::CaseworkerId.eq(actor.user_id))
        .and_where(candidate::Column::ErasedAt.is_null())
        .to_owned();
    let earliest_due = on_or_before - Duration::days(i64::from(DAYS[0]));
    let ended = policy::scoped(
        application::Entity::find(),
        policy::application_scope(actor),
    )
    .filter(application::Column::CandidateId.in_subquery(mine))
    .filter(
        application::Column::Status
            .is_in([ApplicationStatus::Completed, ApplicationStatus::DroppedOut]),
    )
    .filter(application::Column::FinishedAt.lt(swedish_midnight(earliest_due + Duration::days(1))))
    .order_by_asc(application::Column::Id)
    .all(db)
    .await?;
    let recorded: Vec<(i64, i32)> = follow_up::Entity::find()
        .filter(follow_up::Column::ApplicationId.is_in(ended.iter().map(|a| a.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.application_id, f.day))
        .collect();
    let mut due = Vec::new();
    for app in ended {
        let finished = app.finished_at.unwrap_or(app.updated_at);
        for day in DAYS {
            let on = due_on(finished, day);
            if on <= on_or_before && !recorded.contains(&(app.id, day)) {
                due.push(Due {
                    application: app.clone(),
                    day,
                    due_on: on,
                });
            }
        }
    }
    due.sort_by_key(|d| (d.due_on, d.application.id, d.day));
    Ok(due)
}
