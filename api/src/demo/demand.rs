//! The competence needs of the local demand survey, posted by the advisers and by the
//! demo employer user.

use crate::auth::Actor;
use crate::db::Db;
use crate::domain::needs::{self, NewNeed, Requirements};
use crate::domain::values::{EducationLevel, SwedishLevel};
use crate::error::Result;

pub(super) async fn post_needs(
    db: &Db,
    admin: &Actor,
    employer_actor: &Actor,
    employer_ids: &[i64],
) -> Result<()> {
    let need = |employer: Option<usize>,
                ssyk: &str,
                title: &str,
                positions: i32,
                licence: bool,
                swedish: Option<SwedishLevel>,
                education: Option<EducationLevel>| NewNeed {
        employer_id: employer.map(|i| employer_ids[i]),
        ssyk_code: ssyk.into(),
        title: title.into(),
        description: None,
        positions,
        requirements: Requirements {
            driving_licence: licence,
            minimum_swedish_level: swedish,
            minimum_education: education,
            other: None,
        },
        earliest_start: None,
    };
    needs::post_need(
        db,
        employer_actor,
        need(
            None,
            "7212",
            "Svetsare MIG/MAG",
            4,
            false,
            Some(SwedishLevel::SfiD),
            None,
        ),
    )
    .await?;
    needs::post_need(
        db,
        employer_actor,
        need(
            None,
            "7223",
            "CNC-operatör",
            2,
            false,
            Some(SwedishLevel::Basic),
            Some(EducationLevel::UpperSecondary),
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(1),
            "5321",
            "Undersköterskor till äldreboende",
            6,
            false,
            Some(SwedishLevel::UpperSecondary),
            Some(EducationLevel::UpperSecondary),
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(1),
            "5343",
            "Personliga assistenter",
            3,
            true,
            Some(SwedishLevel::Basic),
            None,
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(2),
            "4322",
            "Lager- och terminalpersonal",
            8,
            false,
            Some(SwedishLevel::SfiC),
            None,
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(2),
            "8344",
            "Truckförare",
            3,
            true,
            Some(SwedishLevel::SfiD),
            None,
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(Some(3), "7114", "Anläggningsarbetare", 2, true, None, None),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(4),
            "7231",
            "Fordonstekniker, tunga fordon",
            2,
            true,
            Some(SwedishLevel::Basic),
            Some(EducationLevel::UpperSecondary),
        ),
    )
    .await?;
    needs::post_need(
        db,
        admin,
        need(
            Some(5),
            "9412",
            "Restaurangbiträden",
            3,
            false,
            Some(SwedishLevel::SfiC),
            None,
        ),
    )
    .await?;
    Ok(())
}
