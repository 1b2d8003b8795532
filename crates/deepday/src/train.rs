//! The training loop: from a model's loss (and gradient) to trained parameters, with the
//! course's strategies side by side.
//!
//! - **Random search**: draw whole new random parameters; keep them if the batch loss is lower.
//! - **Random local search**: step in a random direction; keep the step if it lowers the loss.
//! - **Gradient descent**: follow the analytic gradient with an [`Optimizer`] rule (SGD on
//!   minibatches, or full-batch when the batch is the whole set).
//!
//! Every strategy sees the same batches in the same seeded order, so their curves compare
//! step for step. Each epoch records the mean training loss and, when a validation set is
//! given, validation accuracy; the parameters of the best validation epoch are kept, and
//! training stops early after `patience` epochs without improvement. A loss that turns NaN or
//! infinite stops training with an error naming the step.
//!
//! Each batch is split into one block of rows per thread, and the blocks' losses and
//! gradients are combined weighted by their size: exactly the batch's, up to rounding, so the
//! same seed gives the same run on the same number of threads.

use crate::loss::Objective;
use crate::optim::{Optimizer, OptimizerConfig, Schedule};
use crate::{Error, Observer, Result};
use ndarray::{s, Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rayon::prelude::*;
use std::time::Instant;

/// What the loop needs from a model. Parameters and gradients are flat `f32` slices, in the
/// same order on every call, so an optimiser can keep state per slot.
pub trait Trainable: Sync {
    /// Class scores `(n, C)` for features `(n, d)`.
    fn scores(&self, x: ArrayView2<f32>) -> Array2<f32>;
    /// The objective on a batch.
    fn loss(&self, x: ArrayView2<f32>, y: &[usize], objective: Objective) -> f64;
    /// The objective on a batch and one gradient per parameter, in [`Self::params_mut`] order.
    fn loss_and_grad(
        &self,
        x: ArrayView2<f32>,
        y: &[usize],
        objective: Objective,
    ) -> (f64, Vec<Vec<f32>>);
    /// Every parameter, as flat mutable slices.
    fn params_mut(&mut self) -> Vec<&mut [f32]>;
}

/// How parameters are searched for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Strategy {
    /// New random parameters `N(0, lr²)` each step.
    RandomSearch,
    /// A random step `N(0, lr²)` from the current parameters each step.
    RandomLocalSearch,
    /// Gradient descent with an update rule.
    Gradient(OptimizerConfig),
}

impl std::str::FromStr for Strategy {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "random-search" => Strategy::RandomSearch,
            "random-local-search" => Strategy::RandomLocalSearch,
            "sgd" | "gd" => Strategy::Gradient(OptimizerConfig::Sgd),
            "momentum" => Strategy::Gradient(OptimizerConfig::MOMENTUM),
            "nesterov" => Strategy::Gradient(OptimizerConfig::Momentum {
                mu: 0.9,
                nesterov: true,
            }),
            "rmsprop" => Strategy::Gradient(OptimizerConfig::RMSPROP),
            "adam" => Strategy::Gradient(OptimizerConfig::ADAM),
            _ => {
                return Err(Error::config(
                    "optimizer",
                    format!(
                        "unknown optimizer `{s}` (sgd, momentum, nesterov, rmsprop, adam, \
                         random-search or random-local-search)"
                    ),
                ))
            }
        })
    }
}

impl Strategy {
    /// A learning rate that works for this strategy on standardised pixels: adaptive rules
    /// and the searches take small steps, plain and momentum SGD larger ones.
    pub fn default_learning_rate(self) -> f32 {
        match self {
            Strategy::Gradient(OptimizerConfig::Sgd | OptimizerConfig::Momentum { .. }) => 1e-2,
            _ => 1e-3,
        }
    }

    /// The name the command line uses.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::RandomSearch => "random-search",
            Strategy::RandomLocalSearch => "random-local-search",
            Strategy::Gradient(OptimizerConfig::Sgd) => "sgd",
            Strategy::Gradient(OptimizerConfig::Momentum { nesterov: true, .. }) => "nesterov",
            Strategy::Gradient(OptimizerConfig::Momentum { .. }) => "momentum",
            Strategy::Gradient(OptimizerConfig::RmsProp { .. }) => "rmsprop",
            Strategy::Gradient(OptimizerConfig::Adam { .. }) => "adam",
        }
    }
}

/// The loop's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    pub objective: Objective,
    pub strategy: Strategy,
    /// Step size; for the random searches, the standard deviation of what they draw.
    pub learning_rate: f32,
    pub schedule: Schedule,
    pub epochs: usize,
    /// Rows per step; the whole set when it is larger (full-batch gradient descent).
    pub batch_size: usize,
    /// Stop after this many epochs without a better validation accuracy.
    pub patience: Option<usize>,
    pub seed: u64,
}

/// One epoch's record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EpochRecord {
    /// Counted from 1.
    pub epoch: usize,
    /// Mean of the epoch's batch losses.
    pub train_loss: f64,
    pub validation_accuracy: Option<f64>,
    pub learning_rate: f32,
    /// Seconds since training started, at the end of this epoch.
    pub seconds: f64,
}

/// What happened during training.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct History {
    pub epochs: Vec<EpochRecord>,
    /// The loss of every step, in order.
    pub step_losses: Vec<f64>,
    /// The epoch (from 1) whose parameters were kept, when a validation set chose them.
    pub best_epoch: Option<usize>,
    pub stopped_early: bool,
}

impl TrainConfig {
    fn validate(&self) -> Result<()> {
        let lr = self.learning_rate;
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::config(
                "learning rate",
                format!("{lr} (must be positive)"),
            ));
        }
        let reg = self.objective.reg;
        if !(reg.is_finite() && reg >= 0.0) {
            return Err(Error::config(
                "regularisation",
                format!("{reg} (must be 0 or more)"),
            ));
        }
        if self.epochs == 0 {
            return Err(Error::config("epochs", "0 (must be at least 1)"));
        }
        if self.batch_size == 0 {
            return Err(Error::config("batch size", "0 (must be at least 1)"));
        }
        if self.patience == Some(0) {
            return Err(Error::config("patience", "0 (must be at least 1)"));
        }
        Ok(())
    }

    /// Trains `model` on `(x, y)` in place, choosing the parameters by accuracy on
    /// `validation` when given. `observer` advances once per step.
    pub fn train(
        &self,
        model: &mut dyn Trainable,
        x: ArrayView2<f32>,
        y: &[usize],
        validation: Option<(ArrayView2<f32>, &[usize])>,
        observer: &dyn Observer,
    ) -> Result<History> {
        self.validate()?;
        if self.patience.is_some() && validation.is_none() {
            return Err(Error::config(
                "patience",
                "early stopping needs a validation set (hold one out, e.g. --validation 0.1)",
            ));
        }
        assert_eq!(x.nrows(), y.len(), "one label per row");
        if x.nrows() == 0 {
            return Err(Error::Data("cannot train on an empty training set".into()));
        }
        let start = Instant::now();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut optimizer = match self.strategy {
            Strategy::Gradient(rule) => Some(rule.build(self.learning_rate, 0.0)?),
            _ => None,
        };
        let batch = self.batch_size.min(x.nrows());
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        let mut blocks = Blocks::new(batch, x.ncols());
        let mut history = History::default();
        let mut best: Option<(f64, Vec<Vec<f32>>)> = None;
        let mut since_best = 0;

        for epoch in 0..self.epochs {
            let lr = self.schedule.rate(self.learning_rate, epoch);
            if let Some(opt) = optimizer.as_mut() {
                opt.set_learning_rate(lr);
            }
            order.shuffle(&mut rng);
            let mut epoch_loss = 0.0;
            let mut steps = 0;
            for rows in order.chunks(batch) {
                let data = Batch { x, y, rows };
                let loss = match optimizer.as_mut() {
                    Some(opt) => {
                        gradient_step(model, opt.as_mut(), &data, &mut blocks, self.objective)
                    }
                    None => {
                        let local = self.strategy == Strategy::RandomLocalSearch;
                        let objective = self.objective;
                        random_step(model, &data, &mut blocks, objective, lr, local, &mut rng)
                    }
                };
                if !loss.is_finite() {
                    return Err(Error::Diverged {
                        epoch: epoch + 1,
                        step: history.step_losses.len() + 1,
                        loss,
                        learning_rate: lr,
                    });
                }
                history.step_losses.push(loss);
                epoch_loss += loss;
                steps += 1;
                observer.advance(1);
            }
            if model
                .params_mut()
                .iter()
                .any(|p| p.iter().any(|v| !v.is_finite()))
            {
                return Err(Error::Diverged {
                    epoch: epoch + 1,
                    step: history.step_losses.len(),
                    loss: f64::INFINITY,
                    learning_rate: lr,
                });
            }
            let validation_accuracy = validation.map(|(xv, yv)| accuracy(model, xv, yv));
            history.epochs.push(EpochRecord {
                epoch: epoch + 1,
                train_loss: epoch_loss / steps as f64,
                validation_accuracy,
                learning_rate: lr,
                seconds: start.elapsed().as_secs_f64(),
            });
            if let Some(acc) = validation_accuracy {
                if best.as_ref().is_none_or(|(b, _)| acc > *b) {
                    let snapshot = model.params_mut().iter().map(|p| p.to_vec()).collect();
                    best = Some((acc, snapshot));
                    history.best_epoch = Some(epoch + 1);
                    since_best = 0;
                } else {
                    since_best += 1;
                    if self.patience.is_some_and(|p| since_best >= p) {
                        history.stopped_early = true;
                        break;
                    }
                }
            }
        }
        if let Some((_, snapshot)) = best {
            for (p, saved) in model.params_mut().into_iter().zip(snapshot) {
                p.copy_from_slice(&saved);
            }
        }
        Ok(history)
    }
}

/// One step's rows of the training set.
struct Batch<'a> {
    x: ArrayView2<'a, f32>,
    y: &'a [usize],
    rows: &'a [usize],
}

/// Rows below which a batch is not worth splitting across threads.
const MIN_ROWS_PER_THREAD: usize = 32;

/// Scratch for splitting each batch into one block of rows per thread. Each thread gathers
/// its block into its own buffer (gathering scattered rows is memory-bound, so it is worth
/// sharing) and evaluates the model on it.
struct Blocks {
    buffers: Vec<(Array2<f32>, Vec<usize>)>,
}

impl Blocks {
    fn new(batch: usize, d: usize) -> Self {
        let n = rayon::current_num_threads()
            .min(batch / MIN_ROWS_PER_THREAD)
            .max(1);
        let rows = batch.div_ceil(n);
        Blocks {
            buffers: (0..n)
                .map(|_| (Array2::zeros((rows, d)), Vec::with_capacity(rows)))
                .collect(),
        }
    }

    /// `f` on each block of the batch, in parallel, with the block's share of the rows. A
    /// batch of every row is split without copying (the mean does not depend on the order).
    fn map<T: Send>(
        &mut self,
        b: &Batch,
        f: impl Fn(ArrayView2<f32>, &[usize]) -> T + Sync,
    ) -> Vec<(f64, T)> {
        let n = b.rows.len();
        let size = n.div_ceil(self.buffers.len());
        let everything = n == b.x.nrows();
        self.buffers
            .par_iter_mut()
            .zip(b.rows.par_chunks(size))
            .enumerate()
            .map(|(i, ((xb, yb), rows))| {
                let weight = rows.len() as f64 / n as f64;
                if everything {
                    let range = i * size..i * size + rows.len();
                    return (weight, f(b.x.slice(s![range.clone(), ..]), &b.y[range]));
                }
                yb.clear();
                for (mut dst, &r) in xb.rows_mut().into_iter().zip(rows) {
                    dst.assign(&b.x.row(r));
                    yb.push(b.y[r]);
                }
                (weight, f(xb.slice(s![..rows.len(), ..]), yb))
            })
            .collect()
    }
}

/// The batch's objective: the blocks' losses weighted by their share of the rows. (The mean
/// data loss averages over rows and every block adds the same regularisation, so this is
/// exactly the whole batch's loss; the same holds for the gradients.)
fn batch_loss(model: &dyn Trainable, b: &Batch, blocks: &mut Blocks, objective: Objective) -> f64 {
    blocks
        .map(b, |x, y| model.loss(x, y, objective))
        .into_iter()
        .map(|(w, l)| w * l)
        .sum()
}

/// One optimiser step; returns the batch loss before the step.
fn gradient_step(
    model: &mut dyn Trainable,
    opt: &mut dyn Optimizer,
    b: &Batch,
    blocks: &mut Blocks,
    objective: Objective,
) -> f64 {
    let parts = {
        let model = &*model;
        blocks.map(b, |x, y| model.loss_and_grad(x, y, objective))
    };
    let mut loss = 0.0;
    let mut grads: Vec<Vec<f32>> = parts[0].1 .1.iter().map(|g| vec![0.0; g.len()]).collect();
    for (weight, (part_loss, part_grads)) in parts {
        loss += weight * part_loss;
        for (total, g) in grads.iter_mut().zip(part_grads) {
            total
                .iter_mut()
                .zip(g)
                .for_each(|(t, g)| *t += weight as f32 * g);
        }
    }
    if loss.is_finite() {
        for (slot, (p, g)) in model.params_mut().into_iter().zip(&grads).enumerate() {
            opt.update(slot, p, g);
        }
    }
    loss
}

/// One random-search step; returns the batch loss of the parameters kept.
fn random_step(
    model: &mut dyn Trainable,
    b: &Batch,
    blocks: &mut Blocks,
    objective: Objective,
    std: f32,
    local: bool,
    rng: &mut impl Rng,
) -> f64 {
    let current = batch_loss(model, b, blocks, objective);
    let normal = Normal::new(0.0, std).expect("a validated, positive std");
    let saved: Vec<Vec<f32>> = model.params_mut().iter().map(|p| p.to_vec()).collect();
    for p in model.params_mut() {
        for v in p.iter_mut() {
            let r: f32 = normal.sample(rng);
            *v = if local { *v + r } else { r };
        }
    }
    let candidate = batch_loss(model, b, blocks, objective);
    if candidate < current {
        return candidate;
    }
    for (p, s) in model.params_mut().into_iter().zip(saved) {
        p.copy_from_slice(&s);
    }
    current
}

/// Fraction of rows whose highest score is their label (ties go to the lower class).
pub fn accuracy(model: &dyn Trainable, x: ArrayView2<f32>, y: &[usize]) -> f64 {
    let predicted = crate::metrics::argmax_rows(model.scores(x).view());
    crate::metrics::accuracy(y, &predicted)
}
