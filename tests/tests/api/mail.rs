//! Email through a real SMTP server on loopback: every notification arrives once, with
//! the right recipient and content, also when the mail server was down for a while.

use std::time::Duration;

use jobtrack_api::domain::outbox;
use jobtrack_api::domain::values::Gender;
use jobtrack_tests::fixtures::{
    self, ADMIN, CASEWORKER, COORDINATOR, SECTION_MANAGER, Stage, WORKING_GROUP, test_email,
};
use jobtrack_tests::smtp::{SmtpServer, free_port};
use jobtrack_tests::{
    TestApp, assert_bad_input, assert_conflict, assert_error, fresh_database, global_id, id_of,
    test_config,
};
use serde_json::json;

async fn app_with_smtp(url: &str, database_url: &str) -> TestApp {
    let mut config = test_config(database_url);
    config.smtp_url = Some(url.to_owned());
    config.mail_poll = Duration::from_millis(50);
    config.mail_retry_base = Duration::from_millis(100);
    TestApp::spawn_with(config).await
}

const INVITE: &str = "mutation($input: InviteUserInput!) { inviteUser(input: $input) { user { id email active roles } } }";
const ACCEPT: &str = "mutation($t: String!, $p: String!) { acceptInvitation(input: {token: $t, password: $p}) { accessToken user { email active } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_arrives_and_its_link_works_once() {
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let app = app_with_smtp(&smtp.url(), database.url()).await;
    let world = fixtures::world(&app).await;
    let coordinator = app.login(COORDINATOR).await;
    let input = json!({ "email": "Ny.Handlaggare@Example.com", "name": "Ny Handläggare", "roles": ["CASEWORKER"],
        "organizationId": global_id("Organization", world.trollhattan), "municipalityCodes": ["1488"] });
    let data = app
        .ok(Some(&coordinator), INVITE, json!({ "input": input }))
        .await;
    assert_eq!(data["inviteUser"]["user"]["active"], false);
    assert_conflict(
        &app.gql(Some(&coordinator), INVITE, json!({ "input": input }))
            .await,
        "a user with this email already exists",
    );
    let mut admin_input = input.clone();
    admin_input["email"] = json!("admin2@example.com");
    admin_input["roles"] = json!(["ADMIN"]);
    assert_error(
        &app.gql(Some(&coordinator), INVITE, json!({ "input": admin_input }))
            .await,
        "FORBIDDEN",
    );
    let mut other_org = input.clone();
    other_org["email"] = json!("other@example.com");
    other_org["organizationId"] = json!(global_id("Organization", world.af));
    assert_error(
        &app.gql(Some(&coordinator), INVITE, json!({ "input": other_org }))
            .await,
        "FORBIDDEN",
    );

    let mails = smtp.wait_for(1, 10).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["ny.handlaggare@example.com"]);
    assert!(
        mails[0].subject().contains("Välkommen till Jobtrack"),
        "{}",
        mails[0].subject()
    );
    let text = mails[0].text();
    let token = text
        .split("/invitation?token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_owned();
    assert!(
        text.contains("http://localhost:8080/invitation?token="),
        "{text}"
    );
    assert!(!token.is_empty());

    assert_bad_input(
        &app.gql(None, ACCEPT, json!({ "t": token, "p": "kort" }))
            .await,
        "password",
    );
    assert_bad_input(
        &app.gql(None, ACCEPT, json!({ "t": token, "p": "password123" }))
            .await,
        "password",
    );
    let data = app
        .ok(
            None,
            ACCEPT,
            json!({ "t": token, "p": "ett-långt-lösenord" }),
        )
        .await;
    assert_eq!(
        data["acceptInvitation"]["user"],
        json!({ "email": "ny.handlaggare@example.com", "active": true })
    );
    assert_bad_input(
        &app.gql(
            None,
            ACCEPT,
            json!({ "t": token, "p": "ett-annat-långt-lösenord" }),
        )
        .await,
        "token",
    );
    let login = app.gql(None, "mutation { login(input: {email: \"ny.handlaggare@example.com\", password: \"ett-långt-lösenord\"}) { accessToken } }", json!({})).await;
    assert!(login["data"]["login"]["accessToken"].is_string(), "{login}");
    app.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_admission_notification_reaches_its_reader() {
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let app = app_with_smtp(&smtp.url(), database.url()).await;
    let world = fixtures::world(&app).await;
    let adviser = app.login(fixtures::ADVISER).await;
    // An employer with a contact person who receives trial-placement notices.
    let created = app.ok(Some(&adviser), "mutation { createEmployer(input: {name: \"Trollhättans Plåt AB\", orgNumber: \"559876-5435\", municipalityCode: \"1488\",
        contactPersons: [{name: \"Per Plåt\", email: \"per@plat.example.com\"}]}) { employer { id } } }", json!({})).await;
    let _ = created;
    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let wg = app.login(WORKING_GROUP).await;
    let plat = app
        .ok(
            Some(&wg),
            "{ employers(search: \"plåt\") { edges { node { id } } } }",
            json!({}),
        )
        .await["employers"]["edges"][0]["node"]["id"]
        .clone();
    let version = app
        .ok(
            Some(&wg),
            "query($id: ID!) { node(id: $id) { ... on JobTrack { version } } }",
            json!({ "id": global_id("JobTrack", track) }),
        )
        .await["node"]["version"]
        .clone();
    app.ok(Some(&wg), "mutation($id: ID!, $v: Int!, $e: [ID!]) { updateJobTrack(input: {jobTrackId: $id, expectedVersion: $v, employerIds: $e}) { jobTrack { id } } }",
        json!({ "id": global_id("JobTrack", track), "v": version, "e": [global_id("Employer", world.welding), plat] })).await;

    let sharing = fixtures::candidate(&app, 1, Gender::Woman, true).await;
    let private = fixtures::candidate(&app, 2, Gender::Man, false).await;
    let caseworker = app.login(CASEWORKER).await;
    for candidate in [sharing, private] {
        let data = app.ok(Some(&caseworker), "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }",
            json!({ "t": global_id("JobTrack", track), "c": global_id("Candidate", candidate) })).await;
        let id = id_of(&data["nominateCandidate"]["application"]);
        app.ok(Some(&wg), "mutation($a: ID!) { inviteToInfoMeeting(input: {applicationId: $a, scheduledAt: \"2027-03-01T08:30:00Z\", location: \"Folkets hus, Trollhättan\"}) { application { id } } }", json!({ "a": id })).await;
        app.ok(Some(&caseworker), "mutation($a: ID!) { submitApplication(input: {applicationId: $a, motivation: \"Jag vill.\"}) { application { id } } }", json!({ "a": id })).await;
        let trial = app.gql(Some(&wg), "mutation($a: ID!, $e: ID!) { scheduleTrialPlacement(input: {applicationId: $a, employerId: $e, startsAt: \"2027-03-10T07:00:00Z\", endsAt: \"2027-03-14T15:00:00Z\"}) { application { id } } }",
            json!({ "a": id, "e": plat })).await;
        if candidate == private {
            // The employer would see the candidate: no trial placement, no notice.
            assert_error(&trial, "CONSENT_REQUIRED");
        } else {
            assert!(trial.get("errors").is_none(), "{trial}");
        }
        app.ok(Some(&wg), "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: REJECT, reason: \"Fler platser nästa kull\"}) { application { id } } }", json!({ "a": id })).await;
    }
    // 2 info meetings + 1 trial notice + 2 decisions.
    let mails = smtp.wait_for(5, 15).await;
    assert_eq!(mails.len(), 5, "{mails:#?}");
    let to = |addr: &str| {
        mails
            .iter()
            .filter(|m| m.to == [addr])
            .cloned()
            .collect::<Vec<_>>()
    };
    let invitation = to("kandidat1@example.com");
    assert_eq!(invitation.len(), 1);
    assert!(
        invitation[0].text().contains("Folkets hus, Trollhättan")
            && invitation[0].text().contains("1 mars 2027 kl. 09.30"),
        "08:30 UTC is half past nine in Sweden in March: {}",
        invitation[0].text()
    );
    let notices = to("per@plat.example.com");
    assert_eq!(notices.len(), 1);
    let texts: Vec<String> = notices
        .iter()
        .map(jobtrack_tests::smtp::Received::text)
        .collect();
    assert!(
        texts[0].contains("Förnamn1 Efternamn1"),
        "the sharing candidate is named: {texts:?}"
    );
    for text in &texts {
        assert!(
            text.contains("10 mars 2027 kl. 08.00") && text.contains("14 mars 2027 kl. 16.00"),
            "Swedish local time: {text}"
        );
        assert!(
            !text.contains("1990") && !text.contains("LONG_TERM"),
            "no personnummer or target groups: {text}"
        );
    }
    let decisions = to(CASEWORKER);
    assert_eq!(decisions.len(), 2);
    assert!(
        decisions
            .iter()
            .all(|m| m.text().contains("har inte blivit antagen")
                && m.text().contains("Fler platser nästa kull"))
    );
    app.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_escalation_reaches_the_section_managers_once() {
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let app = app_with_smtp(&smtp.url(), database.url()).await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 5).await;
    for n in 0..12 {
        let candidate = fixtures::candidate(&app, 100 + n, Gender::Other, false).await;
        fixtures::application_at(&app, &world, track, candidate, Stage::Applied).await;
    }
    app.outbox_settled(10).await;
    // The candidates' invitations to the information meeting, and one escalation.
    let mails: Vec<_> = smtp
        .received()
        .into_iter()
        .filter(|m| m.subject().contains("Många sökande") || m.to == [SECTION_MANAGER])
        .collect();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    assert_eq!(mails[0].to, [SECTION_MANAGER]);
    assert!(
        mails[0].text().contains("11 aktiva sökande"),
        "{}",
        mails[0].text()
    );
    app.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_written_while_the_mail_server_is_down_arrives_when_it_is_back() {
    let port = free_port().await;
    let database = fresh_database().await;
    let app = app_with_smtp(&format!("smtp://{port}"), database.url()).await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    for n in 0..3 {
        outbox::enqueue(app.db(), test_email(n))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // Wait until the worker has failed against the closed port for each of them.
    let query = "{ outbox(status: [PENDING, SENDING]) { totalCount edges { node { attempts lastError } } } }";
    let mut pending = app.ok(Some(&admin), query, json!({})).await;
    for _ in 0..500 {
        let tried = pending["outbox"]["edges"]
            .as_array()
            .is_some_and(|e| e.iter().all(|n| n["node"]["lastError"].is_string()));
        if tried {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        pending = app.ok(Some(&admin), query, json!({})).await;
    }
    assert_eq!(pending["outbox"]["totalCount"], 3);
    assert!(pending["outbox"]["edges"][0]["node"]["lastError"].is_string());
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .expect("the response body reads");
    assert!(ready.contains("emails_pending 3"), "{ready}");

    let smtp = SmtpServer::start_on(port).await;
    let mails = smtp.wait_for(3, 20).await;
    assert_eq!(mails.len(), 3);
    app.outbox_settled(10).await;
    assert_eq!(smtp.received().len(), 3, "each exactly once");
    let sent = app
        .ok(
            Some(&admin),
            "{ outbox(status: [SENT]) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(sent["outbox"]["totalCount"], 3);
    app.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_send_each_email_exactly_once() {
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let database_url = database.url().to_owned();
    let first = app_with_smtp(&smtp.url(), &database_url).await;
    let second = app_with_smtp(&smtp.url(), &database_url).await;
    let count = 60;
    for n in 0..count {
        let app = if n % 2 == 0 { &first } else { &second };
        outbox::enqueue(app.db(), test_email(n))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    smtp.wait_for(count, 30).await;
    first.outbox_settled(10).await;
    let mails = smtp.received();
    let mut recipients: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    let total = recipients.len();
    recipients.dedup();
    assert_eq!(
        (total, recipients.len()),
        (count, count),
        "every email once, none twice"
    );
    first.stop().await;
    second.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_that_rolls_back_sends_nothing() {
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let app = app_with_smtp(&smtp.url(), database.url()).await;
    let tx = app
        .db()
        .begin_write()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    outbox::enqueue(&tx, test_email(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.rollback().await.unwrap_or_else(|e| panic!("{e}"));
    let tx = app
        .db()
        .begin_write()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    outbox::enqueue(&tx, test_email(2))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{e}"));
    app.outbox_settled(10).await;
    let mails = smtp.received();
    assert_eq!(
        mails.iter().map(|m| m.to.clone()).collect::<Vec<_>>(),
        [vec!["mottagare2@example.com".to_owned()]]
    );
    app.stop().await;
    smtp.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_outage_loses_no_email_and_only_a_rejection_fails_one() {
    let port = free_port().await;
    let database = fresh_database().await;
    let mut config = test_config(database.url());
    config.smtp_url = Some(format!("smtp://{port}"));
    config.mail_poll = Duration::from_millis(20);
    config.mail_retry_base = Duration::from_millis(5);
    // Short waits, so that the outage outlasts many times the old schedule of 12 tries.
    config.mail_retry_max = Duration::from_millis(20);
    let app = TestApp::spawn_with(config).await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    for n in 0..5 {
        outbox::enqueue(app.db(), test_email(n))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    outbox::enqueue(app.db(), test_email(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut rejected = test_email(9);
    rejected.recipient = format!("{}@example.com", jobtrack_tests::smtp::REJECTED_PREFIX);
    outbox::enqueue(app.db(), rejected)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // The mail server is down: every email is tried again and again, none fails.
    let pending = "{ outbox(status: [PENDING, SENDING, FAILED]) { totalCount edges { node { id status attempts lastError } } } }";
    let mut tries = 0;
    for _ in 0..500 {
        let data = app.ok(Some(&admin), pending, json!({})).await;
        let nodes = data["outbox"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            nodes.iter().all(|n| n["node"]["status"] != "FAILED"),
            "{data}"
        );
        tries = nodes
            .iter()
            .filter_map(|n| n["node"]["attempts"].as_i64())
            .min()
            .unwrap_or(0);
        if tries > 20 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        tries > 20,
        "every email was tried more than 20 times: {tries}"
    );
    // ADMIN may give up on a waiting email; nobody else may.
    let waiting = app
        .ok(
            Some(&admin),
            "{ outbox(status: [PENDING, SENDING]) { edges { node { id recipient } } } }",
            json!({}),
        )
        .await;
    let cancelled_id = waiting["outbox"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["node"]["recipient"] == "mottagare5@example.com")
        .map_or_else(|| panic!("{waiting}"), |e| e["node"]["id"].clone());
    let cancel =
        "mutation($id: ID!) { cancelEmail(input: {emailId: $id}) { email { status lastError } } }";
    let caseworker = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(Some(&caseworker), cancel, json!({ "id": cancelled_id }))
            .await,
        "FORBIDDEN",
    );
    let mut gave_up = json!(null);
    for _ in 0..50 {
        // A row being sent right now cannot be cancelled; the next moment it can.
        gave_up = app
            .gql(Some(&admin), cancel, json!({ "id": cancelled_id }))
            .await;
        if gave_up.get("errors").is_none() {
            break;
        }
        assert_error(&gave_up, "INVALID_STATE");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        gave_up["data"]["cancelEmail"]["email"],
        json!({ "status": "FAILED", "lastError": "cancelled by an administrator" })
    );
    let ready = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .expect("the response body reads");
    assert!(
        ready.contains("emails_pending 6"),
        "the cancelled one no longer waits: {ready}"
    );
    assert!(ready.contains("emails_oldest_pending_seconds"), "{ready}");

    // Back up: each arrives exactly once; the unknown mailbox fails for good, with the
    // server's reason.
    let smtp = SmtpServer::start_on(port).await;
    let mails = smtp.wait_for(5, 20).await;
    let mut recipients: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    let expected: Vec<String> = (0..5)
        .map(|n| format!("mottagare{n}@example.com"))
        .collect();
    assert_eq!(recipients, expected);
    let failed_query = "{ outbox(status: [FAILED]) { totalCount edges { node { id attempts lastError recipient } } } }";
    let mut failed = json!(null);
    for _ in 0..200 {
        failed = app.ok(Some(&admin), failed_query, json!({})).await;
        if failed["outbox"]["totalCount"] == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let nodes = failed["outbox"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let email = nodes
        .iter()
        .map(|e| e["node"].clone())
        .find(|n| n["lastError"].as_str().is_some_and(|e| e.contains("550")))
        .unwrap_or_else(|| panic!("the unknown mailbox failed with the server's reason: {failed}"));
    app.outbox_settled(10).await;
    assert_eq!(
        smtp.received().len(),
        5,
        "nothing arrives twice, nothing cancelled arrives"
    );

    let retry =
        "mutation($id: ID!) { retryEmail(input: {emailId: $id}) { email { status attempts } } }";
    assert_error(
        &app.gql(Some(&caseworker), retry, json!({ "id": email["id"] }))
            .await,
        "FORBIDDEN",
    );
    assert_error(
        &app.gql(Some(&caseworker), failed_query, json!({})).await,
        "FORBIDDEN",
    );
    let data = app
        .ok(Some(&admin), retry, json!({ "id": email["id"] }))
        .await;
    assert_eq!(
        data["retryEmail"]["email"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    let sent = "{ outbox(status: [SENT]) { edges { node { id } } } }";
    let sent = app.ok(Some(&admin), sent, json!({})).await;
    assert_error(
        &app.gql(
            Some(&admin),
            retry,
            json!({ "id": sent["outbox"]["edges"][0]["node"]["id"] }),
        )
        .await,
        "INVALID_STATE",
    );
    app.stop().await;
    smtp.stop();
}
