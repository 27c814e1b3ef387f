//! Demo job tracks in every state, from the local demand survey, with candidates at every
//! step of the admission process. Candidates are fictional; their personnummer are
//! generated with valid check digits.
#![expect(
    clippy::indexing_slicing,
    reason = "the demo indexes its own fixed lists of seeded rows; a wrong index fails the demo test at once"
)]

use crate::db::Db;
use chrono::{Duration, NaiveDate, Utc};
use jobtrack_entity::app_user;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::{Actor, load_actor};
use crate::domain::admission::{self, TrialPlacement};
use crate::domain::candidates::{self, NewCandidate};
use crate::domain::identifiers::luhn_check_digit;
use crate::domain::needs::Requirements;
use crate::domain::tracks::{self, Eligibility, NewComponent, NewTrack};
use crate::domain::values::{
    AdmissionStepKind, ComponentKind, ConsentMethod, ConsentScope, EducationLevel, Gender,
    JobTrackStatus, Programme, StepResult, SwedishLevel, TargetGroup,
};
use crate::error::{Error, Result};

pub struct Demo {
    pub admin: Actor,
    /// Welding, care, logistics, construction, vehicles, restaurant.
    pub employers: Vec<i64>,
    pub fyrbodal: i64,
    pub dalsland: i64,
}

const PEOPLE: &[(&str, &str, Gender)] = &[
    ("Amina", "Hassan", Gender::Woman),
    ("Johan", "Lindberg", Gender::Man),
    ("Fatima", "Yusuf", Gender::Woman),
    ("Ali", "Rahimi", Gender::Man),
    ("Sara", "Nilsson", Gender::Woman),
    ("Mohammed", "Al-Sayed", Gender::Man),
    ("Elin", "Andersson", Gender::Woman),
    ("Kim", "Berg", Gender::Other),
    ("Hodan", "Abdi", Gender::Woman),
    ("Ahmad", "Karimi", Gender::Man),
    ("Lina", "Svensson", Gender::Woman),
    ("Daniel", "Johansson", Gender::Man),
    ("Marwa", "Ibrahim", Gender::Woman),
    ("Peter", "Olsson", Gender::Man),
    ("Yasmin", "Omar", Gender::Woman),
    ("Emil", "Persson", Gender::Man),
    ("Nour", "Haddad", Gender::Woman),
    ("Robin", "Ek", Gender::Other),
    ("Hanna", "Larsson", Gender::Woman),
    ("Samir", "Khalil", Gender::Man),
    ("Maja", "Eriksson", Gender::Woman),
    ("Tesfay", "Gebre", Gender::Man),
];

/// A generated personnummer with a valid check digit for demo person `n`.
fn personnummer(n: usize) -> String {
    let born = NaiveDate::from_ymd_opt(1978, 3, 1).unwrap_or_default()
        + Duration::days(i64::try_from(n).unwrap_or(0) * 311);
    let serial = 800 + n;
    let body = format!("{}{serial:03}", born.format("%y%m%d"));
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!(
        "{}-{serial:03}{}",
        born.format("%Y%m%d"),
        luhn_check_digit(&digits)
    )
}

async fn actor(db: &Db, email: &str) -> Result<Actor> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(db)
        .await?;
    let user = user.ok_or_else(|| Error::Internal(format!("demo user {email}")))?;
    load_actor(db, user.id)
        .await?
        .ok_or_else(|| Error::Internal(format!("demo actor {email}")))
}

pub(super) fn component(
    kind: ComponentKind,
    title: &str,
    provider: Option<&str>,
    weeks: Option<(NaiveDate, i64)>,
) -> NewComponent {
    NewComponent {
        kind,
        title: title.into(),
        provider: provider.map(Into::into),
        start_date: weeks.map(|(d, _)| d),
        end_date: weeks.map(|(d, w)| d + Duration::weeks(w)),
        hours_per_week: Some(if kind == ComponentKind::VocationalSwedish {
            8
        } else {
            40
        }),
    }
}

pub async fn fill(db: &Db, demo: &Demo) -> Result<()> {
    let caseworker = actor(db, "handlaggare@demo.jobtrack.local").await?;
    let today = crate::domain::calendar::swedish_today();
    let people = register_people(db, &caseworker).await?;
    let cast = Cast {
        db,
        demo,
        working_group: actor(db, "arbetsgrupp@demo.jobtrack.local").await?,
        employer: actor(db, "arbetsgivare@demo.jobtrack.local").await?,
        caseworker,
        today,
        start: today - Duration::weeks(30),
        people,
    };
    super::tracks::welding(&cast).await?;
    super::tracks::care(&cast).await?;
    super::tracks::dalsland(&cast).await
}

/// Registers the demo people, with consents (one in six does not share with employers).
async fn register_people(db: &Db, caseworker: &Actor) -> Result<Vec<i64>> {
    let mut people = Vec::new();
    for (n, (first, last, gender)) in PEOPLE.iter().enumerate() {
        // The last four live in Dalsland; the others in the Fyrbodal municipalities.
        let municipality = match (n >= 18, n % 4) {
            (true, 0 | 2) => "1461",
            (true, _) => "1492",
            (false, 0 | 1) => "1488",
            (false, 2) => "1487",
            (false, _) => "1444",
        };
        let created = candidates::register(
            db,
            caseworker,
            NewCandidate {
                first_name: (*first).into(),
                last_name: (*last).into(),
                personal_identity_number: personnummer(n),
                gender: *gender,
                municipality_code: municipality.into(),
                email: Some(format!(
                    "{}.{}@exempel.demo.jobtrack.local",
                    first.to_lowercase(),
                    n
                )),
                phone: Some(format!("070-123 45 {n:02}")),
                education_level: if n % 3 == 0 {
                    EducationLevel::CompulsoryOrLess
                } else {
                    EducationLevel::UpperSecondary
                },
                // Fatima and Nour are still at SFI C: near misses for the care track.
                swedish_level: if n == 2 || n == 16 {
                    SwedishLevel::SfiC
                } else if n % 4 == 0 {
                    SwedishLevel::SfiD
                } else {
                    SwedishLevel::Basic
                },
                driving_licence: n % 2 == 0,
                programme: if n % 3 == 1 {
                    Programme::Establishment
                } else {
                    Programme::Job
                },
                target_groups: match n % 4 {
                    0 => vec![TargetGroup::LongTermUnemployed],
                    1 => vec![
                        TargetGroup::NewArrival,
                        TargetGroup::WeakLanguageProgression,
                    ],
                    2 => vec![TargetGroup::SocialAssistance],
                    _ => vec![TargetGroup::YoungAdult],
                },
            },
        )
        .await?;
        candidates::record_consent(
            db,
            caseworker,
            created.id,
            candidates::NewConsent::new(ConsentScope::Collaboration, ConsentMethod::Written),
        )
        .await?;
        if n % 6 != 5 {
            candidates::record_consent(
                db,
                caseworker,
                created.id,
                candidates::NewConsent::new(ConsentScope::EmployerSharing, ConsentMethod::Digital),
            )
            .await?;
        }
        people.push(created.id);
    }

    Ok(people)
}

/// Who acts in the demo's admission data, and the candidates the caseworker registered.
pub(super) struct Cast<'a> {
    pub(super) db: &'a Db,
    pub(super) demo: &'a Demo,
    pub(super) caseworker: Actor,
    pub(super) working_group: Actor,
    pub(super) employer: Actor,
    pub(super) today: NaiveDate,
    /// When the finished track started.
    pub(super) start: NaiveDate,
    pub(super) people: Vec<i64>,
}

impl Cast<'_> {
    /// The competence needs of `demo.employers[employer]` for occupation `ssyk`.
    pub(super) async fn needs(&self, employer: usize, ssyk: &str) -> Result<Vec<i64>> {
        use jobtrack_entity::competence_need;
        Ok(competence_need::Entity::find()
            .filter(competence_need::Column::EmployerId.eq(self.demo.employers[employer]))
            .filter(competence_need::Column::SsykCode.eq(ssyk))
            .all(self.db)
            .await?
            .into_iter()
            .map(|n| n.id)
            .collect())
    }

    /// A track of `demo.employers[employer]` designed by the working group.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn track(
        &self,
        title: &str,
        ssyk: &str,
        agreement: i64,
        codes: &[&str],
        employer: usize,
        seats: i32,
        components: Vec<NewComponent>,
    ) -> NewTrack {
        NewTrack {
            title: title.into(),
            description: None,
            ssyk_code: ssyk.into(),
            agreement_id: agreement,
            municipality_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
            employer_ids: vec![self.demo.employers[employer]],
            competence_need_ids: vec![],
            seats,
            application_deadline: None,
            start_date: None,
            end_date: None,
            eligibility: Some(Eligibility {
                programmes: vec![],
                target_groups: vec![],
                requirements: Requirements::default(),
            }),
            components,
            design_team_user_ids: vec![self.working_group.user_id],
        }
    }
}

/// Nominates each person and takes them through a passed trial placement.
pub(super) async fn through_trial(
    db: &Db,
    actors: &[&Actor; 3],
    demo: &Demo,
    track: i64,
    people: &[i64],
    employer: usize,
) -> Result<Vec<i64>> {
    let [caseworker, working_group, employer_user] = *actors;
    advance(db, working_group, track, &[JobTrackStatus::Recruiting]).await?;
    let at = Utc::now() - Duration::weeks(26);
    // One information meeting for everyone, which they all attended.
    let meeting = admission::meetings::schedule(
        db,
        working_group,
        admission::meetings::NewMeeting {
            track_id: track,
            starts_at: at,
            location: "Arbetsförmedlingen, Trollhättan".into(),
            capacity: Some(12),
        },
    )
    .await?;
    let mut nominated = Vec::new();
    for person in people {
        nominated.push(
            admission::nominate(db, caseworker, track, *person, None, None)
                .await?
                .id,
        );
    }
    admission::meetings::invite(db, working_group, meeting.id, &nominated).await?;
    let mut ids = Vec::new();
    for (i, app) in nominated.into_iter().enumerate() {
        admission::record_step_result(
            db,
            working_group,
            app,
            AdmissionStepKind::InfoMeeting,
            StepResult::Attended,
            None,
        )
        .await?;
        admission::submit_application(
            db,
            caseworker,
            app,
            None,
            "Jag vill lära mig ett yrke och komma i arbete.",
        )
        .await?;
        let trial = TrialPlacement {
            employer_id: demo.employers[employer],
            starts_at: at + Duration::days(7),
            ends_at: at + Duration::days(11),
            location: None,
        };
        admission::schedule_trial_placement(db, working_group, app, None, trial).await?;
        // The employer assesses the first placement itself; the working group records the
        // others.
        let assessor = if i == 0 && employer == 0 {
            employer_user
        } else {
            working_group
        };
        admission::record_step_result(
            db,
            assessor,
            app,
            AdmissionStepKind::TrialPlacement,
            StepResult::Passed,
            Some("Visar god förmåga och motivation.".into()),
        )
        .await?;
        ids.push(app);
    }
    Ok(ids)
}

/// Nominates the person, who attends the information meeting at `at` and applies.
pub(super) async fn applied(
    db: &Db,
    actors: &[&Actor; 2],
    track: i64,
    person: i64,
    at: chrono::DateTime<Utc>,
) -> Result<i64> {
    let [caseworker, working_group] = *actors;
    let app = admission::nominate(db, caseworker, track, person, None, None).await?;
    admission::invite_to_info_meeting(
        db,
        working_group,
        app.id,
        None,
        at,
        "Arbetsförmedlingen, Trollhättan",
    )
    .await?;
    admission::record_step_result(
        db,
        working_group,
        app.id,
        AdmissionStepKind::InfoMeeting,
        StepResult::Attended,
        None,
    )
    .await?;
    admission::submit_application(
        db,
        caseworker,
        app.id,
        None,
        "Jag vill lära mig ett yrke och komma i arbete.",
    )
    .await?;
    Ok(app.id)
}

pub(super) async fn advance(
    db: &Db,
    actor: &Actor,
    track: i64,
    statuses: &[JobTrackStatus],
) -> Result<()> {
    for status in statuses {
        let current = tracks::visible_track(db, actor, track).await?;
        tracks::change_status(db, actor, track, current.version, *status).await?;
    }
    Ok(())
}
