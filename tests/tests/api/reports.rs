//! Employer contacts, coordination, follow-ups, the funnel and the completion report.

use chrono::{Duration, Utc};
use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::calendar::{swedish_date, swedish_today};
use jobtrack_api::domain::tracks;
use jobtrack_api::domain::values::{Gender, JobTrackStatus, OutcomeKind};
use jobtrack_tests::fixtures::{
    self, ADVISER, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, SECTION_MANAGER,
    WORKING_GROUP,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_error, global_id, id_of};
use serde_json::{Value, json};

const LOG: &str = "mutation($input: LogEmployerContactInput!) { logEmployerContact(input: $input) {
    contact { id occurredAt channel purpose summary followUpOn loggedBy { email } organization { name } employer { name } }
    recentContactsByOthers { summary loggedBy { email } } } }";

fn contact(
    employer: i64,
    at: chrono::DateTime<Utc>,
    summary: &str,
    follow_up: Option<&str>,
) -> Value {
    json!({ "input": { "employerId": global_id("Employer", employer), "occurredAt": at.to_rfc3339(), "channel": "PHONE",
        "purpose": "PLACEMENT_REQUEST", "summary": summary, "followUpOn": follow_up } })
}

/// Logs, as `adviser`, a contact with `employer` `days` after `base` for each of
/// `contacts`, in the order given.
async fn log_contacts(
    app: &TestApp,
    adviser: &str,
    employer: i64,
    base: chrono::DateTime<Utc>,
    contacts: &[(i64, &str)],
) {
    for (days, summary) in contacts {
        app.ok(
            Some(adviser),
            LOG,
            contact(employer, base + Duration::days(*days), summary, None),
        )
        .await;
    }
}

fn summaries(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["summary"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn logging_a_contact_shows_who_else_was_in_touch_in_the_last_fourteen_days() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let now = Utc::now() - Duration::hours(1);
    let coordinator = app.login(COORDINATOR).await;
    let caseworker = app.login(CASEWORKER).await;
    let adviser = app.login(ADVISER).await;
    app.ok(
        Some(&coordinator),
        LOG,
        contact(
            world.welding,
            now - Duration::days(14),
            "exactly fourteen days before",
            None,
        ),
    )
    .await;
    app.ok(
        Some(&coordinator),
        LOG,
        contact(
            world.welding,
            now - Duration::days(14) - Duration::minutes(1),
            "just outside the window",
            None,
        ),
    )
    .await;
    app.ok(
        Some(&caseworker),
        LOG,
        contact(
            world.welding,
            now - Duration::days(3),
            "three days before",
            None,
        ),
    )
    .await;
    app.ok(
        Some(&caseworker),
        LOG,
        contact(
            world.welding,
            now + Duration::minutes(30),
            "after the new contact",
            None,
        ),
    )
    .await;
    app.ok(
        Some(&adviser),
        LOG,
        contact(
            world.welding,
            now - Duration::days(1),
            "my own earlier contact",
            None,
        ),
    )
    .await;
    app.ok(
        Some(&coordinator),
        LOG,
        contact(
            world.care,
            now - Duration::days(1),
            "another employer",
            None,
        ),
    )
    .await;

    let data = app
        .ok(
            Some(&adviser),
            LOG,
            contact(
                world.welding,
                now,
                "Frågar om praktikplats",
                Some("2030-01-01"),
            ),
        )
        .await;
    let logged = &data["logEmployerContact"];
    assert_eq!(logged["contact"]["loggedBy"]["email"], ADVISER);
    assert_eq!(
        logged["contact"]["organization"]["name"],
        "Arbetsförmedlingen Fyrbodal"
    );
    assert_eq!(
        summaries(&logged["recentContactsByOthers"]),
        ["three days before", "exactly fourteen days before"]
    );
    app.stop().await;
}

#[tokio::test]
async fn contacts_are_validated_and_never_shown_to_employers() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let now = Utc::now();
    assert_bad_input(
        &app.gql(
            Some(&adviser),
            LOG,
            contact(world.welding, now + Duration::hours(25), "Framtid", None),
        )
        .await,
        "occurredAt",
    );
    app.ok(
        Some(&adviser),
        LOG,
        contact(
            world.welding,
            now + Duration::hours(23),
            "I morgon bitti",
            None,
        ),
    )
    .await;
    assert_bad_input(
        &app.gql(
            Some(&adviser),
            LOG,
            contact(world.welding, now, "   ", None),
        )
        .await,
        "summary",
    );
    assert_bad_input(
        &app.gql(
            Some(&adviser),
            LOG,
            contact(world.welding, now, &"x".repeat(4001), None),
        )
        .await,
        "summary",
    );
    assert_bad_input(
        &app.gql(
            Some(&adviser),
            LOG,
            contact(world.welding, now, "Gammal uppföljning", Some("2000-01-01")),
        )
        .await,
        "followUpOn",
    );
    let dalsland = app.login(DALSLAND_CASEWORKER).await;
    assert_error(
        &app.gql(
            Some(&dalsland),
            LOG,
            contact(world.welding, now, "Utanför", None),
        )
        .await,
        "NOT_FOUND",
    );

    let employer = app.login(EMPLOYER).await;
    assert_error(
        &app.gql(
            Some(&employer),
            LOG,
            contact(world.welding, now, "Själv", None),
        )
        .await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(
            Some(&employer),
            "{ employerContacts { totalCount } }",
            json!({}),
        )
        .await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(
            Some(&employer),
            "{ followUpsDue(onOrBefore: \"2030-01-01\") { id } }",
            json!({}),
        )
        .await,
        "FORBIDDEN",
    );
    let own = app
        .gql(
            Some(&employer),
            "{ viewer { employer { lastContact { id } contacts { totalCount } } } }",
            json!({}),
        )
        .await;
    assert_error(&own, "FORBIDDEN");
    assert!(
        own["data"]["viewer"]["employer"]["contacts"].is_null(),
        "{own}"
    );
    let last = app
        .ok(
            Some(&employer),
            "{ viewer { employer { lastContact { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(last["viewer"]["employer"]["lastContact"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn the_contact_log_is_newest_first_and_filtered() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let base = Utc::now() - Duration::days(30);
    // Logged out of order: the log is ordered by when contacts happened.
    log_contacts(
        &app,
        &adviser,
        world.welding,
        base,
        &[
            (10, "day 10"),
            (2, "day 2"),
            (20, "day 20"),
            (15, "day 15"),
            (5, "day 5"),
        ],
    )
    .await;
    log_contacts(&app, &adviser, world.care, base, &[(12, "care")]).await;
    let query = "query($e: ID, $from: Date, $to: Date, $after: String) { employerContacts(first: 2, after: $after, employerId: $e, from: $from, to: $to) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { summary } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .ok(
                Some(&adviser),
                query,
                json!({ "e": global_id("Employer", world.welding), "after": after }),
            )
            .await;
        let connection = &data["employerContacts"];
        assert_eq!(connection["totalCount"], 5);
        seen.extend(
            connection["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["node"]["summary"].as_str().map(str::to_owned)),
        );
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["day 20", "day 15", "day 10", "day 5", "day 2"]);
    let from = swedish_date(base + Duration::days(5)).to_string();
    let to = swedish_date(base + Duration::days(15)).to_string();
    let ranged = app.ok(Some(&adviser), "query($from: Date, $to: Date) { employerContacts(from: $from, to: $to) { edges { node { summary } } } }", json!({ "from": from, "to": to })).await;
    let names: Vec<&str> = ranged["employerContacts"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["summary"].as_str())
        .collect();
    assert_eq!(names, ["day 15", "care", "day 10", "day 5"]);
    let last = app.ok(Some(&adviser), "query($id: ID!) { node(id: $id) { ... on Employer { lastContact { summary } contacts(first: 1) { totalCount edges { node { summary } } } } } }",
        json!({ "id": global_id("Employer", world.welding) })).await;
    assert_eq!(last["node"]["lastContact"]["summary"], "day 20");
    assert_eq!(last["node"]["contacts"]["totalCount"], 5);
    app.stop().await;
}

/// Pages a connection nested in `node(id:)` to its end, `first` at a time, and
/// returns the texts at `field` of its nodes, checking totalCount on every page.
async fn nested_pages(
    app: &TestApp,
    token: &str,
    id: &str,
    connection: &str,
    field: &str,
    total: u64,
) -> Vec<String> {
    let query = format!(
        "query($id: ID!, $after: String) {{ node(id: $id) {{ ... on Employer {{ {connection}(first: 2, after: $after) {{
            totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {field} }} }} }} }} }} }}"
    );
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .ok(Some(token), &query, json!({ "id": id, "after": after }))
            .await;
        let page = &data["node"][connection];
        assert_eq!(page["totalCount"], total, "{data}");
        seen.extend(
            page["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["node"][field].as_str().map(str::to_owned)),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return seen;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn an_employers_contacts_and_tracks_page_in_sql_in_their_order() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let base = Utc::now() - Duration::days(30);
    // Out of order, and two at the same moment: those come newest-logged first.
    log_contacts(
        &app,
        &adviser,
        world.welding,
        base,
        &[
            (10, "day 10, first logged"),
            (2, "day 2"),
            (20, "day 20"),
            (10, "day 10, logged later"),
            (5, "day 5"),
        ],
    )
    .await;
    log_contacts(&app, &adviser, world.care, base, &[(12, "care")]).await;
    let welding = global_id("Employer", world.welding);
    assert_eq!(
        nested_pages(&app, &adviser, &welding, "contacts", "summary", 5).await,
        [
            "day 20",
            "day 10, logged later",
            "day 10, first logged",
            "day 5",
            "day 2"
        ]
    );
    // Under a list of employers, each gets its own first page.
    let listed = app
        .ok(
            Some(&adviser),
            "{ employers(first: 50) { edges { node { name contacts(first: 1) { totalCount edges { node { summary } } } } } } }",
            json!({}),
        )
        .await;
    let firsts: Vec<(String, Value, Value)> = listed["employers"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let node = &e["node"];
            (
                node["name"].as_str().unwrap_or("?").to_owned(),
                node["contacts"]["totalCount"].clone(),
                node["contacts"]["edges"][0]["node"]["summary"].clone(),
            )
        })
        .filter(|(_, total, _)| total != 0)
        .collect();
    assert_eq!(firsts.len(), 2, "{listed}");
    assert!(
        firsts.iter().any(|(_, n, s)| *n == 5 && *s == "day 20"),
        "{firsts:?}"
    );
    assert!(
        firsts.iter().any(|(_, n, s)| *n == 1 && *s == "care"),
        "{firsts:?}"
    );

    let mut titles = Vec::new();
    for _ in 0..3 {
        let track = fixtures::recruiting_track(&app, &world, 5).await;
        let wg = app.login(WORKING_GROUP).await;
        let title = app
            .ok(
                Some(&wg),
                "query($id: ID!) { node(id: $id) { ... on JobTrack { title } } }",
                json!({ "id": global_id("JobTrack", track) }),
            )
            .await["node"]["title"]
            .as_str()
            .unwrap_or("?")
            .to_owned();
        titles.push(title);
    }
    assert_eq!(
        nested_pages(&app, &adviser, &welding, "jobTracks", "title", 3).await,
        titles
    );
    app.stop().await;
}

#[tokio::test]
async fn follow_ups_come_due_until_a_later_contact_answers_them() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(ADVISER).await;
    let coordinator = app.login(COORDINATOR).await;
    let today = swedish_today();
    let at = Utc::now() - Duration::days(10);
    let due = (today - Duration::days(1)).to_string();
    let later = (today + Duration::days(5)).to_string();
    app.ok(
        Some(&adviser),
        LOG,
        contact(world.welding, at, "welding: follow up", Some(&due)),
    )
    .await;
    app.ok(
        Some(&adviser),
        LOG,
        contact(world.care, at, "care: follow up later", Some(&later)),
    )
    .await;
    // Someone else's earlier contact with a due follow-up: not the adviser's to answer.
    app.ok(
        Some(&coordinator),
        LOG,
        contact(
            world.welding,
            at - Duration::days(1),
            "not mine",
            Some(&due),
        ),
    )
    .await;
    let query = "query($d: Date!) { followUpsDue(onOrBefore: $d) { summary } }";
    let today_s = today.to_string();
    assert_eq!(
        summaries(&app.ok(Some(&adviser), query, json!({ "d": today_s })).await["followUpsDue"]),
        ["welding: follow up"]
    );
    assert_eq!(
        summaries(&app.ok(Some(&adviser), query, json!({ "d": later })).await["followUpsDue"]),
        ["welding: follow up", "care: follow up later"]
    );
    // A later contact with the welding firm, by anyone, answers the follow-up.
    app.ok(
        Some(&coordinator),
        LOG,
        contact(
            world.welding,
            at + Duration::days(2),
            "coordinator called them",
            None,
        ),
    )
    .await;
    assert!(
        summaries(&app.ok(Some(&adviser), query, json!({ "d": today_s })).await["followUpsDue"])
            .is_empty()
    );
    // The contact owner of an employer sees its follow-ups whoever logged them.
    let users = app
        .ok(Some(&coordinator), "{ viewer { id } }", json!({}))
        .await;
    let wg = app.login(WORKING_GROUP).await;
    app.ok(Some(&wg), "mutation($e: ID!, $u: ID) { setContactOwner(input: {employerId: $e, userId: $u}) { employer { id } } }",
        json!({ "e": global_id("Employer", world.care), "u": users["viewer"]["id"] })).await;
    assert_eq!(
        summaries(
            &app.ok(Some(&coordinator), query, json!({ "d": later }))
                .await["followUpsDue"]
        ),
        ["care: follow up later"]
    );
    app.stop().await;
}

/// A track with a known mix, `copies` times over: three women (two completed, one
/// dropped out), two men (one completed, one still running) and one other (completed).
/// Outcomes: one woman employed, one in an introduktionsjobb, one man with lönebidrag,
/// the other person to studies, the woman who dropped out to none. Only the first woman
/// of each copy shares her data with employers.
async fn known_mix(app: &TestApp, world: &fixtures::World, copies: usize) -> i64 {
    let db = app.db();
    let seats = i32::try_from(6 * copies).unwrap_or(6);
    let track = fixtures::recruiting_track(app, world, seats).await;
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    let caseworker = fixtures::actor(app, CASEWORKER).await;
    let genders = [
        Gender::Woman,
        Gender::Woman,
        Gender::Woman,
        Gender::Man,
        Gender::Man,
        Gender::Other,
    ];
    let mut apps = Vec::new();
    for copy in 0..copies {
        for (n, gender) in genders.iter().enumerate() {
            let number = u32::try_from(900 + copy * 6 + n).unwrap_or(0);
            let candidate = fixtures::candidate(app, number, *gender, true).await;
            let id = fixtures::passed_trial(app, world, track, candidate).await;
            if n > 0 {
                fixtures::withdraw_sharing(app, candidate).await;
            }
            admission::decide(db, &wg, id, None, Decision::Admit, None)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            apps.push(id);
        }
    }
    for status in [JobTrackStatus::Selection, JobTrackStatus::Running] {
        let current = tracks::visible_track(db, &wg, track)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tracks::change_status(db, &wg, track, current.version, status)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for mix in apps.chunks(6) {
        for i in [0, 1, 3, 5] {
            admission::complete(db, &caseworker, mix[i])
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        admission::drop_out(db, &caseworker, mix[2], "Flyttade")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for (i, kind) in [
            (0, OutcomeKind::Employed),
            (1, OutcomeKind::EmployedIntroduktionsjobb),
            (3, OutcomeKind::EmployedLonebidrag),
            (5, OutcomeKind::Studies),
            (2, OutcomeKind::None),
        ] {
            admission::record_outcome(db, &caseworker, mix[i], kind, None, None)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    track
}

const REPORT: &str = "query($a: ID!, $from: Date!, $to: Date!) { completionReport(agreementId: $a, from: $from, to: $to) {
    agreement { name } from to started { women men other total } completed { women men other total }
    droppedOut { women men other total } employed { women men other total } completionRatePercent targetPercent meetsTarget
    outcomes { employed { women total } employedIntroduktionsjobb { women total } employedLonebidrag { men total }
        employedOtherSubsidy { total } studies { other total } other { total } none { women total } }
    byTrack { jobTrack { title } started { total } completed { women men other total } droppedOut { total } completionRatePercent
        outcomes { employedLonebidrag { total } } }
    byMunicipality { municipality { code name } started { women men other total } completed { total } employed { total } completionRatePercent } } }";

#[tokio::test]
async fn the_completion_report_matches_a_hand_count() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    // Five copies of the mix: every count is 0 or at least 5, so nothing is suppressed.
    known_mix(&app, &world, 5).await;
    let today = swedish_today();
    let vars = json!({ "a": global_id("Agreement", world.fyrbodal), "from": (today - Duration::days(1)).to_string(), "to": today.to_string() });
    let coordinator = app.login(COORDINATOR).await;
    let report = app.ok(Some(&coordinator), REPORT, vars.clone()).await["completionReport"].clone();
    assert_eq!(
        report["started"],
        json!({ "women": 15, "men": 10, "other": 5, "total": 30 })
    );
    assert_eq!(
        report["completed"],
        json!({ "women": 10, "men": 5, "other": 5, "total": 20 })
    );
    assert_eq!(
        report["droppedOut"],
        json!({ "women": 5, "men": 0, "other": 0, "total": 5 })
    );
    assert_eq!(
        report["employed"],
        json!({ "women": 10, "men": 5, "other": 0, "total": 15 }),
        "regular and subsidised work together"
    );
    assert_eq!(
        report["outcomes"],
        json!({ "employed": { "women": 5, "total": 5 }, "employedIntroduktionsjobb": { "women": 5, "total": 5 },
            "employedLonebidrag": { "men": 5, "total": 5 }, "employedOtherSubsidy": { "total": 0 },
            "studies": { "other": 5, "total": 5 }, "other": { "total": 0 }, "none": { "women": 5, "total": 5 } })
    );
    assert_eq!(
        report["completionRatePercent"], 80.0,
        "20 of 25 who finished"
    );
    assert_eq!(report["targetPercent"], 90);
    assert_eq!(
        report["meetsTarget"], false,
        "80 % is below Fyrbodal's 90 %"
    );
    assert_eq!(
        report["byTrack"],
        json!([{ "jobTrack": { "title": "Svetsare Trollhättan" }, "started": { "total": 30 },
        "completed": { "women": 10, "men": 5, "other": 5, "total": 20 }, "droppedOut": { "total": 5 }, "completionRatePercent": 80.0,
        "outcomes": { "employedLonebidrag": { "total": 5 } } }])
    );
    assert_eq!(
        report["byMunicipality"],
        json!([{ "municipality": { "code": "1488", "name": "Trollhättan" },
        "started": { "women": 15, "men": 10, "other": 5, "total": 30 }, "completed": { "total": 20 }, "employed": { "total": 15 },
        "completionRatePercent": 80.0 }])
    );

    // A period before anyone started: zeros, and no rate rather than a false one.
    let empty = app.ok(Some(&coordinator), REPORT, json!({ "a": global_id("Agreement", world.fyrbodal), "from": "2021-01-01", "to": "2021-12-31" })).await;
    assert_eq!(empty["completionReport"]["started"]["total"], 0);
    assert_eq!(
        empty["completionReport"]["completionRatePercent"],
        Value::Null
    );
    assert_eq!(empty["completionReport"]["meetsTarget"], Value::Null);

    let manager = app.login(SECTION_MANAGER).await;
    app.ok(Some(&manager), REPORT, vars.clone()).await;
    for email in [EMPLOYER, CASEWORKER, DALSLAND_CASEWORKER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(Some(&token), REPORT, vars.clone()).await,
            "FORBIDDEN",
        );
    }
    // A coordinator of an organisation that is not party to the agreement cannot see it.
    let dalsland_coordinator = "dalsland-coordinator@example.com";
    fixtures::user(
        app.db(),
        dalsland_coordinator,
        &[jobtrack_api::domain::values::Role::Coordinator],
        Some(world.bengtsfors),
        None,
        &["1460"],
    )
    .await;
    let token = app.login(dalsland_coordinator).await;
    assert_error(&app.gql(Some(&token), REPORT, vars).await, "NOT_FOUND");
    app.stop().await;
}

#[tokio::test]
async fn the_funnel_counts_the_flow_that_happened_by_gender_and_employers_see_totals() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = known_mix(&app, &world, 5).await;
    let caseworker = fixtures::actor(&app, CASEWORKER).await;
    let extra = fixtures::candidate(&app, 950, Gender::Woman, true).await;
    let app_id = admission::nominate(app.db(), &caseworker, track, extra, None, None)
        .await
        .map_or(0, |a| a.id);
    assert_eq!(app_id, 0, "a running track takes no nominations");
    let fields = "nominated { women men other total } invited { total } attended { total } applied { total }
        inTrial { total } admitted { total } started { women men other total } completed { women men other total }
        employed { women men other total } droppedOut { women total } rejected { total } withdrawn { total }";
    let query = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on JobTrack {{ funnel {{ {fields} }} }} }} }}"
    );
    let coordinator = app.login(COORDINATOR).await;
    let data = app
        .ok(
            Some(&coordinator),
            &query,
            json!({ "id": global_id("JobTrack", track) }),
        )
        .await;
    let funnel = &data["node"]["funnel"];
    let everyone = json!({ "women": 15, "men": 10, "other": 5, "total": 30 });
    assert_eq!(
        funnel["nominated"], everyone,
        "a running track still shows who was nominated"
    );
    for stage in ["invited", "applied", "inTrial", "admitted"] {
        assert_eq!(funnel[stage]["total"], 30, "{stage}");
    }
    assert_eq!(funnel["attended"]["total"], 0, "no attendance was recorded");
    assert_eq!(funnel["started"], everyone);
    assert_eq!(
        funnel["completed"],
        json!({ "women": 10, "men": 5, "other": 5, "total": 20 })
    );
    assert_eq!(
        funnel["employed"],
        json!({ "women": 10, "men": 5, "other": 0, "total": 15 })
    );
    assert_eq!(funnel["droppedOut"], json!({ "women": 5, "total": 5 }));
    assert_eq!(funnel["rejected"]["total"], 0);
    let employer = app.login(EMPLOYER).await;
    let data = app
        .ok(
            Some(&employer),
            &query,
            json!({ "id": global_id("JobTrack", track) }),
        )
        .await;
    assert_eq!(
        data["node"]["funnel"]["completed"],
        json!({ "women": 0, "men": 0, "other": 0, "total": 5 }),
        "totals only, of the applicants the employer may see (one in four shares)"
    );
    assert_eq!(data["node"]["funnel"]["nominated"]["total"], 5);

    // The same flow for the agreement in a period, per track and municipality.
    let report = format!("query($a: ID!, $from: Date!, $to: Date!) {{ funnelReport(agreementId: $a, from: $from, to: $to) {{
        funnel {{ {fields} }} byTrack {{ jobTrack {{ title }} funnel {{ started {{ total }} }} }}
        byMunicipality {{ municipality {{ code }} funnel {{ completed {{ total }} }} }} }} }}");
    let today = swedish_today();
    let agreement = global_id("Agreement", world.fyrbodal);
    let vars = json!({ "a": agreement, "from": (today - Duration::days(1)).to_string(), "to": today.to_string() });
    let flow = app.ok(Some(&coordinator), &report, vars.clone()).await;
    assert_eq!(flow["funnelReport"]["funnel"], *funnel);
    assert_eq!(
        flow["funnelReport"]["byTrack"],
        json!([{ "jobTrack": { "title": "Svetsare Trollhättan" }, "funnel": { "started": { "total": 30 } } }])
    );
    assert_eq!(
        flow["funnelReport"]["byMunicipality"],
        json!([{ "municipality": { "code": "1488" }, "funnel": { "completed": { "total": 20 } } }])
    );
    let before = app
        .ok(
            Some(&coordinator),
            &report,
            json!({ "a": agreement, "from": "2021-01-01", "to": "2021-12-31" }),
        )
        .await;
    assert_eq!(before["funnelReport"]["funnel"]["nominated"]["total"], 0);
    assert_eq!(before["funnelReport"]["byTrack"], json!([]));
    for email in [EMPLOYER, CASEWORKER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(Some(&token), &report, vars.clone()).await,
            "FORBIDDEN",
        );
    }
    assert_bad_input(
        &app.gql(
            Some(&coordinator),
            &report,
            json!({ "a": agreement, "from": "2026-02-01", "to": "2026-01-31" }),
        )
        .await,
        "to",
    );
    // The coordinator's organisation is not party to the Dalsland agreement.
    assert_error(
        &app.gql(
            Some(&coordinator),
            &report,
            json!({ "a": global_id("Agreement", world.dalsland), "from": "2026-01-01", "to": "2026-12-31" }),
        )
        .await,
        "NOT_FOUND",
    );
    app.stop().await;
}

#[tokio::test]
async fn the_report_exports_as_csv_with_small_cells_suppressed() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    known_mix(&app, &world, 1).await;
    let today = swedish_today();
    let url = format!(
        "{}/reports/completion.csv?agreementId={}&from={}&to={}",
        app.base,
        global_id("Agreement", world.fyrbodal),
        today - Duration::days(1),
        today
    );
    let coordinator = app.login(COORDINATOR).await;
    let response = app
        .client
        .get(&url)
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let body = response.bytes().await.expect("the response body reads");
    let text = String::from_utf8(body.to_vec()).unwrap_or_default();
    let expected = "\u{feff}Nivå;Namn;Påbörjade kvinnor;Påbörjade män;Påbörjade annat;Påbörjade totalt;Fullföljda kvinnor;Fullföljda män;Fullföljda annat;Fullföljda totalt;Avbrutna kvinnor;Avbrutna män;Avbrutna annat;Avbrutna totalt;I arbete kvinnor;I arbete män;I arbete annat;I arbete totalt;Anställning kvinnor;Anställning män;Anställning annat;Anställning totalt;Introduktionsjobb kvinnor;Introduktionsjobb män;Introduktionsjobb annat;Introduktionsjobb totalt;Lönebidrag kvinnor;Lönebidrag män;Lönebidrag annat;Lönebidrag totalt;Annat stöd kvinnor;Annat stöd män;Annat stöd annat;Annat stöd totalt;Studier kvinnor;Studier män;Studier annat;Studier totalt;Annat utfall kvinnor;Annat utfall män;Annat utfall annat;Annat utfall totalt;Inget kvinnor;Inget män;Inget annat;Inget totalt;I arbete efter 90 dagar kvinnor;I arbete efter 90 dagar män;I arbete efter 90 dagar annat;I arbete efter 90 dagar totalt;Studier efter 90 dagar kvinnor;Studier efter 90 dagar män;Studier efter 90 dagar annat;Studier efter 90 dagar totalt;I arbete efter 180 dagar kvinnor;I arbete efter 180 dagar män;I arbete efter 180 dagar annat;I arbete efter 180 dagar totalt;Studier efter 180 dagar kvinnor;Studier efter 180 dagar män;Studier efter 180 dagar annat;Studier efter 180 dagar totalt;Fullföljandegrad %;Mål %\r\n\
Överenskommelse;Fyrbodal;<5;<5;<5;6;<5;<5;<5;<5;<5;0;0;<5;<5;<5;0;<5;<5;0;0;<5;<5;0;0;<5;0;<5;0;<5;0;0;0;0;0;0;<5;<5;0;0;0;0;<5;0;0;<5;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;<5;90\r\n\
Jobbspår;Svetsare Trollhättan;<5;<5;<5;6;<5;<5;<5;<5;<5;0;0;<5;<5;<5;0;<5;<5;0;0;<5;<5;0;0;<5;0;<5;0;<5;0;0;0;0;0;0;<5;<5;0;0;0;0;<5;0;0;<5;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;<5;\r\n\
Kommun;Trollhättan;<5;<5;<5;6;<5;<5;<5;<5;<5;0;0;<5;<5;<5;0;<5;<5;0;0;<5;<5;0;0;<5;0;<5;0;<5;0;0;0;0;0;0;<5;<5;0;0;0;0;<5;0;0;<5;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;<5;\r\n";
    assert_eq!(text, expected);

    let no_token = app
        .client
        .get(&url)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or_default();
    assert_eq!(no_token, 401);
    let employer = app.login(EMPLOYER).await;
    let forbidden = app
        .client
        .get(&url)
        .bearer_auth(&employer)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or_default();
    assert_eq!(forbidden, 403);
    let bad = app
        .client
        .get(url.replace("&from=", "&from=x"))
        .bearer_auth(&coordinator)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or_default();
    assert_eq!(bad, 400);
    let _ = id_of;
    app.stop().await;
}

/// A report's dates are Swedish days: a participant who started at 00:30 on 1 July in
/// Sweden (22:30 UTC on 30 June, summer time) started in July.
#[tokio::test]
async fn report_periods_are_swedish_days() {
    use jobtrack_api::domain::values::Stage;
    use jobtrack_entity::{application, application_stage};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = known_mix(&app, &world, 1).await;
    let at: chrono::DateTime<Utc> = "2026-06-30T22:30:00Z".parse().expect("a time");
    application::Entity::update_many()
        .col_expr(application::Column::StartedAt, Expr::value(at))
        .filter(application::Column::JobTrackId.eq(track))
        .exec(app.db())
        .await
        .expect("the start moves");
    let ids: Vec<i64> = application::Entity::find()
        .filter(application::Column::JobTrackId.eq(track))
        .all(app.db())
        .await
        .expect("the applications read")
        .into_iter()
        .map(|a| a.id)
        .collect();
    application_stage::Entity::update_many()
        .col_expr(application_stage::Column::ReachedAt, Expr::value(at))
        .filter(application_stage::Column::ApplicationId.is_in(ids))
        .filter(application_stage::Column::Stage.eq(Stage::Started))
        .exec(app.db())
        .await
        .expect("the history moves");
    let coordinator = app.login(COORDINATOR).await;
    let agreement = global_id("Agreement", world.fyrbodal);
    let started = async |from: &str, to: &str| {
        let completion = app
            .ok(
                Some(&coordinator),
                REPORT,
                json!({ "a": agreement, "from": from, "to": to }),
            )
            .await["completionReport"]["started"]["total"]
            .clone();
        let flow = app
            .ok(
                Some(&coordinator),
                "query($a: ID!, $from: Date!, $to: Date!) { funnelReport(agreementId: $a, from: $from, to: $to) { funnel { started { total } } } }",
                json!({ "a": agreement, "from": from, "to": to }),
            )
            .await["funnelReport"]["funnel"]["started"]["total"]
            .clone();
        (completion, flow)
    };
    assert_eq!(
        started("2026-07-01", "2026-07-01").await,
        (json!(6), json!(6))
    );
    assert_eq!(
        started("2026-06-30", "2026-06-30").await,
        (json!(0), json!(0))
    );
    app.stop().await;
}

/// Small cells: no report shows a count from 1 to 4 of a group, nor a cell that would
/// give one back; the contract's Int! fields read 0 there, `shown` has nulls.
#[tokio::test]
async fn small_cells_are_suppressed_in_every_report() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = known_mix(&app, &world, 1).await;
    let today = swedish_today();
    let vars = json!({ "a": global_id("Agreement", world.fyrbodal), "from": (today - Duration::days(1)).to_string(), "to": today.to_string() });
    let count = "{ women men other total suppressed shown { women men other total } }";
    let coordinator = app.login(COORDINATOR).await;
    let report = app
        .ok(
            Some(&coordinator),
            &format!("query($a: ID!, $from: Date!, $to: Date!) {{ completionReport(agreementId: $a, from: $from, to: $to) {{
                started {count} droppedOut {count} completionRatePercent completionRateSuppressed meetsTarget
                byMunicipality {{ started {count} completionRatePercent completionRateSuppressed }}
                outcomes {{ studies {count} }} }}
              funnelReport(agreementId: $a, from: $from, to: $to) {{ funnel {{ completed {count} }} }} }}"),
            vars,
        )
        .await;
    let started = json!({ "women": 0, "men": 0, "other": 0, "total": 6, "suppressed": true,
        "shown": { "women": null, "men": null, "other": null, "total": 6 } });
    let completion = &report["completionReport"];
    assert_eq!(
        completion["started"], started,
        "3 women, 2 men, 1 other: each small"
    );
    assert_eq!(
        completion["droppedOut"]["shown"],
        json!({ "women": null, "men": 0, "other": 0, "total": null }),
        "one woman: a total of 1 is small too; zeros are shown"
    );
    assert_eq!(
        completion["outcomes"]["studies"]["shown"],
        json!({ "women": 0, "men": 0, "other": null, "total": null })
    );
    assert_eq!(
        (
            &completion["completionRatePercent"],
            &completion["completionRateSuppressed"],
            &completion["meetsTarget"]
        ),
        (&Value::Null, &json!(true), &Value::Null),
        "4 of 5 would give the suppressed counts back"
    );
    assert_eq!(
        completion["byMunicipality"],
        json!([{ "started": started, "completionRatePercent": null, "completionRateSuppressed": true }])
    );
    assert_eq!(
        report["funnelReport"]["funnel"]["completed"]["shown"],
        json!({ "women": null, "men": null, "other": null, "total": null }),
        "2, 1, 1 of 4"
    );
    let funnel = format!(
        "query($id: ID!) {{ node(id: $id) {{ ... on JobTrack {{ funnel {{ nominated {count} completed {count} }} }} }} }}"
    );
    let id = json!({ "id": global_id("JobTrack", track) });
    let staff = app.ok(Some(&coordinator), &funnel, id.clone()).await;
    assert_eq!(staff["node"]["funnel"]["nominated"], started);
    let employer = app.login(EMPLOYER).await;
    let employer_view = app.ok(Some(&employer), &funnel, id).await;
    assert_eq!(
        employer_view["node"]["funnel"]["completed"],
        json!({ "women": 0, "men": 0, "other": 0, "total": 0, "suppressed": true,
            "shown": { "women": 0, "men": 0, "other": 0, "total": null } }),
        "the employer's one sharing applicant is a small total"
    );
    app.stop().await;
}

/// The steering group's picture: valid SVG with a women's and a men's bar per track,
/// municipality and funnel stage, the target line, Swedish labels; and the printable
/// page with the tables and the chart — same access as the CSV, titles escaped.
#[tokio::test]
async fn the_report_draws_a_chart_and_a_printable_page() {
    use jobtrack_entity::job_track;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = known_mix(&app, &world, 5).await;
    job_track::Entity::update_many()
        .col_expr(
            job_track::Column::Title,
            Expr::value("Svets <script>x</script> & co"),
        )
        .filter(job_track::Column::Id.eq(track))
        .exec(app.db())
        .await
        .expect("the title changes");
    let today = swedish_today();
    let url = |kind: &str| {
        format!(
            "{}/reports/completion.{kind}?agreementId={}&from={}&to={}",
            app.base,
            global_id("Agreement", world.fyrbodal),
            today - Duration::days(1),
            today
        )
    };
    let coordinator = app.login(COORDINATOR).await;
    let get = async |kind: &str, token: Option<&str>| {
        let mut request = app.client.get(url(kind));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            status,
            content_type,
            response.text().await.unwrap_or_default(),
        )
    };
    let (status, content_type, svg) = get("svg", Some(&coordinator)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "image/svg+xml; charset=utf-8")
    );
    let document = roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    let texts: Vec<String> = document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect();
    for label in [
        "Fullföljandegrad per jobbspår",
        "Fullföljandegrad per kommun",
        "Kvinnor",
        "Män",
        "Mål 90 %",
        "Nominerade",
        "Påbörjade",
        "Trollhättan",
        "Svets <script>x</script> & co",
    ] {
        assert!(texts.iter().any(|t| t == label), "{label} in {texts:?}");
    }
    let filled = |color: &str| {
        document
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(color))
            .count()
    };
    // A bar per track (1), municipality (1) and funnel stage (6), plus three legend keys.
    assert_eq!(filled("#1B6CA8"), 8 + 3, "women");
    assert_eq!(filled("#E07B24"), 8 + 3, "men");
    let target_lines = document
        .descendants()
        .filter(|n| n.attribute("stroke") == Some("#C0392B"))
        .count();
    assert!(
        target_lines >= 2,
        "a dashed target line in both rate panels"
    );

    let (status, content_type, page) = get("html", Some(&coordinator)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert!(page.contains("<svg"), "the chart is on the page");
    assert!(page.contains("Svets &lt;script&gt;x&lt;/script&gt; &amp; co"));
    assert!(!page.contains("<script>"), "nothing a user typed runs");
    assert!(
        page.contains("<td>Trollhättan</td><td>15</td><td>10</td><td>30</td><td>10</td><td>5</td><td>20</td><td>5</td><td>80,0 %</td>"),
        "{page}"
    );
    assert!(page.contains("@page"), "printable");

    assert_eq!(get("svg", None).await.0, 401);
    let employer = app.login(EMPLOYER).await;
    assert_eq!(get("svg", Some(&employer)).await.0, 403);
    assert_eq!(get("html", Some(&employer)).await.0, 403);
    app.stop().await;
}
