//! A property test over every text input the API has: the schema is read by
//! introspection, every query and mutation that takes a `String` somewhere (an argument
//! or a field of an input object, however deep) is called with generated text — NUL and
//! other control characters, emoji, combining marks, quotes, `LIKE` wildcards, strings
//! up to 12,000 characters — and no answer may be `INTERNAL` or a 5xx. Text with a
//! control character or over 10,000 characters must be `BAD_USER_INPUT` with a field.

use jobtrack_tests::TestApp;
use jobtrack_tests::fixtures::{self, ADMIN};
use serde_json::{Value, json};

const TYPE_REF: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "\u{0}",
            "\u{1}",
            "\u{1b}[31m",
            "\u{7f}",
            "\u{85}",
            "\t",
            "\n",
            "\r\n",
            "a",
            "Å",
            "ö",
            "e\u{301}",
            "🙂",
            "👩‍👩‍👧",
            "\u{202e}",
            "\u{feff}",
            "%",
            "_",
            "\\",
            "'",
            "\"",
            "--",
            ";",
            "<script>",
            "${x}",
            "{{x}}",
            " ",
            "\u{a0}",
            "日本",
            "ﷺ",
        ];
        let length = match self.below(10) {
            0 => 0,
            1 => 10_001 + self.below(2_000),
            2 => 5_000 + self.below(5_000),
            _ => 1 + self.below(40),
        };
        let mut text = String::new();
        while text.chars().count() < usize::try_from(length).unwrap_or(0) {
            let piece = PIECES[usize::try_from(self.below(PIECES.len() as u64)).unwrap_or(0)];
            text.push_str(piece);
        }
        text
    }
}

fn has_refused_character(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || text.chars().count() > 10_000
}

/// The named type under lists and non-nulls.
fn named(ty: &Value) -> &Value {
    if ty["name"].is_null() && !ty["ofType"].is_null() {
        named(&ty["ofType"])
    } else {
        ty
    }
}

struct Schema {
    types: Vec<Value>,
}

impl Schema {
    fn type_named(&self, name: &str) -> Option<&Value> {
        self.types.iter().find(|t| t["name"] == name)
    }

    /// Whether a value of `ty` holds a string somewhere.
    fn holds_text(&self, ty: &Value, depth: usize) -> bool {
        let base = named(ty);
        match base["kind"].as_str() {
            Some("SCALAR") => base["name"] == "String",
            Some("INPUT_OBJECT") if depth < 4 => self
                .type_named(base["name"].as_str().unwrap_or_default())
                .and_then(|t| t["inputFields"].as_array())
                .is_some_and(|fields| {
                    fields
                        .iter()
                        .any(|f| self.holds_text(&f["type"], depth + 1))
                }),
            _ => false,
        }
    }

    /// A GraphQL literal of type `ty`, with `text` in every string.
    fn literal(&self, ty: &Value, text: &str, depth: usize) -> String {
        match ty["kind"].as_str() {
            Some("NON_NULL") => self.literal(&ty["ofType"], text, depth),
            Some("LIST") => format!("[{}]", self.literal(&ty["ofType"], text, depth)),
            Some("ENUM") => self
                .type_named(ty["name"].as_str().unwrap_or_default())
                .and_then(|t| t["enumValues"][0]["name"].as_str())
                .unwrap_or("null")
                .to_owned(),
            Some("INPUT_OBJECT") if depth < 4 => {
                let fields = self
                    .type_named(ty["name"].as_str().unwrap_or_default())
                    .and_then(|t| t["inputFields"].as_array().cloned())
                    .unwrap_or_default();
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}",
                            f["name"].as_str().unwrap_or_default(),
                            self.literal(&f["type"], text, depth + 1)
                        )
                    })
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
            Some("SCALAR") => match ty["name"].as_str() {
                Some("String") => serde_json::to_string(text).unwrap_or_default(),
                Some("ID") => "\"SWQ6MQ\"".to_owned(),
                Some("Int") => "1".to_owned(),
                Some("Float") => "1.0".to_owned(),
                Some("Boolean") => "false".to_owned(),
                Some("Date") => "\"2026-12-01\"".to_owned(),
                Some("DateTime") => "\"2026-12-01T10:00:00+01:00\"".to_owned(),
                _ => "null".to_owned(),
            },
            _ => "null".to_owned(),
        }
    }

    fn selection(&self, ty: &Value) -> &'static str {
        match named(ty)["kind"].as_str() {
            Some("OBJECT" | "INTERFACE" | "UNION") => " { __typename }",
            _ => "",
        }
    }
}

#[tokio::test]
async fn no_text_in_any_input_gives_internal() {
    let app = TestApp::spawn().await;
    fixtures::world(&app).await;
    let admin = app.login(ADMIN).await;
    let introspection = format!(
        "{{ __schema {{ queryType {{ name }} mutationType {{ name }}
            types {{ name kind enumValues {{ name }} inputFields {{ name type {{ {TYPE_REF} }} }}
                fields {{ name type {{ {TYPE_REF} }} args {{ name type {{ {TYPE_REF} }} }} }} }} }} }}"
    );
    let schema = app.ok(Some(&admin), &introspection, json!({})).await;
    let schema = Schema {
        types: schema["__schema"]["types"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    };
    let mut generator = Generator(0x5eed_1234_abcd_0042);
    let mut inputs = 0;
    let mut calls = 0;
    for (root, operation) in [("Query", "query"), ("Mutation", "mutation")] {
        let fields = schema
            .type_named(root)
            .and_then(|t| t["fields"].as_array().cloned())
            .unwrap_or_default();
        for field in fields {
            let args = field["args"].as_array().cloned().unwrap_or_default();
            if !args.iter().any(|a| schema.holds_text(&a["type"], 0)) {
                continue;
            }
            inputs += 1;
            for _ in 0..6 {
                let text = generator.text();
                let arguments: Vec<String> = args
                    .iter()
                    .map(|a| {
                        format!(
                            "{}: {}",
                            a["name"].as_str().unwrap_or_default(),
                            schema.literal(&a["type"], &text, 0)
                        )
                    })
                    .collect();
                let name = field["name"].as_str().unwrap_or_default();
                let query = format!(
                    "{operation} {{ {name}({}){} }}",
                    arguments.join(", "),
                    schema.selection(&field["type"])
                );
                for token in [Some(admin.as_str()), None] {
                    let response = app
                        .client
                        .post(format!("{}/graphql", app.base))
                        .json(&json!({ "query": query }));
                    let response = match token {
                        Some(token) => response.bearer_auth(token),
                        None => response,
                    }
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                    calls += 1;
                    let status = response.status();
                    let body: Value = response.json().await.expect("the response body reads");
                    let shown = || {
                        format!(
                            "{name} with {:?}…: {status} {body}",
                            text.chars().take(30).collect::<String>()
                        )
                    };
                    assert!(!status.is_server_error(), "{}", shown());
                    let codes: Vec<&str> = body["errors"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| e["extensions"]["code"].as_str())
                        .collect();
                    assert!(!codes.contains(&"INTERNAL"), "{}", shown());
                    if has_refused_character(&text) {
                        assert_eq!(
                            codes.first().copied(),
                            Some("BAD_USER_INPUT"),
                            "{}",
                            shown()
                        );
                        assert!(
                            body["errors"][0]["extensions"]["field"].is_string(),
                            "{}",
                            shown()
                        );
                    }
                }
            }
        }
    }
    assert!(inputs >= 20, "only {inputs} operations take text?");
    println!("{inputs} operations with text inputs, {calls} calls");
    app.stop().await;
}
