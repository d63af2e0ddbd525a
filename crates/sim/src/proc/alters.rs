//! Schema change jobs: the model behind `SHOW ALTER TABLE COLUMN`, `/jobs/<db>`
//! and the FE's `job` metric.

use super::{dt, int, s, Ctx, Grid, Kind, Val};

/// One schema change job.
pub struct AlterJob {
    pub db_id: u64,
    pub db: String,
    pub state: &'static str,
    pub row: Vec<Val>,
}

/// Schema change jobs: one finished per table pair, one RUNNING whose progress
/// moves every hour, one PENDING and one CANCELLED.
pub fn alter_jobs(c: &Ctx) -> Vec<AlterJob> {
    let m = &c.sh.model;
    let mut out = Vec::new();
    let hour = c.t.div_euclid(3_600_000);
    for (i, d) in m.dbs.iter().enumerate() {
        for (j, t) in d.tables.iter().enumerate().step_by(3) {
            let state = match (i, j) {
                (0, 0) => "RUNNING",
                (1, 0) => "PENDING",
                (2, 0) => "CANCELLED",
                _ => "FINISHED",
            };
            let job_id = t.id
                + 50_000
                + if state == "RUNNING" {
                    hour as u64 % 1000
                } else {
                    0
                };
            let create = match state {
                "RUNNING" => hour * 3_600_000 + 120_000,
                "PENDING" => c.t - 45_000,
                _ => t.created_ms + 86_400_000 * (1 + j as i64),
            };
            let create = create.min(c.t);
            let progress = if state == "RUNNING" {
                let done = ((c.t - create).max(0) * 48 / 3_600_000).min(47);
                s(format!("{done}/48"))
            } else {
                Val::Null
            };
            let finish = match state {
                "FINISHED" | "CANCELLED" => dt(create + 600_000),
                _ => Val::Null,
            };
            let msg = if state == "CANCELLED" {
                "Cancelled by user"
            } else {
                ""
            };
            let row = vec![
                int(job_id),
                s(&t.name),
                dt(create),
                finish,
                s(&t.name),
                int(t.id + 1),
                int(t.id + 2),
                s("1:0"),
                int(t.id * 3 + 7),
                s(state),
                s(msg),
                progress,
                int(86_400),
            ];
            out.push(AlterJob {
                db_id: d.id,
                db: d.name.clone(),
                state,
                row,
            });
        }
    }
    out
}

/// SchemaChangeProcDir columns (`SHOW ALTER TABLE COLUMN`).
pub fn alter_grid(c: &Ctx, db: Option<&str>) -> Grid {
    let mut g = Grid::typed(&[
        ("JobId", Kind::Int),
        ("TableName", Kind::Str),
        ("CreateTime", Kind::Datetime),
        ("FinishTime", Kind::Datetime),
        ("IndexName", Kind::Str),
        ("IndexId", Kind::Int),
        ("OriginIndexId", Kind::Int),
        ("SchemaVersion", Kind::Str),
        ("TransactionId", Kind::Int),
        ("State", Kind::Str),
        ("Msg", Kind::Str),
        ("Progress", Kind::Str),
        ("Timeout", Kind::Int),
    ]);
    g.rows = alter_jobs(c)
        .into_iter()
        .filter(|a| db.is_none_or(|d| d.eq_ignore_ascii_case(&a.db)))
        .map(|a| a.row)
        .collect();
    g
}
