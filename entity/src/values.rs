//! The stored enumerations. Each is defined once: a sea-orm `ActiveEnum` stored as text
//! by its GraphQL name (the migrations' CHECK constraints list the same values, and a
//! test compares them), and — with the `graphql` feature — the contract's enum.

use sea_orm::entity::prelude::*;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $text)]
                #[cfg_attr(feature = "graphql", graphql(name = $text))]
                $variant
            ),+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored (and GraphQL) name.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        $crate::positional_enum!($name);
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
    /// Introduktionsjobb: employment with the Public Employment Service's subsidy for
    /// new arrivals and the long-term unemployed.
    EmployedIntroduktionsjobb = "EMPLOYED_INTRODUKTIONSJOBB",
    /// Lönebidrag: employment with a wage subsidy for reduced working capacity.
    EmployedLonebidrag = "EMPLOYED_LONEBIDRAG",
    /// Employment with another subsidy (e.g. nystartsjobb), or one not recorded.
    EmployedOtherSubsidy = "EMPLOYED_OTHER_SUBSIDY",
    #[cfg_attr(
        feature = "graphql",
        graphql(deprecation = "Name the subsidy: EMPLOYED_INTRODUKTIONSJOBB, EMPLOYED_LONEBIDRAG or EMPLOYED_OTHER_SUBSIDY. Never returned; refused by recordOutcome; stored outcomes became EMPLOYED_OTHER_SUBSIDY.")
    )]
    EmployedWithSubsidy = "EMPLOYED_WITH_SUBSIDY",
    Studies = "STUDIES",
    Other = "OTHER",
    None = "NONE",
});

string_enum!(
    /// A stage an application reached in the process, or the exit it took.
    Stage {
    Nominated = "NOMINATED",
    Invited = "INVITED",
    Attended = "ATTENDED",
    Applied = "APPLIED",
    InTrial = "IN_TRIAL",
    Admitted = "ADMITTED",
    Started = "STARTED",
    Completed = "COMPLETED",
    Employed = "EMPLOYED",
    Rejected = "REJECTED",
    Withdrawn = "WITHDRAWN",
    DroppedOut = "DROPPED_OUT",
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

string_enum!(
    /// Where a participant is 90 or 180 days after the application ended.
    FollowUpSituation {
    Employed = "EMPLOYED",
    /// Introduktionsjobb, lönebidrag or another subsidised employment.
    EmployedWithSubsidy = "EMPLOYED_WITH_SUBSIDY",
    Studies = "STUDIES",
    Unemployed = "UNEMPLOYED",
    Other = "OTHER",
    Unknown = "UNKNOWN",
});

string_enum!(
    /// Why an application was withdrawn.
    WithdrawalReason {
    /// Withdrawn on request (the candidate's, through staff).
    Requested = "REQUESTED",
    /// The candidate's COLLABORATION consent was withdrawn or ran out.
    ConsentWithdrawn = "CONSENT_WITHDRAWN",
});

string_enum!(
    /// Where an email is in the outbox.
    OutboxStatus {
        Pending = "PENDING",
        Sending = "SENDING",
        Sent = "SENT",
        Failed = "FAILED",
    }
);
