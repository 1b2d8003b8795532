//! Preprocessing fitted on the training set only and then applied unchanged to any other set
//! (validation, test, a user's image): fitting on test data would leak it into the model.
//!
//! Every method first scales pixels to `[0, 1]` (`x / 255`); `MeanImage` then subtracts the
//! training set's mean image, `Standardize` also divides each feature by its standard
//! deviation (features that never vary are left unscaled).

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView2, Axis};
use rayon::prelude::*;

/// Which transform to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preprocess {
    /// `x / 255`.
    #[default]
    Scale,
    /// `x / 255 - mean`.
    MeanImage,
    /// `(x / 255 - mean) / std`.
    Standardize,
}

impl std::str::FromStr for Preprocess {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "scale" => Ok(Preprocess::Scale),
            "mean" | "mean-image" => Ok(Preprocess::MeanImage),
            "standardize" | "standardise" => Ok(Preprocess::Standardize),
            _ => Err(Error::config(
                "preprocessing",
                format!("`{s}` (scale, mean-image or standardize)"),
            )),
        }
    }
}

impl Preprocess {
    /// The name the command line and model files use.
    pub fn name(self) -> &'static str {
        match self {
            Preprocess::Scale => "scale",
            Preprocess::MeanImage => "mean-image",
            Preprocess::Standardize => "standardize",
        }
    }
}

/// A fitted transform: the statistics of the training set it was fitted on.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub method: Preprocess,
    /// Per-feature mean of the scaled training pixels (zeros for `Scale`).
    pub mean: Array1<f32>,
    /// Per-feature divisor (ones unless `Standardize`).
    pub std: Array1<f32>,
}

/// Standard deviations below this are treated as constant features.
const MIN_STD: f32 = 1e-6;

impl Preprocess {
    /// Fits the transform on training pixels `(n, d)`.
    pub fn fit(self, train: ArrayView2<u8>) -> Result<Fitted> {
        if train.nrows() == 0 {
            return Err(Error::Data(
                "cannot fit preprocessing on an empty training set".into(),
            ));
        }
        let d = train.ncols();
        let (mut mean, mut std) = (Array1::zeros(d), Array1::ones(d));
        if self != Preprocess::Scale {
            let n = train.nrows() as f64;
            // Sums per feature over row blocks in parallel, in f64 so 60,000 rows lose nothing.
            let (sum, sum_sq) = train
                .axis_chunks_iter(Axis(0), 1024)
                .into_par_iter()
                .map(|block| {
                    let mut sum = vec![0f64; d];
                    let mut sum_sq = vec![0f64; d];
                    for row in block.rows() {
                        for ((s, q), &v) in sum.iter_mut().zip(&mut sum_sq).zip(row) {
                            let v = v as f64 / 255.0;
                            *s += v;
                            *q += v * v;
                        }
                    }
                    (sum, sum_sq)
                })
                .reduce(
                    || (vec![0f64; d], vec![0f64; d]),
                    |(mut a, mut aq), (b, bq)| {
                        a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
                        aq.iter_mut().zip(bq).for_each(|(a, b)| *a += b);
                        (a, aq)
                    },
                );
            for j in 0..d {
                let m = sum[j] / n;
                mean[j] = m as f32;
                if self == Preprocess::Standardize {
                    let var = (sum_sq[j] / n - m * m).max(0.0);
                    let s = var.sqrt() as f32;
                    std[j] = if s < MIN_STD { 1.0 } else { s };
                }
            }
        }
        Ok(Fitted {
            method: self,
            mean,
            std,
        })
    }
}

impl Fitted {
    /// Applies the fitted transform to pixels `(n, d)`, giving `f32` features `(n, d)`.
    pub fn transform(&self, x: ArrayView2<u8>) -> Result<Array2<f32>> {
        if x.ncols() != self.mean.len() {
            return Err(Error::Data(format!(
                "preprocessing was fitted on {} features, these images have {}",
                self.mean.len(),
                x.ncols()
            )));
        }
        let mut out = Array2::zeros(x.raw_dim());
        ndarray::Zip::from(out.rows_mut())
            .and(x.rows())
            .par_for_each(|mut o, x| {
                for (((o, &x), &m), &s) in o.iter_mut().zip(x).zip(&self.mean).zip(&self.std) {
                    *o = (x as f32 / 255.0 - m) / s;
                }
            });
        Ok(out)
    }
}
