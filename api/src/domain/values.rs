//! The domain's enumerations. Each is defined once, in the entity crate: a sea-orm
//! `ActiveEnum` stored by its GraphQL name and served as the contract's enum.

pub use jobtrack_entity::values::*;

use crate::error::{Error, Result};

/// Whether an outcome is work: regular or subsidised employment.
pub fn is_employment(kind: OutcomeKind) -> bool {
    matches!(
        kind,
        OutcomeKind::Employed
            | OutcomeKind::EmployedIntroduktionsjobb
            | OutcomeKind::EmployedLonebidrag
            | OutcomeKind::EmployedOtherSubsidy
            | OutcomeKind::EmployedWithSubsidy
    )
}

/// Reads a comma-separated list of stored enum values (empty: none); a value the enum
/// does not know means the database is corrupt.
pub fn parse_list<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|value| {
            parse(value)
                .ok_or_else(|| Error::Internal(format!("unknown value in a stored list: {value}")))
        })
        .collect()
}

/// Writes a list of enum values as stored: comma-separated, sorted, without duplicates.
pub fn join_list<T: Copy + Ord>(values: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.into_iter().map(as_str).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use jobtrack_migration::values;

    use super::*;

    /// The CHECK constraints allow exactly the values the entities' enums can hold, so
    /// no stored row fails to read and no enum value fails to store. (When a later
    /// migration changes a CHECK, compare with its list instead.)
    #[test]
    fn check_constraints_list_the_entity_enums_values() {
        fn names<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<&'static str> {
            all.iter().copied().map(as_str).collect()
        }
        let pairs: [(&[&str], Vec<&str>); 23] = [
            (
                values::ORGANIZATION_KIND,
                names(OrganizationKind::ALL, OrganizationKind::as_str),
            ),
            (values::ROLE, names(Role::ALL, Role::as_str)),
            (
                values::EMPLOYER_SIZE,
                names(EmployerSize::ALL, EmployerSize::as_str),
            ),
            (
                values::NEED_STATUS,
                names(CompetenceNeedStatus::ALL, CompetenceNeedStatus::as_str),
            ),
            (
                values::SWEDISH_LEVEL,
                names(SwedishLevel::ALL, SwedishLevel::as_str),
            ),
            (
                values::EDUCATION_LEVEL,
                names(EducationLevel::ALL, EducationLevel::as_str),
            ),
            (
                values::TRACK_STATUS,
                names(JobTrackStatus::ALL, JobTrackStatus::as_str),
            ),
            (
                values::COMPONENT_KIND,
                names(ComponentKind::ALL, ComponentKind::as_str),
            ),
            (values::PROGRAMME, names(Programme::ALL, Programme::as_str)),
            (
                values::TARGET_GROUP,
                names(TargetGroup::ALL, TargetGroup::as_str),
            ),
            (values::GENDER, names(Gender::ALL, Gender::as_str)),
            (
                values::CONSENT_SCOPE,
                names(ConsentScope::ALL, ConsentScope::as_str),
            ),
            (
                values::CONSENT_METHOD,
                names(ConsentMethod::ALL, ConsentMethod::as_str),
            ),
            (
                values::APPLICATION_STATUS,
                names(ApplicationStatus::ALL, ApplicationStatus::as_str),
            ),
            (
                values::STEP_KIND,
                names(AdmissionStepKind::ALL, AdmissionStepKind::as_str),
            ),
            (
                values::STEP_RESULT,
                names(StepResult::ALL, StepResult::as_str),
            ),
            (
                values::OUTCOME_KIND_11,
                // The contract's EMPLOYED_WITH_SUBSIDY is refused, never stored.
                names(
                    &OutcomeKind::ALL
                        .iter()
                        .copied()
                        .filter(|k| *k != OutcomeKind::EmployedWithSubsidy)
                        .collect::<Vec<_>>(),
                    OutcomeKind::as_str,
                ),
            ),
            (values::STAGE, names(Stage::ALL, Stage::as_str)),
            (
                values::CONTACT_CHANNEL,
                names(ContactChannel::ALL, ContactChannel::as_str),
            ),
            (
                values::CONTACT_PURPOSE,
                names(ContactPurpose::ALL, ContactPurpose::as_str),
            ),
            (
                values::OUTBOX_STATUS,
                names(OutboxStatus::ALL, OutboxStatus::as_str),
            ),
            (
                values::FOLLOW_UP_SITUATION,
                names(FollowUpSituation::ALL, FollowUpSituation::as_str),
            ),
            (
                values::WITHDRAWAL_REASON,
                names(WithdrawalReason::ALL, WithdrawalReason::as_str),
            ),
        ];
        for (stored, mut enumerated) in pairs {
            let mut stored = stored.to_vec();
            stored.sort_unstable();
            enumerated.sort_unstable();
            assert_eq!(stored, enumerated);
        }
    }
}
