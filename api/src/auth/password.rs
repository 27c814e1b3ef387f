//! Password hashing with argon2id, off the async threads.

use std::sync::atomic::{AtomicBool, Ordering};

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

pub const MIN_LENGTH: usize = 10;

static TEST_PARAMETERS: AtomicBool = AtomicBool::new(false);

/// For test fixtures only: new hashes use the cheapest argon2id parameters, so a test
/// world of ten users is not ten production hashes. Nothing in the binary calls this;
/// a test checks that `serve` stores production-strength hashes. Verifying reads the
/// parameters from the stored hash, so it is unaffected.
pub fn use_test_parameters() {
    TEST_PARAMETERS.store(true, Ordering::Relaxed);
}

/// argon2id with the crate's recommended parameters (19 MiB, 2 passes), or the test ones.
fn hasher() -> Argon2<'static> {
    if TEST_PARAMETERS.load(Ordering::Relaxed)
        && let Ok(cheap) = Params::new(Params::MIN_M_COST, 1, 1, None)
    {
        return Argon2::new(Algorithm::Argon2id, Version::V0x13, cheap);
    }
    Argon2::default()
}

/// A hash of a random password, verified against when the email is unknown so that a
/// wrong email takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(salt.as_str().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(Error::internal)?
    .map_err(Error::internal)
}

/// Whether `password` matches `hash`; `None` verifies against a dummy hash and fails.
pub async fn verify(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let stored: &str = match &hash {
            Some(h) => h,
            None => dummy_hash(),
        };
        let Ok(parsed) = PasswordHash::new(stored) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && hash.is_some()
    })
    .await
    .unwrap_or(false)
}

/// Refuses passwords that are short or among the most common ones.
pub fn check_strength(password: &str) -> Result<()> {
    const COMMON: &[&str] = &[
        "password",
        "password1",
        "password123",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "iloveyou12",
        "sommar2024",
        "sommar2025",
        "sommar2026",
        "vinter2025",
        "lösenord123",
        "losenord123",
        "abcdefghij",
        "qwerty1234",
        "1q2w3e4r5t",
        "welcome123",
        "letmein123",
        "football12",
        "0987654321",
        "1111111111",
        "asdfghjkl1",
        "administrator",
        "jobtrack123",
        "hejsan1234",
    ];
    if password.chars().count() < MIN_LENGTH {
        return Err(Error::bad_input(
            "password",
            format!("must be at least {MIN_LENGTH} characters"),
        ));
    }
    if COMMON.contains(&password.to_lowercase().as_str()) {
        return Err(Error::bad_input(
            "password",
            "is one of the most common passwords; choose another",
        ));
    }
    Ok(())
}
