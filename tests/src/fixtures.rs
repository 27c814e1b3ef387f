//! A small world built through the domain functions: the Fyrbodal and Dalsland
//! agreements, one user per role, and employers in three municipalities.

use chrono::NaiveDate;
use jobtrack_api::auth::{Actor, load_actor};
use jobtrack_api::db::Db;
use jobtrack_api::domain::agreements::{self, NewAgreement, NewOrganization};
use jobtrack_api::domain::employers::{self, NewEmployer};
use jobtrack_api::domain::users::{self, NewUser};
use jobtrack_api::domain::values::{OrganizationKind, Role};

use crate::{PASSWORD, TestApp};

pub struct World {
    pub admin: Actor,
    pub trollhattan: i64,
    pub af: i64,
    pub bengtsfors: i64,
    pub fyrbodal: i64,
    pub dalsland: i64,
    /// Employers in Trollhättan (1488), Vänersborg (1487) and Mellerud (1461, Dalsland).
    pub welding: i64,
    pub care: i64,
    pub logistics: i64,
}

pub const ADMIN: &str = "admin@example.com";
pub const COORDINATOR: &str = "coordinator@example.com";
pub const WORKING_GROUP: &str = "working-group@example.com";
pub const CASEWORKER: &str = "caseworker@example.com";
pub const ADVISER: &str = "adviser@example.com";
pub const SECTION_MANAGER: &str = "section-manager@example.com";
/// A caseworker of Bengtsfors, party only to the Dalsland agreement.
pub const DALSLAND_CASEWORKER: &str = "dalsland@example.com";
/// The employer user of the welding firm.
pub const EMPLOYER: &str = "employer@example.com";
/// The employer user of the care company.
pub const OTHER_EMPLOYER: &str = "care-employer@example.com";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub async fn user(
    db: &Db,
    email: &str,
    roles: &[Role],
    org: Option<i64>,
    employer: Option<i64>,
    municipalities: &[&str],
) -> i64 {
    let input = NewUser {
        email: email.into(),
        name: format!("Test {email}"),
        roles: roles.to_vec(),
        organization_id: org,
        employer_id: employer,
        municipality_codes: municipalities.iter().map(|m| (*m).to_owned()).collect(),
        password: Some(PASSWORD.into()),
    };
    users::create_user(db, input)
        .await
        .unwrap_or_else(|e| panic!("create user {email}: {e}"))
        .id
}

async fn org(
    db: &Db,
    admin: &Actor,
    name: &str,
    number: &str,
    kind: OrganizationKind,
    municipality: Option<&str>,
) -> i64 {
    let input = NewOrganization {
        name: name.into(),
        org_number: number.into(),
        kind,
        municipality_code: municipality.map(Into::into),
    };
    agreements::create_organization(db, admin, input)
        .await
        .unwrap_or_else(|e| panic!("org {name}: {e}"))
        .id
}

pub async fn employer(db: &Db, admin: &Actor, name: &str, number: &str, municipality: &str) -> i64 {
    let input = NewEmployer {
        name: name.into(),
        org_number: number.into(),
        sni_code: None,
        municipality_code: municipality.into(),
        size: None,
        contact_persons: vec![],
    };
    employers::create_employer(db, admin, input)
        .await
        .unwrap_or_else(|e| panic!("employer {name}: {e}"))
        .id
}

pub async fn world(app: &TestApp) -> World {
    let db = app.db();
    let admin_id = user(db, ADMIN, &[Role::Admin], None, None, &[]).await;
    let admin = load_actor(db, admin_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("admin"));
    use OrganizationKind::{EmploymentService, Municipality};
    let trollhattan = org(
        db,
        &admin,
        "Trollhättans Stad",
        "212000-1546",
        Municipality,
        Some("1488"),
    )
    .await;
    let vanersborg = org(
        db,
        &admin,
        "Vänersborgs kommun",
        "212000-1538",
        Municipality,
        Some("1487"),
    )
    .await;
    let af = org(
        db,
        &admin,
        "Arbetsförmedlingen Fyrbodal",
        "202100-2114",
        EmploymentService,
        None,
    )
    .await;
    let bengtsfors = org(
        db,
        &admin,
        "Bengtsfors kommun",
        "212000-1470",
        Municipality,
        Some("1460"),
    )
    .await;
    let mellerud = org(
        db,
        &admin,
        "Melleruds kommun",
        "212000-1488",
        Municipality,
        Some("1461"),
    )
    .await;
    let agreement = |name: &str, parties: Vec<i64>, codes: &[&str], target: i32| NewAgreement {
        name: name.into(),
        party_ids: parties,
        municipality_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        valid_from: date(2020, 6, 1),
        valid_until: None,
        revision_due: None,
        completion_target_percent: target,
        escalation_threshold: 10,
    };
    let fyrbodal = agreements::create_agreement(
        db,
        &admin,
        agreement(
            "Fyrbodal",
            vec![trollhattan, vanersborg, af],
            &["1488", "1487"],
            90,
        ),
    )
    .await
    .unwrap_or_else(|e| panic!("fyrbodal: {e}"))
    .id;
    let dalsland = agreements::create_agreement(
        db,
        &admin,
        agreement(
            "Dalsland",
            vec![bengtsfors, mellerud, af],
            &["1460", "1461"],
            80,
        ),
    )
    .await
    .unwrap_or_else(|e| panic!("dalsland: {e}"))
    .id;
    let welding = employer(db, &admin, "Trollhättans Svets AB", "556036-0793", "1488").await;
    let care = employer(db, &admin, "Vänersborgs Omsorg AB", "556677-8899", "1487").await;
    let logistics = employer(db, &admin, "Dalslands Lager AB", "559912-3451", "1461").await;

    user(
        db,
        COORDINATOR,
        &[Role::Coordinator],
        Some(trollhattan),
        None,
        &["1488"],
    )
    .await;
    user(
        db,
        WORKING_GROUP,
        &[Role::WorkingGroup],
        Some(trollhattan),
        None,
        &[],
    )
    .await;
    user(
        db,
        CASEWORKER,
        &[Role::Caseworker],
        Some(af),
        None,
        &["1488", "1487"],
    )
    .await;
    user(db, ADVISER, &[Role::BusinessAdviser], Some(af), None, &[]).await;
    user(
        db,
        SECTION_MANAGER,
        &[Role::SectionManager],
        Some(af),
        None,
        &[],
    )
    .await;
    user(
        db,
        DALSLAND_CASEWORKER,
        &[Role::Caseworker],
        Some(bengtsfors),
        None,
        &["1460"],
    )
    .await;
    user(db, EMPLOYER, &[Role::Employer], None, Some(welding), &[]).await;
    user(db, OTHER_EMPLOYER, &[Role::Employer], None, Some(care), &[]).await;
    World {
        admin,
        trollhattan,
        af,
        bengtsfors,
        fyrbodal,
        dalsland,
        welding,
        care,
        logistics,
    }
}

/// The actor of a user, by email.
pub async fn actor(app: &TestApp, email: &str) -> Actor {
    use jobtrack_entity::app_user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email))
        .one(app.db())
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no user {email}"));
    load_actor(app.db(), user.id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no actor {email}"))
}

/// A check-digit-valid organisationsnummer for a test company (`n` < 10000).
pub fn org_number(n: u32) -> String {
    use jobtrack_api::domain::identifiers::luhn_check_digit;
    let body = format!("55991{n:04}");
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!("{}-{}{}", &body[..6], &body[6..], luhn_check_digit(&digits))
}

/// A check-digit-valid personnummer for a test person born in 1990 (`n` < 3650).
pub fn personnummer(n: u32) -> String {
    use jobtrack_api::domain::identifiers::luhn_check_digit;
    let born = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or_default()
        + chrono::Days::new(u64::from(n % 3650));
    let serial = 200 + n / 3650 % 700;
    let body = format!("{}{serial:03}", born.format("%y%m%d"));
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    format!(
        "{}{}-{serial:03}{}",
        born.format("%Y"),
        &body[2..6],
        luhn_check_digit(&digits)
    )
}

/// Registers a candidate in Trollhättan (1488) through the caseworker, with consent to
/// collaboration and, if `shares`, to sharing with employers.
pub async fn candidate(
    app: &TestApp,
    n: u32,
    gender: jobtrack_api::domain::values::Gender,
    shares: bool,
) -> i64 {
    use jobtrack_api::domain::candidates::{self, NewCandidate};
    use jobtrack_api::domain::values::{
        ConsentMethod, ConsentScope, EducationLevel, Programme, SwedishLevel, TargetGroup,
    };
    let caseworker = actor(app, CASEWORKER).await;
    let input = NewCandidate {
        first_name: format!("Förnamn{n}"),
        last_name: format!("Efternamn{n}"),
        personal_identity_number: personnummer(n),
        gender,
        municipality_code: "1488".into(),
        email: Some(format!("kandidat{n}@example.com")),
        phone: None,
        education_level: EducationLevel::UpperSecondary,
        swedish_level: SwedishLevel::SfiD,
        driving_licence: true,
        programme: Programme::Job,
        target_groups: vec![TargetGroup::LongTermUnemployed],
    };
    let created = candidates::register(app.db(), &caseworker, input)
        .await
        .unwrap_or_else(|e| panic!("candidate {n}: {e}"));
    candidates::record_consent(
        app.db(),
        &caseworker,
        created.id,
        candidates::NewConsent::new(ConsentScope::Collaboration, ConsentMethod::Written),
    )
    .await
    .unwrap_or_else(|e| panic!("consent: {e}"));
    if shares {
        candidates::record_consent(
            app.db(),
            &caseworker,
            created.id,
            candidates::NewConsent::new(ConsentScope::EmployerSharing, ConsentMethod::Digital),
        )
        .await
        .unwrap_or_else(|e| panic!("consent: {e}"));
    }
    created.id
}

/// The candidate withdraws the EMPLOYER_SHARING consent (the caseworker records it), e.g.
/// after a trial placement, which needs the consent: employers no longer see them.
pub async fn withdraw_sharing(app: &TestApp, candidate: i64) {
    use jobtrack_api::domain::{candidates, values::ConsentScope};
    let caseworker = actor(app, CASEWORKER).await;
    candidates::withdraw_consent(
        app.db(),
        &caseworker,
        candidate,
        ConsentScope::EmployerSharing,
    )
    .await
    .unwrap_or_else(|e| panic!("withdraw sharing: {e}"));
}

/// A trial placement (kortare praktik) as a component of a track's design.
pub fn trial_placement_component() -> jobtrack_api::domain::tracks::NewComponent {
    jobtrack_api::domain::tracks::NewComponent {
        kind: jobtrack_api::domain::values::ComponentKind::TrialPlacement,
        title: "Kortare praktik".into(),
        provider: None,
        start_date: None,
        end_date: None,
        hours_per_week: Some(40),
    }
}

/// A welding track of the Fyrbodal agreement at the welding firm, RECRUITING; its design
/// has a trial placement at the firm.
pub async fn recruiting_track(app: &TestApp, world: &World, seats: i32) -> i64 {
    use jobtrack_api::domain::tracks::{self, NewTrack};
    use jobtrack_api::domain::values::JobTrackStatus;
    let wg = actor(app, WORKING_GROUP).await;
    let input = NewTrack {
        title: "Svetsare Trollhättan".into(),
        description: None,
        ssyk_code: "7212".into(),
        agreement_id: world.fyrbodal,
        municipality_codes: vec!["1488".into(), "1487".into()],
        employer_ids: vec![world.welding],
        competence_need_ids: vec![],
        seats,
        application_deadline: None,
        start_date: None,
        end_date: None,
        eligibility: None,
        components: vec![trial_placement_component()],
        design_team_user_ids: vec![],
    };
    let track = tracks::create_track(app.db(), &wg, input)
        .await
        .unwrap_or_else(|e| panic!("track: {e}"));
    tracks::change_status(
        app.db(),
        &wg,
        track.id,
        track.version,
        JobTrackStatus::Recruiting,
    )
    .await
    .unwrap_or_else(|e| panic!("recruiting: {e}"))
    .id
}

/// How far [`application_at`] takes an application through the process.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Nominated,
    Invited,
    Applied,
    /// A trial placement at the welding firm is scheduled (IN_TRIAL).
    TrialScheduled,
    /// … and passed.
    TrialPassed,
}

/// Nominates `candidate` to `track` (the caseworker) and takes the application through
/// the process (the working group; the caseworker applies) up to `stage`. Returns the
/// application id.
pub async fn application_at(
    app: &TestApp,
    world: &World,
    track: i64,
    candidate: i64,
    stage: Stage,
) -> i64 {
    use jobtrack_api::domain::admission::{self, TrialPlacement};
    use jobtrack_api::domain::values::{AdmissionStepKind, StepResult};
    let caseworker = actor(app, CASEWORKER).await;
    let wg = actor(app, WORKING_GROUP).await;
    let db = app.db();
    let nominated = admission::nominate(db, &caseworker, track, candidate, None, None)
        .await
        .unwrap_or_else(|e| panic!("nominate: {e}"));
    let id = nominated.id;
    let at = chrono::Utc::now() + chrono::Duration::days(3);
    if stage >= Stage::Invited {
        admission::invite_to_info_meeting(db, &wg, id, None, at, "Kunskapsförbundet Väst")
            .await
            .unwrap_or_else(|e| panic!("invite: {e}"));
    }
    if stage >= Stage::Applied {
        admission::submit_application(db, &caseworker, id, None, "Jag vill bli svetsare.")
            .await
            .unwrap_or_else(|e| panic!("submit: {e}"));
    }
    if stage >= Stage::TrialScheduled {
        let trial = TrialPlacement {
            employer_id: world.welding,
            starts_at: at,
            ends_at: at + chrono::Duration::days(5),
            location: None,
        };
        admission::schedule_trial_placement(db, &wg, id, None, trial)
            .await
            .unwrap_or_else(|e| panic!("trial: {e}"));
    }
    if stage >= Stage::TrialPassed {
        admission::record_step_result(
            db,
            &wg,
            id,
            AdmissionStepKind::TrialPlacement,
            StepResult::Passed,
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("result: {e}"));
    }
    id
}

/// Nominates `candidate` to `track` and takes the application through the process up
/// to a passed trial placement (IN_TRIAL). Returns the application id.
pub async fn passed_trial(app: &TestApp, world: &World, track: i64, candidate: i64) -> i64 {
    application_at(app, world, track, candidate, Stage::TrialPassed).await
}

/// A plain test email to `mottagare{n}@example.com`.
pub fn test_email(n: usize) -> jobtrack_api::domain::outbox::Email {
    jobtrack_api::domain::outbox::Email {
        template: "test",
        recipient: format!("mottagare{n}@example.com"),
        subject: format!("Test {n}"),
        body_text: format!("Brev {n}"),
        body_html: None,
    }
}
