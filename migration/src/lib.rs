//! Jobtrack's database migrations: hand-written, reversible, the same on SQLite and
//! PostgreSQL. They never import the entity crate, so an old migration means the same forever.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_reference_data;
mod m20261122_000002_organizations_and_users;
mod m20261122_000003_employers;
mod m20261122_000004_job_tracks;
mod m20261122_000005_candidates_and_admission;
mod m20261122_000006_audit_and_outbox;
mod m20261123_000007_complete_reference_data;
mod m20261123_000008_name_unique_constraints;
mod m20261123_000009_renomination;
mod m20261123_000010_escalation_acknowledgement;
mod m20261123_000011_outcome_kinds;
mod m20261123_000012_application_stages;
mod m20261123_000013_info_meetings;
mod m20261123_000014_password_reset;
mod m20261123_000015_agreement_revisions;
mod m20261123_000016_consent_ledger;
mod m20261123_000017_follow_ups;
mod m20261123_000018_end_of_track;
mod m20261207_000019_audit_log_without_foreign_keys;
pub mod reference;
mod util;

/// The values each CHECK constraint allows, as the migrations wrote them.
pub use util::values;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_reference_data::Migration),
            Box::new(m20261122_000002_organizations_and_users::Migration),
            Box::new(m20261122_000003_employers::Migration),
            Box::new(m20261122_000004_job_tracks::Migration),
            Box::new(m20261122_000005_candidates_and_admission::Migration),
            Box::new(m20261122_000006_audit_and_outbox::Migration),
            Box::new(m20261123_000007_complete_reference_data::Migration),
            Box::new(m20261123_000008_name_unique_constraints::Migration),
            Box::new(m20261123_000009_renomination::Migration),
            Box::new(m20261123_000010_escalation_acknowledgement::Migration),
            Box::new(m20261123_000011_outcome_kinds::Migration),
            Box::new(m20261123_000012_application_stages::Migration),
            Box::new(m20261123_000013_info_meetings::Migration),
            Box::new(m20261123_000014_password_reset::Migration),
            Box::new(m20261123_000015_agreement_revisions::Migration),
            Box::new(m20261123_000016_consent_ledger::Migration),
            Box::new(m20261123_000017_follow_ups::Migration),
            Box::new(m20261123_000018_end_of_track::Migration),
            Box::new(m20261207_000019_audit_log_without_foreign_keys::Migration),
        ]
    }
}
