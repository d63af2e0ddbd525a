use super::body;
use crate::wire::proc::{dbs, jobs, statistic, DbInfo, JobCounts};
use serde_json::json;

#[test]
fn dbs_from_the_show_proc_docs() {
    // show proc "/dbs" from show_proc_examples_docs_3.x.txt, in the 3.0
    // array shape.
    let rows = json!([
        [
            "1",
            "information_schema",
            "54",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "100",
            "sys",
            "6",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "10001",
            "_statistics_",
            "12",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "10015",
            "test",
            "1",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ]
    ]);
    let list = dbs(&body(rows)).expect("docs body");
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[3],
        DbInfo {
            id: Some(10015),
            name: Some("test".into()),
            table_num: Some(1),
            quota_bytes: Some(1u64 << 63),
            last_consistency_check_time: None,
            replica_quota: Some(i64::MAX),
        }
    );
}

#[test]
fn statistic_keeps_the_total_row_apart() {
    // SHOW PROC '/statistic' from show_proc_examples_docs_3.x.txt (two of
    // its database rows and the Total row), as 3.1+ objects.
    let row = |id: &str, name: &str, n: [&str; 9]| {
        json!({
            "DbId": id, "DbName": name, "TableNum": n[0], "PartitionNum": n[1],
            "IndexNum": n[2], "TabletNum": n[3], "ReplicaNum": n[4],
            "UnhealthyTabletNum": n[5], "InconsistentTabletNum": n[6],
            "CloningTabletNum": n[7], "ErrorStateTabletNum": n[8]
        })
    };
    let rows = json!([
        row(
            "10004",
            "_statistics_",
            ["3", "3", "3", "30", "60", "0", "0", "0", "0"]
        ),
        row(
            "10002",
            "zq_test",
            ["8", "8", "8", "5043", "7063", "0", "0", "0", "2"]
        ),
        row(
            "Total",
            "6",
            ["12", "12", "12", "5076", "7126", "0", "0", "0", "2"]
        )
    ]);
    let stat = statistic(&body(rows)).expect("docs body");
    assert_eq!(stat.dbs.len(), 2);
    assert_eq!(stat.dbs[1].db_name.as_deref(), Some("zq_test"));
    assert_eq!(stat.dbs[1].error_state_tablet_num, Some(2));
    assert_eq!(stat.db_count, Some(6));
    let total = stat.total.expect("a total row");
    assert_eq!(total.db_id, None);
    assert_eq!(total.db_name, None);
    assert_eq!(total.tablet_num, Some(5076));
    assert_eq!(total.replica_num, Some(7126));
}

#[test]
fn statistic_without_a_total_row() {
    let stat = statistic(b"[]").expect("empty");
    assert!(stat.dbs.is_empty());
    assert_eq!(stat.total, None);
    assert_eq!(stat.db_count, None);
}

#[test]
fn jobs_from_the_show_proc_docs() {
    // SHOW PROC '/jobs/10005' from show_proc_examples_docs_3.x.txt, 3.0 arrays.
    let rows = json!([
        ["load", "0", "0", "3", "0", "3"],
        ["rollup", "0", "0", "0", "0", "0"],
        ["schema_change", "0", "0", "0", "0", "0"],
        ["export", "0", "0", "0", "0", "0"]
    ]);
    let list = jobs(&body(rows)).expect("docs body");
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[0],
        JobCounts {
            job_type: Some("load".into()),
            pending: Some(0),
            running: Some(0),
            finished: Some(3),
            cancelled: Some(0),
            total: Some(3),
        }
    );
}
