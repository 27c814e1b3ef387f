//! The domain's enumerations. Each is defined once: stored in the database by its
//! GraphQL name (`as_str`/`from_db`) and served as the contract's enum.

use crate::error::{Error, Result};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* #[graphql(name = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }

            /// Reads a stored value; anything else means the database is corrupt.
            pub fn from_db(text: &str) -> Result<Self> {
                Self::parse(text).ok_or_else(|| {
                    Error::Internal(format!("unknown {} in database: {text}", stringify!($name)))
                })
            }
        }
    };
}

string_enum!(Role {
    Admin = "ADMIN",
    Coordinator = "COORDINATOR",
    WorkingGroup = "WORKING_GROUP",
    Caseworker = "CASEWORKER",
    BusinessAdviser = "BUSINESS_ADVISER",
    SectionManager = "SECTION_MANAGER",
    Employer = "EMPLOYER",
});

string_enum!(OrganizationKind {
    Municipality = "MUNICIPALITY",
    EmploymentService = "EMPLOYMENT_SERVICE",
    AdultEducation = "ADULT_EDUCATION",
    Other = "OTHER",
});

string_enum!(EmployerSize {
    SoleTrader = "SOLE_TRADER",
    Micro = "MICRO",
    Small = "SMALL",
    MediumSmall = "MEDIUM_SMALL",
    Medium = "MEDIUM",
    Large = "LARGE",
});

string_enum!(CompetenceNeedStatus {
    Open = "OPEN",
    InTrack = "IN_TRACK",
    Filled = "FILLED",
    Withdrawn = "WITHDRAWN",
});

string_enum!(
    /// Ordered from no Swedish to fluent, so `>=` compares levels.
    SwedishLevel {
        None = "NONE",
        SfiA = "SFI_A",
        SfiB = "SFI_B",
        SfiC = "SFI_C",
        SfiD = "SFI_D",
        Basic = "BASIC",
        UpperSecondary = "UPPER_SECONDARY",
        Fluent = "FLUENT",
    }
);

string_enum!(
    /// Ordered from least to most; `Unknown` is lowest so it never satisfies a minimum.
    EducationLevel {
        Unknown = "UNKNOWN",
        CompulsoryOrLess = "COMPULSORY_OR_LESS",
        UpperSecondary = "UPPER_SECONDARY",
        PostSecondary = "POST_SECONDARY",
    }
);

string_enum!(JobTrackStatus {
    Draft = "DRAFT",
    Recruiting = "RECRUITING",
    Selection = "SELECTION",
    Running = "RUNNING",
    Completed = "COMPLETED",
    Cancelled = "CANCELLED",
});

string_enum!(ComponentKind {
    VocationalSwedish = "VOCATIONAL_SWEDISH",
    AdultEducation = "ADULT_EDUCATION",
    LabourMarketTraining = "LABOUR_MARKET_TRAINING",
    WorkplaceLearning = "WORKPLACE_LEARNING",
    TrialPlacement = "TRIAL_PLACEMENT",
    EmploymentWithSubsidy = "EMPLOYMENT_WITH_SUBSIDY",
    StudyVisit = "STUDY_VISIT",
    Other = "OTHER",
});

string_enum!(Programme {
    Job = "JOB",
    Uga = "UGA",
    Establishment = "ESTABLISHMENT",
    Other = "OTHER",
    None = "NONE",
});

string_enum!(TargetGroup {
    SocialAssistance = "SOCIAL_ASSISTANCE",
    CompulsorySchoolingOnly = "COMPULSORY_SCHOOLING_ONLY",
    YoungAdult = "YOUNG_ADULT",
    NewArrival = "NEW_ARRIVAL",
    LongTermUnemployed = "LONG_TERM_UNEMPLOYED",
    Disability = "DISABILITY",
    EducationObligation = "EDUCATION_OBLIGATION",
    WeakLanguageProgression = "WEAK_LANGUAGE_PROGRESSION",
    SickLeave = "SICK_LEAVE",
});

string_enum!(Gender {
    Woman = "WOMAN",
    Man = "MAN",
    Other = "OTHER",
});

string_enum!(ConsentScope {
    /// Sharing between the parties of the agreement (samverkan).
    Collaboration = "COLLABORATION",
    /// Sharing name, motivation and admission steps with the employers of tracks the candidate applies to.
    EmployerSharing = "EMPLOYER_SHARING",
});

string_enum!(ConsentMethod {
    Written = "WRITTEN",
    Digital = "DIGITAL",
    Verbal = "VERBAL",
});

string_enum!(ApplicationStatus {
    Nominated = "NOMINATED",
    Invited = "INVITED",
    Applied = "APPLIED",
    InTrial = "IN_TRIAL",
    Admitted = "ADMITTED",
    Started = "STARTED",
    Completed = "COMPLETED",
    Rejected = "REJECTED",
    Withdrawn = "WITHDRAWN",
    DroppedOut = "DROPPED_OUT",
});

string_enum!(AdmissionStepKind {
    InfoMeeting = "INFO_MEETING",
    Application = "APPLICATION",
    TrialPlacement = "TRIAL_PLACEMENT",
    Decision = "DECISION",
});

string_enum!(StepResult {
    Pending = "PENDING",
    Attended = "ATTENDED",
    NoShow = "NO_SHOW",
    Passed = "PASSED",
    NotPassed = "NOT_PASSED",
});

string_enum!(OutcomeKind {
    Employed = "EMPLOYED",
    EmployedWithSubsidy = "EMPLOYED_WITH_SUBSIDY",
    Studies = "STUDIES",
    Other = "OTHER",
    None = "NONE",
});

string_enum!(ContactChannel {
    Visit = "VISIT",
    Phone = "PHONE",
    Email = "EMAIL",
    DigitalMeeting = "DIGITAL_MEETING",
    Event = "EVENT",
});

string_enum!(ContactPurpose {
    NeedsSurvey = "NEEDS_SURVEY",
    PrognosisInterview = "PROGNOSIS_INTERVIEW",
    PlacementRequest = "PLACEMENT_REQUEST",
    TrackDesign = "TRACK_DESIGN",
    FollowUp = "FOLLOW_UP",
    WageSubsidy = "WAGE_SUBSIDY",
    Recruitment = "RECRUITMENT",
    Other = "OTHER",
});

/// Reads a comma-separated list of stored enum values (empty: none).
pub fn parse_list<T>(text: &str, parse: impl Fn(&str) -> Result<T>) -> Result<Vec<T>> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(parse)
        .collect()
}

/// Writes a list of enum values as stored: comma-separated, sorted, without duplicates.
pub fn join_list<T: Copy + Ord>(values: &[T], as_str: impl Fn(T) -> &'static str) -> String {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.into_iter().map(as_str).collect::<Vec<_>>().join(",")
}
