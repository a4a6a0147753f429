//! A small HTTP/1.1 server for the stand-in site, on 127.0.0.1 only. It
//! answers GET from memory, sends an ETag and honours If-None-Match, and
//! can be told to misbehave on a path (an error status, a hang, a soft
//! error, a body cut short) for the next request(s) to it.

use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::{Resource, Site};

/// A way to misbehave, used once for the next request to a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status (and `Retry-After`, if given).
    Status {
        status: u16,
        retry_after: Option<String>,
    },
    /// Wait this long before answering normally (a slow or hung server).
    Hang(Duration),
    /// Answer 200 with this body instead of the page.
    Body(String),
    /// Promise the whole page, send half of it, close the connection.
    Truncate,
}

/// What the server was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// The request body (webhook posts).
    pub body: String,
    /// It carried If-None-Match or If-Modified-Since.
    pub conditional: bool,
    pub status: u16,
    /// Bytes of the response body sent.
    pub bytes: usize,
}

struct State {
    resources: HashMap<String, Resource>,
    faults: HashMap<String, VecDeque<Fault>>,
    log: Vec<LoggedRequest>,
    /// Send ETags (the real site sends none for HTML).
    etags: bool,
    /// Wait before every answer.
    delay: Duration,
}

pub struct SiteServer {
    origin: String,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

fn etag_of(body: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

impl SiteServer {
    /// Binds a free port on 127.0.0.1 and serves `site` from a thread of
    /// its own until dropped.
    pub fn start(site: &Site) -> io::Result<SiteServer> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr: SocketAddr = std_listener.local_addr()?;
        let origin = format!("http://{addr}");
        let state = Arc::new(Mutex::new(State {
            resources: site.resources(&origin),
            faults: HashMap::new(),
            log: Vec::new(),
            etags: true,
            delay: Duration::ZERO,
        }));
        let (tx, mut rx) = oneshot::channel();
        let shared = state.clone();
        let thread = std::thread::Builder::new()
            .name("site-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime for the site server");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("listener");
                    loop {
                        tokio::select! {
                            _ = &mut rx => break,
                            accepted = listener.accept() => {
                                if let Ok((stream, _)) = accepted {
                                    tokio::spawn(serve(stream, shared.clone()));
                                }
                            }
                        }
                    }
                });
            })?;
        Ok(SiteServer {
            origin,
            state,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// Replaces what the site serves (a deadline moved, a new hearing).
    pub fn set_site(&self, site: &Site) {
        let resources = site.resources(&self.origin);
        self.lock().resources = resources;
    }

    /// Serves `body` at `path` (a page the site model does not make).
    pub fn put(&self, path: &str, content_type: &'static str, body: String) {
        self.lock()
            .resources
            .insert(path.to_string(), Resource { content_type, body });
    }

    /// Misbehaves on the next request to `path` (queued after earlier ones).
    pub fn push_fault(&self, path: &str, fault: Fault) {
        self.lock()
            .faults
            .entry(path.to_string())
            .or_default()
            .push_back(fault);
    }

    pub fn set_etags(&self, on: bool) {
        self.lock().etags = on;
    }

    pub fn set_delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.lock().log.clone()
    }

    /// The requests so far, and forget them.
    pub fn take_requests(&self) -> Vec<LoggedRequest> {
        std::mem::take(&mut self.lock().log)
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 16 * 1024 {
            return;
        }
    }
    let head_end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len())
        + 4;
    let head = String::from_utf8_lossy(&buf[..head_end.min(buf.len())]).to_string();
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("");
    let method = request_line
        .split_whitespace()
        .next()
        .unwrap_or("GET")
        .to_string();
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut if_none_match = None;
    let mut conditional = false;
    let mut content_length = 0usize;
    for line in lines {
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            content_length = v.trim().parse().unwrap_or(0).min(1 << 20);
        }
        if lower.starts_with("if-none-match:") {
            if_none_match = Some(line["if-none-match:".len()..].trim().to_string());
            conditional = true;
        } else if lower.starts_with("if-modified-since:") {
            conditional = true;
        }
    }

    let mut body_in = buf[head_end.min(buf.len())..].to_vec();
    while body_in.len() < content_length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body_in.extend_from_slice(&chunk[..n]),
        }
    }
    let body_in = String::from_utf8_lossy(&body_in).to_string();
    let (fault, resource, etags, delay) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        let fault = s.faults.get_mut(&target).and_then(VecDeque::pop_front);
        (fault, s.resources.get(&target).cloned(), s.etags, s.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut extra = String::new();
    let (status, content_type, body, truncate) = match (fault, resource) {
        (
            Some(Fault::Status {
                status,
                retry_after,
            }),
            _,
        ) => {
            if let Some(ra) = retry_after {
                extra.push_str(&format!("Retry-After: {ra}\r\n"));
            }
            (
                status,
                "text/html; charset=utf-8",
                format!("<html><body><h1>{status}</h1></body></html>"),
                false,
            )
        }
        (Some(Fault::Hang(d)), res) => {
            tokio::time::sleep(d).await;
            match res {
                Some(r) => (200, r.content_type, r.body, false),
                None => (404, "text/html", not_found(), false),
            }
        }
        (Some(Fault::Body(b)), _) => (200, "text/html; charset=utf-8", b, false),
        (Some(Fault::Truncate), Some(r)) => (200, r.content_type, r.body, true),
        // A webhook receiver: every POST is accepted.
        (_, _) if method == "POST" => (200, "application/json", "{}".to_string(), false),
        (_, Some(r)) => {
            let tag = etag_of(&r.body);
            if etags && if_none_match.as_deref() == Some(tag.as_str()) {
                (304, r.content_type, String::new(), false)
            } else {
                if etags {
                    extra.push_str(&format!("ETag: {tag}\r\n"));
                }
                (200, r.content_type, r.body, false)
            }
        }
        (_, None) => (404, "text/html; charset=utf-8", not_found(), false),
    };
    state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .log
        .push(LoggedRequest {
            method,
            path: target,
            body: body_in,
            conditional,
            status,
            bytes: match (status, truncate) {
                (304, _) => 0,
                (_, true) => body.len() / 2,
                _ => body.len(),
            },
        });
    let bytes = body.as_bytes();
    let header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        reason(status),
        if status == 304 { 0 } else { bytes.len() }
    );
    let _ = stream.write_all(header.as_bytes()).await;
    if status != 304 {
        let send = if truncate {
            &bytes[..bytes.len() / 2]
        } else {
            bytes
        };
        let _ = stream.write_all(send).await;
    }
    let _ = stream.shutdown().await;
}

fn not_found() -> String {
    "<html><head><title>Beklager, siden finnes ikke</title></head><body><h1>Beklager, siden finnes ikke</h1></body></html>".into()
}
