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
    // The words people build passwords on; with digits or symbols around them
    // ("password12", "Sommar2026!", "1qaz2wsx") they are still the first guesses.
    const COMMON_WORDS: &[&str] = &[
        "password",
        "passwrd",
        "lösenord",
        "losenord",
        "qwerty",
        "qwertyuiop",
        "asdf",
        "asdfghjkl",
        "abc",
        "abcdefghij",
        "sommar",
        "vinter",
        "hösten",
        "hosten",
        "varen",
        "våren",
        "welcome",
        "välkommen",
        "valkommen",
        "letmein",
        "iloveyou",
        "football",
        "admin",
        "administrator",
        "jobtrack",
        "hejsan",
        "hej",
        "test",
        "secret",
        "monkey",
        "dragon",
        "sunshine",
    ];
    if password.chars().count() < MIN_LENGTH {
        return Err(Error::bad_input(
            "password",
            format!("must be at least {MIN_LENGTH} characters"),
        ));
    }
    let lower = password.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    let only_digits_and_symbols = !lower.chars().any(char::is_alphabetic);
    // The word between the decorations, read back from leetspeak ("p@ssw0rd").
    let word: String = lower
        .trim_matches(|c: char| !c.is_alphabetic())
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            other => other,
        })
        .collect();
    let word_and_decoration = COMMON_WORDS.contains(&word.as_str());
    let keyboard_walk = lower.chars().all(|c| "1qaz2wsx3edc4rfv5tgb".contains(c))
        || lower.chars().all(|c| "1q2w3e4r5t6y7u8i9o0p".contains(c));
    if only_digits_and_symbols || word_and_decoration || keyboard_walk || distinct.len() <= 2 {
        return Err(Error::bad_input(
            "password",
            "is one of the most common passwords; choose another",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_strength;

    #[test]
    fn common_passwords_are_refused_with_their_decorations() {
        for weak in [
            "password12",
            "Password2026!",
            "Sommar2026",
            "lösenord123",
            "passw0rd12",
            "1qaz2wsx3edc",
            "1q2w3e4r5t",
            "1111111111",
            "0987654321",
            "!!2026-11-23",
            "abababababab",
            "kort",
        ] {
            assert!(check_strength(weak).is_err(), "{weak}");
        }
        for strong in [
            "correct-horse-battery",
            "jobtrack-demo-2026",
            "Trollhättan-svets-7",
        ] {
            assert!(check_strength(strong).is_ok(), "{strong}");
        }
    }
}
