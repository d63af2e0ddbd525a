//! What the collector announces after each write, for whoever derives state
//! from fresh history (the alerts task). The collector only sends; it does not
//! know who listens, so neither side imports the other.

use tokio::sync::{mpsc, oneshot};

/// One tick's rows (or one on-demand collection's) are in the store.
#[derive(Debug)]
pub struct TickWritten {
    /// The collection time of the rows (unix ms).
    pub at: i64,
    /// The clusters whose rows were written.
    pub cluster_ids: Vec<i64>,
    /// Answered once the listener has handled the tick; an on-demand
    /// collection waits for it so that its answer and the alerts agree.
    pub done: Option<oneshot::Sender<()>>,
}

pub type TickSender = mpsc::Sender<TickWritten>;
pub type TickReceiver = mpsc::Receiver<TickWritten>;

/// A channel for ticks; a few may wait while the listener works.
pub fn channel() -> (TickSender, TickReceiver) {
    mpsc::channel(16)
}
