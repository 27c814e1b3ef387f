//! What a viewer sees of candidates, applications, admission steps, outcomes, consents
//! and users: read models built by applying the policy. Building a view that carries a
//! candidate's personal data records the read in the request's audit batch, so no field
//! can be served without a trace. A view can only be built through its `build` (each
//! holds a private [`Recorded`]); the GraphQL objects render views and nothing else.
//!
//! What each view records (the `detail` of a `candidate.read` audit event):
//! `candidate` (name, masked personnummer, gender, contact details, education, Swedish
//! level, driving licence, programme), `personalIdentityNumber.full`, `targetGroups`,
//! `consents`, `application` (motivation, nomination note, the SFI teacher's view,
//! decision reason), `steps` (assessments), `outcome`; for employer users `applicant`
//! (name, Swedish level, education, driving licence), `applicant.application`
//! (motivation) and `applicant.steps` (its own trial placement's assessment).

use chrono::{DateTime, NaiveDate, Utc};
use jobtrack_entity::{
    admission_step, app_user, application, candidate, consent, follow_up, outcome,
};

use super::audit::Reads;
use super::identifiers::{format_personal_identity_number, mask_personal_identity_number};
use super::policy;
use super::values::{
    AdmissionStepKind, ApplicationStatus, ConsentMethod, ConsentScope, EducationLevel,
    FollowUpSituation, Gender, OutcomeKind, Programme, StepResult, SwedishLevel, TargetGroup,
    WithdrawalReason,
};
use crate::auth::Actor;
use crate::error::{Error, Result};

/// Who is reading, and where the reads of this request are recorded.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub actor: &'a Actor,
    pub reads: &'a Reads,
}

impl Reader<'_> {
    fn record(&self, candidate_id: i64, what: &'static str) {
        self.reads.note(candidate_id, what);
    }
}

/// Proof that a view was built by this module, which recorded its read.
#[derive(Clone, Debug)]
pub struct Recorded(());

/// A candidate as staff who may read the candidate see it.
#[derive(Clone, Debug)]
pub struct CandidateView {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    /// `YYYYMMDD-****`, or the birth year alone when no personnummer is stored.
    pub masked_personal_identity_number: String,
    pub birth_year: i32,
    pub gender: Gender,
    pub municipality_code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub education_level: EducationLevel,
    pub swedish_level: SwedishLevel,
    pub driving_licence: bool,
    pub programme: Programme,
    pub caseworker_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub erased_at: Option<DateTime<Utc>>,
    full_personal_identity_number: FullNumber,
    _recorded: Recorded,
}

/// What `includeFull` gives this viewer.
#[derive(Clone, Debug)]
enum FullNumber {
    /// No personnummer is stored (erased, or never given): the masked form is all there is.
    NotStored,
    /// The policy does not let this viewer read it.
    Forbidden,
    Allowed(String),
}

impl CandidateView {
    /// The caller has established that the reader may read this candidate (its scope).
    pub fn build(c: candidate::Model, reader: Reader<'_>) -> Result<Self> {
        reader.record(c.id, "candidate");
        let allowed = policy::may_read_full_personal_identity_number(reader.actor, &c);
        let (masked, full) = match &c.personal_identity_number {
            Some(stored) if allowed => (
                mask_personal_identity_number(stored),
                FullNumber::Allowed(format_personal_identity_number(stored)),
            ),
            Some(stored) => (mask_personal_identity_number(stored), FullNumber::Forbidden),
            None => (format!("{}****-****", c.birth_year), FullNumber::NotStored),
        };
        Ok(Self {
            id: c.id,
            masked_personal_identity_number: masked,
            full_personal_identity_number: full,
            birth_year: c.birth_year,
            gender: c.gender,
            education_level: c.education_level,
            swedish_level: c.swedish_level,
            programme: c.programme,
            first_name: c.first_name,
            last_name: c.last_name,
            municipality_code: c.municipality_code,
            email: c.email,
            phone: c.phone,
            driving_licence: c.driving_licence,
            caseworker_id: c.caseworker_id,
            created_at: c.created_at,
            erased_at: c.erased_at,
            _recorded: Recorded(()),
        })
    }

    /// The full personnummer: recorded as its own read; FORBIDDEN unless the policy
    /// allows it. Without a stored personnummer, the masked form.
    pub fn full_personal_identity_number(&self, reader: Reader<'_>) -> Result<String> {
        match &self.full_personal_identity_number {
            FullNumber::NotStored => Ok(self.masked_personal_identity_number.clone()),
            FullNumber::Forbidden => Err(Error::Forbidden),
            FullNumber::Allowed(full) => {
                reader.record(self.id, "personalIdentityNumber.full");
                Ok(full.clone())
            }
        }
    }
}

/// A candidate's target groups, recorded as read.
pub fn target_groups(
    candidate_id: i64,
    groups: Vec<TargetGroup>,
    reader: Reader<'_>,
) -> Vec<TargetGroup> {
    reader.record(candidate_id, "targetGroups");
    groups
}

/// What an employer user sees of an applicant.
#[derive(Clone, Debug)]
pub struct ApplicantView {
    pub first_name: String,
    pub last_name: String,
    pub swedish_level: SwedishLevel,
    pub driving_licence: bool,
    pub education_level: EducationLevel,
    _recorded: Recorded,
}

impl ApplicantView {
    /// The caller reached the candidate through an application the employer may see.
    pub fn build(c: candidate::Model, reader: Reader<'_>) -> Result<Self> {
        reader.record(c.id, "applicant");
        Ok(Self {
            swedish_level: c.swedish_level,
            education_level: c.education_level,
            first_name: c.first_name,
            last_name: c.last_name,
            driving_licence: c.driving_licence,
            _recorded: Recorded(()),
        })
    }
}

/// The caseworkers' and working group's part of an application: never an employer's.
#[derive(Clone, Debug)]
pub struct CaseDetails {
    pub withdrawal_reason: Option<WithdrawalReason>,
    pub carried_over_from: Option<i64>,
    pub nominated_by: Option<i64>,
    pub nomination_note: Option<String>,
    pub language_assessment: Option<String>,
    pub decision_reason: Option<String>,
}

/// An application as its viewer may see it: staff see the candidate and the case
/// details; an employer user sees the applicant and the motivation.
#[derive(Clone, Debug)]
pub struct ApplicationView {
    pub id: i64,
    pub job_track_id: i64,
    pub candidate_id: i64,
    pub status: ApplicationStatus,
    pub version: i32,
    pub nominated_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub motivation: Option<String>,
    /// `None` for employer users, who see the applicant instead of the candidate.
    pub case: Option<CaseDetails>,
    _recorded: Recorded,
}

impl ApplicationView {
    /// The caller has established that the reader may see this application.
    pub fn build(a: application::Model, reader: Reader<'_>) -> Result<Self> {
        let staff = !policy::sees_as_employer(reader.actor);
        reader.record(
            a.candidate_id,
            if staff {
                "application"
            } else {
                "applicant.application"
            },
        );
        Ok(Self {
            id: a.id,
            job_track_id: a.job_track_id,
            candidate_id: a.candidate_id,
            status: a.status,
            version: a.version,
            nominated_at: a.nominated_at,
            updated_at: a.updated_at,
            motivation: a.motivation,
            case: staff.then_some(CaseDetails {
                withdrawal_reason: a.withdrawal_reason,
                carried_over_from: a.carried_over_from,
                nominated_by: a.nominated_by,
                nomination_note: a.nomination_note,
                language_assessment: a.language_assessment,
                decision_reason: a.decision_reason,
            }),
            _recorded: Recorded(()),
        })
    }

    /// Whether the viewer sees the candidate (staff) rather than the applicant.
    pub fn shows_candidate(&self) -> bool {
        self.case.is_some()
    }
}

/// One admission step; an employer user sees an assessment only of a trial placement it
/// hosts, and who assessed only when it was itself.
#[derive(Clone, Debug)]
pub struct StepView {
    pub id: i64,
    pub kind: AdmissionStepKind,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub employer_id: Option<i64>,
    pub result: StepResult,
    pub assessment: Option<String>,
    pub assessed_by: Option<i64>,
    pub completed_at: Option<DateTime<Utc>>,
    _recorded: Recorded,
}

impl StepView {
    /// `candidate_id`: the candidate of the step's application, which the reader may see.
    pub fn build(s: admission_step::Model, candidate_id: i64, reader: Reader<'_>) -> Result<Self> {
        let kind = s.kind;
        let staff = !policy::sees_as_employer(reader.actor);
        let assessment = (staff
            || policy::employer_sees_step_assessment(reader.actor, kind, s.employer_id))
        .then_some(s.assessment)
        .flatten();
        let assessed_by = s
            .assessed_by
            .filter(|user| staff || *user == reader.actor.user_id);
        if assessment.is_some() {
            reader.record(
                candidate_id,
                if staff { "steps" } else { "applicant.steps" },
            );
        }
        Ok(Self {
            id: s.id,
            kind,
            scheduled_at: s.scheduled_at,
            ends_at: s.ends_at,
            location: s.location,
            employer_id: s.employer_id,
            result: s.result,
            assessment,
            assessed_by,
            completed_at: s.completed_at,
            _recorded: Recorded(()),
        })
    }
}

/// The outcome of a participation: staff only (the caller reached it through an
/// application view with case details).
#[derive(Clone, Debug)]
pub struct OutcomeView {
    pub kind: OutcomeKind,
    pub employer_id: Option<i64>,
    pub starts_on: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
    _recorded: Recorded,
}

impl OutcomeView {
    pub fn build(
        o: &outcome::Model,
        candidate_id: i64,
        reader: Reader<'_>,
    ) -> Result<Option<Self>> {
        if policy::sees_as_employer(reader.actor) {
            return Ok(None);
        }
        reader.record(candidate_id, "outcome");
        Ok(Some(Self {
            kind: o.kind,
            employer_id: o.employer_id,
            starts_on: o.starts_on,
            recorded_at: o.recorded_at,
            _recorded: Recorded(()),
        }))
    }
}

/// A follow-up after exit, as staff who see the application's case details see it;
/// `None` for employer users.
#[derive(Clone, Debug)]
pub struct FollowUpView {
    pub day: i32,
    pub situation: FollowUpSituation,
    pub employer_id: Option<i64>,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTime<Utc>,
    _recorded: Recorded,
}

impl FollowUpView {
    pub fn build(
        f: &follow_up::Model,
        candidate_id: i64,
        reader: Reader<'_>,
    ) -> Result<Option<Self>> {
        if policy::sees_as_employer(reader.actor) {
            return Ok(None);
        }
        reader.record(candidate_id, "followUps");
        Ok(Some(Self {
            day: f.day,
            situation: f.situation,
            employer_id: f.employer_id,
            note: f.note.clone(),
            recorded_by: f.recorded_by,
            recorded_at: f.recorded_at,
            _recorded: Recorded(()),
        }))
    }
}

/// A consent, as those who may read the candidate see it.
#[derive(Clone, Debug)]
pub struct ConsentView {
    pub id: i64,
    pub scope: ConsentScope,
    pub method: ConsentMethod,
    pub given_at: DateTime<Utc>,
    pub recorded_by: i64,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub employer_id: Option<i64>,
    _recorded: Recorded,
}

impl ConsentView {
    /// Not withdrawn, begun and not run out at `now`.
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.withdrawn_at.is_none()
            && self.valid_from <= now
            && self.valid_until.is_none_or(|until| until > now)
    }

    pub fn build(c: &consent::Model, reader: Reader<'_>) -> Result<Self> {
        reader.record(c.candidate_id, "consents");
        Ok(Self {
            id: c.id,
            scope: c.scope,
            method: c.method,
            given_at: c.given_at,
            recorded_by: c.recorded_by,
            withdrawn_at: c.withdrawn_at,
            withdrawn_by: c.withdrawn_by,
            valid_from: c.valid_from.unwrap_or(c.given_at),
            valid_until: c.valid_until,
            employer_id: c.employer_id,
            _recorded: Recorded(()),
        })
    }
}

/// A user as the viewer sees it. `internals` (roles, municipalities, employer link) are
/// shown only when [`policy::user_detail`] says `Full`; an employer user sees staff it
/// works with as business contacts: name, work email and organisation.
#[derive(Clone, Debug)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub organization_id: Option<i64>,
    pub active: bool,
    pub internals: bool,
}

impl UserView {
    pub fn build(u: app_user::Model, actor: &Actor) -> Self {
        let detail = policy::user_detail(actor, u.id);
        Self::with(u, detail)
    }

    /// The user who has just signed in, seeing itself.
    pub fn signed_in(u: app_user::Model) -> Self {
        Self::with(u, policy::UserDetail::Full)
    }

    fn with(u: app_user::Model, detail: policy::UserDetail) -> Self {
        Self {
            internals: detail == policy::UserDetail::Full,
            id: u.id,
            email: u.email,
            name: u.name,
            organization_id: u.organization_id,
            active: u.active,
        }
    }
}
