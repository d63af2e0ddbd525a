//! Reading a BE's `/metrics`: CPU from jiffy counters, disks per storage path.

use super::wire::prometheus::Metrics;

/// `starrocks_be_cpu{mode=...}` summed: a counter of /proc/stat jiffies
/// (its declared unit "percent" is misleading), so utilisation needs two readings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CpuJiffies {
    pub idle: f64,
    pub total: f64,
}

/// Idle time counts `idle` and `iowait`, as `top` does.
pub fn cpu_jiffies(m: &Metrics) -> Option<CpuJiffies> {
    let mut idle = 0.0;
    let mut total = 0.0;
    let mut seen = false;
    for s in m.find("starrocks_be_cpu") {
        if !s.value.is_finite() {
            continue;
        }
        seen = true;
        total += s.value;
        if matches!(s.label("mode"), Some("idle") | Some("iowait")) {
            idle += s.value;
        }
    }
    seen.then_some(CpuJiffies { idle, total })
}

/// Busy share (0 to 1) between two readings; `None` when the counters did not
/// move or went backwards (a BE restart), so a restart never yields nonsense.
pub fn cpu_utilisation(before: &CpuJiffies, after: &CpuJiffies) -> Option<f64> {
    let d_total = after.total - before.total;
    let d_idle = after.idle - before.idle;
    if d_total <= 0.0 || d_idle < 0.0 || d_idle > d_total {
        return None;
    }
    Some(1.0 - d_idle / d_total)
}

/// One storage root of a BE.
#[derive(Clone, Debug, PartialEq)]
pub struct DiskUsage {
    pub path: String,
    pub total_bytes: Option<u64>,
    pub avail_bytes: Option<u64>,
    pub data_used_bytes: Option<u64>,
    /// `disks_state` 1 means online.
    pub online: Option<bool>,
}

impl DiskUsage {
    /// Used share of the whole disk (0 to 100), as StarRocks' UsedPct computes it.
    pub fn used_pct(&self) -> Option<f64> {
        let total = self.total_bytes? as f64;
        let avail = self.avail_bytes? as f64;
        (total > 0.0).then(|| ((total - avail) * 100.0 / total).clamp(0.0, 100.0))
    }
}

fn bytes(v: f64) -> Option<u64> {
    (v.is_finite() && v >= 0.0).then_some(v as u64)
}

/// Every `path` label of the `disks_*` gauges, in the order first seen.
pub fn disks(m: &Metrics) -> Vec<DiskUsage> {
    let mut out: Vec<DiskUsage> = Vec::new();
    for s in m.samples() {
        let field = match s.name.as_str() {
            "starrocks_be_disks_total_capacity" => 0,
            "starrocks_be_disks_avail_capacity" => 1,
            "starrocks_be_disks_data_used_capacity" => 2,
            "starrocks_be_disks_state" => 3,
            _ => continue,
        };
        let Some(path) = s.label("path") else {
            continue;
        };
        let idx = match out.iter().position(|d| d.path == path) {
            Some(i) => i,
            None => {
                out.push(DiskUsage {
                    path: path.to_string(),
                    total_bytes: None,
                    avail_bytes: None,
                    data_used_bytes: None,
                    online: None,
                });
                out.len() - 1
            }
        };
        let d = &mut out[idx];
        match field {
            0 => d.total_bytes = bytes(s.value),
            1 => d.avail_bytes = bytes(s.value),
            2 => d.data_used_bytes = bytes(s.value),
            _ => d.online = Some(s.value == 1.0),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BE: &str = "# TYPE starrocks_be_cpu counter\n\
        starrocks_be_cpu{mode=\"idle\"} 9000\n\
        starrocks_be_cpu{mode=\"iowait\"} 100\n\
        starrocks_be_cpu{mode=\"system\"} 300\n\
        starrocks_be_cpu{mode=\"user\"} 600\n\
        # TYPE starrocks_be_disks_avail_capacity gauge\n\
        starrocks_be_disks_avail_capacity{path=\"/data1\"} 750\n\
        starrocks_be_disks_avail_capacity{path=\"/data2\"} 100\n\
        # TYPE starrocks_be_disks_state gauge\n\
        starrocks_be_disks_state{path=\"/data1\"} 1\n\
        starrocks_be_disks_state{path=\"/data2\"} 0\n\
        # TYPE starrocks_be_disks_total_capacity gauge\n\
        starrocks_be_disks_total_capacity{path=\"/data1\"} 1000\n\
        starrocks_be_disks_total_capacity{path=\"/data2\"} 1000\n";

    #[test]
    fn utilisation_comes_from_deltas_of_jiffies() {
        let before = cpu_jiffies(&Metrics::parse(BE)).expect("cpu");
        assert_eq!(
            before,
            CpuJiffies {
                idle: 9100.0,
                total: 10000.0
            }
        );
        // 1000 more jiffies, 250 of them idle: 75 % busy.
        let after = CpuJiffies {
            idle: 9350.0,
            total: 11000.0,
        };
        let u = cpu_utilisation(&before, &after).expect("moved");
        assert!((u - 0.75).abs() < 1e-9, "{u}");
        assert_eq!(
            cpu_utilisation(&after, &before),
            None,
            "a restart is not a negative load"
        );
        assert_eq!(cpu_utilisation(&before, &before), None, "no time passed");
        assert_eq!(cpu_jiffies(&Metrics::parse("")), None);
    }

    #[test]
    fn disks_are_grouped_by_path() {
        let d = disks(&Metrics::parse(BE));
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].path, "/data1");
        assert_eq!(d[0].used_pct(), Some(25.0));
        assert_eq!(d[0].online, Some(true));
        assert_eq!(d[1].used_pct(), Some(90.0));
        assert_eq!(d[1].online, Some(false));
        assert_eq!(d[1].data_used_bytes, None, "a missing gauge stays unknown");
    }
}
