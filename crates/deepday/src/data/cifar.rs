//! CIFAR-10's binary format: each batch file is a run of 3,073-byte records, one label byte
//! then 32x32 pixels as three planes (red, green, blue). `data_batch_1.bin` ... `_5.bin` make
//! the training set, `test_batch.bin` the test set, `batches.meta.txt` names the classes.

use super::{read_class_names, Dataset, ImageShape, Split};
use crate::{io::write_atomic, Error, Result};
use ndarray::Array2;
use std::path::Path;

/// CIFAR-10's class names, by label, used when `batches.meta.txt` is absent.
pub const CIFAR10_CLASSES: [&str; 10] = [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
];

const SHAPE: ImageShape = ImageShape {
    channels: 3,
    height: 32,
    width: 32,
};
const RECORD: usize = 1 + 3 * 32 * 32;
/// A batch holds 10,000 records; five times that bounds what one file may hold.
const MAX_RECORDS: usize = 50_000;

/// Loads the CIFAR-10 batches in `dir`: every `data_batch_<i>.bin` present (in order of `i`)
/// for training and `test_batch.bin` for testing.
pub fn load_cifar10(dir: &Path) -> Result<Split> {
    let names = class_names(dir)?;
    let mut train_files = Vec::new();
    for i in 1..=5 {
        let p = dir.join(format!("data_batch_{i}.bin"));
        if p.is_file() {
            train_files.push(p);
        }
    }
    if train_files.is_empty() {
        return Err(Error::format(
            dir.join("data_batch_1.bin"),
            "missing: no CIFAR-10 training batch",
        ));
    }
    let mut pixels = Vec::new();
    let mut labels = Vec::new();
    for p in &train_files {
        read_batch(p, names.len(), &mut pixels, &mut labels)?;
    }
    let train = to_dataset(pixels, labels, &names)?;
    let test_path = dir.join("test_batch.bin");
    if !test_path.is_file() {
        return Err(Error::format(&test_path, "missing: no CIFAR-10 test batch"));
    }
    let (mut pixels, mut labels) = (Vec::new(), Vec::new());
    read_batch(&test_path, names.len(), &mut pixels, &mut labels)?;
    let test = to_dataset(pixels, labels, &names)?;
    Split::new(train, test)
}

/// Parses one batch file's bytes, appending its images and labels.
pub fn parse_batch(
    path: &Path,
    bytes: &[u8],
    n_classes: usize,
    pixels: &mut Vec<u8>,
    labels: &mut Vec<usize>,
) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::format(
            path,
            "empty file: a CIFAR-10 batch holds at least one record",
        ));
    }
    if !bytes.len().is_multiple_of(RECORD) {
        return Err(Error::format(
            path,
            format!(
                "{} bytes is not a whole number of {RECORD}-byte records (truncated or trailing bytes)",
                bytes.len()
            ),
        ));
    }
    if bytes.len() / RECORD > MAX_RECORDS {
        return Err(Error::format(
            path,
            format!("more than {MAX_RECORDS} records in one batch"),
        ));
    }
    for (i, record) in bytes.chunks_exact(RECORD).enumerate() {
        let label = record[0] as usize;
        if label >= n_classes {
            return Err(Error::format(
                path,
                format!("record {i} has label {label}, outside the {n_classes} classes"),
            ));
        }
        labels.push(label);
        pixels.extend_from_slice(&record[1..]);
    }
    Ok(())
}

fn read_batch(
    path: &Path,
    n_classes: usize,
    pixels: &mut Vec<u8>,
    labels: &mut Vec<usize>,
) -> Result<()> {
    let len = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    if len > (MAX_RECORDS * RECORD) as u64 {
        return Err(Error::format(
            path,
            format!("{len} bytes is too large for a CIFAR-10 batch"),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_batch(path, &bytes, n_classes, pixels, labels)
}

fn to_dataset(pixels: Vec<u8>, labels: Vec<usize>, names: &[String]) -> Result<Dataset> {
    let pixels =
        Array2::from_shape_vec((labels.len(), SHAPE.len()), pixels).expect("whole records");
    Dataset::new(pixels, labels, SHAPE, names.to_vec())
}

fn class_names(dir: &Path) -> Result<Vec<String>> {
    let meta = dir.join("batches.meta.txt");
    if meta.is_file() {
        read_class_names(&meta)
    } else {
        Ok(CIFAR10_CLASSES.iter().map(|s| s.to_string()).collect())
    }
}

/// Writes `set` (3x32x32 images) as one CIFAR-10 batch file. Used to build test fixtures
/// in the exact format, since no CIFAR-10 copy can be downloaded here.
pub fn write_cifar10_batch(path: &Path, set: &Dataset) -> Result<()> {
    if set.shape() != SHAPE {
        return Err(Error::Data(format!(
            "CIFAR-10 images are {SHAPE}, these are {}",
            set.shape()
        )));
    }
    if set.n_classes() > 256 {
        return Err(Error::Data("CIFAR-10 labels are one byte".into()));
    }
    let mut bytes = Vec::with_capacity(set.len() * RECORD);
    for (row, &label) in set.pixels().rows().into_iter().zip(set.labels()) {
        bytes.push(label as u8);
        bytes.extend(row.iter());
    }
    write_atomic(path, &bytes)
}
