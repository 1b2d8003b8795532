//! Classifiers that are not neural networks: k-nearest neighbours (and, later, linear models).

pub mod knn;

pub use knn::{Knn, KnnConfig, Neighbors, Weights};
