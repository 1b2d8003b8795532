//! The bundled sample: a balanced subset of Fashion-MNIST (5,000 training and 1,000 test
//! images, 500 and 100 per class) made by `deepday data subset` and compiled into the
//! library, so that the tour runs on a fresh machine with no download.

use super::{idx::dataset_from_bytes, Split, FASHION_MNIST_CLASSES};
use crate::Result;
use std::path::Path;

const TRAIN_IMAGES: &[u8] = include_bytes!("../../sample/train-images-idx3-ubyte.gz");
const TRAIN_LABELS: &[u8] = include_bytes!("../../sample/train-labels-idx1-ubyte.gz");
const TEST_IMAGES: &[u8] = include_bytes!("../../sample/t10k-images-idx3-ubyte.gz");
const TEST_LABELS: &[u8] = include_bytes!("../../sample/t10k-labels-idx1-ubyte.gz");

/// Loads the bundled Fashion-MNIST sample.
pub fn sample() -> Result<Split> {
    let names: Vec<String> = FASHION_MNIST_CLASSES
        .iter()
        .map(|s| s.to_string())
        .collect();
    let load = |prefix: &str, images: &[u8], labels: &[u8]| {
        let ip = format!("<bundled sample>/{prefix}-images-idx3-ubyte.gz");
        let lp = format!("<bundled sample>/{prefix}-labels-idx1-ubyte.gz");
        dataset_from_bytes(Path::new(&ip), images, Path::new(&lp), labels, &names)
    };
    Split::new(
        load("train", TRAIN_IMAGES, TRAIN_LABELS)?,
        load("t10k", TEST_IMAGES, TEST_LABELS)?,
    )
}
