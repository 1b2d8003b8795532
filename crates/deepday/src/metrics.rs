//! How good predictions are: accuracy and the confusion matrix.

use crate::{Error, Result};

/// Fraction of predictions equal to the truth.
pub fn accuracy(truth: &[usize], predicted: &[usize]) -> f64 {
    assert_eq!(truth.len(), predicted.len(), "one prediction per label");
    if truth.is_empty() {
        return 0.0;
    }
    truth.iter().zip(predicted).filter(|(a, b)| a == b).count() as f64 / truth.len() as f64
}

/// Counts of (true class, predicted class) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    /// `counts[t][p]`: images of class `t` predicted as `p`.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    /// Tallies predictions; every label must be below `n_classes`.
    pub fn new(truth: &[usize], predicted: &[usize], n_classes: usize) -> Result<Self> {
        if truth.len() != predicted.len() {
            return Err(Error::Data(format!(
                "{} labels but {} predictions",
                truth.len(),
                predicted.len()
            )));
        }
        let mut counts = vec![vec![0; n_classes]; n_classes];
        for (&t, &p) in truth.iter().zip(predicted) {
            if t >= n_classes || p >= n_classes {
                return Err(Error::Data(format!(
                    "class {} is outside the {n_classes} classes",
                    t.max(p)
                )));
            }
            counts[t][p] += 1;
        }
        Ok(ConfusionMatrix { counts })
    }

    /// Accuracy within each true class (recall); `None` for a class with no images.
    pub fn per_class_accuracy(&self) -> Vec<Option<f64>> {
        self.counts
            .iter()
            .enumerate()
            .map(|(t, row)| {
                let total: usize = row.iter().sum();
                (total > 0).then(|| row[t] as f64 / total as f64)
            })
            .collect()
    }

    /// Overall accuracy.
    pub fn accuracy(&self) -> f64 {
        let total: usize = self.counts.iter().flatten().sum();
        let right: usize = (0..self.counts.len()).map(|i| self.counts[i][i]).sum();
        if total == 0 {
            0.0
        } else {
            right as f64 / total as f64
        }
    }
}

/// The highest-scoring class of each row of `(n, C)` scores; the lower class among equals.
pub fn argmax_rows(scores: ndarray::ArrayView2<f32>) -> Vec<usize> {
    scores
        .rows()
        .into_iter()
        .map(|r| {
            let mut best = 0;
            for (j, &v) in r.iter().enumerate() {
                if v > r[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// The `k` best classes of a row of outputs, best first (the lower class first among equals).
pub fn top_k(row: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut order: Vec<usize> = (0..row.len()).collect();
    order.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
    order.into_iter().take(k).map(|j| (j, row[j])).collect()
}
