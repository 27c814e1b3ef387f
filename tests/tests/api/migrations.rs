//! Migrations are reversible and carry the reference data.

use jobtrack_migration::{Migrator, MigratorTrait};
use jobtrack_tests::{TestApp, fresh_database};
use serde_json::json;

#[tokio::test]
async fn all_migrations_go_down_and_up_again() {
    let database = fresh_database().await;
    let url = database.url().to_owned();
    let db = jobtrack_api::db::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Migrator::up(db.orm(), None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));
    Migrator::down(db.orm(), None)
        .await
        .unwrap_or_else(|e| panic!("down: {e}"));
    assert!(
        Migrator::get_applied_migrations(&db)
            .await
            .unwrap_or_else(|e| panic!("applied migrations: {e}"))
            .is_empty()
    );
    Migrator::up(db.orm(), None)
        .await
        .unwrap_or_else(|e| panic!("up again: {e}"));
}

#[tokio::test]
async fn reference_data_is_served() {
    let app = TestApp::spawn().await;
    let data = app
        .ok(None, "{ municipalities { code name } }", json!({}))
        .await;
    let municipalities = data["municipalities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(municipalities.len(), 290);
    assert!(
        municipalities
            .iter()
            .any(|m| m["code"] == "1488" && m["name"] == "Trollhättan")
    );
    assert!(
        municipalities
            .iter()
            .any(|m| m["code"] == "1492" && m["name"] == "Åmål")
    );

    let data = app
        .ok(
            None,
            r#"{ occupations(search: "svets") { ssykCode name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["occupations"],
        json!([{ "ssykCode": "7212", "name": "Svetsare och gasskärare" }])
    );
    let data = app
        .ok(
            None,
            r#"{ occupations(search: "UNDERSKÖTERSK") { ssykCode } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["occupations"].as_array().map(Vec::len),
        Some(4),
        "all four undersköterska groups"
    );
    for (code, needle) in [
        ("8344", "truck"),
        ("5343", "personliga"),
        ("2343", "förskollärare"),
        ("7122", "golv"),
        ("9412", "köksbiträden"),
    ] {
        let data = app
            .ok(
                None,
                "query($s: String) { occupations(search: $s) { ssykCode } }",
                json!({ "s": needle }),
            )
            .await;
        assert!(
            data["occupations"]
                .as_array()
                .is_some_and(|o| o.iter().any(|x| x["ssykCode"] == code)),
            "{needle} -> {code}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn demo_data_fills_an_empty_database_once() {
    let app = TestApp::spawn().await;
    jobtrack_api::demo::fill_if_empty(app.db())
        .await
        .unwrap_or_else(|e| panic!("demo: {e}"));
    jobtrack_api::demo::fill_if_empty(app.db())
        .await
        .unwrap_or_else(|e| panic!("demo again: {e}"));
    let login = "mutation { login(input: {email: \"admin@demo.jobtrack.local\", password: \"jobtrack-demo-2026\"}) { accessToken } }";
    let token = app.ok(None, login, json!({})).await["login"]["accessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let data = app.ok(Some(&token), "{ agreements { name } jobTracks { totalCount } candidates { totalCount } employers { totalCount } }", json!({})).await;
    assert_eq!(data["agreements"].as_array().map(Vec::len), Some(3));
    assert_eq!(data["jobTracks"]["totalCount"], 5);
    assert_eq!(data["candidates"]["totalCount"], 22);
    assert_eq!(data["employers"]["totalCount"], 6);
    app.stop().await;
}

#[tokio::test]
async fn migrate_fresh_empties_a_database_with_data() {
    use jobtrack_api::cli::{Cli, Command, MigrateAction, run};
    let database = fresh_database().await;
    let url = database.url().to_owned();
    let app = TestApp::spawn_with(jobtrack_tests::test_config(&url)).await;
    jobtrack_tests::fixtures::world(&app).await;
    app.stop().await;
    let config = jobtrack_tests::test_config(&url);
    run(
        Cli {
            command: Some(Command::Migrate {
                action: MigrateAction::Fresh,
            }),
        },
        config,
    )
    .await
    .unwrap_or_else(|e| panic!("fresh: {e}"));
    let db = jobtrack_api::db::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(
        jobtrack_entity::organization::Entity::find()
            .count(&db)
            .await
            .unwrap_or(99),
        0
    );
    assert_eq!(
        jobtrack_entity::municipality::Entity::find()
            .count(&db)
            .await
            .unwrap_or(0),
        290
    );
}

/// Migration 11 tells subsidised work apart: undone, introduktionsjobb and lönebidrag fold
/// back into EMPLOYED_WITH_SUBSIDY; redone, those become EMPLOYED_OTHER_SUBSIDY (which
/// subsidy it was is not known), and nothing else changes. Migration 12 rebuilds the
/// applications' history from what they kept: the same stages as recorded live.
#[tokio::test]
async fn outcome_kinds_and_the_stage_history_survive_migrations_11_and_12() {
    use jobtrack_entity::outcome;
    use sea_orm::{ColumnTrait, EntityTrait, QuerySelect};
    let (_database, db) = jobtrack_tests::demo_database().await;
    let kinds = async || {
        let mut kinds: Vec<String> = outcome::Entity::find()
            .select_only()
            .column(outcome::Column::Kind)
            .into_tuple::<String>()
            .all(&db)
            .await
            .expect("the outcomes read");
        kinds.sort();
        kinds
    };
    assert_eq!(
        kinds().await,
        [
            "EMPLOYED",
            "EMPLOYED_INTRODUKTIONSJOBB",
            "EMPLOYED_LONEBIDRAG",
            "EMPLOYED_OTHER_SUBSIDY",
            "NONE",
            "OTHER",
            "STUDIES"
        ],
        "the demo has every outcome kind"
    );
    let stages = async || {
        use jobtrack_entity::application_stage;
        let mut rows: Vec<(String, i64)> = application_stage::Entity::find()
            .select_only()
            .column(application_stage::Column::Stage)
            .column_as(application_stage::Column::ApplicationId.count(), "n")
            .group_by(application_stage::Column::Stage)
            .into_tuple()
            .all(&db)
            .await
            .expect("the history reads");
        rows.sort();
        rows
    };
    let live = stages().await;
    assert!(
        live.contains(&("ATTENDED".to_owned(), 10)) && live.contains(&("STARTED".to_owned(), 9)),
        "{live:?}"
    );
    let migrations = Migrator::migrations();
    let position = migrations
        .iter()
        .position(|m| m.name() == "m20261123_000011_outcome_kinds")
        .expect("migration 11 exists");
    let since = u32::try_from(migrations.len() - position).expect("a few migrations");
    Migrator::down(db.orm(), Some(since))
        .await
        .unwrap_or_else(|e| panic!("down: {e}"));
    assert_eq!(
        kinds().await,
        [
            "EMPLOYED",
            "EMPLOYED_WITH_SUBSIDY",
            "EMPLOYED_WITH_SUBSIDY",
            "EMPLOYED_WITH_SUBSIDY",
            "NONE",
            "OTHER",
            "STUDIES"
        ]
    );
    Migrator::up(db.orm(), None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));
    assert_eq!(
        kinds().await,
        [
            "EMPLOYED",
            "EMPLOYED_OTHER_SUBSIDY",
            "EMPLOYED_OTHER_SUBSIDY",
            "EMPLOYED_OTHER_SUBSIDY",
            "NONE",
            "OTHER",
            "STUDIES"
        ]
    );
    assert_eq!(stages().await, live, "the history rebuilt from the data");
}

/// Migration 19 takes the foreign keys off the audit log, and its down puts them back:
/// every event keeps its id and content both ways, and new events carry on after the
/// largest id.
#[tokio::test]
async fn the_audit_log_keeps_its_events_through_migration_19() {
    use jobtrack_entity::audit_event;
    use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder};
    let (_database, db) = jobtrack_tests::demo_database().await;
    let events = async || {
        audit_event::Entity::find()
            .order_by_asc(audit_event::Column::Id)
            .all(&db)
            .await
            .expect("the log reads")
    };
    let live = events().await;
    assert!(
        live.iter()
            .any(|e| e.candidate_id.is_some() && e.actor_id.is_some()),
        "the demo leaves events naming a candidate and a reader: {live:?}"
    );
    Migrator::down(db.orm(), Some(1))
        .await
        .unwrap_or_else(|e| panic!("down: {e}"));
    assert_eq!(events().await, live, "down keeps every event");
    Migrator::up(db.orm(), None)
        .await
        .unwrap_or_else(|e| panic!("up: {e}"));
    assert_eq!(events().await, live, "up keeps every event");
    let next = audit_event::Entity::insert(audit_event::ActiveModel {
        at: Set(chrono::Utc::now()),
        action: Set("candidate.read".to_owned()),
        candidate_id: Set(live.iter().find_map(|e| e.candidate_id)),
        ..Default::default()
    })
    .exec(&db)
    .await
    .unwrap_or_else(|e| panic!("insert: {e}"));
    let largest = live.iter().map(|e| e.id).max().unwrap_or_default();
    assert!(
        next.last_insert_id > largest,
        "{} after {largest}",
        next.last_insert_id
    );
}
