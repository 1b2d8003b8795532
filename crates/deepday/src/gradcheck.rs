//! Checking an analytic gradient against a numerical one: the centred difference
//! `(f(x + h) − f(x − h)) / 2h` for every coordinate, compared by relative error
//! `|a − n| / max(|a|, |n|)` (0 when both are 0).
//!
//! cs231n's reading of the largest relative error: below 1e-7 the gradient is right; about
//! 1e-4 is acceptable near kinks (the SVM's hinge, ReLU); above 1e-2 it is wrong.

use ndarray::{ArrayD, ArrayViewD};

/// Relative error below which a gradient passes on a smooth function.
pub const GOOD: f64 = 1e-7;
/// Relative error tolerated near kinks (hinge, ReLU), where the centred difference straddles
/// the kink.
pub const KINKED: f64 = 1e-4;

/// The numerical gradient of `f` at `x`, step `h`, coordinate by coordinate. `f` is called
/// twice per coordinate; `x` is restored afterwards.
pub fn numerical_gradient(
    mut f: impl FnMut(&ArrayD<f64>) -> f64,
    x: &mut ArrayD<f64>,
    h: f64,
) -> ArrayD<f64> {
    assert!(h > 0.0, "the step must be positive");
    let mut grad = ArrayD::zeros(x.raw_dim());
    for i in 0..x.len() {
        let original = x.as_slice().expect("contiguous")[i];
        x.as_slice_mut().expect("contiguous")[i] = original + h;
        let plus = f(x);
        x.as_slice_mut().expect("contiguous")[i] = original - h;
        let minus = f(x);
        x.as_slice_mut().expect("contiguous")[i] = original;
        grad.as_slice_mut().expect("contiguous")[i] = (plus - minus) / (2.0 * h);
    }
    grad
}

/// Relative error of two numbers, 0 when both are 0.
pub fn relative_error(a: f64, b: f64) -> f64 {
    let scale = a.abs().max(b.abs());
    if scale == 0.0 {
        0.0
    } else {
        (a - b).abs() / scale
    }
}

/// Largest relative error between an analytic and a numerical gradient.
pub fn max_relative_error(analytic: ArrayViewD<f64>, numerical: ArrayViewD<f64>) -> f64 {
    assert_eq!(
        analytic.shape(),
        numerical.shape(),
        "gradients of the same parameter"
    );
    analytic
        .iter()
        .zip(numerical.iter())
        .map(|(&a, &n)| relative_error(a, n))
        .fold(0.0, f64::max)
}

/// One gradient check's outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Check {
    /// What was differentiated, e.g. `linear+softmax dw`.
    pub name: String,
    pub max_relative_error: f64,
    /// The largest error that passes: [`GOOD`], or [`KINKED`] for functions with kinks.
    pub threshold: f64,
    pub passed: bool,
}

impl Check {
    /// Compares `analytic`, the claimed gradient of `f` at `x`, with the numerical gradient
    /// (step `h`); `kinked` functions get the looser threshold. Works for any loss or layer:
    /// write `f` as the scalar it outputs, as a function of one of its inputs.
    pub fn run(
        name: &str,
        f: impl FnMut(&ArrayD<f64>) -> f64,
        mut x: ArrayD<f64>,
        analytic: ArrayD<f64>,
        h: f64,
        kinked: bool,
    ) -> Self {
        let numerical = numerical_gradient(f, &mut x, h);
        let max_relative_error = max_relative_error(analytic.view(), numerical.view());
        let threshold = if kinked { KINKED } else { GOOD };
        Check {
            name: name.to_string(),
            max_relative_error,
            threshold,
            passed: max_relative_error < threshold,
        }
    }
}

/// Checks every differentiable piece of the library on small random inputs (seeded): each
/// loss with respect to its scores, and the linear classifier's objective (with
/// regularisation) with respect to its weights and bias. `h` is the finite-difference step.
pub fn check_all(seed: u64, h: f64) -> Vec<Check> {
    use crate::classic::linear::loss_and_grad64;
    use crate::loss::Loss;
    use ndarray::{Array2, Ix1, Ix2};
    use rand::{Rng, SeedableRng};

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (n, d, c, reg) = (7, 6, 4, 0.3);
    let mut uniform = |shape: (usize, usize), scale: f64| {
        Array2::from_shape_fn(shape, |_| rng.random_range(-1.0..1.0) * scale)
    };
    let x = uniform((n, d), 1.0);
    let scores0 = uniform((n, c), 2.0);
    let w0 = uniform((d, c), 0.5);
    let b0 = uniform((1, c), 0.5)
        .into_shape_with_order(c)
        .expect("one row");
    let y: Vec<usize> = (0..n).map(|i| (i * 3 + seed as usize) % c).collect();

    let mut checks = Vec::new();
    for loss in [Loss::Softmax, Loss::Svm] {
        let kinked = loss == Loss::Svm;
        let name = loss.name();
        let two_d = |v: &ArrayD<f64>| {
            v.view()
                .into_dimensionality::<Ix2>()
                .expect("2-D")
                .to_owned()
        };
        let one_d = |v: &ArrayD<f64>| {
            v.view()
                .into_dimensionality::<Ix1>()
                .expect("1-D")
                .to_owned()
        };
        let objective = |w: &Array2<f64>, b: &ndarray::Array1<f64>| {
            loss_and_grad64(x.view(), w.view(), b.view(), &y, loss, reg)
        };

        let (_, dscores) = loss.forward_backward(scores0.view(), &y);
        checks.push(Check::run(
            &format!("{name} loss dscores"),
            |v| loss.forward_backward(two_d(v).view(), &y).0,
            scores0.clone().into_dyn(),
            dscores.into_dyn(),
            h,
            kinked,
        ));
        let (_, dw, db) = objective(&w0, &b0);
        checks.push(Check::run(
            &format!("linear+{name} dw"),
            |v| objective(&two_d(v), &b0).0,
            w0.clone().into_dyn(),
            dw.into_dyn(),
            h,
            kinked,
        ));
        checks.push(Check::run(
            &format!("linear+{name} db"),
            |v| objective(&w0, &one_d(v)).0,
            b0.clone().into_dyn(),
            db.into_dyn(),
            h,
            kinked,
        ));
    }
    checks
}
