//! The library's one error type. Every error a user can cause (a bad file, a bad
//! hyper-parameter, data that do not fit together) is a variant here with the path or the
//! name of the setting and the reason; internal shape bugs are asserts instead.

use std::path::{Path, PathBuf};

/// Everything that can go wrong because of the input a user gave.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file was read but its contents are not what its format promises.
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: String },
    /// A hyper-parameter or option is out of its range.
    #[error("invalid {name}: {reason}")]
    Config { name: &'static str, reason: String },
    /// Data sets that cannot be used together (shapes, classes, empty sets).
    #[error("{0}")]
    Data(String),
    /// Training produced a loss (or weights) that is NaN or infinite.
    #[error(
        "training diverged at epoch {epoch}, step {step}: the loss became {loss}; \
         try a smaller learning rate than {learning_rate}"
    )]
    Diverged {
        epoch: usize,
        step: usize,
        loss: f64,
        learning_rate: f32,
    },
}

/// `Result` with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub(crate) fn format(path: impl AsRef<Path>, reason: impl Into<String>) -> Self {
        Error::Format {
            path: path.as_ref().to_path_buf(),
            reason: reason.into(),
        }
    }

    pub(crate) fn config(name: &'static str, reason: impl Into<String>) -> Self {
        Error::Config {
            name,
            reason: reason.into(),
        }
    }
}
