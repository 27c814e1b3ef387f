//! Text inputs: no control characters but line breaks and tabs, and no text over its
//! maximum, in variables and in the document itself.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

use crate::error::Error;

/// The longest text any input may hold; each field has its own, shorter maximum in the
/// domain (names 200, notes and motivations 4,000, …). Checked here first so that no
/// megabyte string reaches a parser or the database.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The longest search text (`search:` arguments and filter fields).
pub const MAX_SEARCH_CHARS: usize = crate::domain::reference::MAX_SEARCH_CHARS;

/// Text inputs hold no control characters but line breaks and tabs (a NUL is refused
/// by PostgreSQL and invisible everywhere), and are not longer than their maximum.
/// `path` names the input for `extensions.field`.
fn check_text(text: &str, path: &[&str]) -> Result<(), Error> {
    let field = || {
        let named: Vec<&str> = path.iter().copied().skip_while(|p| *p == "input").collect();
        if named.is_empty() {
            "input".to_owned()
        } else {
            named.join(".")
        }
    };
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::bad_input(
            field(),
            format!(
                "must not contain control characters (found U+{:04X})",
                u32::from(c)
            ),
        ));
    }
    let max = if path.last() == Some(&"search") {
        MAX_SEARCH_CHARS
    } else {
        MAX_TEXT_CHARS
    };
    if text.chars().nth(max).is_some() {
        return Err(Error::bad_input(
            field(),
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

pub(super) fn check_text_value<'a>(
    value: &'a async_graphql::Value,
    path: &mut Vec<&'a str>,
) -> Result<(), Error> {
    use async_graphql::Value;
    match value {
        Value::String(text) => check_text(text, path),
        Value::List(items) => items
            .iter()
            .try_for_each(|item| check_text_value(item, path)),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            path.push(key.as_str());
            let checked = check_text_value(item, path);
            path.pop();
            checked
        }),
        _ => Ok(()),
    }
}

/// The same for strings written into the document itself (arguments, defaults).
pub(super) fn check_document_text(document: &ExecutableDocument) -> Result<(), Error> {
    fn selections(set: &SelectionSet) -> Result<(), Error> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        // Variables inside a literal are checked with the variables.
                        let constant = value
                            .node
                            .clone()
                            .into_const_with(|_| {
                                Ok::<_, std::convert::Infallible>(async_graphql::Value::Null)
                            })
                            .unwrap_or_default();
                        check_text_value(&constant, &mut vec![name.node.as_str()])?;
                    }
                    selections(&field.node.selection_set.node)?;
                }
                Selection::InlineFragment(inline) => selections(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }
    for fragment in document.fragments.values() {
        selections(&fragment.node.selection_set.node)?;
    }
    for (_, operation) in document.operations.iter() {
        for variable in &operation.node.variable_definitions {
            if let Some(default) = &variable.node.default_value {
                check_text_value(&default.node, &mut vec![variable.node.name.node.as_str()])?;
            }
        }
        selections(&operation.node.selection_set.node)?;
    }
    Ok(())
}
