//! The completion report over 100 000 applications on PostgreSQL, through the real
//! GraphQL API. Run with a database the user may create databases from:
//!
//! ```sh
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p jobtrack-tests --bench report
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

use jobtrack_tests::fixtures::{self, COORDINATOR};
use jobtrack_tests::{TestApp, global_id, test_config};
use sea_orm::ConnectionTrait;
use serde_json::json;

const APPLICATIONS: i64 = 100_000;
const TRACKS: i64 = 50;

fn main() {
    jobtrack_tests::on_bench_database(|database_url| async move {
        let app = TestApp::spawn_with(test_config(&database_url)).await;
        let world = fixtures::world(&app).await;
        let seeded = Instant::now();
        seed(&app, world.fyrbodal).await;
        println!(
            "seeded {APPLICATIONS} applications on {TRACKS} tracks in {:.1?}",
            seeded.elapsed()
        );

        let token = app.login(COORDINATOR).await;
        let query = "query($a: ID!) { completionReport(agreementId: $a, from: \"2020-01-01\", to: \"2030-12-31\") {
            started { total } completed { women men other total } droppedOut { total } employed { total } completionRatePercent meetsTarget
            byTrack { jobTrack { title } started { total } completionRatePercent } byMunicipality { municipality { name } started { total } } } }";
        let vars = json!({ "a": global_id("Agreement", world.fyrbodal) });
        let mut times: Vec<Duration> = Vec::new();
        for _ in 0..12 {
            let started = Instant::now();
            let data = app.ok(Some(&token), query, vars.clone()).await;
            times.push(started.elapsed());
            assert_eq!(data["completionReport"]["started"]["total"], APPLICATIONS);
        }
        times.drain(..2); // warm-up
        times.sort();
        println!(
            "completionReport over {APPLICATIONS} applications (HTTP round trip): min {:.1?}, median {:.1?}, max {:.1?}",
            times[0],
            times[times.len() / 2],
            times[times.len() - 1]
        );
        app.stop().await;
    });
}

/// Bulk-inserts tracks, candidates, applications (every started, in a mix of fates) and
/// outcomes with set-based SQL.
async fn seed(app: &TestApp, agreement: i64) {
    let db = app.db();
    let statements = [
        format!(
            "INSERT INTO job_track (title, search_title, ssyk_code, agreement_id, seats, status, version, eligible_programmes,
             eligible_target_groups, requires_driving_licence, created_at, updated_at)
             SELECT 'Spår ' || g, 'spår ' || g, '7212', {agreement}, 500, 'RUNNING', 1, '', '', false, now(), now()
             FROM generate_series(1, {TRACKS}) g"
        ),
        format!(
            "INSERT INTO candidate (first_name, last_name, search_name, birth_year, gender, municipality_code, education_level,
             swedish_level, driving_licence, programme, created_at, updated_at)
             SELECT 'F' || g, 'E' || g, 'f' || g, 1990, (ARRAY['WOMAN','MAN','OTHER'])[1 + g % 3],
             (ARRAY['1488','1487','1444'])[1 + g % 3], 'UPPER_SECONDARY', 'SFI_D', true, 'JOB', now(), now()
             FROM generate_series(1, {APPLICATIONS}) g"
        ),
        format!(
            "INSERT INTO application (job_track_id, candidate_id, status, version, nominated_at, started_at, updated_at)
             SELECT t.first + g % {TRACKS}, c.first + g - 1, (ARRAY['COMPLETED','COMPLETED','COMPLETED','DROPPED_OUT','STARTED'])[1 + g % 5],
             1, now(), now() - (g % 1500) * interval '1 day', now()
             FROM generate_series(1, {APPLICATIONS}) g,
                  (SELECT min(id) AS first FROM job_track WHERE title LIKE 'Spår %') t,
                  (SELECT min(id) AS first FROM candidate WHERE first_name LIKE 'F%') c"
        ),
        "INSERT INTO outcome (application_id, kind, recorded_at)
         SELECT id, (ARRAY['EMPLOYED','EMPLOYED_INTRODUKTIONSJOBB','STUDIES','NONE'])[1 + id % 4], now()
         FROM application WHERE status IN ('COMPLETED', 'DROPPED_OUT')"
            .to_owned(),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        db.execute_unprepared(&sql)
            .await
            .unwrap_or_else(|e| panic!("seed: {e}\n{sql}"));
    }
}
