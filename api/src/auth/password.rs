//! Password hashing with argon2id, off the async threads.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

use crate::error::{Error, Result};

pub const MIN_LENGTH: usize = 10;

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
        Argon2::default()
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
