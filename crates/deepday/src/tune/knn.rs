//! k-fold cross-validation of k-NN over a grid of k and metrics (cs231n's protocol). For each fold and metric the neighbours are searched
//! once, for the largest k; every smaller k votes among a prefix of that list, which gives the
//! same neighbours as a search for that k because the list is ordered by (distance, index).

use crate::classic::knn::{argmax, KnnConfig, Weights};
use crate::data::{stratified_kfold, Dataset};
use crate::distance::Metric;
use crate::metrics::accuracy;
use crate::{Error, Observer, Result};

/// The settings to try and how to validate them.
#[derive(Debug, Clone, PartialEq)]
pub struct KnnGrid {
    pub ks: Vec<usize>,
    pub metrics: Vec<Metric>,
    pub weights: Weights,
    pub folds: usize,
    pub seed: u64,
}

/// Validation accuracy of one setting over the folds.
#[derive(Debug, Clone, PartialEq)]
pub struct CvScore {
    pub k: usize,
    pub metric: Metric,
    pub fold_accuracies: Vec<f64>,
}

impl CvScore {
    /// Mean accuracy over the folds.
    pub fn mean(&self) -> f64 {
        self.fold_accuracies.iter().sum::<f64>() / self.fold_accuracies.len() as f64
    }

    /// Standard deviation over the folds (population, as NumPy's `std`).
    pub fn std(&self) -> f64 {
        let m = self.mean();
        let var = self
            .fold_accuracies
            .iter()
            .map(|a| (a - m).powi(2))
            .sum::<f64>()
            / self.fold_accuracies.len() as f64;
        var.sqrt()
    }
}

/// Cross-validates every (k, metric) of `grid` on `train`; scores come metric by metric, k
/// in the order given. The observer advances once per (fold, metric).
pub fn cross_validate_knn(
    train: &Dataset,
    grid: &KnnGrid,
    observer: &dyn Observer,
) -> Result<Vec<CvScore>> {
    if grid.ks.is_empty() || grid.metrics.is_empty() {
        return Err(Error::config("grid", "give at least one k and one metric"));
    }
    if let Some(&bad) = grid.ks.iter().find(|&&k| k == 0) {
        return Err(Error::config("k", format!("{bad} (k must be at least 1)")));
    }
    let folds = stratified_kfold(train.labels(), grid.folds, grid.seed)?;
    let k_max = *grid.ks.iter().max().expect("non-empty");
    let smallest = folds.iter().map(|f| f.train.len()).min().unwrap_or(0);
    if k_max > smallest {
        return Err(Error::config(
            "k",
            format!("{k_max} is more than the {smallest} images a fold trains on"),
        ));
    }
    let mut scores: Vec<CvScore> = grid
        .metrics
        .iter()
        .flat_map(|&metric| {
            grid.ks.iter().map(move |&k| CvScore {
                k,
                metric,
                fold_accuracies: Vec::new(),
            })
        })
        .collect();
    for fold in &folds {
        let fit_set = train.select(&fold.train);
        let held_out = train.select(&fold.validation);
        for (m, &metric) in grid.metrics.iter().enumerate() {
            let knn = KnnConfig {
                k: k_max,
                metric,
                weights: grid.weights,
            }
            .fit(&fit_set)?;
            let nb = knn.kneighbors(held_out.pixels(), k_max, &crate::Silent)?;
            for (j, &k) in grid.ks.iter().enumerate() {
                let predicted: Vec<usize> = knn
                    .vote(&nb, k, grid.weights)
                    .iter()
                    .map(|v| argmax(v))
                    .collect();
                scores[m * grid.ks.len() + j]
                    .fold_accuracies
                    .push(accuracy(held_out.labels(), &predicted));
            }
            observer.advance(1);
        }
    }
    Ok(scores)
}

/// The best score: highest mean accuracy; among equals the smaller k, then the earlier metric.
pub fn best(scores: &[CvScore]) -> Option<&CvScore> {
    scores.iter().reduce(|best, s| {
        let better = s.mean() > best.mean() || (s.mean() == best.mean() && s.k < best.k);
        if better {
            s
        } else {
            best
        }
    })
}
