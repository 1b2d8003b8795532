//! Choosing hyper-parameters on held-out data only, never on the test set: k-NN by k-fold
//! cross-validation ([`knn`]), linear classifiers on a validation split, over a grid or
//! random draws ([`linear`]).

pub mod knn;
pub mod linear;

pub use knn::{best, cross_validate_knn, CvScore, KnnGrid};
pub use linear::{best_linear, grid, random_settings, tune_linear, LinearScore, LinearSetting};
