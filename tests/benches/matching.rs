//! Matching at national scale: `suggestedCandidates` of one recruiting track among
//! 50 000 candidates (with consents, target groups and 20 000 applications) on
//! PostgreSQL, through the real GraphQL API. Run with a database the user may create
//! databases from (the benchmark drops the database it made):
//!
//! ```sh
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p jobtrack-tests --bench matching
//! ```
#![allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::map_err_ignore,
    reason = "test code: an out-of-bounds index or a lost error is a failed test, not a bug in production"
)]
#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::items_after_statements,
    clippy::assigning_clones,
    clippy::unused_self,
    clippy::case_sensitive_file_extension_comparisons,
    reason = "test code builds hostile documents with format! and keeps imports beside their use"
)]

use std::time::{Duration, Instant};

use jobtrack_tests::fixtures::{self, CASEWORKER};
use jobtrack_tests::{TestApp, global_id, test_config};
use sea_orm::ConnectionTrait;
use serde_json::json;

const CANDIDATES: i64 = 50_000;
const APPLICATIONS: i64 = 20_000;

fn main() {
    jobtrack_tests::on_bench_database(|database_url| async move {
        let app = TestApp::spawn_with(test_config(&database_url)).await;
        let world = fixtures::world(&app).await;
        let track = fixtures::recruiting_track(&app, &world, 10).await;
        let seeded = Instant::now();
        seed(&app, world.admin.user_id).await;
        println!(
            "seeded {CANDIDATES} candidates and {APPLICATIONS} applications in {:.1?}",
            seeded.elapsed()
        );
        let token = app.login(CASEWORKER).await;
        let query = "query($t: ID!) { node(id: $t) { ... on JobTrack { suggestedCandidates(first: 50, includeNearMisses: true) {
            totalCount edges { node { score metRequirements unmetRequirements candidate { firstName lastName swedishLevel } } } } } } }";
        let vars = json!({ "t": global_id("JobTrack", track) });
        let mut times: Vec<Duration> = Vec::new();
        let mut total = 0;
        for _ in 0..12 {
            let started = Instant::now();
            let data = app.ok(Some(&token), query, vars.clone()).await;
            times.push(started.elapsed());
            let list = &data["node"]["suggestedCandidates"];
            assert_eq!(list["edges"].as_array().map(Vec::len), Some(50));
            total = list["totalCount"].as_i64().unwrap_or_default();
        }
        times.drain(..2); // warm-up
        times.sort();
        println!(
            "suggestedCandidates, first 50 of {total} suggestions among {CANDIDATES} candidates (HTTP round trip): \
             min {:.1?}, median {:.1?}, max {:.1?}",
            times[0],
            times[times.len() / 2],
            times[times.len() - 1]
        );
        app.stop().await;
    });
}

/// Bulk-inserts candidates in the track's municipalities and elsewhere, with a mix of
/// Swedish levels, licences and target groups, consents (one in ten without), and
/// applications on other tracks (some of them blocking), with set-based SQL.
async fn seed(app: &TestApp, admin: i64) {
    let db = app.db();
    let statements = [
        format!(
            "INSERT INTO candidate (first_name, last_name, search_name, birth_year, gender, municipality_code, education_level,
             swedish_level, driving_licence, programme, created_at, updated_at)
             SELECT 'F' || g, 'E' || g, 'f' || g, 1970 + g % 40, (ARRAY['WOMAN','MAN','OTHER'])[1 + g % 3],
             (ARRAY['1488','1487','1444','1461'])[1 + g % 4], 'UPPER_SECONDARY',
             (ARRAY['SFI_B','SFI_C','SFI_D','BASIC','UPPER_SECONDARY'])[1 + g % 5], g % 2 = 0,
             (ARRAY['JOB','UGA','ESTABLISHMENT'])[1 + g % 3], now() - g * interval '1 minute', now()
             FROM generate_series(1, {CANDIDATES}) g"
        ),
        "INSERT INTO candidate_target_group (candidate_id, target_group)
         SELECT id, (ARRAY['LONG_TERM_UNEMPLOYED','NEW_ARRIVAL','YOUNG_ADULT','SOCIAL_ASSISTANCE'])[1 + id % 4]
         FROM candidate WHERE first_name LIKE 'F%'"
            .to_owned(),
        format!(
            "INSERT INTO consent (candidate_id, scope, method, given_at, recorded_by, valid_from)
             SELECT id, 'COLLABORATION', 'WRITTEN', now(), {admin}, now() - interval '1 day'
             FROM candidate WHERE first_name LIKE 'F%' AND id % 10 <> 0"
        ),
        "INSERT INTO job_track (title, search_title, ssyk_code, agreement_id, seats, status, version, eligible_programmes,
         eligible_target_groups, requires_driving_licence, created_at, updated_at)
         SELECT 'Spår ' || g, 'spår ' || g, '5321', (SELECT agreement_id FROM job_track LIMIT 1), 500, 'RECRUITING', 1, '', '',
         false, now(), now() FROM generate_series(1, 20) g"
            .to_owned(),
        format!(
            "INSERT INTO application (job_track_id, candidate_id, status, version, nominated_at, updated_at)
             SELECT t.first + g % 20, c.first + g * 2, (ARRAY['NOMINATED','APPLIED','IN_TRIAL','ADMITTED','WITHDRAWN'])[1 + g % 5],
             1, now(), now()
             FROM generate_series(1, {APPLICATIONS}) g,
                  (SELECT min(id) AS first FROM job_track WHERE title LIKE 'Spår %') t,
                  (SELECT min(id) AS first FROM candidate WHERE first_name LIKE 'F%') c"
        ),
        // The track asks for SFI D and a driving licence, like the demo's care track.
        "UPDATE job_track SET minimum_swedish_level = 'SFI_D', requires_driving_licence = true,
         eligible_target_groups = 'LONG_TERM_UNEMPLOYED,NEW_ARRIVAL' WHERE title = 'Svetsare Trollhättan'"
            .to_owned(),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("seed: {e}\n{sql}"));
    }
}
