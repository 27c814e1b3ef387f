//! The database's unique constraints, by the `uq_*` names the migrations give them.
//! A write that may violate one maps the violation at its call site:
//! `.map_err(Unique::UserEmail.conflict("a user with this email already exists"))`.
//!
//! PostgreSQL reports the constraint's name; SQLite reports the constrained columns
//! (`UNIQUE constraint failed: app_user.email`), so each constraint knows both and a
//! violation matches one constraint exactly, never by a substring.

use sea_orm::{DbErr, SqlErr};

use crate::error::Error;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Unique {
    UserEmail,
    EmployerOrgNumber,
    CandidatePersonalIdentityNumber,
    OrganizationOrgNumberName,
    /// One open application (not WITHDRAWN or REJECTED) per candidate and track.
    ApplicationTrackCandidate,
    /// A candidate holds at most one ADMITTED or STARTED application (a partial index).
    ApplicationOneAdmission,
    AdmissionStepKind,
    TrackComponentPosition,
}

impl Unique {
    pub const ALL: &'static [Self] = &[
        Self::UserEmail,
        Self::EmployerOrgNumber,
        Self::CandidatePersonalIdentityNumber,
        Self::OrganizationOrgNumberName,
        Self::ApplicationTrackCandidate,
        Self::ApplicationOneAdmission,
        Self::AdmissionStepKind,
        Self::TrackComponentPosition,
    ];

    /// The constraint's (and its index's) name in the database.
    pub fn name(self) -> &'static str {
        match self {
            Self::UserEmail => "uq_app_user_email",
            Self::EmployerOrgNumber => "uq_employer_org_number",
            Self::CandidatePersonalIdentityNumber => "uq_candidate_personal_identity_number",
            Self::OrganizationOrgNumberName => "uq_organization_org_number_name",
            Self::ApplicationTrackCandidate => "uq_application_open_per_track",
            Self::ApplicationOneAdmission => "uq_application_one_admission",
            Self::AdmissionStepKind => "uq_admission_step_application_id_kind",
            Self::TrackComponentPosition => "uq_track_component_job_track_id_position",
        }
    }

    /// The columns SQLite names when the constraint is violated.
    fn sqlite_columns(self) -> &'static str {
        match self {
            Self::UserEmail => "app_user.email",
            Self::EmployerOrgNumber => "employer.org_number",
            Self::CandidatePersonalIdentityNumber => "candidate.personal_identity_number",
            Self::OrganizationOrgNumberName => "organization.org_number, organization.name",
            Self::ApplicationTrackCandidate => "application.job_track_id, application.candidate_id",
            Self::ApplicationOneAdmission => "application.candidate_id",
            Self::AdmissionStepKind => "admission_step.application_id, admission_step.kind",
            Self::TrackComponentPosition => {
                "track_component.job_track_id, track_component.position"
            }
        }
    }

    /// Whether `message` (the database's text for a unique violation) names this one.
    fn named_in(self, message: &str) -> bool {
        message
            .strip_prefix("duplicate key value violates unique constraint ")
            .is_some_and(|name| name.trim_matches('"') == self.name())
            || message
                .strip_prefix("UNIQUE constraint failed: ")
                .is_some_and(|columns| columns == self.sqlite_columns())
    }

    /// Whether `err` is a violation of this constraint.
    pub fn violated_by(self, err: &DbErr) -> bool {
        matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(message)) if self.named_in(&message))
    }

    /// For `map_err`: a violation of this constraint becomes a CONFLICT saying
    /// `message`; any other error converts as usual.
    pub fn conflict(self, message: &'static str) -> impl FnOnce(DbErr) -> Error {
        move |err| {
            if self.violated_by(&err) {
                Error::Conflict(message.to_owned())
            } else {
                err.into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Unique;

    #[test]
    fn a_violation_names_exactly_one_constraint() {
        for constraint in Unique::ALL {
            let postgres = format!(
                "duplicate key value violates unique constraint \"{}\"",
                constraint.name()
            );
            let sqlite = format!("UNIQUE constraint failed: {}", constraint.sqlite_columns());
            for message in [postgres, sqlite] {
                let matching: Vec<_> = Unique::ALL
                    .iter()
                    .filter(|other| other.named_in(&message))
                    .collect();
                assert_eq!(matching, [constraint], "{message}");
            }
        }
        assert!(!Unique::UserEmail.named_in("UNIQUE constraint failed: app_user.email_alias"));
    }
}
