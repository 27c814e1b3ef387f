//! The shape of a document: operations, fragments, aliases, root fields, data depth and
//! the number of fields once fragments are expanded, measured without expanding them.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ServerError, ServerResult};

use super::{
    MAX_ALIASES, MAX_DEPTH, MAX_EXPANDED_FIELDS, MAX_FRAGMENTS, MAX_OPERATIONS, MAX_ROOT_FIELDS,
    refusal,
};
use crate::error::Error;

fn too_big(limit: &str, max: usize) -> ServerError {
    refusal(Error::bad_input(
        "query",
        format!("the query has too many {limit} (at most {max})"),
    ))
}

/// Refuses a document over any of the limits above.
pub fn check_shape(document: &ExecutableDocument) -> ServerResult<()> {
    let operations: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(op) => vec![&op.node.selection_set.node],
        DocumentOperations::Multiple(ops) => {
            ops.values().map(|op| &op.node.selection_set.node).collect()
        }
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(too_big("operations", MAX_OPERATIONS));
    }
    if document.fragments.len() > MAX_FRAGMENTS {
        return Err(too_big("fragments", MAX_FRAGMENTS));
    }
    let mut walker = Walker {
        document,
        fragments: HashMap::new(),
        in_progress: HashSet::new(),
        cycle: false,
        aliases: 0,
    };
    for fragment in document.fragments.values() {
        walker.count_aliases(&fragment.node.selection_set.node);
    }
    for selection_set in &operations {
        walker.count_aliases(selection_set);
    }
    if walker.aliases > MAX_ALIASES {
        return Err(too_big("aliases", MAX_ALIASES));
    }
    for selection_set in operations {
        let size = walker.measure(selection_set, 0);
        if walker.cycle {
            return Err(refusal(Error::bad_input(
                "query",
                "fragments must not spread each other in a cycle",
            )));
        }
        if size.top > MAX_ROOT_FIELDS {
            return Err(too_big("fields at the root", MAX_ROOT_FIELDS));
        }
        if size.fields > MAX_EXPANDED_FIELDS {
            return Err(too_big(
                "fields once fragments are expanded",
                MAX_EXPANDED_FIELDS,
            ));
        }
        if size.depth > MAX_DEPTH {
            return Err(refusal(Error::bad_input(
                "query",
                format!("the query is nested too deep (at most {MAX_DEPTH} levels of data fields)"),
            )));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Size {
    /// Data fields on the deepest path.
    depth: usize,
    /// Fields in all, fragments expanded.
    fields: usize,
    /// Fields at the top level of the selection, through fragments.
    top: usize,
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment's size, measured once (so repeated spreads cost nothing).
    fragments: HashMap<&'a str, Size>,
    /// Fragments being measured: meeting one again is a cycle.
    in_progress: HashSet<&'a str>,
    cycle: bool,
    aliases: usize,
}

/// Fragment spreads nested deeper than this are not followed (only a cycle, which
/// validation refuses afterwards, or a hostile document goes so deep).
const MAX_SPREAD_NESTING: usize = 64;

impl<'a> Walker<'a> {
    fn count_aliases(&mut self, set: &'a SelectionSet) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    self.count_aliases(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => {
                    self.count_aliases(&inline.node.selection_set.node);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }

    fn measure(&mut self, set: &'a SelectionSet, nesting: usize) -> Size {
        let mut size = Size::default();
        if nesting > MAX_SPREAD_NESTING {
            return size;
        }
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if name.starts_with("__") {
                        // Introspection: its own, bounded shape; counted as one field.
                        Size {
                            depth: 0,
                            fields: 1,
                            top: 1,
                        }
                    } else {
                        let children = self.measure(&field.node.selection_set.node, nesting + 1);
                        Size {
                            depth: children.depth + 1,
                            fields: children.fields.saturating_add(1),
                            top: 1,
                        }
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.measure(&inline.node.selection_set.node, nesting + 1)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if self.in_progress.contains(name) {
                        self.cycle = true;
                        Size::default()
                    } else if let Some(known) = self.fragments.get(name) {
                        *known
                    } else if let Some(fragment) = self.document.fragments.get(name) {
                        self.in_progress.insert(name);
                        let measured = self.measure(&fragment.node.selection_set.node, nesting + 1);
                        self.in_progress.remove(name);
                        self.fragments.insert(name, measured);
                        measured
                    } else {
                        Size::default()
                    }
                }
            };
            size.depth = size.depth.max(inner.depth);
            size.fields = size.fields.saturating_add(inner.fields);
            size.top = size.top.saturating_add(inner.top);
        }
        size
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    clippy::format_collect,
    clippy::format_push_string,
    reason = "test code: builds hostile documents with format!; an index out of bounds is a failed test"
)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn shape(query: &str) -> Result<(), String> {
        let document = parse_query(query).map_err(|e| e.to_string())?;
        check_shape(&document).map_err(|e| e.message)
    }

    #[test]
    fn ordinary_queries_pass() {
        assert_eq!(
            shape("{ viewer { id name } a: municipalities { code } }"),
            Ok(())
        );
    }

    #[test]
    fn aliases_root_fields_and_depth_are_bounded() {
        let aliases: String = (0..=MAX_ALIASES)
            .map(|i| format!("a{i}: viewer {{ id }} "))
            .collect();
        assert!(shape(&format!("{{ {aliases} }}")).is_err_and(|m| m.contains("aliases")));
        let roots = "viewer { id } ".repeat(MAX_ROOT_FIELDS + 1);
        assert!(shape(&format!("{{ {roots} }}")).is_err_and(|m| m.contains("root")));
        let deep = format!(
            "{}id{}",
            "a { ".repeat(MAX_DEPTH + 1),
            " }".repeat(MAX_DEPTH + 1)
        );
        assert!(shape(&format!("{{ {deep} }}")).is_err_and(|m| m.contains("deep")));
        let fine = format!(
            "{}id{}",
            "a { ".repeat(MAX_DEPTH - 1),
            " }".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(shape(&format!("{{ {fine} }}")), Ok(()));
    }

    #[test]
    fn introspection_does_not_count_towards_depth() {
        let nested = format!(
            "{{ __schema {{ types {{ {}name{} }} }} }}",
            "ofType { ".repeat(20),
            " }".repeat(20)
        );
        assert_eq!(shape(&nested), Ok(()));
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let query = "{ ...F } fragment F on Query { ...G ...G } fragment G on Query { ...F ...F }";
        assert!(shape(query).is_err_and(|m| m.contains("cycle")));
    }

    #[test]
    fn fragment_bombs_are_measured_without_expanding_them() {
        // Each fragment spreads the next twice: 2^40 fields if expanded.
        let mut query = String::from("{ viewer { ...F0 } }\n");
        for i in 0..40 {
            query.push_str(&format!(
                "fragment F{i} on User {{ ...F{n} ...F{n} }}\n",
                n = i + 1
            ));
        }
        query.push_str("fragment F40 on User { id name }\n");
        assert!(shape(&query).is_err_and(|m| m.contains("fragments")));
    }
}
