//! Data sets: images as rows of `u8` pixels, their labels, shape and class names, and the
//! loaders that fill them from IDX (MNIST, Fashion-MNIST), CIFAR-10 binary batches and image
//! folders. [`open`] turns a user's `--data` value into a train/test [`Split`].
//!
//! Pixels stay `u8` (the sources are 8-bit): 60,000 Fashion-MNIST images take 47 MB, and the
//! exact integer distance kernels work on them directly. Models that need `f32` get it from
//! [`crate::preprocess`].

mod cifar;
mod folder;
mod idx;
mod sample;
mod split;

pub use cifar::{load_cifar10, parse_batch, write_cifar10_batch, CIFAR10_CLASSES};
pub use folder::{load_folder, load_image, FolderOptions};
pub use idx::{
    load_idx_dir, parse_idx, write_idx_dir, IdxArray, FASHION_MNIST_CLASSES, MAX_IDX_BYTES,
};
pub use sample::sample;
pub use split::{stratified_kfold, stratified_split, stratified_subset, Fold};

use crate::{Error, Result};
use ndarray::{Array2, ArrayView2, Axis};
use std::path::{Path, PathBuf};

/// Channels, height and width of one image; a row of pixels is stored channel by channel
/// (CHW), as CIFAR-10 stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageShape {
    pub channels: usize,
    pub height: usize,
    pub width: usize,
}

impl ImageShape {
    /// Number of pixel values in one image (`c * h * w`).
    pub fn len(&self) -> usize {
        self.channels * self.height * self.width
    }

    /// True when the shape holds no pixels.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Display for ImageShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}x{}", self.channels, self.height, self.width)
    }
}

/// A labelled set of images.
///
/// Invariants (checked by [`Dataset::new`]): `pixels` is `(n, shape.len())`, `labels` has `n`
/// entries, every label indexes `class_names`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pixels: Array2<u8>,
    labels: Vec<usize>,
    shape: ImageShape,
    class_names: Vec<String>,
}

impl Dataset {
    /// Builds a data set, checking that pixels, labels, shape and classes fit together.
    pub fn new(
        pixels: Array2<u8>,
        labels: Vec<usize>,
        shape: ImageShape,
        class_names: Vec<String>,
    ) -> Result<Self> {
        if pixels.ncols() != shape.len() {
            return Err(Error::Data(format!(
                "images have {} values each but the shape {shape} needs {}",
                pixels.ncols(),
                shape.len()
            )));
        }
        if pixels.nrows() != labels.len() {
            return Err(Error::Data(format!(
                "{} images but {} labels",
                pixels.nrows(),
                labels.len()
            )));
        }
        if class_names.is_empty() {
            return Err(Error::Data("a data set needs at least one class".into()));
        }
        if let Some(&bad) = labels.iter().find(|&&l| l >= class_names.len()) {
            return Err(Error::Data(format!(
                "label {bad} is outside the {} classes",
                class_names.len()
            )));
        }
        Ok(Dataset {
            pixels: pixels.as_standard_layout().into_owned(),
            labels,
            shape,
            class_names,
        })
    }

    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels, one image per row, `(n, c*h*w)`.
    pub fn pixels(&self) -> ArrayView2<'_, u8> {
        self.pixels.view()
    }

    /// The label (class index) of each image.
    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    /// Shape of one image.
    pub fn shape(&self) -> ImageShape {
        self.shape
    }

    /// Class names, indexed by label.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.class_names.len()
    }

    /// How many images each class has.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes()];
        for &l in &self.labels {
            counts[l] += 1;
        }
        counts
    }

    /// Smallest and largest pixel value, `None` for an empty set.
    pub fn pixel_range(&self) -> Option<(u8, u8)> {
        let mut it = self.pixels.iter().copied();
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }

    /// The images at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Dataset {
        Dataset {
            pixels: self.pixels.select(Axis(0), indices),
            labels: indices.iter().map(|&i| self.labels[i]).collect(),
            shape: self.shape,
            class_names: self.class_names.clone(),
        }
    }
}

/// A training set and a test set of the same image shape and classes.
#[derive(Debug, Clone)]
pub struct Split {
    pub train: Dataset,
    pub test: Dataset,
}

impl Split {
    /// Pairs two sets, checking they can be used together.
    pub fn new(train: Dataset, test: Dataset) -> Result<Self> {
        if train.is_empty() {
            return Err(Error::Data("the training set is empty".into()));
        }
        if test.is_empty() {
            return Err(Error::Data("the test set is empty".into()));
        }
        if train.shape != test.shape {
            return Err(Error::Data(format!(
                "train images are {} but test images are {}",
                train.shape, test.shape
            )));
        }
        if train.class_names != test.class_names {
            return Err(Error::Data(
                "train and test sets name different classes".into(),
            ));
        }
        Ok(Split { train, test })
    }
}

/// Reads a class list: one name per line, blank lines ignored, 1 to 256 names.
fn read_class_names(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    if names.is_empty() || names.len() > 256 {
        return Err(Error::format(
            path,
            "must list between 1 and 256 class names, one per line",
        ));
    }
    Ok(names)
}

/// Where to find Fashion-MNIST when `--data fashion-mnist` is given and `$DEEPDAY_DATA` is unset:
/// the directory Debian's `dataset-fashion-mnist` package installs.
pub const DEBIAN_FASHION_MNIST: &str = "/usr/share/datasets/fashion-mnist";

/// The on-disk formats [`open`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Idx,
    Cifar10,
    Folder,
}

/// Opens a data set named by the user: `sample` (bundled with the library), `fashion-mnist`
/// (from `$DEEPDAY_DATA` or [`DEBIAN_FASHION_MNIST`]) or a directory whose format is detected.
pub fn open(spec: &str, folder: &FolderOptions) -> Result<Split> {
    match spec {
        "sample" => sample(),
        "fashion-mnist" => {
            let dir = fashion_mnist_dir();
            if detect(&dir).is_err() {
                return Err(Error::Data(format!(
                    "Fashion-MNIST is not in {}: install it with `apt-get install dataset-fashion-mnist` \
                     or set DEEPDAY_DATA to a directory holding train-images-idx3-ubyte.gz and the \
                     three other IDX files",
                    dir.display()
                )));
            }
            load_idx_dir(&dir)
        }
        path => {
            let dir = Path::new(path);
            match detect(dir)? {
                Format::Idx => load_idx_dir(dir),
                Format::Cifar10 => load_cifar10(dir),
                Format::Folder => load_folder(dir, folder),
            }
        }
    }
}

fn fashion_mnist_dir() -> PathBuf {
    match std::env::var_os("DEEPDAY_DATA") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            let nested = dir.join("fashion-mnist");
            if nested.is_dir() {
                nested
            } else {
                dir
            }
        }
        _ => PathBuf::from(DEBIAN_FASHION_MNIST),
    }
}

/// Tells which format a directory holds; an error when it holds none or several.
pub fn detect(dir: &Path) -> Result<Format> {
    if !dir.is_dir() {
        let reason = if dir.exists() {
            "is not a directory"
        } else {
            "does not exist"
        };
        return Err(Error::format(
            dir,
            format!("{reason} (give a data directory, `sample` or `fashion-mnist`)"),
        ));
    }
    let mut found = Vec::new();
    if idx::find(dir, "train-images-idx3-ubyte").is_some() {
        found.push(Format::Idx);
    }
    if dir.join("test_batch.bin").is_file() || dir.join("data_batch_1.bin").is_file() {
        found.push(Format::Cifar10);
    }
    if dir.join("train").is_dir() && dir.join("test").is_dir() {
        found.push(Format::Folder);
    }
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::format(
            dir,
            "no data set found: expected IDX files (train-images-idx3-ubyte[.gz], ...), CIFAR-10 \
             batches (data_batch_1.bin, ..., test_batch.bin) or image folders (train/<class>/, test/<class>/)",
        )),
        many => Err(Error::format(
            dir,
            format!("ambiguous: holds several data set formats ({many:?}); keep one per directory"),
        )),
    }
}
