//! The training loop: each strategy lowers the loss, seeds reproduce runs, early stopping
//! keeps the best epoch, divergence is an error, and gradients beat random search.

use deepday::classic::linear::LinearConfig;
use deepday::classic::Linear;
use deepday::loss::{Loss, Objective};
use deepday::optim::{OptimizerConfig, Schedule};
use deepday::train::{accuracy, Strategy, TrainConfig};
use deepday::{Error, Silent};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Three Gaussian blobs in 10 dimensions, well apart: linearly separable.
fn blobs(n: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let y: Vec<usize> = (0..n).map(|i| i % 3).collect();
    let x = Array2::from_shape_fn((n, 10), |(i, j)| {
        let centre = if j == y[i] * 3 { 4.0 } else { 0.0 };
        centre + rng.random_range(-1.0f32..1.0)
    });
    (x, y)
}

fn config(strategy: Strategy, lr: f32, epochs: usize, batch_size: usize) -> TrainConfig {
    TrainConfig {
        objective: Objective {
            loss: Loss::Softmax,
            reg: 1e-3,
        },
        strategy,
        learning_rate: lr,
        schedule: Schedule::Constant,
        epochs,
        batch_size,
        patience: None,
        seed: 7,
    }
}

fn start() -> Linear {
    Linear::random(10, 3, 1e-3, &mut ChaCha8Rng::seed_from_u64(1))
}

#[test]
fn every_gradient_rule_learns_separable_blobs() {
    let (x, y) = blobs(300, 0);
    for (name, lr) in [
        ("sgd", 0.1),
        ("momentum", 0.05),
        ("nesterov", 0.05),
        ("rmsprop", 0.01),
        ("adam", 0.01),
    ] {
        let mut model = start();
        let before = model.loss(
            x.view(),
            &y,
            Objective {
                loss: Loss::Softmax,
                reg: 1e-3,
            },
        );
        let history = config(name.parse().unwrap(), lr, 10, 32)
            .train(&mut model, x.view(), &y, None, &Silent)
            .unwrap();
        let after = history.epochs.last().unwrap().train_loss;
        assert!(after < 0.3 * before, "{name}: loss {before} → {after}");
        assert!(accuracy(&model, x.view(), &y) > 0.97, "{name}");
        assert_eq!(history.step_losses.len(), 10 * 300usize.div_ceil(32));
    }
}

#[test]
fn full_batch_searches_never_increase_the_loss() {
    let (x, y) = blobs(90, 1);
    for strategy in [Strategy::RandomSearch, Strategy::RandomLocalSearch] {
        let mut model = start();
        let c = config(strategy, 0.05, 200, usize::MAX);
        let before = model.loss(x.view(), &y, c.objective);
        let history = c.train(&mut model, x.view(), &y, None, &Silent).unwrap();
        let losses = &history.step_losses;
        assert!(losses.windows(2).all(|w| w[1] <= w[0]), "{strategy:?}");
        assert!(losses[0] <= before);
        assert!(
            *losses.last().unwrap() < before - 1e-3,
            "{strategy:?} found nothing better"
        );
    }
    // Local search, following small improvements, ends far lower than blind search.
    let run = |strategy| {
        let mut model = start();
        config(strategy, 0.05, 200, usize::MAX)
            .train(&mut model, x.view(), &y, None, &Silent)
            .unwrap()
            .step_losses
            .last()
            .copied()
            .unwrap()
    };
    assert!(run(Strategy::RandomLocalSearch) < run(Strategy::RandomSearch));
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let (x, y) = blobs(120, 2);
    let run = |seed| {
        let mut model = start();
        let mut c = config(Strategy::Gradient(OptimizerConfig::ADAM), 0.01, 3, 16);
        c.seed = seed;
        c.train(&mut model, x.view(), &y, None, &Silent).unwrap();
        model
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn a_huge_learning_rate_stops_with_a_clear_error() {
    let (x, y) = blobs(60, 3);
    let mut model = start();
    let err = config(Strategy::Gradient(OptimizerConfig::Sgd), 1e30, 5, 10)
        .train(&mut model, x.view(), &y, None, &Silent)
        .unwrap_err();
    assert!(matches!(err, Error::Diverged { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("step") && msg.contains("smaller learning rate"),
        "{msg}"
    );
}

#[test]
fn early_stopping_keeps_the_best_epoch() {
    let (x, y) = blobs(150, 4);
    let (xv, yv) = blobs(60, 5);
    // A learning rate too small to change any prediction: no epoch beats the first.
    let mut model = start();
    let mut c = config(Strategy::Gradient(OptimizerConfig::Sgd), 1e-9, 20, 50);
    c.patience = Some(2);
    let history = c
        .train(&mut model, x.view(), &y, Some((xv.view(), &yv)), &Silent)
        .unwrap();
    assert!(history.stopped_early);
    assert_eq!(history.epochs.len(), 3);
    assert_eq!(history.best_epoch, Some(1));

    // With real learning, the kept parameters score the best recorded validation accuracy.
    let mut model = start();
    let mut c = config(Strategy::Gradient(OptimizerConfig::ADAM), 0.02, 8, 25);
    c.patience = Some(3);
    let history = c
        .train(&mut model, x.view(), &y, Some((xv.view(), &yv)), &Silent)
        .unwrap();
    let best = history
        .epochs
        .iter()
        .filter_map(|e| e.validation_accuracy)
        .fold(0.0, f64::max);
    assert_eq!(accuracy(&model, xv.view(), &yv), best);
}

#[test]
fn bad_settings_are_errors() {
    let (x, y) = blobs(30, 6);
    let adam = Strategy::Gradient(OptimizerConfig::ADAM);
    let mut bad = vec![
        config(adam, -1.0, 1, 10),
        config(adam, f32::NAN, 1, 10),
        config(adam, 0.1, 0, 10),
        config(adam, 0.1, 1, 0),
    ];
    let mut c = config(adam, 0.1, 1, 10);
    c.objective.reg = f32::NAN;
    bad.push(c);
    c.objective.reg = 0.0;
    c.patience = Some(0);
    bad.push(c);
    for c in bad {
        let err = c
            .train(&mut start(), x.view(), &y, None, &Silent)
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{c:?}: {err}");
    }
    assert!("lbfgs".parse::<Strategy>().is_err());
    for name in [
        "sgd",
        "momentum",
        "nesterov",
        "rmsprop",
        "adam",
        "random-search",
        "random-local-search",
    ] {
        assert_eq!(name.parse::<Strategy>().unwrap().name(), name);
    }
}

#[test]
fn gradients_beat_random_search_on_the_sample() {
    let split = deepday::data::sample().unwrap();
    let run = |strategy: &str, lr: f32| {
        let mut c = LinearConfig::default();
        c.train.strategy = strategy.parse().unwrap();
        c.train.learning_rate = lr;
        c.train.epochs = 5;
        c.train.schedule = Schedule::Cosine { epochs: 5 };
        let (model, history) = c.fit(&split.train, &Silent).unwrap();
        assert_eq!(history.best_epoch.is_some(), c.validation.is_some());
        let predicted = model.predict(split.test.pixels()).unwrap();
        deepday::metrics::accuracy(split.test.labels(), &predicted)
    };
    let adam = run("adam", 1e-3);
    let random = run("random-search", 1e-3);
    assert!(adam > 0.75, "adam {adam}");
    assert!(
        random > 0.1 && random < adam - 0.2,
        "random search {random} vs adam {adam}"
    );
}

#[test]
fn splitting_batches_across_threads_gives_the_same_steps() {
    // Each batch is cut into one block per thread; the blocks' weighted results must be the
    // whole batch's loss and gradient, so 1, 2 and 3 threads train the same model.
    let (x, y) = blobs(500, 8);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut model = start();
            let history = config(Strategy::Gradient(OptimizerConfig::Sgd), 0.05, 3, 100)
                .train(&mut model, x.view(), &y, None, &Silent)
                .unwrap();
            (model, history.step_losses)
        })
    };
    let (one, losses_one) = run(1);
    for threads in [2, 3] {
        let (many, losses) = run(threads);
        let diff = (&one.w - &many.w).iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!(diff < 1e-5, "{threads} threads: weights differ by {diff}");
        for (a, b) in losses_one.iter().zip(&losses) {
            assert!((a - b).abs() < 1e-6 * a.abs().max(1.0), "{a} vs {b}");
        }
    }
}
