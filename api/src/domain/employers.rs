//! Employers and their contact persons, and who owns the contact with each employer.

use crate::db::Db;
use chrono::Utc;
use jobtrack_entity::{
    agreement_municipality, agreement_party, app_user, employer, employer_contact_person,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter,
};

use super::identifiers::EmployerNumber;
use super::pagination::{Direction, Page, PageRequest, fetch};
use super::unique::Unique;
use super::values::EmployerSize;
use super::{NAME_MAX, optional_email_address, optional_text, policy, reference, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

pub struct NewContactPerson {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub struct NewEmployer {
    pub name: String,
    pub org_number: String,
    pub sni_code: Option<String>,
    pub municipality_code: String,
    pub size: Option<EmployerSize>,
    pub contact_persons: Vec<NewContactPerson>,
}

pub async fn create_employer(
    db: &Db,
    actor: &Actor,
    input: NewEmployer,
) -> Result<employer::Model> {
    policy::require(policy::may_manage_employers(actor))?;
    let now = Utc::now();
    let name = required_text("name", &input.name, NAME_MAX)?;
    let number = EmployerNumber::parse(&input.org_number, super::calendar::swedish_date(now))
        .map_err(|m| Error::bad_input("orgNumber", m))?;
    let sni_code = sni(db, input.sni_code.as_deref()).await?;
    let municipality_code = municipality(db, actor, &input.municipality_code).await?;
    let persons = contact_person_rows(&input.contact_persons)?;

    let tx = db.begin_write().await?;
    let created = employer::Entity::insert(employer::ActiveModel {
        search_name: Set(name.to_lowercase()),
        name: Set(name),
        org_number: Set(number.stored()),
        sni_code: Set(sni_code),
        municipality_code: Set(municipality_code),
        size: Set(input.size),
        contact_owner_id: Set(None),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await
    .map_err(
        Unique::EmployerOrgNumber
            .conflict("an employer with this organisationsnummer already exists"),
    )?;
    for mut person in persons {
        person.employer_id = Set(created.id);
        employer_contact_person::Entity::insert(person)
            .exec(&tx)
            .await?;
    }
    tx.commit().await?;
    Ok(created)
}

/// A checked SNI code, or `None` for none given.
async fn sni(db: &impl ConnectionTrait, code: Option<&str>) -> Result<Option<String>> {
    match code.map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Ok(Some(reference::sni_code(db, "sniCode", code).await?)),
        None => Ok(None),
    }
}

/// A checked municipality code that an agreement of the actor's organisation covers.
async fn municipality(db: &impl ConnectionTrait, actor: &Actor, code: &str) -> Result<String> {
    let code = reference::municipality_code(db, "municipalityCode", code).await?;
    if !policy::unrestricted(actor) && !in_own_agreements(db, actor, &code).await? {
        return Err(Error::bad_input(
            "municipalityCode",
            "is not covered by an agreement your organisation is party to",
        ));
    }
    Ok(code)
}

/// The contact persons' rows, checked, in the given order (at most 20).
fn contact_person_rows(
    persons: &[NewContactPerson],
) -> Result<Vec<employer_contact_person::ActiveModel>> {
    if persons.len() > 20 {
        return Err(Error::bad_input(
            "contactPersons",
            "at most 20 contact persons",
        ));
    }
    let mut rows = Vec::new();
    for (position, person) in persons.iter().enumerate() {
        let email = optional_email_address("contactPersons.email", person.email.as_deref())?;
        rows.push(employer_contact_person::ActiveModel {
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            name: Set(required_text(
                "contactPersons.name",
                &person.name,
                NAME_MAX,
            )?),
            title: Set(optional_text(
                "contactPersons.title",
                person.title.as_deref(),
                NAME_MAX,
            )?),
            email: Set(email),
            phone: Set(optional_text(
                "contactPersons.phone",
                person.phone.as_deref(),
                40,
            )?),
            ..Default::default()
        });
    }
    Ok(rows)
}

/// A change to an employer; `None` keeps a field. The organisationsnummer does not
/// change: it is the employer's identity.
#[derive(Default)]
pub struct EmployerChanges {
    pub name: Option<String>,
    /// `Some(None)` clears it.
    pub sni_code: Option<Option<String>>,
    pub municipality_code: Option<String>,
    pub size: Option<Option<EmployerSize>>,
    /// Replaces the contact persons (who receive the trial-placement notices).
    pub contact_persons: Option<Vec<NewContactPerson>>,
}

/// updateEmployer: who manages employers (COORDINATOR, WORKING_GROUP,
/// BUSINESS_ADVISER), for an employer they may see.
pub async fn update_employer(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: EmployerChanges,
) -> Result<employer::Model> {
    policy::require(policy::may_manage_employers(actor))?;
    let found = visible_employer(db, actor, id).await?;
    let mut row = found.into_active_model();
    if let Some(name) = &changes.name {
        let name = required_text("name", name, NAME_MAX)?;
        row.search_name = Set(name.to_lowercase());
        row.name = Set(name);
    }
    if let Some(code) = &changes.sni_code {
        row.sni_code = Set(sni(db, code.as_deref()).await?);
    }
    if let Some(code) = &changes.municipality_code {
        row.municipality_code = Set(municipality(db, actor, code).await?);
    }
    if let Some(size) = changes.size {
        row.size = Set(size);
    }
    let persons = changes
        .contact_persons
        .as_deref()
        .map(contact_person_rows)
        .transpose()?;
    row.updated_at = Set(Utc::now());
    let tx = db.begin_write().await?;
    let updated = row.update(&tx).await?;
    if let Some(persons) = persons {
        employer_contact_person::Entity::delete_many()
            .filter(employer_contact_person::Column::EmployerId.eq(id))
            .exec(&tx)
            .await?;
        for mut person in persons {
            person.employer_id = Set(id);
            employer_contact_person::Entity::insert(person)
                .exec(&tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(updated)
}

/// Whether `municipality_code` is covered by an agreement the actor's organisation is party to.
async fn in_own_agreements(
    db: &impl ConnectionTrait,
    actor: &Actor,
    municipality_code: &str,
) -> Result<bool> {
    let Some(org) = actor.organization_id else {
        return Ok(false);
    };
    let own = sea_orm::sea_query::Query::select()
        .column(agreement_party::Column::AgreementId)
        .from(agreement_party::Entity)
        .and_where(agreement_party::Column::OrganizationId.eq(org))
        .to_owned();
    let count = agreement_municipality::Entity::find()
        .filter(agreement_municipality::Column::MunicipalityCode.eq(municipality_code))
        .filter(agreement_municipality::Column::AgreementId.in_subquery(own))
        .count(db)
        .await?;
    Ok(count > 0)
}

pub struct EmployerFilter {
    /// Case-insensitive match on the name, or a prefix of the organisationsnummer.
    pub search: Option<String>,
    pub municipality_code: Option<String>,
}

pub async fn employers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: EmployerFilter,
    page: PageRequest,
) -> Result<Page<employer::Model>> {
    let mut select = policy::scoped(employer::Entity::find(), policy::employer_scope(actor));
    if let Some(code) = filter.municipality_code {
        select = select.filter(employer::Column::MunicipalityCode.eq(code.trim()));
    }
    if let Some(search) = filter
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
    {
        select = select.filter(name_or_number_matches(&search));
    }
    fetch(db, select, employer::Column::Id, page, Direction::Ascending).await
}

/// The name (case-insensitive, Unicode-aware) or the start of the organisationsnummer.
fn name_or_number_matches(search: &str) -> Condition {
    let digits: String = search
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let mut any =
        Condition::any().add(super::contains_folded(employer::Column::SearchName, search));
    if digits.len() >= 4 && digits.len() == search.len() {
        any = any.add(employer::Column::OrgNumber.starts_with(&digits));
    }
    any
}

/// An employer the actor may see, or NOT_FOUND.
pub async fn visible_employer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<employer::Model> {
    policy::scoped(
        employer::Entity::find_by_id(id),
        policy::employer_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}

/// Names (or with `None` clears) the adviser who coordinates contacts with an employer.
pub async fn set_contact_owner(
    db: &Db,
    actor: &Actor,
    employer_id: i64,
    user_id: Option<i64>,
) -> Result<employer::Model> {
    policy::require(policy::may_manage_employers(actor))?;
    let found = visible_employer(db, actor, employer_id).await?;
    if let Some(user_id) = user_id {
        let owner = policy::scoped(app_user::Entity::find_by_id(user_id), None)
            .one(db)
            .await?;
        let owner = owner
            .filter(|u| u.active)
            .ok_or_else(|| Error::bad_input("userId", "no such active user"))?;
        let owner_actor = crate::auth::load_actor(db, owner.id).await?;
        if !owner_actor.is_some_and(|a| policy::may_own_employer_contacts(&a)) {
            return Err(Error::bad_input(
                "userId",
                "the contact owner must be a staff user, not an employer user",
            ));
        }
    }
    let mut row = found.into_active_model();
    row.contact_owner_id = Set(user_id);
    row.updated_at = Set(Utc::now());
    Ok(row.update(db).await?)
}
