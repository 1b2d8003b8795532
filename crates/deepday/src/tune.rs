//! Choosing hyper-parameters on held-out data: k-fold cross-validation of k-NN over a grid of
//! k and metrics (cs231n's protocol). For each fold and metric the neighbours are searched
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

/// Validation accuracy of one linear-classifier setting; `None` when training diverged.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GridScore {
    pub learning_rate: f32,
    pub reg: f32,
    pub validation_accuracy: Option<f64>,
}

/// Trains `base` with every learning rate × regularisation pair on one stratified split of
/// `data` (`fraction` held out, seeded by `base`'s seed) and scores each on the held-out
/// part. A setting that diverges is recorded, not fatal: finding them is part of tuning.
pub fn tune_linear(
    data: &Dataset,
    base: &crate::classic::linear::LinearConfig,
    learning_rates: &[f32],
    regs: &[f32],
    fraction: f64,
    observer: &dyn Observer,
) -> Result<Vec<GridScore>> {
    if learning_rates.is_empty() || regs.is_empty() {
        return Err(Error::config(
            "grid",
            "needs at least one learning rate and one regularisation",
        ));
    }
    let (t, v) = crate::data::stratified_split(data.labels(), fraction, base.train.seed)?;
    let (train, validation) = (data.select(&t), data.select(&v));
    let mut scores = Vec::new();
    for &learning_rate in learning_rates {
        for &reg in regs {
            let mut config = *base;
            config.validation = None;
            config.train.learning_rate = learning_rate;
            config.train.objective.reg = reg;
            let validation_accuracy = match config.fit(&train, observer) {
                Ok((model, _)) => {
                    let predicted = model.predict(validation.pixels())?;
                    Some(accuracy(validation.labels(), &predicted))
                }
                Err(Error::Diverged { .. }) => None,
                Err(e) => return Err(e),
            };
            scores.push(GridScore {
                learning_rate,
                reg,
                validation_accuracy,
            });
        }
    }
    Ok(scores)
}

/// The setting with the highest validation accuracy (the first among equals).
pub fn best_linear(scores: &[GridScore]) -> Option<&GridScore> {
    scores
        .iter()
        .filter(|s| s.validation_accuracy.is_some())
        .fold(None, |best: Option<&GridScore>, s| match best {
            Some(b) if b.validation_accuracy >= s.validation_accuracy => Some(b),
            _ => Some(s),
        })
}
