//! Two separate `jobtrack serve` processes on one database, one killed with SIGKILL in
//! the middle of sending: every email arrives, each exactly once except at most the one
//! the killed process was sending (the mail server had it, the process died before
//! marking it sent, so the other process sends it again after its lease runs out).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use jobtrack_api::domain::outbox;
use jobtrack_tests::smtp::SmtpServer;
use jobtrack_tests::{JWT_SECRET, fresh_database};

fn jobtrack(database_url: &str, smtp_url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobtrack"));
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("SMTP_URL", smtp_url)
        .env("JWT_SECRET", JWT_SECRET)
        .env("JOBTRACK_LISTEN", "127.0.0.1:0")
        .env("JOBTRACK_MAIL_LEASE_SECONDS", "2")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_one_killed_mid_send_lose_no_email() {
    let smtp = SmtpServer::start_slow(Duration::from_millis(100)).await;
    let database = fresh_database().await;
    let database_url = database.url().to_owned();
    let migrated = jobtrack(&database_url, &smtp.url(), &["migrate", "up"])
        .status()
        .unwrap_or_else(|e| panic!("migrate: {e}"));
    assert!(migrated.success());
    let db = jobtrack_api::db::connect(&database_url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    const EMAILS: usize = 40;
    for n in 0..EMAILS {
        outbox::enqueue(&db, jobtrack_tests::fixtures::test_email(n))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut first = Killed(
        jobtrack(&database_url, &smtp.url(), &["serve"])
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}")),
    );
    let _second = Killed(
        jobtrack(&database_url, &smtp.url(), &["serve"])
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}")),
    );
    smtp.wait_for(6, 30).await;
    // SIGKILL: no graceful stop, its claimed rows keep their lease until it runs out.
    first.0.kill().unwrap_or_else(|e| panic!("kill: {e}"));
    let _ = first.0.wait();

    smtp.wait_for(EMAILS, 60).await;
    jobtrack_tests::outbox_settled(&db, 30).await;
    let received: Vec<String> = smtp.received().iter().flat_map(|m| m.to.clone()).collect();
    for n in 0..EMAILS {
        let recipient = format!("mottagare{n}@example.com");
        let copies = received.iter().filter(|r| **r == recipient).count();
        assert!(copies >= 1, "{recipient} never arrived ({received:?})");
    }
    let duplicates = received.len() - EMAILS;
    println!(
        "{} emails received, {duplicates} duplicate(s)",
        received.len()
    );
    assert!(
        duplicates <= 1,
        "at most the killed process's in-flight email arrives twice: {duplicates} duplicates"
    );
    let _ = db.close().await;
    smtp.stop();
}

/// The fixtures hash passwords with cheap argon2 parameters; the binary never does:
/// `serve --demo` stores the demo users' passwords with argon2id at 19 MiB, 2 passes.
#[tokio::test]
async fn serve_hashes_passwords_with_production_parameters() {
    use jobtrack_entity::app_user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let smtp = SmtpServer::start().await;
    let database = fresh_database().await;
    let _server = Killed(
        jobtrack(database.url(), &smtp.url(), &["serve", "--demo"])
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}")),
    );
    let db = jobtrack_api::db::connect(database.url())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut hashes = Vec::new();
    for _ in 0..600 {
        hashes = app_user::Entity::find()
            .filter(app_user::Column::PasswordHash.is_not_null())
            .all(&db)
            .await
            .expect("the database answers")
            .into_iter()
            .filter_map(|u| u.password_hash)
            .collect();
        if !hashes.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!hashes.is_empty(), "serve --demo created no users");
    for hash in &hashes {
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "a production hash: {hash}"
        );
    }
    let _ = db.close().await;
}
