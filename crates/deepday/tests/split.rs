//! Seeded stratified splits, k-fold and subsets; preprocessing fitted on training data only.

use deepday::data::{stratified_kfold, stratified_split, stratified_subset};
use deepday::preprocess::Preprocess;
use ndarray::array;
use proptest::prelude::*;

fn labels(counts: &[usize]) -> Vec<usize> {
    // Interleaved so that classes are not contiguous.
    let mut out = Vec::new();
    let mut left = counts.to_vec();
    while left.iter().any(|&c| c > 0) {
        for (class, c) in left.iter_mut().enumerate() {
            if *c > 0 {
                out.push(class);
                *c -= 1;
            }
        }
    }
    out
}

proptest! {
    #[test]
    fn kfold_is_disjoint_covering_and_stratified(counts in prop::collection::vec(5usize..40, 1..5), k in 2usize..6, seed: u64) {
        let y = labels(&counts);
        let folds = stratified_kfold(&y, k, seed).unwrap();
        prop_assert_eq!(folds.len(), k);
        let mut seen = vec![0; y.len()];
        for f in &folds {
            for &i in &f.validation { seen[i] += 1; }
            let mut all: Vec<usize> = f.train.iter().chain(&f.validation).copied().collect();
            all.sort_unstable();
            prop_assert_eq!(all, (0..y.len()).collect::<Vec<_>>());
            for (class, &c) in counts.iter().enumerate() {
                let n = f.validation.iter().filter(|&&i| y[i] == class).count();
                prop_assert!(n == c / k || n == c / k + 1, "class {} has {} of {} in a fold", class, n, c);
            }
        }
        prop_assert!(seen.iter().all(|&s| s == 1), "each row validated exactly once");
        let sizes: Vec<usize> = folds.iter().map(|f| f.validation.len()).collect();
        prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1);
        prop_assert_eq!(&folds, &stratified_kfold(&y, k, seed).unwrap());
    }

    #[test]
    fn subset_is_balanced_and_sorted(counts in prop::collection::vec(1usize..30, 1..6), limit in 1usize..60, seed: u64) {
        let y = labels(&counts);
        let s = stratified_subset(&y, limit, seed);
        prop_assert_eq!(s.len(), limit.min(y.len()));
        prop_assert!(s.windows(2).all(|w| w[0] < w[1]));
        let per: Vec<usize> = (0..counts.len()).map(|c| s.iter().filter(|&&i| y[i] == c).count()).collect();
        // A class gets fewer than another only when it has run out of rows.
        for (a, &na) in per.iter().enumerate() {
            for &nb in &per {
                prop_assert!(na + 1 >= nb || na == counts[a]);
            }
        }
    }
}

#[test]
fn split_keeps_class_shares() {
    let y = labels(&[50, 30, 20]);
    let (train, val) = stratified_split(&y, 0.2, 1).unwrap();
    assert_eq!((train.len(), val.len()), (80, 20));
    let per: Vec<usize> = (0..3)
        .map(|c| val.iter().filter(|&&i| y[i] == c).count())
        .collect();
    assert_eq!(per, vec![10, 6, 4]);
    assert!(stratified_split(&y, 1.5, 1).is_err());
    assert!(stratified_kfold(&y, 1, 0).is_err());
    assert!(stratified_kfold(&y[..3], 4, 0).is_err());
}

#[test]
fn preprocessing_uses_training_statistics_only() {
    let train = array![[0u8, 255, 10], [255, 255, 30]];
    let test = array![[0u8, 0, 0]];
    let fitted = Preprocess::Standardize.fit(train.view()).unwrap();
    let mean = [127.5 / 255.0, 1.0, 20.0 / 255.0];
    for (m, e) in fitted.mean.iter().zip(mean) {
        assert!((m - e).abs() < 1e-6);
    }
    assert!((fitted.std[0] - 0.5).abs() < 1e-6);
    assert_eq!(fitted.std[1], 1.0, "a constant feature is left unscaled");
    let t = fitted.transform(test.view()).unwrap();
    assert!((t[[0, 0]] + 1.0).abs() < 1e-5, "(0 - 0.5) / 0.5");
    assert!((t[[0, 1]] + 1.0).abs() < 1e-6);
    let on_train = fitted.transform(train.view()).unwrap();
    for j in 0..3 {
        assert!(
            on_train.column(j).sum().abs() < 1e-5,
            "training features are centred"
        );
    }
    let scaled = Preprocess::Scale
        .fit(train.view())
        .unwrap()
        .transform(test.view())
        .unwrap();
    assert!(scaled.iter().all(|&v| v == 0.0));
    let mean_only = Preprocess::MeanImage.fit(train.view()).unwrap();
    assert_eq!(mean_only.std.to_vec(), vec![1.0; 3]);
    assert!(fitted.transform(array![[1u8, 2]].view()).is_err());
    assert!("zca".parse::<Preprocess>().is_err());
}
