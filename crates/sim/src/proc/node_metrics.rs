//! `information_schema.fe_metrics` and `be_metrics` (3.1 on): every alive
//! node's metrics over SQL, from the same figures as that node's `/metrics` at
//! the same time.
//!
//! The FE table holds what the FE's JSON visitor writes (see
//! `fe_http/metrics/json.rs`) for each alive FE, keyed by its SHOW FRONTENDS
//! Name; the BE table the core registry of each alive backend (compute node in
//! shared-data, as 3.3's scan covers them), keyed by its BackendId. A down FE
//! (`fe_down`) or a `be_dead` backend has no rows, as the scans skip nodes that
//! are not alive. One set of rows per simulated backend: `many_nodes` lists more
//! nodes but does not add rows here.

use super::{fe_names, s, Ctx, Grid, Kind, Val};
use crate::be_http::be_samples;
use crate::fe_http::fe_json;

/// `FE_ID` (SHOW FRONTENDS Name), `NAME`, `LABELS` (the JSON tags), `VALUE`.
pub fn fe_metrics_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&[
        ("FE_ID", Kind::Str),
        ("NAME", Kind::Str),
        ("LABELS", Kind::Str),
        ("VALUE", Kind::Int),
    ]);
    for (j, id) in fe_names(c).into_iter().enumerate() {
        if c.view.fe_down_since(j).is_some() {
            continue;
        }
        for m in fe_json(c.sh, j, c.t, &c.view) {
            g.rows.push(vec![
                s(&id),
                s(&m.name),
                s(m.tags()),
                Val::Int(m.value.truncated()),
            ]);
        }
    }
    g
}

/// `BE_ID` (BackendId), `NAME`, `LABELS` (`k=v,...`), `VALUE`.
pub fn be_metrics_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&[
        ("BE_ID", Kind::Int),
        ("NAME", Kind::Str),
        ("LABELS", Kind::Str),
        ("VALUE", Kind::Int),
    ]);
    for k in 0..c.sh.be_http.len() {
        if !c.alive(k) {
            continue;
        }
        let id = Val::Int(10_001 + k as i64);
        for (name, labels, v) in be_samples(&c.sh.model, k, c.t, &c.view) {
            g.rows
                .push(vec![id.clone(), s(name), s(labels), Val::Int(v)]);
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use crate::be_http::be_metrics;
    use crate::faults::{Fault, View};
    use crate::fe_http::fe_metrics;
    use crate::proc::{Ctx, Grid, Kind, Val};
    use crate::sql::{execute, Answer, Session};
    use crate::tests::shared_of;
    use crate::Shared;

    const T: i64 = 1_764_000_000_000;

    fn run(sh: &Shared, view: &View, sql: &str) -> Answer {
        let ctx = Ctx {
            sh,
            fe: 0,
            t: T,
            view: view.clone(),
        };
        let me = Session {
            id: 1,
            user: "root".into(),
            db: String::new(),
        };
        execute(&ctx, &me, sql)
    }

    fn grid(sh: &Shared, view: &View, sql: &str) -> Grid {
        match run(sh, view, sql) {
            Answer::Rows(g) => g,
            other => panic!("{sql}: {other:?}"),
        }
    }

    fn text(v: &Val) -> String {
        v.text().unwrap_or_default()
    }

    /// The rows whose NAME and LABELS are these, as (id, value).
    fn find(g: &Grid, name: &str, labels: &str) -> Vec<(String, i64)> {
        g.rows
            .iter()
            .filter(|r| text(&r[1]) == name && text(&r[2]) == labels)
            .map(|r| match r[3] {
                Val::Int(v) => (text(&r[0]), v),
                _ => panic!("VALUE is not an integer: {r:?}"),
            })
            .collect()
    }

    /// The value of the first Prometheus line starting with `series ` in `text`.
    fn prom(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{series} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    }

    const FE_SQL: &str = "SELECT FE_ID, NAME, LABELS, VALUE FROM information_schema.fe_metrics";
    const BE_SQL: &str = "SELECT BE_ID, NAME, LABELS, VALUE FROM information_schema.be_metrics";

    #[test]
    fn fe_metrics_rows_are_each_fes_metrics_keyed_by_its_name() {
        let sh = shared_of("3.3-shared-nothing", 6);
        let v = View::default();
        let g = grid(&sh, &v, FE_SQL);
        let kinds: Vec<(&str, Kind)> = g.cols.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        assert_eq!(
            kinds,
            [
                ("FE_ID", Kind::Str),
                ("NAME", Kind::Str),
                ("LABELS", Kind::Str),
                ("VALUE", Kind::Int)
            ]
        );
        let fes = grid(&sh, &v, "SHOW FRONTENDS");
        let names: Vec<String> = fes.rows.iter().map(|r| text(&r[0])).collect();
        assert_eq!(names[1], "127.0.0.1_9020_1725321661000");
        for (j, name) in names.iter().enumerate() {
            let m = fe_metrics(&sh, j, T, &v);
            let want = |series: &str| prom(&m, series) as i64;
            let one = |n: &str, l: &str| {
                let rows = find(&g, n, l);
                let mine: Vec<i64> = rows
                    .iter()
                    .filter(|(id, _)| id == name)
                    .map(|r| r.1)
                    .collect();
                assert_eq!(mine.len(), 1, "{name} {n} {l}: {rows:?}");
                mine[0]
            };
            assert_eq!(
                one("query_total", "{\"metric\":\"query_total\"}"),
                want("starrocks_fe_query_total")
            );
            assert_eq!(
                one(
                    "query_latency",
                    "{\"metric\":\"query_latency\",\"type\":\"99_quantile\"}"
                ),
                want("starrocks_fe_query_latency{type=\"99_quantile\"}")
            );
            assert_eq!(
                one(
                    "connection_total",
                    "{\"metric\":\"connection_total\",\"user\":\"root\"}"
                ),
                want("starrocks_fe_connection_total{user=\"root\"}")
            );
            assert_eq!(
                one(
                    "jvm_heap_size_bytes",
                    "{\"metric\":\"jvm_heap_size_bytes\",\"type\":\"max\"}"
                ),
                want("jvm_heap_size_bytes{type=\"max\"}")
            );
            // Doubles are truncated toward zero.
            let qps = prom(&m, "starrocks_fe_qps");
            assert_eq!(one("qps", "{\"metric\":\"qps\"}"), qps.trunc() as i64);
            // 3.3.10 writes histograms with their dots and the prefix.
            let h = "starrocks_fe_query.latency.ms";
            assert_eq!(
                one(h, &format!("{{\"metric\":\"{h}\",\"quantile\":\"0.99\"}}")),
                want("starrocks_fe_query_latency_ms{quantile=\"0.99\"}")
            );
            assert_eq!(
                one(
                    &format!("{h}_count"),
                    &format!("{{\"metric\":\"{h}_count\"}}")
                ),
                want("starrocks_fe_query_latency_ms_count")
            );
            assert_eq!(
                one(
                    "node_info",
                    "{\"metric\":\"node_info\",\"type\":\"fe_node_num\",\"status\":\"total\"}"
                ),
                3
            );
            assert!(find(
                &g,
                "starrocks_fe_query_total",
                "{\"metric\":\"starrocks_fe_query_total\"}"
            )
            .is_empty());
        }
        // Only the leader has is_master.
        let master = find(
            &g,
            "node_info",
            "{\"metric\":\"node_info\",\"type\":\"is_master\"}",
        );
        assert_eq!(master, vec![(names[0].clone(), 1)]);
        // The JSON visitor's own JVM subset.
        assert_eq!(
            find(
                &g,
                "jvm_thread",
                "{\"metric\":\"jvm_thread\",\"type\":\"count\"}"
            ),
            vec![]
        );
        assert_eq!(
            find(
                &g,
                "jvm_size_percent",
                "{\"metric\":\"jvm_size_percent\",\"type\":\"old\"}"
            )
            .len(),
            3
        );
    }

    #[test]
    fn fe_metrics_answers_the_select_shapes_clients_send() {
        let sh = shared_of("3.3-shared-nothing", 2);
        let v = View::default();
        let g = grid(
            &sh,
            &v,
            "select NAME, VALUE from information_schema.fe_metrics where NAME in ('query_total', 'query_err')",
        );
        assert_eq!(
            g.cols.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["NAME", "VALUE"]
        );
        assert_eq!(g.rows.len(), 6);
        let star = grid(
            &sh,
            &v,
            "SELECT * FROM information_schema.fe_metrics WHERE NAME = 'query_err'",
        );
        assert_eq!(star.cols.len(), 4);
        assert_eq!(star.rows.len(), 3);
        let be = grid(
            &sh,
            &v,
            "SELECT * FROM information_schema.be_metrics WHERE NAME IN ('cpu')",
        );
        assert_eq!(be.cols[0], ("BE_ID".to_string(), Kind::Int));
        assert_eq!(be.rows.len(), 3 * 10);
    }

    #[test]
    fn a_down_fe_and_a_dead_be_have_no_rows() {
        let sh = shared_of("3.3-shared-nothing", 4);
        sh.faults.set_at(Fault::FeDown(0), T - 60_000);
        sh.faults.set_at(Fault::BeDead(1), T - 60_000);
        let v = sh.faults.view();
        let names: Vec<String> = grid(&sh, &v, "SHOW FRONTENDS")
            .rows
            .iter()
            .map(|r| text(&r[0]))
            .collect();
        let g = grid(&sh, &v, FE_SQL);
        let ids: std::collections::BTreeSet<String> = g.rows.iter().map(|r| text(&r[0])).collect();
        assert_eq!(ids, names[1..].iter().cloned().collect());
        // FE 1 leads while FE 0 is down.
        let master = find(
            &g,
            "node_info",
            "{\"metric\":\"node_info\",\"type\":\"is_master\"}",
        );
        assert_eq!(master, vec![(names[1].clone(), 1)]);
        let alive = find(
            &g,
            "node_info",
            "{\"metric\":\"node_info\",\"type\":\"fe_node_num\",\"status\":\"alive\"}",
        );
        assert!(alive.iter().all(|(_, n)| *n == 2), "{alive:?}");
        let be = grid(&sh, &v, BE_SQL);
        let ids: std::collections::BTreeSet<i64> = be
            .rows
            .iter()
            .filter_map(|r| match r[0] {
                Val::Int(i) => Some(i),
                _ => None,
            })
            .collect();
        assert_eq!(ids, [10_001, 10_003].into_iter().collect());
    }

    #[test]
    fn be_metrics_rows_are_each_backends_metrics() {
        let sh = shared_of("3.3-shared-nothing", 9);
        let v = View::default();
        let g = grid(&sh, &v, BE_SQL);
        let kinds: Vec<Kind> = g.cols.iter().map(|c| c.1).collect();
        assert_eq!(kinds, [Kind::Int, Kind::Str, Kind::Str, Kind::Int]);
        for k in 0..3 {
            let m = be_metrics(&sh.model, k, T, &v);
            let id = (10_001 + k).to_string();
            let one = |n: &str, l: &str| {
                let rows = find(&g, n, l);
                let mine: Vec<i64> = rows.iter().filter(|(i, _)| *i == id).map(|r| r.1).collect();
                assert_eq!(mine.len(), 1, "{id} {n} {l}");
                mine[0]
            };
            let want = |series: &str| prom(&m, series) as i64;
            assert_eq!(
                one("cpu", "mode=idle"),
                want("starrocks_be_cpu{mode=\"idle\"}")
            );
            assert_eq!(
                one("process_mem_bytes", ""),
                want("starrocks_be_process_mem_bytes")
            );
            assert_eq!(
                one("engine_requests_total", "status=failed,type=publish"),
                want("starrocks_be_engine_requests_total{status=\"failed\",type=\"publish\"}")
            );
            assert_eq!(
                one("tablet_cumulative_max_compaction_score", ""),
                want("starrocks_be_tablet_cumulative_max_compaction_score")
            );
            assert_eq!(
                one("memtable_flush_threadpool_size", ""),
                want("starrocks_be_memtable_flush_threadpool_size")
            );
        }
        assert!(g
            .rows
            .iter()
            .all(|r| !text(&r[1]).starts_with("starrocks_")));
        // Shared-data: the compute nodes, by ComputeNodeId.
        let sd = shared_of("3.3-shared-data", 9);
        let g = grid(&sd, &v, BE_SQL);
        let cpu = find(&g, "cpu", "mode=user");
        assert_eq!(
            cpu.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["10001", "10002"]
        );
    }

    #[test]
    fn before_3_1_the_tables_are_unknown() {
        let sh = shared_of("3.0-shared-nothing", 1);
        let v = View::default();
        for t in ["fe_metrics", "be_metrics"] {
            let a = run(&sh, &v, &format!("SELECT * FROM information_schema.{t}"));
            assert_eq!(
                a,
                Answer::Err(
                    1064,
                    format!("Getting analyzing error. Detail message: Unknown table 'information_schema.{t}'.")
                )
            );
        }
        let a = run(&sh, &v, "SELECT * FROM information_schema.no_such_view");
        assert!(
            matches!(a, Answer::Err(1064, m) if m.contains("Unknown table 'information_schema.no_such_view'"))
        );
    }

    #[test]
    fn before_3_3_8_fe_metrics_has_no_histograms_or_node_info() {
        // The 3.0 profile has no table at all; its JSON is what 3.1 to 3.3.7 wrote.
        let sh = shared_of("3.0-shared-nothing", 1);
        let json = crate::fe_http::fe_json(&sh, 0, T, &View::default());
        assert!(json.iter().any(|m| m.name == "query_total"));
        assert!(json
            .iter()
            .all(|m| m.name != "node_info" && !m.name.contains('.')));
    }
}
