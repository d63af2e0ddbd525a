//! `kill -9` of the real server binary while its collector ticks: the database
//! stays consistent and loses at most the tick in flight.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const INTERVAL_MS: u64 = 5_000;

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn start_server(dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_starrocks-overview"))
        .args(["--listen", "127.0.0.1:0", "--demo", "--log-level", "warn"])
        .args(["--collect-interval-s", &(INTERVAL_MS / 1000).to_string()])
        .arg("--data-dir")
        .arg(dir)
        .args(["--admin-password", "crash-test-password"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary")
}

struct Tally {
    rows: i64,
    /// Ticks whose rows are not all there (a half-written tick).
    torn: i64,
}

async fn inspect(db: &std::path::Path) -> Tally {
    let mut conn = SqliteConnectOptions::new()
        .filename(db)
        .connect()
        .await
        .expect("open the database after the kill");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity_check");
    assert_eq!(check, "ok");
    let fk: Vec<(String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
    assert!(fk.is_empty(), "{fk:?}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM metrics_snapshots")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(0);
    let torn: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT collected_at FROM metrics_snapshots GROUP BY collected_at \
         HAVING COUNT(*) <> (SELECT COUNT(*) FROM clusters))",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap_or(0);
    let _ = conn.close().await;
    Tally { rows, torn }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_ticks_leaves_the_database_consistent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("starrocks-overview.db");
    let mut previous = 0;
    // Kill at several points after a tick boundary, to land before, inside and
    // after the tick's transaction.
    for offset_ms in [3u64, 15, 40, 120] {
        let mut server = start_server(dir.path());
        // Wait for a boundary that the server has had time to schedule.
        let started = Instant::now();
        std::thread::sleep(Duration::from_millis(1500));
        let next = (now_ms() / INTERVAL_MS + 1) * INTERVAL_MS;
        tokio::time::sleep(Duration::from_millis(next + offset_ms - now_ms())).await;
        server.kill().expect("kill -9");
        let _ = server.wait();
        assert!(started.elapsed() < Duration::from_secs(10));

        let tally = inspect(&db).await;
        assert_eq!(
            tally.torn, 0,
            "a tick was half written (kill at +{offset_ms} ms)"
        );
        assert!(
            tally.rows >= previous,
            "rows were lost: {} before, {} after",
            previous,
            tally.rows
        );
        previous = tally.rows;
    }

    // And the collector keeps going on the same database after all that.
    let mut server = start_server(dir.path());
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut grew = false;
    while Instant::now() < deadline && !grew {
        tokio::time::sleep(Duration::from_millis(500)).await;
        grew = inspect(&db).await.rows > previous;
    }
    server.kill().expect("kill -9");
    let _ = server.wait();
    assert!(grew, "no tick was written after the restarts");
    assert_eq!(inspect(&db).await.torn, 0);
}
