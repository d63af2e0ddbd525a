//! information_schema.materialized_views.

use super::{dt, s, Ctx, Grid};

/// information_schema.materialized_views: one per database, the second one
/// FAILED with an error, the third inactive.
pub fn mvs_grid(c: &Ctx) -> Grid {
    let m = &c.sh.model;
    let cols = [
        "MATERIALIZED_VIEW_ID",
        "TABLE_SCHEMA",
        "TABLE_NAME",
        "REFRESH_TYPE",
        "IS_ACTIVE",
        "INACTIVE_REASON",
        "PARTITION_TYPE",
        "TASK_ID",
        "TASK_NAME",
        "LAST_REFRESH_START_TIME",
        "LAST_REFRESH_FINISHED_TIME",
        "LAST_REFRESH_DURATION",
        "LAST_REFRESH_STATE",
        "LAST_REFRESH_FORCE_REFRESH",
        "LAST_REFRESH_START_PARTITION",
        "LAST_REFRESH_END_PARTITION",
        "LAST_REFRESH_BASE_REFRESH_PARTITIONS",
        "LAST_REFRESH_MV_REFRESH_PARTITIONS",
        "LAST_REFRESH_ERROR_CODE",
        "LAST_REFRESH_ERROR_MESSAGE",
        "TABLE_ROWS",
        "MATERIALIZED_VIEW_DEFINITION",
    ];
    let mut g = Grid::strings(&cols);
    let hour = c.t.div_euclid(3_600_000) * 3_600_000;
    for (i, d) in m.dbs.iter().enumerate() {
        let Some(base) = d.tables.first() else {
            continue;
        };
        let name = format!("mv_{}_daily", base.name);
        let id = base.id + 90_000;
        let (active, reason, state, code, msg) = match i % 4 {
            1 => ("true", "", "FAILED", "-1", format!(
                "Refresh materialized view {name} failed after retrying 1 times(try-lock 0 times), error-msg : Memory of query_pool exceed limit. Pipeline Backend: 127.0.0.1, fragment: 6f1e..., Used: 6.1GB, Limit: 6.0GB"
            )),
            2 => ("false", "base-table dropped: ods_tmp", "SKIPPED", "0", String::new()),
            _ => ("true", "", "SUCCESS", "0", String::new()),
        };
        let dur = 2.0 + m.rand(id) * 60.0;
        g.rows.push(vec![
            s(id),
            s(&d.name),
            s(&name),
            s("ASYNC"),
            s(active),
            s(reason),
            s("RANGE"),
            s(id + 1),
            s(format!("mv-{id}")),
            dt(hour),
            dt(hour + (dur * 1000.0) as i64),
            s(format!("{dur:.3}")),
            s(state),
            s("false"),
            s("p20250101"),
            s("p20251231"),
            s(format!("{{{}={{p20251124}}}}", base.name)),
            s("[p20251124]"),
            s(code),
            s(msg),
            s(m.table_rows(base, c.t) / 24),
            s(format!(
                "CREATE MATERIALIZED VIEW `{name}` REFRESH ASYNC EVERY(INTERVAL 1 HOUR) AS SELECT date_trunc('day', dt) AS d, count(*) AS c FROM `{}`.`{}` GROUP BY 1;",
                d.name, base.name
            )),
        ]);
    }
    g
}
