//! A small world built through the domain functions: the Fyrbodal and Dalsland
//! agreements, one user per role, and employers in three municipalities.

use chrono::NaiveDate;
use jobtrack_api::auth::{Actor, load_actor};
use jobtrack_api::domain::agreements::{self, NewAgreement, NewOrganization};
use jobtrack_api::domain::employers::{self, NewEmployer};
use jobtrack_api::domain::users::{self, NewUser};
use jobtrack_api::domain::values::{OrganizationKind, Role};
use sea_orm::DatabaseConnection;

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
    db: &DatabaseConnection,
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
    db: &DatabaseConnection,
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

pub async fn employer(
    db: &DatabaseConnection,
    admin: &Actor,
    name: &str,
    number: &str,
    municipality: &str,
) -> i64 {
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
