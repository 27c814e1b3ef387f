//! Organisations and the agreements on collaboration between them.

use crate::db::{Db, Tx};
use chrono::{NaiveDate, Utc};
use jobtrack_entity::{
    agreement, agreement_municipality, agreement_party, agreement_revision, organization,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
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
    db: &Db,
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

/// The agreement's fields, checked: (name, party ids, municipality codes), both lists
/// sorted and without duplicates.
async fn checked(
    db: &impl ConnectionTrait,
    input: &NewAgreement,
) -> Result<(String, Vec<i64>, Vec<String>)> {
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
    Ok((name, party_ids, codes))
}

/// Replaces the agreement's parties and municipalities.
async fn replace_links(tx: &Tx, id: i64, party_ids: &[i64], codes: &[String]) -> Result<()> {
    agreement_party::Entity::delete_many()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    agreement_municipality::Entity::delete_many()
        .filter(agreement_municipality::Column::AgreementId.eq(id))
        .exec(tx)
        .await?;
    agreement_party::Entity::insert_many(party_ids.iter().map(|party| {
        agreement_party::ActiveModel {
            agreement_id: Set(id),
            organization_id: Set(*party),
        }
    }))
    .exec(tx)
    .await?;
    agreement_municipality::Entity::insert_many(codes.iter().map(|code| {
        agreement_municipality::ActiveModel {
            agreement_id: Set(id),
            municipality_code: Set(code.clone()),
        }
    }))
    .exec(tx)
    .await?;
    Ok(())
}

/// Keeps the agreement as `revised_on` decided it.
async fn record_revision(
    tx: &Tx,
    actor: Option<&Actor>,
    agreement: &agreement::Model,
    (party_ids, codes): (&[i64], &[String]),
    revised_on: NaiveDate,
    note: Option<String>,
) -> Result<()> {
    let ids: Vec<String> = party_ids.iter().map(ToString::to_string).collect();
    agreement_revision::Entity::insert(agreement_revision::ActiveModel {
        agreement_id: Set(agreement.id),
        revised_on: Set(revised_on),
        note: Set(note),
        name: Set(agreement.name.clone()),
        valid_from: Set(agreement.valid_from),
        valid_until: Set(agreement.valid_until),
        revision_due: Set(agreement.revision_due),
        completion_target_percent: Set(agreement.completion_target_percent),
        escalation_threshold: Set(agreement.escalation_threshold),
        party_ids: Set(ids.join(",")),
        municipality_codes: Set(codes.join(",")),
        recorded_by: Set(actor.map(|a| a.user_id)),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(tx)
    .await?;
    Ok(())
}

pub async fn create_agreement(
    db: &Db,
    actor: &Actor,
    input: NewAgreement,
) -> Result<agreement::Model> {
    policy::require(policy::may_administer(actor))?;
    let (name, party_ids, codes) = checked(db, &input).await?;
    let tx = db.begin_write().await?;
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
    replace_links(&tx, created.id, &party_ids, &codes).await?;
    record_revision(
        &tx,
        Some(actor),
        &created,
        (&party_ids, &codes),
        input.valid_from,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// A revision of an agreement; `None` keeps a field.
#[derive(Default)]
pub struct AgreementChanges {
    /// The day the parties decided the revision.
    pub revised_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub name: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<Option<NaiveDate>>,
    pub revision_due: Option<Option<NaiveDate>>,
    pub completion_target_percent: Option<i32>,
    pub escalation_threshold: Option<i32>,
    pub party_ids: Option<Vec<i64>>,
    pub municipality_codes: Option<Vec<String>>,
}

/// updateAgreement (ADMIN): revises the agreement and keeps the revision in its history
/// (the first revision of an agreement without history also keeps what it replaced).
pub async fn revise_agreement(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: AgreementChanges,
) -> Result<agreement::Model> {
    policy::require(policy::may_administer(actor))?;
    let current = visible_agreement(db, actor, id).await?;
    let note = super::optional_text("note", changes.note.as_deref(), super::TEXT_MAX)?;
    let old_parties: Vec<i64> = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.organization_id)
        .collect();
    let old_codes: Vec<String> = agreement_municipality::Entity::find()
        .filter(agreement_municipality::Column::AgreementId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect();
    let input = NewAgreement {
        name: changes.name.unwrap_or_else(|| current.name.clone()),
        party_ids: changes.party_ids.unwrap_or_else(|| old_parties.clone()),
        municipality_codes: changes
            .municipality_codes
            .unwrap_or_else(|| old_codes.clone()),
        valid_from: changes.valid_from.unwrap_or(current.valid_from),
        valid_until: changes.valid_until.unwrap_or(current.valid_until),
        revision_due: changes.revision_due.unwrap_or(current.revision_due),
        completion_target_percent: changes
            .completion_target_percent
            .unwrap_or(current.completion_target_percent),
        escalation_threshold: changes
            .escalation_threshold
            .unwrap_or(current.escalation_threshold),
    };
    let (name, party_ids, codes) = checked(db, &input).await?;
    let revised_on = changes
        .revised_on
        .unwrap_or_else(super::calendar::swedish_today);
    let tx = db.begin_write().await?;
    let history = agreement_revision::Entity::find()
        .filter(agreement_revision::Column::AgreementId.eq(id))
        .count(&tx)
        .await?;
    if history == 0 {
        let mut sorted_parties = old_parties;
        sorted_parties.sort_unstable();
        let mut sorted_codes = old_codes;
        sorted_codes.sort_unstable();
        record_revision(
            &tx,
            None,
            &current,
            (&sorted_parties, &sorted_codes),
            current.valid_from,
            None,
        )
        .await?;
    }
    let mut row = current.into_active_model();
    row.name = Set(name);
    row.valid_from = Set(input.valid_from);
    row.valid_until = Set(input.valid_until);
    row.revision_due = Set(input.revision_due);
    row.completion_target_percent = Set(input.completion_target_percent);
    row.escalation_threshold = Set(input.escalation_threshold);
    let revised = row.update(&tx).await?;
    replace_links(&tx, id, &party_ids, &codes).await?;
    record_revision(
        &tx,
        Some(actor),
        &revised,
        (&party_ids, &codes),
        revised_on,
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(revised)
}

/// An agreement's revisions, newest first.
pub async fn revisions(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<Vec<agreement_revision::Model>> {
    Ok(agreement_revision::Entity::find()
        .filter(agreement_revision::Column::AgreementId.eq(agreement_id))
        .order_by_desc(agreement_revision::Column::RevisedOn)
        .order_by_desc(agreement_revision::Column::Id)
        .all(db)
        .await?)
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
