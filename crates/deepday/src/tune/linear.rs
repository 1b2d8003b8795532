//! Learning rate and regularisation of a linear classifier, chosen on one stratified
//! validation split: every setting is trained on the rest and scored on the held-out images.
//!
//! Settings come from a grid (every pair of two lists) or from random draws, log-uniform in
//! two ranges. cs231n prefers random search: with the same number of trials it tries every
//! hyper-parameter at as many distinct values, where a grid repeats each value across the
//! other's, so the one that matters gets explored more finely.

use crate::classic::linear::LinearConfig;
use crate::data::{stratified_split, Dataset};
use crate::metrics::accuracy;
use crate::{Error, Observer, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One learning rate and regularisation strength to try.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LinearSetting {
    pub learning_rate: f32,
    pub reg: f32,
}

/// A setting's validation accuracy; `None` when its training diverged.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LinearScore {
    #[serde(flatten)]
    pub setting: LinearSetting,
    pub validation_accuracy: Option<f64>,
}

/// Every learning rate with every regularisation strength.
pub fn grid(learning_rates: &[f32], regs: &[f32]) -> Vec<LinearSetting> {
    learning_rates
        .iter()
        .flat_map(|&learning_rate| {
            regs.iter()
                .map(move |&reg| LinearSetting { learning_rate, reg })
        })
        .collect()
}

/// `trials` settings drawn log-uniformly from the ranges `lr` and `reg` (inclusive, seeded).
pub fn random_settings(
    lr: (f32, f32),
    reg: (f32, f32),
    trials: usize,
    seed: u64,
) -> Result<Vec<LinearSetting>> {
    for (name, (lo, hi)) in [("learning-rate range", lr), ("regularisation range", reg)] {
        if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo <= hi) {
            return Err(Error::config(
                name,
                format!(
                    "{lo}..{hi} (random search draws on a log scale: positive bounds, low first)"
                ),
            ));
        }
    }
    if trials == 0 {
        return Err(Error::config("trials", "0 (must be at least 1)"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draw = |(lo, hi): (f32, f32)| {
        let (a, b) = (f64::from(lo).ln(), f64::from(hi).ln());
        (a + (b - a) * rng.random::<f64>()).exp() as f32
    };
    Ok((0..trials)
        .map(|_| LinearSetting {
            learning_rate: draw(lr),
            reg: draw(reg),
        })
        .collect())
}

/// Trains `base` with each setting on one stratified split of `data` (`fraction` held out,
/// seeded by `base`'s seed) and scores each on the held-out part. A setting that diverges is
/// recorded, not fatal: finding them is part of tuning.
pub fn tune_linear(
    data: &Dataset,
    base: &LinearConfig,
    settings: &[LinearSetting],
    fraction: f64,
    observer: &dyn Observer,
) -> Result<Vec<LinearScore>> {
    if settings.is_empty() {
        return Err(Error::config("settings", "nothing to try"));
    }
    let (t, v) = stratified_split(data.labels(), fraction, base.train.seed)?;
    let (train, validation) = (data.select(&t), data.select(&v));
    let mut scores = Vec::new();
    for &setting in settings {
        let mut config = *base;
        // Each setting trains on the whole training part for all its epochs: the held-out
        // part scores settings, so it cannot also choose epochs.
        config.validation = None;
        config.train.patience = None;
        config.train.learning_rate = setting.learning_rate;
        config.train.objective.reg = setting.reg;
        let validation_accuracy = match config.fit(&train, observer) {
            Ok((model, _)) => {
                let predicted = model.predict(validation.pixels())?;
                Some(accuracy(validation.labels(), &predicted))
            }
            Err(Error::Diverged { .. }) => None,
            Err(e) => return Err(e),
        };
        scores.push(LinearScore {
            setting,
            validation_accuracy,
        });
    }
    Ok(scores)
}

/// The setting with the highest validation accuracy (the first among equals).
pub fn best_linear(scores: &[LinearScore]) -> Option<&LinearScore> {
    scores
        .iter()
        .filter(|s| s.validation_accuracy.is_some())
        .fold(None, |best: Option<&LinearScore>, s| match best {
            Some(b) if b.validation_accuracy >= s.validation_accuracy => Some(b),
            _ => Some(s),
        })
}
