//! What a track's input must satisfy (dates, seats, components, employers, design team,
//! agreement) and writing its links.

use crate::db::Tx;
use chrono::NaiveDate;
use jobtrack_entity::{
    agreement_municipality, agreement_party, app_user, employer, job_track,
    job_track_design_member, job_track_employer, track_component,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::auth::Actor;
use crate::domain::unique::Unique;
use crate::domain::values::{Programme, TargetGroup, join_list};
use crate::domain::{NAME_MAX, TEXT_MAX, optional_text, policy, required_text};
use crate::error::{Error, Result};

use super::{Eligibility, NewComponent};

pub(super) fn sorted_unique<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut v = items.to_vec();
    v.sort();
    v.dedup();
    v
}

pub(super) fn check_dates(
    deadline: Option<NaiveDate>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<()> {
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        return Err(Error::bad_input("endDate", "must not be before startDate"));
    }
    if let (Some(d), Some(s)) = (deadline, start)
        && d > s
    {
        return Err(Error::bad_input(
            "applicationDeadline",
            "must not be after startDate",
        ));
    }
    Ok(())
}

pub(super) fn check_seats(seats: i32) -> Result<()> {
    if (1..=500).contains(&seats) {
        Ok(())
    } else {
        Err(Error::bad_input("seats", "must be between 1 and 500"))
    }
}

/// Validates components; returns them as rows without a track id.
pub(super) fn component_rows(
    components: &[NewComponent],
) -> Result<Vec<track_component::ActiveModel>> {
    if components.len() > 50 {
        return Err(Error::bad_input("components", "at most 50 components"));
    }
    components
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if let (Some(s), Some(e)) = (c.start_date, c.end_date)
                && e < s
            {
                return Err(Error::bad_input(
                    "components.endDate",
                    "must not be before startDate",
                ));
            }
            if c.hours_per_week.is_some_and(|h| !(0..=80).contains(&h)) {
                return Err(Error::bad_input(
                    "components.hoursPerWeek",
                    "must be between 0 and 80",
                ));
            }
            Ok(track_component::ActiveModel {
                position: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                kind: Set(c.kind),
                title: Set(required_text("components.title", &c.title, NAME_MAX)?),
                provider: Set(optional_text(
                    "components.provider",
                    c.provider.as_deref(),
                    NAME_MAX,
                )?),
                start_date: Set(c.start_date),
                end_date: Set(c.end_date),
                hours_per_week: Set(c.hours_per_week),
                ..Default::default()
            })
        })
        .collect()
}

/// The agreement's municipalities.
pub(super) async fn agreement_municipalities(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<String>> {
    Ok(agreement_municipality::Entity::find()
        .filter(agreement_municipality::Column::AgreementId.eq(agreement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect())
}

/// Employers must exist and be located in the agreement's municipalities.
pub(super) async fn check_employers(
    db: &impl ConnectionTrait,
    ids: &[i64],
    agreement_codes: &[String],
) -> Result<Vec<i64>> {
    let ids = sorted_unique(ids);
    if ids.is_empty() {
        return Err(Error::bad_input(
            "employerIds",
            "a track has at least one employer",
        ));
    }
    let found = employer::Entity::find()
        .filter(employer::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(Error::bad_input(
            "employerIds",
            "names an employer that does not exist",
        ));
    }
    if found
        .iter()
        .any(|e| !agreement_codes.contains(&e.municipality_code))
    {
        return Err(Error::bad_input(
            "employerIds",
            "every employer must be in a municipality of the track's agreement",
        ));
    }
    Ok(ids)
}

/// Design-team members must be active staff users.
pub(super) async fn check_design_team(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<i64>> {
    let ids = sorted_unique(ids);
    let found = app_user::Entity::find()
        .filter(app_user::Column::Id.is_in(ids.clone()))
        .filter(app_user::Column::Active.eq(true))
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(Error::bad_input(
            "designTeamUserIds",
            "names a user that does not exist or is inactive",
        ));
    }
    for user in &found {
        let staff = crate::auth::load_actor(db, user.id)
            .await?
            .is_some_and(|a| policy::may_be_on_design_team(&a));
        if !staff {
            return Err(Error::bad_input(
                "designTeamUserIds",
                "only staff users design tracks",
            ));
        }
    }
    Ok(ids)
}

pub(super) async fn replace_links<L: EntityTrait>(
    tx: &Tx,
    track_id: i64,
    column: L::Column,
    rows: Vec<L::ActiveModel>,
) -> std::result::Result<(), sea_orm::DbErr>
where
    L::ActiveModel: sea_orm::ActiveModelTrait<Entity = L> + Send,
{
    L::delete_many()
        .filter(column.eq(track_id))
        .exec(tx)
        .await?;
    if !rows.is_empty() {
        L::insert_many(rows).exec_without_returning(tx).await?;
    }
    Ok(())
}

pub(super) async fn replace_employers(tx: &Tx, track_id: i64, ids: &[i64]) -> Result<()> {
    let rows = ids
        .iter()
        .map(|id| job_track_employer::ActiveModel {
            job_track_id: Set(track_id),
            employer_id: Set(*id),
        })
        .collect();
    replace_links::<job_track_employer::Entity>(
        tx,
        track_id,
        job_track_employer::Column::JobTrackId,
        rows,
    )
    .await?;
    Ok(())
}

pub(super) async fn replace_design_team(tx: &Tx, track_id: i64, ids: &[i64]) -> Result<()> {
    let rows = ids
        .iter()
        .map(|id| job_track_design_member::ActiveModel {
            job_track_id: Set(track_id),
            user_id: Set(*id),
        })
        .collect();
    replace_links::<job_track_design_member::Entity>(
        tx,
        track_id,
        job_track_design_member::Column::JobTrackId,
        rows,
    )
    .await?;
    Ok(())
}

pub(super) async fn replace_components(
    tx: &Tx,
    track_id: i64,
    components: &[NewComponent],
) -> Result<()> {
    let rows = component_rows(components)?
        .into_iter()
        .map(|mut row| {
            row.job_track_id = Set(track_id);
            row
        })
        .collect();
    replace_links::<track_component::Entity>(
        tx,
        track_id,
        track_component::Column::JobTrackId,
        rows,
    )
    .await
    .map_err(Unique::TrackComponentPosition.conflict("the track was changed meanwhile"))
}

/// The actor designs tracks within an agreement its organisation is party to.
pub(super) async fn check_agreement(
    db: &impl ConnectionTrait,
    actor: &Actor,
    agreement_id: i64,
) -> Result<()> {
    if policy::unrestricted(actor) {
        return crate::domain::agreements::visible_agreement(db, actor, agreement_id)
            .await
            .map(|_| ());
    }
    let party = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(agreement_id))
        .filter(agreement_party::Column::OrganizationId.eq(actor.organization_id.unwrap_or(-1)))
        .count(db)
        .await?;
    if party == 0 {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}

pub(super) fn eligibility_columns(e: &Eligibility, row: &mut job_track::ActiveModel) -> Result<()> {
    row.eligible_programmes = Set(join_list(&e.programmes, Programme::as_str));
    row.eligible_target_groups = Set(join_list(&e.target_groups, TargetGroup::as_str));
    row.requires_driving_licence = Set(e.requirements.driving_licence);
    row.minimum_swedish_level = Set(e.requirements.minimum_swedish_level);
    row.minimum_education = Set(e.requirements.minimum_education);
    row.other_requirements = Set(optional_text(
        "eligibility.requirements.other",
        e.requirements.other.as_deref(),
        TEXT_MAX,
    )?);
    Ok(())
}
