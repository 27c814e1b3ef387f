//! Candidates: personnummer rules, scope by role, consent, audit and erasure.

use jobtrack_api::domain::values::Gender;
use jobtrack_tests::fixtures::{
    self, ADMIN, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, WORKING_GROUP,
    personnummer,
};
use jobtrack_tests::{TestApp, assert_bad_input, assert_conflict, assert_error, global_id, id_of};
use serde_json::{Value, json};

const REGISTER: &str = "mutation($input: RegisterCandidateInput!) { registerCandidate(input: $input) { candidate {
    id firstName lastName personalIdentityNumber birthYear gender municipality { code } targetGroups caseworker { email } } } }";

fn input(pin: &str) -> Value {
    json!({ "firstName": "Amina", "lastName": "Hassan", "personalIdentityNumber": pin, "gender": "WOMAN",
        "municipalityCode": "1488", "email": "amina@example.com", "educationLevel": "COMPULSORY_OR_LESS",
        "swedishLevel": "SFI_C", "drivingLicence": false, "programme": "ESTABLISHMENT",
        "targetGroups": ["NEW_ARRIVAL", "SOCIAL_ASSISTANCE"] })
}

#[tokio::test]
async fn caseworkers_register_candidates_with_checked_personnummer() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let caseworker = app.login(CASEWORKER).await;
    let pin = personnummer(100);
    let data = app
        .ok(Some(&caseworker), REGISTER, json!({ "input": input(&pin) }))
        .await;
    let candidate = &data["registerCandidate"]["candidate"];
    assert_eq!(
        candidate["personalIdentityNumber"],
        format!("{}-****", &pin[..8]),
        "masked by default"
    );
    assert_eq!(candidate["birthYear"], 1990);
    assert_eq!(candidate["gender"], "WOMAN");
    assert_eq!(candidate["caseworker"]["email"], CASEWORKER);
    let id = id_of(candidate);
    let full = app.ok(Some(&caseworker), "query($id: ID!) { node(id: $id) { ... on Candidate { personalIdentityNumber(includeFull: true) } } }", json!({ "id": id })).await;
    assert_eq!(full["node"]["personalIdentityNumber"], pin);

    // The same person in another form is the same person.
    let ten_digit = format!("{}{}", &pin[2..8], &pin[8..]);
    assert_conflict(
        &app.gql(
            Some(&caseworker),
            REGISTER,
            json!({ "input": input(&ten_digit) }),
        )
        .await,
        "a candidate with this personnummer already exists",
    );
    for bad in ["19900101-0000", "19900230-1234", "abc", "900101-12345"] {
        assert_bad_input(
            &app.gql(Some(&caseworker), REGISTER, json!({ "input": input(bad) }))
                .await,
            "personalIdentityNumber",
        );
    }
    let mut elsewhere = input(&personnummer(101));
    elsewhere["municipalityCode"] = json!("1460");
    assert_bad_input(
        &app.gql(Some(&caseworker), REGISTER, json!({ "input": elsewhere }))
            .await,
        "municipalityCode",
    );
    for email in [WORKING_GROUP, EMPLOYER] {
        let token = app.login(email).await;
        assert_error(
            &app.gql(
                Some(&token),
                REGISTER,
                json!({ "input": input(&personnummer(102)) }),
            )
            .await,
            "FORBIDDEN",
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn candidates_are_seen_by_their_municipalities_and_the_working_group_only_with_consent() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let candidate = fixtures::candidate(&app, 1, Gender::Man, false).await;
    let node = "query($id: ID!) { node(id: $id) { ... on Candidate { firstName } } }";
    let id = global_id("Candidate", candidate);
    let seen = |data: &Value| data["node"]["firstName"] == "Förnamn1";
    assert!(seen(
        &app.ok(
            Some(&app.login(CASEWORKER).await),
            node,
            json!({ "id": id })
        )
        .await
    ));
    assert!(seen(
        &app.ok(
            Some(&app.login(COORDINATOR).await),
            node,
            json!({ "id": id })
        )
        .await
    ));
    assert!(!seen(
        &app.ok(
            Some(&app.login(DALSLAND_CASEWORKER).await),
            node,
            json!({ "id": id })
        )
        .await
    ));
    let wg = app.login(WORKING_GROUP).await;
    assert!(
        !seen(&app.ok(Some(&wg), node, json!({ "id": id })).await),
        "no application yet"
    );
    let listed = app
        .ok(Some(&wg), "{ candidates { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["candidates"]["totalCount"], 0);

    let track = fixtures::recruiting_track(&app, &world, 3).await;
    let caseworker = app.login(CASEWORKER).await;
    app.ok(Some(&caseworker), "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }",
        json!({ "t": global_id("JobTrack", track), "c": id })).await;
    assert!(
        seen(&app.ok(Some(&wg), node, json!({ "id": id })).await),
        "applied with consent"
    );
    app.ok(Some(&caseworker), "mutation($c: ID!) { withdrawConsent(input: {candidateId: $c, scope: COLLABORATION}) { candidate { id } } }", json!({ "c": id })).await;
    assert!(
        !seen(&app.ok(Some(&wg), node, json!({ "id": id })).await),
        "withdrawn consent hides the candidate"
    );
    let apps = app.ok(Some(&wg), "query($id: ID!) { node(id: $id) { ... on JobTrack { applications { totalCount } activeApplicationCount } } }",
        json!({ "id": global_id("JobTrack", track) })).await;
    assert_eq!(
        apps["node"]["applications"]["totalCount"], 0,
        "and its application"
    );
    assert_eq!(
        apps["node"]["activeApplicationCount"], 0,
        "the open application was withdrawn with the consent"
    );
    app.stop().await;
}

#[tokio::test]
async fn consent_history_is_kept() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let caseworker = app.login(CASEWORKER).await;
    let data = app
        .ok(
            Some(&caseworker),
            REGISTER,
            json!({ "input": input(&personnummer(7)) }),
        )
        .await;
    let id = id_of(&data["registerCandidate"]["candidate"]);
    let record = "mutation($c: ID!) { recordConsent(input: {candidateId: $c, scope: COLLABORATION, method: VERBAL}) { consent { scope method recordedBy { email } withdrawnAt } } }";
    let withdraw = "mutation($c: ID!) { withdrawConsent(input: {candidateId: $c, scope: COLLABORATION}) { candidate { consents { scope withdrawnAt } } } }";
    let data = app.ok(Some(&caseworker), record, json!({ "c": id })).await;
    assert_eq!(
        data["recordConsent"]["consent"],
        json!({ "scope": "COLLABORATION", "method": "VERBAL", "recordedBy": { "email": CASEWORKER }, "withdrawnAt": null })
    );
    assert_error(
        &app.gql(Some(&caseworker), record, json!({ "c": id })).await,
        "CONFLICT",
    );
    let data = app
        .ok(Some(&caseworker), withdraw, json!({ "c": id }))
        .await;
    assert!(data["withdrawConsent"]["candidate"]["consents"][0]["withdrawnAt"].is_string());
    assert_error(
        &app.gql(Some(&caseworker), withdraw, json!({ "c": id }))
            .await,
        "INVALID_STATE",
    );
    app.ok(Some(&caseworker), record, json!({ "c": id })).await;
    let data = app
        .ok(
            Some(&caseworker),
            "query($id: ID!) { node(id: $id) { ... on Candidate { consents { withdrawnAt } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        data["node"]["consents"].as_array().map(Vec::len),
        Some(2),
        "history kept"
    );
    app.stop().await;
}

#[tokio::test]
async fn reads_and_changes_are_audited() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let caseworker = app.login(CASEWORKER).await;
    let data = app
        .ok(
            Some(&caseworker),
            REGISTER,
            json!({ "input": input(&personnummer(9)) }),
        )
        .await;
    let id = id_of(&data["registerCandidate"]["candidate"]);
    app.ok(Some(&caseworker), "query($id: ID!) { node(id: $id) { ... on Candidate { personalIdentityNumber(includeFull: true) } } }", json!({ "id": id })).await;
    app.ok(Some(&caseworker), "mutation($c: ID!) { updateCandidate(input: {candidateId: $c, swedishLevel: SFI_D}) { candidate { swedishLevel } } }", json!({ "c": id })).await;
    let coordinator = app.login(COORDINATOR).await;
    let query = "query($c: ID) { auditEvents(candidateId: $c) { totalCount edges { node { action actor { email } candidateId detail } } } }";
    let events = app.ok(Some(&coordinator), query, json!({ "c": id })).await;
    let actions: Vec<String> = events["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["node"]["actor"]["email"] == CASEWORKER)
        .filter_map(|e| e["node"]["action"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        actions,
        [
            "candidate.read",
            "candidate.update",
            "candidate.read",
            "candidate.read",
            "candidate.register"
        ],
        "newest first"
    );
    let full_read = events["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| {
            e["node"]["detail"]
                .as_str()
                .is_some_and(|d| d.contains("personalIdentityNumber.full"))
        });
    assert!(full_read, "reading the full personnummer is logged as such");
    assert_error(
        &app.gql(Some(&caseworker), query, json!({ "c": id })).await,
        "FORBIDDEN",
    );
    let admin = app.login(ADMIN).await;
    app.ok(Some(&admin), query, json!({})).await;
    app.stop().await;
}

#[tokio::test]
async fn erasure_anonymises_and_keeps_statistics() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let candidate = fixtures::candidate(&app, 3, Gender::Woman, true).await;
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    fixtures::passed_trial(&app, &world, track, candidate).await;
    let id = global_id("Candidate", candidate);
    let erase = "mutation($c: ID!) { eraseCandidate(input: {candidateId: $c}) { candidate { firstName lastName email personalIdentityNumber gender birthYear targetGroups erasedAt
        applications { status motivation nominationNote } } } }";
    let caseworker = app.login(CASEWORKER).await;
    assert_error(
        &app.gql(Some(&caseworker), erase, json!({ "c": id })).await,
        "FORBIDDEN",
    );
    let coordinator = app.login(COORDINATOR).await;
    let data = app.ok(Some(&coordinator), erase, json!({ "c": id })).await;
    let erased = &data["eraseCandidate"]["candidate"];
    assert_eq!(erased["firstName"], "Raderad");
    assert_eq!(erased["email"], Value::Null);
    assert_eq!(erased["personalIdentityNumber"], "1990****-****");
    assert_eq!(erased["gender"], "WOMAN");
    assert_eq!(erased["birthYear"], 1990);
    assert_eq!(erased["targetGroups"], json!(["LONG_TERM_UNEMPLOYED"]));
    assert!(erased["erasedAt"].is_string());
    assert_eq!(
        erased["applications"],
        json!([{ "status": "IN_TRIAL", "motivation": null, "nominationNote": null }])
    );
    let again = app.gql(Some(&coordinator), "mutation($c: ID!) { updateCandidate(input: {candidateId: $c, phone: \"070\"}) { candidate { id } } }", json!({ "c": id })).await;
    assert_error(&again, "INVALID_STATE");
    // The name is no longer searchable.
    let search = app
        .ok(
            Some(&coordinator),
            "{ candidates(filter: {search: \"förnamn3\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(search["candidates"]["totalCount"], 0);
    app.stop().await;
}

#[tokio::test]
async fn candidates_are_filtered() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let a = fixtures::candidate(&app, 11, Gender::Woman, false).await;
    fixtures::candidate(&app, 12, Gender::Man, false).await;
    let track = fixtures::recruiting_track(&app, &world, 2).await;
    let caseworker = fixtures::actor(&app, CASEWORKER).await;
    jobtrack_api::domain::admission::nominate(app.db(), &caseworker, track, a, None, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let token = app.login(CASEWORKER).await;
    let query = "query($f: CandidateFilter) { candidates(filter: $f) { totalCount edges { node { firstName } } } }";
    let names = |data: &Value| -> Vec<String> {
        data["candidates"]["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["node"]["firstName"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        names(
            &app.ok(
                Some(&token),
                query,
                json!({ "f": { "search": "FÖRNAMN12" } })
            )
            .await
        ),
        ["Förnamn12"]
    );
    assert_eq!(
        names(
            &app.ok(Some(&token), query, json!({ "f": { "available": true } }))
                .await
        ),
        ["Förnamn12"]
    );
    assert_eq!(
        names(
            &app.ok(Some(&token), query, json!({ "f": { "available": false } }))
                .await
        ),
        ["Förnamn11"]
    );
    assert_eq!(app.ok(Some(&token), query, json!({ "f": { "targetGroup": "LONG_TERM_UNEMPLOYED", "programme": "JOB", "municipalityCode": "1488" } })).await["candidates"]["totalCount"], 2);
    assert_eq!(
        app.ok(
            Some(&token),
            query,
            json!({ "f": { "targetGroup": "DISABILITY" } })
        )
        .await["candidates"]["totalCount"],
        0
    );
    app.stop().await;
}
