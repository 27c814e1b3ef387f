//! Demo job tracks in every state, from the local demand survey, with candidates at every
//! step of the admission process. Candidates are fictional; their personnummer are
//! generated with valid check digits.
#![expect(
    clippy::indexing_slicing,
    reason = "the demo indexes its own fixed lists of seeded rows; a wrong index fails the demo test at once"
)]

use chrono::{Duration, NaiveDate, Utc};
use jobtrack_entity::app_user;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::{Actor, load_actor};
use crate::domain::admission::{self, Decision, TrialPlacement};
use crate::domain::candidates::{self, NewCandidate};
use crate::domain::identifiers::luhn_check_digit;
use crate::domain::needs::Requirements;
use crate::domain::tracks::{self, Eligibility, NewComponent, NewTrack};
use crate::domain::values::{
    AdmissionStepKind, ComponentKind, ConsentMethod, ConsentScope, EducationLevel, Gender,
    JobTrackStatus, OutcomeKind, Programme, StepResult, SwedishLevel, TargetGroup,
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

async fn actor(db: &DatabaseConnection, email: &str) -> Result<Actor> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(db)
        .await?;
    let user = user.ok_or_else(|| Error::Internal(format!("demo user {email}")))?;
    load_actor(db, user.id)
        .await?
        .ok_or_else(|| Error::Internal(format!("demo actor {email}")))
}

fn component(
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

pub async fn fill(db: &DatabaseConnection, demo: &Demo) -> Result<()> {
    let caseworker = actor(db, "handlaggare@demo.jobtrack.local").await?;
    let working_group = actor(db, "arbetsgrupp@demo.jobtrack.local").await?;
    let employer = actor(db, "arbetsgivare@demo.jobtrack.local").await?;
    let today = Utc::now().date_naive();

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
            &caseworker,
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
                swedish_level: if n % 4 == 0 {
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
            &caseworker,
            created.id,
            ConsentScope::Collaboration,
            ConsentMethod::Written,
        )
        .await?;
        if n % 6 != 5 {
            candidates::record_consent(
                db,
                &caseworker,
                created.id,
                ConsentScope::EmployerSharing,
                ConsentMethod::Digital,
            )
            .await?;
        }
        people.push(created.id);
    }

    let start = today - Duration::weeks(30);
    let track = |title: &str,
                 ssyk: &str,
                 agreement: i64,
                 codes: &[&str],
                 employer: usize,
                 seats: i32,
                 components: Vec<NewComponent>| NewTrack {
        title: title.into(),
        description: None,
        ssyk_code: ssyk.into(),
        agreement_id: agreement,
        municipality_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        employer_ids: vec![demo.employers[employer]],
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
        design_team_user_ids: vec![working_group.user_id],
    };

    // A finished welding track: participants completed or dropped out, with outcomes.
    let welding = vec![
        component(
            ComponentKind::VocationalSwedish,
            "Yrkessvenska för svetsare",
            Some("Kunskapsförbundet Väst"),
            Some((start, 8)),
        ),
        component(
            ComponentKind::AdultEducation,
            "Svetsutbildning MIG/MAG",
            Some("Kunskapsförbundet Väst"),
            Some((start + Duration::weeks(8), 12)),
        ),
        component(
            ComponentKind::WorkplaceLearning,
            "Arbetsplatsförlagt lärande",
            None,
            Some((start + Duration::weeks(20), 6)),
        ),
        component(
            ComponentKind::EmploymentWithSubsidy,
            "Introduktionsjobb",
            None,
            None,
        ),
    ];
    let finished = tracks::create_track(
        db,
        &working_group,
        track(
            "Svetsare Trollhättan, kull 1",
            "7212",
            demo.fyrbodal,
            &["1488", "1487", "1444"],
            0,
            6,
            welding.clone(),
        ),
    )
    .await?;
    let finished_apps = through_trial(
        db,
        &[&caseworker, &working_group, &employer],
        demo,
        finished.id,
        &people[0..6],
        0,
    )
    .await?;
    for app in &finished_apps[..5] {
        admission::decide(db, &working_group, *app, None, Decision::Admit, None).await?;
    }
    admission::decide(
        db,
        &working_group,
        finished_apps[5],
        None,
        Decision::Reject,
        Some("Behöver mer svenska innan start.".into()),
    )
    .await?;
    advance(
        db,
        &working_group,
        finished.id,
        &[JobTrackStatus::Selection, JobTrackStatus::Running],
    )
    .await?;
    for (i, app) in finished_apps[..5].iter().enumerate() {
        if i == 3 {
            admission::drop_out(db, &caseworker, *app, "Flyttade från orten.").await?;
            admission::record_outcome(db, &caseworker, *app, OutcomeKind::None, None, None).await?;
        } else {
            admission::complete(db, &caseworker, *app).await?;
            let (kind, with) = match i {
                0 | 1 => (OutcomeKind::EmployedWithSubsidy, Some(demo.employers[0])),
                2 => (OutcomeKind::Employed, Some(demo.employers[0])),
                _ => (OutcomeKind::Studies, None),
            };
            admission::record_outcome(
                db,
                &caseworker,
                *app,
                kind,
                with,
                Some(today - Duration::weeks(2)),
            )
            .await?;
        }
    }
    advance(
        db,
        &working_group,
        finished.id,
        &[JobTrackStatus::Completed],
    )
    .await?;

    // A running welding track.
    let running = tracks::create_track(
        db,
        &working_group,
        track(
            "Svetsare Trollhättan, kull 2",
            "7212",
            demo.fyrbodal,
            &["1488", "1487", "1444"],
            0,
            4,
            welding,
        ),
    )
    .await?;
    let running_apps = through_trial(
        db,
        &[&caseworker, &working_group, &employer],
        demo,
        running.id,
        &people[6..9],
        0,
    )
    .await?;
    for app in &running_apps {
        admission::decide(db, &working_group, *app, None, Decision::Admit, None).await?;
    }
    advance(
        db,
        &working_group,
        running.id,
        &[JobTrackStatus::Selection, JobTrackStatus::Running],
    )
    .await?;

    // Assistant nurses in Vänersborg, recruiting: applications at every step.
    let care = tracks::create_track(
        db,
        &working_group,
        track(
            "Undersköterskor Vänersborg",
            "5321",
            demo.fyrbodal,
            &["1487", "1488", "1444"],
            1,
            8,
            vec![
                component(
                    ComponentKind::VocationalSwedish,
                    "Yrkessvenska vård och omsorg",
                    Some("Kunskapsförbundet Väst"),
                    None,
                ),
                component(
                    ComponentKind::AdultEducation,
                    "Vård- och omsorgsutbildning",
                    Some("Kunskapsförbundet Väst"),
                    None,
                ),
                component(
                    ComponentKind::TrialPlacement,
                    "Praktik på äldreboende",
                    None,
                    None,
                ),
            ],
        ),
    )
    .await?;
    advance(db, &working_group, care.id, &[JobTrackStatus::Recruiting]).await?;
    let at = Utc::now() + Duration::days(7);
    let mut care_apps = Vec::new();
    for person in &people[9..16] {
        care_apps.push(
            admission::nominate(
                db,
                &caseworker,
                care.id,
                *person,
                Some("Motiverad, har erfarenhet av omsorg.".into()),
                Some("SFI D avklarad, studievan.".into()),
            )
            .await?
            .0
            .id,
        );
    }
    // 0 stays NOMINATED; 1 INVITED; 2 APPLIED; 3 IN_TRIAL; 4 ADMITTED; 5 REJECTED; 6 WITHDRAWN.
    for app in &care_apps[1..6] {
        admission::invite_to_info_meeting(
            db,
            &working_group,
            *app,
            None,
            at,
            "Vänersborgs stadshus, sal 2",
        )
        .await?;
    }
    for app in &care_apps[2..6] {
        admission::submit_application(
            db,
            &caseworker,
            *app,
            None,
            "Jag vill arbeta med människor och har tagit hand om min mormor.",
        )
        .await?;
    }
    for app in &care_apps[3..5] {
        let trial = TrialPlacement {
            employer_id: demo.employers[1],
            starts_at: at + Duration::days(7),
            ends_at: at + Duration::days(12),
            location: Some("Äldreboendet Solgården".into()),
        };
        admission::schedule_trial_placement(db, &working_group, *app, None, trial).await?;
    }
    admission::record_step_result(
        db,
        &working_group,
        care_apps[4],
        AdmissionStepKind::TrialPlacement,
        StepResult::Passed,
        Some("Lugn och lyhörd med de boende.".into()),
    )
    .await?;
    admission::decide(
        db,
        &working_group,
        care_apps[4],
        None,
        Decision::Admit,
        None,
    )
    .await?;
    admission::decide(
        db,
        &working_group,
        care_apps[5],
        None,
        Decision::Reject,
        Some("Passar bättre i ett senare spår.".into()),
    )
    .await?;
    admission::withdraw(
        db,
        &caseworker,
        care_apps[6],
        Some("Fick jobb på egen hand.".into()),
    )
    .await?;

    // Warehouse work in Dalsland, in selection; and a restaurant track still a draft.
    let dalsland = tracks::create_track(
        db,
        &demo.admin,
        track(
            "Lager och truck Dalsland",
            "4322",
            demo.dalsland,
            &["1461", "1492"],
            2,
            10,
            vec![
                component(
                    ComponentKind::LabourMarketTraining,
                    "Truckkort A+B",
                    None,
                    None,
                ),
                component(
                    ComponentKind::TrialPlacement,
                    "Praktik på lagret",
                    None,
                    None,
                ),
            ],
        ),
    )
    .await?;
    advance(db, &demo.admin, dalsland.id, &[JobTrackStatus::Recruiting]).await?;
    for person in &people[18..] {
        admission::nominate(db, &caseworker, dalsland.id, *person, None, None).await?;
    }
    advance(db, &demo.admin, dalsland.id, &[JobTrackStatus::Selection]).await?;
    tracks::create_track(
        db,
        &working_group,
        track(
            "Restaurangbiträden Trollhättan",
            "9412",
            demo.fyrbodal,
            &["1488"],
            5,
            4,
            vec![],
        ),
    )
    .await?;
    Ok(())
}

/// Nominates each person and takes them through a passed trial placement.
async fn through_trial(
    db: &DatabaseConnection,
    actors: &[&Actor; 3],
    demo: &Demo,
    track: i64,
    people: &[i64],
    employer: usize,
) -> Result<Vec<i64>> {
    let [caseworker, working_group, employer_user] = *actors;
    advance(db, working_group, track, &[JobTrackStatus::Recruiting]).await?;
    let at = Utc::now() - Duration::weeks(26);
    let mut ids = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let (app, _) = admission::nominate(db, caseworker, track, *person, None, None).await?;
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
        let trial = TrialPlacement {
            employer_id: demo.employers[employer],
            starts_at: at + Duration::days(7),
            ends_at: at + Duration::days(11),
            location: None,
        };
        admission::schedule_trial_placement(db, working_group, app.id, None, trial).await?;
        // The employer assesses the first placement itself (that candidate shares with
        // employers); the working group records the others.
        let assessor = if i == 0 && employer == 0 {
            employer_user
        } else {
            working_group
        };
        admission::record_step_result(
            db,
            assessor,
            app.id,
            AdmissionStepKind::TrialPlacement,
            StepResult::Passed,
            Some("Visar god förmåga och motivation.".into()),
        )
        .await?;
        ids.push(app.id);
    }
    Ok(ids)
}

async fn advance(
    db: &DatabaseConnection,
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
