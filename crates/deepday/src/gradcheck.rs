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
