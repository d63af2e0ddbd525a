//! A one-answer HTTP server on 127.0.0.1 for the client's tests: it records
//! every request head and how many body bytes it managed to write.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server answers: `head` (status line and headers, without the
/// blank line), then `chunk` written `repeat` times.
pub struct Answer {
    pub head: String,
    pub chunk: Vec<u8>,
    pub repeat: usize,
}

impl Answer {
    pub fn new(status: &str, headers: &[String], body: &[u8]) -> Self {
        Self::repeated(status, headers, body, 1)
    }

    /// `Content-Length` is set to the whole length; `Connection: close`.
    pub fn repeated(status: &str, headers: &[String], chunk: &[u8], repeat: usize) -> Self {
        let mut head = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str(&format!("Content-Length: {}\r\n", chunk.len() * repeat));
        Self {
            head,
            chunk: chunk.to_vec(),
            repeat,
        }
    }
}

type Answering = dyn Fn(&str, u16) -> Answer + Send + Sync;

#[derive(Clone)]
pub struct TestServer {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    written: Arc<AtomicUsize>,
    finished: Arc<AtomicUsize>,
}

impl TestServer {
    /// Serves every connection with `answer(request head, own port)`.
    pub async fn start(answer: impl Fn(&str, u16) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = Self {
            port,
            requests: Arc::default(),
            written: Arc::default(),
            finished: Arc::default(),
        };
        let answer: Arc<Answering> = Arc::new(answer);
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(s.clone().serve(stream, answer.clone()));
            }
        });
        server
    }

    async fn serve(self, mut stream: TcpStream, answer: Arc<Answering>) {
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head).into_owned();
        let a = answer(&head, self.port);
        self.requests.lock().expect("lock").push(head);
        let mut ok = stream
            .write_all(format!("{}\r\n", a.head).as_bytes())
            .await
            .is_ok();
        for _ in 0..a.repeat {
            if !ok {
                break;
            }
            ok = stream.write_all(&a.chunk).await.is_ok();
            if ok {
                self.written.fetch_add(a.chunk.len(), Ordering::SeqCst);
            }
        }
        let _ = stream.shutdown().await;
        self.finished.fetch_add(1, Ordering::SeqCst);
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("lock").clone()
    }

    /// Body bytes written, once `connections` connections are done.
    pub async fn written_after(&self, connections: usize) -> usize {
        let waited = tokio::time::timeout(Duration::from_secs(20), async {
            while self.finished.load(Ordering::SeqCst) < connections {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        assert!(waited.is_ok(), "the server did not finish");
        self.written.load(Ordering::SeqCst)
    }
}
