//! Test support: a real HTTP server on its own thread and runtime (real time), so tests
//! of the client side can pause theirs.

use url::Url;

/// Serves `app` on a free loopback port; returns its base URL (`http://127.0.0.1:N/api/`).
pub(crate) fn serve(app: axum::Router) -> Url {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    Url::parse(&format!("http://{addr}/api/")).unwrap()
}
