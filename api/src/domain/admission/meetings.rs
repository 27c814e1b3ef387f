//! Information meetings as objects: the working group schedules a track's meeting (time,
//! place, capacity) and invites applications to it in one call. Candidates with an email
//! get the invitation; those without are listed, and their caseworker is emailed the list
//! to invite them by phone or letter. Attendance is recorded per candidate on the
//! INFO_MEETING step (`recordStepResult`).

use crate::db::{Db, Tx};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jobtrack_entity::{app_user, application, info_meeting, info_meeting_invitation};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    QueryTrait,
};

use super::{Locked, expect_status, lock};
use crate::auth::Actor;
use crate::domain::values::{ApplicationStatus, JobTrackStatus};
use crate::domain::{audit, outbox, policy, required_text, tracks};
use crate::error::{Error, Result};

/// At most this many applications in one invitation call.
pub const MAX_INVITED_AT_ONCE: usize = 200;

pub struct NewMeeting {
    pub track_id: i64,
    pub starts_at: DateTime<Utc>,
    pub location: String,
    pub capacity: Option<i32>,
}

/// scheduleInfoMeeting: the working group or coordinator of a RECRUITING or SELECTION track.
pub async fn schedule(db: &Db, actor: &Actor, meeting: NewMeeting) -> Result<info_meeting::Model> {
    let location = required_text("location", &meeting.location, 300)?;
    if meeting.capacity.is_some_and(|c| c < 1) {
        return Err(Error::bad_input("capacity", "must be at least 1"));
    }
    let tx = db.begin_write().await?;
    let track = tracks::lock_track(&tx, actor, meeting.track_id).await?;
    policy::require(policy::may_schedule_info_meeting(actor))?;
    if !matches!(
        track.status,
        JobTrackStatus::Recruiting | JobTrackStatus::Selection
    ) {
        return Err(Error::InvalidState(format!(
            "the track is {}; information meetings are for RECRUITING and SELECTION tracks",
            track.status.as_str()
        )));
    }
    let created = info_meeting::Entity::insert(info_meeting::ActiveModel {
        job_track_id: Set(track.id),
        starts_at: Set(meeting.starts_at),
        location: Set(location),
        capacity: Set(meeting.capacity),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    audit::record(
        &tx,
        Some(actor),
        "info_meeting.schedule",
        None,
        Some(format!("meeting {} on track {}", created.id, track.id)),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

pub struct Invited {
    pub meeting: info_meeting::Model,
    pub applications: Vec<application::Model>,
    /// Invited, but the candidate has no email: the caseworker invites them by phone or
    /// letter (and was emailed this list).
    pub without_email: Vec<application::Model>,
}

/// Invites the applications (NOMINATED, or INVITED elsewhere: the invitation moves) to
/// the meeting, all or none: each must be of the meeting's track and visible to the
/// actor, and the meeting's capacity holds.
pub async fn invite(
    db: &Db,
    actor: &Actor,
    meeting_id: i64,
    application_ids: &[i64],
) -> Result<Invited> {
    let mut ids = application_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::bad_input(
            "applicationIds",
            "name at least one application",
        ));
    }
    if ids.len() > MAX_INVITED_AT_ONCE {
        return Err(Error::bad_input(
            "applicationIds",
            format!("at most {MAX_INVITED_AT_ONCE} at once"),
        ));
    }
    let tx = db.begin_write().await?;
    let meeting = info_meeting::Entity::find_by_id(meeting_id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    // Locks the track first (the order every admission change takes); NOT_FOUND when the
    // actor may not see it.
    tracks::lock_track(&tx, actor, meeting.job_track_id).await?;
    let mut locked = Vec::with_capacity(ids.len());
    for id in &ids {
        let one = lock(&tx, actor, *id, policy::may_run_admission).await?;
        if one.app.job_track_id != meeting.job_track_id {
            return Err(Error::bad_input(
                "applicationIds",
                "every application must be of the meeting's track",
            ));
        }
        expect_status(
            &one.app,
            &[ApplicationStatus::Nominated, ApplicationStatus::Invited],
            "invite to an information meeting",
        )?;
        locked.push(one);
    }
    check_capacity(&tx, &meeting, &ids).await?;
    let mut invited = Invited {
        meeting,
        applications: Vec::new(),
        without_email: Vec::new(),
    };
    let mut lists: BTreeMap<i64, Vec<&Locked>> = BTreeMap::new();
    for one in &locked {
        let (saved, emailed) = super::steps::invite(
            &tx,
            actor,
            one,
            invited.meeting.starts_at,
            &invited.meeting.location,
        )
        .await?;
        info_meeting_invitation::Entity::delete_by_id(one.app.id)
            .exec(&tx)
            .await?;
        info_meeting_invitation::Entity::insert(info_meeting_invitation::ActiveModel {
            application_id: Set(one.app.id),
            info_meeting_id: Set(invited.meeting.id),
        })
        .exec_without_returning(&tx)
        .await?;
        if !emailed {
            invited.without_email.push(saved.clone());
            if let Some(caseworker) = one.candidate.caseworker_id {
                lists.entry(caseworker).or_default().push(one);
            }
        }
        invited.applications.push(saved);
    }
    for (caseworker_id, people) in lists {
        let Some(caseworker) = app_user::Entity::find_by_id(caseworker_id)
            .one(&tx)
            .await?
            .filter(|u| u.active)
        else {
            continue;
        };
        let track = &people.first().ok_or(Error::NotFound)?.track;
        let names: Vec<String> = people
            .iter()
            .map(|p| format!("{} {}", p.candidate.first_name, p.candidate.last_name))
            .collect();
        outbox::enqueue(
            &tx,
            crate::domain::notifications::info_meeting_without_email(
                &caseworker,
                track,
                &invited.meeting,
                &names,
            )?,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(invited)
}

/// The meeting's capacity counts the applications invited to it that are still in the
/// process, the ones being invited included.
async fn check_capacity(tx: &Tx, meeting: &info_meeting::Model, inviting: &[i64]) -> Result<()> {
    let Some(capacity) = meeting.capacity else {
        return Ok(());
    };
    let others = info_meeting_invitation::Entity::find()
        .select_only()
        .column(info_meeting_invitation::Column::ApplicationId)
        .filter(info_meeting_invitation::Column::InfoMeetingId.eq(meeting.id))
        .filter(info_meeting_invitation::Column::ApplicationId.is_not_in(inviting.iter().copied()))
        .into_query();
    let taken = application::Entity::find()
        .filter(application::Column::Id.in_subquery(others))
        .filter(
            application::Column::Status
                .is_not_in([ApplicationStatus::Withdrawn, ApplicationStatus::Rejected]),
        )
        .count(tx)
        .await?;
    let wanted = u64::try_from(inviting.len()).unwrap_or(u64::MAX);
    let capacity_n = u64::try_from(capacity).unwrap_or(0);
    if taken + wanted > capacity_n {
        return Err(Error::NoSeats(format!(
            "the meeting has room for {capacity}: {taken} are invited already, {} more would not fit",
            inviting.len()
        )));
    }
    Ok(())
}
