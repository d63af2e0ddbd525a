//! The FE's MySQL port (opensrv-mysql), answering the statements listed in `sql`.
//!
//! Handshake: server version `5.1.0`, `mysql_native_password` with a fresh salt per
//! connection, the scramble checked against the cluster's password. A refused login
//! is sent by opensrv as error 1698 (28000) "Authenticate failed ..." where a real
//! FE sends 1045 "Access denied": clients must treat both as bad credentials.
//! Two logins work: the cluster's user and password, and [`VIEWER_USER`] /
//! [`VIEWER_PASSWORD`] (not an admin).

use super::faults::Fault;
use super::proc::{Ctx, Kind};
use super::queries::{VIEWER_PASSWORD, VIEWER_USER};
use super::sql::{execute, Answer, Session};
use super::Shared;
use opensrv_mysql::{
    AsyncMysqlIntermediary, AsyncMysqlShim, Column, ColumnFlags, ColumnType, ErrorKind, InitWriter,
    OkResponse, ParamParser, QueryResultWriter, StatementMetaWriter,
};
use std::io;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWrite;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

static NEXT_CONN: AtomicU32 = AtomicU32::new(1);

struct Conn {
    sh: Arc<Shared>,
    /// The FE whose listener accepted the session.
    fe: usize,
    id: u32,
    salt: [u8; 20],
    user: Mutex<String>,
    db: String,
}

impl Conn {
    fn new(sh: Arc<Shared>, fe: usize) -> Conn {
        let mut salt = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut salt);
        // The handshake writes the salt NUL-terminated: keep NUL (and `$`) out of it.
        for b in &mut salt {
            *b = (*b % 94) + 33;
            if *b == b'$' {
                *b += 1;
            }
        }
        Conn {
            sh,
            fe,
            id: NEXT_CONN.fetch_add(1, Ordering::Relaxed),
            salt,
            user: Mutex::new(String::new()),
            db: String::new(),
        }
    }

    fn db_exists(&self, db: &str) -> bool {
        ["information_schema", "_statistics_", "sys"].contains(&db)
            || self.sh.model.dbs.iter().any(|d| d.name == db)
            || (db == crate::audit::AUDIT_DB && crate::audit::present(&self.sh.model))
    }
}

fn col_type(k: Kind) -> ColumnType {
    match k {
        Kind::Str => ColumnType::MYSQL_TYPE_VAR_STRING,
        Kind::Int => ColumnType::MYSQL_TYPE_LONGLONG,
        Kind::Datetime => ColumnType::MYSQL_TYPE_DATETIME,
        Kind::Double => ColumnType::MYSQL_TYPE_DOUBLE,
    }
}

#[async_trait::async_trait]
impl<W: AsyncWrite + Send + Unpin> AsyncMysqlShim<W> for Conn {
    type Error = io::Error;

    fn version(&self) -> String {
        "5.1.0".into()
    }

    fn connect_id(&self) -> u32 {
        self.id
    }

    fn salt(&self) -> [u8; 20] {
        self.salt
    }

    async fn authenticate(
        &self,
        _plugin: &str,
        username: &[u8],
        salt: &[u8],
        auth_data: &[u8],
    ) -> bool {
        let spec = &self.sh.model.spec;
        let user = String::from_utf8_lossy(username).to_string();
        let check = |password: &str| super::native_auth::verify_native(salt, password, auth_data);
        let ok = !self.sh.faults.is_active(&Fault::WrongCredentials)
            && ((user == spec.user && check(&spec.password))
                || (user == VIEWER_USER && check(VIEWER_PASSWORD)));
        if ok {
            *self.user.lock().unwrap_or_else(|e| e.into_inner()) = user;
        } else {
            tracing::debug!(%user, "simulator MySQL login refused");
        }
        ok
    }

    async fn on_prepare<'a>(
        &'a mut self,
        _q: &'a str,
        info: StatementMetaWriter<'a, W>,
    ) -> io::Result<()> {
        info.error(
            ErrorKind::ER_UNSUPPORTED_PS,
            b"This command is not supported in the prepared statement protocol yet",
        )
        .await
    }

    async fn on_execute<'a>(
        &'a mut self,
        _id: u32,
        _p: ParamParser<'a>,
        results: QueryResultWriter<'a, W>,
    ) -> io::Result<()> {
        results
            .error(
                ErrorKind::ER_UNSUPPORTED_PS,
                b"This command is not supported in the prepared statement protocol yet",
            )
            .await
    }

    async fn on_close(&mut self, _stmt: u32) {}

    async fn on_init<'a>(&'a mut self, db: &'a str, w: InitWriter<'a, W>) -> io::Result<()> {
        if self.db_exists(db) {
            self.db = db.to_string();
            w.ok().await
        } else {
            w.error(
                ErrorKind::ER_BAD_DB_ERROR,
                format!("Unknown database '{db}'").as_bytes(),
            )
            .await
        }
    }

    async fn on_query<'a>(
        &'a mut self,
        query: &'a str,
        results: QueryResultWriter<'a, W>,
    ) -> io::Result<()> {
        if let Some(delay) = self.sh.faults.mysql_slow() {
            tokio::time::sleep(delay).await;
        }
        let trimmed = query.trim().trim_end_matches(';').trim();
        if trimmed.len() > 4 && trimmed[..4].eq_ignore_ascii_case("use ") {
            let db = trimmed[4..].trim().trim_matches('`').to_string();
            return if self.db_exists(&db) {
                self.db = db;
                results.completed(OkResponse::default()).await
            } else {
                results
                    .error(
                        ErrorKind::ER_BAD_DB_ERROR,
                        format!("Unknown database '{db}'").as_bytes(),
                    )
                    .await
            };
        }
        let ctx = Ctx {
            sh: &self.sh,
            fe: self.fe,
            t: crate::now_ms(),
            view: self.sh.faults.view(),
        };
        let me = Session {
            id: self.id,
            user: self.user.lock().unwrap_or_else(|e| e.into_inner()).clone(),
            db: self.db.clone(),
        };
        match execute(&ctx, &me, query) {
            Answer::Ok => results.completed(OkResponse::default()).await,
            Answer::Err(code, msg) => results.error(ErrorKind::from(code), msg.as_bytes()).await,
            Answer::Rows(g) => {
                let cols: Vec<Column> = g
                    .cols
                    .iter()
                    .map(|(name, k)| Column {
                        table: String::new(),
                        column: name.clone(),
                        coltype: col_type(*k),
                        colflags: ColumnFlags::empty(),
                    })
                    .collect();
                let mut w = results.start(&cols).await?;
                for row in &g.rows {
                    for v in row {
                        w.write_col(v.text())?;
                    }
                    w.end_row().await?;
                }
                w.finish().await
            }
        }
    }
}

/// Accepts MySQL sessions on `l` until `closed`; then drops the listener and every
/// open session (MysqlDown / shutdown).
async fn serve(l: TcpListener, sh: Arc<Shared>, fe: usize, mut closed: watch::Receiver<bool>) {
    let mut sessions = JoinSet::new();
    loop {
        tokio::select! {
            r = closed.changed() => if r.is_err() || *closed.borrow() { break },
            acc = l.accept() => match acc {
                Ok((stream, _)) => {
                    // As a real server: answers go out at once, not after the
                    // client's delayed ACK (40 ms a round trip on loopback).
                    let _ = stream.set_nodelay(true);
                    let shim = Conn::new(sh.clone(), fe);
                    sessions.spawn(async move {
                        let (r, w) = stream.into_split();
                        if let Err(e) = AsyncMysqlIntermediary::run_on(shim, r, w).await {
                            tracing::debug!(error = %e, "simulator MySQL session ended");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "simulator MySQL accept failed"),
            },
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    sessions.abort_all();
}

/// Every FE serves the same catalog; `fe` names which FE this port belongs to,
/// so that `fe_down` closes it with the FE's HTTP port, and the statements
/// about running queries (`SHOW PROC '/current_queries'`, `KILL`) see that FE's.
pub(crate) async fn supervise(
    l: TcpListener,
    sh: Arc<Shared>,
    fe: usize,
    stop: watch::Receiver<bool>,
) {
    let faults = sh.faults.clone();
    let f2 = faults.clone();
    super::net::supervise(
        l,
        move || f2.is_active(&Fault::MysqlDown) || f2.is_active(&Fault::FeDown(fe)),
        faults,
        stop,
        move |l, closed| serve(l, sh.clone(), fe, closed),
    )
    .await
}
