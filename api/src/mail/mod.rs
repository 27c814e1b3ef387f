//! Email: one folder of templates per email (Swedish subject and plain-text body,
//! rendered with minijinja), the lettre transport, and the outbox worker that sends.

pub mod transport;
pub mod worker;

use std::sync::OnceLock;

use minijinja::Environment;
use serde::Serialize;

use crate::error::{Error, Result};

/// (name, subject, body) of every email.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "invitation",
        include_str!("templates/invitation/subject.txt"),
        include_str!("templates/invitation/body.txt"),
    ),
    (
        "password_reset",
        include_str!("templates/password_reset/subject.txt"),
        include_str!("templates/password_reset/body.txt"),
    ),
    (
        "info_meeting",
        include_str!("templates/info_meeting/subject.txt"),
        include_str!("templates/info_meeting/body.txt"),
    ),
    (
        "info_meeting_without_email",
        include_str!("templates/info_meeting_without_email/subject.txt"),
        include_str!("templates/info_meeting_without_email/body.txt"),
    ),
    (
        "trial_placement",
        include_str!("templates/trial_placement/subject.txt"),
        include_str!("templates/trial_placement/body.txt"),
    ),
    (
        "decision",
        include_str!("templates/decision/subject.txt"),
        include_str!("templates/decision/body.txt"),
    ),
    (
        "escalation",
        include_str!("templates/escalation/subject.txt"),
        include_str!("templates/escalation/body.txt"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Plain text: nothing is HTML-escaped.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        env.set_keep_trailing_newline(true);
        for (name, subject, body) in TEMPLATES {
            // The templates are compiled into the binary; a broken one fails every test.
            let _ = env.add_template_owned(format!("{name}/subject"), *subject);
            let _ = env.add_template_owned(format!("{name}/body"), *body);
        }
        env
    })
}

/// Renders the subject (one line) and body of email `name`.
pub fn render(name: &str, context: impl Serialize) -> Result<(String, String)> {
    let env = environment();
    let get = |part: &str| {
        env.get_template(&format!("{name}/{part}"))
            .map_err(|e| Error::Internal(format!("template {name}/{part}: {e}")))
    };
    let value = minijinja::Value::from_serialize(&context);
    let subject = get("subject")?
        .render(&value)
        .map_err(|e| Error::Internal(format!("render {name}: {e}")))?;
    let body = get("body")?
        .render(&value)
        .map_err(|e| Error::Internal(format!("render {name}: {e}")))?;
    Ok((subject.trim().to_owned(), body))
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders() {
        let context = minijinja::context! { name => "Åsa", inviter => "Jobtrack", link => "http://x/invitation?token=t",
        first_name => "Åsa", track => "Svetsare", when => "10 januari 2027 kl. 10.00", location => "Stadshuset",
        employer => "Firma AB", contact => "Lena", who => "en kandidat", starts => "a", ends => "b",
        caseworker => "Aisha", candidate => "Amina Hassan", admitted => false, reason => "Bra",
        manager => "Anders", active => 11, threshold => 10, agreement => "Fyrbodal" };
        for (name, _, _) in TEMPLATES {
            let (subject, body) = render(name, &context).unwrap_or_default();
            assert!(
                !subject.is_empty() && !subject.contains('\n'),
                "{name}: {subject}"
            );
            assert!(body.starts_with("Hej "), "{name}: {body}");
        }
    }
}
