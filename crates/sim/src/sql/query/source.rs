//! Opens the table a query names: an information_schema view (built whole,
//! as the FE does) or the AuditLoader table (whose rows are generated for the
//! WHERE clause's `timestamp` range only, see [`crate::audit`]).

use crate::audit::{self, AUDIT_DB, AUDIT_TBL};
use crate::proc::{
    be_metrics_grid, columns_grid, fe_metrics_grid, loads_grid, mvs_grid, tables_grid, Ctx, Grid,
    Kind,
};
use crate::sql::{analysis_error, Answer};

pub(super) enum Source {
    /// A view's whole grid.
    View(Grid),
    /// The audit table: its columns; rows come from [`audit::scan`].
    Audit(Vec<(String, Kind)>),
}

impl Source {
    /// The table `db.table`, or the FE's error: an unknown view or table is
    /// "Unknown table", and while the cluster has no audit table its database
    /// is unknown. fe_metrics and be_metrics exist from 3.1 on.
    pub(super) fn open(c: &Ctx, db: &str, table: &str) -> Result<Source, Answer> {
        let unknown_table = || analysis_error(&format!("Unknown table '{db}.{table}'"));
        if db == "information_schema" {
            let metrics = c.sh.model.spec.version.has_metrics_tables();
            return Ok(Source::View(match table.to_ascii_lowercase().as_str() {
                "tables" => tables_grid(c),
                "columns" => columns_grid(c),
                "materialized_views" => mvs_grid(c),
                "loads" => loads_grid(c),
                "fe_metrics" if metrics => fe_metrics_grid(c),
                "be_metrics" if metrics => be_metrics_grid(c),
                _ => return Err(unknown_table()),
            }));
        }
        if db != AUDIT_DB || !audit::present(&c.sh.model) {
            return Err(analysis_error(&format!("Unknown database '{db}'")));
        }
        if table != AUDIT_TBL {
            return Err(unknown_table());
        }
        let set = c.sh.model.spec.audit_table;
        Ok(Source::Audit(
            audit::columns(set)
                .iter()
                .map(|col| (col.name.to_string(), col.kind))
                .collect(),
        ))
    }

    pub(super) fn cols(&self) -> &[(String, Kind)] {
        match self {
            Source::View(g) => &g.cols,
            Source::Audit(cols) => cols,
        }
    }
}
