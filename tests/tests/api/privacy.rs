//! Privacy by construction, tried from outside: the "Who may do what" table of DOMAIN.md
//! sent as real GraphQL requests for every role in and out of scope, and a read matrix
//! of what comes back non-null for an employer user and for staff.

use std::collections::BTreeSet;

use jobtrack_api::domain::admission::{self, Decision};
use jobtrack_api::domain::candidates;
use jobtrack_api::domain::tracks::{self, NewTrack};
use jobtrack_api::domain::values::{
    AdmissionStepKind, ConsentScope, Gender, JobTrackStatus, StepResult,
};
use jobtrack_tests::fixtures::{
    self, ADMIN, ADVISER, CASEWORKER, COORDINATOR, DALSLAND_CASEWORKER, EMPLOYER, OTHER_EMPLOYER,
    SECTION_MANAGER, Stage, WORKING_GROUP, World,
};
use jobtrack_tests::{TestApp, error_code, global_id};
use serde_json::{Value, json};

/// The columns of the matrix.
const ACTORS: [&str; 9] = [
    ADMIN,
    COORDINATOR,
    WORKING_GROUP,
    CASEWORKER,
    DALSLAND_CASEWORKER,
    ADVISER,
    SECTION_MANAGER,
    EMPLOYER,
    OTHER_EMPLOYER,
];

/// What a row acts on; made fresh for every cell, so one actor's success never changes
/// what the next one meets.
#[derive(Clone, Copy)]
enum Target {
    Nothing,
    /// A Trollhättan candidate consenting to collaboration and employer sharing.
    Candidate,
    /// That candidate nominated to the row's welding track.
    Nominated,
    /// … invited to the information meeting.
    Invited,
    /// … applied, with a trial placement at the welding firm scheduled.
    TrialScheduled,
    /// … with the trial placement passed.
    TrialPassed,
    /// An applied candidate who does not share with employers.
    AppliedNotSharing,
    /// A candidate with an application whose COLLABORATION consent was withdrawn.
    ConsentWithdrawn,
}

struct Cell<'a> {
    n: u32,
    target: i64,
    world: &'a World,
    track: i64,
}

impl Cell<'_> {
    fn id(&self, type_name: &str) -> String {
        global_id(type_name, self.target)
    }
}

struct Row {
    operation: &'static str,
    /// One letter per actor, in the order of ACTORS: A allowed, F FORBIDDEN,
    /// N NOT_FOUND or null, B BAD_USER_INPUT (the id or code is outside the actor's scope).
    expect: &'static str,
    target: Target,
    query: &'static str,
    variables: fn(&Cell) -> Value,
}

fn rows() -> Vec<Row> {
    vec![
        //                                        ADM COO WG CW CWd ADV SM EMP EMPo
        Row {
            operation: "createOrganization",
            expect: "A F F F F F F F F",
            target: Target::Nothing,
            query: "mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }",
            variables: |c| json!({ "i": { "name": format!("Org {}", c.n), "orgNumber": fixtures::org_number(c.n), "kind": "OTHER" } }),
        },
        Row {
            operation: "createAgreement",
            expect: "A F F F F F F F F",
            target: Target::Nothing,
            query: "mutation($i: CreateAgreementInput!) { createAgreement(input: $i) { agreement { id } } }",
            variables: |c| {
                json!({ "i": { "name": format!("Avtal {}", c.n), "partyIds": [global_id("Organization", c.world.trollhattan), global_id("Organization", c.world.af)],
                "municipalityCodes": ["1488"], "validFrom": "2026-01-01", "completionTargetPercent": 80, "escalationThreshold": 10 } })
            },
        },
        Row {
            operation: "inviteUser (own organisation)",
            expect: "A A F F F F F F F",
            target: Target::Nothing,
            query: "mutation($i: InviteUserInput!) { inviteUser(input: $i) { user { id } } }",
            variables: |c| {
                json!({ "i": { "email": format!("ny{}@example.com", c.n), "name": "Ny", "roles": ["CASEWORKER"],
                "organizationId": global_id("Organization", c.world.trollhattan), "municipalityCodes": ["1488"] } })
            },
        },
        Row {
            operation: "inviteUser (another organisation)",
            expect: "A F F F F F F F F",
            target: Target::Nothing,
            query: "mutation($i: InviteUserInput!) { inviteUser(input: $i) { user { id } } }",
            variables: |c| {
                json!({ "i": { "email": format!("annan{}@example.com", c.n), "name": "Annan", "roles": ["CASEWORKER"],
                "organizationId": global_id("Organization", c.world.af), "municipalityCodes": ["1488"] } })
            },
        },
        Row {
            operation: "createEmployer",
            expect: "A A A F F A F F F",
            target: Target::Nothing,
            query: "mutation($i: CreateEmployerInput!) { createEmployer(input: $i) { employer { id } } }",
            variables: |c| json!({ "i": { "name": format!("Firma {}", c.n), "orgNumber": fixtures::org_number(c.n), "municipalityCode": "1488" } }),
        },
        Row {
            operation: "postCompetenceNeed (for the welding firm)",
            expect: "A A A F F A F A F",
            target: Target::Nothing,
            query: "mutation($i: PostCompetenceNeedInput!) { postCompetenceNeed(input: $i) { competenceNeed { id } } }",
            variables: |c| json!({ "i": { "employerId": global_id("Employer", c.world.welding), "ssykCode": "7212", "title": "Svetsare", "positions": 2 } }),
        },
        Row {
            operation: "createJobTrack",
            expect: "A A A F F F F F F",
            target: Target::Nothing,
            query: "mutation($i: CreateJobTrackInput!) { createJobTrack(input: $i) { jobTrack { id } } }",
            variables: |c| {
                json!({ "i": { "title": "Svetsare", "ssykCode": "7212", "agreementId": global_id("Agreement", c.world.fyrbodal),
                "municipalityCodes": ["1488"], "employerIds": [global_id("Employer", c.world.welding)], "seats": 4 } })
            },
        },
        Row {
            operation: "registerCandidate (Trollhättan)",
            expect: "A A F A B F F F F",
            target: Target::Nothing,
            query: "mutation($i: RegisterCandidateInput!) { registerCandidate(input: $i) { candidate { id } } }",
            variables: |c| {
                json!({ "i": { "firstName": "Ny", "lastName": "Person", "personalIdentityNumber": fixtures::personnummer(c.n),
                "gender": "WOMAN", "municipalityCode": "1488", "educationLevel": "UPPER_SECONDARY", "swedishLevel": "SFI_D",
                "drivingLicence": false, "programme": "JOB", "targetGroups": [] } })
            },
        },
        Row {
            operation: "eraseCandidate",
            expect: "A A F F F F F F F",
            target: Target::Candidate,
            query: "mutation($c: ID!) { eraseCandidate(input: {candidateId: $c}) { candidate { id } } }",
            variables: |c| json!({ "c": c.id("Candidate") }),
        },
        Row {
            operation: "nominateCandidate",
            expect: "A A F A N F F F F",
            target: Target::Candidate,
            query: "mutation($t: ID!, $c: ID!) { nominateCandidate(input: {jobTrackId: $t, candidateId: $c}) { application { id } } }",
            variables: |c| json!({ "t": global_id("JobTrack", c.track), "c": c.id("Candidate") }),
        },
        Row {
            operation: "inviteToInfoMeeting",
            expect: "A A A F N N N N N",
            target: Target::Nominated,
            query: "mutation($a: ID!) { inviteToInfoMeeting(input: {applicationId: $a, scheduledAt: \"2030-01-10T10:00:00+01:00\", location: \"Kunskapsförbundet\"}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "submitApplication",
            expect: "A A A A N N N N N",
            target: Target::Invited,
            query: "mutation($a: ID!) { submitApplication(input: {applicationId: $a, motivation: \"Jag vill.\"}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "withdrawApplication",
            expect: "A A A A N N N N N",
            target: Target::Nominated,
            query: "mutation($a: ID!) { withdrawApplication(input: {applicationId: $a}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "recordStepResult (TRIAL_PLACEMENT)",
            expect: "A A A F N N N A N",
            target: Target::TrialScheduled,
            query: "mutation($a: ID!) { recordStepResult(input: {applicationId: $a, kind: TRIAL_PLACEMENT, result: PASSED}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "recordStepResult (INFO_MEETING)",
            expect: "A A A F N N N N N",
            target: Target::Invited,
            query: "mutation($a: ID!) { recordStepResult(input: {applicationId: $a, kind: INFO_MEETING, result: ATTENDED}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "decideApplication",
            expect: "A A A F N N N F N",
            target: Target::TrialPassed,
            query: "mutation($a: ID!) { decideApplication(input: {applicationId: $a, decision: REJECT, reason: \"Skäl\"}) { application { id } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "logEmployerContact (welding firm)",
            expect: "B A A A N A F F F",
            target: Target::Nothing,
            query: "mutation($i: LogEmployerContactInput!) { logEmployerContact(input: $i) { contact { id } } }",
            variables: |c| {
                json!({ "i": { "employerId": global_id("Employer", c.world.welding), "occurredAt": "2026-11-20T10:00:00+01:00",
                "channel": "PHONE", "purpose": "FOLLOW_UP", "summary": "Samtal" } })
            },
        },
        Row {
            operation: "read employer contacts",
            expect: "A A A A N A A F N",
            target: Target::Nothing,
            query: "query($e: ID!) { node(id: $e) { ... on Employer { contacts { totalCount } } } }",
            variables: |c| json!({ "e": global_id("Employer", c.world.welding) }),
        },
        Row {
            operation: "read candidates (applied, consenting)",
            expect: "A A A A N N N N N",
            target: Target::Nominated,
            query: "query($a: ID!) { node(id: $a) { ... on Application { candidate { firstName } } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "read candidates (COLLABORATION consent withdrawn)",
            expect: "A A N A N N N N N",
            target: Target::ConsentWithdrawn,
            query: "query($c: ID!) { node(id: $c) { ... on Candidate { firstName } } }",
            variables: |c| json!({ "c": c.id("Candidate") }),
        },
        Row {
            operation: "read the full personnummer",
            expect: "A A F A N N N N N",
            target: Target::Nominated,
            query: "query($a: ID!) { node(id: $a) { ... on Application { candidate { personalIdentityNumber(includeFull: true) } } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "completionReport",
            expect: "A A A F F F A F F",
            target: Target::Nothing,
            query: "query($g: ID!) { completionReport(agreementId: $g, from: \"2026-01-01\", to: \"2026-12-31\") { started { total } } }",
            variables: |c| json!({ "g": global_id("Agreement", c.world.fyrbodal) }),
        },
        Row {
            operation: "EMPLOYER reads an application (applied, sharing)",
            expect: "A A A A N N N A N",
            target: Target::TrialScheduled,
            query: "query($a: ID!) { node(id: $a) { ... on Application { status } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
        Row {
            operation: "EMPLOYER reads an application (applied, not sharing)",
            expect: "A A A A N N N N N",
            target: Target::AppliedNotSharing,
            query: "query($a: ID!) { node(id: $a) { ... on Application { status } } }",
            variables: |c| json!({ "a": c.id("Application") }),
        },
    ]
}

/// The letter for a response: the first error's code, or whether the first field of
/// `data` (followed down through single-key objects) holds anything.
fn outcome(response: &Value) -> char {
    if response.get("errors").is_some() {
        return match error_code(response) {
            "FORBIDDEN" => 'F',
            "NOT_FOUND" => 'N',
            "BAD_USER_INPUT" => 'B',
            _ => '?',
        };
    }
    let mut value = &response["data"];
    while let Some(object) = value.as_object() {
        match object.values().next() {
            Some(inner) if object.len() == 1 => value = inner,
            _ => break,
        }
    }
    match value {
        Value::Null => 'N',
        Value::Object(o) if o.is_empty() => 'N',
        _ => 'A',
    }
}

async fn make(app: &TestApp, world: &World, track: i64, target: Target, n: u32) -> i64 {
    let shares = !matches!(target, Target::AppliedNotSharing);
    let candidate = match target {
        Target::Nothing => return 0,
        _ => fixtures::candidate(app, n, Gender::Woman, shares).await,
    };
    let stage = match target {
        Target::Nothing | Target::Candidate => return candidate,
        Target::ConsentWithdrawn => {
            fixtures::application_at(app, world, track, candidate, Stage::Nominated).await;
            let caseworker = fixtures::actor(app, CASEWORKER).await;
            candidates::withdraw_consent(
                app.db(),
                &caseworker,
                candidate,
                ConsentScope::Collaboration,
            )
            .await
            .unwrap_or_else(|e| panic!("withdraw: {e}"));
            return candidate;
        }
        Target::Nominated => Stage::Nominated,
        Target::Invited => Stage::Invited,
        Target::AppliedNotSharing => Stage::Applied,
        Target::TrialScheduled => Stage::TrialScheduled,
        Target::TrialPassed => Stage::TrialPassed,
    };
    fixtures::application_at(app, world, track, candidate, stage).await
}

#[tokio::test]
async fn the_policy_table_holds_for_every_role_in_and_out_of_scope() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    // Plenty of seats; escalation is not what this test is about.
    let track = fixtures::recruiting_track(&app, &world, 500).await;
    let mut tokens = Vec::new();
    for actor in ACTORS {
        tokens.push(app.login(actor).await);
    }
    let mut n = 1000;
    let mut wrong = Vec::new();
    for row in rows() {
        let expected: Vec<char> = row
            .expect
            .split(' ')
            .filter_map(|s| s.chars().next())
            .collect();
        assert_eq!(expected.len(), ACTORS.len(), "{}", row.operation);
        // The nine cells of a row run at once: each on its own target.
        let cells = tokens.iter().zip(&expected).map(|(token, want)| {
            n += 1;
            let (n, row, world, app) = (n, &row, &world, &app);
            async move {
                let target = make(app, world, track, row.target, n).await;
                let cell = Cell {
                    n,
                    target,
                    world,
                    track,
                };
                let response = app
                    .gql(Some(token), row.query, (row.variables)(&cell))
                    .await;
                (outcome(&response), *want, response)
            }
        });
        let mut got = String::new();
        for (letter, want, response) in futures::future::join_all(cells).await {
            if letter != want || letter == '?' {
                wrong.push(format!("{}: {response}", row.operation));
            }
            got.push(letter);
            got.push(' ');
        }
        if got.trim_end() != row.expect {
            wrong.push(format!(
                "{:<55} expected {}  got {}",
                row.operation,
                row.expect,
                got.trim_end()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the policy table does not hold (ADM COO WG CW CWd ADV SM EMP EMPo):\n{}",
        wrong.join("\n")
    );
    app.stop().await;
}

/// Every path (array indices dropped) under which `value` holds a non-null, non-empty
/// value.
fn non_null_paths(value: &Value, path: &str, into: &mut BTreeSet<String>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                non_null_paths(item, path, into);
            }
        }
        Value::Object(fields) => {
            for (key, inner) in fields {
                non_null_paths(inner, &format!("{path}.{key}"), into);
            }
        }
        Value::String(s) if s.is_empty() => {}
        _ => {
            into.insert(path.to_owned());
        }
    }
}

const TRACK_READ: &str = "{ jobTracks { edges { node {
    activeApplicationCount admittedCount funnel { inTrial { total women } rejected { total } }
    designTeam { name email organization { name } roles municipalities { code } employer { name } }
    applications { totalCount edges { node {
        status motivation nominationNote languageAssessment decisionReason
        candidate { firstName } applicant { firstName }
        nominatedBy { email } outcome { kind }
        steps { kind assessment assessedBy { email name roles municipalities { code } organization { name } } }
    } } }
} } } }";

/// The demo's leak, rebuilt: a rejected applicant whose DECISION step holds the working
/// group's reason, an applicant assessed by the employer itself, one who does not share
/// with employers, and a design team of staff.
async fn shortlist(app: &TestApp, world: &World) -> (i64, i64) {
    let db = app.db();
    let wg = fixtures::actor(app, WORKING_GROUP).await;
    let employer = fixtures::actor(app, EMPLOYER).await;
    let caseworker = fixtures::actor(app, CASEWORKER).await;
    let input = NewTrack {
        title: "Svetsare".into(),
        description: None,
        ssyk_code: "7212".into(),
        agreement_id: world.fyrbodal,
        municipality_codes: vec!["1488".into()],
        employer_ids: vec![world.welding],
        competence_need_ids: vec![],
        seats: 5,
        application_deadline: None,
        start_date: None,
        end_date: None,
        eligibility: None,
        components: vec![fixtures::trial_placement_component()],
        design_team_user_ids: vec![wg.user_id, caseworker.user_id],
    };
    let track = tracks::create_track(db, &wg, input)
        .await
        .unwrap_or_else(|e| panic!("track: {e}"));
    tracks::change_status(db, &wg, track.id, track.version, JobTrackStatus::Recruiting)
        .await
        .unwrap_or_else(|e| panic!("recruiting: {e}"));
    let rejected = make(app, world, track.id, Target::TrialPassed, 501).await;
    admission::decide(
        db,
        &wg,
        rejected,
        None,
        Decision::Reject,
        Some("Socialsekreterare oroad över hemsituationen.".into()),
    )
    .await
    .unwrap_or_else(|e| panic!("reject: {e}"));
    let assessed = make(app, world, track.id, Target::TrialScheduled, 502).await;
    admission::record_step_result(
        db,
        &employer,
        assessed,
        AdmissionStepKind::TrialPlacement,
        StepResult::Passed,
        Some("Noggrann och säker.".into()),
    )
    .await
    .unwrap_or_else(|e| panic!("employer's result: {e}"));
    make(app, world, track.id, Target::AppliedNotSharing, 503).await;
    (track.id, rejected)
}

fn paths(data: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    non_null_paths(data, "", &mut found);
    found
}

#[tokio::test]
async fn an_employer_reads_exactly_what_the_table_allows() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let (_, rejected) = shortlist(&app, &world).await;
    let employer = app.login(EMPLOYER).await;
    let data = app.ok(Some(&employer), TRACK_READ, json!({})).await;
    let n = ".jobTracks.edges.node";
    let a = ".jobTracks.edges.node.applications.edges.node";
    let expected: BTreeSet<String> = [
        format!("{n}.activeApplicationCount"),
        format!("{n}.admittedCount"),
        format!("{n}.funnel.inTrial.total"),
        format!("{n}.funnel.inTrial.women"),
        format!("{n}.funnel.rejected.total"),
        format!("{n}.designTeam.name"),
        format!("{n}.designTeam.email"),
        format!("{n}.designTeam.organization.name"),
        format!("{n}.applications.totalCount"),
        format!("{a}.status"),
        format!("{a}.motivation"),
        format!("{a}.applicant.firstName"),
        format!("{a}.steps.kind"),
        // Its own trial placement's assessment, and itself as the assessor.
        format!("{a}.steps.assessment"),
        format!("{a}.steps.assessedBy.email"),
        format!("{a}.steps.assessedBy.name"),
        format!("{a}.steps.assessedBy.roles"),
    ]
    .into_iter()
    .collect();
    assert_eq!(paths(&data), expected, "{data:#}");
    let track = &data["jobTracks"]["edges"][0]["node"];
    assert_eq!(track["applications"]["totalCount"], 2, "{data:#}");
    assert_eq!(
        track["activeApplicationCount"], 1,
        "the counts include no one the employer may not see"
    );
    assert_eq!(
        track["funnel"]["rejected"]["total"], 0,
        "one rejected applicant is a small count: suppressed, and the Int! field reads 0"
    );
    let assessments: Vec<&Value> = track["applications"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["node"]["steps"].as_array().into_iter().flatten())
        .filter(|s| !s["assessment"].is_null())
        .collect();
    assert_eq!(assessments.len(), 1, "{data:#}");
    assert_eq!(assessments[0]["kind"], "TRIAL_PLACEMENT");
    assert_eq!(assessments[0]["assessment"], "Noggrann och säker.");
    assert_eq!(assessments[0]["assessedBy"]["email"], EMPLOYER);
    assert!(
        !data.to_string().contains("hemsituationen"),
        "the working group's reason stays with staff"
    );
    // The other employer of the world sees none of it.
    let other = app.login(OTHER_EMPLOYER).await;
    let data = app.ok(Some(&other), TRACK_READ, json!({})).await;
    assert_eq!(paths(&data), BTreeSet::new(), "{data:#}");

    // Staff of the track see the case, and reading it is recorded.
    let wg = app.login(WORKING_GROUP).await;
    let data = app.ok(Some(&wg), TRACK_READ, json!({})).await;
    let seen = paths(&data);
    for field in [
        format!("{a}.decisionReason"),
        format!("{a}.candidate.firstName"),
        format!("{a}.nominatedBy.email"),
        format!("{a}.steps.assessedBy.municipalities.code"),
        format!("{n}.designTeam.roles"),
        format!("{n}.designTeam.municipalities.code"),
    ] {
        assert!(seen.contains(&field), "staff see {field}: {data:#}");
    }
    let coordinator = app.login(COORDINATOR).await;
    let events = app
        .ok(
            Some(&coordinator),
            "query($c: ID) { auditEvents(candidateId: $c) { edges { node { action actor { email } detail } } } }",
            json!({ "c": global_id("Candidate", candidate_of(&app, rejected).await) }),
        )
        .await;
    let details: Vec<String> = events["auditEvents"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["node"]["action"] == "candidate.read")
        .filter_map(|e| {
            Some(format!(
                "{} {}",
                e["node"]["actor"]["email"].as_str()?,
                e["node"]["detail"].as_str()?
            ))
        })
        .collect();
    assert!(
        details.iter().any(|d| d.starts_with(WORKING_GROUP)
            && d.contains("application")
            && d.contains("steps")),
        "the working group's read of the decision reason and assessments is logged: {details:?}"
    );
    assert!(
        details
            .iter()
            .any(|d| d.starts_with(EMPLOYER) && d.contains("applicant")),
        "the employer's read of the applicant is logged: {details:?}"
    );
    app.stop().await;
}

async fn candidate_of(app: &TestApp, application: i64) -> i64 {
    use sea_orm::EntityTrait;
    jobtrack_entity::application::Entity::find_by_id(application)
        .one(app.db())
        .await
        .ok()
        .flatten()
        .map_or(0, |a| a.candidate_id)
}

#[tokio::test]
async fn a_page_of_applications_reads_only_the_candidates_on_it() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let track = fixtures::recruiting_track(&app, &world, 10).await;
    let mut applications = Vec::new();
    for n in 0..5 {
        applications.push(make(&app, &world, track, Target::Nominated, 600 + n).await);
    }
    // Two of them move on, so a status filter has something to choose.
    let wg_actor = fixtures::actor(&app, WORKING_GROUP).await;
    for id in &applications[3..] {
        let at = chrono::Utc::now() + chrono::Duration::days(2);
        admission::invite_to_info_meeting(app.db(), &wg_actor, *id, None, at, "Biblioteket")
            .await
            .unwrap_or_else(|e| panic!("invite: {e}"));
    }
    let wg = app.login(WORKING_GROUP).await;
    let query = "query($t: ID!, $after: String, $s: [ApplicationStatus!]) { node(id: $t) { ... on JobTrack {
        applications(first: 2, after: $after, status: $s) { totalCount pageInfo { hasNextPage endCursor } edges { node { id candidate { firstName } } } } } } }";
    let ids = |data: &Value| -> Vec<String> {
        data["node"]["applications"]["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["node"]["id"].as_str().map(str::to_owned))
            .collect()
    };
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .ok(
                Some(&wg),
                query,
                json!({ "t": global_id("JobTrack", track), "after": after }),
            )
            .await;
        assert_eq!(data["node"]["applications"]["totalCount"], 5);
        let page = ids(&data);
        assert!(page.len() <= 2);
        seen.extend(page);
        let info = &data["node"]["applications"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    let expected: Vec<String> = applications
        .iter()
        .map(|a| global_id("Application", *a))
        .collect();
    assert_eq!(seen, expected, "every application once, oldest first");
    let invited = app
        .ok(
            Some(&wg),
            query,
            json!({ "t": global_id("JobTrack", track), "s": ["INVITED"] }),
        )
        .await;
    assert_eq!(invited["node"]["applications"]["totalCount"], 2);
    assert_eq!(ids(&invited), expected[3..].to_vec());

    // A first page read by the coordinator leaves a trace for its two candidates only.
    let coordinator = app.login(COORDINATOR).await;
    app.ok(
        Some(&coordinator),
        query,
        json!({ "t": global_id("JobTrack", track) }),
    )
    .await;
    let mut read = Vec::new();
    for id in &applications {
        let candidate = candidate_of(&app, *id).await;
        let events = app
            .ok(
                Some(&coordinator),
                "query($c: ID) { auditEvents(candidateId: $c) { edges { node { action actor { email } } } } }",
                json!({ "c": global_id("Candidate", candidate) }),
            )
            .await;
        read.push(
            events["auditEvents"]["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|e| {
                    e["node"]["action"] == "candidate.read"
                        && e["node"]["actor"]["email"] == COORDINATOR
                }),
        );
    }
    assert_eq!(
        read,
        [true, true, false, false, false],
        "only the page shown is read"
    );
    app.stop().await;
}

/// Paths under `prefix`, one per name.
fn under(prefix: &str, names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| format!("{prefix}.{n}")).collect()
}

/// What every viewer of a track sees of it (with the counts of what it may count).
fn track_fields(staff: bool) -> BTreeSet<String> {
    let n = ".jobTracks.edges.node";
    let mut fields = under(
        n,
        &[
            "activeApplicationCount",
            "admittedCount",
            "funnel.inTrial.total",
            "funnel.inTrial.women",
            "funnel.rejected.total",
            "applications.totalCount",
            "designTeam.name",
            "designTeam.email",
            "designTeam.organization.name",
        ],
    );
    if staff {
        fields.extend(under(
            n,
            &["designTeam.roles", "designTeam.municipalities.code"],
        ));
    }
    fields
}

/// What staff who may read the candidates see of their applications.
fn case_fields() -> BTreeSet<String> {
    let mut fields = track_fields(true);
    fields.extend(under(
        ".jobTracks.edges.node.applications.edges.node",
        &[
            "status",
            "motivation",
            "decisionReason",
            "candidate.firstName",
            "nominatedBy.email",
            "steps.kind",
            "steps.assessment",
            "steps.assessedBy.email",
            "steps.assessedBy.name",
            "steps.assessedBy.roles",
            "steps.assessedBy.municipalities.code",
            "steps.assessedBy.organization.name",
        ],
    ));
    fields
}

/// What the employer of the track sees: applicants, its own assessment, never the case.
fn applicant_fields() -> BTreeSet<String> {
    let mut fields = track_fields(false);
    fields.extend(under(
        ".jobTracks.edges.node.applications.edges.node",
        &[
            "status",
            "motivation",
            "applicant.firstName",
            "steps.kind",
            "steps.assessment",
            "steps.assessedBy.email",
            "steps.assessedBy.name",
            "steps.assessedBy.roles",
        ],
    ));
    fields
}

const CANDIDATE_READ: &str = "query($id: ID!) { node(id: $id) { ... on Candidate {
    firstName personalIdentityNumber email phone targetGroups consents { scope }
    caseworker { email } applications { status decisionReason } } } }";

/// The read matrix: for every role, which fields of one shortlist come back from
/// `jobTracks` and from `node(id:)` on a candidate — the DOMAIN table's "read
/// candidates" (CASEWORKER, COORDINATOR own municipalities; WORKING_GROUP through its
/// agreements' tracks), "EMPLOYER reads" (applicants, never candidates), and no one
/// else (BUSINESS_ADVISER and SECTION_MANAGER see tracks and counts, no person).
#[tokio::test]
async fn every_role_reads_exactly_what_the_table_allows() {
    let app = TestApp::spawn().await;
    let world = fixtures::world(&app).await;
    let (_, rejected) = shortlist(&app, &world).await;
    let candidate = global_id("Candidate", candidate_of(&app, rejected).await);
    let person = under(
        ".node",
        &[
            "firstName",
            "personalIdentityNumber",
            "email",
            "targetGroups",
            "consents.scope",
            "caseworker.email",
            "applications.status",
            "applications.decisionReason",
        ],
    );
    let nothing = BTreeSet::new();
    let (case, tracks_only, applicants) = (case_fields(), track_fields(true), applicant_fields());
    let table: [(&str, &BTreeSet<String>, &BTreeSet<String>); 9] = [
        (ADMIN, &case, &person),
        (COORDINATOR, &case, &person),
        (WORKING_GROUP, &case, &person),
        (CASEWORKER, &case, &person),
        (DALSLAND_CASEWORKER, &nothing, &nothing),
        (ADVISER, &tracks_only, &nothing),
        (SECTION_MANAGER, &tracks_only, &nothing),
        (EMPLOYER, &applicants, &nothing),
        (OTHER_EMPLOYER, &nothing, &nothing),
    ];
    for (actor, on_tracks, of_person) in table {
        let token = app.login(actor).await;
        let tracks = app.ok(Some(&token), TRACK_READ, json!({})).await;
        assert_eq!(
            &paths(&tracks),
            on_tracks,
            "{actor} on jobTracks: {tracks:#}"
        );
        let read = app
            .ok(Some(&token), CANDIDATE_READ, json!({ "id": candidate }))
            .await;
        assert_eq!(
            &paths(&read),
            of_person,
            "{actor} on the candidate: {read:#}"
        );
    }
    app.stop().await;
}
