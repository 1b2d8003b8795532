//! deepday: the "Deep Learning Day" course as fast, real software.
//!
//! Data flow one way: files → [`data`] loaders → [`data::Dataset`] → fitted
//! [`preprocess`]ing → a model ([`classic::KnnConfig::fit`], [`classic::linear::LinearConfig::fit`]
//! trained by the [`train`] loop with a [`loss`] and an [`optim`] rule) → [`metrics`], and
//! [`checkpoint`] files for later. The library never prints; long work reports through an
//! [`Observer`].
//!
//! ```
//! use deepday::{classic::KnnConfig, distance::Metric, metrics::accuracy, Silent};
//! let split = deepday::data::sample()?;
//! let train = split.train.select(&(0..1000).collect::<Vec<_>>());
//! let knn = KnnConfig { k: 3, metric: Metric::L1, ..Default::default() }.fit(&train)?;
//! let test = split.test.select(&(0..100).collect::<Vec<_>>());
//! let predicted = knn.predict(test.pixels(), &Silent)?;
//! assert!(accuracy(test.labels(), &predicted) > 0.5);
//!
//! // A softmax classifier trained by Adam (the defaults), two epochs.
//! let mut config = deepday::classic::linear::LinearConfig::default();
//! config.train.epochs = 2;
//! let (linear, history) = config.fit(&train, &Silent)?;
//! assert_eq!(history.epochs.len(), 2);
//! assert!(accuracy(test.labels(), &linear.predict(test.pixels())?) > 0.5);
//! # Ok::<(), deepday::Error>(())
//! ```

pub mod checkpoint;
pub mod classic;
pub mod data;
pub mod distance;
mod error;
pub mod gradcheck;
pub mod io;
pub mod linalg;
pub mod loss;
pub mod metrics;
mod observer;
pub mod optim;
pub mod preprocess;
pub mod train;
pub mod tune;

pub use error::{Error, Result};
pub use observer::{Observer, Silent};
