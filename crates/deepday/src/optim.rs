//! Gradient-based update rules, one trait for linear models and networks alike, and
//! learning-rate schedules. Each optimiser keeps its per-parameter state (velocity, moments)
//! by slot number, so one optimiser serves every parameter of a model.
//!
//! With `w` a parameter, `dw` its gradient and `lr` the learning rate (cs231n's notation):
//! - SGD: `w −= lr·dw`
//! - momentum: `v = μv − lr·dw; w += v`; Nesterov: `w += −μ·v_prev + (1 + μ)·v`
//! - RMSProp: `c = ρc + (1 − ρ)dw²; w −= lr·dw / (√c + ε)`
//! - Adam: `m = β₁m + (1 − β₁)dw; v = β₂v + (1 − β₂)dw²; w −= lr·m̂ / (√v̂ + ε)` with the
//!   bias-corrected `m̂ = m / (1 − β₁ᵗ)`, `v̂ = v / (1 − β₂ᵗ)`.
//!
//! Weight decay, where given, adds `λw` to the gradient (L2 regularisation's gradient).

use crate::{Error, Result};

/// Updates parameters from their gradients.
pub trait Optimizer {
    /// Applies one step to parameter `slot` (a stable number per parameter).
    fn update(&mut self, slot: usize, w: &mut [f32], dw: &[f32]);
    /// Changes the learning rate (for schedules).
    fn set_learning_rate(&mut self, lr: f32);
}

/// Which rule, with its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OptimizerConfig {
    Sgd,
    Momentum { mu: f32, nesterov: bool },
    RmsProp { decay: f32, eps: f32 },
    Adam { beta1: f32, beta2: f32, eps: f32 },
}

impl OptimizerConfig {
    /// Momentum with cs231n's μ = 0.9.
    pub const MOMENTUM: Self = OptimizerConfig::Momentum {
        mu: 0.9,
        nesterov: false,
    };
    /// RMSProp with ρ = 0.99, ε = 1e-8.
    pub const RMSPROP: Self = OptimizerConfig::RmsProp {
        decay: 0.99,
        eps: 1e-8,
    };
    /// Adam with Kingma & Ba's β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub const ADAM: Self = OptimizerConfig::Adam {
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
    };

    /// An optimiser with learning rate `lr` and weight decay `weight_decay`.
    pub fn build(self, lr: f32, weight_decay: f32) -> Result<Box<dyn Optimizer>> {
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::config(
                "learning rate",
                format!("{lr} (must be positive)"),
            ));
        }
        if !(weight_decay.is_finite() && weight_decay >= 0.0) {
            return Err(Error::config(
                "weight decay",
                format!("{weight_decay} (must be 0 or more)"),
            ));
        }
        Ok(Box::new(Rule {
            config: self,
            lr,
            weight_decay,
            state: Vec::new(),
        }))
    }
}

/// Per-slot state: first and second moment buffers (as each rule needs) and a step count.
#[derive(Default)]
struct SlotState {
    first: Vec<f32>,
    second: Vec<f32>,
    steps: i32,
}

struct Rule {
    config: OptimizerConfig,
    lr: f32,
    weight_decay: f32,
    state: Vec<SlotState>,
}

impl Optimizer for Rule {
    fn set_learning_rate(&mut self, lr: f32) {
        self.lr = lr;
    }

    fn update(&mut self, slot: usize, w: &mut [f32], dw: &[f32]) {
        assert_eq!(w.len(), dw.len(), "a gradient per weight");
        if self.state.len() <= slot {
            self.state.resize_with(slot + 1, SlotState::default);
        }
        let s = &mut self.state[slot];
        if s.first.len() != w.len() {
            *s = SlotState {
                first: vec![0.0; w.len()],
                second: vec![0.0; w.len()],
                steps: 0,
            };
        }
        s.steps += 1;
        let (lr, wd) = (self.lr, self.weight_decay);
        // One loop per rule, with the per-step constants hoisted, so each loop vectorises.
        match self.config {
            OptimizerConfig::Sgd => {
                for (w, g) in w.iter_mut().zip(dw) {
                    *w -= lr * (g + wd * *w);
                }
            }
            OptimizerConfig::Momentum { mu, nesterov } => {
                for ((w, v), g) in w.iter_mut().zip(&mut s.first).zip(dw) {
                    let g = g + wd * *w;
                    let prev = *v;
                    *v = mu * prev - lr * g;
                    *w += if nesterov {
                        -mu * prev + (1.0 + mu) * *v
                    } else {
                        *v
                    };
                }
            }
            OptimizerConfig::RmsProp { decay, eps } => {
                for ((w, c), g) in w.iter_mut().zip(&mut s.second).zip(dw) {
                    let g = g + wd * *w;
                    *c = decay * *c + (1.0 - decay) * g * g;
                    *w -= lr * g / (c.sqrt() + eps);
                }
            }
            OptimizerConfig::Adam { beta1, beta2, eps } => {
                let first_correction = 1.0 / (1.0 - beta1.powi(s.steps));
                let second_correction = 1.0 / (1.0 - beta2.powi(s.steps));
                for (((w, m), v), g) in w.iter_mut().zip(&mut s.first).zip(&mut s.second).zip(dw) {
                    let g = g + wd * *w;
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    let m_hat = *m * first_correction;
                    let v_hat = *v * second_correction;
                    *w -= lr * m_hat / (v_hat.sqrt() + eps);
                }
            }
        }
    }
}

/// How the learning rate changes over epochs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    Constant,
    /// Multiply by `gamma` every `every` epochs.
    Step {
        every: usize,
        gamma: f32,
    },
    /// Half a cosine from the base rate down to 0 over `epochs`.
    Cosine {
        epochs: usize,
    },
}

impl Schedule {
    /// The learning rate for `epoch` (counted from 0) given the base rate.
    pub fn rate(self, base: f32, epoch: usize) -> f32 {
        match self {
            Schedule::Constant => base,
            Schedule::Step { every, gamma } => base * gamma.powi((epoch / every.max(1)) as i32),
            Schedule::Cosine { epochs } => {
                let t = epoch.min(epochs) as f32 / epochs.max(1) as f32;
                base * 0.5 * (1.0 + (std::f32::consts::PI * t).cos())
            }
        }
    }
}
