//! Health thresholds per rule (issue 15): StarRocks' documented figures by
//! default, changed for every cluster (global) or for one, validated and
//! recorded with who changed what and when.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A rule whose figure is rated against thresholds: its key, unit, default
/// warning and critical (`None`: the rule has no such level), and the range
/// a threshold may take.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleLimits {
    pub rule: &'static str,
    pub unit: &'static str,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
    pub min: f64,
    pub max: f64,
}

const fn limits(
    rule: &'static str,
    unit: &'static str,
    warning: Option<f64>,
    critical: Option<f64>,
    max: f64,
) -> RuleLimits {
    RuleLimits {
        rule,
        unit,
        warning,
        critical,
        min: 0.0,
        max,
    }
}

/// Every rule with thresholds and StarRocks' figures as defaults (the
/// health rules, overview::health, read them from here).
pub const RULE_LIMITS: &[RuleLimits] = &[
    limits("disk", "%", Some(80.0), Some(90.0), 100.0),
    limits("compaction", "score", Some(100.0), Some(800.0), 1e9),
    limits("jvm_heap", "%", Some(80.0), Some(90.0), 100.0),
    limits("cpu", "%", Some(90.0), None, 100.0),
    limits("error_rate", "%", Some(5.0), None, 100.0),
    limits("transactions", "running", Some(900.0), None, 1e9),
    limits("txn_failed", "%", Some(5.0), None, 100.0),
    limits("metadata", "entries", Some(100_000.0), None, 1e12),
    limits("rowsets", "rowsets", Some(700.0), None, 1e9),
];

pub fn rule_limits(rule: &str) -> Option<&'static RuleLimits> {
    RULE_LIMITS.iter().find(|r| r.rule == rule)
}

/// One rule's thresholds as in force, with the defaults and where they came
/// from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleThreshold {
    pub rule: String,
    pub unit: String,
    pub warning: Option<f64>,
    pub critical: Option<f64>,
    pub default_warning: Option<f64>,
    pub default_critical: Option<f64>,
    /// `default`, `global` or `cluster`.
    pub source: String,
}

/// The thresholds of every rule, for a cluster or for all (`cluster_id` null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Thresholds {
    pub cluster_id: Option<i64>,
    pub rules: Vec<RuleThreshold>,
}

impl Thresholds {
    /// The rules whose thresholds are not StarRocks' defaults.
    pub fn changed(&self) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.source != "default")
            .map(|r| r.rule.as_str())
            .collect()
    }

    /// (warning, critical) of `rule`: in force, else the default.
    pub fn of(&self, rule: &str) -> (Option<f64>, Option<f64>) {
        match self.rules.iter().find(|r| r.rule == rule) {
            Some(r) => (r.warning, r.critical),
            None => rule_limits(rule).map_or((None, None), |l| (l.warning, l.critical)),
        }
    }

    /// StarRocks' defaults for every rule.
    pub fn defaults(cluster_id: Option<i64>) -> Self {
        Self::resolve(cluster_id, &BTreeMap::new(), &BTreeMap::new())
    }

    /// The thresholds in force: a cluster's own, else the global ones, else
    /// the defaults, a rule at a time.
    pub fn resolve(
        cluster_id: Option<i64>,
        global: &BTreeMap<String, (Option<f64>, Option<f64>)>,
        own: &BTreeMap<String, (Option<f64>, Option<f64>)>,
    ) -> Self {
        let rules = RULE_LIMITS
            .iter()
            .map(|l| {
                let (source, (warning, critical)) = match (own.get(l.rule), global.get(l.rule)) {
                    (Some(v), _) => ("cluster", *v),
                    (None, Some(v)) => ("global", *v),
                    (None, None) => ("default", (l.warning, l.critical)),
                };
                RuleThreshold {
                    rule: l.rule.into(),
                    unit: l.unit.into(),
                    warning,
                    critical,
                    default_warning: l.warning,
                    default_critical: l.critical,
                    source: source.into(),
                }
            })
            .collect();
        Self { cluster_id, rules }
    }
}

/// One rule's new thresholds. Both null: back to the inherited ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleThresholdUpdate {
    pub rule: String,
    #[serde(default)]
    pub warning: Option<f64>,
    #[serde(default)]
    pub critical: Option<f64>,
}

/// `PUT /api/thresholds` and `PUT /api/clusters/{id}/thresholds`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ThresholdsUpdate {
    pub rules: Vec<RuleThresholdUpdate>,
}

/// Checks an update: known rules, each once, numbers within the rule's range,
/// a warning below its critical, a level only where the rule has one. Errors
/// by field (`disk.warning`), in English (the API's words).
pub fn validate(update: &ThresholdsUpdate) -> Result<(), BTreeMap<String, String>> {
    let mut errors = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for u in &update.rules {
        let Some(l) = rule_limits(&u.rule) else {
            let known: Vec<&str> = RULE_LIMITS.iter().map(|r| r.rule).collect();
            errors.insert(
                u.rule.clone(),
                format!(
                    "unknown rule; the rules with thresholds are {}",
                    known.join(", ")
                ),
            );
            continue;
        };
        if !seen.insert(u.rule.as_str()) {
            errors.insert(u.rule.clone(), "given twice".into());
            continue;
        }
        for (level, v, has) in [
            ("warning", u.warning, l.warning.is_some()),
            ("critical", u.critical, l.critical.is_some()),
        ] {
            let Some(v) = v else { continue };
            let field = format!("{}.{level}", u.rule);
            if !has {
                errors.insert(field, format!("the {} rule has no {level} level", u.rule));
            } else if !v.is_finite() || v < l.min || v > l.max {
                errors.insert(
                    field,
                    format!("must be a number from {} to {} ({})", l.min, l.max, l.unit),
                );
            }
        }
        if let (Some(w), Some(c)) = (u.warning, u.critical) {
            if w.is_finite() && c.is_finite() && w >= c {
                errors.insert(
                    format!("{}.warning", u.rule),
                    format!("must be below the critical threshold ({c} {})", l.unit),
                );
            }
        }
        if u.warning.is_none() && u.critical.is_some() && l.warning.is_some() {
            errors.insert(
                format!("{}.warning", u.rule),
                "give the warning threshold with the critical one".into(),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A change of thresholds, as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ThresholdChange {
    /// `None` for the global thresholds.
    pub cluster_id: Option<i64>,
    pub rule: String,
    pub old_warning: Option<f64>,
    pub old_critical: Option<f64>,
    pub new_warning: Option<f64>,
    pub new_critical: Option<f64>,
    pub changed_by: String,
    pub changed_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(rule: &str, warning: Option<f64>, critical: Option<f64>) -> ThresholdsUpdate {
        ThresholdsUpdate {
            rules: vec![RuleThresholdUpdate {
                rule: rule.into(),
                warning,
                critical,
            }],
        }
    }

    #[test]
    fn a_warning_must_stay_below_its_critical_and_within_the_unit() {
        assert!(validate(&update("disk", Some(70.0), Some(85.0))).is_ok());
        let e = validate(&update("disk", Some(90.0), Some(85.0))).expect_err("above");
        assert_eq!(
            e["disk.warning"],
            "must be below the critical threshold (85 %)"
        );
        let e = validate(&update("disk", Some(120.0), Some(130.0))).expect_err("range");
        assert!(e["disk.warning"].starts_with("must be a number from 0 to 100"));
        let e = validate(&update("rowsets", Some(500.0), Some(900.0))).expect_err("no critical");
        assert_eq!(
            e["rowsets.critical"],
            "the rowsets rule has no critical level"
        );
        let e = validate(&update("nope", Some(1.0), None)).expect_err("unknown");
        assert!(e["nope"].starts_with("unknown rule"));
        let e = validate(&update("disk", Some(f64::NAN), None)).expect_err("nan");
        assert!(e.contains_key("disk.warning"));
        // Both null: back to the inherited thresholds.
        assert!(validate(&update("disk", None, None)).is_ok());
    }

    #[test]
    fn a_clusters_own_thresholds_win_over_the_global_ones_and_those_over_the_defaults() {
        let mut global = BTreeMap::new();
        global.insert("disk".to_string(), (Some(70.0), Some(85.0)));
        global.insert("rowsets".to_string(), (Some(500.0), None));
        let mut own = BTreeMap::new();
        own.insert("disk".to_string(), (Some(60.0), Some(75.0)));
        let t = Thresholds::resolve(Some(3), &global, &own);
        assert_eq!(t.of("disk"), (Some(60.0), Some(75.0)));
        assert_eq!(t.of("rowsets"), (Some(500.0), None));
        assert_eq!(t.of("compaction"), (Some(100.0), Some(800.0)));
        assert_eq!(t.changed(), vec!["disk", "rowsets"]);
        assert!(Thresholds::defaults(None).changed().is_empty());
    }
}
