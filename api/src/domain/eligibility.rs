//! Whether a candidate meets a track's eligibility: a pure rule over what the track asks
//! and what the candidate has, so it is tested without a database and names every unmet
//! requirement, not only the first.

use super::values::{EducationLevel, Programme, SwedishLevel, TargetGroup};

/// What a track asks of its candidates (empty lists: any).
pub struct Asks<'a> {
    pub municipalities: &'a [String],
    pub programmes: &'a [Programme],
    pub target_groups: &'a [TargetGroup],
    pub driving_licence: bool,
    pub minimum_swedish_level: Option<SwedishLevel>,
    pub minimum_education: Option<EducationLevel>,
}

/// What a candidate has.
pub struct Has<'a> {
    pub municipality_code: &'a str,
    pub programme: Programme,
    pub target_groups: &'a [TargetGroup],
    pub driving_licence: bool,
    pub swedish_level: SwedishLevel,
    pub education_level: EducationLevel,
}

impl<'a> Has<'a> {
    /// What `candidate` has, with its target groups.
    pub fn of(
        candidate: &'a jobtrack_entity::candidate::Model,
        target_groups: &'a [TargetGroup],
    ) -> Self {
        Self {
            municipality_code: &candidate.municipality_code,
            programme: candidate.programme,
            target_groups,
            driving_licence: candidate.driving_licence,
            swedish_level: candidate.swedish_level,
            education_level: candidate.education_level,
        }
    }
}

fn names<T: Copy>(values: &[T], name: impl Fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| name(*v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every requirement the candidate does not meet, as `field: why`, in a fixed order.
pub fn unmet(asks: &Asks<'_>, has: &Has<'_>) -> Vec<String> {
    let mut unmet = Vec::new();
    if !asks
        .municipalities
        .iter()
        .any(|m| m == has.municipality_code)
    {
        unmet.push(
            "municipality: the track does not recruit from the candidate's municipality".into(),
        );
    }
    if !asks.programmes.is_empty() && !asks.programmes.contains(&has.programme) {
        unmet.push(format!(
            "programme: the track accepts {}",
            names(asks.programmes, Programme::as_str)
        ));
    }
    if !asks.target_groups.is_empty()
        && !asks
            .target_groups
            .iter()
            .any(|g| has.target_groups.contains(g))
    {
        unmet.push(format!(
            "targetGroups: the candidate belongs to none of {}",
            names(asks.target_groups, TargetGroup::as_str)
        ));
    }
    if asks.driving_licence && !has.driving_licence {
        unmet.push("drivingLicence: the track requires a driving licence".into());
    }
    if let Some(minimum) = asks.minimum_swedish_level
        && has.swedish_level < minimum
    {
        unmet.push(format!(
            "swedishLevel: the track requires at least {}",
            minimum.as_str()
        ));
    }
    if let Some(minimum) = asks.minimum_education
        && has.education_level < minimum
    {
        unmet.push(format!(
            "educationLevel: the track requires at least {}",
            minimum.as_str()
        ));
    }
    unmet
}

/// The requirements the track asks beyond its municipalities, by the names `unmet` uses.
pub fn asked(asks: &Asks<'_>) -> Vec<&'static str> {
    [
        (!asks.programmes.is_empty(), "programme"),
        (!asks.target_groups.is_empty(), "targetGroups"),
        (asks.driving_licence, "drivingLicence"),
        (asks.minimum_swedish_level.is_some(), "swedishLevel"),
        (asks.minimum_education.is_some(), "educationLevel"),
    ]
    .into_iter()
    .filter_map(|(asked, name)| asked.then_some(name))
    .collect()
}

/// The asked requirements (municipality aside) split into those met and those not.
pub fn explain(asks: &Asks<'_>, has: &Has<'_>) -> (Vec<&'static str>, Vec<&'static str>) {
    let failing = unmet(asks, has);
    asked(asks)
        .into_iter()
        .partition(|name| !failing.iter().any(|f| f.split(':').next() == Some(*name)))
}

#[cfg(test)]
mod tests {
    use super::{Asks, Has, unmet};
    use crate::domain::values::{EducationLevel, Programme, SwedishLevel, TargetGroup};

    fn trollhattan() -> Vec<String> {
        vec!["1488".to_owned()]
    }

    fn open(municipalities: &[String]) -> Asks<'_> {
        Asks {
            municipalities,
            programmes: &[],
            target_groups: &[],
            driving_licence: false,
            minimum_swedish_level: None,
            minimum_education: None,
        }
    }

    fn candidate(groups: &[TargetGroup]) -> Has<'_> {
        Has {
            municipality_code: "1488",
            programme: Programme::Job,
            target_groups: groups,
            driving_licence: false,
            swedish_level: SwedishLevel::SfiC,
            education_level: EducationLevel::CompulsoryOrLess,
        }
    }

    #[test]
    fn an_open_track_in_the_candidates_municipality_takes_anyone() {
        let municipalities = trollhattan();
        assert!(unmet(&open(&municipalities), &candidate(&[])).is_empty());
    }

    #[test]
    fn every_unmet_requirement_is_named_in_order() {
        let municipalities = vec!["1487".to_owned()];
        let asks = Asks {
            municipalities: &municipalities,
            programmes: &[Programme::Establishment],
            target_groups: &[TargetGroup::NewArrival],
            driving_licence: true,
            minimum_swedish_level: Some(SwedishLevel::SfiD),
            minimum_education: Some(EducationLevel::UpperSecondary),
        };
        let fields: Vec<String> = unmet(&asks, &candidate(&[TargetGroup::LongTermUnemployed]))
            .iter()
            .filter_map(|m| m.split(':').next().map(str::to_owned))
            .collect();
        assert_eq!(
            fields,
            [
                "municipality",
                "programme",
                "targetGroups",
                "drivingLicence",
                "swedishLevel",
                "educationLevel"
            ]
        );
    }

    #[test]
    fn one_shared_target_group_is_enough_and_levels_are_minimums() {
        let municipalities = trollhattan();
        let asks = Asks {
            target_groups: &[TargetGroup::NewArrival, TargetGroup::LongTermUnemployed],
            minimum_swedish_level: Some(SwedishLevel::SfiC),
            minimum_education: Some(EducationLevel::CompulsoryOrLess),
            ..open(&municipalities)
        };
        assert!(unmet(&asks, &candidate(&[TargetGroup::LongTermUnemployed])).is_empty());
        let one_step_short = Asks {
            minimum_swedish_level: Some(SwedishLevel::SfiD),
            ..open(&municipalities)
        };
        assert_eq!(
            unmet(&one_step_short, &candidate(&[])),
            ["swedishLevel: the track requires at least SFI_D"]
        );
    }
}
