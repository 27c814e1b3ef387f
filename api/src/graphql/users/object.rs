use crate::domain::values::OrganizationKind;
use crate::domain::values::Role;
use crate::domain::views::UserView;
use crate::graphql::connection::connection;
use crate::graphql::context::actor;
use crate::graphql::context::load;
use crate::graphql::context::load_list;
use crate::graphql::context::load_required;
use crate::graphql::employers::Employer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::EmployerOfUser;
use crate::graphql::loader::MunicipalitiesOfAgreement;
use crate::graphql::loader::MunicipalitiesOfUser;
use crate::graphql::loader::MunicipalityByCode;
use crate::graphql::loader::OrganizationById;
use crate::graphql::loader::PartiesOfAgreement;
use crate::graphql::loader::RevisionsOfAgreement;
use crate::graphql::loader::RolesOfUser;
use crate::graphql::loader::UserById;
use crate::graphql::reference::Municipality;
use crate::graphql::scalars::Date;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use jobtrack_entity::agreement;
use jobtrack_entity::agreement_revision;
use jobtrack_entity::app_user;
use jobtrack_entity::audit_event;
use jobtrack_entity::organization;

pub struct AuditEvent(pub audit_event::Model);

/// One read or change of a candidate's personal data.
#[Object]
impl AuditEvent {
    pub async fn id(&self) -> ID {
        ids::encode("AuditEvent", self.0.id)
    }

    async fn at(&self) -> crate::graphql::scalars::DateTime {
        self.0.at.into()
    }

    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.actor_id else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    /// e.g. candidate.read, candidate.update, consent.record, candidate.erase
    async fn action(&self) -> &str {
        &self.0.action
    }

    async fn candidate_id(&self) -> Option<ID> {
        self.0.candidate_id.map(|id| ids::encode("Candidate", id))
    }

    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
}

connection!(AuditEventConnection, AuditEventEdge, AuditEvent);

pub struct Organization(pub organization::Model);

#[Object]
impl Organization {
    pub async fn id(&self) -> ID {
        ids::encode("Organization", self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Organisationsnummer, NNNNNN-NNNN, check digit validated.
    async fn org_number(&self) -> &str {
        &self.0.org_number
    }

    async fn kind(&self) -> OrganizationKind {
        self.0.kind
    }

    /// Set for kind MUNICIPALITY.
    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Option<Municipality>> {
        let Some(code) = &self.0.municipality_code else {
            return Ok(None);
        };
        Ok(load(ctx, MunicipalityByCode(code.clone()))
            .await?
            .map(Municipality))
    }
}

pub struct Agreement(pub agreement::Model);

#[Object]
impl Agreement {
    pub async fn id(&self) -> ID {
        ids::encode("Agreement", self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn parties(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organization>> {
        Ok(load_list(ctx, PartiesOfAgreement(self.0.id))
            .await?
            .into_iter()
            .map(Organization)
            .collect())
    }

    async fn municipalities(&self, ctx: &Context<'_>) -> ApiResult<Vec<Municipality>> {
        Ok(load_list(ctx, MunicipalitiesOfAgreement(self.0.id))
            .await?
            .into_iter()
            .map(Municipality)
            .collect())
    }

    async fn valid_from(&self) -> Date {
        self.0.valid_from.into()
    }

    /// Null: valid until further notice.
    async fn valid_until(&self) -> Option<Date> {
        self.0.valid_until.map(Date)
    }

    async fn revision_due(&self) -> Option<Date> {
        self.0.revision_due.map(Date)
    }

    /// Share of started participants who must complete, e.g. 90.
    async fn completion_target_percent(&self) -> i32 {
        self.0.completion_target_percent
    }

    /// More active applicants than this on one track alerts the section managers.
    async fn escalation_threshold(&self) -> i32 {
        self.0.escalation_threshold
    }

    /// The agreement as each revision decided it, newest first (the first one is the
    /// agreement as created).
    async fn revisions(&self, ctx: &Context<'_>) -> ApiResult<Vec<AgreementRevision>> {
        Ok(load_list(ctx, RevisionsOfAgreement(self.0.id))
            .await?
            .into_iter()
            .map(AgreementRevision)
            .collect())
    }
}

/// An agreement as one revision decided it.
pub struct AgreementRevision(pub agreement_revision::Model);

#[Object]
impl AgreementRevision {
    /// The day the parties decided it.
    async fn revised_on(&self) -> Date {
        self.0.revised_on.into()
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn valid_from(&self) -> Date {
        self.0.valid_from.into()
    }

    async fn valid_until(&self) -> Option<Date> {
        self.0.valid_until.map(Date)
    }

    async fn revision_due(&self) -> Option<Date> {
        self.0.revision_due.map(Date)
    }

    async fn completion_target_percent(&self) -> i32 {
        self.0.completion_target_percent
    }

    async fn escalation_threshold(&self) -> i32 {
        self.0.escalation_threshold
    }

    async fn parties(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organization>> {
        let mut parties = Vec::new();
        for id in self
            .0
            .party_ids
            .split(',')
            .filter_map(|id| id.parse::<i64>().ok())
        {
            if let Some(found) = load(ctx, OrganizationById(id)).await? {
                parties.push(Organization(found));
            }
        }
        Ok(parties)
    }

    async fn municipality_codes(&self) -> Vec<&str> {
        self.0
            .municipality_codes
            .split(',')
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Who recorded it; `null` for the state recorded when the history began.
    async fn recorded_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self.0.recorded_by else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    async fn recorded_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.recorded_at.into()
    }
}

pub struct User(pub UserView);

impl User {
    /// A user row as the signed-in viewer may see it.
    pub fn of(ctx: &Context<'_>, user: app_user::Model) -> ApiResult<Self> {
        Ok(Self(UserView::build(user, actor(ctx)?)))
    }
}

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        ids::encode("User", self.0.id)
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Empty when the viewer may not see the user's internals (policy::user_detail).
    async fn roles(&self, ctx: &Context<'_>) -> ApiResult<Vec<Role>> {
        if !self.0.internals {
            return Ok(Vec::new());
        }
        load_list(ctx, RolesOfUser(self.0.id)).await
    }

    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<Option<Organization>> {
        let Some(id) = self.0.organization_id else {
            return Ok(None);
        };
        Ok(Some(Organization(
            load_required(ctx, OrganizationById(id)).await?,
        )))
    }

    /// Set for EMPLOYER users.
    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Option<Employer>> {
        if !self.0.internals {
            return Ok(None);
        }
        Ok(load(ctx, EmployerOfUser(self.0.id)).await?.map(Employer))
    }

    /// Municipalities whose candidates the user may see (caseworkers).
    async fn municipalities(&self, ctx: &Context<'_>) -> ApiResult<Vec<Municipality>> {
        if !self.0.internals {
            return Ok(Vec::new());
        }
        Ok(load_list(ctx, MunicipalitiesOfUser(self.0.id))
            .await?
            .into_iter()
            .map(Municipality)
            .collect())
    }

    async fn active(&self) -> bool {
        self.0.active
    }
}
