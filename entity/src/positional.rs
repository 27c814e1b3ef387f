//! Reading the most-read models by column position instead of by name. A derived
//! model looks up each column of each row by name: it formats the name, hashes it and
//! compares it, and formats it once more for every NULL. A shortlist page decodes 300
//! rows of up to 18 columns; read by name, that was a seventh of the server's CPU per
//! request. `Entity::find()` selects the columns in the order of the model's fields,
//! which [`Positional::COLUMNS`] lists (the API's tests hold each list to its entity and
//! compare what both reads return), so the
//! n-th field is the n-th column.

use sea_orm::{DbErr, FromQueryResult, QueryResult};

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
                    $($field: row.try_get_by_index(column())?),+
                })
            }
        }
    };
}
