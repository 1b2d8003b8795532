//! Trained classifiers on disk: one safetensors file holding the tensors (weights,
//! preprocessing statistics or the stored reference images) and, in its metadata, everything
//! else needed to use them (kind, image shape, class names, training settings).
//!
//! Every classifier loads into a [`SavedModel`], so evaluation and prediction have one path.
//! Loading checks what a damaged or foreign file can get wrong: the safetensors header, the
//! `deepday` format marker and version, the kind, each tensor's name, type and shape against
//! the metadata, a CRC-32 of the tensor bytes, and finite values. Saving is atomic.
//!
//! | kind     | tensors                                                                  |
//! |----------|--------------------------------------------------------------------------|
//! | `linear` | `linear.weight` f32 `(d, C)`, `linear.bias` f32 `(C)`, `preprocess.mean` f32 `(d)`, `preprocess.std` f32 `(d)` |
//! | `knn`    | `knn.pixels` u8 `(n, d)`, `knn.labels` u32 `(n)`                          |

use crate::classic::linear::LinearClassifier;
use crate::classic::KnnConfig;
use crate::data::{Dataset, ImageShape};
use crate::loss::Loss;
use crate::{Error, Observer, Result};
use ndarray::{Array2, ArrayView2};
use std::path::Path;

mod format;

/// The classifiers a model file can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Classifier {
    Linear(LinearClassifier),
    /// k-NN is its settings and its reference images.
    Knn {
        config: KnnConfig,
        train: Dataset,
    },
}

/// A classifier with what it takes to use it on new images.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedModel {
    pub classifier: Classifier,
    /// The shape images must have (images from folders are resized to it).
    pub shape: ImageShape,
    pub class_names: Vec<String>,
    /// How it was trained, free-form (kept for the record, shown by `eval`).
    pub settings: serde_json::Value,
}

impl SavedModel {
    /// The kind written in the file.
    pub fn kind(&self) -> &'static str {
        match self.classifier {
            Classifier::Linear(_) => "linear",
            Classifier::Knn { .. } => "knn",
        }
    }

    /// What [`Self::scores`] returns: `probability` (softmax), `score` (SVM) or `vote share`.
    pub fn score_kind(&self) -> &'static str {
        match &self.classifier {
            Classifier::Linear(c) if c.loss == Loss::Softmax => "probability",
            Classifier::Linear(_) => "score",
            Classifier::Knn { .. } => "vote share",
        }
    }

    /// Per-class outputs `(n, C)` for raw pixels `(n, d)`: higher means more likely.
    pub fn scores(&self, pixels: ArrayView2<u8>, observer: &dyn Observer) -> Result<Array2<f32>> {
        if pixels.ncols() != self.shape.len() {
            return Err(Error::Data(format!(
                "the model expects {} images ({} values), these have {} values",
                self.shape,
                self.shape.len(),
                pixels.ncols()
            )));
        }
        match &self.classifier {
            Classifier::Linear(c) => {
                let mut s = c.scores(pixels)?;
                if c.loss == Loss::Softmax {
                    crate::loss::probabilities(&mut s);
                }
                Ok(s)
            }
            Classifier::Knn { config, train } => {
                let knn = config.fit(train)?;
                let nb = knn.kneighbors(pixels, config.k, observer)?;
                let votes = knn.vote(&nb, config.k, config.weights);
                Ok(Array2::from_shape_fn(
                    (votes.len(), self.class_names.len()),
                    |(i, j)| votes[i][j] as f32,
                ))
            }
        }
    }

    /// Checks that `data` can be scored by this model: same image shape and classes.
    pub fn check_compatible(&self, data: &Dataset) -> Result<()> {
        if data.shape() != self.shape {
            return Err(Error::Data(format!(
                "the model was trained on {} images, the data have {} images",
                self.shape,
                data.shape()
            )));
        }
        if data.class_names() != self.class_names {
            return Err(Error::Data(format!(
                "the model knows {} classes ({}), the data have {} ({})",
                self.class_names.len(),
                self.class_names.join(", "),
                data.n_classes(),
                data.class_names().join(", ")
            )));
        }
        Ok(())
    }

    /// Writes the model to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        crate::io::write_atomic(path, &bytes)
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::from_bytes(&bytes).map_err(|reason| Error::format(path, reason))
    }
}
