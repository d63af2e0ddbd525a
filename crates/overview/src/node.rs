//! One node's own view: the node as last listed and its history over a
//! range, from the per-node rows the collector keeps.

use super::OverviewService;
use model::node::{key_of, kind_of_key, NodeView};
use model::overview::Window;
use registry::AppError;
use store::{node_history, snapshots};

impl OverviewService {
    /// The node `key` of cluster `id` over `window`. Not found when the
    /// cluster is unknown, or when the node is neither listed now nor has
    /// any history (a node removed from the cluster keeps its history).
    pub async fn node(
        &self,
        id: i64,
        key: &str,
        window: &Window,
        now: i64,
    ) -> Result<NodeView, AppError> {
        let cluster_name = self.cluster_name(id).await?;
        let lists = snapshots::nodes(&self.pool, id).await?;
        let listed = lists.as_ref().and_then(|l| {
            l.frontends
                .iter()
                .chain(&l.backends)
                .find(|n| key_of(n) == key)
                .cloned()
        });
        let kind = match &listed {
            Some(n) => n.kind.clone(),
            None => match kind_of_key(key) {
                Some(kind) if node_history::known(&self.pool, id, key).await? => kind.to_string(),
                _ => {
                    return Err(AppError::NotFound(i18n::say!(
                        nodes.no_such_node,
                        node = key,
                        cluster = cluster_name
                    )))
                }
            },
        };
        let step = self.step(window);
        let series =
            node_history::series(&self.pool, id, key, window, step, node_history::defs(&kind))
                .await?;
        Ok(NodeView {
            cluster_id: id,
            cluster_name,
            key: key.to_string(),
            kind,
            zone_offset_ms: lists.as_ref().map_or(0, model::node::zone_offset_ms),
            listed_at: lists.as_ref().and_then(|l| l.collected_at),
            node: listed,
            window: window.clone(),
            step_ms: step,
            now,
            series,
        })
    }
}
