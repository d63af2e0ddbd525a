//! Load jobs: the model behind information_schema.loads, `/jobs/<db>` and the
//! FE's `job` metric.

use super::{dt, int, s, Ctx, Grid, Kind, Val};

/// One load job.
pub struct LoadJob {
    pub db_id: u64,
    pub kind: &'static str,
    pub state: &'static str,
    pub row: Vec<Val>,
}

/// Load jobs: finished broker/insert loads, one LOADING broker load, one
/// CANCELLED with an error, one PENDING spark load. Labels move every 10 min.
pub fn load_jobs(c: &Ctx) -> Vec<LoadJob> {
    let m = &c.sh.model;
    let slot = c.t.div_euclid(600_000);
    let mut out = Vec::new();
    for (i, d) in m.dbs.iter().enumerate() {
        let plan: &[(&str, &str)] = match i {
            0 => &[
                ("BROKER", "FINISHED"),
                ("BROKER", "LOADING"),
                ("INSERT", "FINISHED"),
            ],
            1 => &[("INSERT", "FINISHED"), ("BROKER", "CANCELLED")],
            2 => &[("SPARK", "PENDING"), ("INSERT", "FINISHED")],
            _ => &[("INSERT", "FINISHED")],
        };
        for (j, (kind, state)) in plan.iter().enumerate() {
            let id = d.id * 1000 + slot as u64 % 1000 * 10 + j as u64;
            let create = slot * 600_000 - 300_000 * j as i64;
            let rows = (m.rand(id) * 5e6) as i64;
            let tbl = d
                .tables
                .get(j % d.tables.len().max(1))
                .map_or("t", |t| t.name.as_str());
            let (progress, etl_start, load_start, load_finish, err) = match *state {
                "FINISHED" => (
                    "ETL:100%; LOAD:100%",
                    dt(create + 1_000),
                    dt(create + 2_000),
                    dt(create + 62_000),
                    Val::Null,
                ),
                "LOADING" => (
                    "ETL:100%; LOAD:37%",
                    dt(create + 1_000),
                    dt(create + 2_000),
                    Val::Null,
                    Val::Null,
                ),
                "CANCELLED" => (
                    "ETL:100%; LOAD:0%",
                    dt(create + 1_000),
                    Val::Null,
                    Val::Null,
                    s("type:ETL_QUALITY_UNSATISFIED; msg:quality not good enough to cancel"),
                ),
                _ => (
                    "ETL:0%; LOAD:0%",
                    Val::Null,
                    Val::Null,
                    Val::Null,
                    Val::Null,
                ),
            };
            let label = format!("{}_{}_{}", kind.to_lowercase(), tbl, create / 1000);
            let row = vec![
                int(id),
                s(&label),
                s(&d.name),
                s(*state),
                s(progress),
                s(*kind),
                s("NORMAL"),
                int(rows),
                int(if *state == "CANCELLED" { rows / 5 } else { 0 }),
                int(0),
                int(if *state == "FINISHED" { rows } else { 0 }),
                Val::Null,
                s(format!(
                    "resource:N/A; timeout(s):14400; max_filter_ratio:0.0; table:{tbl}"
                )),
                dt(create),
                etl_start.clone(),
                etl_start,
                load_start,
                load_finish,
                s(format!(
                    "{{\"Unfinished backends\":{{}},\"ScannedRows\":{rows},\"TaskNumber\":1}}"
                )),
                err,
                s(""),
                s(""),
                Val::Null,
            ];
            out.push(LoadJob {
                db_id: d.id,
                kind,
                state,
                row,
            });
        }
    }
    out
}

pub fn loads_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&[
        ("JOB_ID", Kind::Int),
        ("LABEL", Kind::Str),
        ("DATABASE_NAME", Kind::Str),
        ("STATE", Kind::Str),
        ("PROGRESS", Kind::Str),
        ("TYPE", Kind::Str),
        ("PRIORITY", Kind::Str),
        ("SCAN_ROWS", Kind::Int),
        ("FILTERED_ROWS", Kind::Int),
        ("UNSELECTED_ROWS", Kind::Int),
        ("SINK_ROWS", Kind::Int),
        ("ETL_INFO", Kind::Str),
        ("TASK_INFO", Kind::Str),
        ("CREATE_TIME", Kind::Datetime),
        ("ETL_START_TIME", Kind::Datetime),
        ("ETL_FINISH_TIME", Kind::Datetime),
        ("LOAD_START_TIME", Kind::Datetime),
        ("LOAD_FINISH_TIME", Kind::Datetime),
        ("JOB_DETAILS", Kind::Str),
        ("ERROR_MSG", Kind::Str),
        ("TRACKING_URL", Kind::Str),
        ("TRACKING_SQL", Kind::Str),
        ("REJECTED_RECORD_PATH", Kind::Str),
    ]);
    g.rows = load_jobs(c).into_iter().map(|l| l.row).collect();
    g
}
