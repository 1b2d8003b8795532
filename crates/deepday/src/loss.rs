//! Classification losses on class scores: how unhappy we are with scores `(n, C)` given the
//! true classes `y`, and the gradient of that unhappiness with respect to the scores.
//!
//! - Multiclass SVM (Weston–Watkins hinge): `Lᵢ = Σ_{j≠yᵢ} max(0, sⱼ − s_yᵢ + Δ)`, `Δ = 1`.
//! - Softmax cross-entropy: `Lᵢ = −log(e^{s_yᵢ} / Σⱼ e^{sⱼ})`, computed after subtracting each
//!   row's maximum so that no exponential overflows.
//!
//! Both average over the batch. They work in `f64`: scores are only `n × C` numbers, so the
//! precision costs nothing next to the `f32` matrix products that produce them, and gradient
//! checks need it. Each vectorised loss has a loop-by-loop twin used as its test oracle.

use ndarray::{Array2, ArrayView2, Axis};

/// The SVM's margin `Δ`.
pub const SVM_MARGIN: f64 = 1.0;

/// Which loss a linear classifier (or a network's last layer) is trained with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    Svm,
    Softmax,
}

impl std::str::FromStr for Loss {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "svm" | "hinge" => Ok(Loss::Svm),
            "softmax" | "cross-entropy" => Ok(Loss::Softmax),
            _ => Err(crate::Error::config(
                "loss",
                format!("unknown loss `{s}` (svm or softmax)"),
            )),
        }
    }
}

/// What training minimises: a data loss plus L2 regularisation `½·λ·‖w‖²` of strength
/// `reg` (λ) on the weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    pub loss: Loss,
    pub reg: f32,
}

impl Loss {
    /// The name the command line uses.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Svm => "svm",
            Loss::Softmax => "softmax",
        }
    }

    /// Mean loss over the batch and its gradient `dscores` `(n, C)`.
    pub fn forward_backward(self, scores: ArrayView2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
        match self {
            Loss::Svm => svm(scores, y),
            Loss::Softmax => softmax(scores, y),
        }
    }
}

fn check(scores: &ArrayView2<f64>, y: &[usize]) {
    assert_eq!(scores.nrows(), y.len(), "one label per row of scores");
    assert!(
        y.iter().all(|&c| c < scores.ncols()),
        "labels index the score columns"
    );
}

/// Multiclass SVM loss, vectorised.
pub fn svm(scores: ArrayView2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
    check(&scores, y);
    let n = y.len().max(1) as f64;
    let mut dscores = Array2::zeros(scores.raw_dim());
    let mut loss = 0.0;
    for ((row, mut d), &yi) in scores.rows().into_iter().zip(dscores.rows_mut()).zip(y) {
        let correct = row[yi];
        let mut violations = 0.0;
        for (j, (&s, g)) in row.iter().zip(d.iter_mut()).enumerate() {
            let margin = s - correct + SVM_MARGIN;
            if j != yi && margin > 0.0 {
                loss += margin;
                *g = 1.0 / n;
                violations += 1.0;
            }
        }
        d[yi] = -violations / n;
    }
    (loss / n, dscores)
}

/// Softmax cross-entropy loss, vectorised and numerically stable.
pub fn softmax(scores: ArrayView2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
    check(&scores, y);
    let n = y.len().max(1) as f64;
    let max = scores.map_axis(Axis(1), |r| r.fold(f64::NEG_INFINITY, |a, &b| a.max(b)));
    let shifted = &scores - &max.insert_axis(Axis(1));
    let mut p = shifted.mapv(f64::exp);
    let sums = p.sum_axis(Axis(1));
    p /= &sums.view().insert_axis(Axis(1));
    // −log pᵢ = log Σ e^{shifted} − shifted_yᵢ: exact even when pᵢ underflows to 0.
    let mut loss = 0.0;
    for (((mut row, shifted), &yi), &sum) in p
        .rows_mut()
        .into_iter()
        .zip(shifted.rows())
        .zip(y)
        .zip(&sums)
    {
        loss += sum.ln() - shifted[yi];
        row[yi] -= 1.0;
    }
    p /= n;
    (loss / n, p)
}

/// Turns each row of scores `(n, C)` into softmax probabilities, in place (shifted by the
/// row's maximum, so no exponential overflows).
pub fn probabilities(scores: &mut ndarray::Array2<f32>) {
    for mut row in scores.axis_iter_mut(Axis(0)) {
        let max = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let total = row.sum();
        row /= total;
    }
}

/// The loss functions written one score at a time, straight from the formulas: oracles.
pub mod naive {
    use super::SVM_MARGIN;
    use ndarray::{Array2, ArrayView2};

    /// Multiclass SVM loss with explicit loops.
    pub fn svm(scores: ArrayView2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
        let (n, c) = scores.dim();
        let mut loss = 0.0;
        let mut d = Array2::zeros((n, c));
        for i in 0..n {
            for j in 0..c {
                if j == y[i] {
                    continue;
                }
                let margin = scores[[i, j]] - scores[[i, y[i]]] + SVM_MARGIN;
                if margin > 0.0 {
                    loss += margin;
                    d[[i, j]] += 1.0;
                    d[[i, y[i]]] -= 1.0;
                }
            }
        }
        (loss / n as f64, d / n as f64)
    }

    /// Softmax cross-entropy with explicit loops (and no stabilising shift: fine for the
    /// small scores of tests).
    pub fn softmax(scores: ArrayView2<f64>, y: &[usize]) -> (f64, Array2<f64>) {
        let (n, c) = scores.dim();
        let mut loss = 0.0;
        let mut d = Array2::zeros((n, c));
        for i in 0..n {
            let total: f64 = (0..c).map(|j| scores[[i, j]].exp()).sum();
            for j in 0..c {
                let p = scores[[i, j]].exp() / total;
                d[[i, j]] = (p - f64::from(j == y[i])) / n as f64;
                if j == y[i] {
                    loss -= p.ln();
                }
            }
        }
        (loss / n as f64, d)
    }
}
