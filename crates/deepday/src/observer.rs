//! How long-running library work reports progress without printing: the caller passes an
//! [`Observer`], the CLI's draws a progress bar.

/// Receives progress from long computations. Called from worker threads.
pub trait Observer: Sync {
    /// `units` more items (queries, folds, ...) are done.
    fn advance(&self, _units: u64) {}
}

/// An observer that ignores everything.
pub struct Silent;

impl Observer for Silent {}
