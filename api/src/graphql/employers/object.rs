use crate::domain::identifiers::display_employer_number;
use crate::domain::pagination::Page;
use crate::domain::policy;
use crate::domain::values::CompetenceNeedStatus;
use crate::domain::values::EducationLevel;
use crate::domain::values::EmployerSize;
use crate::domain::values::SwedishLevel;
use crate::graphql::connection::connection;
use crate::graphql::contacts::EmployerContact;
use crate::graphql::contacts::EmployerContactConnection;
use crate::graphql::context::load;
use crate::graphql::context::load_list;
use crate::graphql::context::load_required;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::loader::ContactPersonsOfEmployer;
use crate::graphql::loader::ContactsOfEmployer;
use crate::graphql::loader::EmployerById;
use crate::graphql::loader::IndustryByCode;
use crate::graphql::loader::LastContactOfEmployer;
use crate::graphql::loader::MunicipalityByCode;
use crate::graphql::loader::NeedsOfEmployer;
use crate::graphql::loader::OccupationByCode;
use crate::graphql::loader::TracksOfEmployer;
use crate::graphql::loader::TracksOfNeed;
use crate::graphql::loader::UserById;
use crate::graphql::reference::Industry;
use crate::graphql::reference::Municipality;
use crate::graphql::reference::Occupation;
use crate::graphql::scalars::Date;
use crate::graphql::tracks::JobTrack;
use crate::graphql::tracks::JobTrackConnection;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::Object;
use async_graphql::SimpleObject;
use jobtrack_entity::competence_need;
use jobtrack_entity::employer;
use jobtrack_entity::employer_contact_person;

#[derive(SimpleObject)]
pub struct ContactPerson {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<employer_contact_person::Model> for ContactPerson {
    fn from(m: employer_contact_person::Model) -> Self {
        Self {
            name: m.name,
            title: m.title,
            email: m.email,
            phone: m.phone,
        }
    }
}

pub struct Employer(pub employer::Model);

impl Employer {
    fn details_visible(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(policy::may_read_employer_details(
            crate::graphql::context::actor(ctx)?,
            self.0.id,
        ))
    }
}

connection!(CompetenceNeedConnection, CompetenceNeedEdge, CompetenceNeed);

connection!(EmployerConnection, EmployerEdge, Employer);

#[Object]
impl Employer {
    pub async fn id(&self) -> ID {
        ids::encode("Employer", self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// A sole trader's personnummer is personal data and shown masked.
    async fn org_number(&self) -> String {
        display_employer_number(&self.0.org_number)
    }

    async fn industry(&self, ctx: &Context<'_>) -> ApiResult<Option<Industry>> {
        let Some(code) = &self.0.sni_code else {
            return Ok(None);
        };
        Ok(load(ctx, IndustryByCode(code.clone())).await?.map(Industry))
    }

    async fn municipality(&self, ctx: &Context<'_>) -> ApiResult<Municipality> {
        Ok(Municipality(
            load_required(ctx, MunicipalityByCode(self.0.municipality_code.clone())).await?,
        ))
    }

    async fn size(&self) -> Option<EmployerSize> {
        self.0.size
    }

    async fn contact_persons(&self, ctx: &Context<'_>) -> ApiResult<Vec<ContactPerson>> {
        if !self.details_visible(ctx)? {
            return Ok(Vec::new());
        }
        Ok(load_list(ctx, ContactPersonsOfEmployer(self.0.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The adviser who coordinates contacts with this employer.
    async fn contact_owner(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(id) = self
            .0
            .contact_owner_id
            .filter(|_| self.details_visible(ctx).unwrap_or(false))
        else {
            return Ok(None);
        };
        Ok(load(ctx, UserById(id)).await?.map(User))
    }

    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn competence_needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<CompetenceNeedStatus>>,
    ) -> ApiResult<CompetenceNeedConnection> {
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = if self.details_visible(ctx)? {
            load(ctx, NeedsOfEmployer::new(self.0.id, request, status))
                .await?
                .unwrap_or_else(|| Page::empty(request))
        } else {
            Page::empty(request)
        };
        Ok(CompetenceNeedConnection::new(
            page,
            |n| n.id,
            CompetenceNeed,
        ))
    }

    /// Not visible to EMPLOYER users. Newest first.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<EmployerContactConnection> {
        if !policy::may_read_employer_contacts(crate::graphql::context::actor(ctx)?) {
            return Err(crate::error::Error::Forbidden.into());
        }
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = load(ctx, ContactsOfEmployer::new(self.0.id, request, None))
            .await?
            .unwrap_or_else(|| Page::empty(request));
        Ok(EmployerContactConnection::new(
            page,
            |c| c.id,
            EmployerContact,
        ))
    }

    /// The most recent contact; null for EMPLOYER users.
    async fn last_contact(&self, ctx: &Context<'_>) -> ApiResult<Option<EmployerContact>> {
        if !policy::may_read_employer_contacts(crate::graphql::context::actor(ctx)?) {
            return Ok(None);
        }
        Ok(load(ctx, LastContactOfEmployer(self.0.id))
            .await?
            .map(EmployerContact))
    }

    /// The tracks of this employer that the viewer may see.
    #[graphql(complexity = "crate::graphql::connection::list_cost(first, child_complexity)")]
    async fn job_tracks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<JobTrackConnection> {
        let request = crate::graphql::connection::page_request(ctx, first, after.as_deref())?;
        let page = load(ctx, TracksOfEmployer::new(self.0.id, request, None))
            .await?
            .unwrap_or_else(|| Page::empty(request));
        Ok(JobTrackConnection::new(page, |t| t.id, JobTrack))
    }
}

#[derive(SimpleObject)]
pub struct Requirements {
    pub driving_licence: bool,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
    pub other: Option<String>,
}

pub struct CompetenceNeed(pub competence_need::Model);

#[Object]
impl CompetenceNeed {
    pub async fn id(&self) -> ID {
        ids::encode("CompetenceNeed", self.0.id)
    }

    /// Tracks of the viewer's agreements that could answer this need: same SSYK unit
    /// group first, then the same minor group, recruiting from the employer's
    /// municipality, not completed or cancelled. Null for employers.
    async fn matching_tracks(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Option<Vec<crate::graphql::tracks::JobTrack>>> {
        let found = crate::domain::matching::matching_tracks(
            crate::graphql::context::db(ctx)?,
            crate::graphql::context::actor(ctx)?,
            &self.0,
        )
        .await?;
        Ok(found.map(|t| {
            t.into_iter()
                .map(crate::graphql::tracks::JobTrack)
                .collect()
        }))
    }

    async fn employer(&self, ctx: &Context<'_>) -> ApiResult<Employer> {
        Ok(Employer(
            load_required(ctx, EmployerById(self.0.employer_id)).await?,
        ))
    }

    async fn occupation(&self, ctx: &Context<'_>) -> ApiResult<Occupation> {
        Ok(Occupation(
            load_required(ctx, OccupationByCode(self.0.ssyk_code.clone())).await?,
        ))
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn positions(&self) -> i32 {
        self.0.positions
    }

    async fn requirements(&self) -> ApiResult<Requirements> {
        Ok(Requirements {
            driving_licence: self.0.driving_licence,
            minimum_swedish_level: self.0.minimum_swedish_level,
            minimum_education: self.0.minimum_education,
            other: self.0.other_requirements.clone(),
        })
    }

    async fn earliest_start(&self) -> Option<Date> {
        self.0.earliest_start.map(Date)
    }

    async fn status(&self) -> CompetenceNeedStatus {
        self.0.status
    }

    async fn created_at(&self) -> crate::graphql::scalars::DateTime {
        self.0.created_at.into()
    }

    /// The tracks answering this need that the viewer may see.
    async fn job_tracks(&self, ctx: &Context<'_>) -> ApiResult<Vec<JobTrack>> {
        Ok(load_list(ctx, TracksOfNeed(self.0.id))
            .await?
            .into_iter()
            .map(JobTrack)
            .collect())
    }
}
