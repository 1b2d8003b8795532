//! Classifiers that are not neural networks: k-nearest neighbours and linear
//! classifiers.

pub mod knn;
pub mod linear;

pub use knn::{Knn, KnnConfig, Neighbors, Weights};
pub use linear::Linear;
