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
    /// Send half of the page with no Content-Length, then close: the
    /// client cannot tell from HTTP that it is cut short.
    CutWithoutLength,
    /// Answer with a redirect (301, 302, …) to `location`.
    Redirect { status: u16, location: String },
    /// Answer 200 with these bytes and this Content-Type.
    Bytes { content_type: String, body: Vec<u8> },
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
    /// When it came.
    pub at: std::time::Instant,
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
    /// Misbehave like this on every request, whatever the path.
    always: Option<Fault>,
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
            always: None,
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

    /// Misbehaves on every request from now on (`None`: behave again).
    pub fn set_always(&self, fault: Option<Fault>) {
        self.lock().always = fault;
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

/// How many volatile answers have been stamped.
static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
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
        let fault = s
            .faults
            .get_mut(&target)
            .and_then(VecDeque::pop_front)
            .or_else(|| s.always.clone());
        (fault, s.resources.get(&target).cloned(), s.etags, s.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let mut extra = String::new();
    let mut cut = Cut::None;
    let (status, content_type, body): (u16, String, Vec<u8>) = match (fault, resource) {
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
                "text/html; charset=utf-8".into(),
                format!("<html><body><h1>{status}</h1></body></html>").into_bytes(),
            )
        }
        (Some(Fault::Hang(d)), res) => {
            tokio::time::sleep(d).await;
            match res {
                Some(r) => (200, r.content_type.into(), r.body.into_bytes()),
                None => (404, "text/html".into(), not_found().into_bytes()),
            }
        }
        (Some(Fault::Body(b)), _) => (200, "text/html; charset=utf-8".into(), b.into_bytes()),
        (Some(Fault::Bytes { content_type, body }), _) => (200, content_type, body),
        (Some(Fault::Redirect { status, location }), _) => {
            extra.push_str(&format!("Location: {location}\r\n"));
            (status, "text/html".into(), Vec::new())
        }
        (Some(Fault::Truncate), Some(r)) => {
            cut = Cut::WithLength;
            (200, r.content_type.into(), r.body.into_bytes())
        }
        (Some(Fault::CutWithoutLength), Some(r)) => {
            cut = Cut::WithoutLength;
            (200, r.content_type.into(), r.body.into_bytes())
        }
        // A webhook receiver: every POST is accepted.
        (_, _) if method == "POST" => (200, "application/json".into(), b"{}".to_vec()),
        (_, Some(mut r)) => {
            // An API answer stamped afresh on every request (Stortinget's
            // respons_dato_tid), as the real one is.
            if r.body.contains(crate::VOLATILE) {
                let n = STAMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let stamp = format!(
                    "2026-11-26T10:{:02}:{:02}.{n:03}+01:00",
                    n / 60 % 60,
                    n % 60
                );
                r.body = r.body.replace(crate::VOLATILE, &stamp);
            }
            let tag = etag_of(&r.body);
            if etags && if_none_match.as_deref() == Some(tag.as_str()) {
                (304, r.content_type.into(), Vec::new())
            } else {
                if etags {
                    extra.push_str(&format!("ETag: {tag}\r\n"));
                }
                (200, r.content_type.into(), r.body.into_bytes())
            }
        }
        (_, None) => match short_target(&state, &target) {
            // The short form of a document's address redirects to it.
            Some(path) => {
                extra.push_str(&format!("Location: {path}\r\n"));
                (301, "text/html".into(), Vec::new())
            }
            None => (
                404,
                "text/html; charset=utf-8".into(),
                not_found().into_bytes(),
            ),
        },
    };
    let sent = match cut {
        Cut::None => &body[..],
        Cut::WithLength | Cut::WithoutLength => &body[..body.len() / 2],
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
            at: std::time::Instant::now(),
            status,
            bytes: if status == 304 { 0 } else { sent.len() },
        });
    let length = match cut {
        Cut::WithoutLength => String::new(),
        _ => format!(
            "Content-Length: {}\r\n",
            if status == 304 { 0 } else { body.len() }
        ),
    };
    let header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\n{length}{extra}Connection: close\r\n\r\n",
        reason(status),
    );
    let _ = stream.write_all(header.as_bytes()).await;
    if status != 304 {
        let _ = stream.write_all(sent).await;
    }
    let _ = stream.shutdown().await;
}

/// The full path of the document whose short address (`/id<N>/`) this is.
fn short_target(state: &Mutex<State>, target: &str) -> Option<String> {
    let digits = target.strip_prefix("/id")?.strip_suffix('/')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let tail = format!("/id{digits}/");
    let s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.resources
        .keys()
        .find(|k| k.starts_with("/no/dokumenter/") && k.ends_with(&tail))
        .cloned()
}

/// How an answer is cut short, if it is.
enum Cut {
    None,
    WithLength,
    WithoutLength,
}

fn not_found() -> String {
    "<html><head><title>Beklager, siden finnes ikke</title></head><body><h1>Beklager, siden finnes ikke</h1></body></html>".into()
}
