//! Seeded, stratified ways to divide a data set: a train/validation split, k folds for
//! cross-validation, and a balanced subset. All return sorted row indices, so the original
//! order (which decides ties in k-NN) is kept inside each part.

use crate::{Error, Result};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One fold of cross-validation: the rows to train on and the rows to validate on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
}

/// Row indices of each class, each list shuffled by `rng`.
fn shuffled_by_class(labels: &[usize], rng: &mut ChaCha8Rng) -> Vec<Vec<usize>> {
    let n_classes = labels.iter().max().map_or(0, |&m| m + 1);
    let mut by_class = vec![Vec::new(); n_classes];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l].push(i);
    }
    for rows in &mut by_class {
        rows.shuffle(rng);
    }
    by_class
}

/// Splits rows into `k` folds so that each class is spread as evenly as possible over the
/// folds (scikit-learn's `StratifiedKFold` with shuffling). Every row is validated in exactly
/// one fold.
pub fn stratified_kfold(labels: &[usize], k: usize, seed: u64) -> Result<Vec<Fold>> {
    if k < 2 {
        return Err(Error::config(
            "folds",
            format!("{k} (at least 2 are needed)"),
        ));
    }
    if k > labels.len() {
        return Err(Error::config(
            "folds",
            format!("{k} folds for only {} rows", labels.len()),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut fold_of = vec![0usize; labels.len()];
    // Dealing class after class, continuing where the last class stopped, keeps fold sizes
    // within one of each other as well as each class's share.
    let mut next = 0;
    for rows in shuffled_by_class(labels, &mut rng) {
        for i in rows {
            fold_of[i] = next % k;
            next += 1;
        }
    }
    Ok((0..k)
        .map(|f| {
            let (validation, train): (Vec<usize>, Vec<usize>) =
                (0..labels.len()).partition(|&i| fold_of[i] == f);
            Fold { train, validation }
        })
        .collect())
}

/// Splits off `fraction` of each class for validation; returns `(train, validation)`.
pub fn stratified_split(
    labels: &[usize],
    fraction: f64,
    seed: u64,
) -> Result<(Vec<usize>, Vec<usize>)> {
    if !(fraction > 0.0 && fraction < 1.0) {
        return Err(Error::config(
            "validation fraction",
            format!("{fraction} (between 0 and 1)"),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut train, mut validation) = (Vec::new(), Vec::new());
    for rows in shuffled_by_class(labels, &mut rng) {
        let n_val = (rows.len() as f64 * fraction).round() as usize;
        validation.extend_from_slice(&rows[..n_val]);
        train.extend_from_slice(&rows[n_val..]);
    }
    if train.is_empty() || validation.is_empty() {
        return Err(Error::Data(format!(
            "a validation fraction of {fraction} of {} rows leaves one side empty",
            labels.len()
        )));
    }
    train.sort_unstable();
    validation.sort_unstable();
    Ok((train, validation))
}

/// Chooses `limit` rows with the classes as balanced as the data allow (round-robin over the
/// shuffled classes), returned in their original order. All rows when `limit >= len`.
pub fn stratified_subset(labels: &[usize], limit: usize, seed: u64) -> Vec<usize> {
    if limit >= labels.len() {
        return (0..labels.len()).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let by_class = shuffled_by_class(labels, &mut rng);
    let mut chosen = Vec::with_capacity(limit);
    let mut depth = 0;
    while chosen.len() < limit {
        for rows in &by_class {
            if let Some(&i) = rows.get(depth) {
                if chosen.len() < limit {
                    chosen.push(i);
                }
            }
        }
        depth += 1;
    }
    chosen.sort_unstable();
    chosen
}
