use super::*;

#[test]
fn every_statement_the_console_sends_is_mysql_that_a_real_parser_reads() {
    let dialect = sqlparser::dialect::MySqlDialect {};
    for sql in every_statement() {
        let parsed = sqlparser::parser::Parser::parse_sql(&dialect, &sql);
        assert!(parsed.is_ok(), "{sql}\n{parsed:?}");
        // Bounded: a time filter and a limit on every read of the table.
        if sql.contains(FROM) {
            assert!(sql.contains("`timestamp` >= '"), "{sql}");
            assert!(sql.contains(" LIMIT "), "{sql}");
            assert!(sql.contains("SET_VAR(query_timeout = 15)"), "{sql}");
            assert!(sql.contains("isQuery = 1"), "{sql}");
            assert!(!sql.contains("queryType"), "{sql}");
        }
    }
}

#[test]
fn the_slow_list_asks_only_for_columns_the_table_has() {
    let old = Columns::new(vec![
        "queryId".into(),
        "TIMESTAMP".into(),
        "queryTime".into(),
        "stmt".into(),
    ]);
    let w = Window {
        from: NaiveDateTime::default(),
        to: NaiveDateTime::default(),
    };
    let sql = slow_statement(&old, &w, 5000);
    assert!(
        sql.contains("queryId, `timestamp`, queryTime, stmt FROM"),
        "{sql}"
    );
    assert!(!sql.contains("digest"), "{sql}");
    assert!(sql.contains("queryTime >= 5000"), "{sql}");
    assert!(undigested_statement(&old, &w).contains("isQuery = 1 ORDER BY"));
}

#[test]
fn statements_that_differ_in_values_normalise_alike() {
    let a = normalise("SELECT *  FROM sales.orders WHERE id IN (1, 2, 3) AND name = 'x';");
    let b = normalise("select * from sales.orders\n where id in (7) and name = \"y\" -- note");
    assert_eq!(
        a.as_deref(),
        Some("SELECT * FROM sales.orders WHERE id IN (?) AND name = ?")
    );
    assert_eq!(
        b.as_deref(),
        Some("select * from sales.orders where id in (?) and name = ?")
    );
    assert_eq!(
        normalise("INSERT INTO t VALUES (1, 'a'), (2, 'b')").as_deref(),
        Some("INSERT INTO t VALUES (?), (?)")
    );
    assert_eq!(normalise("   "), None);
}

#[test]
fn tables_come_from_a_real_parse_of_the_statement() {
    let t = tables_of(
        "WITH recent AS (SELECT * FROM orders WHERE dt > '2026-01-01') \
         SELECT c.name, SUM(r.amount) FROM recent r JOIN crm.customers c ON r.cid = c.id \
         WHERE r.cid IN (SELECT cid FROM default_catalog.sales.vip) GROUP BY c.name",
        Some("sales"),
    );
    assert_eq!(
        t,
        Some(vec![
            "sales.orders".to_string(),
            "crm.customers".to_string(),
            "sales.vip".to_string()
        ])
    );
    assert_eq!(
        tables_of("INSERT INTO dw.fact SELECT * FROM `ods`.`events`", None),
        Some(vec!["dw.fact".to_string(), "ods.events".to_string()])
    );
    assert_eq!(tables_of("SELECT 1", Some("x")), Some(vec![]));
    // Not SQL the parser reads: counted as unparsed by the caller, not guessed.
    assert_eq!(tables_of("SELEC oops FROM", Some("x")), None);
    // A statement cut in the middle is not guessed either.
    assert_eq!(
        tables_of("SELECT a FROM t WHERE b IN (1, 2", Some("x")),
        None
    );
}

#[test]
fn queried_relations_as_the_server_writes_them() {
    assert_eq!(
        relations(r#"["default_catalog.db1.tbl1","hive_cat.db2.t","default_catalog.db1.tbl1"]"#),
        vec!["db1.tbl1".to_string(), "hive_cat.db2.t".to_string()]
    );
    assert!(relations("null").is_empty());
    assert!(relations("[not json").is_empty());
}

#[test]
fn the_table_times_are_read_in_the_clusters_zone() {
    // 2026-12-07 00:00 UTC
    let ms = 1_796_601_600_000;
    let shanghai = Zone::parse("Asia/Shanghai");
    let local = shanghai.local(ms).expect("local");
    assert_eq!(local.to_string(), "2026-12-07 08:00:00");
    assert_eq!(shanghai.utc_ms(local), Some(ms));
    assert_eq!(shanghai.datetime_ms("2026-12-07 08:00:00.000"), Some(ms));
    assert_eq!(shanghai.datetime_ms("yesterday"), None);
    assert_eq!(Zone::parse("+08:00").local(ms), Some(local));
    assert_eq!(
        Zone::parse("-05:30").local(ms).map(|t| t.to_string()),
        Some("2026-12-06 18:30:00".into())
    );
    for utc in ["UTC", "SYSTEM", "nonsense"] {
        assert_eq!(
            Zone::parse(utc).local(ms).map(|t| t.to_string()),
            Some("2026-12-07 00:00:00".into()),
            "{utc}"
        );
    }
}

#[test]
fn tallies_rank_by_total_time() {
    let mut t = Tally::default();
    t.add("a".into(), 100, 1, false, Some("SELECT a"));
    t.add("b".into(), 50, 1, true, None);
    t.add("b".into(), 70, 1, false, None);
    let top = t.top(10);
    assert_eq!(top[0].key, "b");
    assert_eq!(
        (top[0].count, top[0].total_ms, top[0].errors),
        (2, Some(120), Some(1))
    );
    assert_eq!(top[1].example.as_deref(), Some("SELECT a"));
    assert_eq!(top[0].p95_ms, Some(70.0));
    let mut many = Tally::default();
    for ms in 1..=100 {
        many.add("k".into(), ms, 0, false, None);
    }
    assert_eq!(many.top(1)[0].p95_ms, Some(95.0));
    let mut rows = top;
    let errors = BTreeMap::from([("a".to_string(), 4)]);
    merge_errors(&mut rows, &errors);
    assert_eq!((rows[0].errors, rows[1].errors), (Some(0), Some(4)));
}
