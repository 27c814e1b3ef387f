//! The history of each application: when it first reached each stage (or took an exit).
//! Written in the transaction of the change that reached it; the funnel counts from it.

use chrono::{DateTime, Utc};
use jobtrack_entity::application_stage;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};

use crate::domain::values::{ApplicationStatus, Stage};
use crate::error::Result;

/// The stage an application reaches by taking `status`.
pub fn of_status(status: ApplicationStatus) -> Stage {
    match status {
        ApplicationStatus::Nominated => Stage::Nominated,
        ApplicationStatus::Invited => Stage::Invited,
        ApplicationStatus::Applied => Stage::Applied,
        ApplicationStatus::InTrial => Stage::InTrial,
        ApplicationStatus::Admitted => Stage::Admitted,
        ApplicationStatus::Started => Stage::Started,
        ApplicationStatus::Completed => Stage::Completed,
        ApplicationStatus::Rejected => Stage::Rejected,
        ApplicationStatus::Withdrawn => Stage::Withdrawn,
        ApplicationStatus::DroppedOut => Stage::DroppedOut,
    }
}

/// Records that the applications reached `stage` at `at`, unless they had before (the
/// first time counts).
pub async fn reach(
    db: &impl ConnectionTrait,
    applications: &[i64],
    stage: Stage,
    at: DateTime<Utc>,
) -> Result<()> {
    if applications.is_empty() {
        return Ok(());
    }
    application_stage::Entity::insert_many(applications.iter().map(|id| {
        application_stage::ActiveModel {
            application_id: Set(*id),
            stage: Set(stage),
            reached_at: Set(at),
        }
    }))
    .on_conflict(
        OnConflict::columns([
            application_stage::Column::ApplicationId,
            application_stage::Column::Stage,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Takes back a stage that was recorded by mistake (an attendance corrected to NO_SHOW, an
/// employment outcome replaced by another).
pub async fn retract(db: &impl ConnectionTrait, application: i64, stage: Stage) -> Result<()> {
    application_stage::Entity::delete_many()
        .filter(application_stage::Column::ApplicationId.eq(application))
        .filter(application_stage::Column::Stage.eq(stage))
        .exec(db)
        .await?;
    Ok(())
}
