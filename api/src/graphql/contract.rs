//! The served schema against the contract (`docs/contract.graphql`, a copy of
//! `shared/design/schema.graphql`): every type, field, argument, enum value and
//! description of the contract must be served, nothing removed and nothing made
//! stricter for a client. Additions are allowed.

use std::collections::HashMap;

use async_graphql::Positioned;
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    BaseType, FieldDefinition, InputValueDefinition, Type, TypeDefinition, TypeKind,
    TypeSystemDefinition,
};

fn types(sdl: &str) -> Result<HashMap<String, TypeDefinition>, String> {
    let document = parse_schema(sdl).map_err(|e| e.to_string())?;
    Ok(document
        .definitions
        .into_iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => Some((t.node.name.node.to_string(), t.node)),
            _ => None,
        })
        .collect())
}

fn kind(t: &TypeKind) -> &'static str {
    match t {
        TypeKind::Scalar => "scalar",
        TypeKind::Object(_) => "type",
        TypeKind::Interface(_) => "interface",
        TypeKind::Union(_) => "union",
        TypeKind::Enum(_) => "enum",
        TypeKind::InputObject(_) => "input",
    }
}

fn description(d: Option<&Positioned<String>>) -> Option<String> {
    d.map(|d| d.node.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Whether `served` may stand where the contract has `contract`: the same type, or
/// for outputs a non-null one where the contract allows null (a stronger promise),
/// for inputs a nullable one where the contract requires a value (a weaker demand).
fn compatible(contract: &Type, served: &Type, output: bool) -> bool {
    let nullability_ok = if output {
        served.nullable == contract.nullable || !served.nullable
    } else {
        served.nullable == contract.nullable || served.nullable
    };
    nullability_ok
        && match (&contract.base, &served.base) {
            (BaseType::Named(a), BaseType::Named(b)) => a == b,
            (BaseType::List(a), BaseType::List(b)) => compatible(a, b, output),
            _ => false,
        }
}

fn input_values(
    owner: &str,
    contract: &[Positioned<InputValueDefinition>],
    served: &[Positioned<InputValueDefinition>],
    problems: &mut Vec<String>,
) {
    for value in contract {
        let name = &value.node.name.node;
        let Some(found) = served.iter().find(|s| s.node.name.node == *name) else {
            problems.push(format!("{owner}({name}:) is missing"));
            continue;
        };
        if !compatible(&value.node.ty.node, &found.node.ty.node, false) {
            problems.push(format!(
                "{owner}({name}:) is {} where the contract has {}",
                found.node.ty.node, value.node.ty.node
            ));
        }
        let default =
            |v: &InputValueDefinition| v.default_value.as_ref().map(|d| d.node.to_string());
        if default(&value.node) != default(&found.node) {
            problems.push(format!("{owner}({name}:) has another default value"));
        }
        check_description(
            &format!("{owner}({name}:)"),
            value.node.description.as_ref(),
            found.node.description.as_ref(),
            problems,
        );
    }
    for extra in served {
        let required = !extra.node.ty.node.nullable && extra.node.default_value.is_none();
        if required
            && !contract
                .iter()
                .any(|c| c.node.name.node == extra.node.name.node)
        {
            problems.push(format!(
                "{owner}({}:) is required but not in the contract",
                extra.node.name.node
            ));
        }
    }
}

fn check_description(
    owner: &str,
    contract: Option<&Positioned<String>>,
    served: Option<&Positioned<String>>,
    problems: &mut Vec<String>,
) {
    // The contract's words must be served; more may follow them.
    let Some(wanted) = description(contract) else {
        return;
    };
    if !description(served).is_some_and(|d| d.starts_with(&wanted)) {
        problems.push(format!(
            "{owner} is not described as the contract describes it"
        ));
    }
}

fn fields(
    owner: &str,
    contract: &[Positioned<FieldDefinition>],
    served: &[Positioned<FieldDefinition>],
    problems: &mut Vec<String>,
) {
    for field in contract {
        let name = &field.node.name.node;
        let Some(found) = served.iter().find(|s| s.node.name.node == *name) else {
            problems.push(format!("{owner}.{name} is missing"));
            continue;
        };
        if !compatible(&field.node.ty.node, &found.node.ty.node, true) {
            problems.push(format!(
                "{owner}.{name} is {} where the contract has {}",
                found.node.ty.node, field.node.ty.node
            ));
        }
        check_description(
            &format!("{owner}.{name}"),
            field.node.description.as_ref(),
            found.node.description.as_ref(),
            problems,
        );
        input_values(
            &format!("{owner}.{name}"),
            &field.node.arguments,
            &found.node.arguments,
            problems,
        );
    }
}

/// Everything in which `served` falls short of `contract`; empty when it keeps it.
pub fn shortfalls(contract: &str, served: &str) -> Result<Vec<String>, String> {
    let contract = types(contract)?;
    let served = types(served)?;
    let mut problems = Vec::new();
    let mut wanted_types: Vec<_> = contract.iter().collect();
    wanted_types.sort_by_key(|(name, _)| *name);
    for (name, wanted) in wanted_types {
        let Some(found) = served.get(name) else {
            problems.push(format!("{} {name} is missing", kind(&wanted.kind)));
            continue;
        };
        if kind(&wanted.kind) != kind(&found.kind) {
            problems.push(format!(
                "{name} is a {} in the contract",
                kind(&wanted.kind)
            ));
            continue;
        }
        check_description(
            name,
            wanted.description.as_ref(),
            found.description.as_ref(),
            &mut problems,
        );
        match (&wanted.kind, &found.kind) {
            (TypeKind::Object(a), TypeKind::Object(b)) => {
                for interface in &a.implements {
                    if !b.implements.iter().any(|i| i.node == interface.node) {
                        problems.push(format!("{name} does not implement {}", interface.node));
                    }
                }
                fields(name, &a.fields, &b.fields, &mut problems);
            }
            (TypeKind::Interface(a), TypeKind::Interface(b)) => {
                fields(name, &a.fields, &b.fields, &mut problems);
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                for member in &a.members {
                    if !b.members.iter().any(|m| m.node == member.node) {
                        problems.push(format!("{name} lacks member {}", member.node));
                    }
                }
            }
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for value in &a.values {
                    let Some(found) = b
                        .values
                        .iter()
                        .find(|v| v.node.value.node == value.node.value.node)
                    else {
                        problems.push(format!("{name}.{} is missing", value.node.value.node));
                        continue;
                    };
                    check_description(
                        &format!("{name}.{}", value.node.value.node),
                        value.node.description.as_ref(),
                        found.node.description.as_ref(),
                        &mut problems,
                    );
                }
            }
            (TypeKind::InputObject(a), TypeKind::InputObject(b)) => {
                input_values(name, &a.fields, &b.fields, &mut problems);
            }
            _ => {}
        }
    }
    Ok(problems)
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::shortfalls;

    const CONTRACT: &str = include_str!("../../../docs/contract.graphql");

    #[test]
    fn the_served_schema_keeps_the_contract() {
        let problems = shortfalls(CONTRACT, &crate::graphql::sdl());
        assert_eq!(problems, Ok(Vec::new()));
    }

    /// The copy in the repository is the contract in shared/design, where that is beside
    /// the checkout (as in CI).
    #[test]
    fn the_copied_contract_is_current() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/design/schema.graphql"
        );
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert!(
                text == CONTRACT,
                "docs/contract.graphql differs from {shared}: copy it again"
            );
        }
    }

    #[test]
    fn removals_and_stricter_types_are_found() {
        let contract = r#"
            type Query { "Say hi." a(x: Boolean = false): String b: [Int!] }
            enum E { ONE TWO }
            input I { y: Int }
        "#;
        let served = r"
            type Query { a(x: Boolean! = false): String! c: Int }
            enum E { ONE }
            input I { y: Int! z: Int! }
        ";
        let problems = shortfalls(contract, served).unwrap_or_default();
        for expected in [
            "Query.a is not described as the contract describes it",
            "Query.a(x:) is Boolean! where the contract has Boolean",
            "Query.b is missing",
            "E.TWO is missing",
            "I(y:) is Int! where the contract has Int",
            "I(z:) is required but not in the contract",
        ] {
            assert!(
                problems.iter().any(|p| p == expected),
                "{expected} not in {problems:?}"
            );
        }
        assert!(
            !problems.iter().any(|p| p.starts_with("Query.a is String!")),
            "a non-null output is fine"
        );
    }
}
