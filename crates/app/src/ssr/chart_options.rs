//! ECharts options for the overview's charts, built with charming from the
//! shared chart definitions. They depend on nothing but the definitions and
//! the language, so they are built once per language and process.

use charming::component::{Axis, Feature, Grid, Legend, Toolbox, ToolboxDataZoom};
use charming::element::{
    AxisPointer, AxisPointerType, AxisType, Color, LineStyle, LineStyleType, MarkLine,
    MarkLineData, MarkLineVariant, NameLocation, Tooltip, Trigger,
};
use charming::series::Line;
use charming::Chart;
use i18n::{Locale, LOCALES};
use model::chart::{series_label, ChartDef, ChartOption, CHARTS};
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
        .map_or("", |d| d.label)
}

/// A series' name in the legend and the tooltip, in `l` (the store's label
/// for a series no chart draws).
fn label(l: Locale, key: &str) -> &'static str {
    series_label(l, key).unwrap_or_else(|| store_label(key))
}

/// The option of one chart: a time axis the page bounds to the window, one
/// line per series that breaks at gaps, a shared crosshair, box zoom, and the
/// health thresholds as dashed lines; its words in `l`. (The page names the
/// step of a per-step chart's unit when it draws it.)
pub fn build(l: Locale, def: &ChartDef) -> Chart {
    let mut y = Axis::new()
        .type_(AxisType::Value)
        .name(def.unit_text(l, None))
        .name_location(NameLocation::End);
    if def.percent {
        y = y.min(0).max(100);
    }
    let mut chart = Chart::new()
        .animation(false)
        .tooltip(
            Tooltip::new()
                .trigger(Trigger::Axis)
                .axis_pointer(AxisPointer::new().type_(AxisPointerType::Cross)),
        )
        .legend(Legend::new().top(0).left(0))
        .grid(
            Grid::new()
                .left(8)
                .right(16)
                .top(48)
                .bottom(8)
                .contain_label(true),
        )
        .toolbox(
            Toolbox::new()
                .right(8)
                .top(0)
                .feature(Feature::new().data_zoom(ToolboxDataZoom::new().y_axis_index("none"))),
        )
        .x_axis(Axis::new().type_(AxisType::Time))
        .y_axis(y);
    for (i, key) in def.series.iter().enumerate() {
        let mut line = Line::new()
            .id(*key)
            .name(label(l, key))
            .show_symbol(false)
            .connect_nulls(false);
        if i == 0 && !def.thresholds.is_empty() {
            let data = def
                .thresholds
                .iter()
                .map(|t| {
                    MarkLineVariant::Simple(
                        MarkLineData::new()
                            .name(def.threshold_label(l, t))
                            .y_axis(t.value),
                    )
                })
                .collect::<Vec<_>>();
            let colour = if def.thresholds.iter().any(|t| t.level == "critical") {
                CRITICAL
            } else {
                WARNING
            };
            line = line.mark_line(
                MarkLine::new()
                    .silent(true)
                    .symbol(vec![charming::element::Symbol::None])
                    .line_style(
                        LineStyle::new()
                            .type_(LineStyleType::Dashed)
                            .color(Color::from(colour)),
                    )
                    .data(data),
            );
        }
        chart = chart.series(line);
    }
    chart
}

/// Every chart's option as JSON in `l`, in page order.
pub fn options(l: Locale) -> &'static [ChartOption] {
    static OPTIONS: [OnceLock<Vec<ChartOption>>; LOCALES.len()] =
        [const { OnceLock::new() }; LOCALES.len()];
    let i = LOCALES.iter().position(|x| *x == l).unwrap_or(0);
    OPTIONS[i].get_or_init(|| {
        CHARTS
            .iter()
            .map(|def| ChartOption {
                key: def.key.to_string(),
                // Serialising plain structs of strings and numbers cannot fail.
                option: serde_json::to_string(&build(l, def)).unwrap_or_default(),
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
        let def = chart_def(key).expect("chart");
        serde_json::to_value(build(l, def)).expect("json")
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
    fn charts_have_a_time_axis_units_a_crosshair_gaps_and_box_zoom() {
        for def in CHARTS {
            let o = json(def.key);
            assert_eq!(o["xAxis"]["type"], "time", "{}", def.key);
            assert_eq!(
                o["yAxis"]["name"],
                def.unit_text(Locale::en, None),
                "{}",
                def.key
            );
            assert_eq!(o["tooltip"]["trigger"], "axis");
            assert_eq!(o["tooltip"]["axisPointer"]["type"], "cross");
            assert!(o["toolbox"]["feature"]["dataZoom"].is_object());
            let series = o["series"].as_array().expect("series");
            assert_eq!(series.len(), def.series.len());
            for s in series {
                assert_eq!(s["type"], "line");
                assert_eq!(s["connectNulls"], false, "gaps must stay gaps");
            }
        }
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
        assert_eq!(json("transactions")["yAxis"]["name"], "per step");
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
    }

    #[test]
    fn options_are_json_for_every_chart() {
        let all = options(Locale::en);
        assert_eq!(all.len(), CHARTS.len());
        for o in all {
            let v: Value = serde_json::from_str(&o.option).expect("valid JSON");
            assert!(v["series"].is_array());
        }
    }
}
