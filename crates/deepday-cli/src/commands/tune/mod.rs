//! `deepday tune`: hyper-parameters chosen on held-out training data, then one test.

mod knn;
mod linear;

pub use knn::knn;
pub use linear::linear;
