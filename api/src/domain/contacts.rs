//! The log of contacts between advisers and employers, made so that one employer is not
//! "run down" by many actors: logging shows who else was in touch lately, each employer
//! can have one contact owner, and follow-ups come due until someone answers them.

use crate::db::Db;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use jobtrack_entity::{employer, employer_contact};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use super::pagination::{Page, PageRequest};
use super::values::{ContactChannel, ContactPurpose};
use super::{NAME_MAX, TEXT_MAX, employers, optional_text, policy, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

/// The coordination window: contacts by others this long before a new one are shown.
pub const RECENT_DAYS: i64 = 14;

pub struct NewContact {
    pub employer_id: i64,
    pub occurred_at: DateTime<Utc>,
    pub channel: ContactChannel,
    pub purpose: ContactPurpose,
    pub contact_person: Option<String>,
    pub summary: String,
    pub follow_up_on: Option<NaiveDate>,
}

fn require_reader(actor: &Actor) -> Result<()> {
    policy::require(policy::may_read_employer_contacts(actor))
}

/// Logs a contact; returns it with the contacts other users had with the same employer
/// in the 14 days before it.
pub async fn log(
    db: &Db,
    actor: &Actor,
    input: NewContact,
) -> Result<(employer_contact::Model, Vec<employer_contact::Model>)> {
    policy::require(policy::may_log_contacts(actor))?;
    let organization_id = actor.organization_id.ok_or_else(|| {
        Error::bad_input("employerId", "only users of an organisation log contacts")
    })?;
    let employer = employers::visible_employer(db, actor, input.employer_id).await?;
    let now = Utc::now();
    if input.occurred_at > now + Duration::days(1) {
        return Err(Error::bad_input(
            "occurredAt",
            "must not be more than a day in the future",
        ));
    }
    if input
        .follow_up_on
        .is_some_and(|d| d < super::calendar::swedish_date(input.occurred_at))
    {
        return Err(Error::bad_input(
            "followUpOn",
            "must not be before the contact",
        ));
    }
    let summary = required_text("summary", &input.summary, TEXT_MAX)?;
    let contact_person = optional_text("contactPerson", input.contact_person.as_deref(), NAME_MAX)?;
    let created = employer_contact::Entity::insert(employer_contact::ActiveModel {
        employer_id: Set(employer.id),
        logged_by: Set(actor.user_id),
        organization_id: Set(organization_id),
        occurred_at: Set(input.occurred_at),
        channel: Set(input.channel),
        purpose: Set(input.purpose),
        contact_person: Set(contact_person),
        summary: Set(summary),
        follow_up_on: Set(input.follow_up_on),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let recent = employer_contact::Entity::find()
        .filter(employer_contact::Column::EmployerId.eq(employer.id))
        .filter(employer_contact::Column::LoggedBy.ne(actor.user_id))
        .filter(
            employer_contact::Column::OccurredAt
                .gte(input.occurred_at - Duration::days(RECENT_DAYS)),
        )
        .filter(employer_contact::Column::OccurredAt.lt(input.occurred_at))
        .order_by_desc(employer_contact::Column::OccurredAt)
        .order_by_desc(employer_contact::Column::Id)
        .all(db)
        .await?;
    Ok((created, recent))
}

/// Contacts of employers the viewer may see, newest first (by when they happened).
pub async fn contacts(
    db: &impl ConnectionTrait,
    actor: &Actor,
    employer_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: PageRequest,
) -> Result<Page<employer_contact::Model>> {
    require_reader(actor)?;
    let mut condition = Condition::all();
    if let Some(scope) = policy::employer_scope(actor) {
        let visible = Query::select()
            .column(employer::Column::Id)
            .from(employer::Entity)
            .cond_where(scope)
            .to_owned();
        condition = condition.add(employer_contact::Column::EmployerId.in_subquery(visible));
    }
    if let Some(id) = employer_id {
        condition = condition.add(employer_contact::Column::EmployerId.eq(id));
    }
    if let Some(from) = from {
        condition = condition
            .add(employer_contact::Column::OccurredAt.gte(super::calendar::swedish_midnight(from)));
    }
    if let Some(to) = to {
        condition = condition.add(
            employer_contact::Column::OccurredAt
                .lt(super::calendar::swedish_midnight(to + Duration::days(1))),
        );
    }
    let total = employer_contact::Entity::find()
        .filter(condition.clone())
        .count(db)
        .await?;
    // Keyset on (occurred_at, id), newest first; the cursor names the last row seen.
    if let Some(after) = page.after {
        let anchor = employer_contact::Entity::find_by_id(after)
            .one(db)
            .await?
            .ok_or_else(|| Error::bad_input("after", "is not a cursor from this list"))?;
        condition = condition.add(
            Condition::any()
                .add(employer_contact::Column::OccurredAt.lt(anchor.occurred_at))
                .add(
                    Condition::all()
                        .add(employer_contact::Column::OccurredAt.eq(anchor.occurred_at))
                        .add(employer_contact::Column::Id.lt(anchor.id)),
                ),
        );
    }
    let mut items = employer_contact::Entity::find()
        .filter(condition)
        .order_by_desc(employer_contact::Column::OccurredAt)
        .order_by_desc(employer_contact::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let has_next = u64::try_from(items.len()).unwrap_or(u64::MAX) > page.first;
    items.truncate(usize::try_from(page.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        has_previous: page.after.is_some(),
        total,
    })
}

/// Contacts whose follow-up date is on or before `on_or_before` and that no later contact
/// with the same employer has answered: the viewer's own, and those with employers the
/// viewer owns the contact with.
pub async fn follow_ups_due(
    db: &impl ConnectionTrait,
    actor: &Actor,
    on_or_before: NaiveDate,
) -> Result<Vec<employer_contact::Model>> {
    require_reader(actor)?;
    let later = Alias::new("later");
    let answered = Query::select()
        .expr(Expr::val(1))
        .from_as(employer_contact::Entity, later.clone())
        .and_where(
            Expr::col((later.clone(), employer_contact::Column::EmployerId)).equals((
                employer_contact::Entity,
                employer_contact::Column::EmployerId,
            )),
        )
        .and_where(
            Expr::col((later, employer_contact::Column::OccurredAt)).gt(Expr::col((
                employer_contact::Entity,
                employer_contact::Column::OccurredAt,
            ))),
        )
        .to_owned();
    let owned = Query::select()
        .column(employer::Column::Id)
        .from(employer::Entity)
        .and_where(employer::Column::ContactOwnerId.eq(actor.user_id))
        .to_owned();
    Ok(employer_contact::Entity::find()
        .filter(employer_contact::Column::FollowUpOn.lte(on_or_before))
        .filter(
            Condition::any()
                .add(employer_contact::Column::LoggedBy.eq(actor.user_id))
                .add(employer_contact::Column::EmployerId.in_subquery(owned)),
        )
        .filter(Expr::exists(answered).not())
        .order_by_asc(employer_contact::Column::FollowUpOn)
        .order_by_asc(employer_contact::Column::Id)
        .all(db)
        .await?)
}

pub async fn visible_contact(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<employer_contact::Model> {
    require_reader(actor).map_err(|_forbidden_told_as_not_found| Error::NotFound)?;
    let found = employer_contact::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    employers::visible_employer(db, actor, found.employer_id).await?;
    Ok(found)
}
