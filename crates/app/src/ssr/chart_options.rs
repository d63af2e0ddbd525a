//! ECharts options for the charts, built from the shared chart definitions.
//! They depend on nothing but a definition and the language, so the
//! overview's are built once per language and process. The page adds the
//! data, the window and what needs a function (charts.js); `sr` carries the
//! page's own words and settings, which charts.js takes out.

use i18n::{td_string, Locale, LOCALES};
use model::chart::{series_label, ChartDef, ChartOption, CHARTS, OPS_CHARTS};
use serde_json::{json, Value};
use std::sync::OnceLock;
use store::series::{COMPACTION, PERFORMANCE, RESOURCES, TRANSACTIONS};

// The status colours of style/main.css: both themes keep them readable.
const WARNING: &str = "#d97706";
const CRITICAL: &str = "#dc2626";

/// The English name of a series, as the store defines it.
fn store_label(key: &str) -> &'static str {
    [PERFORMANCE, RESOURCES, TRANSACTIONS, COMPACTION]
        .iter()
        .flat_map(|defs| defs.iter())
        .find(|d| d.key == key)
        .map(|d| d.label)
        .or_else(|| {
            store::operations::OPS_SERIES
                .iter()
                .find(|d| d.key == key)
                .map(|d| d.label)
        })
        .unwrap_or("")
}

/// A series' name in the tooltip, in `l` (the store's label for a series no
/// chart draws).
fn label(l: Locale, key: &str) -> &'static str {
    series_label(l, key).unwrap_or_else(|| store_label(key))
}

/// The health thresholds as dashed lines in their status colour, each
/// labelled inside the plot, above the line's right end (outside, the grid
/// would clip it).
fn mark_lines(l: Locale, def: &ChartDef) -> Value {
    let data: Vec<Value> = def
        .thresholds
        .iter()
        .map(|t| {
            let colour = if t.level == "critical" {
                CRITICAL
            } else {
                WARNING
            };
            json!({
                "name": def.threshold_label(l, t),
                "yAxis": t.value,
                "lineStyle": { "color": colour },
                "label": { "color": colour },
            })
        })
        .collect();
    json!({
        "silent": true,
        "symbol": ["none", "none"],
        "lineStyle": { "type": "dashed" },
        "label": { "position": "insideEndTop", "formatter": "{b}" },
        "data": data,
    })
}

/// The option of one chart: a time axis the page bounds to the window, with
/// labels that never overlap; a y axis from 0 (to 100 for how full
/// something is) named by its unit; one line per series that breaks at
/// gaps; a crosshair every chart shares and a tooltip only the chart under
/// the pointer shows (style/main.css hides the others' `chart-tip`); the
/// health thresholds. No legend: the page lists the series with their
/// latest values under the chart. Words in `l`.
pub fn build(l: Locale, def: &ChartDef) -> Value {
    let mut y = json!({
        "type": "value",
        "name": def.unit_text(l),
        "nameLocation": "end",
        "nameTextStyle": { "align": "left" },
        "min": 0,
    });
    if def.percent {
        y["max"] = json!(100);
    }
    let series: Vec<Value> = def
        .series
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let mut line = json!({
                "type": "line",
                "id": key,
                "name": label(l, key),
                "showSymbol": false,
                "connectNulls": false,
            });
            if i == 0 && !def.thresholds.is_empty() {
                line["markLine"] = mark_lines(l, def);
            }
            line
        })
        .collect();
    json!({
        "animation": false,
        "tooltip": {
            "trigger": "axis",
            "axisPointer": { "type": "line" },
            "className": "chart-tip",
            "confine": true,
        },
        "grid": { "left": 8, "right": 16, "top": 30, "bottom": 8, "containLabel": true },
        "xAxis": { "type": "time", "axisLabel": { "hideOverlap": true } },
        "yAxis": y,
        "series": series,
        "sr": {
            "minTop": def.min_top(),
            "noData": td_string!(l, overview.no_value),
            "soFar": td_string!(l, charts.so_far),
        },
    })
}

/// Every chart's option as JSON in `l`, in page order.
pub fn options(l: Locale) -> &'static [ChartOption] {
    static OPTIONS: [OnceLock<Vec<ChartOption>>; LOCALES.len()] =
        [const { OnceLock::new() }; LOCALES.len()];
    let i = LOCALES.iter().position(|x| *x == l).unwrap_or(0);
    OPTIONS[i].get_or_init(|| {
        CHARTS
            .iter()
            .chain(OPS_CHARTS)
            .map(|def| ChartOption {
                key: def.key.to_string(),
                option: build(l, def).to_string(),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::chart::chart_def;
    use serde_json::Value;

    fn json_in(l: Locale, key: &str) -> Value {
        build(l, chart_def(key).expect("chart"))
    }

    fn json(key: &str) -> Value {
        json_in(Locale::en, key)
    }

    #[test]
    fn every_series_of_every_chart_has_a_label() {
        for def in CHARTS {
            for key in def.series {
                for l in LOCALES {
                    assert!(!label(l, key).is_empty(), "{} has no series {key}", def.key);
                }
                // English says what the store says.
                assert_eq!(label(Locale::en, key), store_label(key), "{key}");
            }
        }
    }

    #[test]
    fn charts_have_a_time_axis_units_a_shared_crosshair_and_gaps() {
        for def in CHARTS {
            let o = json(def.key);
            assert_eq!(o["xAxis"]["type"], "time", "{}", def.key);
            // Labels that would overlap at 1h on a narrow chart are left out.
            assert_eq!(o["xAxis"]["axisLabel"]["hideOverlap"], true);
            assert_eq!(o["yAxis"]["name"], def.unit_text(Locale::en), "{}", def.key);
            assert_eq!(o["yAxis"]["min"], 0);
            assert_eq!(o["tooltip"]["trigger"], "axis");
            // A vertical line only: a cross would put one chart's value on
            // the y axes of the others.
            assert_eq!(o["tooltip"]["axisPointer"]["type"], "line");
            // The class style/main.css hides on charts not under the pointer.
            assert_eq!(o["tooltip"]["className"], "chart-tip");
            // Nothing drawn over the plot's top: no legend, no toolbox.
            assert!(o["legend"].is_null() && o["toolbox"].is_null());
            let series = o["series"].as_array().expect("series");
            assert_eq!(series.len(), def.series.len());
            for s in series {
                assert_eq!(s["type"], "line");
                assert_eq!(s["connectNulls"], false, "gaps must stay gaps");
            }
        }
    }

    #[test]
    fn the_error_rate_follows_the_data_and_fullness_runs_to_100() {
        let errors = json("errors");
        assert!(errors["yAxis"]["max"].is_null());
        assert_eq!(errors["sr"]["minTop"], 1.0);
        for key in ["cpu", "memory", "disk", "jvm_heap"] {
            assert_eq!(json(key)["yAxis"]["max"], 100, "{key}");
        }
        assert_eq!(json("throughput")["sr"]["minTop"], 0.0);
    }

    #[test]
    fn connections_are_charted_from_a_series_the_overview_reads() {
        let o = json("connections");
        assert_eq!(o["series"][0]["id"], "connections");
        assert_eq!(o["yAxis"]["name"], "connections");
        assert!(PERFORMANCE.iter().any(|d| d.key == "connections"));
        assert_eq!(
            chart_def("connections")
                .expect("chart")
                .title(Locale::zh_CN),
            "FE 连接数"
        );
    }

    #[test]
    fn disk_and_heap_draw_their_health_thresholds() {
        let lines = |key: &str| -> Vec<f64> {
            json(key)["series"][0]["markLine"]["data"]
                .as_array()
                .map(|a| a.iter().filter_map(|d| d["yAxis"].as_f64()).collect())
                .unwrap_or_default()
        };
        assert_eq!(lines("disk"), vec![80.0, 90.0]);
        assert_eq!(lines("jvm_heap")[0], 80.0);
        assert!(lines("throughput").is_empty());
        assert_eq!(json("disk")["yAxis"]["max"], 100);
        // Labelled inside the plot: on its right edge they were clipped.
        let label = &json("disk")["series"][0]["markLine"]["label"];
        assert_eq!(label["position"], "insideEndTop");
        let names: Vec<String> = json("disk")["series"][0]["markLine"]["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["name"].as_str())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, ["warning 80 %", "critical 90 %"]);
        assert_eq!(
            json("compaction")["series"][0]["markLine"]["data"][0]["name"],
            "warning 100"
        );
    }

    #[test]
    fn english_options_keep_their_words() {
        let o = json("throughput");
        assert_eq!(o["yAxis"]["name"], "per s");
        assert_eq!(o["series"][0]["name"], "Queries per second");
        // Counters are rates: the unit does not change with the range.
        assert_eq!(json("transactions")["yAxis"]["name"], "per s");
        assert_eq!(
            chart_def("disk").expect("disk").title(Locale::en),
            "Disk used"
        );
    }

    #[test]
    fn chinese_options_are_the_same_charts_in_chinese_words() {
        let has_han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for def in CHARTS {
            let en = json_in(Locale::en, def.key);
            let zh = json_in(Locale::zh_CN, def.key);
            // Everything but the words is the same.
            for path in [
                ["xAxis", "type"],
                ["yAxis", "type"],
                ["yAxis", "min"],
                ["yAxis", "max"],
            ] {
                assert_eq!(
                    en[path[0]][path[1]], zh[path[0]][path[1]],
                    "{} {path:?}",
                    def.key
                );
            }
            let (es, zs) = (
                en["series"].as_array().expect("series"),
                zh["series"].as_array().expect("series"),
            );
            assert_eq!(es.len(), zs.len());
            for (e, z) in es.iter().zip(zs) {
                assert_eq!(e["id"], z["id"], "{}", def.key);
                assert_eq!(e["connectNulls"], z["connectNulls"]);
                let name = z["name"].as_str().expect("name");
                assert!(has_han(name), "{}: {name}", def.key);
                assert_ne!(e["name"], z["name"], "{}", def.key);
                let y = |v: &Value| -> Vec<f64> {
                    v["markLine"]["data"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|d| d["yAxis"].as_f64()).collect())
                        .unwrap_or_default()
                };
                assert_eq!(y(e), y(z), "{}: thresholds", def.key);
                if let Some(lines) = z["markLine"]["data"].as_array() {
                    for d in lines {
                        assert!(
                            has_han(d["name"].as_str().unwrap_or("")),
                            "{}: {d}",
                            def.key
                        );
                    }
                }
            }
            let t = def.title(Locale::zh_CN);
            assert!(has_han(t) || t == "CPU", "{}: {t}", def.key);
        }
        assert_eq!(
            json_in(Locale::zh_CN, "throughput")["yAxis"]["name"],
            "次/秒"
        );
        assert_eq!(options(Locale::zh_CN).len(), options(Locale::en).len());
        assert_ne!(options(Locale::zh_CN)[0], options(Locale::en)[0]);
    }

    #[test]
    fn chart_thresholds_are_the_health_rules() {
        use model::chart::{COMPACTION_THRESHOLDS, WARN_80_CRITICAL_90};
        use overview::health::*;
        let values: Vec<f64> = WARN_80_CRITICAL_90.iter().map(|t| t.value).collect();
        assert_eq!(values, [DISK_WARNING_PCT, DISK_CRITICAL_PCT]);
        assert_eq!(values, [HEAP_WARNING_PCT, HEAP_CRITICAL_PCT]);
        assert_eq!(COMPACTION_THRESHOLDS[0].value, COMPACTION_WARNING);
        // The operations charts draw the operations rules' thresholds.
        use overview::health::operations as ops;
        let line = |key: &str| chart_def(key).map(|d| d.thresholds[0].value);
        assert_eq!(line("ops_txn_running"), Some(ops::TXN_RUNNING_WARNING));
        assert_eq!(line("ops_txn_failed"), Some(ops::TXN_FAILED_PCT_WARNING));
        assert_eq!(line("ops_meta_log"), Some(ops::META_LOG_WARNING));
        assert_eq!(line("ops_rowsets"), Some(ops::ROWSETS_WARNING));
    }

    #[test]
    fn options_are_json_for_every_chart() {
        let all = options(Locale::en);
        assert_eq!(all.len(), CHARTS.len() + OPS_CHARTS.len());
        for o in all {
            let v: Value = serde_json::from_str(&o.option).expect("valid JSON");
            assert!(v["series"].is_array());
        }
    }
}
