//! A normal user's latency while four users send the most expensive requests the API
//! allows as fast as they can: the cost budget refuses most of theirs (RATE_LIMITED),
//! so the normal user's `jobTracks(first: 20)` stays fast. Prints p50/p99; no assertion
//! on time. SQLite by default; PostgreSQL as in the tests, with TEST_DATABASE_URL:
//!
//! ```sh
//! cargo bench -p jobtrack-tests --bench abuse
//! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench -p jobtrack-tests --bench abuse
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

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jobtrack_tests::TestApp;
use jobtrack_tests::fixtures::{self, ADVISER, CASEWORKER, COORDINATOR, EMPLOYER, OTHER_EMPLOYER};
use serde_json::json;

const WINDOW: Duration = Duration::from_secs(10);

#[expect(clippy::expect_used, reason = "a benchmark fails loudly")]
fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let app = Arc::new(TestApp::spawn().await);
        let world = fixtures::world(&app).await;
        for _ in 0..20 {
            fixtures::recruiting_track(&app, &world, 5).await;
        }
        let normal = app.login(COORDINATOR).await;
        let cheap = "{ jobTracks(first: 20) { totalCount edges { node { id title status employers { name } } } } }";
        let baseline = sample(&app, &normal, cheap, WINDOW / 2).await;
        report("without abuse", baseline);

        let aliases: String = (0..20)
            .map(|i| format!("a{i}: jobTracks(first: 100) {{ edges {{ node {{ id title employers {{ name }} competenceNeeds {{ title }} }} }} }} "))
            .collect();
        let expensive = format!("{{ {aliases} }}");
        let stop = Arc::new(AtomicBool::new(false));
        let (served, limited) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let mut abusers = Vec::new();
        for email in [EMPLOYER, OTHER_EMPLOYER, ADVISER, CASEWORKER] {
            let token = app.login(email).await;
            let (app, stop, served, limited, query) =
                (app.clone(), stop.clone(), served.clone(), limited.clone(), expensive.clone());
            abusers.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let response = app.gql(Some(&token), &query, json!({})).await;
                    if jobtrack_tests::error_code(&response) == "RATE_LIMITED" {
                        limited.fetch_add(1, Ordering::Relaxed);
                    } else {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }));
        }
        let under_abuse = sample(&app, &normal, cheap, WINDOW).await;
        stop.store(true, Ordering::Relaxed);
        for abuser in abusers {
            let _ = abuser.await;
        }
        report("while 4 users send the most expensive requests", under_abuse);
        println!(
            "abusive requests: {} served, {} refused with RATE_LIMITED",
            served.load(Ordering::Relaxed),
            limited.load(Ordering::Relaxed)
        );
    });
}

/// The normal user's request every 20 ms for `window`; the latencies.
async fn sample(app: &TestApp, token: &str, query: &str, window: Duration) -> Vec<Duration> {
    let mut times = Vec::new();
    let started = Instant::now();
    while started.elapsed() < window {
        let at = Instant::now();
        let data = app.ok(Some(token), query, json!({})).await;
        times.push(at.elapsed());
        assert!(data["jobTracks"]["totalCount"].as_i64().unwrap_or(0) >= 20);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times
}

fn report(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a short list"
        )]
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().unwrap_or_default()
    };
    println!(
        "jobTracks(first: 20) {label}: {} requests, p50 {:.1?}, p99 {:.1?}, max {:.1?}",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
