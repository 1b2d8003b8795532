//! k-nearest neighbours: remember the training images; label a query by a vote among the k
//! training images closest to it.
//!
//! Results match scikit-learn's `KNeighborsClassifier(algorithm="brute")`:
//! - **Equal distances**: the k nearest are the k smallest by (distance, training index), so
//!   of two equally distant images the one earlier in the training set wins. Distances are
//!   exact integers (L1, L2²) computed by [`crate::distance::exact`], so "equal" is exact.
//! - **Votes**: `Uniform` counts neighbours; `Distance` weighs each by `1/d`, and when any
//!   neighbour is at distance 0, those at distance 0 get weight 1 and the rest 0.
//! - **Equal votes**: the class with the smallest index wins.
//!
//! Prediction streams over blocks of queries and references and keeps only the k best per
//! query, so memory stays at O(block² + n·k), never the full test × train matrix.

use crate::data::Dataset;
use crate::distance::exact::{ExactIndex, REF_TILE};
use crate::distance::Metric;
use crate::{Error, Observer, Result};
use ndarray::{s, ArrayView2};
use rayon::prelude::*;

/// How neighbours' votes are weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weights {
    /// One vote each.
    #[default]
    Uniform,
    /// `1 / distance` each (see the module docs for zero distances).
    Distance,
}

impl std::str::FromStr for Weights {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "uniform" => Ok(Weights::Uniform),
            "distance" => Ok(Weights::Distance),
            _ => Err(Error::config(
                "weights",
                format!("unknown weighting `{s}` (uniform or distance)"),
            )),
        }
    }
}

impl std::fmt::Display for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Weights::Uniform => "uniform",
            Weights::Distance => "distance",
        })
    }
}

/// k-NN's hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnnConfig {
    pub k: usize,
    pub metric: Metric,
    pub weights: Weights,
}

impl Default for KnnConfig {
    fn default() -> Self {
        KnnConfig {
            k: 5,
            metric: Metric::L2,
            weights: Weights::Uniform,
        }
    }
}

impl KnnConfig {
    /// "Trains" k-NN: checks the settings and prepares the training images for fast search.
    pub fn fit(&self, train: &Dataset) -> Result<Knn> {
        if self.k == 0 {
            return Err(Error::config("k", "0 (k must be at least 1)"));
        }
        if train.is_empty() {
            return Err(Error::Data(
                "cannot fit k-NN on an empty training set".into(),
            ));
        }
        if self.k > train.len() {
            return Err(Error::config(
                "k",
                format!(
                    "{} is more than the {} training images",
                    self.k,
                    train.len()
                ),
            ));
        }
        Ok(Knn {
            config: *self,
            index: ExactIndex::new(self.metric, train.pixels())?,
            labels: train.labels().to_vec(),
            n_classes: train.n_classes(),
        })
    }
}

/// A fitted k-NN classifier: the training images, prepared for search, and their labels.
pub struct Knn {
    config: KnnConfig,
    index: ExactIndex,
    labels: Vec<usize>,
    n_classes: usize,
}

/// The k nearest training images of each query, nearest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbors {
    pub k: usize,
    /// Training indices, `n_queries × k`, row-major.
    pub indices: Vec<usize>,
    /// Their distances (true metric distances, not squared), same layout.
    pub distances: Vec<f64>,
}

/// Queries per parallel task: large enough that each pass over the training set serves many.
const QUERY_BLOCK: usize = 128;
/// References per inner block (a multiple of `REF_TILE`).
const REF_BLOCK: usize = 256;

impl Knn {
    /// The settings this model was fitted with.
    pub fn config(&self) -> KnnConfig {
        self.config
    }

    /// Number of training images.
    pub fn n_train(&self) -> usize {
        self.labels.len()
    }

    /// The `k` nearest training images of each row of `x` `(n, dim)`.
    pub fn kneighbors(
        &self,
        x: ArrayView2<u8>,
        k: usize,
        observer: &dyn Observer,
    ) -> Result<Neighbors> {
        if k == 0 || k > self.n_train() {
            return Err(Error::config(
                "k",
                format!("{k} (1 to {} training images)", self.n_train()),
            ));
        }
        if x.ncols() != self.index.dim() {
            return Err(Error::Data(format!(
                "queries have {} values per image but the training images have {}",
                x.ncols(),
                self.index.dim()
            )));
        }
        let n = x.nrows();
        let mut indices = vec![0usize; n * k];
        let mut distances = vec![0f64; n * k];
        indices
            .par_chunks_mut(QUERY_BLOCK * k)
            .zip(distances.par_chunks_mut(QUERY_BLOCK * k))
            .enumerate()
            .for_each(|(b, (idx, dist))| {
                let rows = b * QUERY_BLOCK..((b + 1) * QUERY_BLOCK).min(n);
                let len = rows.len();
                self.search_block(x.slice(s![rows, ..]), k, idx, dist);
                observer.advance(len as u64);
            });
        Ok(Neighbors {
            k,
            indices,
            distances,
        })
    }

    fn search_block(&self, x: ArrayView2<u8>, k: usize, idx: &mut [usize], dist: &mut [f64]) {
        let q = self.index.queries(x);
        let mut best: Vec<TopK> = (0..q.len()).map(|_| TopK::new(k)).collect();
        let mut raw = Vec::new();
        let mut keys = vec![0f64; q.len() * REF_BLOCK];
        for start in (0..self.n_train()).step_by(REF_BLOCK) {
            self.index.keys(&q, start, REF_BLOCK, &mut raw, &mut keys);
            for (top, row) in best.iter_mut().zip(keys.chunks_exact(REF_BLOCK)) {
                top.scan(row, start);
            }
        }
        debug_assert_eq!(REF_BLOCK % REF_TILE, 0);
        for (i, top) in best.iter().enumerate() {
            for (j, (&key, &index)) in top.keys.iter().zip(&top.indices).enumerate() {
                idx[i * k + j] = index;
                dist[i * k + j] = self.index.distance(key);
            }
        }
    }

    /// Class votes `(n, classes)` among the first `k` neighbours, normalised to sum to 1
    /// (scikit-learn's `predict_proba`).
    pub fn vote(&self, nb: &Neighbors, k: usize, weights: Weights) -> Vec<Vec<f64>> {
        assert!(
            k >= 1 && k <= nb.k,
            "vote among at most the neighbours found"
        );
        nb.indices
            .chunks_exact(nb.k)
            .zip(nb.distances.chunks_exact(nb.k))
            .map(|(idx, dist)| {
                let (idx, dist) = (&idx[..k], &dist[..k]);
                let mut votes = vec![0f64; self.n_classes];
                let exact_match = dist.contains(&0.0);
                for (&i, &d) in idx.iter().zip(dist) {
                    votes[self.labels[i]] += match weights {
                        Weights::Uniform => 1.0,
                        Weights::Distance if exact_match => f64::from(d == 0.0),
                        Weights::Distance => 1.0 / d,
                    };
                }
                let total: f64 = votes.iter().sum();
                votes.iter_mut().for_each(|v| *v /= total);
                votes
            })
            .collect()
    }

    /// Predicted class of each row of `x`.
    pub fn predict(&self, x: ArrayView2<u8>, observer: &dyn Observer) -> Result<Vec<usize>> {
        let nb = self.kneighbors(x, self.config.k, observer)?;
        Ok(self
            .vote(&nb, self.config.k, self.config.weights)
            .iter()
            .map(|v| argmax(v))
            .collect())
    }
}

/// Index of the largest value; the smallest index among equal ones.
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// The k smallest keys seen so far, sorted by (key, index).
struct TopK {
    k: usize,
    keys: Vec<f64>,
    indices: Vec<usize>,
}

impl TopK {
    fn new(k: usize) -> Self {
        TopK {
            k,
            keys: Vec::with_capacity(k + 1),
            indices: Vec::with_capacity(k + 1),
        }
    }

    fn worst(&self) -> f64 {
        if self.keys.len() < self.k {
            f64::INFINITY
        } else {
            self.keys[self.k - 1]
        }
    }

    /// Offers `row[j]` as the key of reference `start + j`, references in increasing order:
    /// only strictly smaller keys displace, so earlier references win ties.
    fn scan(&mut self, row: &[f64], start: usize) {
        let mut worst = self.worst();
        for (c, chunk) in row.chunks(16).enumerate() {
            // Branch-free test first: most chunks hold no candidate.
            if !chunk.iter().fold(false, |any, &x| any | (x < worst)) {
                continue;
            }
            for (j, &key) in chunk.iter().enumerate() {
                if key < worst {
                    self.insert(key, start + c * 16 + j);
                    worst = self.worst();
                }
            }
        }
    }

    fn insert(&mut self, key: f64, index: usize) {
        let pos = self.keys.partition_point(|&x| x <= key);
        self.keys.insert(pos, key);
        self.indices.insert(pos, index);
        self.keys.truncate(self.k);
        self.indices.truncate(self.k);
    }
}
