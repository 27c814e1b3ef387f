//! Nomination: eligibility, consent, one open application per candidate and track.

use crate::db::Db;
use chrono::Utc;
use jobtrack_entity::{
    application, candidate, candidate_target_group, job_track, job_track_municipality,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

use crate::auth::Actor;
use crate::domain::candidates::active_consent;
use crate::domain::tracks;
use crate::domain::unique::Unique;
use crate::domain::values::{
    ApplicationStatus, ConsentScope, JobTrackStatus, Programme, Stage, TargetGroup, parse_list,
};
use crate::domain::{TEXT_MAX, audit, eligibility, optional_text, policy};
use crate::error::{Error, Result};

use ApplicationStatus::Nominated;

/// Every requirement of the track's eligibility the candidate does not meet.
async fn unmet_requirements(
    db: &impl ConnectionTrait,
    track: &job_track::Model,
    candidate: &candidate::Model,
) -> Result<Vec<String>> {
    let municipalities: Vec<String> = job_track_municipality::Entity::find()
        .filter(job_track_municipality::Column::JobTrackId.eq(track.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect();
    let target_groups: Vec<TargetGroup> = candidate_target_group::Entity::find()
        .filter(candidate_target_group::Column::CandidateId.eq(candidate.id))
        .all(db)
        .await?
        .iter()
        .map(|g| g.target_group)
        .collect();
    let programmes = parse_list(&track.eligible_programmes, Programme::parse)?;
    let groups = parse_list(&track.eligible_target_groups, TargetGroup::parse)?;
    let asks = eligibility::Asks {
        municipalities: &municipalities,
        programmes: &programmes,
        target_groups: &groups,
        driving_licence: track.requires_driving_licence,
        minimum_swedish_level: track.minimum_swedish_level,
        minimum_education: track.minimum_education,
    };
    let has = eligibility::Has::of(candidate, &target_groups);
    Ok(eligibility::unmet(&asks, &has))
}

/// Nominates a candidate to a recruiting track. A nomination is not an application, so
/// it never escalates the track (escalation counts applicants: `tracks::escalation`).
pub async fn nominate(
    db: &Db,
    actor: &Actor,
    track_id: i64,
    candidate_id: i64,
    note: Option<String>,
    language_assessment: Option<String>,
) -> Result<application::Model> {
    nominate_with(
        db,
        actor,
        track_id,
        candidate_id,
        note,
        language_assessment,
        None,
    )
    .await
}

/// As [`nominate`], recording the earlier application it carries over, if any.
pub(super) async fn nominate_with(
    db: &Db,
    actor: &Actor,
    track_id: i64,
    candidate_id: i64,
    note: Option<String>,
    language_assessment: Option<String>,
    carried_over_from: Option<i64>,
) -> Result<application::Model> {
    policy::require(policy::may_nominate_any(actor))?;
    let note = optional_text("note", note.as_deref(), TEXT_MAX)?;
    let language_assessment = optional_text(
        "languageAssessment",
        language_assessment.as_deref(),
        TEXT_MAX,
    )?;
    let tx = db.begin_write().await?;
    let track = tracks::lock_track(&tx, actor, track_id).await?;
    let candidate = candidate::Entity::find_by_id(candidate_id)
        .one(&tx)
        .await?
        .ok_or(Error::NotFound)?;
    if !policy::may_nominate(actor, &candidate) {
        return Err(Error::NotFound);
    }
    if candidate.erased_at.is_some() {
        return Err(Error::InvalidState("the candidate has been erased".into()));
    }
    if track.status != JobTrackStatus::Recruiting {
        return Err(Error::InvalidState(format!(
            "the track is {}, not RECRUITING",
            track.status.as_str()
        )));
    }
    let today = crate::domain::calendar::swedish_today();
    if track
        .application_deadline
        .is_some_and(|deadline| deadline < today)
    {
        return Err(Error::InvalidState(
            "the track's application deadline has passed".into(),
        ));
    }
    if active_consent(&tx, candidate_id, ConsentScope::Collaboration)
        .await?
        .is_none()
    {
        return Err(Error::ConsentRequired(
            "the candidate has not consented to collaboration (COLLABORATION)".into(),
        ));
    }
    let unmet = unmet_requirements(&tx, &track, &candidate).await?;
    if !unmet.is_empty() {
        return Err(Error::NotEligible {
            message: format!("not eligible: {}", unmet.join("; ")),
            // Each description starts with its rule's name, e.g. "programme: …".
            unmet: unmet
                .iter()
                .map(|u| u.split(':').next().unwrap_or_default().to_owned())
                .collect(),
        });
    }
    // A withdrawn or rejected application stays as history; the candidate may be
    // nominated again. One open application per candidate and track.
    let existing = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track_id))
        .filter(application::Column::CandidateId.eq(candidate_id))
        .filter(
            application::Column::Status
                .is_not_in([ApplicationStatus::Withdrawn, ApplicationStatus::Rejected]),
        )
        .count(&tx)
        .await?;
    if existing > 0 {
        return Err(Error::Conflict(
            "the candidate already has an application to this track".into(),
        ));
    }
    let now = Utc::now();
    let created = application::Entity::insert(application::ActiveModel {
        job_track_id: Set(track_id),
        candidate_id: Set(candidate_id),
        status: Set(Nominated),
        version: Set(1),
        nominated_by: Set(Some(actor.user_id)),
        nominated_at: Set(now),
        nomination_note: Set(note),
        language_assessment: Set(language_assessment),
        updated_at: Set(now),
        carried_over_from: Set(carried_over_from),
        ..Default::default()
    })
    .exec_with_returning(&tx)
    .await
    .map_err(
        Unique::ApplicationTrackCandidate
            .conflict("the candidate already has an application to this track"),
    )?;
    super::stages::reach(&tx, &[created.id], Stage::Nominated, now).await?;
    audit::record(
        &tx,
        Some(actor),
        "application.nominate",
        Some(candidate_id),
        Some(match carried_over_from {
            Some(from) => format!("track {track_id}, carried over from application {from}"),
            None => format!("track {track_id}"),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// A change to what the nomination says: `None` keeps a field, `Some(None)` clears it.
#[derive(Default)]
pub struct NominationChanges {
    pub note: Option<Option<String>>,
    pub language_assessment: Option<Option<String>>,
}

/// updateNomination: the nomination note and the SFI teacher's view, while the
/// application is open (NOMINATED, INVITED, APPLIED, IN_TRIAL).
pub async fn update_nomination(
    db: &Db,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    changes: NominationChanges,
) -> Result<application::Model> {
    use ApplicationStatus::{Applied, InTrial, Invited};
    let check = |field: &str, value: &Option<Option<String>>| -> Result<Option<Option<String>>> {
        value
            .as_ref()
            .map(|v| optional_text(field, v.as_deref(), TEXT_MAX))
            .transpose()
    };
    let note = check("note", &changes.note)?;
    let language_assessment = check("languageAssessment", &changes.language_assessment)?;
    let tx = db.begin_write().await?;
    let locked = super::lock(&tx, actor, id, policy::may_update_nomination).await?;
    super::expect_version(&locked.app, expected_version)?;
    super::expect_status(
        &locked.app,
        &[Nominated, Invited, Applied, InTrial],
        "update the nomination of",
    )?;
    let mut row = application::ActiveModel::default();
    if let Some(note) = note {
        row.nomination_note = Set(note);
    }
    if let Some(view) = language_assessment {
        row.language_assessment = Set(view);
    }
    let saved = super::save(&tx, actor, &locked, row, "application.nomination.update").await?;
    tx.commit().await?;
    Ok(saved)
}
