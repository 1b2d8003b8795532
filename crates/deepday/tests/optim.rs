//! Each update rule against its formula worked out by hand for two steps.

use deepday::optim::{OptimizerConfig, Schedule};

fn two_steps(config: OptimizerConfig, lr: f32, wd: f32) -> Vec<f32> {
    let mut opt = config.build(lr, wd).unwrap();
    let mut w = vec![1.0f32, -2.0];
    opt.update(0, &mut w, &[0.5, 0.25]);
    let after_one = w.clone();
    opt.update(0, &mut w, &[0.5, 0.25]);
    [after_one, w].concat()
}

fn close(got: &[f32], want: &[f32]) {
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-5, "{got:?} vs {want:?}");
    }
}

#[test]
fn sgd_and_weight_decay() {
    close(
        &two_steps(OptimizerConfig::Sgd, 0.1, 0.0),
        &[0.95, -2.025, 0.9, -2.05],
    );
    // g = dw + 0.1 w: step 1 g = (0.6, 0.05) → (0.94, −2.005); step 2 g = (0.594, 0.0495).
    close(
        &two_steps(OptimizerConfig::Sgd, 0.1, 0.1),
        &[0.94, -2.005, 0.8806, -2.00995],
    );
}

#[test]
fn momentum_and_nesterov() {
    // v1 = −0.1·0.5 = −0.05, w = 0.95; v2 = 0.9·(−0.05) − 0.05 = −0.095, w = 0.855.
    close(
        &two_steps(OptimizerConfig::MOMENTUM, 0.1, 0.0),
        &[0.95, -2.025, 0.855, -2.0725],
    );
    // Nesterov: w += −μ v_prev + (1 + μ) v: step 1 1.9·(−0.05) = −0.095 → 0.905;
    // step 2 0.045 + 1.9·(−0.095) = −0.1355 → 0.7695.
    let nesterov = OptimizerConfig::Momentum {
        mu: 0.9,
        nesterov: true,
    };
    close(&two_steps(nesterov, 0.1, 0.0)[..1], &[0.905]);
    close(&two_steps(nesterov, 0.1, 0.0)[2..3], &[0.7695]);
}

#[test]
fn rmsprop() {
    // c1 = 0.01·0.25 = 0.0025, √c1 = 0.05: w −= 0.01·0.5/0.05 = 0.1 → 0.9.
    // c2 = 0.99·0.0025 + 0.0025 = 0.004975: w −= 0.005/√0.004975.
    let step2 = 0.9 - 0.005 / 0.004975f32.sqrt();
    close(
        &two_steps(OptimizerConfig::RMSPROP, 0.01, 0.0)[..3],
        &[0.9, -2.1, step2],
    );
}

#[test]
fn adam_first_steps_move_by_the_learning_rate() {
    // Bias correction makes m̂ = g and v̂ = g² on every step of a constant gradient, so each
    // step moves each weight by lr·sign(g) (up to ε).
    close(
        &two_steps(OptimizerConfig::ADAM, 0.01, 0.0),
        &[0.99, -2.01, 0.98, -2.02],
    );
}

#[test]
fn bad_hyper_parameters_and_schedules() {
    assert!(OptimizerConfig::Sgd.build(0.0, 0.0).is_err());
    assert!(OptimizerConfig::Sgd.build(f32::NAN, 0.0).is_err());
    assert!(OptimizerConfig::ADAM.build(1e-3, -1.0).is_err());
    assert_eq!(Schedule::Constant.rate(0.1, 7), 0.1);
    assert!(
        (Schedule::Step {
            every: 2,
            gamma: 0.5
        }
        .rate(0.1, 5)
            - 0.025)
            .abs()
            < 1e-7
    );
    let cos = Schedule::Cosine { epochs: 10 };
    assert_eq!(cos.rate(0.1, 0), 0.1);
    assert!((cos.rate(0.1, 5) - 0.05).abs() < 1e-7);
    assert!(cos.rate(0.1, 10).abs() < 1e-7);
}
