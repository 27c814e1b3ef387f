//! Organisations and the agreements on collaboration between them.

use chrono::{NaiveDate, Utc};
use jobtrack_entity::{agreement, agreement_municipality, agreement_party, organization};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::identifiers::OrgNumber;
use super::unique::Unique;
use super::values::OrganizationKind;
use super::{NAME_MAX, policy, reference, required_text};
use crate::auth::Actor;
use crate::error::{Error, Result};

pub struct NewOrganization {
    pub name: String,
    pub org_number: String,
    pub kind: OrganizationKind,
    pub municipality_code: Option<String>,
}

pub async fn create_organization(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewOrganization,
) -> Result<organization::Model> {
    policy::require(policy::may_administer(actor))?;
    let name = required_text("name", &input.name, NAME_MAX)?;
    let org_number =
        OrgNumber::parse(&input.org_number).map_err(|m| Error::bad_input("orgNumber", m))?;
    let municipality_code = match (input.kind, input.municipality_code.as_deref()) {
        (OrganizationKind::Municipality, Some(code)) => {
            Some(reference::municipality_code(db, "municipalityCode", code).await?)
        }
        (OrganizationKind::Municipality, None) => {
            return Err(Error::bad_input(
                "municipalityCode",
                "is required for a municipality",
            ));
        }
        (_, Some(_)) => {
            return Err(Error::bad_input(
                "municipalityCode",
                "is only set for kind MUNICIPALITY",
            ));
        }
        (_, None) => None,
    };
    let row = organization::ActiveModel {
        name: Set(name),
        org_number: Set(org_number.as_str().to_owned()),
        kind: Set(input.kind),
        municipality_code: Set(municipality_code),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    organization::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(
            Unique::OrganizationOrgNumberName
                .conflict("an organisation with this name and organisationsnummer already exists"),
        )
}

pub struct NewAgreement {
    pub name: String,
    pub party_ids: Vec<i64>,
    pub municipality_codes: Vec<String>,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub revision_due: Option<NaiveDate>,
    pub completion_target_percent: i32,
    pub escalation_threshold: i32,
}

pub async fn create_agreement(
    db: &DatabaseConnection,
    actor: &Actor,
    input: NewAgreement,
) -> Result<agreement::Model> {
    policy::require(policy::may_administer(actor))?;
    let name = required_text("name", &input.name, NAME_MAX)?;
    if !(0..=100).contains(&input.completion_target_percent) {
        return Err(Error::bad_input(
            "completionTargetPercent",
            "must be between 0 and 100",
        ));
    }
    if input.escalation_threshold < 0 {
        return Err(Error::bad_input(
            "escalationThreshold",
            "must not be negative",
        ));
    }
    if input
        .valid_until
        .is_some_and(|until| until < input.valid_from)
    {
        return Err(Error::bad_input(
            "validUntil",
            "must not be before validFrom",
        ));
    }
    let mut party_ids = input.party_ids.clone();
    party_ids.sort_unstable();
    party_ids.dedup();
    if party_ids.len() < 2 {
        return Err(Error::bad_input(
            "partyIds",
            "an agreement needs at least two parties",
        ));
    }
    let parties = organization::Entity::find()
        .filter(organization::Column::Id.is_in(party_ids.clone()))
        .all(db)
        .await?;
    if parties.len() != party_ids.len() {
        return Err(Error::bad_input(
            "partyIds",
            "names an organisation that does not exist",
        ));
    }
    if !parties
        .iter()
        .any(|p| p.kind == OrganizationKind::EmploymentService)
    {
        return Err(Error::bad_input(
            "partyIds",
            "the Public Employment Service must be a party",
        ));
    }
    let mut codes = Vec::new();
    for code in &input.municipality_codes {
        codes.push(reference::municipality_code(db, "municipalityCodes", code).await?);
    }
    codes.sort_unstable();
    codes.dedup();
    if codes.is_empty() {
        return Err(Error::bad_input(
            "municipalityCodes",
            "an agreement covers at least one municipality",
        ));
    }

    let tx = crate::db::begin_write(db).await?;
    let created = agreement::Entity::insert(agreement::ActiveModel {
        name: Set(name),
        valid_from: Set(input.valid_from),
        valid_until: Set(input.valid_until),
        revision_due: Set(input.revision_due),
        completion_target_percent: Set(input.completion_target_percent),
        escalation_threshold: Set(input.escalation_threshold),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await?;
    agreement_party::Entity::insert_many(party_ids.iter().map(|id| agreement_party::ActiveModel {
        agreement_id: Set(created.id),
        organization_id: Set(*id),
    }))
    .exec(&tx)
    .await?;
    agreement_municipality::Entity::insert_many(codes.into_iter().map(|code| {
        agreement_municipality::ActiveModel {
            agreement_id: Set(created.id),
            municipality_code: Set(code),
        }
    }))
    .exec(&tx)
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Organisations are not confidential: every signed-in user may list them.
pub async fn organizations(db: &impl ConnectionTrait) -> Result<Vec<organization::Model>> {
    Ok(organization::Entity::find()
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await?)
}

pub async fn agreements(db: &impl ConnectionTrait, actor: &Actor) -> Result<Vec<agreement::Model>> {
    let select = policy::scoped(agreement::Entity::find(), policy::agreement_scope(actor));
    Ok(select.order_by_asc(agreement::Column::Name).all(db).await?)
}

/// An agreement the actor may see, or NOT_FOUND.
pub async fn visible_agreement(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<agreement::Model> {
    policy::scoped(
        agreement::Entity::find_by_id(id),
        policy::agreement_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}
