//! A small SMTP server on loopback inside the test process: it accepts mail (no TLS, no
//! authentication) and keeps what arrived for the test to read.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The whole message as sent: headers and body.
    pub data: String,
}

impl Received {
    /// The decoded text of the message (quoted-printable and base64 parts undone).
    pub fn text(&self) -> String {
        decode_body(&self.data)
    }

    pub fn subject(&self) -> String {
        // Unfold: continuation lines start with white space.
        let mut value = String::new();
        let mut inside = false;
        for line in self.data.lines() {
            if line.starts_with("Subject:") {
                inside = true;
                value.push_str(line.trim_start_matches("Subject:"));
            } else if inside && line.starts_with([' ', '\t']) {
                value.push_str(line);
            } else if inside {
                break;
            }
        }
        decode_header(value.trim())
    }
}

/// Recipients whose address starts with this are refused with `550` (no such mailbox).
pub const REJECTED_PREFIX: &str = "okand";

pub struct SmtpServer {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    task: JoinHandle<()>,
}

/// A free loopback port with nothing listening on it yet.
pub async fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
}

impl SmtpServer {
    pub async fn start() -> Self {
        Self::start_on(free_port().await).await
    }

    pub async fn start_on(addr: SocketAddr) -> Self {
        Self::listen(addr, Duration::ZERO).await
    }

    /// A server that keeps each message for `delay` before it says "queued", so that a
    /// sender can be stopped between the two.
    pub async fn start_slow(delay: Duration) -> Self {
        Self::listen(free_port().await, delay).await
    }

    async fn listen(addr: SocketAddr, delay: Duration) -> Self {
        let listener = TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("smtp bind {addr}: {e}"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(socket, store, delay).await;
                });
            }
        });
        Self {
            addr,
            received,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits until at least `n` messages arrived (at most `seconds`), and returns all.
    pub async fn wait_for(&self, n: usize, seconds: u64) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            let received = self.received();
            if received.len() >= n || tokio::time::Instant::now() >= deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
    delay: Duration,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 jobtrack-test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-jobtrack-test\r\n250 8BITMIME\r\n")
                .await?;
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("MAIL FROM:") {
            from = command[10..].trim().trim_matches(['<', '>']).to_owned();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            let recipient = command[8..].trim().trim_matches(['<', '>']).to_owned();
            // A mailbox that does not exist, as a real server says so: permanently.
            if recipient.starts_with(REJECTED_PREFIX) {
                write.write_all(b"550 5.1.1 no such mailbox\r\n").await?;
                continue;
            }
            to.push(recipient);
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("DATA") {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            if let Ok(mut store) = store.lock() {
                store.push(Received {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                });
            }
            tokio::time::sleep(delay).await;
            write.write_all(b"250 queued\r\n").await?;
        } else if upper.starts_with("RSET") {
            to.clear();
            write.write_all(b"250 OK\r\n").await?;
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}

/// Undoes the transfer encodings lettre uses for text bodies.
fn decode_body(data: &str) -> String {
    let (headers, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
    let lower = headers.to_lowercase();
    if lower.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    } else if lower.contains("content-transfer-encoding: quoted-printable") {
        decode_quoted_printable(body)
    } else {
        body.to_owned()
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let mut bytes = Vec::new();
    let soft = body.replace("=\r\n", "");
    let raw = soft.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if let (b'=', Some(Ok(b))) = (raw[i], hex.map(|h| u8::from_str_radix(h, 16))) {
            bytes.push(b);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Decodes an RFC 2047 header value (what lettre writes for non-ASCII subjects): white
/// space between two encoded words is dropped, other white space kept.
fn decode_header(value: &str) -> String {
    use base64::Engine;
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, word) in value.split_whitespace().enumerate() {
        let lower = word.to_lowercase();
        let decoded = if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            Some(
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(&word[10..word.len() - 2])
                        .unwrap_or_default(),
                )
                .unwrap_or_default(),
            )
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            Some(decode_quoted_printable(
                &word[10..word.len() - 2].replace('_', " "),
            ))
        } else {
            None
        };
        if i > 0 && !(previous_encoded && decoded.is_some()) {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(&decoded.unwrap_or_else(|| word.to_owned()));
    }
    out
}
