//! The listener: a cap on connections and deadlines on each, so silent,
//! dribbling or idle clients cannot make the page unreachable. Behind a
//! proxy the proxy's own limits come first; these hold when it has none.

use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;

use super::App;

/// The peer a request came from, put in its extensions for the login
/// throttle.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub std::net::SocketAddr);

/// What one client may hold of the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// The whole head of a request must arrive within this (also the
    /// longest an idle kept-alive connection stays open).
    pub header_timeout: Duration,
    /// No connection lives longer than this, whatever it does (a body
    /// sent a byte at a time ends here).
    pub connection_lifetime: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            connection_lifetime: Duration::from_secs(60),
        }
    }
}

/// Serves until stopped.
pub async fn serve(app: Arc<App>, listen: std::net::SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("kan ikke lytte på {listen}: {e}"))?;
    serve_on(app, listener, Limits::default()).await
}

/// Serves on a listener already bound (the tests and the benchmark bind
/// port 0).
pub async fn serve_on(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    limits: Limits,
) -> anyhow::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "nettsiden er oppe");
    let router = super::router(app);
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    loop {
        let permit = permits.clone().acquire_owned().await?;
        let (stream, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // Out of file descriptors and the like: wait, do not spin.
                tracing::warn!(error = %e, "kunne ikke ta imot en tilkobling");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let router = router.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let svc = WithPeer {
                router,
                peer: Peer(peer),
            };
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(64 * 1024);
            let conn =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
            if tokio::time::timeout(limits.connection_lifetime, conn)
                .await
                .is_err()
            {
                tracing::debug!(%peer, "tilkoblingen ble stengt: den varte for lenge");
            }
        });
    }
}

/// The router with the peer's address put into every request.
#[derive(Clone)]
struct WithPeer {
    router: axum::Router,
    peer: Peer,
}

impl tower_service::Service<hyper::Request<hyper::body::Incoming>> for WithPeer {
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future =
        <axum::Router as tower_service::Service<hyper::Request<hyper::body::Incoming>>>::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        tower_service::Service::<hyper::Request<hyper::body::Incoming>>::poll_ready(
            &mut self.router,
            cx,
        )
    }

    fn call(&mut self, mut req: hyper::Request<hyper::body::Incoming>) -> Self::Future {
        req.extensions_mut().insert(self.peer);
        self.router.call(req)
    }
}
