//! Losses against their loop-by-loop twins, sanity values, and numerical gradient checks.

use deepday::gradcheck::{max_relative_error, numerical_gradient, relative_error, GOOD, KINKED};
use deepday::loss::{naive, softmax, svm, Loss};
use ndarray::{Array2, ArrayD, Ix2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random(n: usize, c: usize, scale: f64, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scores = Array2::from_shape_fn((n, c), |_| rng.random_range(-1.0..1.0) * scale);
    let y = (0..n).map(|_| rng.random_range(0..c)).collect();
    (scores, y)
}

#[test]
fn vectorised_losses_equal_their_naive_twins() {
    for seed in 0..5 {
        let (s, y) = random(23, 7, 3.0, seed);
        for (fast, slow) in [
            (svm(s.view(), &y), naive::svm(s.view(), &y)),
            (softmax(s.view(), &y), naive::softmax(s.view(), &y)),
        ] {
            assert!(
                (fast.0 - slow.0).abs() < 1e-6,
                "loss {} vs {}",
                fast.0,
                slow.0
            );
            let diff = (&fast.1 - &slow.1)
                .mapv(f64::abs)
                .fold(0.0, |a: f64, &b| a.max(b));
            assert!(diff < 1e-6, "gradient differs by {diff}");
        }
    }
}

#[test]
fn small_scores_give_the_textbook_losses() {
    // Near-zero weights give near-zero scores: softmax ≈ ln C, SVM ≈ (C − 1)·Δ.
    let (s, y) = random(500, 10, 1e-4, 1);
    let (soft, _) = softmax(s.view(), &y);
    assert!((soft - 10f64.ln()).abs() < 1e-3, "{soft}");
    let (hinge, _) = svm(s.view(), &y);
    assert!((hinge - 9.0).abs() < 1e-2, "{hinge}");
}

#[test]
fn softmax_is_stable_for_huge_scores() {
    let s = ndarray::array![[1000.0, -1000.0, 999.0]];
    let (loss, d) = softmax(s.view(), &[0]);
    assert!(
        loss.is_finite() && (loss - (1.0 + (-1.0f64).exp()).ln()).abs() < 1e-12,
        "{loss}"
    );
    assert!(d.iter().all(|v| v.is_finite()));
    let (loss, _) = softmax(s.view(), &[1]);
    assert!(loss.is_finite() && loss > 1000.0);
}

#[test]
fn hand_computed_svm() {
    // cs231n's example: scores (3.2, 5.1, −1.7) for a cat (class 0): 2.9 + 0 = 2.9.
    let s = ndarray::array![[3.2, 5.1, -1.7]];
    let (loss, d) = svm(s.view(), &[0]);
    assert!((loss - 2.9).abs() < 1e-12);
    assert_eq!(d.row(0).to_vec(), vec![-1.0, 1.0, 0.0]);
}

fn check_scores_gradient(loss: Loss, tolerance: f64) {
    let (s, y) = random(8, 5, 2.0, 3);
    let (_, analytic) = loss.forward_backward(s.view(), &y);
    let mut x: ArrayD<f64> = s.into_dyn();
    let numerical = numerical_gradient(
        |v| {
            loss.forward_backward(v.view().into_dimensionality::<Ix2>().unwrap(), &y)
                .0
        },
        &mut x,
        1e-6,
    );
    let err = max_relative_error(analytic.into_dyn().view(), numerical.view());
    assert!(err < tolerance, "{loss:?}: max relative error {err}");
}

#[test]
fn analytic_gradients_match_numerical_ones() {
    check_scores_gradient(Loss::Softmax, GOOD);
    check_scores_gradient(Loss::Svm, KINKED);
}

#[test]
fn a_wrong_gradient_is_caught() {
    let (s, y) = random(4, 3, 1.0, 9);
    let (_, mut analytic) = softmax(s.view(), &y);
    analytic[[0, 0]] *= 1.1;
    let mut x = s.into_dyn();
    let numerical = numerical_gradient(
        |v| softmax(v.view().into_dimensionality::<Ix2>().unwrap(), &y).0,
        &mut x,
        1e-6,
    );
    assert!(max_relative_error(analytic.into_dyn().view(), numerical.view()) > 1e-2);
    assert_eq!(relative_error(0.0, 0.0), 0.0);
    assert!("perceptron".parse::<Loss>().is_err());
}
