//! The checked-in schema.graphql is what the server serves.

#[test]
fn checked_in_schema_equals_the_served_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    let served = jobtrack_api::graphql::sdl();
    assert!(
        checked_in == served,
        "schema.graphql is stale: run `cargo run -- print-schema > schema.graphql`"
    );
}
