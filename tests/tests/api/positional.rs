//! The models the hot loaders read by column position read the same as by name, on the
//! demo's rows (NULL and set columns, every enum and timestamp type).

use jobtrack_api::db::Db;
use jobtrack_entity::positional::Positional;
use jobtrack_entity::{
    admission_step, app_user, application, audit_event, candidate, competence_need, email_outbox,
    employer, employer_contact, job_track, job_track_employer, organization,
};
use sea_orm::{EntityTrait, IdenStatic, Iterable, PrimaryKeyToColumn, QueryOrder};

/// Applies `$check` to every entity whose model is read by position: one list for both
/// tests.
macro_rules! each_positional {
    ($check:ident) => {
        $check!(
            admission_step,
            app_user,
            application,
            audit_event,
            candidate,
            competence_need,
            email_outbox,
            employer,
            employer_contact,
            job_track,
            job_track_employer,
            organization
        )
    };
}

/// `E`'s list names its columns in the order `Entity::find()` selects them.
fn lists_its_columns<E>()
where
    E: EntityTrait,
    E::Model: Positional,
{
    let columns: Vec<&str> = E::Column::iter().map(|c| c.as_str()).collect();
    assert_eq!(E::Model::COLUMNS, columns, "{}", E::default().table_name());
}

#[test]
fn each_list_is_its_entitys_columns_in_select_order() {
    macro_rules! check {
        ($($entity:ident),+) => {
            $(lists_its_columns::<$entity::Entity>();)+
        };
    }
    each_positional!(check);
}

async fn same_both_ways<E>(db: &Db)
where
    E: EntityTrait,
    E::Model: Positional + PartialEq + std::fmt::Debug + Send + Sync,
{
    let in_order = || {
        E::PrimaryKey::iter().fold(E::find(), |select, key| {
            select.order_by_asc(key.into_column())
        })
    };
    let by_name = in_order().all(db).await.expect("read by name");
    let by_position = jobtrack_api::db::all_by_position(in_order(), db)
        .await
        .expect("read by position");
    assert!(
        !by_name.is_empty(),
        "the demo has rows of {}",
        E::default().table_name()
    );
    assert_eq!(by_position, by_name);
}

/// The demo logs no employer contacts: one with every column set.
async fn log_a_contact(db: &Db) {
    use jobtrack_entity::values::{ContactChannel, ContactPurpose};
    use sea_orm::ActiveValue::Set;
    use sea_orm::{ColumnTrait, QueryFilter};
    let employer = employer::Entity::find()
        .one(db)
        .await
        .expect("employers read");
    let user = app_user::Entity::find()
        .filter(app_user::Column::OrganizationId.is_not_null())
        .one(db)
        .await
        .expect("users read");
    let (Some(employer), Some(user)) = (employer, user) else {
        panic!("the demo has employers and users");
    };
    let now = chrono::Utc::now();
    employer_contact::Entity::insert(employer_contact::ActiveModel {
        employer_id: Set(employer.id),
        logged_by: Set(user.id),
        organization_id: Set(user.organization_id.expect("a staff user's organisation")),
        occurred_at: Set(now),
        channel: Set(ContactChannel::iter().next().expect("a channel")),
        purpose: Set(ContactPurpose::iter().next().expect("a purpose")),
        contact_person: Set(Some("Åsa Öberg".to_owned())),
        summary: Set("Behov av svetsare".to_owned()),
        follow_up_on: Set(Some(now.date_naive())),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await
    .expect("a contact is logged");
}

#[tokio::test]
async fn models_read_by_position_are_the_models_read_by_name() {
    let (_database, db) = jobtrack_tests::demo_database().await;
    let db = &db;
    log_a_contact(db).await;
    macro_rules! check {
        ($($entity:ident),+) => {
            $(same_both_ways::<$entity::Entity>(db).await;)+
        };
    }
    each_positional!(check);
    a_model_reads_with_its_parent(db).await;
}

/// A linked model (the loaders through a link table) is its own columns, then its
/// parent's id; a row without that id is an error.
async fn a_model_reads_with_its_parent(db: &Db) {
    use jobtrack_entity::positional::WithParent;
    use sea_orm::{FromQueryResult, QueryOrder, Statement};
    let read = |sql: &str| {
        WithParent::<organization::Model>::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .all(db)
    };
    let with =
        read("SELECT organization.*, CAST(7 AS BIGINT) AS parent FROM organization ORDER BY id")
            .await
            .expect("read with the parent");
    let by_name = organization::Entity::find()
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await
        .expect("read by name");
    assert!(!by_name.is_empty(), "the demo has organisations");
    assert!(with.iter().all(|WithParent(parent, _)| *parent == 7));
    let models: Vec<organization::Model> = with.into_iter().map(|WithParent(_, m)| m).collect();
    assert_eq!(models, by_name);
    let Err(without) = read("SELECT organization.* FROM organization").await else {
        panic!("a row without its parent was read");
    };
    assert!(without.to_string().contains("out of bounds"), "{without}");
}

/// A row that does not fit the model is an error naming the column, never a guess: a
/// NULL where the model has no `Option`, text that is none of an enum's values, a
/// column the row does not have.
#[tokio::test]
async fn a_row_that_does_not_fit_is_an_error() {
    use jobtrack_entity::positional::ByPosition;
    use sea_orm::{FromQueryResult, Statement};

    let database = jobtrack_tests::fresh_database().await;
    let db = jobtrack_api::db::connect(database.url())
        .await
        .expect("the test database connects");
    let read = |sql: &str| {
        ByPosition::<admission_step::Model>::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .one(&db)
    };
    let error =
        |result: Result<Option<ByPosition<admission_step::Model>>, sea_orm::DbErr>| match result {
            Ok(_) => panic!("a row that does not fit was read"),
            Err(e) => e.to_string(),
        };
    let null =
        error(read("SELECT CAST(1 AS BIGINT) AS id, CAST(NULL AS BIGINT) AS application_id").await);
    assert!(null.contains("column 1 is NULL"), "{null}");
    let no_kind = error(
        read(
            "SELECT CAST(1 AS BIGINT) AS id, CAST(2 AS BIGINT) AS application_id,
                    CAST(NULL AS TEXT) AS kind",
        )
        .await,
    );
    assert!(no_kind.contains("column 2 is NULL"), "{no_kind}");
    let unknown = error(
        read(
            "SELECT CAST(1 AS BIGINT) AS id, CAST(2 AS BIGINT) AS application_id,
                    CAST('NOT_A_STEP' AS TEXT) AS kind",
        )
        .await,
    );
    assert!(
        unknown.contains("\"NOT_A_STEP\" is not a AdmissionStepKind (column 2)"),
        "{unknown}"
    );
    let missing = error(read("SELECT CAST(1 AS BIGINT) AS id").await);
    assert!(missing.contains("out of bounds"), "{missing}");
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        // A timestamp no DateTime holds, read from PostgreSQL's binary form.
        let infinite = error(
            read(
                "SELECT CAST(1 AS BIGINT) AS id, CAST(2 AS BIGINT) AS application_id,
                        'INFO_MEETING' AS kind, CAST('infinity' AS TIMESTAMPTZ) AS scheduled_at",
            )
            .await,
        );
        assert!(
            infinite.contains("column 3 is not a timestamp in range"),
            "{infinite}"
        );
    }
}
