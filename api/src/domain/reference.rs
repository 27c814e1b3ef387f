//! Reference data: municipalities, occupations (SSYK 2012) and industries (SNI 2007).
//! Searches run over the in-memory copy (`reference_cache`); codes an input names are
//! checked against the database in the writing transaction.

use jobtrack_entity::{industry, municipality, occupation};
use jobtrack_migration::reference::canonical_sni;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};
use unicode_normalization::UnicodeNormalization;

use super::identifiers::four_digit_code;
use crate::error::{Error, Result};
use crate::reference_cache::Reference;

/// SSYK's unit groups, the level tracks and needs name.
pub const SSYK_UNIT_GROUP: i32 = 4;

/// The longest search text taken; longer ones are refused before any matching.
pub const MAX_SEARCH_CHARS: usize = 200;

pub async fn municipalities(db: &impl ConnectionTrait) -> Result<Vec<municipality::Model>> {
    Ok(municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(db)
        .await?)
}

/// Lower case without diacritics, so that `underskot` finds "Undersköterskor" and
/// `cafe` finds "Café".
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search text, folded; `None` when empty.
fn needle(search: Option<&str>) -> Result<Option<String>> {
    let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if search.chars().count() > MAX_SEARCH_CHARS {
        return Err(Error::bad_input(
            "search",
            format!("must be at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    Ok(Some(fold(search)))
}

/// SSYK 2012 unit groups (all 429) whose name contains `search` or whose code starts
/// with it, ignoring case and diacritics; by code.
pub fn occupations(reference: &Reference, search: Option<&str>) -> Result<Vec<occupation::Model>> {
    let needle = needle(search)?;
    let mut found: Vec<_> = reference
        .occupations
        .values()
        .filter(|o| o.level == SSYK_UNIT_GROUP)
        .filter(|o| {
            needle
                .as_deref()
                .is_none_or(|n| o.ssyk_code.starts_with(n) || fold(&o.name).contains(n))
        })
        .cloned()
        .collect();
    found.sort_by(|a, b| a.ssyk_code.cmp(&b.ssyk_code));
    Ok(found)
}

/// SNI 2007 industries at every level whose name contains `search` or whose code
/// (with or without dots) starts with it; by code.
pub fn industries(reference: &Reference, search: Option<&str>) -> Result<Vec<industry::Model>> {
    let needle = needle(search)?;
    let undotted = needle.as_deref().map(|n| n.replace('.', ""));
    let mut found: Vec<_> = reference
        .industries
        .values()
        .filter(|i| match (&needle, &undotted) {
            (Some(n), Some(u)) => {
                fold(&i.sni_code).starts_with(n)
                    || i.sni_code.replace('.', "").starts_with(u.as_str())
                    || fold(&i.name).contains(n.as_str())
            }
            _ => true,
        })
        .cloned()
        .collect();
    found.sort_by_key(|i| sni_order(&i.sni_code));
    Ok(found)
}

/// Sections first (A–U), then the numeric codes in order.
fn sni_order(code: &str) -> (bool, String) {
    (
        code.chars().all(|c| c.is_ascii_digit() || c == '.'),
        code.to_owned(),
    )
}

/// A municipality code that exists, or BAD_USER_INPUT on `field`.
pub async fn municipality_code(
    db: &impl ConnectionTrait,
    field: &str,
    input: &str,
) -> Result<String> {
    let code = four_digit_code(input).map_err(|m| Error::bad_input(field, m))?;
    match municipality::Entity::find_by_id(code.clone())
        .one(db)
        .await?
    {
        Some(_) => Ok(code),
        None => Err(Error::bad_input(
            field,
            "is not a Swedish municipality code",
        )),
    }
}

/// An SSYK 2012 unit group (four digits) that exists, or BAD_USER_INPUT on `field`.
pub async fn ssyk_code(db: &impl ConnectionTrait, field: &str, input: &str) -> Result<String> {
    let code = four_digit_code(input).map_err(|_unparsable| {
        Error::bad_input(
            field,
            "must be a four-digit SSYK 2012 unit group, e.g. 5321",
        )
    })?;
    match occupation::Entity::find_by_id(code.clone()).one(db).await? {
        Some(o) if o.level == SSYK_UNIT_GROUP => Ok(code),
        _ => Err(Error::bad_input(
            field,
            "is not a known SSYK 2012 occupation code",
        )),
    }
}

/// An SNI 2007 code that exists, in its stored form: `25.620`, `25620`, `25.62`,
/// `25.6`, `25` and `C` are all taken. Otherwise BAD_USER_INPUT on `field`.
pub async fn sni_code(db: &impl ConnectionTrait, field: &str, input: &str) -> Result<String> {
    let unknown = || {
        Error::bad_input(
            field,
            "is not a known SNI 2007 code (e.g. 25.620, 25.62, 25 or C)",
        )
    };
    let code = canonical_sni(input).ok_or_else(unknown)?;
    match industry::Entity::find_by_id(code.clone()).one(db).await? {
        Some(_) => Ok(code),
        None => Err(unknown()),
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::fold;

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("Undersköterskor"), "underskoterskor");
        assert_eq!(fold("ÅÄÖ Café"), "aao cafe");
    }
}
#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod shipped_lists {
    use jobtrack_migration::reference::{
        INDUSTRIES, OCCUPATIONS, SNI_2007_CSV, SSYK_2012_CSV, canonical_sni, csv_records,
    };

    #[test]
    fn sni_codes_take_every_written_form() {
        for (input, expected) in [
            ("25.620", "25.620"),
            ("25620", "25.620"),
            (" 25.62 ", "25.62"),
            ("2562", "25.62"),
            ("25.6", "25.6"),
            ("25", "25"),
            ("C", "C"),
            ("c", "C"),
        ] {
            assert_eq!(canonical_sni(input).as_deref(), Some(expected), "{input}");
        }
        for bad in ["", "2", "256201", "25-620", "CC", "2a.62"] {
            assert_eq!(canonical_sni(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_shipped_lists_are_complete() {
        let ssyk = csv_records(SSYK_2012_CSV);
        let count = |level: &str| ssyk.iter().filter(|r| r[0] == level).count();
        assert_eq!(
            [count("1"), count("2"), count("3"), count("4")],
            [10, 46, 148, 429]
        );
        let sni = csv_records(SNI_2007_CSV);
        let count = |level: &str| sni.iter().filter(|r| r[0] == level).count();
        assert_eq!(
            [count("1"), count("2"), count("3"), count("4"), count("5")],
            [21, 88, 272, 615, 821]
        );
        assert!(
            sni.iter().all(|r| r.len() == 4),
            "every SNI row has 4 fields"
        );
        assert!(
            ssyk.iter().all(|r| r.len() == 5),
            "every SSYK row has 5 fields"
        );
        // Every code the first migration shipped is in SCB's lists.
        for (code, _) in OCCUPATIONS {
            assert!(ssyk.iter().any(|r| r[1] == *code), "SSYK {code}");
        }
        for (code, _) in INDUSTRIES {
            assert!(sni.iter().any(|r| r[1] == *code), "SNI {code}");
        }
    }
}
