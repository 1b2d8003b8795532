//! The linear classifier's objective: vectorised against its naive twin, f32 against f64,
//! textbook values at small weights, numerical gradient checks.

use deepday::classic::linear::{loss_and_grad64, naive, Linear};
use deepday::gradcheck::{check_all, max_relative_error, numerical_gradient, GOOD};
use deepday::loss::{Loss, Objective};
use ndarray::{Array1, Array2, Ix2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Problem {
    x: Array2<f64>,
    w: Array2<f64>,
    b: Array1<f64>,
    y: Vec<usize>,
}

fn problem(n: usize, d: usize, c: usize, w_scale: f64, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Problem {
        x: Array2::from_shape_fn((n, d), |_| rng.random_range(-1.0..1.0)),
        w: Array2::from_shape_fn((d, c), |_| rng.random_range(-1.0..1.0) * w_scale),
        b: Array1::from_shape_fn(c, |_| rng.random_range(-1.0..1.0) * w_scale),
        y: (0..n).map(|_| rng.random_range(0..c)).collect(),
    }
}

fn max_abs_diff<D: ndarray::Dimension>(
    a: &ndarray::Array<f64, D>,
    b: &ndarray::Array<f64, D>,
) -> f64 {
    (a - b).iter().fold(0.0, |m, v| m.max(v.abs()))
}

#[test]
fn vectorised_objective_equals_the_naive_loops() {
    for loss in [Loss::Svm, Loss::Softmax] {
        for seed in 0..4 {
            let p = problem(19, 11, 5, 0.7, seed);
            let fast = loss_and_grad64(p.x.view(), p.w.view(), p.b.view(), &p.y, loss, 0.25);
            let slow = naive::loss_and_grad(p.x.view(), p.w.view(), p.b.view(), &p.y, loss, 0.25);
            assert!(
                (fast.0 - slow.0).abs() < 1e-6,
                "{loss:?}: {} vs {}",
                fast.0,
                slow.0
            );
            assert!(max_abs_diff(&fast.1, &slow.1) < 1e-6, "{loss:?} dw");
            assert!(max_abs_diff(&fast.2, &slow.2) < 1e-6, "{loss:?} db");
        }
    }
}

#[test]
fn the_f32_training_path_agrees_with_f64() {
    for loss in [Loss::Svm, Loss::Softmax] {
        let p = problem(300, 40, 7, 0.3, 5);
        let (l64, dw64, db64) =
            loss_and_grad64(p.x.view(), p.w.view(), p.b.view(), &p.y, loss, 0.1);
        let model = Linear {
            w: p.w.mapv(|v| v as f32),
            b: p.b.mapv(|v| v as f32),
        };
        let x = p.x.mapv(|v| v as f32);
        let objective = Objective { loss, reg: 0.1 };
        let (l32, grad) = model.loss_and_grad(x.view(), &p.y, objective);
        assert!(
            (l32 - l64).abs() < 1e-4 * l64.abs().max(1.0),
            "{l32} vs {l64}"
        );
        assert!((model.loss(x.view(), &p.y, objective) - l32).abs() < 1e-12);
        assert!(max_abs_diff(&grad.w.mapv(f64::from), &dw64) < 1e-4);
        assert!(max_abs_diff(&grad.b.mapv(f64::from), &db64) < 1e-4);
        let scores = model.scores(x.view()).mapv(f64::from);
        let expected = p.x.dot(&p.w) + &p.b;
        assert!(max_abs_diff(&scores, &expected) < 1e-4);
    }
}

#[test]
fn small_random_weights_give_the_textbook_losses() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let n = 400;
    let x = Array2::from_shape_fn((n, 784), |_| rng.random_range(0.0f32..1.0));
    let y: Vec<usize> = (0..n).map(|i| i % 10).collect();
    let model = Linear::random(784, 10, 1e-4, &mut rng);
    let softmax = model.loss(
        x.view(),
        &y,
        Objective {
            loss: Loss::Softmax,
            reg: 0.0,
        },
    );
    assert!(
        (softmax - 10f64.ln()).abs() < 1e-2,
        "softmax {softmax} vs ln 10"
    );
    let svm = model.loss(
        x.view(),
        &y,
        Objective {
            loss: Loss::Svm,
            reg: 0.0,
        },
    );
    assert!((svm - 9.0).abs() < 5e-2, "svm {svm} vs C − 1 = 9");
    // Regularisation adds ½·λ·‖w‖² exactly.
    let sq: f64 = model.w.iter().map(|&v| f64::from(v).powi(2)).sum();
    let with_reg = model.loss(
        x.view(),
        &y,
        Objective {
            loss: Loss::Svm,
            reg: 2.0,
        },
    );
    assert!((with_reg - svm - sq).abs() < 1e-9);
}

#[test]
fn every_gradient_check_passes() {
    for seed in 0..3 {
        for check in check_all(seed, 1e-5) {
            assert!(check.passed, "seed {seed}: {check:?}");
        }
    }
    let names: Vec<String> = check_all(0, 1e-5).into_iter().map(|c| c.name).collect();
    assert_eq!(names.len(), 6, "{names:?}");
}

#[test]
fn a_wrong_weight_gradient_fails_the_check() {
    // Forgetting regularisation's gradient is the classic bug: the check must see it.
    let p = problem(6, 5, 3, 0.5, 8);
    let reg = 0.5;
    let (_, dw, _) = loss_and_grad64(p.x.view(), p.w.view(), p.b.view(), &p.y, Loss::Softmax, reg);
    let buggy = &dw - &(&p.w * reg);
    let mut w = p.w.clone().into_dyn();
    let numerical = numerical_gradient(
        |v| {
            let v = v.view().into_dimensionality::<Ix2>().unwrap();
            loss_and_grad64(p.x.view(), v, p.b.view(), &p.y, Loss::Softmax, reg).0
        },
        &mut w,
        1e-5,
    );
    assert!(max_relative_error(dw.into_dyn().view(), numerical.view()) < GOOD);
    assert!(max_relative_error(buggy.into_dyn().view(), numerical.view()) > 1e-2);
}
