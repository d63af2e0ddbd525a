use super::body;
use crate::wire::proc::{
    backends, bootstrap, compute_nodes, current_queries, dbs, fe_health, frontends, jobs, rows,
    runtime_info, statistic, BACKENDS_COLUMNS_V30, CURRENT_QUERIES_COLUMNS_V30,
    FRONTENDS_COLUMNS_V2,
};
use proptest::prelude::*;
use serde_json::json;

fn every_parser(bytes: &[u8]) {
    let _ = rows(bytes, BACKENDS_COLUMNS_V30);
    let _ = backends(bytes);
    let _ = compute_nodes(bytes);
    let _ = frontends(bytes);
    let _ = dbs(bytes);
    let _ = statistic(bytes);
    let _ = jobs(bytes);
    let _ = current_queries(bytes);
    let _ = runtime_info(bytes);
    let _ = fe_health(bytes);
    let _ = bootstrap(bytes);
}

fn json_scalar() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
        "[0-9. ]{0,12}(B|KB|GB|TB|PB|%| %|rows| s|ms)?".prop_map(serde_json::Value::from),
        "(true|false|NULL|N/A|Total|LEADER|)".prop_map(serde_json::Value::from),
    ]
}

proptest! {
    #[test]
    fn no_parser_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_parser(&bytes);
    }

    #[test]
    fn no_parser_panics_on_any_array_rows(
        rows in prop::collection::vec(prop::collection::vec(json_scalar(), 0..40), 0..4)
    ) {
        every_parser(&body(json!(rows)));
    }

    #[test]
    fn no_parser_panics_on_any_object_rows(
        rows in prop::collection::vec(
            prop::collection::btree_map(
                prop::sample::select(
                    BACKENDS_COLUMNS_V30.iter()
                        .chain(FRONTENDS_COLUMNS_V2)
                        .chain(CURRENT_QUERIES_COLUMNS_V30)
                        .chain(&["Location", "StarletPort", "WorkerId", "MemLimit", "ScanRows",
                                 "CPUTime", "MemoryUsage", "StartTime", "status", "msg",
                                 "free_mem", "online_backend_num"])
                        .map(|c| (*c).to_owned())
                        .collect::<Vec<_>>(),
                ),
                json_scalar(),
                0..20,
            ),
            0..4,
        )
    ) {
        every_parser(&body(json!(rows)));
        if let Some(first) = rows.first() {
            every_parser(&body(json!(first)));
        }
    }
}
