//! Helpers that keep the migrations short: foreign keys, check constraints and indexes
//! written the same way on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

pub use sea_orm_migration::schema::*;

/// The enumerations as they are stored (the GraphQL enum value names). Frozen with the
/// migration that introduced them; a later migration that adds a value writes its own list.
pub mod values {
    pub const ORGANIZATION_KIND: &[&str] = &[
        "MUNICIPALITY",
        "EMPLOYMENT_SERVICE",
        "ADULT_EDUCATION",
        "OTHER",
    ];
    pub const ROLE: &[&str] = &[
        "ADMIN",
        "COORDINATOR",
        "WORKING_GROUP",
        "CASEWORKER",
        "BUSINESS_ADVISER",
        "SECTION_MANAGER",
        "EMPLOYER",
    ];
    pub const EMPLOYER_SIZE: &[&str] = &[
        "SOLE_TRADER",
        "MICRO",
        "SMALL",
        "MEDIUM_SMALL",
        "MEDIUM",
        "LARGE",
    ];
    pub const NEED_STATUS: &[&str] = &["OPEN", "IN_TRACK", "FILLED", "WITHDRAWN"];
    pub const SWEDISH_LEVEL: &[&str] = &[
        "NONE",
        "SFI_A",
        "SFI_B",
        "SFI_C",
        "SFI_D",
        "BASIC",
        "UPPER_SECONDARY",
        "FLUENT",
    ];
    pub const EDUCATION_LEVEL: &[&str] = &[
        "COMPULSORY_OR_LESS",
        "UPPER_SECONDARY",
        "POST_SECONDARY",
        "UNKNOWN",
    ];
    pub const TRACK_STATUS: &[&str] = &[
        "DRAFT",
        "RECRUITING",
        "SELECTION",
        "RUNNING",
        "COMPLETED",
        "CANCELLED",
    ];
    pub const COMPONENT_KIND: &[&str] = &[
        "VOCATIONAL_SWEDISH",
        "ADULT_EDUCATION",
        "LABOUR_MARKET_TRAINING",
        "WORKPLACE_LEARNING",
        "TRIAL_PLACEMENT",
        "EMPLOYMENT_WITH_SUBSIDY",
        "STUDY_VISIT",
        "OTHER",
    ];
    pub const PROGRAMME: &[&str] = &["JOB", "UGA", "ESTABLISHMENT", "OTHER", "NONE"];
    pub const TARGET_GROUP: &[&str] = &[
        "SOCIAL_ASSISTANCE",
        "COMPULSORY_SCHOOLING_ONLY",
        "YOUNG_ADULT",
        "NEW_ARRIVAL",
        "LONG_TERM_UNEMPLOYED",
        "DISABILITY",
        "EDUCATION_OBLIGATION",
        "WEAK_LANGUAGE_PROGRESSION",
        "SICK_LEAVE",
    ];
    pub const GENDER: &[&str] = &["WOMAN", "MAN", "OTHER"];
    pub const CONSENT_SCOPE: &[&str] = &["COLLABORATION", "EMPLOYER_SHARING"];
    pub const CONSENT_METHOD: &[&str] = &["WRITTEN", "DIGITAL", "VERBAL"];
    pub const APPLICATION_STATUS: &[&str] = &[
        "NOMINATED",
        "INVITED",
        "APPLIED",
        "IN_TRIAL",
        "ADMITTED",
        "STARTED",
        "COMPLETED",
        "REJECTED",
        "WITHDRAWN",
        "DROPPED_OUT",
    ];
    pub const STEP_KIND: &[&str] = &["INFO_MEETING", "APPLICATION", "TRIAL_PLACEMENT", "DECISION"];
    pub const STEP_RESULT: &[&str] = &["PENDING", "ATTENDED", "NO_SHOW", "PASSED", "NOT_PASSED"];
    pub const OUTCOME_KIND: &[&str] = &[
        "EMPLOYED",
        "EMPLOYED_WITH_SUBSIDY",
        "STUDIES",
        "OTHER",
        "NONE",
    ];
    /// Migration 11: subsidised employment told apart (introduktionsjobb, lönebidrag,
    /// another subsidy); EMPLOYED_WITH_SUBSIDY is no longer stored.
    pub const OUTCOME_KIND_11: &[&str] = &[
        "EMPLOYED",
        "EMPLOYED_INTRODUKTIONSJOBB",
        "EMPLOYED_LONEBIDRAG",
        "EMPLOYED_OTHER_SUBSIDY",
        "STUDIES",
        "OTHER",
        "NONE",
    ];
    /// Migration 12: the stages an application reaches, in order, and its exits.
    pub const STAGE: &[&str] = &[
        "NOMINATED",
        "INVITED",
        "ATTENDED",
        "APPLIED",
        "IN_TRIAL",
        "ADMITTED",
        "STARTED",
        "COMPLETED",
        "EMPLOYED",
        "REJECTED",
        "WITHDRAWN",
        "DROPPED_OUT",
    ];
    pub const CONTACT_CHANNEL: &[&str] = &["VISIT", "PHONE", "EMAIL", "DIGITAL_MEETING", "EVENT"];
    pub const CONTACT_PURPOSE: &[&str] = &[
        "NEEDS_SURVEY",
        "PROGNOSIS_INTERVIEW",
        "PLACEMENT_REQUEST",
        "TRACK_DESIGN",
        "FOLLOW_UP",
        "WAGE_SUBSIDY",
        "RECRUITMENT",
        "OTHER",
    ];
    pub const OUTBOX_STATUS: &[&str] = &["PENDING", "SENDING", "SENT", "FAILED"];
    pub const WITHDRAWAL_REASON: &[&str] = &["REQUESTED", "CONSENT_WITHDRAWN"];
    pub const FOLLOW_UP_SITUATION: &[&str] = &[
        "EMPLOYED",
        "EMPLOYED_WITH_SUBSIDY",
        "STUDIES",
        "UNEMPLOYED",
        "OTHER",
        "UNKNOWN",
    ];
}

/// A text column that may only hold one of `allowed` (a CHECK constraint).
pub fn one_of(name: &'static str, allowed: &[&'static str]) -> ColumnDef {
    string(name)
        .check(Expr::col(name).is_in(allowed.iter().copied()))
        .take()
}

/// As [`one_of`], but nullable.
pub fn one_of_null(name: &'static str, allowed: &[&'static str]) -> ColumnDef {
    string_null(name)
        .check(Expr::col(name).is_in(allowed.iter().copied()))
        .take()
}

/// The usual id column: a 64-bit integer assigned by the database.
pub fn id() -> ColumnDef {
    big_pk_auto("id")
}

/// A reference to `table.id` (or `table.key` for the reference tables).
pub fn fk(
    table: &'static str,
    column: &'static str,
    target: &'static str,
    target_column: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, target_column)
        .on_delete(on_delete)
        .take()
}

/// A plain index named `ix_<table>_<columns>`.
pub fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.take()
}

/// A unique index named `uq_<table>_<columns>`; domain errors are mapped from this name.
pub fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut stmt = index(table, columns);
    stmt.name(format!("uq_{table}_{}", columns.join("_")))
        .unique();
    stmt
}

/// A link table whose primary key is the pair, with an index on the second column
/// so that lookups from either side use an index.
pub async fn create_link(
    manager: &SchemaManager<'_>,
    table: &'static str,
    left: (&'static str, &'static str, &'static str),
    right: (&'static str, &'static str, &'static str),
) -> Result<(), DbErr> {
    let (left_col, left_table, left_key) = left;
    let (right_col, right_table, right_key) = right;
    let left_def = if left_key == "id" {
        big_integer(left_col)
    } else {
        string(left_col)
    };
    let right_def = if right_key == "id" {
        big_integer(right_col)
    } else {
        string(right_col)
    };
    manager
        .create_table(
            Table::create()
                .table(table)
                .col(left_def)
                .col(right_def)
                .primary_key(Index::create().col(left_col).col(right_col))
                .foreign_key(&mut fk(
                    table,
                    left_col,
                    left_table,
                    left_key,
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    table,
                    right_col,
                    right_table,
                    right_key,
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
    manager.create_index(index(table, &[right_col])).await
}

/// Drops tables in the order given (dependants first).
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).take())
            .await?;
    }
    Ok(())
}
