//! Reading the most-read models by column position instead of by name. A derived
//! model looks up each column of each row by name: it formats the name, hashes it and
//! compares it, and formats it once more for every NULL. A shortlist page decodes 300
//! rows of up to 18 columns; read by name, that was a seventh of the server's CPU per
//! request. `Entity::find()` selects the columns in the order of the model's fields,
//! which [`Positional::COLUMNS`] lists (the API's tests hold each list to its entity and
//! compare what both reads return), so the n-th field is the n-th column, and each
//! field is read by its type's [`Field`] straight from sqlx's row.

use std::borrow::Cow;
use std::sync::Arc;

use sea_orm::sqlx::postgres::Postgres;
use sea_orm::sqlx::sqlite::Sqlite;
use sea_orm::sqlx::{self, Decode, Row};
use sea_orm::{DbErr, FromQueryResult, QueryResult, RuntimeErr};

/// A model that can be read from a row whose first columns are its own, in field order.
pub trait Positional: Sized {
    /// The model's columns in field order: the order `Entity::find()` selects them.
    const COLUMNS: &'static [&'static str];

    /// Reads the model from the first `COLUMNS.len()` columns of `row`.
    ///
    /// # Errors
    /// A column is missing or of another type.
    fn from_row(row: &QueryResult) -> Result<Self, DbErr>;
}

/// A model read by position, for `Select::into_model` and `find_by_statement`. Only for
/// selects of the entity's own columns first; a prefixed read (a joined model) is refused.
pub struct ByPosition<M>(pub M);

impl<M: Positional> FromQueryResult for ByPosition<M> {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        if !prefix.is_empty() {
            return Err(DbErr::Type(format!(
                "a model read by position has no prefixed columns ({prefix})"
            )));
        }
        M::from_row(row).map(ByPosition)
    }
}

/// A model read by position, then the one column after its own: the id of the parent
/// it was reached from (a link table's key, for a loader that groups by it).
pub struct WithParent<M>(pub i64, pub M);

impl<M: Positional> FromQueryResult for WithParent<M> {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        let ByPosition(model) = ByPosition::<M>::from_query_result(row, prefix)?;
        Ok(WithParent(i64::read(row, M::COLUMNS.len())?, model))
    }
}

/// Declares the model of the module it is called in [`Positional`], with its fields in
/// the order they are declared.
#[macro_export]
macro_rules! positional {
    ($($field:ident),+ $(,)?) => {
        impl $crate::positional::Positional for Model {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn from_row(row: &sea_orm::QueryResult) -> Result<Self, sea_orm::DbErr> {
                let mut next = 0_usize;
                let mut column = || {
                    let at = next;
                    next += 1;
                    at
                };
                Ok(Self {
                    $($field: $crate::positional::Field::read(row, column())?),+
                })
            }
        }
    };
}

/// A field's type, read from the driver's row at a position. sea-orm's own reads
/// (`TryGetable`) ask sqlx for an `Option` and, for every NULL, format an error that
/// the `Option` read then drops; an enum is read as a new `String` first. These ask sqlx
/// the same question and map its answer directly; enums are parsed from the row's
/// borrowed text.
pub trait Field: Sized {
    /// # Errors
    /// The column is missing, of another type, NULL where a value is required, or
    /// text that is none of an enum's values.
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr>;
}

fn driver_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

/// A field the model has no `Option` for: read as one, a NULL is an error.
///
/// # Errors
/// As [`Field::read`].
pub fn required<T>(row: &QueryResult, at: usize) -> Result<T, DbErr>
where
    Option<T>: Field,
{
    Option::<T>::read(row, at)?
        .ok_or_else(|| DbErr::Type(format!("column {at} is NULL where a value is required")))
}

/// A column's value as sqlx decodes it on either database; other connections (none
/// in use) through sea-orm.
///
/// Without sqlx's check that the column's SQL type is one `T` decodes (about a third
/// of what sqlx did per value, counted with callgrind): the models' types are the
/// migrations' types, and the API's tests read every positional model both ways on
/// both databases — by name through the checked read — and compare. The decoding itself still refuses bytes
/// that are not a `T` (a wrong length, invalid UTF-8).
fn decode<T>(row: &QueryResult, at: usize) -> Result<Option<T>, DbErr>
where
    T: for<'r> Decode<'r, Postgres> + for<'r> Decode<'r, Sqlite>,
    Option<T>: sea_orm::TryGetable,
{
    if let Some(row) = row.try_as_pg_row() {
        return row
            .try_get_unchecked::<Option<T>, usize>(at)
            .map_err(driver_error);
    }
    if let Some(row) = row.try_as_sqlite_row() {
        return row
            .try_get_unchecked::<Option<T>, usize>(at)
            .map_err(driver_error);
    }
    row.try_get_by_index::<Option<T>>(at)
}

macro_rules! fields_by_sqlx {
    ($($ty:ty),+ $(,)?) => {$(
        impl Field for Option<$ty> {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                decode(row, at)
            }
        }

        impl Field for $ty {
            fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
                required(row, at)
            }
        }
    )+};
}

fields_by_sqlx!(bool, i32, i64, String, sea_orm::prelude::Date,);

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01).
const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// A timestamp. PostgreSQL's binary `timestamptz` is microseconds since 2000-01-01 UTC,
/// read here in one step: sqlx goes through a `NaiveDateTime`, a `FixedOffset` and a
/// `Duration` (a tenth of the shortlist's decoding). Text (no prepared statement) and
/// SQLite take sqlx's way; the positional tests compare both reads.
impl Field for Option<sea_orm::prelude::DateTimeUtc> {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
        use sea_orm::sqlx::ValueRef as _;
        use sea_orm::sqlx::postgres::PgValueFormat;
        if let Some(pg) = row.try_as_pg_row() {
            let value = pg.try_get_raw(at).map_err(driver_error)?;
            if value.is_null() {
                return Ok(None);
            }
            if value.format() == PgValueFormat::Binary {
                let out_of_range =
                    || DbErr::Type(format!("column {at} is not a timestamp in range"));
                let bytes: [u8; 8] = value
                    .as_bytes()
                    .ok()
                    .and_then(|bytes| bytes.try_into().ok())
                    .ok_or_else(out_of_range)?;
                return i64::from_be_bytes(bytes)
                    .checked_add(POSTGRES_EPOCH_MICROS)
                    .and_then(sea_orm::prelude::DateTimeUtc::from_timestamp_micros)
                    .map(Some)
                    .ok_or_else(out_of_range);
            }
        }
        decode(row, at)
    }
}

impl Field for sea_orm::prelude::DateTimeUtc {
    fn read(row: &QueryResult, at: usize) -> Result<Self, DbErr> {
        required(row, at)
    }
}

/// A text column parsed by `parse` without copying it out of the row; `what` names the
/// type for the error when `parse` knows no such value.
///
/// # Errors
/// As [`Field::read`].
pub fn parse_text<T>(
    row: &QueryResult,
    at: usize,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, DbErr> {
    let unknown = |text: &str| DbErr::Type(format!("{text:?} is not a {what} (column {at})"));
    let text: Option<Cow<'_, str>> = if let Some(row) = row.try_as_pg_row() {
        row.try_get_unchecked::<Option<&str>, usize>(at)
            .map_err(driver_error)?
            .map(Cow::Borrowed)
    } else if let Some(row) = row.try_as_sqlite_row() {
        row.try_get_unchecked::<Option<&str>, usize>(at)
            .map_err(driver_error)?
            .map(Cow::Borrowed)
    } else {
        row.try_get_by_index::<Option<String>>(at)?.map(Cow::Owned)
    };
    text.map(|text| parse(&text).ok_or_else(|| unknown(&text)))
        .transpose()
}

/// Reads a stored enumeration by position (called by `values::string_enum!`).
#[macro_export]
#[doc(hidden)]
macro_rules! positional_enum {
    ($name:ident) => {
        impl $crate::positional::Field for Option<$name> {
            fn read(row: &sea_orm::QueryResult, at: usize) -> Result<Self, sea_orm::DbErr> {
                $crate::positional::parse_text(row, at, stringify!($name), $name::parse)
            }
        }

        impl $crate::positional::Field for $name {
            fn read(row: &sea_orm::QueryResult, at: usize) -> Result<Self, sea_orm::DbErr> {
                $crate::positional::required(row, at)
            }
        }
    };
}
