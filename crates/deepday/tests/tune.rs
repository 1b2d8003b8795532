//! Cross-validation and metrics.

use deepday::classic::{KnnConfig, Weights};
use deepday::data::stratified_kfold;
use deepday::distance::Metric;
use deepday::metrics::{accuracy, ConfusionMatrix};
use deepday::tune::{best, cross_validate_knn, CvScore, KnnGrid};
use deepday::Silent;

#[test]
fn prefix_votes_equal_separate_fits() {
    let s = deepday::data::sample().unwrap();
    let train = s.train.select(&(0..600).collect::<Vec<_>>());
    let grid = KnnGrid {
        ks: vec![1, 4, 9],
        metrics: vec![Metric::L2, Metric::L1],
        weights: Weights::Distance,
        folds: 3,
        seed: 7,
    };
    let scores = cross_validate_knn(&train, &grid, &Silent).unwrap();
    assert_eq!(scores.len(), 6);
    let folds = stratified_kfold(train.labels(), 3, 7).unwrap();
    for score in &scores {
        assert_eq!(score.fold_accuracies.len(), 3);
        for (fold, &acc) in folds.iter().zip(&score.fold_accuracies) {
            let fit = train.select(&fold.train);
            let val = train.select(&fold.validation);
            let knn = KnnConfig {
                k: score.k,
                metric: score.metric,
                weights: Weights::Distance,
            }
            .fit(&fit)
            .unwrap();
            let direct = accuracy(val.labels(), &knn.predict(val.pixels(), &Silent).unwrap());
            assert_eq!(acc, direct, "k={} {}", score.k, score.metric);
        }
    }
    let bad = KnnGrid {
        ks: vec![500],
        ..grid.clone()
    };
    assert!(cross_validate_knn(&train, &bad, &Silent)
        .unwrap_err()
        .to_string()
        .contains("500"));
    let zero = KnnGrid {
        ks: vec![0],
        ..grid
    };
    assert!(cross_validate_knn(&train, &zero, &Silent).is_err());
}

#[test]
fn best_prefers_accuracy_then_smaller_k() {
    let s = |k, a: f64| CvScore {
        k,
        metric: Metric::L1,
        fold_accuracies: vec![a, a],
    };
    let scores = [s(5, 0.8), s(3, 0.8), s(1, 0.7), s(8, 0.75)];
    assert_eq!(best(&scores).unwrap().k, 3);
    let spread = CvScore {
        k: 1,
        metric: Metric::L2,
        fold_accuracies: vec![0.5, 1.0],
    };
    assert_eq!(spread.mean(), 0.75);
    assert_eq!(spread.std(), 0.25);
}

#[test]
fn confusion_matrix_by_hand() {
    let truth = [0, 0, 1, 1, 1, 2];
    let pred = [0, 1, 1, 1, 0, 1];
    let cm = ConfusionMatrix::new(&truth, &pred, 4).unwrap();
    assert_eq!(cm.counts[0], vec![1, 1, 0, 0]);
    assert_eq!(cm.counts[1], vec![1, 2, 0, 0]);
    assert_eq!(cm.counts[2], vec![0, 1, 0, 0]);
    assert_eq!(
        cm.per_class_accuracy(),
        vec![Some(0.5), Some(2.0 / 3.0), Some(0.0), None]
    );
    assert_eq!(cm.accuracy(), 0.5);
    assert_eq!(accuracy(&truth, &pred), 0.5);
    assert!(ConfusionMatrix::new(&[5], &[0], 4).is_err());
}

#[test]
fn linear_settings_from_a_grid_or_random_draws() {
    use deepday::tune::{grid, random_settings, LinearSetting};
    let g = grid(&[1e-3, 1e-2], &[0.0, 0.5, 1.0]);
    assert_eq!(g.len(), 6);
    assert_eq!(
        g[4],
        LinearSetting {
            learning_rate: 1e-2,
            reg: 0.5
        }
    );

    let draws = random_settings((1e-4, 1e-2), (1e-5, 1e-1), 400, 3).unwrap();
    assert_eq!(draws.len(), 400);
    assert_eq!(
        draws,
        random_settings((1e-4, 1e-2), (1e-5, 1e-1), 400, 3).unwrap()
    );
    assert!(draws
        .iter()
        .all(|s| (1e-4..=1e-2).contains(&s.learning_rate) && (1e-5..=1e-1).contains(&s.reg)));
    // Log-uniform: about half the learning rates fall below the geometric middle, 1e-3
    // (a uniform draw would put 9% there).
    let low = draws.iter().filter(|s| s.learning_rate < 1e-3).count();
    assert!((150..250).contains(&low), "{low} of 400 below 1e-3");

    for (lr, reg) in [
        ((0.0, 1e-2), (1e-5, 1e-1)),
        ((1e-2, 1e-4), (1e-5, 1e-1)),
        ((1e-4, 1e-2), (f32::NAN, 1.0)),
    ] {
        assert!(random_settings(lr, reg, 5, 0).is_err());
    }
    assert!(random_settings((1e-4, 1e-2), (1e-5, 1e-1), 0, 0).is_err());
}

#[test]
fn linear_tuning_scores_every_setting_and_skips_divergence() {
    use deepday::classic::linear::LinearConfig;
    use deepday::tune::{best_linear, grid, tune_linear};
    let s = deepday::data::sample().unwrap();
    let train = s.train.select(&(0..800).collect::<Vec<_>>());
    let mut base = LinearConfig::default();
    base.train.epochs = 2;
    base.train.strategy = "sgd".parse().unwrap();
    let settings = grid(&[1e-2, 1e30], &[1e-2]);
    let scores = tune_linear(&train, &base, &settings, 0.25, &Silent).unwrap();
    assert_eq!(scores.len(), 2);
    assert!(scores[0].validation_accuracy.unwrap() > 0.5);
    assert_eq!(scores[1].validation_accuracy, None, "1e30 must diverge");
    assert_eq!(best_linear(&scores).unwrap().setting, settings[0]);
    assert!(best_linear(&scores[1..]).is_none());
    assert!(tune_linear(&train, &base, &[], 0.25, &Silent).is_err());
}
