//! The demo's job tracks, one function per story: welding (finished and running), care
//! (recruiting, applications at every step) and Dalsland (in selection, and a draft).

use chrono::{Duration, Utc};

use super::admission::{Cast, advance, applied, component, through_trial};
use crate::domain::admission::{self, Decision, TrialPlacement};
use crate::domain::tracks;
use crate::domain::values::{
    AdmissionStepKind, ComponentKind, JobTrackStatus, OutcomeKind, StepResult,
};
use crate::error::Result;

/// Kull 1 ran from 230 to 200 days ago: its participants' 90- and 180-day follow-ups.
/// Three are recorded at both, one only at 90 days; the rest are due for the caseworker.
async fn follow_ups(cast: &Cast<'_>, apps: &[i64]) -> Result<()> {
    use crate::domain::admission::follow_up::{NewFollowUp, record_follow_up};
    use crate::domain::values::{FollowUpSituation, Stage};
    use jobtrack_entity::{application, application_stage};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let (db, caseworker) = (cast.db, &cast.caseworker);
    let (started, finished) = (
        Utc::now() - Duration::days(230),
        Utc::now() - Duration::days(200),
    );
    application::Entity::update_many()
        .col_expr(application::Column::StartedAt, Expr::value(started))
        .col_expr(application::Column::FinishedAt, Expr::value(finished))
        .filter(application::Column::Id.is_in(apps.iter().copied()))
        .exec(db)
        .await?;
    for (stage, at) in [
        (Stage::Started, started),
        (Stage::Completed, finished),
        (Stage::DroppedOut, finished),
    ] {
        application_stage::Entity::update_many()
            .col_expr(application_stage::Column::ReachedAt, Expr::value(at))
            .filter(application_stage::Column::ApplicationId.is_in(apps.iter().copied()))
            .filter(application_stage::Column::Stage.eq(stage))
            .exec(db)
            .await?;
    }
    let welding_firm = Some(cast.demo.employers[0]);
    for (i, app) in apps.iter().enumerate().take(4) {
        let (at_90, at_180) = match i {
            0 => (
                FollowUpSituation::EmployedWithSubsidy,
                Some(FollowUpSituation::Employed),
            ),
            1 => (
                FollowUpSituation::EmployedWithSubsidy,
                Some(FollowUpSituation::EmployedWithSubsidy),
            ),
            2 => (
                FollowUpSituation::Employed,
                Some(FollowUpSituation::Employed),
            ),
            _ => (FollowUpSituation::Unemployed, None),
        };
        for (day, situation) in [(90, Some(at_90)), (180, at_180)] {
            let Some(situation) = situation else { continue };
            let employed = matches!(
                situation,
                FollowUpSituation::Employed | FollowUpSituation::EmployedWithSubsidy
            );
            record_follow_up(
                db,
                caseworker,
                *app,
                NewFollowUp {
                    day,
                    situation,
                    employer_id: if employed { welding_firm } else { None },
                    note: None,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// A finished welding track (completed, dropped out, outcomes) and a running one.
pub(super) async fn welding(cast: &Cast<'_>) -> Result<()> {
    let (db, demo, today, start) = (cast.db, cast.demo, cast.today, cast.start);
    let (caseworker, working_group, employer, people) = (
        &cast.caseworker,
        &cast.working_group,
        &cast.employer,
        &cast.people,
    );
    // A finished welding track: participants completed or dropped out, with outcomes.
    let welding = vec![
        component(
            ComponentKind::TrialPlacement,
            "Kortare praktik på verkstaden",
            None,
            Some((start - Duration::weeks(3), 1)),
        ),
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
        working_group,
        cast.track(
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
        &[caseworker, working_group, employer],
        demo,
        finished.id,
        &[
            people[0], people[1], people[2], people[3], people[4], people[16],
        ],
        0,
    )
    .await?;
    for app in &finished_apps {
        admission::decide(db, working_group, *app, None, Decision::Admit, None).await?;
    }
    // The sixth does not share with employers, so no trial placement: rejected after applying.
    let late = applied(
        db,
        &[caseworker, working_group],
        finished.id,
        people[5],
        Utc::now() - Duration::weeks(26),
    )
    .await?;
    admission::decide(
        db,
        working_group,
        late,
        None,
        Decision::Reject,
        Some("Behöver mer svenska innan start.".into()),
    )
    .await?;
    advance(
        db,
        working_group,
        finished.id,
        &[JobTrackStatus::Selection, JobTrackStatus::Running],
    )
    .await?;
    for (i, app) in finished_apps.iter().enumerate() {
        if i == 3 {
            admission::drop_out(db, caseworker, *app, "Flyttade från orten.").await?;
            admission::record_outcome(db, caseworker, *app, OutcomeKind::None, None, None).await?;
        } else {
            admission::complete(db, caseworker, *app).await?;
            let (kind, with) = match i {
                0 => (
                    OutcomeKind::EmployedIntroduktionsjobb,
                    Some(demo.employers[0]),
                ),
                1 => (OutcomeKind::EmployedLonebidrag, Some(demo.employers[0])),
                2 => (OutcomeKind::Employed, Some(demo.employers[0])),
                4 => (OutcomeKind::Studies, None),
                // Every outcome kind: the dropout above has NONE, kull 2's has OTHER.
                _ => (OutcomeKind::EmployedOtherSubsidy, Some(demo.employers[0])),
            };
            admission::record_outcome(
                db,
                caseworker,
                *app,
                kind,
                with,
                Some(today - Duration::weeks(2)),
            )
            .await?;
        }
    }
    advance(db, working_group, finished.id, &[JobTrackStatus::Completed]).await?;
    follow_ups(cast, &finished_apps).await?;
    tracks::review::record_review(
        db,
        working_group,
        finished.id,
        tracks::review::NewReview {
            what_worked: "Praktiken tidigt i spåret och yrkessvenskan på arbetsplatsen.".into(),
            employer_view: "Nöjda med svetsarna; vill ta emot nästa kull.".into(),
            employed_count: 4,
        },
    )
    .await?;

    // A running welding track, answering the welding firm's need for welders.
    let mut kull_2 = cast.track(
        "Svetsare Trollhättan, kull 2",
        "7212",
        demo.fyrbodal,
        &["1488", "1487", "1444"],
        0,
        4,
        welding,
    );
    kull_2.competence_need_ids = cast.needs(0, "7212").await?;
    let running = tracks::create_track(db, working_group, kull_2).await?;
    let running_apps = through_trial(
        db,
        &[caseworker, working_group, employer],
        demo,
        running.id,
        &people[6..9],
        0,
    )
    .await?;
    for app in &running_apps {
        admission::decide(db, working_group, *app, None, Decision::Admit, None).await?;
    }
    advance(
        db,
        working_group,
        running.id,
        &[JobTrackStatus::Selection, JobTrackStatus::Running],
    )
    .await?;
    admission::drop_out(db, caseworker, running_apps[0], "Långvarig sjukskrivning.").await?;
    admission::record_outcome(
        db,
        caseworker,
        running_apps[0],
        OutcomeKind::Other,
        None,
        None,
    )
    .await?;

    Ok(())
}

/// Assistant nurses in Vänersborg, recruiting: applications at every step.
pub(super) async fn care(cast: &Cast<'_>) -> Result<()> {
    let (db, demo) = (cast.db, cast.demo);
    let (caseworker, working_group, people) = (&cast.caseworker, &cast.working_group, &cast.people);
    // Assistant nurses in Vänersborg, recruiting: applications at every step.
    let mut design = cast.track(
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
    );
    design.competence_need_ids = cast.needs(1, "5321").await?;
    // Swedish at SFI D at least: the care work's documentation needs it. Fatima and Nour
    // (SFI C) are one step short — near misses the caseworker can plan for.
    if let Some(eligibility) = design.eligibility.as_mut() {
        eligibility.requirements.minimum_swedish_level =
            Some(crate::domain::values::SwedishLevel::SfiD);
        eligibility.requirements.other =
            Some("Dokumentation i journal kräver svenska på SFI D-nivå.".into());
    }
    let care = tracks::create_track(db, working_group, design).await?;
    advance(db, working_group, care.id, &[JobTrackStatus::Recruiting]).await?;
    let at = Utc::now() + Duration::days(7);
    let mut care_apps = Vec::new();
    for person in &people[9..16] {
        care_apps.push(
            admission::nominate(
                db,
                caseworker,
                care.id,
                *person,
                Some("Motiverad, har erfarenhet av omsorg.".into()),
                Some("SFI D avklarad, studievan.".into()),
            )
            .await?
            .id,
        );
    }
    // 0 stays NOMINATED; 1 INVITED; 2 APPLIED; 3 IN_TRIAL; 4 ADMITTED; 5 REJECTED; 6 WITHDRAWN.
    let meeting = admission::meetings::schedule(
        db,
        working_group,
        admission::meetings::NewMeeting {
            track_id: care.id,
            starts_at: at,
            location: "Vänersborgs stadshus, sal 2".into(),
            capacity: Some(20),
        },
    )
    .await?;
    admission::meetings::invite(db, working_group, meeting.id, &care_apps[1..6]).await?;
    for app in &care_apps[2..6] {
        admission::submit_application(
            db,
            caseworker,
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
        admission::schedule_trial_placement(db, working_group, *app, None, trial).await?;
    }
    admission::record_step_result(
        db,
        working_group,
        care_apps[4],
        AdmissionStepKind::TrialPlacement,
        StepResult::Passed,
        Some("Lugn och lyhörd med de boende.".into()),
    )
    .await?;
    admission::decide(db, working_group, care_apps[4], None, Decision::Admit, None).await?;
    admission::decide(
        db,
        working_group,
        care_apps[5],
        None,
        Decision::Reject,
        Some("Passar bättre i ett senare spår.".into()),
    )
    .await?;
    admission::withdraw(
        db,
        caseworker,
        care_apps[6],
        Some("Fick jobb på egen hand.".into()),
    )
    .await?;
    // A withdrawn consent: the candidate's open application goes with it
    // (WITHDRAWN, reason CONSENT_WITHDRAWN), and the working group no longer sees them.
    admission::nominate(db, caseworker, care.id, people[17], None, None).await?;
    crate::domain::candidates::withdraw_consent(
        db,
        caseworker,
        people[17],
        crate::domain::values::ConsentScope::Collaboration,
    )
    .await?;

    Ok(())
}

/// Warehouse work in Dalsland in selection, and a restaurant track still a draft.
pub(super) async fn dalsland(cast: &Cast<'_>) -> Result<()> {
    let (db, demo) = (cast.db, cast.demo);
    let (caseworker, working_group, people) = (&cast.caseworker, &cast.working_group, &cast.people);
    // Warehouse work in Dalsland, in selection; and a restaurant track still a draft.
    let dalsland = tracks::create_track(
        db,
        &demo.admin,
        cast.track(
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
        admission::nominate(db, caseworker, dalsland.id, *person, None, None).await?;
    }
    advance(db, &demo.admin, dalsland.id, &[JobTrackStatus::Selection]).await?;
    tracks::create_track(
        db,
        working_group,
        cast.track(
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
