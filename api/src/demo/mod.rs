//! Demo data from the real agreements in DOMAIN.md: the Fyrbodal, Dalsland and
//! Herrljunga collaborations with their parties and municipalities, employers from the
//! local demand survey with competence needs, and one user per role. Built through the
//! domain functions, so it obeys every rule. Employers are fictional; their numbers are
//! generated with a valid check digit.
#![expect(
    clippy::indexing_slicing,
    reason = "the demo indexes its own fixed lists of seeded rows; a wrong index fails the demo test at once"
)]

use crate::db::Db;
use chrono::NaiveDate;
use jobtrack_entity::organization;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::auth::{Actor, load_actor};
use crate::domain::agreements::{self, NewAgreement, NewOrganization};
use crate::domain::employers::{self, NewContactPerson, NewEmployer};
use crate::domain::identifiers::luhn_check_digit;
use crate::domain::users::{self, NewUser};
use crate::domain::values::{EmployerSize, OrganizationKind, Role};
use crate::error::{Error, Result};

mod admission;
mod demand;
mod tracks;

pub const DEMO_PASSWORD: &str = "jobtrack-demo-2026";

/// A fictional organisationsnummer: six digits, three more, and the check digit.
fn org_number(first_nine: &str) -> String {
    let digits: Vec<u8> = first_nine
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    format!(
        "{}-{}{}",
        &first_nine[..6],
        &first_nine[6..],
        luhn_check_digit(&digits)
    )
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Error::Internal("bad demo date".into()))
}

/// Fills an empty database (no organisations) and prints the logins.
pub async fn fill_if_empty(db: &Db) -> Result<()> {
    if organization::Entity::find().count(db).await? > 0 {
        tracing::info!("database has data; demo data not added");
        print_logins();
        return Ok(());
    }
    fill(db).await?;
    tracing::info!("demo data added");
    print_logins();
    Ok(())
}

struct DemoUser {
    email: &'static str,
    name: &'static str,
    role: Role,
    org: Option<usize>,
    municipalities: &'static [&'static str],
}

const USERS: &[DemoUser] = &[
    DemoUser {
        email: "samordnare@demo.jobtrack.local",
        name: "Maria Lindqvist",
        role: Role::Coordinator,
        org: Some(0),
        municipalities: &["1488"],
    },
    DemoUser {
        email: "arbetsgrupp@demo.jobtrack.local",
        name: "Johan Berg",
        role: Role::WorkingGroup,
        org: Some(0),
        municipalities: &[],
    },
    DemoUser {
        email: "handlaggare@demo.jobtrack.local",
        name: "Aisha Mohammed",
        role: Role::Caseworker,
        org: Some(3),
        municipalities: &["1488", "1487", "1444", "1461", "1492"],
    },
    DemoUser {
        email: "foretagsradgivare@demo.jobtrack.local",
        name: "Erik Johansson",
        role: Role::BusinessAdviser,
        org: Some(3),
        municipalities: &[],
    },
    DemoUser {
        email: "naringsliv@demo.jobtrack.local",
        name: "Sara Karlsson",
        role: Role::BusinessAdviser,
        org: Some(1),
        municipalities: &[],
    },
    DemoUser {
        email: "sektionschef@demo.jobtrack.local",
        name: "Anders Nilsson",
        role: Role::SectionManager,
        org: Some(3),
        municipalities: &[],
    },
];

fn print_logins() {
    println!();
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    println!("  {:<40} ADMIN", "admin@demo.jobtrack.local");
    for user in USERS {
        println!("  {:<40} {}", user.email, user.role.as_str());
    }
    println!(
        "  {:<40} EMPLOYER (Trollhättans Svets & Montage AB)",
        "arbetsgivare@demo.jobtrack.local"
    );
    println!();
}

async fn fill(db: &Db) -> Result<()> {
    use OrganizationKind::{EmploymentService as Af, Municipality as Kommun};
    let admin = users::create_user(
        db,
        NewUser {
            email: "admin@demo.jobtrack.local".into(),
            name: "Jobtrack Admin".into(),
            roles: vec![Role::Admin],
            organization_id: None,
            employer_id: None,
            municipality_codes: vec![],
            password: Some(DEMO_PASSWORD.into()),
        },
    )
    .await?;
    let admin = load_actor(db, admin.id)
        .await?
        .ok_or_else(|| Error::Internal("demo admin".into()))?;

    let orgs_spec: &[(&str, &str, OrganizationKind, Option<&str>)] = &[
        ("Trollhättans Stad", "212000-1546", Kommun, Some("1488")),
        ("Vänersborgs kommun", "212000-1538", Kommun, Some("1487")),
        ("Grästorps kommun", "212000-1595", Kommun, Some("1444")),
        ("Arbetsförmedlingen Fyrbodal", "202100-2114", Af, None),
        ("Bengtsfors kommun", "212000-1470", Kommun, Some("1460")),
        ("Dals-Eds kommun", "212000-1413", Kommun, Some("1438")),
        ("Färgelanda kommun", "212000-1421", Kommun, Some("1439")),
        ("Melleruds kommun", "212000-1488", Kommun, Some("1461")),
        ("Åmåls kommun", "212000-1587", Kommun, Some("1492")),
        ("Herrljunga kommun", "212000-1520", Kommun, Some("1466")),
        ("Arbetsförmedlingen Östra Göteborg", "202100-2114", Af, None),
    ];
    let mut orgs = Vec::new();
    for (name, number, kind, municipality) in orgs_spec {
        let input = NewOrganization {
            name: (*name).into(),
            org_number: (*number).into(),
            kind: *kind,
            municipality_code: municipality.map(Into::into),
        };
        orgs.push(agreements::create_organization(db, &admin, input).await?.id);
    }

    let agreement = |name: &str,
                     parties: &[usize],
                     codes: &[&str],
                     from: NaiveDate,
                     until: Option<NaiveDate>,
                     revision: Option<NaiveDate>,
                     target: i32| NewAgreement {
        name: name.into(),
        party_ids: parties.iter().map(|i| orgs[*i]).collect(),
        municipality_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        valid_from: from,
        valid_until: until,
        revision_due: revision,
        completion_target_percent: target,
        escalation_threshold: 10,
    };
    let mut agreement_ids = Vec::new();
    let fyrbodal = agreements::create_agreement(
        db,
        &admin,
        agreement(
            "Överenskommelse om samverkan Fyrbodal",
            &[0, 1, 2, 3],
            &["1488", "1487", "1444"],
            date(2020, 6, 1)?,
            None,
            Some(date(2027, 6, 1)?),
            90,
        ),
    )
    .await?;
    agreement_ids.push(fyrbodal.id);
    let dalsland = agreements::create_agreement(
        db,
        &admin,
        agreement(
            "Överenskommelse om samverkan Dalsland",
            &[4, 5, 6, 7, 8, 3],
            &["1460", "1438", "1439", "1461", "1492"],
            date(2021, 1, 1)?,
            None,
            Some(date(2027, 1, 1)?),
            80,
        ),
    )
    .await?;
    agreement_ids.push(dalsland.id);
    agreements::create_agreement(
        db,
        &admin,
        agreement(
            "Överenskommelse om samverkan Herrljunga",
            &[9, 10],
            &["1466"],
            date(2023, 1, 1)?,
            Some(date(2025, 12, 31)?),
            None,
            80,
        ),
    )
    .await?;

    let mut staff = Vec::new();
    for user in USERS {
        let created = users::create_user(
            db,
            NewUser {
                email: user.email.into(),
                name: user.name.into(),
                roles: vec![user.role],
                organization_id: user.org.map(|i| orgs[i]),
                employer_id: None,
                municipality_codes: user
                    .municipalities
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect(),
                password: Some(DEMO_PASSWORD.into()),
            },
        )
        .await?;
        staff.push(created.id);
    }

    let employers_spec: &[(&str, &str, &str, &str, EmployerSize, &str)] = &[
        (
            "Trollhättans Svets & Montage AB",
            "559912-345",
            "25",
            "1488",
            EmployerSize::MediumSmall,
            "Lena Ström",
        ),
        (
            "Vänersborgs Vård & Omsorg AB",
            "559876-123",
            "87",
            "1487",
            EmployerSize::Medium,
            "Fatima Ali",
        ),
        (
            "Dalslands Logistikcenter AB",
            "559765-432",
            "52",
            "1461",
            EmployerSize::Medium,
            "Per Andersson",
        ),
        (
            "Grästorps Bygg & Mark AB",
            "559654-321",
            "43",
            "1444",
            EmployerSize::Small,
            "Kent Svensson",
        ),
        (
            "Åmåls Fordonsservice AB",
            "559543-210",
            "45",
            "1492",
            EmployerSize::Small,
            "Nils Ek",
        ),
        (
            "Restaurang Göta Älv AB",
            "559432-109",
            "56",
            "1488",
            EmployerSize::Micro,
            "Sofia Persson",
        ),
    ];
    let mut employer_ids = Vec::new();
    for (name, nine, sni, municipality, size, contact) in employers_spec {
        let input = NewEmployer {
            name: (*name).into(),
            org_number: org_number(nine),
            sni_code: Some((*sni).into()),
            municipality_code: (*municipality).into(),
            size: Some(*size),
            contact_persons: vec![NewContactPerson {
                name: (*contact).into(),
                title: Some("Rekryteringsansvarig".into()),
                email: Some(format!(
                    "rekrytering@{}.demo.jobtrack.local",
                    name.split_whitespace()
                        .next()
                        .unwrap_or("firma")
                        .to_lowercase()
                        .replace(['å', 'ä'], "a")
                        .replace('ö', "o")
                )),
                phone: Some("0520-123 45".into()),
            }],
        };
        employer_ids.push(employers::create_employer(db, &admin, input).await?.id);
    }
    // The AF adviser coordinates contacts with the welding firm and the logistics centre.
    let adviser = staff[3];
    employers::set_contact_owner(db, &admin, employer_ids[0], Some(adviser)).await?;
    employers::set_contact_owner(db, &admin, employer_ids[2], Some(adviser)).await?;

    let employer_user = users::create_user(
        db,
        NewUser {
            email: "arbetsgivare@demo.jobtrack.local".into(),
            name: "Lena Ström".into(),
            roles: vec![Role::Employer],
            organization_id: None,
            employer_id: Some(employer_ids[0]),
            municipality_codes: vec![],
            password: Some(DEMO_PASSWORD.into()),
        },
    )
    .await?;
    let employer_actor: Actor = load_actor(db, employer_user.id)
        .await?
        .ok_or_else(|| Error::Internal("demo employer".into()))?;

    demand::post_needs(db, &admin, &employer_actor, &employer_ids).await?;
    let demo = admission::Demo {
        admin,
        employers: employer_ids,
        fyrbodal: agreement_ids[0],
        dalsland: agreement_ids[1],
    };
    admission::fill(db, &demo).await
}
