use crate::auth::session;
use crate::auth::session::Session;
use crate::domain::agreements;
use crate::domain::agreements::NewAgreement;
use crate::domain::agreements::NewOrganization;
use crate::domain::users;
use crate::domain::users::NewUser;
use crate::domain::values::OrganizationKind;
use crate::domain::values::Role;
use crate::error::Error;
use crate::graphql::context::actor;
use crate::graphql::context::db;
use crate::graphql::context::state;
use crate::graphql::context::viewer;
use crate::graphql::error::ApiResult;
use crate::graphql::ids;
use crate::graphql::scalars::Date;
use crate::graphql::users::Agreement;
use crate::graphql::users::Organization;
use crate::graphql::users::User;
use async_graphql::Context;
use async_graphql::ID;
use async_graphql::InputObject;
use async_graphql::MaybeUndefined;
use async_graphql::Object;
use async_graphql::SimpleObject;
use chrono::Utc;
use jobtrack_entity::app_user;
use sea_orm::EntityTrait;

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct RefreshTokenInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutInput {
    pub refresh_token: String,
}

#[derive(SimpleObject)]
pub struct LogoutPayload {
    pub ok: bool,
}

#[derive(SimpleObject)]
pub struct AuthPayload {
    pub access_token: String,
    /// Opaque, single use: refreshing rotates it.
    pub refresh_token: String,
    pub expires_at: crate::graphql::scalars::DateTime,
    pub user: User,
}

/// Builds the payload of a new session.
pub async fn auth_payload(ctx: &Context<'_>, session: Session) -> ApiResult<AuthPayload> {
    let user = app_user::Entity::find_by_id(session.user_id)
        .one(db(ctx)?)
        .await?
        .ok_or_else(|| Error::Internal("session for a missing user".into()))?;
    Ok(AuthPayload {
        access_token: session.access_token,
        refresh_token: session.refresh_token,
        expires_at: session.expires_at.into(),
        user: User(crate::domain::views::UserView::signed_in(user)),
    })
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Wrong email and wrong password fail alike; repeated failures are slowed down.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let address = viewer(ctx)?.client_address.clone();
        let session = session::login(
            &state.db,
            &state.keys,
            &input.email,
            &input.password,
            &address,
        )
        .await;
        state.metrics.login(match &session {
            Ok(_) => "ok",
            Err(err) if session::is_lockout(err) => "throttled",
            Err(_) => "failed",
        });
        auth_payload(ctx, session?).await
    }

    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let session = session::refresh(&state.db, &state.keys, &input.refresh_token).await?;
        auth_payload(ctx, session).await
    }

    /// Ends the sign-in the refresh token belongs to; always `ok`, so it reveals nothing.
    async fn logout(&self, ctx: &Context<'_>, input: LogoutInput) -> ApiResult<LogoutPayload> {
        session::logout(db(ctx)?, &input.refresh_token).await?;
        Ok(LogoutPayload { ok: true })
    }
}

#[derive(InputObject)]
pub struct CreateOrganizationInput {
    pub name: String,
    pub org_number: String,
    pub kind: OrganizationKind,
    pub municipality_code: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateOrganizationPayload {
    pub organization: Organization,
}

#[derive(InputObject)]
pub struct CreateAgreementInput {
    pub name: String,
    pub party_ids: Vec<ID>,
    pub municipality_codes: Vec<String>,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub revision_due: Option<Date>,
    pub completion_target_percent: i32,
    pub escalation_threshold: i32,
}

#[derive(SimpleObject)]
pub struct CreateAgreementPayload {
    pub agreement: Agreement,
}

/// A revision of an agreement; leave a field out to keep it. The revision is kept in
/// `Agreement.revisions`.
#[derive(InputObject)]
pub struct UpdateAgreementInput {
    pub agreement_id: ID,
    /// The day the parties decided the revision; today when left out.
    pub revised_on: Option<Date>,
    /// What changed and why, e.g. "Årlig revidering: målet sänkt till 80 %".
    pub note: Option<String>,
    pub name: Option<String>,
    pub valid_from: Option<Date>,
    /// `null`: valid until further notice.
    pub valid_until: MaybeUndefined<Date>,
    pub revision_due: MaybeUndefined<Date>,
    pub completion_target_percent: Option<i32>,
    pub escalation_threshold: Option<i32>,
    /// Replaces the parties (at least two, the Public Employment Service among them).
    pub party_ids: Option<Vec<ID>>,
    pub municipality_codes: Option<Vec<String>>,
}

#[derive(SimpleObject)]
pub struct UpdateAgreementPayload {
    pub agreement: Agreement,
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> ApiResult<CreateOrganizationPayload> {
        let actor = actor(ctx)?;
        let input = NewOrganization {
            name: input.name,
            org_number: input.org_number,
            kind: input.kind,
            municipality_code: input.municipality_code,
        };
        let organization = agreements::create_organization(db(ctx)?, actor, input).await?;
        Ok(CreateOrganizationPayload {
            organization: Organization(organization),
        })
    }

    async fn create_agreement(
        &self,
        ctx: &Context<'_>,
        input: CreateAgreementInput,
    ) -> ApiResult<CreateAgreementPayload> {
        let actor = actor(ctx)?;
        let party_ids = input
            .party_ids
            .iter()
            .map(|id| ids::decode("partyIds", "Organization", id))
            .collect::<Result<_, _>>()?;
        let input = NewAgreement {
            name: input.name,
            party_ids,
            municipality_codes: input.municipality_codes,
            valid_from: input.valid_from.0,
            valid_until: input.valid_until.map(|d| d.0),
            revision_due: input.revision_due.map(|d| d.0),
            completion_target_percent: input.completion_target_percent,
            escalation_threshold: input.escalation_threshold,
        };
        let agreement = agreements::create_agreement(db(ctx)?, actor, input).await?;
        Ok(CreateAgreementPayload {
            agreement: Agreement(agreement),
        })
    }

    /// ADMIN: revises an agreement (yearly, or when the parties change) and keeps the
    /// revision in its history.
    async fn update_agreement(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgreementInput,
    ) -> ApiResult<UpdateAgreementPayload> {
        let actor = actor(ctx)?;
        let id = ids::decode("agreementId", "Agreement", &input.agreement_id)?;
        let party_ids = input
            .party_ids
            .map(|ids| {
                ids.iter()
                    .map(|id| ids::decode("partyIds", "Organization", id))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let date = |d: MaybeUndefined<Date>| -> Option<Option<chrono::NaiveDate>> {
            Option::<Option<Date>>::from(d).map(|d| d.map(|d| d.0))
        };
        let changes = agreements::AgreementChanges {
            revised_on: input.revised_on.map(|d| d.0),
            note: input.note,
            name: input.name,
            valid_from: input.valid_from.map(|d| d.0),
            valid_until: date(input.valid_until),
            revision_due: date(input.revision_due),
            completion_target_percent: input.completion_target_percent,
            escalation_threshold: input.escalation_threshold,
            party_ids,
            municipality_codes: input.municipality_codes,
        };
        let agreement = agreements::revise_agreement(db(ctx)?, actor, id, changes).await?;
        Ok(UpdateAgreementPayload {
            agreement: Agreement(agreement),
        })
    }
}

#[derive(InputObject)]
pub struct InviteUserInput {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub organization_id: Option<ID>,
    pub employer_id: Option<ID>,
    pub municipality_codes: Option<Vec<String>>,
}

/// Emails a one-time link; the user sets a password with acceptInvitation.
#[derive(SimpleObject)]
pub struct InviteUserPayload {
    pub user: User,
}

#[derive(InputObject)]
pub struct AcceptInvitationInput {
    pub token: String,
    pub password: String,
}

#[derive(Default)]
pub struct InvitationMutation;

#[Object]
impl InvitationMutation {
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
    ) -> ApiResult<InviteUserPayload> {
        let actor = actor(ctx)?;
        let state = state(ctx)?;
        let new_user = NewUser {
            email: input.email,
            name: input.name,
            roles: input.roles,
            organization_id: input
                .organization_id
                .as_ref()
                .map(|id| ids::decode("organizationId", "Organization", id))
                .transpose()?,
            employer_id: input
                .employer_id
                .as_ref()
                .map(|id| ids::decode("employerId", "Employer", id))
                .transpose()?,
            municipality_codes: input.municipality_codes.unwrap_or_default(),
            password: None,
        };
        let user = users::invite(&state.db, actor, new_user, &state.config.portal_url).await?;
        Ok(InviteUserPayload {
            user: User::of(ctx, user)?,
        })
    }

    /// Sets the invited user's password (at least 10 characters, not a common one) and signs in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> ApiResult<AuthPayload> {
        let state = state(ctx)?;
        let user_id = users::accept_invitation(&state.db, &input.token, &input.password).await?;
        app_user::Entity::find_by_id(user_id)
            .one(&state.db)
            .await?
            .ok_or(Error::NotFound)?;
        let session = session::start(
            &state.db,
            &state.keys,
            user_id,
            &uuid::Uuid::new_v4().to_string(),
            Utc::now(),
        )
        .await?;
        auth_payload(ctx, session).await
    }
}
