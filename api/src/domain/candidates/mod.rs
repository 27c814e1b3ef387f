//! Candidates (job seekers): registration, updates, consent and erasure. Personal data:
//! every change is audited in its transaction, and reads are scoped by policy.

use crate::db::{Db, Tx};
use chrono::Utc;
use jobtrack_entity::{admission_step, application, candidate, candidate_target_group};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect,
    sea_query::{Expr, Query},
};

use super::identifiers::PersonalIdentityNumber;
use super::pagination::{Direction, Page, PageRequest, fetch};
use super::unique::Unique;
use super::values::{EducationLevel, Gender, Programme, SwedishLevel, TargetGroup};
use super::{
    NAME_MAX, audit, contains_folded, optional_email_address, optional_text, policy, reference,
    required_text,
};
use crate::auth::Actor;

mod consents;

use crate::error::{Error, Result};
pub use consents::{
    NewConsent, active_at as consent_active_at, active_consent, lapse_expired, record_consent,
    shares_with_employer, withdraw_consent,
};

pub struct NewCandidate {
    pub first_name: String,
    pub last_name: String,
    pub personal_identity_number: String,
    pub gender: Gender,
    pub municipality_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: EducationLevel,
    pub swedish_level: SwedishLevel,
    pub driving_licence: bool,
    pub programme: Programme,
    pub target_groups: Vec<TargetGroup>,
}

#[derive(Default)]
pub struct CandidateChanges {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: Option<EducationLevel>,
    pub swedish_level: Option<SwedishLevel>,
    pub driving_licence: Option<bool>,
    pub programme: Option<Programme>,
    pub target_groups: Option<Vec<TargetGroup>>,
    pub municipality_code: Option<String>,
}

/// The actor manages candidates of this municipality (CASEWORKER, COORDINATOR).
fn require_municipality(actor: &Actor, code: &str, field: &str) -> Result<()> {
    policy::require(policy::may_manage_candidates(actor))?;
    if policy::may_manage_candidate_in(actor, code) {
        Ok(())
    } else {
        Err(Error::bad_input(field, "is not one of your municipalities"))
    }
}

async fn replace_target_groups(tx: &Tx, id: i64, groups: &[TargetGroup]) -> Result<()> {
    candidate_target_group::Entity::delete_many()
        .filter(candidate_target_group::Column::CandidateId.eq(id))
        .exec(tx)
        .await?;
    let mut groups = groups.to_vec();
    groups.sort_unstable();
    groups.dedup();
    if !groups.is_empty() {
        candidate_target_group::Entity::insert_many(groups.into_iter().map(|g| {
            candidate_target_group::ActiveModel {
                candidate_id: Set(id),
                target_group: Set(g),
            }
        }))
        .exec_without_returning(tx)
        .await?;
    }
    Ok(())
}

pub async fn register(db: &Db, actor: &Actor, input: NewCandidate) -> Result<candidate::Model> {
    let municipality_code =
        reference::municipality_code(db, "municipalityCode", &input.municipality_code).await?;
    require_municipality(actor, &municipality_code, "municipalityCode")?;
    let now = Utc::now();
    let pin = PersonalIdentityNumber::parse(
        &input.personal_identity_number,
        crate::domain::calendar::swedish_date(now),
    )
    .map_err(|m| Error::bad_input("personalIdentityNumber", m))?;
    let first_name = required_text("firstName", &input.first_name, NAME_MAX)?;
    let last_name = required_text("lastName", &input.last_name, NAME_MAX)?;
    let row = candidate::ActiveModel {
        search_name: Set(format!("{first_name} {last_name}").to_lowercase()),
        first_name: Set(first_name),
        last_name: Set(last_name),
        personal_identity_number: Set(Some(pin.canonical().to_owned())),
        birth_year: Set(pin.birth_year()),
        gender: Set(input.gender),
        municipality_code: Set(municipality_code),
        email: Set(optional_email_address("email", input.email.as_deref())?),
        phone: Set(optional_text("phone", input.phone.as_deref(), 40)?),
        education_level: Set(input.education_level),
        swedish_level: Set(input.swedish_level),
        driving_licence: Set(input.driving_licence),
        programme: Set(input.programme),
        caseworker_id: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        erased_at: Set(None),
        ..Default::default()
    };
    let tx = db.begin_write().await?;
    let created = candidate::Entity::insert(row)
        .exec_with_returning(&tx)
        .await
        .map_err(
            Unique::CandidatePersonalIdentityNumber
                .conflict("a candidate with this personnummer already exists"),
        )?;
    replace_target_groups(&tx, created.id, &input.target_groups).await?;
    audit::record(
        &tx,
        Some(actor),
        "candidate.register",
        Some(created.id),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Loads a candidate the actor manages (own municipalities), locked for the change.
async fn managed(tx: &Tx, actor: &Actor, id: i64) -> Result<candidate::Model> {
    policy::require(policy::may_manage_candidates(actor))?;
    let found = candidate::Entity::find_by_id(id)
        .lock_exclusive()
        .one(tx)
        .await?
        .ok_or(Error::NotFound)?;
    if !policy::may_manage_candidate_in(actor, &found.municipality_code) {
        return Err(Error::NotFound);
    }
    if found.erased_at.is_some() {
        return Err(Error::InvalidState("the candidate has been erased".into()));
    }
    Ok(found)
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    changes: CandidateChanges,
) -> Result<candidate::Model> {
    let tx = db.begin_write().await?;
    let found = managed(&tx, actor, id).await?;
    let mut fields = Vec::new();
    let mut row = found.clone().into_active_model();
    if let Some(email) = &changes.email {
        row.email = Set(optional_email_address("email", Some(email))?);
        fields.push("email");
    }
    if let Some(phone) = &changes.phone {
        row.phone = Set(optional_text("phone", Some(phone), 40)?);
        fields.push("phone");
    }
    if let Some(level) = changes.education_level {
        row.education_level = Set(level);
        fields.push("educationLevel");
    }
    if let Some(level) = changes.swedish_level {
        row.swedish_level = Set(level);
        fields.push("swedishLevel");
    }
    if let Some(licence) = changes.driving_licence {
        row.driving_licence = Set(licence);
        fields.push("drivingLicence");
    }
    if let Some(programme) = changes.programme {
        row.programme = Set(programme);
        fields.push("programme");
    }
    if let Some(code) = &changes.municipality_code {
        let code = reference::municipality_code(&tx, "municipalityCode", code).await?;
        require_municipality(actor, &code, "municipalityCode")?;
        row.municipality_code = Set(code);
        fields.push("municipality");
    }
    if let Some(groups) = &changes.target_groups {
        replace_target_groups(&tx, id, groups).await?;
        fields.push("targetGroups");
    }
    row.updated_at = Set(Utc::now());
    let updated = row.update(&tx).await?;
    audit::record(
        &tx,
        Some(actor),
        "candidate.update",
        Some(id),
        Some(fields.join(",")),
    )
    .await?;
    tx.commit().await?;
    Ok(updated)
}

/// Anonymises the personal fields of the candidate and of its applications; keeps
/// gender, birth year, municipality, target groups, applications and outcomes so the
/// statistics stay true.
pub async fn erase(db: &Db, actor: &Actor, id: i64) -> Result<candidate::Model> {
    policy::require(policy::may_erase_candidates(actor))?;
    let tx = db.begin_write().await?;
    let found = managed(&tx, actor, id).await?;
    let now = Utc::now();
    let mut row = found.into_active_model();
    row.first_name = Set("Raderad".to_owned());
    row.last_name = Set("Person".to_owned());
    row.search_name = Set(String::new());
    row.personal_identity_number = Set(None);
    row.email = Set(None);
    row.phone = Set(None);
    row.caseworker_id = Set(None);
    row.erased_at = Set(Some(now));
    row.updated_at = Set(now);
    let erased = row.update(&tx).await?;
    let applications = Query::select()
        .column(application::Column::Id)
        .from(application::Entity)
        .and_where(application::Column::CandidateId.eq(id))
        .to_owned();
    application::Entity::update_many()
        .col_expr(
            application::Column::NominationNote,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            application::Column::LanguageAssessment,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            application::Column::Motivation,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            application::Column::DecisionReason,
            Expr::value(Option::<String>::None),
        )
        .filter(application::Column::CandidateId.eq(id))
        .exec(&tx)
        .await?;
    admission_step::Entity::update_many()
        .col_expr(
            admission_step::Column::Assessment,
            Expr::value(Option::<String>::None),
        )
        .filter(admission_step::Column::ApplicationId.in_subquery(applications))
        .exec(&tx)
        .await?;
    audit::record(&tx, Some(actor), "candidate.erase", Some(id), None).await?;
    tx.commit().await?;
    Ok(erased)
}

#[derive(Default)]
pub struct CandidateFilter {
    pub municipality_code: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub programme: Option<Programme>,
    pub search: Option<String>,
    /// Only candidates with no active application.
    pub available: Option<bool>,
}

pub async fn candidates(
    db: &impl ConnectionTrait,
    actor: &Actor,
    filter: CandidateFilter,
    page: PageRequest,
) -> Result<Page<candidate::Model>> {
    let mut condition = Condition::all();
    if let Some(code) = filter.municipality_code {
        condition = condition.add(candidate::Column::MunicipalityCode.eq(code.trim()));
    }
    if let Some(group) = filter.target_group {
        let members = Query::select()
            .column(candidate_target_group::Column::CandidateId)
            .from(candidate_target_group::Entity)
            .and_where(candidate_target_group::Column::TargetGroup.eq(group))
            .to_owned();
        condition = condition.add(candidate::Column::Id.in_subquery(members));
    }
    if let Some(programme) = filter.programme {
        condition = condition.add(candidate::Column::Programme.eq(programme));
    }
    if let Some(search) = filter
        .search
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
    {
        condition = condition.add(contains_folded(candidate::Column::SearchName, &search));
    }
    if let Some(available) = filter.available {
        let active = Query::select()
            .column(application::Column::CandidateId)
            .from(application::Entity)
            .and_where(application::Column::Status.is_in(super::tracks::ACTIVE.iter().copied()))
            .to_owned();
        condition = condition.add(if available {
            candidate::Column::Id.not_in_subquery(active)
        } else {
            candidate::Column::Id.in_subquery(active)
        });
    }
    let select = policy::scoped(
        candidate::Entity::find().filter(condition),
        policy::candidate_scope(actor),
    );
    fetch(
        db,
        select,
        candidate::Column::Id,
        page,
        Direction::Ascending,
    )
    .await
}

pub async fn visible_candidate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<candidate::Model> {
    policy::scoped(
        candidate::Entity::find_by_id(id),
        policy::candidate_scope(actor),
    )
    .one(db)
    .await?
    .ok_or(Error::NotFound)
}
