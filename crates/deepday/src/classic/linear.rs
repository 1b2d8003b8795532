//! The linear classifier: one matrix of weights that scores every class at once.
//!
//! # Shapes
//! - features `x`: `(n, d)`, one preprocessed image per row;
//! - weights `w`: `(d, C)`, column `j` is class `j`'s template; bias `b`: `(C,)`;
//! - scores `x·w + b`: `(n, C)`.
//!
//! The objective is the mean data loss ([`Loss`]) plus L2 regularisation `½·λ·‖w‖²` (the bias
//! is not regularised), so `dw = xᵀ·dscores + λ·w` and `db = Σᵢ dscoresᵢ`.
//!
//! Training runs in `f32` on the fast matrix product ([`crate::linalg`]); [`loss_and_grad64`]
//! is the same objective in `f64` for gradient checks, and [`naive`] its loop-by-loop oracle.

use crate::linalg::{matmul, matmul_into};
use crate::loss::{Loss, Objective};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use rand::Rng;
use rand_distr::{Distribution, Normal};

/// Weights and bias of a linear classifier (or their gradients, which have the same shapes).
#[derive(Debug, Clone, PartialEq)]
pub struct Linear {
    /// `(d, C)`.
    pub w: Array2<f32>,
    /// `(C,)`.
    pub b: Array1<f32>,
}

impl Linear {
    /// Zero weights and bias for `d` features and `c` classes.
    pub fn zeros(d: usize, c: usize) -> Self {
        Linear {
            w: Array2::zeros((d, c)),
            b: Array1::zeros(c),
        }
    }

    /// Weights drawn from `N(0, std²)`, zero bias: small random weights break the symmetry
    /// between classes without saturating the loss.
    pub fn random(d: usize, c: usize, std: f32, rng: &mut impl Rng) -> Self {
        let normal = Normal::new(0.0, std).expect("a finite, non-negative std");
        Linear {
            w: Array2::from_shape_simple_fn((d, c), || normal.sample(rng)),
            b: Array1::zeros(c),
        }
    }

    /// Number of input features `d`.
    pub fn n_features(&self) -> usize {
        self.w.nrows()
    }

    /// Number of classes `C`.
    pub fn n_classes(&self) -> usize {
        self.w.ncols()
    }

    /// Class scores `x·w + b` `(n, C)` for features `(n, d)`.
    pub fn scores(&self, x: ArrayView2<f32>) -> Array2<f32> {
        assert_eq!(x.ncols(), self.n_features(), "one weight row per feature");
        let mut s = matmul(x, self.w.view());
        s += &self.b;
        s
    }

    /// The objective on a batch, without gradients (what random search compares).
    pub fn loss(&self, x: ArrayView2<f32>, y: &[usize], objective: Objective) -> f64 {
        let scores = self.scores(x).mapv(f64::from);
        let (data, _) = objective.loss.forward_backward(scores.view(), y);
        data + self.penalty(objective.reg)
    }

    /// The objective on a batch and its gradient with respect to `w` and `b`.
    pub fn loss_and_grad(
        &self,
        x: ArrayView2<f32>,
        y: &[usize],
        objective: Objective,
    ) -> (f64, Linear) {
        let scores = self.scores(x).mapv(f64::from);
        let (data, dscores) = objective.loss.forward_backward(scores.view(), y);
        let dscores = dscores.mapv(|v| v as f32);
        // dw = λ·w + xᵀ·dscores, accumulated in place.
        let mut dw = &self.w * objective.reg;
        matmul_into(x.t(), dscores.view(), dw.view_mut(), true);
        let db = dscores.sum_axis(Axis(0));
        (data + self.penalty(objective.reg), Linear { w: dw, b: db })
    }

    /// `½·λ·‖w‖²`, summed in `f64`.
    fn penalty(&self, reg: f32) -> f64 {
        let sq: f64 = self.w.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
        0.5 * f64::from(reg) * sq
    }
}

impl crate::train::Trainable for Linear {
    fn scores(&self, x: ArrayView2<f32>) -> Array2<f32> {
        Linear::scores(self, x)
    }

    fn loss(&self, x: ArrayView2<f32>, y: &[usize], objective: Objective) -> f64 {
        Linear::loss(self, x, y, objective)
    }

    fn loss_and_grad(
        &self,
        x: ArrayView2<f32>,
        y: &[usize],
        objective: Objective,
    ) -> (f64, Vec<Vec<f32>>) {
        let (loss, grad) = Linear::loss_and_grad(self, x, y, objective);
        (
            loss,
            vec![grad.w.iter().copied().collect(), grad.b.to_vec()],
        )
    }

    fn params_mut(&mut self) -> Vec<&mut [f32]> {
        vec![
            self.w.as_slice_mut().expect("standard layout"),
            self.b.as_slice_mut().expect("standard layout"),
        ]
    }
}

/// The objective and its gradients in `f64`, vectorised: what gradient checks differentiate.
/// Returns `(loss, dw, db)`.
pub fn loss_and_grad64(
    x: ArrayView2<f64>,
    w: ArrayView2<f64>,
    b: ArrayView1<f64>,
    y: &[usize],
    loss: Loss,
    reg: f64,
) -> (f64, Array2<f64>, Array1<f64>) {
    let scores = x.dot(&w) + b;
    let (data, dscores) = loss.forward_backward(scores.view(), y);
    let dw = x.t().dot(&dscores) + &w * reg;
    let db = dscores.sum_axis(Axis(0));
    let penalty = 0.5 * reg * w.iter().map(|v| v * v).sum::<f64>();
    (data + penalty, dw, db)
}

/// The objective computed score by score with explicit loops: the oracle for the vectorised
/// versions.
pub mod naive {
    use crate::loss::{naive, Loss};
    use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

    /// `(loss, dw, db)` like [`super::loss_and_grad64`].
    pub fn loss_and_grad(
        x: ArrayView2<f64>,
        w: ArrayView2<f64>,
        b: ArrayView1<f64>,
        y: &[usize],
        loss: Loss,
        reg: f64,
    ) -> (f64, Array2<f64>, Array1<f64>) {
        let (n, d) = x.dim();
        let c = w.ncols();
        let mut scores = Array2::zeros((n, c));
        for i in 0..n {
            for j in 0..c {
                let mut s = b[j];
                for k in 0..d {
                    s += x[[i, k]] * w[[k, j]];
                }
                scores[[i, j]] = s;
            }
        }
        let (mut total, dscores) = match loss {
            Loss::Svm => naive::svm(scores.view(), y),
            Loss::Softmax => naive::softmax(scores.view(), y),
        };
        let mut dw = Array2::zeros((d, c));
        let mut db = Array1::zeros(c);
        for k in 0..d {
            for j in 0..c {
                for i in 0..n {
                    dw[[k, j]] += x[[i, k]] * dscores[[i, j]];
                }
                dw[[k, j]] += reg * w[[k, j]];
                total += 0.5 * reg * w[[k, j]] * w[[k, j]];
            }
        }
        for i in 0..n {
            for j in 0..c {
                db[j] += dscores[[i, j]];
            }
        }
        (total, dw, db)
    }
}
