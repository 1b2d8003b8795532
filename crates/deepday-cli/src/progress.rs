//! Progress bars for long library work: an [`deepday::Observer`] backed by indicatif, hidden
//! when standard error is not a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar that the library advances.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar of `total` units, labelled `what`.
    pub fn new(total: u64, what: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if !std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} ({eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_string());
        Bar(bar)
    }

    /// Removes the bar from the screen.
    pub fn finish(self) {
        self.0.finish_and_clear();
    }
}

impl deepday::Observer for Bar {
    fn advance(&self, units: u64) {
        self.0.inc(units);
    }
}
